#!/usr/bin/env bash
# Builds the libFuzzer targets (reader, Thrift decoder) with swiftc and runs each for SECONDS
# seconds over a corpus seeded with ../shared/parquet-testing and, if present, the interop files.
#   scripts/fuzz.sh [SECONDS]          (make test runs a short bounded pass; make fuzz a long one)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-30}
out=.build/fuzz
mkdir -p "$out"
sources=$(find Sources/Parquet -name '*.swift' | sort)
includes=()
for lib in CZstd CLZ4 CBrotli CZlib CSnappy; do includes+=(-I "Sources/$lib"); done
# The C targets' files (the hex digest frame's packing; a system call glibc declares only under
# _GNU_SOURCE): compiled here and linked.
includes+=(-I Sources/CIntrinsics/include)
includes+=(-I Sources/CSyscalls/include)
links=(-lzstd -llz4 -lbrotlienc -lbrotlidec -lz -lsnappy "$out/syscalls.o" "$out/intrinsics.o")
clang -O2 -c Sources/CSyscalls/syscalls.c -I Sources/CSyscalls/include -o "$out/syscalls.o"
clang -O2 -c Sources/CIntrinsics/intrinsics.c -I Sources/CIntrinsics/include -o "$out/intrinsics.o"

corpus_seed() {
    local dir=$1
    mkdir -p "$dir"
    local shared=../shared/parquet-testing
    if [[ -d $shared ]]; then
        find "$shared" -name '*.parquet' -size -2M -exec cp {} "$dir/" \; 2>/dev/null || true
    elif [[ -n ${CI:-} ]]; then
        echo "fuzz: ../shared/parquet-testing is missing" >&2
        exit 1
    fi
    if [[ -d .build/interop-out ]]; then
        find .build/interop-out -name '*.parquet' -size -64k -exec cp -t "$dir/" {} + || true
    fi
}

status=0
for target in Reader Thrift; do
    binary="$out/fuzz-$(echo "$target" | tr 'A-Z' 'a-z')"
    if [[ ! -x $binary || -n $(find Sources/Parquet Sources/CIntrinsics Sources/CSyscalls Fuzz -newer "$binary" \( -name '*.swift' -o -name '*.h' -o -name '*.c' \) | head -1) ]]; then
        echo "fuzz: building $binary"
        swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name Parquet -package-name laketap -swift-version 6 \
            -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility \
            -enable-upcoming-feature InternalImportsByDefault \
            "${includes[@]}" $sources "Fuzz/${target}Fuzz.swift" "${links[@]}" -o "$binary" \
            >"$out/build-$target.log" 2>&1 || { cat "$out/build-$target.log" >&2; exit 1; }
    fi
    corpus="$out/corpus-$target"
    corpus_seed "$corpus"
    if [[ $target == Thrift ]]; then
        # Footers and page headers make better Thrift seeds than whole files.
        python3 - "$corpus" <<'PY'
import os, struct, sys
d = sys.argv[1]
for name in os.listdir(d):
    p = os.path.join(d, name)
    data = open(p, 'rb').read()
    if len(data) > 12 and data.endswith(b'PAR1'):
        n = struct.unpack('<I', data[-8:-4])[0]
        if 0 < n < len(data) - 8:
            open(p + '.footer', 'wb').write(data[-8 - n:-8])
            open(p + '.page', 'wb').write(data[4:260])
    os.remove(p)
PY
    fi
    findings="$out/findings-$target"
    mkdir -p "$findings"
    echo "fuzz: $target for ${seconds}s"
    log="$out/fuzz-$target.log"
    if ! "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 \
        -artifact_prefix="$findings/" "$corpus" >"$log" 2>&1; then
        status=1
        echo "fuzz: $target found a problem; see $log and $findings" >&2
        tail -40 "$log" >&2
    fi
    grep -E "^(#[0-9]+|Done)" "$log" | tail -2
done
exit $status
