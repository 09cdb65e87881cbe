#!/usr/bin/env python3
"""`laketap convert` against the NDJSON -> Parquet peers of ../shared/bench/ANCHORS.md.

    python Benchmarks/convert_bench.py                      # full: 1 GB logs, 500 MB events
    python Benchmarks/convert_bench.py --size small         # 200 MB logs, 100 MB events
    python Benchmarks/convert_bench.py peer TOOL CODEC THREADS IN OUT   # one peer conversion

Generates the two workloads once into a cache dir (`laketap gen` when the binary has it, else
../shared/bench/gen_events.py; reused while the size, seed and generator match), then, in one run,
converts each file with every tool as a whole process, pinned to one core (`taskset -c 0`, the
peers at their "1 thread" setting) and on two cores (`taskset -c 0,1`, peers at 2 threads):

  laketap         .build/release/laketap convert IN -o OUT --compression zstd:3 -q
  duckdb          COPY (SELECT * FROM read_json(IN, format='newline_delimited')) TO OUT (FORMAT parquet, COMPRESSION zstd)
  pyarrow         pyarrow.json.read_json -> pyarrow.parquet.write_table(compression='zstd')
  pyarrow-stream  pyarrow.json.open_json(block_size=16 MiB) -> ParquetWriter(compression='zstd')
  polars          polars.scan_ndjson(infer_schema_length=None).sink_parquet(compression='zstd')
  polars-read     polars.read_ndjson(infer_schema_length=None).write_parquet (not run by default)

The peer commands are those of ../shared/bench/convert.py (run as that script when it is there, else
as this script's `peer` subcommand, a copy of its logic). Timing as in anchors.py: os.wait4 around
each child (wall from a monotonic clock, CPU = user + sys, peak RSS = ru_maxrss). The runs are
interleaved (run 1 of every tool, then run 2, ...) so that load from other processes spreads over
all tools; medians are reported, with the share of the machine other processes used meanwhile.

Every output is checked: DuckDB's count(*) equals the input's line count; laketap's file also by
pyarrow's footer and polars, and its column types by DuckDB DESCRIBE (time/tstamp must be
TIMESTAMP WITH TIME ZONE; no value may have gone to the _extra overflow column).

Prints one markdown table per workload x cores and the ratio of laketap to the best peer against
the targets (>= 2.0x on one core, >= 1.7x on two, peak RSS <= 256 MiB, output <= DuckDB's);
appends JSON lines to bench-out/convert_results.jsonl.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench"))

SIZES = {  # workload -> (file size passed to the generator) per mode
    "full": {"logs": "1G", "events": "500M"},
    "small": {"logs": "200M", "events": "100M"},
}
SEED = 42
PEERS = ["duckdb", "pyarrow", "pyarrow-stream", "polars"]
ALL_TOOLS = ["laketap"] + PEERS + ["polars-read"]
# our name -> convert.py's name
CONVERT_PY_NAME = {"polars": "polars-sink"}
CORES = {1: "0", 2: "0,1"}
TARGET_SPEEDUP = {1: 2.0, 2: 1.7}
TARGET_RSS_MIB = 256
TIME_COLUMNS = {"logs": "time", "events": "tstamp"}


# ------------------------------------------------------------------ peer conversion (copy of convert.py)

def peer_main(argv):
    """Same code as ../shared/bench/convert.py: one conversion, as a user would write it."""
    tool, codec, threads, src, dst = argv[:5]
    tool = CONVERT_PY_NAME.get(tool, tool)
    n = int(threads)
    t0 = time.perf_counter()
    if tool in ("pyarrow", "pyarrow-stream"):
        import pyarrow as pa
        import pyarrow.json as pj
        import pyarrow.parquet as pq
        pa.set_cpu_count(n)
        pa.set_io_thread_count(n)
        if tool == "pyarrow":
            table = pj.read_json(src)
            pq.write_table(table, dst, compression=codec)
            rows = table.num_rows
        else:
            reader = pj.open_json(src, read_options=pj.ReadOptions(block_size=16 << 20))
            rows = 0
            with pq.ParquetWriter(dst, reader.schema, compression=codec) as w:
                for batch in reader:
                    w.write_batch(batch)
                    rows += batch.num_rows
    elif tool == "duckdb":
        import duckdb
        con = duckdb.connect(config={"threads": n})
        con.execute(
            "COPY (SELECT * FROM read_json(?, format='newline_delimited')) "
            "TO '%s' (FORMAT parquet, COMPRESSION %s)" % (dst.replace("'", "''"), codec),
            [src])
        rows = con.execute("SELECT count(*) FROM read_parquet(?)", [dst]).fetchone()[0]
    elif tool in ("polars-read", "polars-sink"):
        os.environ["POLARS_MAX_THREADS"] = str(n)
        import polars as pl
        if pl.thread_pool_size() != n:
            raise SystemExit("polars thread pool is %d, wanted %d" % (pl.thread_pool_size(), n))
        if tool == "polars-read":
            df = pl.read_ndjson(src, infer_schema_length=None)
            df.write_parquet(dst, compression=codec)
            rows = df.height
        else:
            pl.scan_ndjson(src, infer_schema_length=None).sink_parquet(dst, compression=codec)
            rows = -1
    else:
        raise SystemExit("unknown tool " + tool)
    print("%s %s t%d rows=%d py_seconds=%.2f" % (tool, codec, n, rows, time.perf_counter() - t0))


# ------------------------------------------------------------------ workloads

def count_lines(path):
    n = 0
    last = b"\n"
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 24)
            if not b:
                break
            n += b.count(b"\n")
            last = b[-1:]
    return n + (0 if last == b"\n" else 1)


def has_gen(laketap):
    try:
        return subprocess.run([laketap, "gen", "--help"], capture_output=True).returncode == 0
    except OSError:
        return False


def ensure_workload(a, workload, size):
    """The cached file for (workload, size, seed): generated once, reused while its metadata matches."""
    os.makedirs(a.data, exist_ok=True)
    path = os.path.join(a.data, "%s_%s_seed%d.ndjson" % (workload, size.lower(), SEED))
    meta_path = path + ".meta.json"
    if os.path.exists(path) and os.path.exists(meta_path):
        meta = json.load(open(meta_path))
        if (meta.get("workload"), meta.get("size"), meta.get("seed")) == (workload, size, SEED) \
                and meta.get("bytes") == os.path.getsize(path):
            meta["reused"] = True
            return path, meta
    if has_gen(a.laketap):
        generator = "laketap gen"
        argv = [a.laketap, "gen", workload, "--seed", str(SEED), "--bytes", size, "-o", path + ".part"]
    else:
        script = os.path.join(SHARED, "gen_events.py")
        if not os.path.exists(script):
            sys.exit("convert_bench: %s has no 'gen' and %s is missing" % (a.laketap, script))
        generator = "gen_events.py"
        argv = [sys.executable, script, workload, "--seed", str(SEED), "--bytes", size, "-o", path + ".part"]
    print("== generate %s %s with %s: %s" % (workload, size, generator, " ".join(argv)), flush=True)
    t0 = time.monotonic()
    subprocess.run(argv, check=True)
    os.replace(path + ".part", path)
    meta = {"workload": workload, "size": size, "seed": SEED, "generator": generator, "argv": argv,
            "bytes": os.path.getsize(path), "lines": count_lines(path),
            "seconds": round(time.monotonic() - t0, 1)}
    with open(meta_path, "w") as f:
        json.dump(meta, f)
    meta["reused"] = False
    return path, meta


# ------------------------------------------------------------------ timing

def _busy_jiffies():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v[:8]) - (v[3] + v[4])


def run_once(argv, env=None):
    """One whole-process run: wall (monotonic), CPU (user+sys), peak RSS (ru_maxrss) via os.wait4."""
    hz = os.sysconf("SC_CLK_TCK")
    b0 = _busy_jiffies()
    start = time.monotonic()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - start
    b1 = _busy_jiffies()
    p.stdout.close()
    code = os.waitstatus_to_exitcode(status)
    cpu = ru.ru_utime + ru.ru_stime
    foreign = max(0.0, (b1 - b0) / hz - cpu)
    return {"wall": wall, "cpu": cpu, "user": ru.ru_utime, "sys": ru.ru_stime, "peak_mib": ru.ru_maxrss / 1024.0,
            "noise_cores": foreign / wall if wall > 0 else 0.0, "exit": code,
            "output": out.decode(errors="replace")[-2000:]}


def command(a, tool, cores, src, dst):
    pin = ["taskset", "-c", CORES[cores]]
    if tool == "laketap":
        return pin + [a.laketap, "convert", src, "-o", dst, "--compression", "zstd:3", "-q"]
    script = a.peer_script
    if script.endswith("convert.py"):
        return pin + [a.python, script, CONVERT_PY_NAME.get(tool, tool), "zstd", str(cores), src, dst]
    return pin + [a.python, script, "peer", tool, "zstd", str(cores), src, dst]


# ------------------------------------------------------------------ verification

VERIFY_SNIPPET = r"""
import duckdb, json, sys
path, time_col, ours = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
con = duckdb.connect(config={"threads": 2})
res = {"duckdb_rows": con.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()[0]}
cols = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()
res["types"] = {c[0]: c[1] for c in cols}
if ours:
    import pyarrow.parquet as pq, polars as pl
    md = pq.read_metadata(path)
    res["pyarrow_rows"] = md.num_rows
    res["leaf_columns"] = md.num_columns
    res["row_groups"] = md.num_row_groups
    res["polars_rows"] = pl.scan_parquet(path).select(pl.len()).collect().item()
    if "_extra" in res["types"]:
        res["extra_nonnull"] = con.execute(
            "SELECT count(_extra) FROM read_parquet(?)", [path]).fetchone()[0]
    res["time_min_max"] = [str(x) for x in con.execute(
        'SELECT min("%s"), max("%s") FROM read_parquet(?)' % (time_col, time_col), [path]).fetchone()]
print(json.dumps(res))
"""


def verify(a, tool, workload, path, expected_rows):
    out = subprocess.run([a.python, "-c", VERIFY_SNIPPET, path, TIME_COLUMNS[workload], "1" if tool == "laketap" else "0"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return {"ok": False, "problems": ["verify failed: " + out.stderr.strip()[-500:]]}
    v = json.loads(out.stdout)
    problems = []
    for reader in ("duckdb_rows", "pyarrow_rows", "polars_rows"):
        if reader in v and v[reader] != expected_rows:
            problems.append("%s %d != %d lines" % (reader, v[reader], expected_rows))
    if tool == "laketap":
        t = v["types"].get(TIME_COLUMNS[workload])
        if t != "TIMESTAMP WITH TIME ZONE":
            problems.append("%s is %s, not TIMESTAMP WITH TIME ZONE" % (TIME_COLUMNS[workload], t))
        if v.get("extra_nonnull"):
            problems.append("%d values in _extra" % v["extra_nonnull"])
    v["ok"] = not problems
    v["problems"] = problems
    return v


def compare_types(ours, duck):
    """Top-level columns whose DuckDB type differs between laketap's file and DuckDB's own output."""
    diffs = []
    for name in sorted(set(ours) | set(duck)):
        if ours.get(name) != duck.get(name):
            diffs.append((name, ours.get(name), duck.get(name)))
    return diffs


# ------------------------------------------------------------------ main

def fmt_ratio(x):
    return "%.2f×" % x if x is not None else "–"


def report(a, workload, cores, meta, rows, checks, peer_script_used, res_file):
    in_bytes, lines = meta["bytes"], meta["lines"]
    med = {}
    for tool, samples in rows.items():
        ok = [s for s in samples if s["exit"] in (0,)]
        if not ok:
            continue
        m = {k: statistics.median(s[k] for s in ok) for k in ("wall", "cpu", "peak_mib", "noise_cores")}
        m["peak_mib_max"] = max(s["peak_mib"] for s in ok)
        m["walls"] = [round(s["wall"], 3) for s in ok]
        m["out_bytes"] = checks.get(tool, {}).get("out_bytes")
        med[tool] = m
    peers = [t for t in med if t != "laketap" and t in PEERS + ["polars-read"]]
    best = min(peers, key=lambda t: med[t]["wall"]) if peers else None
    print()
    print("### %s (%.0f MB, %s lines, %s) — %s, zstd, median of %d" % (
        workload, in_bytes / 1e6, format(lines, ","), meta["generator"],
        "one core (taskset -c 0, peers 1 thread)" if cores == 1 else "two cores (taskset -c 0,1, peers 2 threads)",
        a.runs))
    print()
    # On one core the CPU seconds of a pinned process are close to its wall time on a quiet machine and
    # hardly move with other load (which only stretches the wall time): a second, noise-robust ratio.
    best_cpu = min(peers, key=lambda t: med[t]["cpu"]) if peers and cores == 1 else None
    print("| tool | wall s | min–max | cpu s | MB/s | k rec/s | peak RSS MiB | output MB | rows ok | vs best peer | %sother load |"
          % ("vs best peer (cpu s) | " if best_cpu else ""))
    print("|---|--:|--:|--:|--:|--:|--:|--:|---|--:|%s--:|" % ("--:|" if best_cpu else ""))
    for tool in [t for t in ALL_TOOLS if t in rows]:
        if tool not in med:
            print("| %s | FAILED (exit %s) |%s" % (tool, rows[tool][-1]["exit"], " |" * (10 if best_cpu else 9)))
            continue
        m = med[tool]
        c = checks.get(tool, {})
        ratio = med[best]["wall"] / m["wall"] if best else None
        cpu_ratio = med[best_cpu]["cpu"] / m["cpu"] if best_cpu else None
        print("| %s%s | %.2f | %.2f–%.2f | %.2f | %.0f | %.0f | %.0f | %.1f | %s | %s | %s%.2f |" % (
            "**laketap**" if tool == "laketap" else tool, " (best peer)" if tool == best else "",
            m["wall"], min(m["walls"]), max(m["walls"]), m["cpu"], in_bytes / 1e6 / m["wall"],
            lines / m["wall"] / 1e3, m["peak_mib"], (m["out_bytes"] or 0) / 1e6,
            "yes" if c.get("ok") else "NO: " + "; ".join(c.get("problems", ["not checked"])),
            fmt_ratio(ratio), fmt_ratio(cpu_ratio) + " | " if best_cpu else "", m["noise_cores"]))
        res_file.write(json.dumps({
            "kind": "tool", "size": a.size, "workload": workload, "cores": cores, "tool": tool,
            "in_bytes": in_bytes, "in_rows": lines, "generator": meta["generator"], "runs": a.runs,
            **{k: m[k] for k in ("wall", "cpu", "peak_mib", "peak_mib_max", "noise_cores", "walls", "out_bytes")},
            "mb_s": in_bytes / 1e6 / m["wall"], "krec_s": lines / m["wall"] / 1e3,
            "rows_ok": c.get("ok"), "problems": c.get("problems"), "vs_best_peer": ratio, "vs_best_peer_cpu": cpu_ratio,
            "peer_script": peer_script_used if tool != "laketap" else None,
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}) + "\n")
    summary = {"kind": "summary", "size": a.size, "workload": workload, "cores": cores, "best_peer": best,
               "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    if "laketap" in med and best:
        ours = med["laketap"]
        speed = med[best]["wall"] / ours["wall"]
        target = TARGET_SPEEDUP[cores]
        duck_out = med.get("duckdb", {}).get("out_bytes")
        checks_line = [
            ("speed ≥ %.1f× best peer (%s)" % (target, best), speed >= target, fmt_ratio(speed)),
            ("peak RSS ≤ %d MiB" % TARGET_RSS_MIB, ours["peak_mib_max"] <= TARGET_RSS_MIB, "%.0f MiB" % ours["peak_mib_max"]),
        ]
        if duck_out and ours["out_bytes"]:
            checks_line.append(("output ≤ DuckDB's", ours["out_bytes"] <= duck_out,
                                "%.1f vs %.1f MB" % (ours["out_bytes"] / 1e6, duck_out / 1e6)))
        checks_line.append(("rows and types ok", bool(checks.get("laketap", {}).get("ok")),
                            "yes" if checks.get("laketap", {}).get("ok") else "no"))
        cpu_note = ""
        if best_cpu:
            cpu_speed = med[best_cpu]["cpu"] / ours["cpu"]
            cpu_note = " (by CPU seconds, less sensitive to other load: %s vs %s)" % (fmt_ratio(cpu_speed), best_cpu)
            summary["speedup_cpu"] = cpu_speed
        print()
        print("laketap vs best peer (%s): %s wall, %.0f vs %.0f MB/s%s; other load %.2f cores. Targets: %s" % (
            best, fmt_ratio(speed), in_bytes / 1e6 / ours["wall"], in_bytes / 1e6 / med[best]["wall"], cpu_note,
            statistics.mean(med[t]["noise_cores"] for t in med),
            "; ".join("%s: %s **%s**" % (name, value, "pass" if ok else "FAIL") for name, ok, value in checks_line)))
        summary.update({"speedup": speed, "target": target, "laketap_peak_mib": ours["peak_mib_max"],
                        "laketap_out_bytes": ours["out_bytes"], "duckdb_out_bytes": duck_out,
                        "pass": {name: ok for name, ok, _ in checks_line}})
    res_file.write(json.dumps(summary) + "\n")
    res_file.flush()


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "peer":
        return peer_main(sys.argv[2:])
    env = os.environ.get
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=sorted(SIZES), default=env("BENCH_CONVERT_SIZE", "full"))
    ap.add_argument("--runs", type=int, default=int(env("BENCH_CONVERT_RUNS", "3")))
    ap.add_argument("--tools", default=env("BENCH_CONVERT_TOOLS", ",".join(["laketap"] + PEERS)),
                    help="comma-separated, from: " + ",".join(ALL_TOOLS))
    ap.add_argument("--workloads", default=env("BENCH_CONVERT_WORKLOADS", "logs,events"))
    ap.add_argument("--cores", default=env("BENCH_CONVERT_CORES", "1,2"), help="1 (pinned to CPU 0), 2, or both")
    ap.add_argument("--laketap", default=os.path.join(ROOT, ".build", "release", "laketap"))
    ap.add_argument("--python", default=env("PYTHON", os.path.join(ROOT, ".venv", "bin", "python")))
    ap.add_argument("--peer-script", default=None,
                    help="peer conversion script (default: ../shared/bench/convert.py if present, else this script)")
    ap.add_argument("--out", default=env("BENCH_OUT", os.path.join(ROOT, "bench-out")))
    ap.add_argument("--data", default=None, help="workload cache (default: OUT/data)")
    ap.add_argument("--keep-outputs", action="store_true", help="keep the Parquet files (default: removed at the end)")
    a = ap.parse_args()
    a.data = a.data or env("BENCH_CONVERT_DATA") or os.path.join(a.out, "data")
    tools = a.tools.split(",")
    for t in tools:
        if t not in ALL_TOOLS:
            sys.exit("convert_bench: unknown tool %r" % t)
    cores_list = [int(c) for c in a.cores.split(",")]
    if a.peer_script is None:
        shared = os.path.join(SHARED, "convert.py")
        a.peer_script = shared if os.path.exists(shared) else os.path.abspath(__file__)
    if not os.path.exists(a.laketap):
        print("== build laketap (release)", flush=True)
        subprocess.run(["swift", "build", "-c", "release", "--product", "laketap"], cwd=ROOT, check=True)
    if not os.access(a.python, os.X_OK):
        sys.exit("convert_bench: %s is missing (make deps)" % a.python)
    if (os.cpu_count() or 1) < max(cores_list):
        sys.exit("convert_bench: needs %d CPUs" % max(cores_list))

    t_start = time.monotonic()
    outdir = os.path.join(a.out, "convert-out")
    os.makedirs(outdir, exist_ok=True)
    res_path = os.path.join(a.out, "convert_results.jsonl")
    versions = subprocess.run([a.python, "-c", "import pyarrow, duckdb, polars, sys; print('pyarrow %s, duckdb %s, polars %s, python %s' % "
                               "(pyarrow.__version__, duckdb.__version__, polars.__version__, sys.version.split()[0]))"],
                              capture_output=True, text=True).stdout.strip()
    print("## laketap convert vs peers (%s mode, %d runs each, interleaved in rotating order, input read into the page "
          "cache before each run; peers: %s; %s)" % (
        a.size, a.runs, os.path.relpath(a.peer_script, ROOT), versions), flush=True)
    with open(res_path, "a") as res_file:
        for workload in a.workloads.split(","):
            src, meta = ensure_workload(a, workload, SIZES[a.size][workload])
            print("== %s: %s (%d bytes, %d lines, %s%s)" % (workload, src, meta["bytes"], meta["lines"], meta["generator"],
                                                          ", cached" if meta["reused"] else ""), flush=True)
            for cores in cores_list:
                rows = {t: [] for t in tools}
                for run in range(a.runs):
                    # Each round starts with another tool, so none is always the one after the slowest.
                    for tool in tools[run % len(tools):] + tools[:run % len(tools)]:
                        dst = os.path.join(outdir, "%s_%s_c%d.parquet" % (workload, tool, cores))
                        if os.path.exists(dst):
                            os.unlink(dst)
                        # Into the page cache before every run, untimed: this VM's balloon evicts cached
                        # files within minutes, and a run that read half its input from the disk measured
                        # the disk.
                        subprocess.run(["cat", src], stdout=subprocess.DEVNULL, check=True)
                        s = run_once(command(a, tool, cores, src, dst))
                        rows[tool].append(s)
                        print("  %s/%s/c%d run %d: wall %.2fs cpu %.2fs peak %.0f MiB exit %d other %.2f" % (
                            workload, tool, cores, run + 1, s["wall"], s["cpu"], s["peak_mib"], s["exit"],
                            s["noise_cores"]), flush=True)
                        if s["exit"] != 0:
                            print("    " + s["output"].strip().replace("\n", "\n    "), flush=True)
                checks = {}
                for tool in tools:
                    dst = os.path.join(outdir, "%s_%s_c%d.parquet" % (workload, tool, cores))
                    if os.path.exists(dst) and rows[tool][-1]["exit"] == 0:
                        checks[tool] = verify(a, tool, workload, dst, meta["lines"])
                        checks[tool]["out_bytes"] = os.path.getsize(dst)
                report(a, workload, cores, meta, rows, checks, os.path.relpath(a.peer_script, ROOT), res_file)
                if "laketap" in checks and "duckdb" in checks and "types" in checks["laketap"]:
                    diffs = compare_types(checks["laketap"]["types"], checks["duckdb"].get("types", {}))
                    print()
                    print("laketap columns (DuckDB DESCRIBE): %d top-level, %s leaves, %s row groups; %s = %s (min/max %s)" % (
                        len(checks["laketap"]["types"]), checks["laketap"].get("leaf_columns"),
                        checks["laketap"].get("row_groups"), TIME_COLUMNS[workload],
                        checks["laketap"]["types"].get(TIME_COLUMNS[workload]),
                        " / ".join(checks["laketap"].get("time_min_max", []))))
                    if diffs:
                        print("types that differ from DuckDB's own conversion (column: laketap | duckdb):")
                        for name, ours, duck in diffs:
                            print("  - %s: %s | %s" % (name, ours, duck))
                    else:
                        print("same top-level column types as DuckDB's own conversion")
                sys.stdout.flush()
    if not a.keep_outputs:
        for f in os.listdir(outdir):
            if f.endswith(".parquet"):
                os.unlink(os.path.join(outdir, f))
    print()
    print("convert stage: %.0f s; results appended to %s" % (time.monotonic() - t_start, res_path))


if __name__ == "__main__":
    main()
