"""The engines of the world-scale batch: an embedded DuckDB (memory limit, spill folder) or
a Spark session (``local[2]`` or a cluster's master), both behind ibis, with the checks that
make a missing piece a clear error (Java 17 or 21 for Spark, the ``[spark]`` extra).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exportplan.errors import InputError
from exportplan.ingest.baci_files import SourceFile

JAVA_MAJORS = (17, 21)
JAVA_HINT = "apt-get install openjdk-17-jre-headless (or point JAVA_HOME at a Java 17 or 21)"
EXTRA_HINT = "pip install 'exportplan[spark]' (ibis-framework with DuckDB and PySpark)"

#: Spark settings of a local run (tests and one machine); a --spark-config file adds or overrides
LOCAL_SPARK_CONF: dict[str, str] = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
}


class EngineError(InputError):
    """An engine cannot start here (no Java, a wrong Java, the extra not installed)."""


def _java_binary() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home:
        cand = Path(home) / "bin" / "java"
        return str(cand) if cand.exists() else None
    return shutil.which("java")


def java_version() -> tuple[int | None, str]:
    """The major version of the Java Spark would start (JAVA_HOME first, then PATH) and the
    binary's path; ``(None, "")`` when there is none."""
    java = _java_binary()
    if java is None:
        return None, ""
    try:
        res = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except OSError:
        return None, java
    m = re.search(r'version "(\d+)(?:\.(\d+))?', res.stderr + res.stdout)
    if m is None:
        return None, java
    major = int(m.group(1))
    if major == 1 and m.group(2):  # "1.8.0_392" is Java 8
        major = int(m.group(2))
    return major, java


def require_java() -> int:
    """Java's major version, or an :class:`EngineError` saying what to install."""
    major, java = java_version()
    if major is None:
        found = f"{java} does not run" if java else "found none"
        raise EngineError(f"Spark needs Java 17 or 21; {found}", hint=JAVA_HINT)
    if major not in JAVA_MAJORS:
        raise EngineError(f"Spark needs Java 17 or 21; found Java {major} ({java})", hint=JAVA_HINT)
    return major


def _ibis() -> Any:
    try:
        import ibis
    except ImportError as exc:
        raise EngineError("the batch needs ibis, which is not installed", hint=EXTRA_HINT) from exc
    return ibis


def spark_conf(master: str, config_file: Path | None) -> dict[str, str]:
    """The Spark settings of a run: the local defaults (on a ``local`` master) and the file's."""
    conf = dict(LOCAL_SPARK_CONF) if master.startswith("local") else {}
    if config_file is not None:
        import yaml

        try:
            data = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise InputError(f"{config_file}: not a readable YAML file ({exc})") from exc
        if not isinstance(data, dict):
            raise InputError(f"{config_file}: needs key: value pairs of Spark settings")
        conf.update(
            {str(k): str(v).lower() if isinstance(v, bool) else str(v) for k, v in data.items()}
        )
    return conf


def start_spark(
    master: str = "local[2]",
    config_file: Path | None = None,
    overrides: dict[str, str] | None = None,
) -> Any:
    """A Spark session on ``master`` (Java checked first); ``overrides`` go over the file's."""
    require_java()
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise EngineError(
            "--engine spark needs PySpark, which is not installed", hint=EXTRA_HINT
        ) from exc
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.master(master).appName("exportplan complexity batch")
    for key, value in {**spark_conf(master, config_file), **(overrides or {})}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


@dataclass
class Engine:
    """One engine behind ibis: ``name`` (duckdb or spark), its ibis backend, its versions."""

    name: str
    con: Any
    versions: dict[str, str]
    settings: dict[str, str] = field(default_factory=dict)
    session: Any = None
    owns_session: bool = False
    _held: list[Any] = field(default_factory=list)

    def read(self, files: list[SourceFile]) -> Any:
        """The files of one year as one ibis table (CSV read as text: codes keep their zeros)."""
        ibis = _ibis()
        from exportplan.analytics.batch_relational import VALUE

        parts = []
        for f in files:
            # Spark resolves a bare path against its default file system (HDFS on YARN)
            path = str(f.path) if self.name == "duckdb" else f.path.resolve().as_uri()
            if f.kind == "parquet":
                parts.append(self.con.read_parquet(path))
            elif self.name == "duckdb":
                parts.append(self.con.read_csv(path, all_varchar=True, header=True))
            else:
                parts.append(self.con.read_csv(path, header=True, inferSchema=False))
        cols = ("t", "i", "j", "k", "v")
        tables = []
        for f, p in zip(files, parts, strict=True):
            names = {c.lower(): c for c in p.columns}
            missing = [c for c in cols if c not in names]
            if missing:
                raise InputError(
                    f"{f.path.name}: missing column(s) {', '.join(missing)}; a BACI file has t, i, "
                    "j, k, v, q"
                )
            tables.append(
                p.select(
                    t=p[names["t"]].cast("int32"),
                    i=p[names["i"]].cast("int32"),
                    j=p[names["j"]].cast("int32"),
                    k=p[names["k"]].cast("string"),
                    v=p[names["v"]].cast(VALUE),
                )
            )
        return tables[0] if len(tables) == 1 else ibis.union(*tables)

    def collect(self, expr: Any) -> Any:
        """The expression's rows on the driver as an Arrow table of the expression's schema.
        Spark's are sent as Arrow batches (``DataFrame.toArrow``): ibis's own path goes through
        pandas row by row (every exact sum a Python ``Decimal``), minutes a year at BACI size."""
        if self.name == "duckdb":
            return expr.to_pyarrow()
        self.con._run_pre_execute_hooks(expr)  # ibis registers in-memory tables there
        table = self.session.sql(self.con.compile(expr)).toArrow()
        return table.cast(expr.schema().to_pyarrow())

    def keep(self, expr: Any) -> Any:
        """The expression computed once and held for the queries that use it again: Spark's
        plans recompute every reference to a subquery (the cells' totals were computed ten
        times a year), so there it is cached and counted at once; DuckDB plans it well as it
        is (the expression itself)."""
        if self.name == "duckdb":
            return expr
        self.con._run_pre_execute_hooks(expr)  # ibis's cache() does not register memtables
        held = expr.cache()
        held.count().execute()  # materialized now, once, rather than by the first reader
        self._held.append(held)
        return held

    def release(self) -> None:
        """Drop what :meth:`keep` holds (at the end of each year's job)."""
        while self._held:
            self._held.pop().release()

    def close(self) -> None:
        self.release()
        if self.name == "duckdb":
            self.con.disconnect()
        elif self.owns_session and self.session is not None:
            self.session.stop()


def _version(module: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(module)
    except PackageNotFoundError:
        return "not installed"


def duckdb_engine(memory_limit: str | None = None, spill_dir: Path | None = None) -> Engine:
    """An in-memory DuckDB behind ibis, with a memory limit and a folder to spill to."""
    ibis = _ibis()
    config: dict[str, str] = {"preserve_insertion_order": "false"}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if spill_dir is not None:
        spill_dir.mkdir(parents=True, exist_ok=True)
        config["temp_directory"] = str(spill_dir)
    try:
        con = ibis.duckdb.connect(**config)
    except Exception as exc:  # a bad memory limit is the user's
        raise InputError(f"DuckDB refused the settings {config}: {exc}") from exc
    versions = {"duckdb": _version("duckdb"), "ibis-framework": _version("ibis-framework")}
    return Engine("duckdb", con, versions, settings=config)


def spark_engine(
    master: str = "local[2]", config_file: Path | None = None, session: Any = None
) -> Engine:
    """Spark behind ibis: the given session (tests share one), else one started on ``master``."""
    ibis = _ibis()
    owns = session is None
    if session is None:
        session = start_spark(master, config_file)
    java = require_java()
    con = ibis.pyspark.connect(session)
    versions = {
        "pyspark": _version("pyspark"),
        "spark": str(session.version),
        "ibis-framework": _version("ibis-framework"),
        "java": str(java),
    }
    settings = {k: v for k, v in session.sparkContext.getConf().getAll() if k.startswith("spark.")}
    settings = {k: settings[k] for k in sorted(settings) if "secret" not in k.lower()}
    return Engine("spark", con, versions, settings=settings, session=session, owns_session=owns)
