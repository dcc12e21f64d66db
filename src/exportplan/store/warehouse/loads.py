"""Bulk loading of a BACI year inside DuckDB: the file streamed through a typed read, the row
rules of :mod:`exportplan.ingest.baci` applied in SQL, accepted rows and rejects written in one
import transaction, without the rows ever becoming Python objects.

Each step is a function of this module (:func:`stage_baci`, :func:`insert_baci_flows`), so a
test can make any step fail.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from exportplan.errors import EmptyFileError
from exportplan.ingest.baci import BaciFile, Check, Reject
from exportplan.store.warehouse import writes

Con = duckdb.DuckDBPyConnection
_TEMP = ("_stage", "_failed", "_dupkeys", "_codes")


def code_table(con: Con, spec: BaciFile) -> None:
    """``_codes``: BACI code -> ISO3, from the country codes file when given (its codes win),
    else the built-in table."""
    con.execute("CREATE OR REPLACE TEMP TABLE _codes AS SELECT code, iso3 FROM baci_codes")
    if spec.country_file is not None:
        code_col, iso_col = spec.code_column, spec.iso_column
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _codes AS
                WITH given AS (
                    SELECT TRY_CAST("{code_col}" AS INTEGER) AS code, any_value(upper("{iso_col}")) AS iso3
                    FROM read_csv(?, header=true, all_varchar=true)
                    WHERE TRY_CAST("{code_col}" AS INTEGER) IS NOT NULL AND "{iso_col}" IS NOT NULL
                    GROUP BY 1)
                SELECT code, iso3 FROM given
                UNION ALL
                SELECT code, iso3 FROM baci_codes WHERE code NOT IN (SELECT code FROM given)""",
            [str(spec.country_file)],
        )


def stage_baci(con: Con, spec: BaciFile, rej: str) -> None:
    """``_stage``: the file read with its column types; malformed lines go to DuckDB's
    rejects tables ``{rej}_err`` and ``{rej}_scan``."""
    columns = ", ".join(f"'{c}':'{t}'" for c, t in spec.column_types.items())
    nulls = ", ".join(f"'{n}'" for n in spec.null_strings)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _stage AS
            SELECT * FROM read_csv(?, header=true, auto_detect=false, delim=',', quote='"',
                columns={{{columns}}},
                nullstr=[{nulls}], store_rejects=true,
                rejects_table='{rej}_err', rejects_scan='{rej}_scan')""",
        [str(spec.path)],
    )


def insert_baci_flows(con: Con, spec: BaciFile, ds: int, joined: str, duplicates: bool) -> int:
    """Insert the staged rows no rule rejects (the first of identical repeats); returns how
    many went in."""
    key = spec.key
    any_check = " OR ".join(f"coalesce({c.condition}, false)" for c in spec.checks)
    if duplicates:
        # identical repeats: the later ones are rejected; the same key with different
        # values: every row of that key is rejected (we cannot tell which one is right)
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _dupkeys AS
                SELECT {key} AS key, count(DISTINCT v) AS nv FROM _stage
                GROUP BY 1 HAVING count(*) > 1"""
        )
        ok_clause = f"""NOT ({any_check}) AND {key} NOT IN (SELECT key FROM _dupkeys WHERE nv > 1)
            AND NOT EXISTS (SELECT 1 FROM _dupkeys d WHERE d.key = {key} AND d.nv = 1)"""
        keep_first = f"""UNION ALL SELECT * FROM (
            SELECT DISTINCT ON ({key}) s.*, ex.iso3 AS exporter, im.iso3 AS importer FROM {joined}
            WHERE NOT ({any_check}) AND {key} IN (SELECT key FROM _dupkeys WHERE nv = 1))"""
    else:
        ok_clause = f"NOT ({any_check})"
        keep_first = ""
    con.execute(
        f"""INSERT INTO world_flows
            SELECT ?, t, exporter, importer, lpad(k::VARCHAR, 6, '0'), ?, v * ?, q,
                   CASE WHEN q IS NULL THEN NULL ELSE ? END, ?
            FROM (SELECT s.*, ex.iso3 AS exporter, im.iso3 AS importer FROM {joined}
                  WHERE {ok_clause} {keep_first})""",
        [ds, spec.edition, spec.value_scale, spec.quantity_unit, spec.reported_by],
    )
    acc = con.execute("SELECT count(*) FROM world_flows WHERE dataset_id = ?", [ds]).fetchone()
    return int(acc[0]) if acc else 0


def load_baci(
    con: Con, spec: BaciFile, *, sha: str, source: str, synthetic: bool
) -> writes.ImportSummary:
    """Import one BACI yearly CSV in one transaction (the caller has checked that it was not
    imported before)."""
    with writes.import_transaction(con) as ds:
        code_table(con, spec)
        rej = f"_rej_{ds}"
        stage_baci(con, spec, rej)
        bad_lines = con.execute(
            f"""SELECT line, any_value(column_name), any_value(csv_line), any_value(error_message)
                FROM {rej}_err GROUP BY line ORDER BY line"""
        ).fetchall()
        counts = con.execute(f"SELECT count(*), count(DISTINCT {spec.key}) FROM _stage").fetchall()
        staged, distinct = int(counts[0][0]), int(counts[0][1])
        if staged == 0 and not bad_lines:
            raise EmptyFileError(spec.file_name)
        joined = (
            "_stage s LEFT JOIN _codes ex ON s.i = ex.code LEFT JOIN _codes im ON s.j = im.code"
        )
        accepted = insert_baci_flows(con, spec, ds, joined, staged != distinct)
        semantic = 0
        if accepted < staged:
            semantic = _rule_rejects(con, spec, ds, joined, duplicates=staged != distinct)
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
        if staged != distinct:
            notes.append(f"{staged - distinct} repeated (t,i,j,k) row(s); see the rejects")
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


def _rule_rejects(con: Con, spec: BaciFile, ds: int, joined: str, *, duplicates: bool) -> int:
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
            SELECT t, i, j, k, v, CASE {case} {dup_case} ELSE NULL END AS failed FROM {joined}"""
    )
    con.execute("DELETE FROM _failed WHERE failed IS NULL")
    # identical repeats: the first occurrence was accepted, so drop one row per key here
    if duplicates:
        con.execute(
            f"""DELETE FROM _failed WHERE rowid IN (
                    SELECT min(rowid) FROM _failed WHERE failed = {dup} GROUP BY {key})"""
        )
    row = con.execute("SELECT count(*) FROM _failed").fetchone()
    n = int(row[0]) if row else 0
    # second pass: the raw lines with their numbers (line 1 is the header)
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _lines AS
           SELECT row_number() OVER () + 1 AS line, raw FROM read_csv(?, header=true,
               auto_detect=false, delim='\x1f', quote='', escape='', columns={'raw': 'VARCHAR'},
               strict_mode=false)""",
        [str(spec.path)],
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _parsed AS
           SELECT *, row_number() OVER (PARTITION BY t, i, j, k, v ORDER BY line) AS occ FROM (
               SELECT line, raw, TRY_CAST(p[1] AS SMALLINT) AS t, TRY_CAST(p[2] AS INTEGER) AS i,
                      TRY_CAST(p[3] AS INTEGER) AS j, TRY_CAST(p[4] AS INTEGER) AS k,
                      TRY_CAST(p[5] AS DOUBLE) AS v
               FROM (SELECT line, raw, string_split(raw, ',') AS p FROM _lines))"""
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
    con.execute("DROP TABLE IF EXISTS _lines; DROP TABLE IF EXISTS _parsed")
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
