"""The export program: agencies and their heads, programs and priorities, the target tree,
actions, KPIs, the audit log and the handover dossier, and the program as a workbook.

Every function takes the store and the :class:`~exportplan.auth.Actor`; every write goes
through the store's write helper (:func:`exportplan.store.program.writes.write`), which checks
the actor's permission (:mod:`exportplan.auth`) on the server side and writes the audit row
(who, when, before, after) in the same transaction. Updates carry the ``version`` the caller
read: if the row has changed since, :class:`~exportplan.errors.ConflictError` is raised and
nothing is saved. Each single edit is a thin function around an inner one that takes the open
write; the workbook import calls the same inner functions row by row.
"""

from exportplan.auth import EDITORS, Actor
from exportplan.services.program.actions import (
    action_id,
    action_view,
    actions,
    add_action,
    change_action,
    get_action,
    new_action,
    update_action,
)
from exportplan.services.program.agencies import (
    add_agency,
    agencies,
    change_agency,
    ensure_region,
    head,
    new_agency,
    new_head,
    set_head,
    terms,
)
from exportplan.services.program.dossier import (
    audit_filters,
    audit_log,
    describe_change,
    handover,
    latest_change,
    show,
)
from exportplan.services.program.kpis import (
    add_kpi,
    change_kpi,
    find_kpi,
    kpis,
    measure,
    new_kpi,
    record_measurement,
    refresh_kpis,
)
from exportplan.services.program.plan import (
    add_priority,
    change_priority,
    change_program,
    create_program,
    find_program,
    new_priority,
    new_program,
    priorities,
    priority_from_opportunity,
    programs,
    update_program,
)
from exportplan.services.program.targets import delete_target, put_target, set_target, target_tree
from exportplan.services.program.validation import (
    ROOT,
    RuleError,
    check_code,
    check_period,
    clean_hs_list,
    clean_markets,
    markets_list,
    parse_date,
    sh_text,
)
from exportplan.services.program.workbook import (
    PROGRAM_KEYS,
    SHEETS,
    WorkbookError,
    column_label,
    export,
    program_data,
    read,
    sheet_label,
)
from exportplan.services.program.workbook_import import import_file, preview_file

__all__ = [
    "EDITORS",
    "PROGRAM_KEYS",
    "ROOT",
    "SHEETS",
    "Actor",
    "RuleError",
    "WorkbookError",
    "action_id",
    "action_view",
    "actions",
    "add_action",
    "add_agency",
    "add_kpi",
    "add_priority",
    "agencies",
    "audit_filters",
    "audit_log",
    "change_action",
    "change_agency",
    "change_kpi",
    "change_priority",
    "change_program",
    "check_code",
    "check_period",
    "clean_hs_list",
    "clean_markets",
    "column_label",
    "create_program",
    "delete_target",
    "describe_change",
    "ensure_region",
    "export",
    "find_kpi",
    "find_program",
    "get_action",
    "handover",
    "head",
    "import_file",
    "kpis",
    "latest_change",
    "markets_list",
    "measure",
    "new_action",
    "new_agency",
    "new_head",
    "new_kpi",
    "new_priority",
    "new_program",
    "parse_date",
    "preview_file",
    "priorities",
    "priority_from_opportunity",
    "program_data",
    "programs",
    "put_target",
    "read",
    "record_measurement",
    "refresh_kpis",
    "set_head",
    "set_target",
    "sh_text",
    "sheet_label",
    "show",
    "target_tree",
    "terms",
    "update_action",
    "update_program",
]
