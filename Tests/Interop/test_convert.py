"""`laketap convert` end to end: bench workloads and messy input, checked with pyarrow and DuckDB.

Every record of the source must be in the Parquet file with the same values (timestamps as
microseconds since the epoch, truncated), or in OUTPUT.rejects.ndjson with its line and reason.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, require_reader
from test_laketap_reader import laketap

GENERATOR = REPO.parent / "shared" / "bench" / "gen_events.py"


def convert(*args, stdin=None):
    return subprocess.run([str(laketap()), "convert", *map(str, args)], input=stdin, capture_output=True, timeout=600)


def generate(workload: str, records: int, path: Path) -> Path:
    """`records` records of a ../shared/bench workload (`logs` or `events`) into `path`."""
    with open(path, "wb") as out:
        subprocess.run([sys.executable, str(GENERATOR), workload, "--records", str(records)], stdout=out, check=True)
    return path


def micros(text: str) -> int:
    """RFC 3339 with up to nanoseconds to microseconds since the epoch, truncated toward the past."""
    date, _, rest = text.replace("t", "T").replace(" ", "T").partition("T")
    zone = "+00:00"
    for mark in ("Z", "z", "+", "-"):
        if mark in rest:
            index = rest.index(mark)
            rest, zone = rest[:index], ("+00:00" if mark in "Zz" else rest[index:])
            break
    clock, _, fraction = rest.partition(".")
    base = dt.datetime.fromisoformat(f"{date}T{clock}{zone}")
    seconds = int(base.timestamp())
    return seconds * 1_000_000 + int((fraction + "000000")[:6])


def same(source, stored, path="") -> str | None:
    """First difference between a source JSON value and what pyarrow read, or None."""
    if isinstance(stored, dt.datetime):
        got = int(stored.timestamp()) * 1_000_000 + stored.microsecond
        return None if got == micros(source) else f"{path}: {source} != {stored}"
    if isinstance(source, dict):
        if not isinstance(stored, dict):
            return f"{path}: object became {stored!r}"
        for key, value in stored.items():
            if key not in source and value is not None:
                return f"{path}.{key}: absent in the source, {value!r} stored"
        for key, value in source.items():
            difference = same(value, stored.get(key), f"{path}.{key}")
            if difference:
                return difference
        return None
    if isinstance(source, list):
        if not isinstance(stored, list) or len(stored) != len(source):
            return f"{path}: {source!r} != {stored!r}"
        for index, (a, b) in enumerate(zip(source, stored)):
            difference = same(a, b, f"{path}[{index}]")
            if difference:
                return difference
        return None
    return None if source == stored or (isinstance(source, float) and source == stored) else f"{path}: {source!r} != {stored!r}"


@pytest.mark.parametrize("workload", ["logs", "events"])
def test_bench_workloads_convert_exactly(workload, tmp_path):
    require_reader("pyarrow")
    import pyarrow.parquet as pq

    source = generate(workload, 5_000, tmp_path / f"{workload}.ndjson")
    output = tmp_path / f"{workload}.parquet"
    result = convert(source, "-o", output, "--json")
    assert result.returncode == 0, result.stderr.decode()
    summary = json.loads(result.stdout)
    assert summary["records_in"] == summary["records_written"] == 5000
    rows = pq.read_table(output).to_pylist()
    records = [json.loads(line) for line in source.read_text().splitlines()]
    assert len(rows) == len(records)
    for index, (record, row) in enumerate(zip(records, rows)):
        assert row.get("_extra") is None, f"record {index}: unexpected overflow {row['_extra']}"
        difference = same(record, {k: v for k, v in row.items() if k != "_extra"})
        assert difference is None, f"record {index}: {difference}"
    # Types a query engine sees: the timestamp column is a timestamp, not text.
    require_reader("duckdb")
    import duckdb

    types = dict((name, kind) for name, kind, *_ in duckdb.sql(f"DESCRIBE SELECT * FROM '{output}'").fetchall())
    time_column = "time" if workload == "logs" else "tstamp"
    assert types[time_column] == "TIMESTAMP WITH TIME ZONE", types


@pytest.mark.parametrize("threads", [1, 2])
def test_messy_input_is_framed_and_rejected_with_reasons(threads, tmp_path):
    """One thread frames object lines at their newline and frames a rejected line again; two frame exactly."""
    require_reader("pyarrow")
    import pyarrow.parquet as pq

    lines = [
        '\ufeff{"id": 1, "name": "a"}',          # BOM
        '{"id": 2, "name": "b"}\r',               # CRLF
        "",                                      # blank line
        '{"id": 3, "name": "c"}{"id": 4, "name": "d"}',  # concatenated
        '{"id": 5, "name": ',                     # broken
        '[{"id": 6, "name": "f"}, {"id": 7}]',   # array of objects
        '"just a string"',                       # not an object
        '{"id": 8, "name": "h"}',                # final line without newline
    ]
    source = tmp_path / "messy.ndjson"
    source.write_bytes("\n".join(lines).encode())
    output = tmp_path / "messy.parquet"
    result = convert(source, "-o", output, "--json", "--no-overflow", "--threads", threads)
    assert result.returncode == 2, result.stderr.decode()
    summary = json.loads(result.stdout)
    assert (summary["records_in"], summary["records_written"], summary["records_rejected"]) == (9, 7, 2)
    ids = [row["id"] for row in pq.read_table(output).to_pylist()]
    assert ids == [1, 2, 3, 4, 6, 7, 8]
    rejects = [json.loads(line) for line in Path(str(output) + ".rejects.ndjson").read_text().splitlines()]
    assert [(r["line"], r["reason"]) for r in rejects] == [(5, "invalid_json"), (7, "not_an_object")]
    assert all(r["message"] and r["record"] for r in rejects)


def test_event_times_take_delta_encoding_unless_told_not_to(tmp_path):
    """Rising event times are DELTA_BINARY_PACKED (decision 0014), the same values as with --no-delta-integers."""
    require_reader("pyarrow")
    require_reader("duckdb")
    import duckdb
    import pyarrow.parquet as pq

    source = generate("events", 30_000, tmp_path / "events.ndjson")
    tables = {}
    for flag in ("", "--no-delta-integers"):
        output = tmp_path / f"events{flag}.parquet"
        result = convert(source, "-o", output, *([flag] if flag else []))
        assert result.returncode == 0, result.stderr.decode()
        metadata = pq.ParquetFile(output).metadata
        column = [metadata.row_group(0).column(i) for i in range(metadata.num_columns)
                  if metadata.row_group(0).column(i).path_in_schema == "tstamp"][0]
        assert ("DELTA_BINARY_PACKED" in column.encodings) == (flag == ""), column.encodings
        tables[flag] = duckdb.sql(f"SELECT tstamp FROM '{output}'").fetchall()
    assert len(tables[""]) == 30000
    assert tables[""] == tables["--no-delta-integers"]


def test_compressed_inputs_globs_and_stdin(tmp_path):
    require_reader("pyarrow")
    import pyarrow.parquet as pq

    (tmp_path / "a.ndjson.gz").write_bytes(gzip.compress(b'{"n": 1}\n{"n": 2}\n') + gzip.compress(b'{"n": 3}\n'))
    zstd = subprocess.run(["zstd", "-q", "-c"], input=b'{"n": 4}\n{"n": 5}\n', capture_output=True, check=True).stdout
    (tmp_path / "b.ndjson.zst").write_bytes(zstd)
    output = tmp_path / "all.parquet"
    result = convert(str(tmp_path / "*.ndjson.*"), "-", "-o", output, "--compression", "snappy", stdin=b'{"n": 6}\n')
    assert result.returncode == 0, result.stderr.decode()
    assert [row["n"] for row in pq.read_table(output).to_pylist()] == [1, 2, 3, 4, 5, 6]


def test_clear_errors_for_bad_arguments(tmp_path):
    result = convert(tmp_path / "missing.ndjson", "-o", tmp_path / "x.parquet")
    assert result.returncode == 1
    assert b"cannot open" in result.stderr
    result = convert("-", "-o", tmp_path / "x.parquet", "--compression", "zstd:99")
    assert result.returncode != 0
    assert b"zstd" in result.stderr


def test_log_preset_declares_the_data2parquet_log_record(tmp_path):
    """`--schema preset:log`: no inference, maps for `args`/`extra_fields`, every value round-trips."""
    require_reader("pyarrow")
    import pyarrow.parquet as pq

    source = tmp_path / "logs.ndjson"
    with open(source, "wb") as out:
        subprocess.run([sys.executable, str(GENERATOR), "logs", "--records", "2000"], stdout=out, check=True)
    output = tmp_path / "logs.parquet"
    # --no-overflow: a field the preset does not declare would reject its record.
    result = convert(source, "-o", output, "--schema", "preset:log", "--no-overflow", "--json")
    assert result.returncode == 0, result.stderr.decode()
    summary = json.loads(result.stdout)
    assert summary["records_in"] == summary["records_written"] == 2000
    table = pq.read_table(output)
    assert "_extra" not in table.column_names
    rows = table.to_pylist(maps_as_pydicts="strict")
    records = [json.loads(line) for line in source.read_text().splitlines()]
    assert len(rows) == len(records)
    for index, (record, row) in enumerate(zip(records, rows)):
        difference = same(record, row)
        assert difference is None, f"record {index}: {difference}"

    require_reader("duckdb")
    import duckdb

    types = dict((name, kind) for name, kind, *_ in duckdb.sql(f"DESCRIBE SELECT * FROM '{output}'").fetchall())
    assert types["time"] == "TIMESTAMP WITH TIME ZONE", types
    assert types["args"] == "MAP(VARCHAR, VARCHAR)", types
    assert types["extra_fields"] == "MAP(VARCHAR, VARCHAR)", types
    assert types["tags"] == types["trace_ip"] == "VARCHAR[]", types
    assert types["duration"] == types["http_response"] == types["ttl"] == "BIGINT", types
    assert list(types)[:3] == ["time", "level", "correlation_id"] and list(types)[-1] == "extra_fields"
    assert duckdb.sql(f"SELECT count(*) FROM '{output}' WHERE time IS NULL").fetchall() == [(0,)]


def test_declared_schemas_from_yaml_and_json_schema(tmp_path):
    require_reader("pyarrow")
    import pyarrow.parquet as pq

    source = tmp_path / "in.ndjson"
    source.write_text('{"id": 1, "at": 1700000000123, "attrs": {"k": 2}, "other": true}\n{"at": 5}\n')
    declaration = tmp_path / "schema.yaml"
    declaration.write_text(
        "fields:\n"
        "  - { name: id, type: int64, required: true }\n"
        "  - { name: at, type: timestamp, format: epoch_ms }\n"
        "  - { name: attrs, type: map, values: { type: int64 } }\n"
        "overflow_column: spill\n"
    )
    output = tmp_path / "yaml.parquet"
    result = convert(source, "-o", output, "--schema", declaration)
    assert result.returncode == 2, result.stderr.decode()  # the second record lacks the required id
    rows = pq.read_table(output).to_pylist(maps_as_pydicts="strict")
    assert len(rows) == 1 and rows[0]["id"] == 1 and rows[0]["attrs"] == {"k": 2}
    assert int(rows[0]["at"].timestamp() * 1000) == 1700000000123
    assert json.loads(rows[0]["spill"]) == {"other": True}

    document = tmp_path / "schema.json"
    document.write_text(json.dumps({
        "type": "object",
        "additionalProperties": False,
        "properties": {"id": {"type": "integer"}, "at": {"type": "integer"}, "attrs": {"type": "object"}},
    }))
    output = tmp_path / "json.parquet"
    result = convert(source, "-o", output, "--schema", document)
    assert result.returncode == 2, result.stderr.decode()  # additionalProperties false: "other" rejects
    assert b"note: /properties/attrs" in result.stderr
    assert [row["at"] for row in pq.read_table(output).to_pylist()] == [5]

    result = convert(source, "-o", tmp_path / "x.parquet", "--schema", tmp_path / "bad.yaml")
    assert result.returncode != 0 and b"cannot read the schema" in result.stderr
    declaration.write_text("fields:\n  - { name: id, type: strng }\n")
    result = convert(source, "-o", tmp_path / "x.parquet", "--schema", declaration)
    assert result.returncode != 0 and b"fields[0].type: unknown type 'strng'" in result.stderr


def test_partition_by_writes_a_hive_partitioned_directory(tmp_path):
    """`--partition-by` output reads back as a Hive dataset in DuckDB and pyarrow, row for row."""
    require_reader("duckdb")
    require_reader("pyarrow")
    import duckdb
    import pyarrow.dataset as ds

    source = generate("events", 5_000, tmp_path / "events.ndjson")
    output = tmp_path / "lake"
    result = convert(source, "-o", output, "--json", "--partition-by", "name={name}/date={tstamp:%Y-%m-%d}",
                     "--max-open-partitions", "2")
    assert result.returncode == 0, result.stderr.decode()
    summary = json.loads(result.stdout)
    assert summary["records_in"] == summary["records_written"] == 5000
    files = sorted(output.glob("**/*.parquet"))
    assert summary["files"] == len(files) and summary["partitions"] >= 1
    assert not list(output.glob("**/.*.tmp")) and not (output / "_rejects.ndjson").exists()
    for path in files:
        relative = path.relative_to(output).parts
        assert [part.split("=")[0] for part in relative[:-1]] == ["name", "date"], path
        assert relative[-1].startswith("part-"), path

    glob = f"{output}/**/*.parquet"
    sql = f"SELECT * FROM read_parquet('{glob}', hive_partitioning = true)"
    (count,) = duckdb.sql(f"SELECT count(*) FROM ({sql})").fetchall()[0]
    assert count == 5000
    # Each row's path must agree with its own values: the name, and the UTC date of its instant.
    paths = f"SELECT *, filename FROM read_parquet('{glob}', hive_partitioning = false, filename = true)"
    (mismatches,) = duckdb.sql(
        f"""SELECT count(*) FROM ({paths})
            WHERE filename NOT LIKE '%/name=' || name || '/date=' || strftime(timezone('UTC', tstamp), '%Y-%m-%d') || '/part-%'"""
    ).fetchall()[0]
    assert mismatches == 0
    (dated,) = duckdb.sql(
        f"SELECT count(*) FROM ({sql}) WHERE CAST(date AS VARCHAR) = strftime(timezone('UTC', tstamp), '%Y-%m-%d')"
    ).fetchall()[0]
    assert dated == 5000
    names = {line.split('"name":"')[1].split('"')[0] for line in source.read_text().splitlines()}
    assert {row[0] for row in duckdb.sql(f"SELECT DISTINCT name FROM ({sql})").fetchall()} == names
    # The same records, by payload digest, as in the source.
    digests = sorted(json.loads(line)["payload_md5"] for line in source.read_text().splitlines())
    assert sorted(row[0] for row in duckdb.sql(f"SELECT payload_md5 FROM ({sql})").fetchall()) == digests

    dataset = ds.dataset(str(output), format="parquet", partitioning="hive")
    table = dataset.to_table()
    assert table.num_rows == 5000
    assert "date" in table.column_names
    rows = table.select(["name", "tstamp", "date"]).to_pylist()
    assert all(str(row["date"]) == row["tstamp"].astimezone(dt.timezone.utc).strftime("%Y-%m-%d") for row in rows)


def test_framing_errors_are_counted_even_while_the_schema_sample_is_held(tmp_path):
    """A record over the 8 MiB framing limit, met before the schema is known, is still rejected."""
    require_reader("pyarrow")
    import pyarrow.parquet as pq

    huge = '{"id": 2, "blob": "' + "x" * (9 << 20) + '"}'
    source = tmp_path / "huge.ndjson"
    source.write_text('{"id": 1, "blob": "a"}\n' + huge + '\n{"id": 3, "blob": "c"}\n')
    output = tmp_path / "huge.parquet"
    result = convert(source, "-o", output, "--json")
    assert result.returncode == 2, result.stderr.decode()
    summary = json.loads(result.stdout)
    assert (summary["records_in"], summary["records_written"], summary["records_rejected"]) == (3, 2, 1)
    assert [row["id"] for row in pq.read_table(output).to_pylist()] == [1, 3]
    rejects = [json.loads(line) for line in Path(str(output) + ".rejects.ndjson").read_text().splitlines()]
    assert [(r["line"], r["reason"]) for r in rejects] == [(2, "invalid_json")]


def test_compressed_inputs_are_read_whole_and_truncation_is_an_error(tmp_path):
    """Highly compressible inputs fill the decompressor's output buffer many times over (every byte
    must come out), and an input cut short is an error naming the truncation, not a shorter file."""
    import shutil
    import pyarrow.parquet as pq
    lines = b"".join(b'{"n":%d,"pad":"%s"}\n' % (i, b"a" * 200) for i in range(100_000))
    gz = tmp_path / "in.ndjson.gz"
    gz.write_bytes(gzip.compress(lines))
    inputs = [gz]
    if shutil.which("zstd"):
        raw = tmp_path / "in.ndjson"
        raw.write_bytes(lines)
        subprocess.run(["zstd", "-q", "-f", str(raw), "-o", str(tmp_path / "in.ndjson.zst")], check=True)
        inputs.append(tmp_path / "in.ndjson.zst")
    for source in inputs:
        out = tmp_path / (source.name + ".parquet")
        r = convert(source, "-o", out, "-q")
        assert r.returncode == 0, r.stderr
        table = pq.read_table(out)
        assert table.num_rows == 100_000 and table.column("n").to_pylist()[-1] == 99_999
        cut = tmp_path / ("cut-" + source.name)
        data = source.read_bytes()
        cut.write_bytes(data[: len(data) - 7])
        r = convert(cut, "-o", tmp_path / "cut.parquet", "-q")
        assert r.returncode != 0
        assert b"truncated" in r.stderr, r.stderr


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_threads_write_the_same_file_and_rejects_as_one_thread(compressed, tmp_path):
    """--threads N: the same Parquet bytes, rejects and counts as --threads 1, over several chunks."""
    require_reader("pyarrow")
    import pyarrow.parquet as pq

    lines = []
    for index in range(40_000):
        kind = (index * 7919) % 23
        if kind == 0:
            lines.append('{"id": %d, "name": ' % index)                      # broken JSON
        elif kind == 1:
            lines.append('"not an object %d"' % index)
        elif kind == 2:
            lines.append("")                                                # blank line
        elif kind == 3:
            lines.append('{"id": %d, "name": "a"}{"id": %d}' % (index, -index))  # concatenated
        elif kind == 4:
            lines.append('{"id": %d, "name": 5, "extra": [1, 2]}' % index)  # overflow
        else:
            lines.append('{"id": %d, "name": "%s", "score": %d.5, "tags": ["x", "y%d"]}' % (index, "n" * (index % 97), index, kind))
    data = "\r\n".join(lines).encode()  # CRLF, no final newline, not aligned to the chunk size
    source = tmp_path / ("mixed.ndjson.gz" if compressed else "mixed.ndjson")
    source.write_bytes(gzip.compress(data) if compressed else data)

    results = {}
    for threads in (1, 2, 3):
        output = tmp_path / f"threads{threads}.parquet"
        result = convert(source, "-o", output, "--threads", threads, "--json", "--sample", 1000)
        assert result.returncode == 2, result.stderr.decode()
        summary = json.loads(result.stdout)
        for key in ("output", "rejects", "seconds", "mb_per_second"):
            summary.pop(key)
        rejects = Path(str(output) + ".rejects.ndjson").read_bytes()
        results[threads] = (output.read_bytes(), rejects, summary)
    assert results[1][2]["records_rejected"] > 1000
    assert pq.read_metadata(tmp_path / "threads1.parquet").num_rows == results[1][2]["records_written"]
    for threads in (2, 3):
        assert results[threads][2] == results[1][2]
        assert results[threads][1] == results[1][1]
        assert results[threads][0] == results[1][0]


def test_threads_must_be_positive(tmp_path):
    source = tmp_path / "one.ndjson"
    source.write_bytes(b'{"n": 1}\n')
    result = convert(source, "-o", tmp_path / "x.parquet", "--threads", 0)
    assert result.returncode != 0
    assert b"--threads" in result.stderr
