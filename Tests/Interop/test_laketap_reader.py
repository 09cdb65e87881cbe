"""Laketap's own Parquet reader (`laketap inspect --rows`) against what was written and against pyarrow.

* test_round_trip[<case>]: every file of the writer's interop matrix reads back exactly as the
  expectation the generator wrote (canonical JSON, see test_readers.py).
* test_conformance[<file>]: the P0/P1 files of ../shared/parquet-testing (PARQUET.md §7.2) read exactly
  as pyarrow reads them (or as their *_expect.csv says).
* test_rejects[<file>]: every encrypted and bad_data file (except ARROW-GH-43605) fails with a
  typed error that names the defect, exit status 1, and no crash.

The binary is $LAKETAP_BIN (default .build/release/laketap). Under CI a missing binary, corpus or
pyarrow fails the test.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import normalize
from conftest import CASES, REPO, in_ci, require_reader

SHARED = REPO.parent / "shared" / "parquet-testing"
DATA = SHARED / "data"

# PARQUET.md §7.2: P0 and P1 files the reader must read exactly.
CONFORMANCE = [
    "alltypes_plain.parquet", "alltypes_plain.snappy.parquet", "alltypes_dictionary.parquet",
    "alltypes_tiny_pages.parquet", "alltypes_tiny_pages_plain.parquet", "binary.parquet",
    "byte_array_decimal.parquet", "fixed_length_decimal.parquet", "fixed_length_decimal_legacy.parquet",
    "int32_decimal.parquet", "int64_decimal.parquet", "int96_from_spark.parquet",
    "fixed_length_byte_array.parquet", "int32_with_null_pages.parquet", "nulls.snappy.parquet",
    "null_list.parquet", "list_columns.parquet", "nested_lists.snappy.parquet", "nested_maps.snappy.parquet",
    "nested_structs.rust.parquet", "nonnullable.impala.parquet", "nullable.impala.parquet",
    "old_list_structure.parquet", "repeated_no_annotation.parquet", "repeated_primitive_no_list.parquet",
    "map_no_value.parquet", "incorrect_map_schema.parquet", "datapage_v1-uncompressed-checksum.parquet",
    "datapage_v1-snappy-compressed-checksum.parquet", "datapage_v1-corrupt-checksum.parquet",
    "plain-dict-uncompressed-checksum.parquet", "rle-dict-snappy-checksum.parquet",
    "rle-dict-uncompressed-corrupt-checksum.parquet", "datapage_v2.snappy.parquet",
    "datapage_v2_empty_datapage.snappy.parquet", "page_v2_empty_compressed.parquet",
    "dict-page-offset-zero.parquet", "nation.dict-malformed.parquet", "overflow_i16_page_cnt.parquet",
    "sort_columns.parquet", "column_chunk_key_value_metadata.parquet", "unknown-logical-type.parquet",
    "data_index_bloom_encoding_stats.parquet", "data_index_bloom_encoding_with_length.parquet",
    "binary_truncated_min_max.parquet", "single_nan.parquet", "nan_in_stats.parquet",
    "float16_zeros_and_nans.parquet", "float16_nonzeros_and_nans.parquet",
    "floating_orders_nan_count.parquet", "rle_boolean_encoding.parquet", "concatenated_gzip_members.parquet",
    "lz4_raw_compressed.parquet", "lz4_raw_compressed_larger.parquet",
    # P1
    "delta_binary_packed.parquet", "delta_byte_array.parquet", "delta_length_byte_array.parquet",
    "delta_encoding_optional_column.parquet", "delta_encoding_required_column.parquet",
    "byte_stream_split.zstd.parquet", "byte_stream_split_extended.gzip.parquet",
    "hadoop_lz4_compressed.parquet", "hadoop_lz4_compressed_larger.parquet", "non_hadoop_lz4_compressed.parquet",
]

# Files that must be rejected, with a word the error must contain.
REJECTS = {
    "bad_data/PARQUET-1481.parquet": "physical type",
    "bad_data/ARROW-RS-GH-6229-DICTHEADER.parquet": "num_values",
    "bad_data/ARROW-RS-GH-6229-LEVELS.parquet": "levels",
    "bad_data/ARROW-GH-41321.parquet": "",
    "bad_data/ARROW-GH-41317.parquet": "",  # pyarrow notices a column's length; we fail earlier, on a broken page header
    "bad_data/ARROW-GH-45185.parquet": "repetition level",
    "bad_data/ARROW-GH-47662.parquet": "",
}


def laketap() -> Path:
    binary = Path(os.environ.get("LAKETAP_BIN") or REPO / ".build" / "release" / "laketap")
    if not binary.is_file():
        message = f"laketap binary {binary} is missing (build it with `swift build -c release --product laketap`)"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return binary


def corpus() -> Path:
    if not DATA.is_dir():
        message = f"the parquet-testing corpus is missing at {SHARED}"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return DATA


def read_with_laketap(path: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(laketap()), "inspect", "--rows", "100000000", *flags, str(path)],
                          capture_output=True, text=True, timeout=300)


def rows_of(result: subprocess.CompletedProcess, path: Path) -> list[dict]:
    if result.returncode != 0:
        pytest.fail(f"laketap could not read {path.name}: {result.stderr.strip()}", pytrace=False)
    return [json.loads(line) for line in result.stdout.splitlines() if line]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_round_trip(case):
    if case.error:
        pytest.fail(case.error, pytrace=False)
    rows = rows_of(read_with_laketap(case.parquet), case.parquet)
    expected = case.expect["rows"]
    assert len(rows) == len(expected), f"{case.name}: {len(rows)} rows read, {len(expected)} written"
    for index, (want, got) in enumerate(zip(expected, rows)):
        assert got == want, f"{case.name}: row {index} differs:\n  written {want}\n  read    {got}"


def ticks_type(arrow_type):
    """`arrow_type` with dates, times and timestamps replaced by their integer ticks, at any depth."""
    import pyarrow as pa

    if pa.types.is_date32(arrow_type):
        return pa.int32()
    if pa.types.is_timestamp(arrow_type) or pa.types.is_time(arrow_type):
        return pa.int64() if arrow_type.bit_width == 64 else pa.int32()
    if pa.types.is_map(arrow_type):
        return pa.map_(ticks_type(arrow_type.key_type), ticks_type(arrow_type.item_type))
    if pa.types.is_list(arrow_type):
        return pa.list_(pa.field(arrow_type.value_field.name, ticks_type(arrow_type.value_type),
                                 arrow_type.value_field.nullable))
    if pa.types.is_struct(arrow_type):
        return pa.struct([pa.field(f.name, ticks_type(f.type), f.nullable) for f in arrow_type])
    return arrow_type


def canonical_by_type(value, arrow_type):
    """A pyarrow value (read with `ticks_type`) in canonical form, guided by its original type."""
    import pyarrow as pa

    if value is None:
        return None
    if pa.types.is_date32(arrow_type):
        return {"$date": value}
    if pa.types.is_timestamp(arrow_type):
        return {"$ts": value, "unit": arrow_type.unit, "utc": arrow_type.tz is not None}
    if pa.types.is_time(arrow_type):
        return {"$time": value, "unit": arrow_type.unit}
    if pa.types.is_map(arrow_type):
        return {"$map": [[canonical_by_type(k, arrow_type.key_type), canonical_by_type(v, arrow_type.item_type)]
                         for k, v in value]}
    if pa.types.is_list(arrow_type):
        return [canonical_by_type(v, arrow_type.value_type) for v in value]
    if pa.types.is_struct(arrow_type):
        return {f.name: canonical_by_type(value.get(f.name), f.type) for f in arrow_type}
    return normalize.canonical(value)


def pyarrow_rows(path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    ticks = table.cast(pa.schema([pa.field(f.name, ticks_type(f.type), f.nullable) for f in table.schema]))
    return [{f.name: canonical_by_type(row[f.name], f.type) for f in table.schema} for row in ticks.to_pylist()]


# Files whose reference differs from pyarrow's plain reading, with why:
# - incorrect_map_schema: pyarrow refuses optional map keys; DuckDB reads the map (PARQUET.md §7.1),
#   returned as a dict, so the map is compared as its pairs.
# - map_no_value: pyarrow reads a MAP without value field as a list of keys; Laketap keeps it a MAP
#   whose values are null (DuckDB and Spark refuse the file).
def reference_rows(name, path):
    if name == "incorrect_map_schema.parquet":
        require_reader("duckdb")
        return [{k: {"$map": [[mk, mv] for mk, mv in v.items()]} if isinstance(v, dict) else v
                 for k, v in row.items()} for row in normalize.read_duckdb(path)]
    rows = pyarrow_rows(path)
    if name == "map_no_value.parquet":
        rows = [{k: {"$map": [[key, None] for key in v]} if k == "my_map_no_v" and v is not None else v
                 for k, v in row.items()} for row in rows]
    return rows


@pytest.mark.parametrize("name", CONFORMANCE)
def test_conformance(name):
    path = corpus() / name
    require_reader("pyarrow")
    ours = rows_of(read_with_laketap(path), path)
    theirs = reference_rows(name, path)
    diff = normalize.compare_rows(theirs, ours, "laketap")
    assert len(ours) == len(theirs), f"{name}: laketap read {len(ours)} rows, the reference {len(theirs)}"
    assert diff is None, f"{name}: {diff}"


def test_dictionary_bit_width_zero_reads():
    corpus()
    path = SHARED / "bad_data" / "ARROW-GH-43605.parquet"
    assert len(rows_of(read_with_laketap(path), path)) == 21186


@pytest.mark.parametrize("name", ["datapage_v1-corrupt-checksum.parquet", "rle-dict-uncompressed-corrupt-checksum.parquet"])
def test_checksum_verification_reports_corruption(name):
    path = corpus() / name
    result = read_with_laketap(path, "--verify-checksums")
    assert result.returncode == 1, f"{name}: corrupt CRC not reported (exit {result.returncode})"
    assert "CRC" in result.stderr, result.stderr


def rejects():
    if not DATA.is_dir():
        return list(REJECTS.items())
    encrypted = sorted(str(p.relative_to(DATA)) for p in DATA.rglob("*.parquet.encrypted"))
    return list(REJECTS.items()) + [(name, "encrypt") for name in encrypted]


@pytest.mark.parametrize("name,word", rejects())
def test_rejects(name, word):
    corpus()
    path = (SHARED if name.startswith("bad_data/") else DATA) / name
    result = read_with_laketap(path)
    assert result.returncode == 1, f"{name}: expected a clean failure, got exit {result.returncode}: {result.stderr}"
    message = result.stderr.strip()
    assert message.startswith("laketap inspect:"), f"{name}: not a typed error: {message}"
    assert word.lower() in message.lower(), f"{name}: error does not name the defect ({word!r}): {message}"
