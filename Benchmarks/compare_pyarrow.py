#!/usr/bin/env python3
"""Head-to-head: laketap's Parquet writer (parquet-write-bench) against pyarrow.

Runs the Swift tool as a child process (it inherits this process's CPU affinity, so
`taskset -c 0 python compare_pyarrow.py ...` pins both), reads the uncompressed file it wrote
with pyarrow, times pq.write_table into a BufferOutputStream for the same codecs in this
process, and prints one table. Both throughputs use the same denominator: pyarrow's
table.nbytes of that table. Times are medians of --runs runs of writing the in-memory table
(generation and reading are not timed).

    python compare_pyarrow.py --bench-bin .build/release/parquet-write-bench --label pinned
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import pyarrow as pa
import pyarrow.parquet as pq

CODECS = ["snappy", "zstd:1", "zstd:3", "gzip:6", "lz4_raw", "uncompressed"]
# Our spelling -> pyarrow's (compression, compression_level). pyarrow's "lz4" writes LZ4_RAW.
PYARROW = {
    "snappy": ("snappy", None),
    "zstd:1": ("zstd", 1),
    "zstd:3": ("zstd", 3),
    "gzip:6": ("gzip", 6),
    "lz4_raw": ("lz4", None),
    "uncompressed": ("none", None),
}
ROW_GROUP_ROWS = 1_048_576


def run_swift(binary, rows, runs, out_path, codecs):
    cmd = [binary, "--rows", str(rows), "--runs", str(runs), "--out", out_path, "--codecs", ",".join(codecs)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    lines = []
    for line in proc.stdout:
        print("  swift: " + line.rstrip(), file=sys.stderr, flush=True)
        lines.append(json.loads(line))
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        sys.exit(f"{' '.join(cmd)} failed with status {status}")
    results = {r["codec"]: r for r in lines if "codec" in r}
    done = next(r for r in lines if r.get("event") == "done")
    # ru_maxrss of the child from wait4 (KiB on Linux); the tool's own getrusage agrees.
    return results, max(done["peak_rss_bytes"], usage.ru_maxrss * 1024)


def time_pyarrow(table, codec, runs):
    compression, level = PYARROW[codec]
    times, size = [], 0
    for _ in range(runs):
        sink = pa.BufferOutputStream()
        start = time.perf_counter()
        pq.write_table(
            table, sink, compression=compression, compression_level=level,
            use_dictionary=True, row_group_size=ROW_GROUP_ROWS, write_page_index=True,
        )
        buffer = sink.getvalue()
        times.append(time.perf_counter() - start)
        size = buffer.size
    return statistics.median(times), size


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench-bin", required=True, help="path of parquet-write-bench (release build)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--codecs", default=",".join(CODECS))
    parser.add_argument("--workdir", default=None, help="where the uncompressed file goes (default: a temp dir)")
    parser.add_argument("--label", default="", help="printed in the table title, e.g. pinned")
    parser.add_argument("--json", default=None, help="also append the rows as JSON lines to this file")
    args = parser.parse_args()
    codecs = args.codecs.split(",")

    workdir = args.workdir or tempfile.mkdtemp(prefix="laketap-bench-")
    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(workdir, "logs_uncompressed.parquet")
    cpus = sorted(os.sched_getaffinity(0))

    ours, our_rss = run_swift(args.bench_bin, args.rows, args.runs, path, codecs)

    table = pq.read_table(path)
    assert table.num_rows == args.rows, (table.num_rows, args.rows)
    denominator = table.nbytes
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    rows = []
    for codec in codecs:
        seconds, size = time_pyarrow(table, codec, args.runs)
        print(f"  pyarrow: {codec} {seconds:.3f} s {size} bytes", file=sys.stderr, flush=True)
        ours_s = ours[codec]["seconds"]
        rows.append({
            "label": args.label, "codec": codec, "rows": args.rows, "table_nbytes": denominator,
            "ours_s": ours_s, "pyarrow_s": seconds,
            "ours_mb_s": denominator / 1e6 / ours_s, "pyarrow_mb_s": denominator / 1e6 / seconds,
            "ours_bytes": ours[codec]["bytes"], "pyarrow_bytes": size,
        })
    pyarrow_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    print()
    print(f"## laketap vs pyarrow {pa.__version__}: {args.rows:,} log rows, pyarrow table.nbytes = "
          f"{denominator / 1e6:.1f} MB, median of {args.runs}, {args.label or 'unlabelled'} (CPUs {cpus})")
    print()
    print("| codec | ours MB/s | pyarrow MB/s | ours/pyarrow | ours s | pyarrow s | ours MB | pyarrow MB |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    for r in rows:
        print(f"| {r['codec']} | {r['ours_mb_s']:.0f} | {r['pyarrow_mb_s']:.0f} | "
              f"{r['ours_mb_s'] / r['pyarrow_mb_s']:.2f} | {r['ours_s']:.3f} | {r['pyarrow_s']:.3f} | "
              f"{r['ours_bytes'] / 1e6:.1f} | {r['pyarrow_bytes'] / 1e6:.1f} |")
    print()
    print(f"peak RSS: parquet-write-bench {our_rss / 2**20:.0f} MiB (holds the generated table too); "
          f"pyarrow process {pyarrow_rss / 2**20:.0f} MiB ({rss_before / 2**20:.0f} MiB after reading the table)")
    print()
    if args.json:
        with open(args.json, "a") as f:
            for r in rows:
                f.write(json.dumps({**r, "ours_peak_rss": our_rss, "pyarrow_peak_rss": pyarrow_rss, "cpus": cpus}) + "\n")


if __name__ == "__main__":
    main()
