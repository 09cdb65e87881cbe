#!/usr/bin/env bash
# `make bench`: first `laketap convert` against DuckDB, pyarrow and Polars on the ../shared/bench
# workloads (Benchmarks/convert_bench.py), then build the Benchmarks package in release, run the
# writer head-to-head against pyarrow (pinned to CPU 0, then unpinned), then the ordo-one/benchmark
# encoding suite.
#
# Environment:
#   BENCH_CONVERT=1        run the convert stage (0 to skip)
#   BENCH_CONVERT_ONLY=1   run only the convert stage
#   BENCH_INGEST=1         run the ingest stage (laketap gen -> laketap serve over HTTP; 0 to skip)
#   BENCH_INGEST_SIZE=full   full (1 GB logs / 500 MB events) or small (200 MB / 100 MB)
#   BENCH_INGEST_RUNS=3      runs of each ingest measurement (the median is reported)
#   BENCH_CONVERT_SIZE=full  full (1 GB logs, 500 MB events) or small (200 MB / 100 MB)
#   BENCH_CONVERT_RUNS=3   runs per tool and core count (the median is reported)
#   BENCH_CONVERT_DATA=bench-out/data   cache of the generated workloads
#   BENCH_ROWS=1000000     rows of the head-to-head log table
#   BENCH_RUNS=5           runs per codec (the median is reported)
#   BENCH_UNPINNED=1       also run the head-to-head unpinned (0 to skip)
#   BENCH_SUITE=1          run the ordo-one suite (0 to skip)
#   BENCH_OUT=bench-out    where the uncompressed file and results.jsonl go (repo-relative)
#   PYTHON=.venv/bin/python
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

ROWS=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-5}
OUT=${BENCH_OUT:-$root/bench-out}
PYTHON=${PYTHON:-$root/.venv/bin/python}
mkdir -p "$OUT"
results=$OUT/results.jsonl
: >"$results"

if [[ ! -x $PYTHON ]]; then
    echo "run.sh: $PYTHON is missing; run 'make bench' (or scripts/install-deps.sh) first" >&2
    exit 1
fi

if [[ ${BENCH_CONVERT:-1} != 0 || ${BENCH_CONVERT_ONLY:-0} == 1 ]]; then
    echo "== convert: laketap convert vs DuckDB, pyarrow, Polars (${BENCH_CONVERT_SIZE:-full})"
    # The flags of the Makefile's release builds (RELEASE): other flags would rebuild .build/release.
    swift build -c release --static-swift-stdlib --product laketap
    "$PYTHON" Benchmarks/convert_bench.py --out "$OUT" | tee "$OUT/convert.md"
    if [[ ${BENCH_INGEST:-1} != 0 ]]; then
        echo "== ingest: laketap gen -> laketap serve (fsync'ed acks) vs laketap convert"
        "$PYTHON" Benchmarks/ingest_bench.py --out "$OUT" | tee "$OUT/ingest.md"
    fi
    if [[ ${BENCH_CONVERT_ONLY:-0} == 1 ]]; then
        echo "== tables: $OUT/convert.md, rows: $OUT/convert_results.jsonl"
        exit 0
    fi
fi

echo "== build (release)"
swift build -c release --package-path Benchmarks
bin=$(swift build -c release --package-path Benchmarks --show-bin-path)/parquet-write-bench

compare() {
    local label=$1
    shift
    echo "== head-to-head with pyarrow, $label"
    "$@" "$PYTHON" Benchmarks/compare_pyarrow.py --bench-bin "$bin" --rows "$ROWS" --runs "$RUNS" \
        --workdir "$OUT" --label "$label" --json "$results" | tee -a "$OUT/comparison.md"
}

: >"$OUT/comparison.md"
if command -v taskset >/dev/null 2>&1; then
    compare "pinned to CPU 0 (taskset -c 0)" taskset -c 0
else
    echo "run.sh: taskset not found (util-linux); skipping the pinned run" >&2
fi
if [[ ${BENCH_UNPINNED:-1} != 0 ]]; then
    compare "unpinned ($(nproc) CPUs)" env
fi
rm -f "$OUT/logs_uncompressed.parquet"

if [[ ${BENCH_SUITE:-1} != 0 ]]; then
    echo "== encoding suite (ordo-one/benchmark)"
    # Checking allocations against Benchmarks/Thresholds: see Benchmarks/README.md.
    swift package --package-path Benchmarks benchmark --no-progress
fi
echo "== tables: $OUT/convert.md, $OUT/comparison.md; rows: $OUT/convert_results.jsonl, $results"
