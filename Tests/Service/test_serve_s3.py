"""`laketap serve` writing to S3: a real moto server with SigV4 checking on. Objects are read back with
pyarrow and compared record for record; a store outage loses nothing acknowledged."""

from __future__ import annotations

import io
import json
import signal
import time

import pyarrow.parquet as pq

from conftest import ndjson, s3_env


def objects(moto, bucket: str, prefix: str = "") -> dict[str, bytes]:
    s3 = moto.client()
    out: dict[str, bytes] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for o in page.get("Contents", []):
            out[o["Key"]] = s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()
    return out


def parquet_rows(blobs: dict[str, bytes]) -> list[dict]:
    rows: list[dict] = []
    for key, blob in sorted(blobs.items()):
        if key.endswith(".parquet"):
            rows.extend(pq.read_table(io.BytesIO(blob)).to_pylist())
    return rows


def s3_service(service_factory, moto, key, extra=()):
    return service_factory(lake="s3://lake/raw", env=s3_env(moto, key),
                           settings=[f"lake.endpoint={moto.endpoint}", *extra])


def test_ingest_to_s3_with_signed_requests(service_factory, moto):
    moto.client().create_bucket(Bucket="lake")
    key = moto.enable_auth()
    svc = s3_service(service_factory, moto, key, ["defaults.partition_by=kind={kind}"]).start()
    sent = [{"id": i, "kind": ["a", "b"][i % 2], "value": i * 0.5} for i in range(500)]
    assert svc.post("metrics", ndjson(sent)).json()["accepted"] == 500
    r = svc.flush("metrics")
    assert r.status == 200, r.body
    blobs = objects(moto, "lake", "raw/metrics/")
    keys = sorted(blobs)
    assert keys and all(k.startswith(("raw/metrics/kind=a/", "raw/metrics/kind=b/")) for k in keys), keys
    rows = sorted(parquet_rows(blobs), key=lambda r: r["id"])
    assert [r["id"] for r in rows] == list(range(500))
    assert all(r["value"] == s["value"] for r, s in zip(rows, sent))
    assert svc.terminate() == 0


def test_wrong_credentials_never_lose_acknowledged_records(service_factory, moto):
    moto.client().create_bucket(Bucket="lake")
    key = moto.enable_auth()
    bad = dict(key, SecretAccessKey="wrong-secret")
    svc = s3_service(service_factory, moto, bad, ["defaults.flush_age=0.5s"]).start()
    assert svc.post("m", ndjson([{"id": i} for i in range(50)])).json()["accepted"] == 50
    time.sleep(2)
    assert not objects(moto, "lake", "raw/m/")
    text = svc.log()
    assert "wrong-secret" not in text
    svc.kill()
    # The records wait in the log; with the right key they land.
    svc.env = s3_env(moto, key)
    svc.start()
    assert svc.flush("m").status == 200
    assert sorted(r["id"] for r in parquet_rows(objects(moto, "lake", "raw/m/"))) == list(range(50))


def test_store_outage_backlog_drains_and_503_when_full(service_factory, moto):
    moto.client().create_bucket(Bucket="lake")
    key = moto.enable_auth()
    svc = s3_service(service_factory, moto, key, ["defaults.flush_age=0.3s", "buffer.disk_budget=256KiB", "lake.request_timeout=2s"]).start()
    sent = 0
    assert svc.post("o", ndjson([{"id": i} for i in range(100)])).json()["accepted"] == 100
    sent = 100
    # The store stops answering (the process is frozen, as a network partition looks).
    moto.process.send_signal(signal.SIGSTOP)
    try:
        statuses = []
        for _ in range(200):
            r = svc.post("o", ndjson([{"id": sent + j, "pad": "x" * 400} for j in range(50)]))
            statuses.append(r.status)
            if r.status == 200:
                sent += 50
            elif r.status == 503:
                assert any(k.lower() == "retry-after" for k in r.headers), r.headers
                break
        assert 503 in statuses, statuses
    finally:
        moto.process.send_signal(signal.SIGCONT)
    # The backlog drains once the store is back.
    deadline = time.time() + 120
    while time.time() < deadline:
        ids = sorted(r["id"] for r in parquet_rows(objects(moto, "lake", "raw/o/")))
        if len(ids) >= sent:
            break
        time.sleep(1)
    assert ids == list(range(sent))
    assert svc.post("o", ndjson([{"id": sent}])).status == 200
    assert svc.terminate() == 0
