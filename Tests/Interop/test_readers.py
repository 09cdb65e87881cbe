"""Independent-reader verification of every Parquet file the Laketap writer produces.

The Swift generator (``Tests/InteropGenerator``) writes, into ``$LAKETAP_INTEROP_DIR``
(default ``<repo>/interop-out``), pairs of ``<name>.parquet`` + ``<name>.expect.json``.
For every pair this suite reads the file with each reader the expectation names and
checks it against the expectation; nothing expected is hard-coded here.

Expectation contract (``<name>.expect.json``)::

    file      "<name>.parquet" (next to the expect file)
    rows      [ {<top-level column>: <canonical value>, ...}, ... ]   -- all rows, in order
    readers   subset of pyarrow, duckdb, polars, spark, fastparquet that must read it;
              "spark" means both the vectorized and the row-based (parquet-mr) reader
    columns   {<col>: {"duckdb_type": DESCRIBE column_type, "arrow_type": str(pyarrow type)}}
    metadata  num_rows, num_row_groups, page_checksums (pyarrow verifies every page CRC), codec (DuckDB parquet_metadata.compression spelling:
              UNCOMPRESSED SNAPPY GZIP ZSTD LZ4_RAW BROTLI), created_by_prefix,
              key_value {k: v} (must be present), leaves {<dotted path_in_schema>: {
                physical_type, logical_type (loose), converted_type, encodings (set, pyarrow
                names), has_dictionary_page, has_page_index (column + offset index),
                statistics {min, max, null_count, min_exact, max_exact} of row group 0, or null
                for "no min/max" (min/max null inside the object means the same),
                bloom {present: [...], absent: [...]} (top-level columns; DuckDB probe)}}
    (every key except file/rows/readers is optional)

Canonical values: null, bool, int, number or {"$float": "nan"|"inf"|"-inf"|"-0"}, str,
{"$hex": ".."} binary, {"$ts": n, "unit": "ms"|"us"|"ns", "utc": bool},
{"$date": days}, {"$time": n, "unit": ..}, {"$decimal": "1.20"} (exact scale),
{"$uuid": ".."}, list -> array, struct -> object, map -> {"$map": [[k, v], ...]}.

Tests (ids name the reader and the case):
  test_values[<reader>-<case>]         rows read by the reader == expected rows
  test_columns[<pyarrow|duckdb>-<case>] declared column types
  test_file_metadata[<src>-<case>]     rows, row groups, codec, created_by, key/value
  test_leaves[<src>-<case>]            per-leaf physical/logical types, encodings, stats
  test_bloom[duckdb-<case>]            parquet_bloom_probe on present/absent values
A reader that is not installed fails the test when ``CI`` is set, and skips otherwise.
Reader quirks that are tolerated are listed in ``normalize.QUIRKS``.

Run:  LAKETAP_INTEROP_DIR=... /work/main/.venv/bin/python -m pytest Tests/Interop -q
Self-test (no Swift needed): ``make_samples.py OUT_DIR`` writes pyarrow-made cases.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import uuid
from decimal import Decimal

import pytest

import normalize
from conftest import CASES, SPARK_VARIANTS, in_ci, interop_dir, require_reader
from normalize import first_difference, show

READ = {
    "pyarrow": normalize.read_pyarrow,
    "duckdb": normalize.read_duckdb,
    "polars": normalize.read_polars,
    "fastparquet": normalize.read_fastparquet,
}


def _usable(case):
    if case.error:
        pytest.fail(f"{case.expect_path}: {case.error}", pytrace=False)
    if not case.parquet.is_file():
        pytest.fail(f"{case.expect_path}: data file {case.parquet} does not exist", pytrace=False)


def _report(case, source, problems):
    if problems:
        pytest.fail(f"{case.name} ({source}, {case.parquet.name}):\n  - " + "\n  - ".join(problems),
                    pytrace=False)


def _arrow_schema(path):
    try:
        import pyarrow.parquet as pq

        return pq.read_schema(path)
    except Exception:  # only used to know float32/float16 positions
        return None


def _q(path) -> str:
    return str(path).replace("'", "''")


# ---------------------------------------------------------------------------
def test_cases_found():
    if not CASES:
        msg = f"no *.expect.json found in {interop_dir()} (set LAKETAP_INTEROP_DIR)"
        if in_ci():
            pytest.fail(msg + " (CI is set: the interop suite must not pass vacuously)", pytrace=False)
        pytest.skip(msg)


def test_values(value_case, request):
    reader, case = value_case
    _usable(case)
    require_reader(reader)
    base = "spark" if reader in SPARK_VARIANTS else reader
    try:
        if base == "spark":
            rows = request.getfixturevalue("spark_results").rows(case.parquet, SPARK_VARIANTS[reader])
        else:
            rows = READ[reader](case.parquet)
    except AssertionError as e:
        pytest.fail(f"{case.name}: {reader}: {e}", pytrace=False)
    except Exception as e:  # noqa: BLE001 - a reader error is the finding
        pytest.fail(f"{case.name}: {reader} could not read {case.parquet.name}: {type(e).__name__}: {e}",
                    pytrace=False)
    diff = normalize.compare_rows(case.expect["rows"], rows, base, _arrow_schema(case.parquet))
    if diff:
        pytest.fail(f"{case.name} read with {reader}: {diff}", pytrace=False)


def test_columns(columns_case, request):
    source, case = columns_case
    _usable(case)
    problems = []
    cols = case.expect["columns"]
    if source == "pyarrow":
        require_reader("pyarrow")
        schema = _arrow_schema(case.parquet)
        for col, exp in cols.items():
            if "arrow_type" not in exp:
                continue
            if schema is None or schema.get_field_index(col) < 0:
                problems.append(f"column {col!r} not in pyarrow schema")
            elif str(schema.field(col).type) != exp["arrow_type"]:
                problems.append(f"column {col!r}: arrow type expected {exp['arrow_type']!r}, "
                                f"got {str(schema.field(col).type)!r}")
    else:
        con = request.getfixturevalue("duck")
        desc = {r[0]: r[1] for r in con.execute(
            f"DESCRIBE SELECT * FROM read_parquet('{_q(case.parquet)}')").fetchall()}
        for col, exp in cols.items():
            if "duckdb_type" not in exp:
                continue
            if col not in desc:
                problems.append(f"column {col!r} not in DuckDB DESCRIBE ({sorted(desc)})")
            elif desc[col] != exp["duckdb_type"]:
                problems.append(f"column {col!r}: DuckDB type expected {exp['duckdb_type']!r}, got {desc[col]!r}")
    _report(case, source, problems)


# ---------------------------------------------------------------------------
def _codec(name) -> str:
    n = str(name).upper()
    return {"NONE": "UNCOMPRESSED", "LZ4RAW": "LZ4_RAW"}.get(n, n)


def test_file_metadata(meta_case, request):
    source, case = meta_case
    _usable(case)
    m = case.metadata
    problems = []
    if source == "pyarrow":
        require_reader("pyarrow")
        import pyarrow.parquet as pq

        md = pq.ParquetFile(case.parquet).metadata
        num_rows, num_rgs, created_by = md.num_rows, md.num_row_groups, md.created_by or ""
        kv = {k.decode(errors="replace"): v.decode(errors="replace") for k, v in (md.metadata or {}).items()}
        # pyarrow prints LZ4_RAW as "LZ4" (ColumnChunkMetaData.compression)
        codecs = {_codec(md.row_group(i).column(j).compression)
                  for i in range(md.num_row_groups) for j in range(md.num_columns)}
        if codecs == {"LZ4"} and _codec(m.get("codec")) == "LZ4_RAW":
            codecs = {"LZ4_RAW"}
        if m.get("page_checksums"):
            # Every page carries a CRC-32; pyarrow recomputes and compares each one.
            try:
                pq.read_table(case.parquet, page_checksum_verification=True)
            except Exception as e:  # noqa: BLE001 - the failure is the finding
                problems.append(f"page CRC verification failed: {type(e).__name__}: {e}")
    else:
        con = request.getfixturevalue("duck")
        q = _q(case.parquet)
        created_by, num_rows, num_rgs = con.execute(
            f"SELECT created_by, num_rows, num_row_groups FROM parquet_file_metadata('{q}')").fetchone()
        created_by = created_by or ""
        kv = {bytes(k).decode(errors="replace"): bytes(v).decode(errors="replace") for k, v in con.execute(
            f"SELECT key, value FROM parquet_kv_metadata('{q}')").fetchall()}
        codecs = {_codec(r[0]) for r in con.execute(
            f"SELECT DISTINCT compression FROM parquet_metadata('{q}')").fetchall()}
    if "num_rows" in m and num_rows != m["num_rows"]:
        problems.append(f"num_rows: expected {m['num_rows']}, got {num_rows}")
    if "num_row_groups" in m and num_rgs != m["num_row_groups"]:
        problems.append(f"num_row_groups: expected {m['num_row_groups']}, got {num_rgs}")
    if "num_rows" not in m and num_rows != len(case.expect["rows"]):
        problems.append(f"num_rows {num_rows} != number of expected rows {len(case.expect['rows'])}")
    if "created_by_prefix" in m and not created_by.startswith(m["created_by_prefix"]):
        problems.append(f"created_by {created_by!r} does not start with {m['created_by_prefix']!r}")
    if "codec" in m and codecs and codecs != {_codec(m["codec"])}:
        problems.append(f"codec: expected {m['codec']} on every column chunk, got {sorted(codecs)}")
    for k, v in (m.get("key_value") or {}).items():
        if k not in kv:
            problems.append(f"key_value {k!r} missing (present: {sorted(kv)})")
        elif kv[k] != v:
            problems.append(f"key_value {k!r}: expected {v!r}, got {kv[k]!r}")
    _report(case, source, problems)


# ---------------------------------------------------------------------------
def _logical_matches(expected: str, actual: str | None, with_params: bool) -> bool:
    def split(s):
        name, _, rest = str(s).partition("(")
        name = re.sub(r"type$", "", name.strip().lower())
        params = {p.strip().lower().replace(" ", "") for p in rest.rstrip(")").split(",") if "=" in p}
        return name, params

    if actual is None or str(actual) in ("None", "NONE", ""):
        return expected in (None, "", "None", "NONE")
    en, ep = split(expected)
    an, ap = split(actual)
    return en == an and (not with_params or ep <= ap)


def _duck_schema_paths(rows):
    """parquet_schema rows (in order) -> {dotted leaf path: row}."""
    out, stack = {}, []  # stack of [prefix, remaining children]
    for r in rows[1:]:  # skip the root
        while stack and stack[-1][1] == 0:
            stack.pop()
        prefix = stack[-1][0] + "." if stack else ""
        if stack:
            stack[-1][1] -= 1
        path = prefix + r["name"]
        if r["num_children"]:
            stack.append([path, r["num_children"]])
        else:
            out[path] = r
    return out


def _duck_stat(s: str, like):
    """Parse a DuckDB stats_*_value string into canonical form shaped like `like`."""
    t = normalize._tag(like)
    if t == "number":
        return int(s) if isinstance(like, int) and re.fullmatch(r"-?\d+", s) else normalize._float(float(s))
    if t == "$float":
        return normalize._float(float(s))
    if t == "bool":
        return s.lower() == "true"
    if t == "str":
        return s
    if t == "$decimal":
        return {"$decimal": s}
    if t == "$uuid":
        return {"$uuid": s}
    if t == "$hex":
        b = re.sub(rb"\\x([0-9A-Fa-f]{2})", lambda mm: bytes([int(mm.group(1), 16)]), s.encode("latin-1", "backslashreplace"))
        return {"$hex": b.hex()}
    if t == "$date":
        return {"$date": (dt.date.fromisoformat(s) - dt.date(1970, 1, 1)).days}
    if t == "$time":
        return {"$time": normalize._parse_time_ns(s), "unit": "ns"}
    if t == "$ts":
        m = re.fullmatch(r"(\d{4,}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d+))?(\+00(?::00)?)?", s)
        if not m:
            return s
        days = (dt.date.fromisoformat(m.group(1)) - dt.date(1970, 1, 1)).days
        h, mi, sec = (int(x) for x in m.group(2).split(":"))
        ns = ((days * 24 + h) * 60 + mi) * 60 + sec
        ns = ns * 1_000_000_000 + int(((m.group(3) or "") + "000000000")[:9])
        return {"$ts": ns, "unit": "ns", "utc": m.group(4) is not None}
    return s


def _stat_problems(path, exp, mins, maxs, nulls, exact, source, logical, physical):
    """exp: expected statistics dict or None. mins/maxs: canonical or None."""
    import pyarrow as pa

    atype = pa.float32() if physical == "FLOAT" else pa.float16() if logical.startswith("float16") else None
    problems = []
    if exp is None or (exp.get("min") is None and exp.get("max") is None):
        if mins is not None or maxs is not None:
            problems.append(f"{path}: statistics: expected no min/max, got min={show(mins)} max={show(maxs)}")
    else:
        for key, got in (("min", mins), ("max", maxs)):
            want = exp.get(key)
            if want is None:
                continue
            if got is None:
                if source == "duckdb" and normalize._tag(want) == "$float" and want["$float"] != "nan":
                    continue  # DuckDB prints NULL for an infinite float min/max
                problems.append(f"{path}: statistics.{key}: expected {show(want)}, {source} has none")
                continue
            got_c = got
            if logical == "float16" and normalize._tag(got) == "$hex":
                got_c = normalize._float(struct.unpack("<e", bytes.fromhex(got["$hex"]))[0])
            if normalize._tag(want) == "$uuid" and normalize._tag(got) == "$hex":
                got_c = {"$uuid": str(uuid.UUID(bytes=bytes.fromhex(got["$hex"])))}
            d = first_difference(want, got_c, source, atype, f"{path}: statistics.{key}")
            if d:
                problems.append(d)
    if exp is not None and "null_count" in exp and nulls != exp["null_count"]:
        problems.append(f"{path}: statistics.null_count: expected {exp['null_count']}, {source} has {nulls}")
    if exp is not None and exact is not None:
        for key, got in zip(("min_exact", "max_exact"), exact):
            if key in exp and exp.get(key.split("_")[0]) is not None and got is not None and got != exp[key]:
                problems.append(f"{path}: statistics.{key}: expected {exp[key]}, {source} has {got}")
    return problems


def test_leaves(leaves_case, request):
    source, case = leaves_case
    _usable(case)
    leaves = case.metadata["leaves"]
    problems = []
    if source == "pyarrow":
        require_reader("pyarrow")
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(case.parquet)
        md, schema = pf.metadata, pf.schema
        rg = md.row_group(0) if md.num_row_groups else None
        paths = [schema.column(j).path for j in range(len(schema))]
        for path, exp in leaves.items():
            if path not in paths:
                problems.append(f"{path}: leaf not in file (leaves: {paths})")
                continue
            j = paths.index(path)
            sc = schema.column(j)
            if "physical_type" in exp and sc.physical_type != exp["physical_type"]:
                problems.append(f"{path}: physical_type expected {exp['physical_type']}, got {sc.physical_type}")
            if "converted_type" in exp and (sc.converted_type or "NONE") != (exp["converted_type"] or "NONE"):
                problems.append(f"{path}: converted_type expected {exp['converted_type']}, got {sc.converted_type}")
            if "logical_type" in exp and not _logical_matches(exp["logical_type"], str(sc.logical_type), True):
                problems.append(f"{path}: logical_type expected {exp['logical_type']!r}, got {str(sc.logical_type)!r}")
            if rg is None:
                continue
            cc = rg.column(j)
            if "encodings" in exp and set(cc.encodings) != set(exp["encodings"]):
                problems.append(f"{path}: encodings expected {sorted(exp['encodings'])}, got {sorted(cc.encodings)}")
            if "has_dictionary_page" in exp and cc.has_dictionary_page != exp["has_dictionary_page"]:
                problems.append(f"{path}: has_dictionary_page expected {exp['has_dictionary_page']}, "
                                f"got {cc.has_dictionary_page}")
            if "has_page_index" in exp:
                got = (cc.has_column_index, cc.has_offset_index)
                if got != (exp["has_page_index"],) * 2:
                    problems.append(f"{path}: has_page_index expected {exp['has_page_index']}, "
                                    f"got column_index={got[0]} offset_index={got[1]}")
            if "bloom" in exp and getattr(cc, "bloom_filter_offset", None) is None:
                problems.append(f"{path}: bloom filter expected, bloom_filter_offset is not set")
            if "statistics" in exp:
                st = cc.statistics
                has = st is not None and st.has_min_max
                mins = normalize.canonical(st.min) if has else None
                maxs = normalize.canonical(st.max) if has else None
                nulls = st.null_count if st is not None and st.has_null_count else None
                problems += _stat_problems(path, exp["statistics"], mins, maxs, nulls, None, "pyarrow",
                                           str(sc.logical_type).lower(), sc.physical_type)
    else:
        con = request.getfixturevalue("duck")
        q = _q(case.parquet)
        cur = con.execute(f"SELECT * FROM parquet_metadata('{q}') WHERE row_group_id = 0")
        names = [d[0] for d in cur.description]
        chunks = {r["path_in_schema"].replace(", ", "."): r for r in (dict(zip(names, x)) for x in cur.fetchall())}
        cur = con.execute(f"SELECT * FROM parquet_schema('{q}')")
        names = [d[0] for d in cur.description]
        sch = _duck_schema_paths([dict(zip(names, x)) for x in cur.fetchall()])
        for path, exp in leaves.items():
            r, s = chunks.get(path), sch.get(path)
            if r is None:
                problems.append(f"{path}: leaf not in DuckDB parquet_metadata (leaves: {sorted(chunks)})")
                continue
            if "physical_type" in exp and r["type"] != exp["physical_type"]:
                problems.append(f"{path}: physical_type expected {exp['physical_type']}, got {r['type']}")
            if s is not None and "converted_type" in exp and (s["converted_type"] or None) != (exp["converted_type"] or None):
                problems.append(f"{path}: converted_type expected {exp['converted_type']}, got {s['converted_type']}")
            if s is not None and "logical_type" in exp and not _logical_matches(exp["logical_type"], s["logical_type"], False):
                problems.append(f"{path}: logical_type expected {exp['logical_type']!r}, got {s['logical_type']!r}")
            if "encodings" in exp and set(r["encodings"].split(", ")) != set(exp["encodings"]):
                problems.append(f"{path}: encodings expected {sorted(exp['encodings'])}, got {r['encodings']!r}")
            if "has_dictionary_page" in exp and (r["dictionary_page_offset"] is not None) != exp["has_dictionary_page"]:
                problems.append(f"{path}: has_dictionary_page expected {exp['has_dictionary_page']}, "
                                f"dictionary_page_offset={r['dictionary_page_offset']}")
            if "bloom" in exp and r["bloom_filter_offset"] is None:
                problems.append(f"{path}: bloom filter expected, DuckDB sees no bloom_filter_offset")
            if "statistics" in exp:
                est = exp["statistics"]
                like_min = (est or {}).get("min")
                like_max = (est or {}).get("max")
                mins = r["stats_min_value"]
                maxs = r["stats_max_value"]
                mins = None if mins is None else (_duck_stat(mins, like_min) if like_min is not None else mins)
                maxs = None if maxs is None else (_duck_stat(maxs, like_max) if like_max is not None else maxs)
                problems += _stat_problems(path, est, mins, maxs, r["stats_null_count"],
                                           (r["min_is_exact"], r["max_is_exact"]), "duckdb",
                                           str((s or {}).get("logical_type") or "").lower(), r["type"])
    _report(case, source, problems)


# ---------------------------------------------------------------------------
def test_bloom(bloom_case, request):
    case = bloom_case
    _usable(case)
    con = request.getfixturevalue("duck")
    import pyarrow.parquet as pq

    md = pq.ParquetFile(case.parquet).metadata
    bounds, start = [], 0
    for i in range(md.num_row_groups):
        n = md.row_group(i).num_rows
        bounds.append((start, start + n))
        start += n
    rows = case.expect["rows"]
    problems = []
    for path, leaf in (case.metadata.get("leaves") or {}).items():
        bloom = (leaf or {}).get("bloom")
        if not bloom:
            continue
        if "." in path:
            problems.append(f"{path}: bloom expectations are only checkable on top-level columns "
                            "(DuckDB parquet_bloom_probe takes a column name)")
            continue

        def probe(value):
            res = con.execute("SELECT row_group_id, bloom_filter_excludes FROM parquet_bloom_probe(?, ?, ?)",
                              [str(case.parquet), path, normalize.to_python(value)]).fetchall()
            return {rg: ex for rg, ex in res}

        for v in bloom.get("present", []):
            got = probe(v)
            holding = [i for i, (a, b) in enumerate(bounds)
                       if any(first_difference(v, r.get(path), "pyarrow") is None for r in rows[a:b])]
            if not holding:
                problems.append(f"{path}: 'present' value {show(v)} is not in the expected rows")
            for i in holding:
                if got.get(i) is not False:
                    problems.append(f"{path}: present value {show(v)} excluded by the bloom filter of "
                                    f"row group {i} (probe: {got})")
        for v in bloom.get("absent", []):
            got = probe(v)
            if any(first_difference(v, r.get(path), "pyarrow") is None for r in rows):
                problems.append(f"{path}: 'absent' value {show(v)} occurs in the expected rows")
            bad = sorted(i for i, ex in got.items() if ex is not True)
            if bad or not got:
                problems.append(f"{path}: absent value {show(v)} not excluded in row groups {bad} (probe: {got})")
    _report(case, "duckdb", problems)
