"""CEPII BACI yearly files: ``t,i,j,k,v,q`` (year, exporter and importer as BACI numeric codes,
HS6 product, value in thousand USD, quantity in metric tonnes).

BACI codes are mapped to ISO3 with BACI's own ``country_codes_*.csv`` when given, else the
built-in table (ISO numeric plus BACI's codes: 251 France, 579 Norway, 699 India, 757
Switzerland, 842 USA, 490 "Other Asia, n.e.s."). Values are stored in USD (``v * 1000``) and
flagged ``reported_by = 'reconciled'`` (BACI reconciles exporters' and importers' reports).

The work happens inside DuckDB: a typed read (malformed lines are captured with their line
numbers by DuckDB's ``store_rejects``), semantic checks in SQL (unknown codes, missing or
non-positive values, product codes, duplicate keys), then one insert. Line numbers of
semantically rejected rows are found in a second pass that runs only when there are any.
BACI writes ``k`` as a number, so codes of chapters 01-09 have 5 digits: ``k`` is read as a
number and zero-padded to 6 digits (``10121`` is ``010121``).
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from exportplan.errors import EmptyFileError, MissingColumnsError
from exportplan.ingest.files import first_line
from exportplan.store import warehouse
from exportplan.store.warehouse import ImportSummary

COLUMNS = ["t", "i", "j", "k", "v", "q"]
_EDITION = re.compile(r"BACI_(HS\d\d)", re.IGNORECASE)

# (condition on the staged row, column, reason); the first that holds is the row's reason
CHECKS: list[tuple[str, str, str]] = [
    ("t IS NULL OR t < 1900 OR t > 2100", "t", "year missing or out of range"),
    ("ex.iso3 IS NULL", "i", "unknown BACI exporter code"),
    ("im.iso3 IS NULL", "j", "unknown BACI importer code"),
    ("k IS NULL OR k < 10000 OR k > 999999", "k", "product code is not a 6-digit HS code"),
    ("v IS NULL", "v", "value missing"),
    ("v <= 0", "v", "value not positive"),
    ("q < 0", "q", "quantity negative"),
]
DUPLICATE = len(CHECKS)
CONFLICT = len(CHECKS) + 1
_KEY = "(t::BIGINT * 1000000000000000 + i::BIGINT * 1000000000000 + j::BIGINT * 1000000 + k)"


def _code_table(con: duckdb.DuckDBPyConnection, country_file: Path | None) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE _codes AS SELECT code, iso3 FROM baci_codes")
    if country_file is not None:
        header = first_line(country_file).lower()
        code_col = "country_code" if "country_code" in header else "code"
        iso_col = "country_iso3" if "country_iso3" in header else "iso_3digit_alpha"
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
            [str(country_file)],
        )


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    country_file: Path | None = None,
    product_file: Path | None = None,
    hs_edition: str | None = None,
    source: str = "CEPII BACI",
    synthetic: bool = False,
) -> ImportSummary:
    """Import one BACI yearly CSV; returns the summary (or the earlier one if already imported)."""
    path = Path(path)
    if path.stat().st_size == 0:
        raise EmptyFileError(path.name)
    header = [c.strip().strip('"').lower() for c in first_line(path).split(",")]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise MissingColumnsError(path.name, COLUMNS, header, missing)
    sha = warehouse.sha256_file(path)
    prev = warehouse.previous_import(con, "baci", sha, None)
    if prev is not None:
        return prev
    edition = hs_edition or (m.group(1).upper() if (m := _EDITION.search(path.name)) else None)
    with warehouse.import_transaction(con) as ds:
        _code_table(con, country_file)
        rej = f"_rej_{ds}"
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _stage AS
                SELECT * FROM read_csv(?, header=true, auto_detect=false, delim=',', quote='"',
                    columns={{'t':'SMALLINT','i':'INTEGER','j':'INTEGER','k':'INTEGER',
                              'v':'DOUBLE','q':'DOUBLE'}},
                    nullstr=['NA', ''], store_rejects=true,
                    rejects_table='{rej}_err', rejects_scan='{rej}_scan')""",
            [str(path)],
        )
        warehouse.checkpoint("read")
        bad_lines = con.execute(
            f"""SELECT line, any_value(column_name), any_value(csv_line), any_value(error_message)
                FROM {rej}_err GROUP BY line ORDER BY line"""
        ).fetchall()
        counts = con.execute(f"SELECT count(*), count(DISTINCT {_KEY}) FROM _stage").fetchall()
        staged, distinct = int(counts[0][0]), int(counts[0][1])
        if staged == 0 and not bad_lines:
            raise EmptyFileError(path.name)
        joined = (
            "_stage s LEFT JOIN _codes ex ON s.i = ex.code LEFT JOIN _codes im ON s.j = im.code"
        )
        any_check = " OR ".join(f"coalesce({cond}, false)" for cond, _c, _r in CHECKS)
        if staged != distinct:
            # identical repeats: the later ones are rejected; the same key with different
            # values: every row of that key is rejected (we cannot tell which one is right)
            con.execute(
                f"""CREATE OR REPLACE TEMP TABLE _dupkeys AS
                    SELECT {_KEY} AS key, count(DISTINCT v) AS nv FROM _stage
                    GROUP BY 1 HAVING count(*) > 1"""
            )
            ok_clause = f"""NOT ({any_check}) AND {_KEY} NOT IN (SELECT key FROM _dupkeys WHERE nv > 1)
                AND NOT EXISTS (SELECT 1 FROM _dupkeys d WHERE d.key = {_KEY} AND d.nv = 1)"""
            keep_first = f"""UNION ALL SELECT * FROM (
                SELECT DISTINCT ON ({_KEY}) s.*, ex.iso3 AS exporter, im.iso3 AS importer FROM {joined}
                WHERE NOT ({any_check}) AND {_KEY} IN (SELECT key FROM _dupkeys WHERE nv = 1))"""
        else:
            ok_clause = f"NOT ({any_check})"
            keep_first = ""
        con.execute(
            f"""INSERT INTO world_flows
                SELECT ?, t, exporter, importer, lpad(k::VARCHAR, 6, '0'), ?, v * 1000, q,
                       CASE WHEN q IS NULL THEN NULL ELSE 't' END, 'reconciled'
                FROM (SELECT s.*, ex.iso3 AS exporter, im.iso3 AS importer FROM {joined}
                      WHERE {ok_clause} {keep_first})""",
            [ds, edition],
        )
        warehouse.checkpoint("flows")
        acc = con.execute("SELECT count(*) FROM world_flows WHERE dataset_id = ?", [ds]).fetchone()
        accepted = int(acc[0]) if acc else 0
        semantic = 0
        if accepted < staged:
            semantic = _semantic_rejects(con, path, ds, joined, duplicates=staged != distinct)
        for line, col, raw, msg in bad_lines:
            con.execute(
                "INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?)",
                [ds, path.name, int(line), col, raw, f"malformed line: {msg}"],
            )
        rejected = semantic + len(bad_lines)
        if accepted + semantic != staged:
            raise AssertionError(f"BACI import accounting: {accepted} + {semantic} != {staged}")
        if product_file is not None:
            _load_product_names(con, product_file)
        notes = []
        if staged != distinct:
            notes.append(f"{staged - distinct} repeated (t,i,j,k) row(s); see the rejects")
        warehouse.record_dataset(
            con,
            dataset_id=ds,
            kind="baci",
            file_name=path.name,
            sha=sha,
            rows_read=accepted + rejected,
            rows_accepted=accepted,
            rows_rejected=rejected,
            source=source,
            synthetic=synthetic,
            options={
                "hs_edition": edition,
                "country_file": str(country_file or ""),
                "product_file": str(product_file or ""),
            },
            notes="; ".join(notes),
        )
        for t in ("_stage", "_failed", "_dupkeys", f"{rej}_err", f"{rej}_scan"):
            con.execute(f"DROP TABLE IF EXISTS {t}")
    return ImportSummary(
        ds, "baci", path.name, accepted + rejected, accepted, rejected, notes="; ".join(notes)
    )


def _semantic_rejects(
    con: duckdb.DuckDBPyConnection, path: Path, ds: int, joined: str, *, duplicates: bool
) -> int:
    """Write rejects for staged rows that were not accepted, with their line numbers."""
    case = " ".join(f"WHEN {cond} THEN {i}" for i, (cond, _c, _r) in enumerate(CHECKS))
    dup_case = ""
    if duplicates:
        dup_case = (
            f"WHEN {_KEY} IN (SELECT key FROM _dupkeys WHERE nv > 1) THEN {CONFLICT} "
            f"WHEN {_KEY} IN (SELECT key FROM _dupkeys) THEN {DUPLICATE}"
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
                    SELECT min(rowid) FROM _failed WHERE failed = {DUPLICATE} GROUP BY {_KEY})"""
        )
    row = con.execute("SELECT count(*) FROM _failed").fetchone()
    n = int(row[0]) if row else 0
    # second pass: the raw lines with their numbers (line 1 is the header)
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _lines AS
           SELECT row_number() OVER () + 1 AS line, raw FROM read_csv(?, header=true,
               auto_detect=false, delim='\x1f', quote='', escape='', columns={'raw': 'VARCHAR'},
               strict_mode=false)""",
        [str(path)],
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _parsed AS
           SELECT *, row_number() OVER (PARTITION BY t, i, j, k, v ORDER BY line) AS occ FROM (
               SELECT line, raw, TRY_CAST(p[1] AS SMALLINT) AS t, TRY_CAST(p[2] AS INTEGER) AS i,
                      TRY_CAST(p[3] AS INTEGER) AS j, TRY_CAST(p[4] AS INTEGER) AS k,
                      TRY_CAST(p[5] AS DOUBLE) AS v
               FROM (SELECT line, raw, string_split(raw, ',') AS p FROM _lines))"""
    )
    reasons = (
        "CASE failed "
        + " ".join(f"WHEN {i} THEN '{r}'" for i, (_c, _col, r) in enumerate(CHECKS))
        + (
            f" WHEN {DUPLICATE} THEN 'duplicate of an earlier row with the same t,i,j,k'"
            f" WHEN {CONFLICT} THEN 'rows with the same t,i,j,k disagree on the value' END"
        )
    )
    columns = (
        "CASE failed "
        + " ".join(f"WHEN {i} THEN '{col}'" for i, (_c, col, _r) in enumerate(CHECKS))
        + f" WHEN {DUPLICATE} THEN 'k' WHEN {CONFLICT} THEN 'v' END"
    )
    con.execute(
        f"""INSERT INTO rejects
            SELECT ?, ?, p.line, c.col, p.raw, c.reason
            FROM (SELECT t, i, j, k, v, {columns} AS col, {reasons} AS reason, failed,
                         row_number() OVER (PARTITION BY t, i, j, k, v ORDER BY failed) AS occ
                  FROM _failed) c
            JOIN _parsed p ON p.t IS NOT DISTINCT FROM c.t AND p.i IS NOT DISTINCT FROM c.i
                 AND p.j IS NOT DISTINCT FROM c.j AND p.k IS NOT DISTINCT FROM c.k
                 AND p.v IS NOT DISTINCT FROM c.v
                 AND p.occ = c.occ + CASE WHEN c.failed = {DUPLICATE} THEN 1 ELSE 0 END""",
        [ds, path.name],
    )
    con.execute("DROP TABLE IF EXISTS _lines; DROP TABLE IF EXISTS _parsed")
    return n


def _load_product_names(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """BACI ``product_codes_HSxx_*.csv`` (code, description) into ``hs_names`` (English)."""
    con.execute("DELETE FROM hs_names WHERE lang = 'en' AND source = 'baci'")
    con.execute(
        """INSERT INTO hs_names
           SELECT lpad(code, 6, '0'), 'en', description, 'baci'
           FROM read_csv(?, header=true, all_varchar=true)
           WHERE code IS NOT NULL AND description IS NOT NULL""",
        [str(path)],
    )
