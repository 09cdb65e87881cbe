"""Self-test for the interop verifier: write sample cases with pyarrow.

This is *not* part of the Swift writer's checks.  It produces a handful of
Parquet files written by pyarrow, each with a matching ``<name>.expect.json``
in the contract described in ``test_readers.py``, so the verifier itself can
be exercised without the Swift generator:

    /work/main/.venv/bin/python Tests/Interop/make_samples.py /tmp/interop-samples
    LAKETAP_INTEROP_DIR=/tmp/interop-samples /work/main/.venv/bin/python -m pytest Tests/Interop -q

Expected rows and statistics are derived from the *source* Python values
(never from reading the written file back), so a reader disagreeing with the
source shows up as a failure.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
CREATED_BY_PREFIX = "parquet-cpp-arrow"  # the Swift writer's cases say "laketap"


# --------------------------------------------------------------------------
# canonical encoding of the *source* values, driven by the arrow type
# --------------------------------------------------------------------------
_UNIT_FACTOR = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def canon(value, typ: pa.DataType):
    if value is None:
        return None
    if isinstance(typ, pa.BaseExtensionType):
        if typ.extension_name == "arrow.uuid":
            return {"$uuid": str(value)}
        if typ.extension_name == "arrow.json":
            return value
        raise TypeError(typ)
    if pa.types.is_boolean(typ) or pa.types.is_integer(typ):
        return value
    if pa.types.is_floating(typ):
        if math.isnan(value):
            return {"$float": "nan"}
        if math.isinf(value):
            return {"$float": "inf" if value > 0 else "-inf"}
        return value
    if pa.types.is_string(typ):
        return value
    if pa.types.is_binary(typ) or pa.types.is_fixed_size_binary(typ):
        return {"$hex": value.hex()}
    if pa.types.is_date32(typ):
        return {"$date": (value - dt.date(1970, 1, 1)).days}
    if pa.types.is_timestamp(typ):
        # source values are (ticks) ints so no precision is lost
        return {"$ts": value, "unit": typ.unit, "utc": typ.tz is not None}
    if pa.types.is_time(typ):
        return {"$time": value, "unit": typ.unit}
    if pa.types.is_decimal(typ):
        return {"$decimal": str(value)}
    if pa.types.is_map(typ):
        return {"$map": [[canon(k, typ.key_type), canon(v, typ.item_type)] for k, v in value]}
    if pa.types.is_list(typ):
        return [canon(v, typ.value_type) for v in value]
    if pa.types.is_struct(typ):
        return {f.name: canon(value.get(f.name), f.type) for f in typ}
    raise TypeError(f"no canonical form for {typ}")


def to_arrow_value(value, typ: pa.DataType):
    """Source values use raw ticks for timestamps/times; convert for pa.array."""
    if value is None:
        return None
    if pa.types.is_list(typ):
        return [to_arrow_value(v, typ.value_type) for v in value]
    if pa.types.is_map(typ):
        return [(k, to_arrow_value(v, typ.item_type)) for k, v in value]
    if pa.types.is_struct(typ):
        return {f.name: to_arrow_value(value.get(f.name), f.type) for f in typ}
    return value


def make_array(values, typ):
    if pa.types.is_timestamp(typ) or pa.types.is_time(typ):
        storage = pa.int64() if typ.bit_width == 64 else pa.int32()
        return pa.array(values, storage).cast(typ)
    if isinstance(typ, pa.BaseExtensionType) and typ.extension_name == "arrow.uuid":
        storage = pa.array([None if v is None else v.bytes for v in values], pa.binary(16))
        return pa.ExtensionArray.from_storage(typ, storage)
    if pa.types.is_list(typ) or pa.types.is_struct(typ) or pa.types.is_map(typ):
        return _nested_array(values, typ)
    return pa.array(values, typ)


def _nested_array(values, typ):
    # Build through pa.array; nested timestamps are given as ticks -> cast later.
    def plain(t):
        if pa.types.is_timestamp(t):
            return pa.int64()
        if pa.types.is_list(t):
            return pa.list_(plain(t.value_type))
        if pa.types.is_map(t):
            return pa.map_(plain(t.key_type), plain(t.item_type))
        if pa.types.is_struct(t):
            return pa.struct([pa.field(f.name, plain(f.type), f.nullable) for f in t])
        return t

    return pa.array(values, plain(typ)).cast(typ)


# --------------------------------------------------------------------------
# statistics (flat leaves only; nested leaves: null_count by Dremel rule)
# --------------------------------------------------------------------------
def flat_stats(values, typ):
    non_null = [v for v in values if v is not None]
    if pa.types.is_floating(typ):
        non_null = [v for v in non_null if not math.isnan(v)]
    st = {"null_count": len(values) - len([v for v in values if v is not None])}
    if non_null:
        key = (lambda v: v.bytes) if isinstance(typ, pa.BaseExtensionType) else None
        mn, mx = min(non_null, key=key), max(non_null, key=key)
        st.update(min=canon(mn, typ), max=canon(mx, typ), min_exact=True, max_exact=True)
        if pa.types.is_floating(typ):  # ±0: min -0.0, max +0.0 (both compare equal)
            pass
    else:
        return {"null_count": st["null_count"], "min": None, "max": None}
    return st


# --------------------------------------------------------------------------
# cases
# --------------------------------------------------------------------------
def ts(y, mo, d, h=0, mi=0, s=0, us=0, unit="us"):
    t = dt.datetime(y, mo, d, h, mi, s, us, tzinfo=UTC) - EPOCH
    micros = (t.days * 86_400 + t.seconds) * 1_000_000 + t.microseconds
    return {"s": micros // 1_000_000, "ms": micros // 1_000, "us": micros, "ns": micros * 1_000}[unit]


FLAT = [
    # name, arrow type, values (4 rows)
    ("b", pa.bool_(), [True, False, None, True]),
    ("i8", pa.int8(), [-128, 0, None, 127]),
    ("i16", pa.int16(), [-32768, 1, None, 32767]),
    ("i32", pa.int32(), [-(2**31), 2, None, 2**31 - 1]),
    ("i64", pa.int64(), [-(2**63), 3, None, 2**63 - 1]),
    ("u8", pa.uint8(), [0, 200, None, 255]),
    ("u16", pa.uint16(), [0, 40000, None, 65535]),
    ("u32", pa.uint32(), [0, 3_000_000_000, None, 2**32 - 1]),
    ("u64", pa.uint64(), [0, 2**63, None, 2**64 - 1]),
    ("f32", pa.float32(), [1.5, -0.25, None, 3.4028234663852886e38]),
    ("f32_round", pa.float32(), [0.1, 1.1, None, -2.7]),
    ("f64", pa.float64(), [0.1, float("-inf"), None, float("nan")]),
    ("s", pa.string(), ["héllo", "", None, "zzz"]),
    ("bin", pa.binary(), [b"\x00\x01", b"", None, b"\xff"]),
    ("d", pa.date32(), [dt.date(1970, 1, 1), dt.date(1969, 12, 31), None, dt.date(2024, 2, 29)]),
    ("ts_ms_utc", pa.timestamp("ms", tz="UTC"),
     [ts(2024, 1, 2, 3, 4, 5, 6000, unit="ms"), ts(1969, 12, 31, 23, 59, 59, unit="ms"), None, 0]),
    ("ts_us_utc", pa.timestamp("us", tz="UTC"),
     [ts(2024, 1, 2, 3, 4, 5, 123456), ts(1900, 1, 1), None, ts(2262, 4, 11)]),
    ("ts_us_local", pa.timestamp("us"), [ts(2024, 6, 30, 12), 0, None, ts(2038, 1, 19, 3, 14, 8)]),
    ("dec9", pa.decimal128(9, 2), [Decimal("123.45"), Decimal("-0.01"), None, Decimal("9999999.99")]),
    ("dec18", pa.decimal128(18, 4), [Decimal("1.0000"), Decimal("-99999999999999.9999"), None, Decimal("0.0000")]),
    ("dec38", pa.decimal128(38, 10),
     [Decimal("1234567890123456789012345678.0123456789"), Decimal("-1.0000000000"), None, Decimal("0E-10")]),
    ("all_null", pa.string(), [None, None, None, None]),
]

EXOTIC = [  # types Spark rejects (TIME, TIMESTAMP NANOS, UUID, FLOAT16)
    ("t_ms", pa.time32("ms"), [0, 86_399_999, None, 45_296_789]),
    ("t_us", pa.time64("us"), [0, 86_399_999_999, None, 45_296_789_012]),
    ("t_ns", pa.time64("ns"), [0, 86_399_999_999_999, None, 45_296_789_012_345]),
    ("ts_ns_utc", pa.timestamp("ns", tz="UTC"), [ts(2024, 1, 2, unit="ns") + 123, -1, None, 0]),
    ("ts_ns_local", pa.timestamp("ns"), [ts(2024, 1, 2, unit="ns") + 999, 1, None, 0]),
    ("id", pa.uuid(), [uuid.UUID("550e8400-e29b-41d4-a716-446655440000"), uuid.UUID(int=0), None,
                       uuid.UUID("ffffffff-ffff-ffff-ffff-ffffffffffff")]),
    ("h", pa.float16(), [1.5, -2.0, None, 0.0999755859375]),
]

NESTED = [
    ("tags", pa.list_(pa.string()), [["a", "b"], [], None, ["c", None]]),
    ("nums", pa.list_(pa.int64()), [[1, None, 3], None, [], [2**40]]),
    ("point", pa.struct([("x", pa.float64()), ("y", pa.float64()), ("label", pa.string())]),
     [{"x": 1.0, "y": 2.0, "label": "p"}, None, {"x": -0.5, "y": None, "label": None}, {"x": 0.0, "y": 1e300, "label": "q"}]),
    ("attrs", pa.map_(pa.string(), pa.string()), [[("k1", "v1"), ("k0", "v0")], [], None, [("z", None)]]),
    ("counts", pa.map_(pa.string(), pa.int64()), [[("a", 1)], None, [("b", 2), ("c", None)], []]),
    ("events", pa.list_(pa.struct([("name", pa.string()), ("at", pa.timestamp("us", tz="UTC"))])),
     [[{"name": "open", "at": ts(2024, 1, 1)}, {"name": "close", "at": None}], None, [], [None]]),
    ("outer", pa.struct([("inner", pa.struct([("vals", pa.list_(pa.int32()))])), ("n", pa.int32())]),
     [{"inner": {"vals": [1, 2]}, "n": 1}, {"inner": None, "n": None}, None, {"inner": {"vals": None}, "n": 4}]),
    ("ll", pa.list_(pa.list_(pa.float32())), [[[1.1, 2.2], [], None], None, [[None]], []]),
]


def write_case(out: Path, name: str, cols, *, readers, compression="snappy", stats_for=(),
               kv=None, bloom=None, row_group_size=None, dict_columns=True, leaves_extra=None,
               columns_expect=None):
    schema = pa.schema([pa.field(n, t) for n, t, _ in cols])
    arrays = [make_array([to_arrow_value(v, t) for v in vals], t) for n, t, vals in cols]
    table = pa.Table.from_arrays(arrays, schema=schema)
    if kv:
        table = table.replace_schema_metadata(kv)
    path = out / f"{name}.parquet"
    pq.write_table(table, path, compression=compression, write_page_index=True,
                   store_decimal_as_integer=True, use_dictionary=dict_columns,
                   row_group_size=row_group_size, bloom_filter_options=bloom)
    nrows = len(cols[0][2])
    rows = [{n: canon(vals[i], t) for n, t, vals in cols} for i in range(nrows)]
    first_rg = row_group_size or nrows
    leaves = {}
    for n, t, vals in cols:
        if n in stats_for:
            leaves[n] = {"statistics": flat_stats(vals[:first_rg], t)}
            st = leaves[n]["statistics"]
            if st.get("min") is None:
                leaves[n]["statistics"] = None if st["null_count"] is None else st
    for path_, extra in (leaves_extra or {}).items():
        leaves.setdefault(path_, {}).update(extra)
    n_rg = -(-nrows // first_rg)
    expect = {
        "file": path.name,
        "rows": rows,
        "readers": readers,
        "columns": columns_expect or {},
        "metadata": {
            "num_rows": nrows,
            "num_row_groups": n_rg,
            "codec": {"snappy": "SNAPPY", "zstd": "ZSTD", "none": "UNCOMPRESSED", "gzip": "GZIP"}[compression],
            "created_by_prefix": CREATED_BY_PREFIX,
            "key_value": kv or {},
            "leaves": leaves,
        },
    }
    (out / f"{name}.expect.json").write_text(json.dumps(expect, indent=1, ensure_ascii=False) + "\n")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    flat_leaf_meta = {
        "s": {"physical_type": "BYTE_ARRAY", "converted_type": "UTF8", "logical_type": "String",
              "encodings": ["PLAIN", "RLE", "RLE_DICTIONARY"], "has_dictionary_page": True, "has_page_index": True},
        "i64": {"physical_type": "INT64", "has_page_index": True},
        "dec9": {"physical_type": "INT32", "converted_type": "DECIMAL", "logical_type": "Decimal(precision=9, scale=2)"},
        "dec38": {"physical_type": "FIXED_LEN_BYTE_ARRAY", "converted_type": "DECIMAL"},
        "ts_us_utc": {"physical_type": "INT64", "converted_type": "TIMESTAMP_MICROS"},
        "d": {"physical_type": "INT32", "converted_type": "DATE"},
    }
    write_case(out, "flat_all_types", FLAT,
               readers=["pyarrow", "duckdb", "polars", "spark", "fastparquet"],
               stats_for=[n for n, _, _ in FLAT], leaves_extra=flat_leaf_meta,
               kv={"laketap.schema": "flat/1"},
               columns_expect={
                   "ts_us_utc": {"duckdb_type": "TIMESTAMP WITH TIME ZONE", "arrow_type": "timestamp[us, tz=UTC]"},
                   "ts_us_local": {"duckdb_type": "TIMESTAMP", "arrow_type": "timestamp[us]"},
                   "ts_ms_utc": {"arrow_type": "timestamp[ms, tz=UTC]"},
                   "dec38": {"duckdb_type": "DECIMAL(38,10)", "arrow_type": "decimal128(38, 10)"},
                   "u64": {"duckdb_type": "UBIGINT", "arrow_type": "uint64"},
                   "s": {"duckdb_type": "VARCHAR", "arrow_type": "string"},
                   "bin": {"duckdb_type": "BLOB"},
                   "d": {"duckdb_type": "DATE", "arrow_type": "date32[day]"},
               })
    write_case(out, "flat_exotic_types", EXOTIC, readers=["pyarrow", "duckdb", "polars"],
               stats_for=["t_ms", "t_us", "ts_ns_utc", "id"],
               leaves_extra={"id": {"physical_type": "FIXED_LEN_BYTE_ARRAY", "logical_type": "UUID"},
                             "h": {"physical_type": "FIXED_LEN_BYTE_ARRAY", "logical_type": "Float16"}},
               columns_expect={"id": {"duckdb_type": "UUID"}, "h": {"duckdb_type": "FLOAT"},
                               "ts_ns_utc": {"arrow_type": "timestamp[ns, tz=UTC]"}})
    write_case(out, "nested_list_map_struct", NESTED, compression="none",
               readers=["pyarrow", "duckdb", "polars", "spark"],
               leaves_extra={
                   "tags.list.element": {"physical_type": "BYTE_ARRAY", "converted_type": "UTF8",
                                         "statistics": {"min": "a", "max": "c", "null_count": 3,
                                                        "min_exact": True, "max_exact": True}},
                   "attrs.key_value.key": {"physical_type": "BYTE_ARRAY"},
                   "outer.inner.vals.list.element": {"physical_type": "INT32"},
               },
               columns_expect={"tags": {"duckdb_type": "VARCHAR[]", "arrow_type": "list<element: string>"},
                               "attrs": {"duckdb_type": "MAP(VARCHAR, VARCHAR)"}})
    cities = ["Oslo", "Lima", "Oslo", "Pune", "Lima", "Oslo", None, "Kyiv"]
    zcols = [
        ("id", pa.int64(), list(range(100, 108))),
        ("city", pa.string(), cities),
        ("tags", pa.list_(pa.string()), [["x"], ["x", "y"], None, [], ["y"], ["x"], [None], ["z"]]),
        ("score", pa.float64(), [0.5, 1.5, -0.0, 0.0, 2.5, None, 3.5, 4.5]),
    ]
    write_case(out, "zstd_v1_dict_nested", zcols, compression="zstd", row_group_size=5,
               readers=["pyarrow", "duckdb", "polars", "spark"],
               stats_for=["id", "city"], kv={"laketap.writer": "selftest", "laketap.schema": "zstd/1"},
               bloom={"id": {"ndv": 16, "fpp": 0.01}, "city": {"ndv": 16, "fpp": 0.01}},
               leaves_extra={
                   "id": {"physical_type": "INT64", "has_dictionary_page": True, "has_page_index": True,
                          "encodings": ["PLAIN", "RLE", "RLE_DICTIONARY"],
                          "bloom": {"present": [100, 104], "absent": [999999, -7]}},
                   "city": {"physical_type": "BYTE_ARRAY", "converted_type": "UTF8",
                            "encodings": ["PLAIN", "RLE", "RLE_DICTIONARY"], "has_dictionary_page": True,
                            "bloom": {"present": ["Oslo", "Lima", "Pune"], "absent": ["Paris", "Berlin!"]}},
                   "tags.list.element": {"statistics": {"min": "x", "max": "y", "null_count": 2,
                                                        "min_exact": True, "max_exact": True}},
                   "score": {"statistics": {"min": -0.0, "max": 2.5, "null_count": 0,
                                            "min_exact": True, "max_exact": True}},
               },
               columns_expect={"city": {"duckdb_type": "VARCHAR", "arrow_type": "string"},
                               "tags": {"duckdb_type": "VARCHAR[]"}})


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} OUT_DIR")
    main(Path(sys.argv[1]))
