"""The warehouse: one DuckDB file with flows, reference tables, provenance and rejects.

:mod:`.schema` declares the tables and brings an older warehouse up to date; :mod:`.writes` is
the **only writer** (imports in one transaction, targets, exclusions); :mod:`.loads` streams a
BACI file through DuckDB for the writer; :mod:`.queries` holds the reads services share;
:mod:`.world_window` aggregates the world flows of a window for the export potential;
:mod:`.instance` keeps the one database instance a server holds open and hands out its cursors.
The names callers use are re-exported here.
"""

from exportplan.ingest.files import sha256_file
from exportplan.store.warehouse.instance import cursor, held, hold, release
from exportplan.store.warehouse.queries import (
    data_version,
    datasets,
    exclusions,
    frame,
    rejects,
    target,
    targets_set,
)
from exportplan.store.warehouse.schema import (
    CALENDAR_END,
    CALENDAR_START,
    SCHEMA,
    SCHEMA_VERSION,
    connect,
    create,
    upgrade,
    version,
)
from exportplan.store.warehouse.world_window import world_aggregates
from exportplan.store.warehouse.writes import (
    ImportSummary,
    add_region_flows,
    add_rejects,
    add_world_flows,
    find_dataset,
    import_transaction,
    previous_import,
    record_dataset,
    refresh_region_summary,
    remove_dataset,
    remove_exclusion,
    replace_hs_names,
    set_exclusion,
    set_target,
    write_import,
)

__all__ = [
    "CALENDAR_END",
    "CALENDAR_START",
    "SCHEMA",
    "SCHEMA_VERSION",
    "ImportSummary",
    "add_region_flows",
    "add_rejects",
    "add_world_flows",
    "connect",
    "create",
    "cursor",
    "data_version",
    "datasets",
    "exclusions",
    "find_dataset",
    "frame",
    "held",
    "hold",
    "import_transaction",
    "previous_import",
    "record_dataset",
    "refresh_region_summary",
    "rejects",
    "release",
    "remove_dataset",
    "remove_exclusion",
    "replace_hs_names",
    "set_exclusion",
    "set_target",
    "sha256_file",
    "target",
    "targets_set",
    "upgrade",
    "version",
    "world_aggregates",
    "write_import",
]
