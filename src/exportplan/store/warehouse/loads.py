"""Bulk loading of a BACI year inside DuckDB: the file streamed through one typed read, the row
rules of :mod:`exportplan.ingest.baci` applied in SQL, accepted rows and rejects written in one
import transaction, without the rows ever becoming Python objects.

Where the time and memory go, and what this module does about them (docs/benchmarks.md has the
figures): the read is one ``read_csv`` into a temporary table of the six typed columns (about
30 bytes a row); the country codes are looked up in a list indexed by code, not joined (a hash
join over 11 million rows doubled the peak memory); repeated keys are found by fetching the
packed key as one numpy array and checking it is strictly increasing (a BACI file is sorted),
with a sort only for an unsorted file and the SQL duplicate rules only when a key repeats
(``count(DISTINCT key)`` cost as much as the read); the insert runs without preserving the
insertion order, and the whole import under a DuckDB memory limit, so a larger file spills to
disk instead of growing. Line numbers of rows rejected by a rule are found in a second read that
runs only when there are any, keeping only the lines of the rejected rows.

Each step is a function of this module (:func:`stage_baci`, :func:`insert_baci_flows`), so a
test can make any step fail.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import numpy as np

from exportplan.errors import EmptyFileError, InputError
from exportplan.ingest.baci import MAX_CODE, BaciFile, Check, Reject
from exportplan.store.warehouse import writes

Con = duckdb.DuckDBPyConnection
_TEMP = ("_stage", "_failed", "_dupkeys", "_fvalues")
# DuckDB's own memory during an import (its temporary tables spill to disk beyond it); the
# process adds Python, the fetched key array and DuckDB's buffers outside the limit
MEMORY_LIMIT = "600MB"
THREADS = 2


# DuckDB's memory limit and threads belong to the instance, not to a cursor: the server's page
# cursors, its import writer and a cold world-aggregate read share one instance. One lock
# serialises the code that changes them, so each restores what it found (two at once would
# restore each other's values and leave a lowered limit set for good)
_INSTANCE_SETTINGS = threading.RLock()


@contextmanager
def instance_settings(
    con: Con, values: dict[str, str | int], *, also_restore: tuple[str, ...] = ()
) -> Iterator[None]:
    """DuckDB settings set to ``values`` (and ``also_restore``, which the body may change)
    restored afterwards, under the process's one lock (the memory limit as DuckDB reports it,
    to 0.1 GiB)."""
    names = (*values, *also_restore)
    with _INSTANCE_SETTINGS:
        before = dict(
            con.execute(
                "SELECT name, value FROM duckdb_settings() WHERE list_contains(?, name)",
                [list(names)],
            ).fetchall()
        )
        for name, value in values.items():
            con.execute(f"SET {name} = '{value}'")
        try:
            yield
        finally:
            for name in names:
                if name in before:
                    con.execute(f"SET {name} = '{before[name]}'")


@contextmanager
def bulk_settings(con: Con) -> Iterator[None]:
    """DuckDB settings for a bulk load (memory limit, threads; insertion order as it was),
    restored afterwards."""
    with instance_settings(
        con,
        {"memory_limit": MEMORY_LIMIT, "threads": THREADS},
        also_restore=("preserve_insertion_order",),
    ):
        yield


def code_list(con: Con, spec: BaciFile) -> list[str | None]:
    """ISO3 of each BACI code, indexed by code (None where the code is unknown): the country
    codes file when given (its codes win over the built-in table's), else the built-in table."""
    codes = dict(con.execute("SELECT code, iso3 FROM baci_codes").fetchall())
    if spec.country_file is not None:
        code_col, iso_col = spec.code_column, spec.iso_column
        given = con.execute(
            f"""SELECT TRY_CAST("{code_col}" AS INTEGER) AS code, any_value(upper("{iso_col}"))
                FROM read_csv(?, header=true, all_varchar=true)
                WHERE TRY_CAST("{code_col}" AS INTEGER) IS NOT NULL AND "{iso_col}" IS NOT NULL
                GROUP BY 1""",
            [str(spec.country_file)],
        ).fetchall()
        codes.update(dict(given))
    out_of_range = sorted(c for c in codes if not 0 <= c < MAX_CODE)
    if out_of_range:
        raise InputError(
            f"{spec.country_file.name if spec.country_file else 'baci_codes'}: country code "
            f"{out_of_range[0]} is not a BACI country code (0 to {MAX_CODE - 1})",
            hint="give BACI's own country_codes_*.csv",
        )
    table: list[str | None] = [None] * (max(codes) + 1 if codes else 1)
    for code, iso3 in codes.items():
        table[code] = str(iso3)
    return table


def stage_baci(con: Con, spec: BaciFile, rej: str) -> None:
    """``_stage``: the file read with its column types, in file order; malformed lines go to
    DuckDB's rejects tables ``{rej}_err`` and ``{rej}_scan``."""
    columns = ", ".join(f"'{c}':'{t}'" for c, t in spec.column_types.items())
    nulls = ", ".join(f"'{n}'" for n in spec.null_strings)
    con.execute("SET preserve_insertion_order = true")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _stage AS
            SELECT * FROM read_csv(?, header=true, auto_detect=false, delim=',', quote='"',
                columns={{{columns}}},
                nullstr=[{nulls}], store_rejects=true,
                rejects_table='{rej}_err', rejects_scan='{rej}_scan')""",
        [str(spec.path)],
    )


def has_repeated_keys(con: Con, spec: BaciFile) -> bool:
    """Whether a (t, i, j, k) key repeats in ``_stage``: its packed keys fetched as one array,
    strictly increasing in a sorted file (no hash table), else sorted once and compared."""
    got = con.execute(f"SELECT {spec.key} AS key FROM _stage WHERE {spec.key} IS NOT NULL")
    keys = np.asarray(got.fetchnumpy()["key"], dtype=np.int64)
    if keys.size < 2:
        return False
    if bool(np.all(keys[1:] > keys[:-1])):
        return False
    keys.sort()
    return bool(np.any(keys[1:] == keys[:-1]))


def _with_codes(spec: BaciFile) -> str:
    """``_stage`` with ``exporter`` and ``importer`` looked up in the code list (parameter
    ``$codes``); a code outside it is NULL (unknown)."""
    del spec
    return """(SELECT s.*,
                  CASE WHEN s.i >= 0 AND s.i < len($codes) THEN $codes[s.i + 1] END AS exporter,
                  CASE WHEN s.j >= 0 AND s.j < len($codes) THEN $codes[s.j + 1] END AS importer
               FROM _stage s)"""


def _any_check(spec: BaciFile) -> str:
    return " OR ".join(f"coalesce({c.condition}, false)" for c in spec.checks)


def insert_baci_flows(
    con: Con, spec: BaciFile, ds: int, codes: list[str | None], duplicates: bool
) -> int:
    """Insert the staged rows no rule rejects (the first of identical repeats); returns how
    many went in."""
    key, rows, any_check = spec.key, _with_codes(spec), _any_check(spec)
    if duplicates:
        # identical repeats: the later ones are rejected; the same key with different
        # values: every row of that key is rejected (we cannot tell which one is right)
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _dupkeys AS
                SELECT {key} AS key, count(DISTINCT v) AS nv, count(*) AS n FROM _stage
                WHERE {key} IS NOT NULL GROUP BY 1 HAVING count(*) > 1"""
        )
        ok = f"""NOT ({any_check}) AND (key IS NULL OR key NOT IN (SELECT key FROM _dupkeys))
            UNION ALL SELECT * FROM (
                SELECT DISTINCT ON (key) * FROM (SELECT *, {key} AS key FROM {rows})
                WHERE NOT ({any_check}) AND key IN (SELECT key FROM _dupkeys WHERE nv = 1))"""
        source = f"(SELECT *, {key} AS key FROM {rows}) WHERE {ok}"
    else:
        source = f"{rows} WHERE NOT ({any_check})"
    con.execute("SET preserve_insertion_order = false")
    got = con.execute(
        f"""INSERT INTO world_flows
            SELECT $ds, t, exporter, importer, lpad(k::VARCHAR, 6, '0'), $edition, v * $scale, q,
                   CASE WHEN q IS NULL THEN NULL ELSE $unit END, $reported_by
            FROM (SELECT * FROM {source})""",
        {
            "ds": ds,
            "codes": codes,
            "edition": spec.edition,
            "scale": spec.value_scale,
            "unit": spec.quantity_unit,
            "reported_by": spec.reported_by,
        },
    ).fetchone()
    con.execute("SET preserve_insertion_order = true")
    return int(got[0]) if got else 0


def load_baci(
    con: Con, spec: BaciFile, *, sha: str, source: str, synthetic: bool
) -> writes.ImportSummary:
    """Import one BACI yearly CSV in one transaction (the caller has checked that it was not
    imported before)."""
    with bulk_settings(con), writes.import_transaction(con) as ds:
        codes = code_list(con, spec)
        rej = f"_rej_{ds}"
        stage_baci(con, spec, rej)
        bad_lines = con.execute(
            f"""SELECT line, any_value(column_name), any_value(csv_line), any_value(error_message)
                FROM {rej}_err GROUP BY line ORDER BY line"""
        ).fetchall()
        counted = con.execute("SELECT count(*) FROM _stage").fetchone()
        staged = int(counted[0]) if counted else 0
        if staged == 0 and not bad_lines:
            raise EmptyFileError(spec.file_name)
        duplicates = has_repeated_keys(con, spec)
        accepted = insert_baci_flows(con, spec, ds, codes, duplicates)
        semantic = 0
        if accepted < staged:
            semantic = _rule_rejects(con, spec, ds, codes, duplicates=duplicates)
        for line, col, raw, msg in bad_lines:
            con.execute(
                "INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?)",
                [ds, spec.file_name, int(line), col, raw, f"malformed line: {msg}"],
            )
        rejected = semantic + len(bad_lines)
        if accepted + semantic != staged:
            raise AssertionError(f"BACI import accounting: {accepted} + {semantic} != {staged}")
        if spec.product_file is not None:
            load_baci_product_names(con, spec.product_file)
        notes = []
        if duplicates:
            got = con.execute("SELECT coalesce(sum(n - 1), 0) FROM _dupkeys").fetchone()
            repeated = int(got[0]) if got else 0
            notes.append(f"{repeated} repeated (t,i,j,k) row(s); see the rejects")
        writes.record_dataset(
            con,
            dataset_id=ds,
            kind="baci",
            file_name=spec.file_name,
            sha=sha,
            rows_read=accepted + rejected,
            rows_accepted=accepted,
            rows_rejected=rejected,
            source=source,
            synthetic=synthetic,
            options={
                "hs_edition": spec.edition,
                "country_file": str(spec.country_file or ""),
                "product_file": str(spec.product_file or ""),
            },
            notes="; ".join(notes),
        )
        for t in (*_TEMP, f"{rej}_err", f"{rej}_scan"):
            con.execute(f"DROP TABLE IF EXISTS {t}")
    return writes.ImportSummary(
        ds, "baci", spec.file_name, accepted + rejected, accepted, rejected, notes="; ".join(notes)
    )


def _rule_rejects(
    con: Con, spec: BaciFile, ds: int, codes: list[str | None], *, duplicates: bool
) -> int:
    """Write rejects for staged rows that were not accepted, with their line numbers."""
    key = spec.key
    dup, conflict = len(spec.checks), len(spec.checks) + 1
    case = " ".join(f"WHEN {c.condition} THEN {i}" for i, c in enumerate(spec.checks))
    dup_case = ""
    if duplicates:
        dup_case = (
            f"WHEN {key} IN (SELECT key FROM _dupkeys WHERE nv > 1) THEN {conflict} "
            f"WHEN {key} IN (SELECT key FROM _dupkeys) THEN {dup}"
        )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _failed AS
            SELECT * FROM (
                SELECT t, i, j, k, v, CASE {case} {dup_case} ELSE NULL END AS failed
                FROM {_with_codes(spec)})
            WHERE failed IS NOT NULL""",
        {"codes": codes},
    )
    # identical repeats: the first occurrence was accepted, so drop one row per key here
    if duplicates:
        con.execute(
            f"""DELETE FROM _failed WHERE rowid IN (
                    SELECT min(rowid) FROM _failed WHERE failed = {dup} GROUP BY {key})"""
        )
    row = con.execute("SELECT count(*) FROM _failed").fetchone()
    n = int(row[0]) if row else 0
    # second pass: the raw lines with their numbers (line 1 is the header), keeping only the
    # lines whose values are those of a rejected row
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _fvalues AS SELECT DISTINCT t, i, j, k, v FROM _failed"
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _parsed AS
           SELECT *, row_number() OVER (PARTITION BY t, i, j, k, v ORDER BY line) AS occ FROM (
               SELECT p.* FROM (
                   SELECT line, raw, TRY_CAST(p[1] AS SMALLINT) AS t,
                          TRY_CAST(p[2] AS INTEGER) AS i, TRY_CAST(p[3] AS INTEGER) AS j,
                          TRY_CAST(p[4] AS INTEGER) AS k, TRY_CAST(p[5] AS DOUBLE) AS v
                   FROM (SELECT line, raw, string_split(raw, ',') AS p FROM (
                       SELECT row_number() OVER () + 1 AS line, raw FROM read_csv(?,
                           header=true, auto_detect=false, delim='\x1f', quote='', escape='',
                           columns={'raw': 'VARCHAR'}, strict_mode=false)))) p
               SEMI JOIN _fvalues f ON p.t IS NOT DISTINCT FROM f.t
                   AND p.i IS NOT DISTINCT FROM f.i AND p.j IS NOT DISTINCT FROM f.j
                   AND p.k IS NOT DISTINCT FROM f.k AND p.v IS NOT DISTINCT FROM f.v)""",
        [str(spec.path)],
    )
    rules: list[Check | Reject] = [*spec.checks, spec.duplicate, spec.conflict]
    reasons = "CASE failed " + " ".join(f"WHEN {i} THEN ?" for i in range(len(rules))) + " END"
    columns = "CASE failed " + " ".join(f"WHEN {i} THEN ?" for i in range(len(rules))) + " END"
    con.execute(
        f"""INSERT INTO rejects
            SELECT ?, ?, p.line, c.col, p.raw, c.reason
            FROM (SELECT t, i, j, k, v, {columns} AS col, {reasons} AS reason, failed,
                         row_number() OVER (PARTITION BY t, i, j, k, v ORDER BY failed) AS occ
                  FROM _failed) c
            JOIN _parsed p ON p.t IS NOT DISTINCT FROM c.t AND p.i IS NOT DISTINCT FROM c.i
                 AND p.j IS NOT DISTINCT FROM c.j AND p.k IS NOT DISTINCT FROM c.k
                 AND p.v IS NOT DISTINCT FROM c.v
                 AND p.occ = c.occ + CASE WHEN c.failed = {dup} THEN 1 ELSE 0 END""",
        [
            ds,
            spec.file_name,
            *(r.column for r in rules),
            *(r.reason for r in rules),
        ],
    )
    con.execute("DROP TABLE IF EXISTS _parsed")
    return n


def load_baci_product_names(con: Con, path: Path) -> None:
    """BACI ``product_codes_HSxx_*.csv`` (code, description) into ``hs_names`` (English)."""
    con.execute("DELETE FROM hs_names WHERE lang = 'en' AND source = 'baci'")
    con.execute(
        """INSERT INTO hs_names
           SELECT lpad(code, 6, '0'), 'en', description, 'baci'
           FROM read_csv(?, header=true, all_varchar=true)
           WHERE code IS NOT NULL AND description IS NOT NULL""",
        [str(path)],
    )
