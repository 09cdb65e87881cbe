#!/usr/bin/env bash
# Benchmarks/ab.sh FILE RUNS BIN_A BIN_B [CPU]: two laketap binaries converting FILE in alternating single
# runs pinned to one CPU (default 1), the input read into the page cache before each run; prints each
# binary's median and minimum wall time and checks that their outputs are byte-identical.
#
# For A/B measurements of a change on the shared VMs here: alternating single runs agree with the full
# bench (which runs one process at a time); two processes at once contend for the L3 cache and memory and
# misled on the 1 GB logs file (the same two binaries: x1.06 in pairs, x0.94 alternating). For CPU time,
# `taskset -c 1 perf stat -r 5 -e task-clock BIN convert FILE -o OUT -q` per binary, in rounds.
#
# AB_CHURN_MB=N first allocates, touches and frees N MiB in another process before each run and waits a
# second, as the benchmark's peers do between laketap's runs (DuckDB and pyarrow take 0.3-1.5 GB). On
# these VMs (free page reporting) the host takes freed memory back, and a process's first touches then
# cost more: back-to-back runs reuse the memory the previous run freed and hide that cost. A change to
# how memory is allocated or touched needs this (the nineteenth session's huge-page heap measured 3.5%
# faster back to back and 8% slower after the same churn of 700 MB).
set -euo pipefail
if [[ $# -lt 4 ]]; then
    echo "usage: $0 FILE RUNS BIN_A BIN_B [CPU]" >&2
    exit 2
fi
file=$1 runs=$2 a=$3 b=$4 cpu=${5:-1}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
times_a=() times_b=()
for _ in $(seq 1 "$runs"); do
    for side in a b; do
        bin=$a
        [[ $side == b ]] && bin=$b
        if [[ -n ${AB_CHURN_MB:-} ]]; then
            python3 -c "import sys; b = bytearray(int(sys.argv[1]) << 20); b[::4096] = b'\x01' * len(b[::4096])" "$AB_CHURN_MB"
            sleep 1
        fi
        cat "$file" >/dev/null
        t=$( { /usr/bin/time -f "%e" taskset -c "$cpu" "$bin" convert "$file" -o "$out/$side.parquet" -q >/dev/null; } 2>&1 | tail -1)
        if [[ $side == a ]]; then times_a+=("$t"); else times_b+=("$t"); fi
    done
done
summary() {
    printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "median %.3f s, min %.3f s", m, v[1] }'
}
echo "A $a: $(summary "${times_a[@]}")  (${times_a[*]})"
echo "B $b: $(summary "${times_b[@]}")  (${times_b[*]})"
if cmp -s "$out/a.parquet" "$out/b.parquet"; then echo "outputs identical"; else echo "outputs differ"; fi
