"""`laketap serve` end to end on a local lake: the real binary, real HTTP, files read back by pyarrow
and DuckDB and compared record for record."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import duckdb
import pytest

from conftest import gzip_bytes, ndjson, read_lake, request

NAME_PATTERN = re.compile(r"^(?P<stream>[A-Za-z0-9_.-]+)-[0-9a-f]{8}-(\d{6})-(\d{12})-(\d{12})\.parquet$")


def events(first: int, count: int) -> list[dict]:
    names = ["signup", "login", "purchase"]
    return [{"id": i, "name": names[i % 3], "ts": f"2026-11-{20 + (i // 3) % 3:02d}T10:00:{i % 60:02d}Z",
             "user": {"country": "DE" if i % 2 else "FR", "age": 20 + i % 50}, "tags": ["a", "b"][: i % 3],
             "amount": None if i % 5 == 0 else i * 1.5}
            for i in range(first, first + count)]


def lake_files(lake: Path) -> list[Path]:
    return sorted(p for p in lake.rglob("*.parquet") if "_dlq" not in p.parts)


def test_ingest_flush_and_read_back(service_factory, tmp_path):
    svc = service_factory().start()
    sent = events(0, 250)
    r = svc.post("events", ndjson(sent[:100]))
    assert r.status == 200, r.body
    body = r.json()
    assert body["accepted"] == 100 and body["rejected"] == 0
    # A JSON array, then one object, on the short alias and with CRLF line ends.
    r = svc.post("events", json.dumps(sent[100:200]).encode(), {"Content-Type": "application/json"})
    assert r.status == 200 and r.json()["accepted"] == 100, r.body
    r = request("POST", f"{svc.url}/ingest/events", json.dumps(sent[200]).encode(),
                {"Content-Type": "application/json"})
    assert r.status == 200 and r.json()["accepted"] == 1, r.body
    crlf = ndjson(sent[201:]).replace(b"\n", b"\r\n")
    assert svc.post("events", gzip_bytes(crlf), {"Content-Encoding": "gzip"}).json()["accepted"] == 49

    r = svc.flush("events")
    assert r.status == 200, r.body
    assert r.json()["records"] == 250

    lake = Path(svc.lake)
    files = lake_files(lake)
    assert files, "no Parquet file landed"
    for f in files:
        assert NAME_PATTERN.match(f.name), f.name
        assert f.relative_to(lake).parts[0] == "events"
    rows = sorted(read_lake(lake / "events"), key=lambda r: r["id"])
    assert [r["id"] for r in rows] == list(range(250))
    for got, want in zip(rows, sent):
        assert got["name"] == want["name"]
        assert got["user"] == want["user"]
        assert (got["amount"] is None) == (want["amount"] is None)
        if want["amount"] is not None:
            assert got["amount"] == pytest.approx(want["amount"])
    count = duckdb.sql(f"select count(*), count(distinct id) from read_parquet('{lake}/events/**/*.parquet')").fetchall()[0]
    assert count == (250, 250)
    # The time strings became TIMESTAMP columns.
    types = {row[0]: row[1] for row in
             duckdb.sql(f"describe select * from read_parquet('{lake}/events/**/*.parquet')").fetchall()}
    assert types["ts"].startswith("TIMESTAMP"), types
    assert svc.terminate() == 0


def test_partitioned_by_field_and_event_time(service_factory):
    svc = service_factory(settings=["defaults.partition_by=name={name}/date={ts:%Y-%m-%d}",
                                    "defaults.time_field=ts"]).start()
    sent = events(0, 90)
    assert svc.post("clicks", ndjson(sent)).json()["accepted"] == 90
    assert svc.flush("clicks").status == 200
    lake = Path(svc.lake) / "clicks"
    dirs = sorted({str(p.parent.relative_to(lake)) for p in lake_files(lake)})
    assert dirs == sorted({f"name={n}/date=2026-11-{d}" for n in ("signup", "login", "purchase")
                           for d in ("20", "21", "22")})
    rows = duckdb.sql(f"select id, name, strftime(ts, '%Y-%m-%d') as day, date "
                      f"from read_parquet('{lake}/**/*.parquet', hive_partitioning=true) order by id").fetchall()
    assert len(rows) == 90
    for id_, name, day, date in rows:
        assert name == sent[id_]["name"] and str(date) == day


def test_sigterm_flushes_everything_and_exits_zero(service_factory):
    svc = service_factory().start()
    for i in range(5):
        assert svc.post("orders", ndjson(events(i * 20, 20))).status == 200
    assert svc.terminate() == 0
    rows = read_lake(Path(svc.lake) / "orders")
    assert sorted(r["id"] for r in rows) == list(range(100))


def test_acknowledged_records_survive_kill_9(service_factory):
    svc = service_factory().start()
    assert svc.post("orders", ndjson(events(0, 300))).json()["accepted"] == 300
    svc.kill()
    svc.start()
    assert svc.flush("orders").status == 200
    rows = read_lake(Path(svc.lake) / "orders")
    assert sorted(r["id"] for r in rows) == list(range(300))


def test_bad_input_is_rejected_with_reasons_and_lands_in_the_dlq(service_factory):
    svc = service_factory(settings=["server.max_record_bytes=2KiB", "server.max_depth=16",
                                    "server.max_body_bytes=256KiB"]).start()
    good = [{"id": 1, "name": "ok"}, {"id": 2, "name": "fine"}]
    body = b"\n".join([
        json.dumps(good[0]).encode(),
        b'{"id": 3, "name": ',                        # malformed
        b'{"id": 4, "name": "\xff\xfe"}',              # invalid UTF-8
        b'{"id": 5, "blob": "' + b"x" * 4096 + b'"}',  # too large
        b'{"deep": ' + b"[" * 40 + b"]" * 40 + b"}",  # too deep
        json.dumps(good[1]).encode(),
    ]) + b"\n"
    r = svc.post("mixed", body)
    assert r.status == 200, r.body
    result = r.json()
    assert result["accepted"] == 2 and result["rejected"] == 4
    rejected = {e["index"]: e for e in result["errors"]}
    assert sorted(rejected) == [1, 2, 3, 4]
    for e in rejected.values():
        assert e["code"] and e["reason"], e
    assert "utf" in rejected[2]["reason"].lower() or "utf" in rejected[2]["code"].lower()
    assert "large" in rejected[3]["code"] or "large" in rejected[3]["reason"].lower()
    assert "dep" in rejected[4]["code"] or "dep" in rejected[4]["reason"].lower()

    # Whole-request problems: clear status codes, and the server keeps serving.
    assert svc.post("mixed", b"{}", {"Content-Type": "image/png"}).status == 415
    r = svc.post("mixed", b"not gzip at all", {"Content-Encoding": "gzip"})
    assert r.status == 400 and "gzip" in r.body.decode().lower()
    assert svc.post("mixed", b'{"a":"' + b"y" * (300 << 10) + b'"}\n').status == 413
    assert svc.post("bad%20name!", b"{}\n").status in (400, 404)
    assert svc.post("mixed", ndjson([{"id": 6, "name": "after"}])).json()["accepted"] == 1

    assert svc.flush("mixed").status == 200
    lake = Path(svc.lake)
    assert sorted(r["id"] for r in read_lake(lake / "mixed")) == [1, 2, 6]
    dlq = [json.loads(line) for p in sorted((lake / "_dlq" / "mixed").rglob("*.ndjson"))
           for line in p.read_text().splitlines() if line]
    assert len(dlq) == 4, dlq
    for entry in dlq:
        assert entry.get("reason") and entry.get("code"), entry


def test_type_conflicts_are_kept_in_overflow_or_go_to_the_dlq(service_factory, tmp_path):
    schema = tmp_path / "orders.yaml"
    schema.write_text("fields:\n  - {name: id, type: int64, required: true}\n  - {name: total, type: double}\n")
    svc = service_factory(settings=[f"streams.orders.schema={schema}"]).start()
    body = ndjson([{"id": 1, "total": 2.5}, {"id": "two", "total": 1}, {"id": 3, "total": "lots"}, {"id": 4}])
    assert svc.post("orders", body).json()["accepted"] == 4
    assert svc.flush("orders").status == 200
    lake = Path(svc.lake)
    rows = {r["id"]: r for r in read_lake(lake / "orders")}
    assert sorted(rows) == [1, 3, 4]
    # A value that does not fit an optional column is kept whole in the overflow column (decision 0003) ...
    assert rows[3]["total"] is None and json.loads(rows[3]["_extra"]) == {"total": "lots"}
    assert rows[1]["total"] == 2.5 and rows[1]["_extra"] is None
    # ... a required column that cannot be filled rejects the record, to the DLQ with the reason.
    dlq = [json.loads(line) for p in (lake / "_dlq" / "orders").rglob("*.ndjson")
           for line in p.read_text().splitlines() if line]
    assert len(dlq) == 1 and dlq[0]["record"] == {"id": "two", "total": 1}
    assert "id" in dlq[0]["reason"] and dlq[0]["code"]


def test_tokens_are_checked_and_never_logged(service_factory):
    svc = service_factory(settings=["server.tokens=global-secret-1", "streams.secure.tokens=stream-secret-2"]).start()
    rec = ndjson([{"id": 1}])
    assert svc.post("any", rec).status == 401
    assert svc.post("any", rec, {"Authorization": "Bearer nope"}).status == 403
    assert svc.post("any", rec, {"Authorization": "Bearer global-secret-1"}).status == 200
    assert svc.post("secure", rec, {"Authorization": "Bearer stream-secret-2"}).status == 200
    assert svc.post("any", rec, {"Authorization": "Bearer stream-secret-2"}).status == 403
    assert svc.flush("any").status == 401
    assert svc.terminate() == 0
    log = svc.log()
    assert "global-secret-1" not in log and "stream-secret-2" not in log


def test_health_readiness_and_metrics(service_factory):
    svc = service_factory().start()
    assert request("GET", svc.url + "/healthz").status == 200
    assert request("GET", svc.url + "/readyz").status == 200
    svc.post("m", ndjson([{"id": 1}, {"id": 2}]) + b"{oops\n")
    svc.flush("m")
    text = request("GET", svc.url + "/metrics").body.decode()
    for name in ("laketap_records_accepted_total", "laketap_records_rejected_total", "laketap_flushes_total",
                 "laketap_files_written_total", "laketap_buffer_bytes", "laketap_http_requests_total"):
        assert name in text, name
    accepted = [l for l in text.splitlines() if l.startswith("laketap_records_accepted_total") and 'stream="m"' in l]
    assert accepted and float(accepted[0].split()[-1]) == 2


def test_buffer_full_answers_503_with_retry_after(service_factory):
    svc = service_factory(settings=["buffer.disk_budget=64KiB", "defaults.flush_age=1h"]).start()
    statuses = []
    for i in range(40):
        r = svc.post("big", ndjson([{"id": i * 100 + j, "pad": "z" * 200} for j in range(100)]))
        statuses.append(r.status)
        if r.status == 503:
            assert "Retry-After" in r.headers or "retry-after" in {k.lower() for k in r.headers}
            break
    assert 503 in statuses and statuses[0] == 200
