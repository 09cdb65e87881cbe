"""Reader adapters and canonical-value comparison for the interop verifier.

Every reader's output is turned into the canonical JSON form used by
``*.expect.json`` (see the docstring of ``test_readers.py``) and then compared
with ``first_difference``.  Where a reader *cannot* represent a value the way
the file stores it (lost map order, lost time zone, decimals as float, ...),
the comparison is relaxed only for that reader, through ``QUIRKS``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import struct
import urllib.parse
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

UTC = dt.timezone.utc
EPOCH_AWARE = dt.datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_NAIVE = dt.datetime(1970, 1, 1)
UNIT_NS = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}

# Relaxations per reader.  Each one is a documented representation limit of
# that reader, never a way to hide a writer bug in the other readers.
QUIRKS: dict[str, set[str]] = {
    "pyarrow": set(),
    "duckdb": set(),
    # polars reads UUID (FLBA) and JSON as Binary
    "polars": {"uuid_as_binary", "string_as_binary"},
    # Spark: MapType comes back as a dict ordered by Spark, not as written;
    # uint64 is read as decimal(20,0)
    "spark": {"unordered_maps", "int_as_decimal"},
    # fastparquet -> pandas: nulls in float/decimal columns become NaN,
    # UTC-adjusted timestamps lose tz, dates become datetime64, decimals
    # become float64, TIME is the raw integer, FLBA is raw bytes.
    "fastparquet": {"null_as_nan", "tz_lost", "date_as_timestamp", "decimal_as_float",
                    "time_as_int", "uuid_as_binary", "json_parsed"},
}


# ---------------------------------------------------------------------------
# Python value -> canonical
# ---------------------------------------------------------------------------
def _float(v: float):
    if math.isnan(v):
        return {"$float": "nan"}
    if math.isinf(v):
        return {"$float": "inf" if v > 0 else "-inf"}
    if v == 0 and math.copysign(1.0, v) < 0:
        return {"$float": "-0"}  # JSON numbers lose the sign of zero
    return v


def canonical(v: Any) -> Any:
    """Generic conversion of a reader's Python value into canonical form."""
    if v is None:
        return None
    try:  # pandas / numpy specials, imported lazily
        import pandas as pd

        if v is pd.NaT or v is pd.NA:
            return None
        if isinstance(v, pd.Timestamp):
            # .value is ns since epoch (UTC for aware, wall clock for naive)
            return {"$ts": int(v.value), "unit": "ns", "utc": v.tzinfo is not None}
    except ImportError:  # pragma: no cover
        pass
    if hasattr(v, "item") and type(v).__module__ == "numpy":
        v = v.item()
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return _float(v)
    if isinstance(v, str):
        return v
    if isinstance(v, (bytes, bytearray, memoryview)):
        return {"$hex": bytes(v).hex()}
    if isinstance(v, uuid.UUID):
        return {"$uuid": str(v)}
    if isinstance(v, Decimal):
        return {"$decimal": str(v)}
    if isinstance(v, dt.datetime):
        if v.tzinfo is not None:
            d = v - EPOCH_AWARE
            return {"$ts": (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds, "unit": "us", "utc": True}
        d = v - EPOCH_NAIVE
        return {"$ts": (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds, "unit": "us", "utc": False}
    if isinstance(v, dt.date):
        return {"$date": (v - dt.date(1970, 1, 1)).days}
    if isinstance(v, dt.time):
        return {"$time": ((v.hour * 60 + v.minute) * 60 + v.second) * 1_000_000 + v.microsecond, "unit": "us"}
    if isinstance(v, dict):
        if all(isinstance(k, str) for k in v):
            return {k: canonical(x) for k, x in v.items()}
        return {"$map": [[canonical(k), canonical(x)] for k, x in v.items()]}
    if isinstance(v, (list, tuple)):
        return [canonical(x) for x in v]
    if hasattr(v, "tolist"):  # numpy arrays (fastparquet)
        return canonical(v.tolist())
    raise TypeError(f"cannot canonicalise {type(v).__name__}: {v!r}")


def to_python(c: Any) -> Any:
    """Canonical -> a Python value usable as a DuckDB parameter (bloom probes)."""
    if isinstance(c, dict):
        if "$float" in c:
            return float(c["$float"])
        if "$hex" in c:
            return bytes.fromhex(c["$hex"])
        if "$uuid" in c:
            return uuid.UUID(c["$uuid"])
        if "$decimal" in c:
            return Decimal(c["$decimal"])
        if "$date" in c:
            return dt.date(1970, 1, 1) + dt.timedelta(days=c["$date"])
        if "$ts" in c:
            us = c["$ts"] * UNIT_NS[c["unit"]] // 1000
            base = EPOCH_AWARE if c.get("utc") else EPOCH_NAIVE
            return base + dt.timedelta(microseconds=us)
        if "$time" in c:
            us = c["$time"] * UNIT_NS[c["unit"]] // 1000
            return (dt.datetime(2000, 1, 1) + dt.timedelta(microseconds=us)).time()
    return c


def show(c: Any) -> str:
    return json.dumps(c, ensure_ascii=False, default=str, sort_keys=False)


# ---------------------------------------------------------------------------
# comparison
# ---------------------------------------------------------------------------
def _tag(c):
    if isinstance(c, dict):
        for k in ("$float", "$hex", "$uuid", "$decimal", "$date", "$ts", "$time", "$map"):
            if k in c:
                return k
        return "struct"
    if isinstance(c, list):
        return "list"
    if isinstance(c, bool):
        return "bool"
    if isinstance(c, (int, float)):
        return "number"
    if isinstance(c, str):
        return "str"
    return "null" if c is None else type(c).__name__


def _float_kind(atype) -> str | None:
    """'f32'/'f16' when the file's arrow type at this position is a narrow float."""
    if atype is None:
        return None
    import pyarrow as pa

    if pa.types.is_float32(atype):
        return "f32"
    if pa.types.is_float16(atype):
        return "f16"
    return None


def _child_type(atype, key):
    if atype is None:
        return None
    import pyarrow as pa

    if isinstance(atype, pa.BaseExtensionType):
        atype = atype.storage_type
    try:
        if key == "[]" and (pa.types.is_list(atype) or pa.types.is_large_list(atype)
                            or pa.types.is_fixed_size_list(atype)):
            return atype.value_type
        if key == "key" and pa.types.is_map(atype):
            return atype.key_type
        if key == "value" and pa.types.is_map(atype):
            return atype.item_type
        if pa.types.is_struct(atype) and key not in ("[]",):
            return atype.field(key).type
    except KeyError:
        return None
    return None


def _num_equal(e, a, kind) -> bool:
    e, a = float(e), float(a)
    if kind == "f32":
        e, a = struct.unpack("<f", struct.pack("<f", e))[0], struct.unpack("<f", struct.pack("<f", a))[0]
    elif kind == "f16":
        e, a = struct.unpack("<e", struct.pack("<e", e))[0], struct.unpack("<e", struct.pack("<e", a))[0]
    return e == a and math.copysign(1.0, e) == math.copysign(1.0, a)


def _ticks_equal(e_val, e_unit, a_val, a_unit) -> bool:
    e_ns, a_ns = e_val * UNIT_NS[e_unit], a_val * UNIT_NS[a_unit]
    if UNIT_NS[a_unit] > UNIT_NS[e_unit]:
        # The reader's Python type is coarser than the file (datetime/time hold
        # µs): accept floor or truncation toward zero of the expected value.
        f = UNIT_NS[a_unit]
        floor = (e_ns // f) * f
        trunc = int(e_ns / f) * f if abs(e_ns) < 2**52 else (abs(e_ns) // f) * f * (1 if e_ns >= 0 else -1)
        return a_ns in (floor, trunc)
    return e_ns == a_ns


def first_difference(e: Any, a: Any, reader: str, atype=None, path: str = "") -> str | None:
    """Return a description of the first difference, or None if equal."""
    q = QUIRKS.get(reader, set())
    te, ta = _tag(e), _tag(a)
    here = path or "<value>"

    def diff(why=""):
        return f"{here}: expected {show(e)}, {reader} gave {show(a)}" + (f" ({why})" if why else "")

    if te == "null":
        if ta == "null" or ("null_as_nan" in q and a == {"$float": "nan"}):
            return None
        return diff()
    if ta == "null":
        return diff()
    if te == "$float":
        return None if a == e else diff()
    if te == "number" and not isinstance(e, bool):
        if ta == "number":
            if isinstance(e, int) and isinstance(a, int):
                return None if e == a else diff()
            return None if _num_equal(e, a, _float_kind(atype)) else diff()
        if ta == "$decimal" and "int_as_decimal" in q and isinstance(e, int):
            d = Decimal(a["$decimal"])
            return None if d == e and d.as_tuple().exponent == 0 else diff()
        return diff()
    if te == "bool":
        return None if a is e or (ta == "bool" and a == e) else diff()
    if te == "str":
        if ta == "str":
            return None if a == e else diff()
        if "json_parsed" in q and isinstance(a, (dict, list)):
            # fastparquet hands JSON columns back parsed.
            try:
                return None if json.loads(e) == a else diff("JSON read parsed")
            except ValueError:
                return diff()
        if ta == "$hex" and "string_as_binary" in q:
            return None if bytes.fromhex(a["$hex"]) == e.encode() else diff("read as binary")
        return diff()
    if te == "$hex":
        return None if ta == "$hex" and a["$hex"].lower() == e["$hex"].lower() else diff()
    if te == "$uuid":
        want = uuid.UUID(e["$uuid"])
        if ta == "$uuid":
            return None if uuid.UUID(a["$uuid"]) == want else diff()
        if ta == "$hex" and "uuid_as_binary" in q:
            return None if bytes.fromhex(a["$hex"]) == want.bytes else diff("read as binary")
        return diff()
    if te == "$decimal":
        want = Decimal(e["$decimal"])
        if ta == "$decimal":
            got = Decimal(a["$decimal"])
            if got != want:
                return diff()
            if got.as_tuple().exponent != want.as_tuple().exponent:
                return diff("scale differs")
            return None
        if ta == "number" and "decimal_as_float" in q:
            return None if float(want) == float(a) else diff("decimal read as float")
        return diff()
    if te == "$date":
        if ta == "$date":
            return None if a["$date"] == e["$date"] else diff()
        if ta == "$ts" and "date_as_timestamp" in q:
            return None if _ticks_equal(e["$date"] * 86_400, "s", a["$ts"], a["unit"]) else diff()
        return diff()
    if te == "$ts":
        if ta != "$ts":
            return diff()
        if bool(a.get("utc")) != bool(e.get("utc")) and "tz_lost" not in q:
            return diff("UTC-adjusted flag differs")
        return None if _ticks_equal(e["$ts"], e["unit"], a["$ts"], a["unit"]) else diff()
    if te == "$time":
        if ta == "$time":
            return None if _ticks_equal(e["$time"], e["unit"], a["$time"], a["unit"]) else diff()
        if ta == "number" and "time_as_int" in q:
            return None if a == e["$time"] else diff("TIME read as raw integer")
        return diff()
    if te == "list":
        if ta != "list":
            return diff()
        if len(a) != len(e):
            return diff(f"length {len(e)} vs {len(a)}")
        ct = _child_type(atype, "[]")
        for i, (x, y) in enumerate(zip(e, a)):
            d = first_difference(x, y, reader, ct, f"{here}[{i}]")
            if d:
                return d
        return None
    if te == "$map":
        pairs = _as_pairs(a)
        if pairs is None:
            return diff()
        exp_pairs = e["$map"]
        if len(pairs) != len(exp_pairs):
            return diff(f"{len(exp_pairs)} vs {len(pairs)} entries")
        kt, vt = _child_type(atype, "key"), _child_type(atype, "value")
        if "unordered_maps" not in q:
            for i, ((ek, ev), (ak, av)) in enumerate(zip(exp_pairs, pairs)):
                d = (first_difference(ek, ak, reader, kt, f"{here}{{#{i} key}}")
                     or first_difference(ev, av, reader, vt, f"{here}{{{show(ek)}}}"))
                if d:
                    return d
            return None
        remaining = list(pairs)
        for ek, ev in exp_pairs:
            for j, (ak, av) in enumerate(remaining):
                if first_difference(ek, ak, reader, kt) is None:
                    d = first_difference(ev, av, reader, vt, f"{here}{{{show(ek)}}}")
                    if d:
                        return d
                    del remaining[j]
                    break
            else:
                return diff(f"key {show(ek)} missing (map order ignored for {reader})")
        return None
    if te == "struct":
        if ta != "struct":
            return diff()
        if set(a) != set(e):
            return diff(f"fields {sorted(e)} vs {sorted(a)}")
        for k in e:
            d = first_difference(e[k], a[k], reader, _child_type(atype, k), f"{here}.{k}" if path else k)
            if d:
                return d
        return None
    return diff("unknown canonical form")


def _as_pairs(a):
    """A reader's map value as [[k, v], ...] (canonical), or None."""
    t = _tag(a)
    if t == "$map":
        return a["$map"]
    if t == "struct":  # dict with str keys (DuckDB, polars, Spark)
        return [[k, v] for k, v in a.items()]
    if t == "list":  # pyarrow: list of (k, v) tuples; or list of {key, value}
        out = []
        for item in a:
            if isinstance(item, list) and len(item) == 2:
                out.append(item)
            elif isinstance(item, dict) and set(item) == {"key", "value"}:
                out.append([item["key"], item["value"]])
            else:
                return None
        return out
    return None


def compare_rows(expected: list[dict], actual: list[dict], reader: str, arrow_schema=None) -> str | None:
    if len(actual) != len(expected):
        return f"row count: expected {len(expected)}, {reader} gave {len(actual)}"
    for i, (er, ar) in enumerate(zip(expected, actual)):
        if set(ar) != set(er):
            return (f"row {i}: columns differ: expected {sorted(er)}, {reader} gave {sorted(ar)}")
        for col in er:
            atype = None
            if arrow_schema is not None and arrow_schema.get_field_index(col) >= 0:
                atype = arrow_schema.field(col).type
            d = first_difference(er[col], ar[col], reader, atype, col)
            if d:
                return f"row {i}, column {col!r}: {d}"
    return None


# ---------------------------------------------------------------------------
# readers (each returns a list of canonical rows)
# ---------------------------------------------------------------------------
def read_pyarrow(path: Path) -> list[dict]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    cols = {}
    for name, col in zip(table.column_names, table.columns):
        t = col.type
        if pa.types.is_timestamp(t) or pa.types.is_time(t):
            # exact ticks (as_py() would round ns to µs or give pandas objects)
            ticks = col.cast(pa.int64() if t.bit_width == 64 else pa.int32()).to_pylist()
            if pa.types.is_timestamp(t):
                cols[name] = [None if v is None else {"$ts": v, "unit": t.unit, "utc": t.tz is not None}
                              for v in ticks]
            else:
                cols[name] = [None if v is None else {"$time": v, "unit": t.unit} for v in ticks]
        elif pa.types.is_date32(t):
            # exact days (as_py() fails outside Python's year range 1..9999)
            cols[name] = [None if v is None else {"$date": v} for v in col.cast(pa.int32()).to_pylist()]
        else:
            cols[name] = [canonical(v) for v in col.to_pylist()]
    return [{n: cols[n][i] for n in cols} for i in range(table.num_rows)]


def read_duckdb(path: Path, con=None) -> list[dict]:
    import duckdb

    con = con or duckdb.connect()
    lit = str(path).replace("'", "''")
    desc = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{lit}')").fetchall()
    exprs, special = [], {}
    for name, typ, *_ in desc:
        q = '"' + name.replace('"', '""') + '"'
        # Python datetime/time hold µs only: fetch ns columns as integers
        if typ in ("TIMESTAMP_NS", "TIMESTAMPTZ_NS", "TIMESTAMP WITH TIME ZONE_NS"):
            exprs.append(f"epoch_ns({q}) AS {q}")
            special[name] = ("ts", typ != "TIMESTAMP_NS")
        elif typ == "TIME_NS":
            exprs.append(f"{q}::VARCHAR AS {q}")
            special[name] = ("time_ns_str", None)
        else:
            exprs.append(q)
    rel = con.execute(f"SELECT {', '.join(exprs)} FROM read_parquet('{lit}')")
    names = [d[0] for d in rel.description]
    out = []
    for row in rel.fetchall():
        r = {}
        for n, v in zip(names, row):
            kind = special.get(n)
            if v is None or kind is None:
                r[n] = canonical(v)
            elif kind[0] == "ts":
                r[n] = {"$ts": int(v), "unit": "ns", "utc": kind[1]}
            else:
                r[n] = {"$time": _parse_time_ns(v), "unit": "ns"}
        out.append(r)
    return out


def _parse_time_ns(s: str) -> int:
    hms, _, frac = s.partition(".")
    h, m, sec = (int(x) for x in hms.split(":"))
    return ((h * 60 + m) * 60 + sec) * 1_000_000_000 + int((frac + "000000000")[:9])


def read_polars(path: Path) -> list[dict]:
    import polars as pl

    df = pl.read_parquet(path)
    special = {}
    casts = []
    for name, dtype in df.schema.items():
        if isinstance(dtype, pl.Datetime):
            special[name] = ("ts", dtype.time_unit, dtype.time_zone is not None)
            casts.append(pl.col(name).cast(pl.Int64))
        elif dtype == pl.Time:  # polars Time is ns since midnight
            special[name] = ("time", "ns", None)
            casts.append(pl.col(name).cast(pl.Int64))
    if casts:
        df = df.with_columns(casts)
    out = []
    for row in df.iter_rows(named=True):
        r = {}
        for n, v in row.items():
            s = special.get(n)
            if v is None or s is None:
                r[n] = canonical(v)
            elif s[0] == "ts":
                r[n] = {"$ts": v, "unit": s[1], "utc": s[2]}
            else:
                r[n] = {"$time": v, "unit": "ns"}
        out.append(r)
    return out


def read_fastparquet(path: Path) -> list[dict]:
    import fastparquet

    pdf = fastparquet.ParquetFile(str(path)).to_pandas()
    return [{str(k): canonical(v) for k, v in rec.items()} for rec in pdf.to_dict("records")]


def spark_row_to_canonical(value, dtype):
    """Type-directed: Spark returns naive datetimes for both TIMESTAMP types."""
    from pyspark.sql import types as T

    if value is None:
        return None
    if isinstance(dtype, T.StructType):
        return {f.name: spark_row_to_canonical(value[f.name], f.dataType) for f in dtype.fields}
    if isinstance(dtype, T.ArrayType):
        return [spark_row_to_canonical(v, dtype.elementType) for v in value]
    if isinstance(dtype, T.MapType):
        return {"$map": [[spark_row_to_canonical(k, dtype.keyType), spark_row_to_canonical(v, dtype.valueType)]
                         for k, v in value.items()]}
    if isinstance(dtype, T.TimestampType):
        # local wall-clock of the Python process; conftest pins TZ=UTC
        c = canonical(value.replace(tzinfo=None))
        c["utc"] = True
        return c
    return canonical(value)


def spark_uri_to_path(uri: str) -> Path:
    return Path(urllib.parse.unquote(urllib.parse.urlparse(uri).path)).resolve()
