"""Case discovery, parametrisation and the shared Spark session for test_readers.py."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Spark hands TIMESTAMP values to Python as naive datetimes in the *process*
# time zone; pin it so they are UTC wall-clock (see normalize.spark_row_to_canonical).
os.environ["TZ"] = "UTC"
time.tzset()

sys.path.insert(0, str(Path(__file__).parent))
import normalize  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
KNOWN_READERS = ("pyarrow", "duckdb", "polars", "spark", "fastparquet")
# A case's "spark" expands to two test variants.
SPARK_VARIANTS = {"spark_vectorized": True, "spark_rowbased": False}
READER_MODULES = {"pyarrow": "pyarrow.parquet", "duckdb": "duckdb", "polars": "polars",
                  "spark": "pyspark.sql", "fastparquet": "fastparquet"}


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def interop_dir() -> Path:
    return Path(os.environ.get("LAKETAP_INTEROP_DIR") or REPO / "interop-out").resolve()


@dataclass
class Case:
    name: str
    expect_path: Path
    expect: dict = field(default_factory=dict)
    error: str | None = None

    @property
    def parquet(self) -> Path:
        return self.expect_path.parent / self.expect.get("file", f"{self.name}.parquet")

    @property
    def readers(self) -> list[str]:
        return list(self.expect.get("readers", []))

    @property
    def metadata(self) -> dict:
        return self.expect.get("metadata") or {}

    def __str__(self) -> str:
        return self.name


def load_cases() -> list[Case]:
    d = interop_dir()
    cases = []
    for p in sorted(d.glob("*.expect.json")) if d.is_dir() else []:
        c = Case(p.name[: -len(".expect.json")], p)
        try:
            c.expect = json.loads(p.read_text())
            if not isinstance(c.expect.get("rows"), list):
                c.error = "'rows' must be a list"
            elif not c.readers:
                c.error = "'readers' is missing or empty"
        except (OSError, ValueError) as e:
            c.error = f"cannot load {p}: {e}"
        cases.append(c)
    return cases


CASES = load_cases()


def reader_variants(case: Case) -> list[str]:
    out = []
    for r in case.readers or ["<none>"]:
        out.extend(SPARK_VARIANTS if r == "spark" else [r])
    return out


def pytest_generate_tests(metafunc):
    if "value_case" in metafunc.fixturenames:
        params = [(r, c) for c in CASES for r in reader_variants(c)]
        metafunc.parametrize("value_case", params, ids=[f"{r}-{c.name}" for r, c in params])
    if "meta_case" in metafunc.fixturenames:
        # (source, case) for the metadata checks; both independent sources
        params = [(s, c) for c in CASES for s in ("pyarrow", "duckdb")]
        metafunc.parametrize("meta_case", params, ids=[f"{s}-{c.name}" for s, c in params])
    if "leaves_case" in metafunc.fixturenames:
        params = [(s, c) for c in CASES if c.metadata.get("leaves") for s in ("pyarrow", "duckdb")]
        metafunc.parametrize("leaves_case", params, ids=[f"{s}-{c.name}" for s, c in params])
    if "columns_case" in metafunc.fixturenames:
        params = []
        for c in CASES:
            cols = c.expect.get("columns") or {}
            if any("arrow_type" in v for v in cols.values()):
                params.append(("pyarrow", c))
            if any("duckdb_type" in v for v in cols.values()):
                params.append(("duckdb", c))
        metafunc.parametrize("columns_case", params, ids=[f"{s}-{c.name}" for s, c in params])
    if "bloom_case" in metafunc.fixturenames:
        params = [c for c in CASES
                  if any("bloom" in (leaf or {}) for leaf in (c.metadata.get("leaves") or {}).values())]
        metafunc.parametrize("bloom_case", params, ids=[f"duckdb-{c.name}" for c in params])


def missing(what: str) -> None:
    """Missing tool: a failure under CI, a skip elsewhere."""
    msg = f"{what} is not available"
    if in_ci():
        pytest.fail(f"{msg} (CI is set, so a missing reader is a failure)", pytrace=False)
    pytest.skip(msg)


def require_reader(name: str):
    base = "spark" if name in SPARK_VARIANTS else name
    if base not in READER_MODULES:
        pytest.fail(f"unknown reader {name!r} in expect file (known: {', '.join(KNOWN_READERS)})",
                    pytrace=False)
    try:
        mod = importlib.import_module(READER_MODULES[base])
    except ImportError as e:
        missing(f"reader {base!r} (import {READER_MODULES[base]} failed: {e})")
    if base == "spark" and not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        missing("reader 'spark' (no java on PATH and JAVA_HOME unset)")
    return mod


# ---------------------------------------------------------------------------
# Spark: one session; each file read once per reader mode, in batches
# ---------------------------------------------------------------------------
class SparkResults:
    """Reads every Spark case of the run in a few jobs per mode and caches rows.

    Files with an identical Parquet schema are read together in one job (rows
    are attributed through ``_metadata.file_path``/``row_index``).  When a
    batch fails, its files are re-read one by one so the error lands on the
    file that caused it.
    """

    def __init__(self, spark, files: list[Path]):
        self.spark = spark
        self.files = files
        self.cache: dict[bool, dict[Path, object]] = {}
        self.seconds = 0.0

    def rows(self, path: Path, vectorized: bool):
        if vectorized not in self.cache:
            t0 = time.monotonic()
            self.cache[vectorized] = self._load(vectorized)
            self.seconds += time.monotonic() - t0
        res = self.cache[vectorized].get(path.resolve())
        if res is None:
            raise AssertionError(f"Spark batch produced nothing for {path}")
        if isinstance(res, BaseException):
            raise res
        return res

    def _groups(self):
        import pyarrow.parquet as pq

        groups: dict[str, list[Path]] = {}
        for f in self.files:
            try:
                key = str(pq.ParquetFile(f).schema)
            except Exception:  # unreadable footer: read alone, Spark reports
                key = f"<alone:{f}>"
            groups.setdefault(key, []).append(f)
        return list(groups.values())

    def _read(self, files: list[Path]) -> dict[Path, list[dict]]:
        from pyspark.sql import functions as F

        df = self.spark.read.parquet(*[str(f) for f in files])
        fields = df.schema.fields
        sel = [F.col("`" + f.name.replace("`", "``") + "`") for f in fields]
        sel += [F.col("_metadata.file_path").alias("__lt_file"), F.col("_metadata.row_index").alias("__lt_row")]
        out: dict[Path, list] = {f.resolve(): [] for f in files}
        for row in df.select(*sel).collect():
            p = normalize.spark_uri_to_path(row["__lt_file"])
            rec = {f.name: normalize.spark_row_to_canonical(row[i], f.dataType) for i, f in enumerate(fields)}
            out.setdefault(p, []).append((row["__lt_row"], rec))
        return {p: [r for _, r in sorted(v, key=lambda x: x[0])] for p, v in out.items()}

    def _load(self, vectorized: bool) -> dict[Path, object]:
        self.spark.conf.set("spark.sql.parquet.enableVectorizedReader", str(vectorized).lower())
        results: dict[Path, object] = {}
        for group in self._groups():
            try:
                results.update(self._read(group))
                continue
            except Exception as e:  # noqa: BLE001 - re-read one by one
                if len(group) == 1:
                    results[group[0].resolve()] = _spark_error(e)
                    continue
            for f in group:
                try:
                    results.update(self._read([f]))
                except Exception as e:  # noqa: BLE001
                    results[f.resolve()] = _spark_error(e)
        return results


def _spark_error(e: BaseException) -> AssertionError:
    msg = str(e).strip().splitlines()[0] if str(e).strip() else repr(e)
    return AssertionError(f"Spark failed to read the file: {type(e).__name__}: {msg[:500]}")


@pytest.fixture(scope="session")
def spark_results():
    require_reader("spark")
    from pyspark.sql import SparkSession

    t0 = time.monotonic()
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("laketap-interop")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("OFF")
    startup = time.monotonic() - t0
    files = [c.parquet for c in CASES if not c.error and "spark" in c.readers and c.parquet.exists()]
    res = SparkResults(spark, files)
    yield res
    sys.stderr.write(f"\n[interop] Spark: startup {startup:.1f}s, reading {len(files)} files x 2 modes "
                     f"{res.seconds:.1f}s\n")
    spark.stop()


@pytest.fixture(scope="session")
def duck():
    require_reader("duckdb")
    import duckdb

    return duckdb.connect()
