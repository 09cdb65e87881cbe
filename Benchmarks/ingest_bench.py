#!/usr/bin/env python3
"""Ingest benchmark: `laketap gen` posting the bench workloads to `laketap serve` over HTTP, with
fsync'ed acknowledgements, next to `laketap convert` on the same data (same generator, seed, size).

    python Benchmarks/ingest_bench.py [--size small|full] [--workloads logs,events]

For each workload:
  1. convert: `laketap convert FILE -o OUT --compression zstd:3` on the cached file (both cores).
  2. full load: a fresh `laketap serve` (defaults: fsync, zstd:3); `laketap gen W --url … --replay
     FILE --stats` posts the same file as fast as it can (batches of 1000, 8 in flight). Sustained MB/s and records/s are the
     acknowledged bytes over the whole run; then SIGTERM, and the time until everything has landed
     is reported too (drain). Peak RSS of the server from /proc/PID/status (VmHWM). DuckDB counts
     the rows of the lake: they must equal the records sent.
  3. half load: a fresh server, `--rate` at half the full-load records/s for ~20 s (the file's lines
     again from the start when it runs out): p50/p99
     acknowledgement latency as the client sees it, and as the server measures it (its
     laketap_http_request_duration_seconds histogram: request start to response, interpolated within
     buckets, plus the exact share answered within 25 ms). The client (`laketap gen --replay`,
     on AsyncHTTPClient, sharing the two cores) adds latency of its own: when
     the two differ, the server-side figure is the server's.
Each step runs --runs times (default 3, BENCH_INGEST_RUNS) and the median is reported; the half-load
server p99 of every run is listed too, and RSS is the highest of the half-load runs.
Targets (issue 5): ingest ≥ 70% of convert's throughput; p99 ≤ 25 ms at half load. "landed MB/s" is the
end-to-end rate (posting plus draining everything into the lake): what a producer could keep up
indefinitely, where the acknowledged rate holds only while the disk buffer absorbs the difference.
The generator runs on the same 2-core machine as the server, so it takes CPU from it (as wrk would).
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import convert_bench  # noqa: E402

SIZES = {"full": {"logs": "1G", "events": "500M"}, "small": {"logs": "200M", "events": "100M"}}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVER_SETTINGS = []


def start_server(laketap, work):
    port = free_port()
    log = open(os.path.join(work, "serve-%d.log" % port), "ab")
    p = subprocess.Popen([laketap, "serve", "--port", str(port), "--data-dir", os.path.join(work, "data"),
                          "--lake", os.path.join(work, "lake"), "--set", "log.level=warning"]
                         + [x for setting in SERVER_SETTINGS for x in ("--set", setting)],
                         stdout=log, stderr=subprocess.STDOUT)
    url = "http://127.0.0.1:%d" % port
    for _ in range(600):
        try:
            if urllib.request.urlopen(url + "/readyz", timeout=1).status == 200:
                return p, url
        except OSError:
            time.sleep(0.05)
    raise SystemExit("ingest_bench: server did not start")


def vm_hwm_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def server_latency(url):
    """p50/p99 (ms, interpolated within buckets) and the share of requests answered within 25 ms, from
    the server's own laketap_http_request_duration_seconds histogram of the records route."""
    text = urllib.request.urlopen(url + "/metrics", timeout=10).read().decode()
    buckets = []
    for line in text.splitlines():
        if line.startswith("laketap_http_request_duration_seconds_bucket") and "/records" in line:
            le = line.split('le="')[1].split('"')[0]
            buckets.append((float("inf") if le == "+Inf" else float(le), float(line.split()[-1])))
    buckets.sort()
    total = buckets[-1][1] if buckets else 0
    if not total:
        return {}

    def quantile(q):
        rank, previous_bound, previous_count = q * total, 0.0, 0.0
        for bound, count in buckets:
            if count >= rank:
                if bound == float("inf"):
                    return previous_bound * 1000
                share = (rank - previous_count) / max(count - previous_count, 1e-9)
                return (previous_bound + (bound - previous_bound) * share) * 1000
            previous_bound, previous_count = bound, count
        return float("nan")

    within = next((count for bound, count in buckets if abs(bound - 0.025) < 1e-9), float("nan"))
    return {"server_p50_ms": round(quantile(0.5), 1), "server_p99_ms": round(quantile(0.99), 1),
            "server_share_within_25ms": round(within / total, 4), "server_requests": int(total)}


def parse_report(text):
    out = {}
    m = re.search(r"latency p50 ([\d.]+) ms, p99 ([\d.]+) ms", text)
    if m:
        out["p50_ms"], out["p99_ms"] = float(m.group(1)), float(m.group(2))
    m = re.search(r"(\d+) records/s, ([\d.]+) MB/s over ([\d.]+) s", text)
    if m:
        out["records_per_s"], out["mb_per_s"], out["seconds"] = int(m.group(1)), float(m.group(2)), float(m.group(3))
    m = re.search(r"records sent: (\d+) \(failed: (\d+)\)", text)
    if m:
        out["records"], out["failed"] = int(m.group(1)), int(m.group(2))
    m = re.search(r"HTTP statuses: ([^,]*),", text)
    if m:
        out["statuses"] = m.group(1)
    return out


def gen(laketap, workload, size, url, rate=None, count=None, replay=None):
    argv = [laketap, "gen", workload, "--seed", str(convert_bench.SEED), "--url",
            url + "/v1/streams/%s/records" % workload, "--batch", "1000", "--in-flight", "8", "--stats"]
    if replay:
        # The cached workload file (the one convert reads): the client posts it instead of generating
        # records, which would take a whole core for the events workload.
        argv += ["--replay", replay]
    argv += ["--count", str(count)] if count else ["--bytes", size]
    if rate:
        argv += ["--rate", str(rate)]
    r = subprocess.run(argv, capture_output=True, text=True)
    report = parse_report(r.stdout + r.stderr)
    report["exit"] = r.returncode
    if r.returncode != 0:
        print(r.stdout[-2000:], r.stderr[-2000:])
    return report


def median(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def lake_rows(python, lake):
    code = ("import duckdb,sys; print(duckdb.sql(\"select count(*) from read_parquet('%s/**/*.parquet')\")"
            ".fetchall()[0][0])" % lake)
    r = subprocess.run([python, "-c", code], capture_output=True, text=True)
    return int(r.stdout.strip() or -1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=sorted(SIZES), default=os.environ.get("BENCH_INGEST_SIZE", "full"))
    ap.add_argument("--workloads", default="logs,events")
    ap.add_argument("--laketap", default=os.path.join(ROOT, ".build", "release", "laketap"))
    ap.add_argument("--python", default=os.environ.get("PYTHON", os.path.join(ROOT, ".venv", "bin", "python")))
    ap.add_argument("--out", default=os.environ.get("BENCH_OUT", os.path.join(ROOT, "bench-out")))
    ap.add_argument("--half-seconds", type=float, default=20.0)
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_INGEST_RUNS", "3")),
                    help="runs of each measurement; the median is reported")
    ap.add_argument("--set", action="append", default=[], help="KEY=VALUE passed to laketap serve")
    ap.add_argument("--skip-full", type=float, default=None,
                    help="skip the full-load run and use this records/s as the full rate")
    a = ap.parse_args()
    SERVER_SETTINGS.extend(a.set)
    a.data = os.environ.get("BENCH_CONVERT_DATA") or os.path.join(a.out, "data")
    results = []
    print("## laketap serve ingest vs laketap convert (%s)" % a.size, flush=True)
    for workload in a.workloads.split(","):
        size = SIZES[a.size][workload]
        src, meta = convert_bench.ensure_workload(a, workload, size)
        work = tempfile.mkdtemp(prefix="ingest-", dir=a.out)
        try:
            dst = os.path.join(work, "convert.parquet")
            # Every figure is the median of --runs runs: on a shared 2-core machine one run can be off by 30%.
            converts = [convert_bench.run_once([a.laketap, "convert", src, "-o", dst, "--compression", "zstd:3", "-q"])
                        for _ in range(a.runs)]
            convert_mbs = median([meta["bytes"] / 1e6 / c["wall"] for c in converts])

            if a.skip_full:
                full, drain, rows = {"records_per_s": a.skip_full * 2}, float("nan"), -1
            else:
                fulls, drains, rows = [], [], None
                for _ in range(a.runs):
                    shutil.rmtree(os.path.join(work, "data"), ignore_errors=True)
                    shutil.rmtree(os.path.join(work, "lake"), ignore_errors=True)
                    server, url = start_server(a.laketap, work)
                    t0 = time.monotonic()
                    fulls.append(gen(a.laketap, workload, size, url, replay=src))
                    server.send_signal(signal.SIGTERM)
                    server.wait(timeout=600)
                    drains.append(time.monotonic() - t0)
                    counted = lake_rows(a.python, os.path.join(work, "lake"))
                    rows = counted if rows in (None, counted) else -1  # -1: the runs disagree
                full = dict(fulls[0])
                for key in ("mb_per_s", "records_per_s", "p99_ms"):
                    full[key] = median([f.get(key) for f in fulls])
                full["statuses"] = " ".join(sorted({str(f.get("statuses")) for f in fulls}))
                drain = median(drains)
            rss = None

            halves = []
            for _ in range(a.runs):
                shutil.rmtree(os.path.join(work, "data"), ignore_errors=True)
                shutil.rmtree(os.path.join(work, "lake"), ignore_errors=True)
                server2, url2 = start_server(a.laketap, work)
                rate = max(1, int(full.get("records_per_s", 1000) / 2))
                half = gen(a.laketap, workload, size, url2, rate=rate, count=int(rate * a.half_seconds), replay=src)
                half["rss"] = vm_hwm_mib(server2.pid)
                half.update(server_latency(url2))
                server2.send_signal(signal.SIGTERM)
                server2.wait(timeout=600)
                halves.append(half)
            half = {key: median([h.get(key) for h in halves])
                    for key in ("p50_ms", "p99_ms", "server_p50_ms", "server_p99_ms", "server_share_within_25ms")}
            half["p99_runs_ms"] = [h.get("server_p99_ms") for h in halves]
            rss = max(h["rss"] for h in halves)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        row = {"workload": workload, "bytes": meta["bytes"], "lines": meta["lines"], "convert_mb_s": round(convert_mbs, 1),
               "ingest_mb_s": full.get("mb_per_s"), "ingest_records_s": full.get("records_per_s"),
               "drain_mb_s": round(meta["bytes"] / 1e6 / drain, 1), "rows_in_lake": rows,
               "half_rate_records_s": rate, "half_p50_ms": half.get("p50_ms"), "half_p99_ms": half.get("p99_ms"),
               "full_p99_ms": full.get("p99_ms"), "server_rss_mib_half": round(rss or 0, 1),
               "half_server_p50_ms": half.get("server_p50_ms"), "half_server_p99_ms": half.get("server_p99_ms"),
               "half_server_within_25ms": half.get("server_share_within_25ms"),
               "half_server_p99_runs_ms": half.get("p99_runs_ms"), "runs": a.runs,
               "statuses": full.get("statuses")}
        row["ratio_to_convert"] = round((row["ingest_mb_s"] or 0) / convert_mbs, 2)
        results.append(row)
        print(json.dumps(row), flush=True)
    print()
    print("| workload | convert MB/s | ingest MB/s (acked) | records/s | ratio (target ≥ 0.70) | landed MB/s | "
          "half load: client p50 / p99 | server p50 / p99, share ≤ 25 ms (target p99 ≤ 25 ms) | "
          "RSS (half load) | rows in lake / sent |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print("| %s | %.1f | %s | %s | %.2f | %.1f | %s / %s ms | %s / %s ms, %s | %s MiB | %s / %s |" % (
            r["workload"], r["convert_mb_s"], r["ingest_mb_s"], r["ingest_records_s"], r["ratio_to_convert"],
            r["drain_mb_s"], r["half_p50_ms"], r["half_p99_ms"], r["half_server_p50_ms"], r["half_server_p99_ms"],
            r["half_server_within_25ms"], r["server_rss_mib_half"], r["rows_in_lake"], r["lines"]))
    with open(os.path.join(a.out, "ingest_results.jsonl"), "a") as f:
        for r in results:
            f.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
