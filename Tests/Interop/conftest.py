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

    Files whose columns do not clash are read together in one job with
    mergeSchema (rows are attributed through ``_metadata.file_path`` and
    ordered by ``_metadata.row_index``).  When a
    batch fails, its files are re-read one by one so the error lands on the
    file that caused it.
    """

    def __init__(self, spark, files: list[Path]):
        self.spark = spark
        self.files = files
        self.cache: dict[bool, dict[Path, object]] = {}
        self.seconds = 0.0
        self.footer_rows: dict[Path, int] = {}

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

    MAX_FILES_PER_JOB = 64
    MAX_COLUMNS_PER_JOB = 256

    def _groups(self):
        """Bucket files whose top-level columns never clash (same name, other type).

        A bucket is read in one job with mergeSchema; each file's rows are then
        cut back to that file's own columns.
        """
        import pyarrow.parquet as pq

        buckets: list[tuple[dict, list]] = []  # (lower-case column -> type string, [(file, cols)])
        for f in self.files:
            try:
                pf = pq.ParquetFile(f)
                schema = pf.schema_arrow
                self.footer_rows[f.resolve()] = pf.metadata.num_rows
                cols = {fl.name.lower(): str(fl.type) for fl in schema}
                names = [fl.name for fl in schema]
            except Exception:  # unreadable footer: read alone, Spark reports
                buckets.append(({}, [(f, None)]))
                continue
            for merged, members in buckets:
                if (members[0][1] is not None and len(members) < self.MAX_FILES_PER_JOB
                        and all(merged.get(k, t) == t for k, t in cols.items())
                        and len(merged.keys() | cols.keys()) <= self.MAX_COLUMNS_PER_JOB
                        and len(cols) == len(names)):
                    merged.update(cols)
                    members.append((f, names))
                    break
            else:
                buckets.append((dict(cols), [(f, names)]))
        return [members for _, members in buckets]

    def _read(self, members) -> dict[Path, list[dict]]:
        from pyspark.sql import functions as F

        files = [f for f, _ in members]
        own = {f.resolve(): names for f, names in members}
        df = self.spark.read.option("mergeSchema", str(len(files) > 1).lower()).parquet(*[str(f) for f in files])
        fields = df.schema.fields
        sel = [F.col("`" + f.name.replace("`", "``") + "`") for f in fields]
        sel += [F.col("_metadata.file_path").alias("__lt_file"), F.col("_metadata.row_index").alias("__lt_row")]
        out: dict[Path, list] = {f.resolve(): [] for f in files}
        for row in df.select(*sel).collect():
            p = normalize.spark_uri_to_path(row["__lt_file"])
            keep = own.get(p)
            rec = {f.name: normalize.spark_row_to_canonical(row[i], f.dataType) for i, f in enumerate(fields)
                   if keep is None or f.name in keep}
            out.setdefault(p, []).append((row["__lt_row"], rec))
        return {p: [r for _, r in sorted(v, key=lambda x: x[0])] for p, v in out.items()}

    def _load(self, vectorized: bool) -> dict[Path, object]:
        self.spark.conf.set("spark.sql.parquet.enableVectorizedReader", str(vectorized).lower())
        results: dict[Path, object] = {}
        for group in self._groups():
            self._read_batch(group, results)
        return results

    def _read_batch(self, members, results) -> None:
        """Read a batch tolerantly, then re-read alone (strictly) every file that
        did not yield its footer's row count, so each error lands on its file.
        A batch that fails as a whole (e.g. a schema Spark rejects) is halved."""
        if len(members) == 1:
            return self._read_alone(members[0], results)
        self.spark.conf.set("spark.sql.files.ignoreCorruptFiles", "true")
        try:
            got = self._read(members)
        except Exception:  # noqa: BLE001 - split and retry
            mid = len(members) // 2
            self._read_batch(members[:mid], results)
            self._read_batch(members[mid:], results)
            return
        finally:
            self.spark.conf.set("spark.sql.files.ignoreCorruptFiles", "false")
        for m in members:
            p = m[0].resolve()
            if p in self.footer_rows and len(got.get(p, [])) == self.footer_rows[p]:
                results[p] = got[p]
            else:
                self._read_alone(m, results)

    def _read_alone(self, member, results) -> None:
        try:
            results.update(self._read([member]))
        except Exception as e:  # noqa: BLE001 - a reader error is a finding
            results[member[0].resolve()] = _spark_error(e)


SPARK_TIMING: list[str] = []


def pytest_terminal_summary(terminalreporter):
    for line in SPARK_TIMING:
        terminalreporter.write_line(f"[interop] {line}")
    if not CASES:
        terminalreporter.write_line(f"[interop] no cases found in {interop_dir()}")


def _spark_error(e: BaseException) -> AssertionError:
    """Short message with the Java root cause (Py4JJavaError's own text is useless)."""
    msg = ""
    jex = getattr(e, "java_exception", None)
    if jex is not None:
        try:
            causes = [jex]
            while causes[-1].getCause() is not None and len(causes) < 20:
                causes.append(causes[-1].getCause())
            msg = " <- ".join(str(c.toString()).splitlines()[0] for c in reversed(causes[-2:]))
        except Exception:  # noqa: BLE001
            msg = ""
    if not msg:
        msg = str(e).strip().splitlines()[0] if str(e).strip() else repr(e)
    return AssertionError(f"Spark failed to read the file: {type(e).__name__}: {msg[:600]}")


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
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("OFF")
    startup = time.monotonic() - t0
    files = [c.parquet for c in CASES if not c.error and "spark" in c.readers and c.parquet.exists()]
    res = SparkResults(spark, files)
    yield res
    SPARK_TIMING.append(f"Spark: session startup {startup:.1f}s, {len(files)} files read in both "
                        f"reader modes in {res.seconds:.1f}s")
    spark.stop()


@pytest.fixture(scope="session")
def duck():
    require_reader("duckdb")
    import duckdb

    return duckdb.connect()
