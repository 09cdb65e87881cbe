"""Crash test: batches are posted while the server is killed with SIGKILL at random moments, again and
again. Afterwards every acknowledged record is in the lake exactly once, and no record is there twice."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from pathlib import Path

from conftest import ndjson, read_lake

KILLS = 20
ID_LOCK = threading.Lock()


def poster(svc, next_id: list[int], acked: set[int], attempted: set[int], stop: threading.Event) -> None:
    rng = random.Random(next_id[0])
    while not stop.is_set():
        n = rng.randint(1, 60)
        with ID_LOCK:
            ids = list(range(next_id[0], next_id[0] + n))
            next_id[0] += n
            attempted.update(ids)
        try:
            r = svc.post("crash", ndjson({"id": i, "payload": "p" * rng.randint(0, 300)} for i in ids), timeout=10)
        except OSError:
            continue  # the server died mid-request: not acknowledged
        if r.status == 200 and r.json().get("accepted") == n:
            with ID_LOCK:
                acked.update(ids)


def test_every_acknowledged_record_lands_exactly_once_across_kill_9(service_factory):
    rng = random.Random(20261122)
    # Small thresholds so flushes (conversion, upload, segment deletion) are often under way when killed.
    svc = service_factory(settings=["defaults.flush_records=700", "defaults.flush_age=0.3s",
                                    "buffer.segment_bytes=64KiB"])
    next_id, acked, attempted = [0], set(), set()
    for _ in range(KILLS):
        svc.start()
        stop = threading.Event()
        threads = [threading.Thread(target=poster, args=(svc, next_id, acked, attempted, stop)) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.05, 0.8))
        svc.kill()
        stop.set()
        for t in threads:
            t.join()
    svc.start()
    assert svc.terminate() == 0, svc.log()

    counts = Counter(r["id"] for r in read_lake(Path(svc.lake) / "crash"))
    duplicates = {i: c for i, c in counts.items() if c > 1}
    assert not duplicates, f"records written more than once: {sorted(duplicates)[:20]}"
    missing = acked - counts.keys()
    assert not missing, f"{len(missing)} acknowledged records lost, e.g. {sorted(missing)[:20]}"
    assert counts.keys() <= attempted
    assert len(acked) > 1000, f"too few acknowledged records to mean anything: {len(acked)}"
