"""Domain exceptions.

They carry the offending identifiers (file, row, column, value, code) and know nothing of
terminals or HTTP; each front door (CLI, web, reports) translates them into a message and a
next step. Every exception here derives from :class:`ExportPlanError`.
"""

from __future__ import annotations

from typing import Any


class ExportPlanError(Exception):
    """Base class of every error a user can cause; never a bug."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        if hint:
            self.hint = hint

    def __str__(self) -> str:
        return self.message


class InputError(ExportPlanError):
    """Input data that cannot be used as given (wrong columns, too few locations...)."""


class MissingColumnsError(InputError):
    """A file lacks columns the importer needs."""

    def __init__(
        self, file: str, expected: list[str], found: list[str], missing: list[str]
    ) -> None:
        self.file = file
        self.expected = expected
        self.found = found
        self.missing = missing
        from exportplan.reference.text import listed, shorten

        super().__init__(
            f"{shorten(file)}: missing column(s) {listed(missing)}; expected "
            f"{listed(expected)}; found {listed(found) if found else '(no columns)'}",
            hint="rename the columns or give a column mapping file (--mapping)",
        )


class EmptyFileError(InputError):
    """A file has no data rows."""

    def __init__(self, file: str) -> None:
        self.file = file
        super().__init__(
            f"{file}: the file has no data rows", hint="check that the right file was given"
        )


class DuplicateRowsError(InputError):
    """The same key appears more than once where one row per key is required."""

    def __init__(self, key: str, examples: list[str], count: int) -> None:
        self.key = key
        self.count = count
        super().__init__(
            f"{count} duplicate row(s) for key ({key}), for example {'; '.join(examples)}",
            hint="aggregate the input first, or pass --duplicates sum",
        )


class WorkspaceError(ExportPlanError):
    """The workspace is missing, unreadable, or of another version."""


class NotFoundError(ExportPlanError):
    """A named thing (dataset, region, country) does not exist."""


class PermissionDeniedError(ExportPlanError):
    """The user's role does not allow this change (checked on the server for every write)."""


class AuthenticationError(ExportPlanError):
    """Wrong user name or password, or an unknown, expired or revoked token."""


class TooManyAttemptsError(AuthenticationError):
    """Too many failed sign-ins for a user name or from an address: locked for a while."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(
            f"too many failed sign-ins; try again in {retry_after} seconds",
            hint="wait, then sign in with the right password (ask an administrator to set it)",
        )


class ConflictError(ExportPlanError):
    """Someone else changed the row since it was read (optimistic locking): nothing was saved."""


class OverlapError(ConflictError):
    """A customs file covers cells (month x region x definition x customs office) that loaded
    imports already supply: nothing was imported. ``cells`` are the loaded cells it overlaps
    (each with ``dataset_id``, ``file_name``, ``definition``, ``calendar``, ``year``,
    ``month``, ``office``), for each front door to name in its user's language."""

    def __init__(self, file: str, cells: list[dict[str, object]], message: str, *, hint: str):
        self.file = file
        self.cells = cells
        super().__init__(message, hint=hint)


class UnsafeArchiveError(InputError):
    """A workbook (a zip archive) refused before it is parsed: it would unpack to more than the
    limits allow (a zip bomb), or holds members no workbook has (nested archives, odd names).

    ``template`` is the English message with ``{name}`` placeholders filled from ``values``;
    :func:`exportplan.i18n.error_text` gives it in Persian too.
    """

    def __init__(self, file: str, template: str, hint: str = "", **values: object) -> None:
        self.file = file
        self.template = template
        self.hint_template = hint
        self.values: dict[str, object] = {"file": file, **values}
        super().__init__(template.format(**self.values), hint=hint.format(**self.values))


# ---- industrial zones (issue 18) ---------------------------------------------------------


class ZoneRuleError(InputError):
    """A zone, plot or application refused by a rule. ``field`` names the column it is about
    (the imports name it); ``template`` is the English message with ``{name}`` placeholders
    filled from ``values``, so :func:`exportplan.i18n.error_text` gives it in Persian too."""

    def __init__(self, column: str, template: str, hint: str = "", **values: object) -> None:
        self.field = column
        self.template = template
        self.hint_template = hint
        self.values: dict[str, object] = dict(values)
        super().__init__(template.format(**values), hint=hint.format(**values))


class PlotHeldError(ConflictError):
    """A plot asked for is held by someone (allotted, contracted...): nothing was changed;
    ``template`` and ``values`` as in :class:`ZoneRuleError`."""

    def __init__(self, template: str, hint: str = "", **values: object) -> None:
        self.field = "plot"
        self.template = template
        self.hint_template = hint
        self.values: dict[str, object] = dict(values)
        super().__init__(template.format(**values), hint=hint.format(**values))


class ZoneImportError(InputError):
    """A zone's file refused whole (nothing imported): ``rejects`` are its refused rows, each
    with file, row, column, value and reason; ``template`` and ``values`` as in
    :class:`ZoneRuleError`."""

    def __init__(self, file: str, rejects: list[dict[str, object]]) -> None:
        self.file = file
        self.rejects = rejects
        self.template = "{file}: {count} row(s) refused; nothing was imported"
        self.hint_template = "correct the rows listed and import the whole file again"
        self.values: dict[str, object] = {"file": file, "count": len(rejects)}
        first = rejects[0] if rejects else {}
        super().__init__(
            self.template.format(**self.values)
            + (
                f" (first: row {first.get('row')}, {first.get('column')}: {first.get('reason')})"
                if first
                else ""
            ),
            hint=self.hint_template,
        )


# ---- investment pipeline (issue 19) ----------------------------------------------------------


class GateError(InputError):
    """A project cannot enter ``stage``: the gate's fields ``missing`` (codes; each front door
    names them in its user's language, :func:`exportplan.reference.invest_labels.gate_text`)."""

    def __init__(self, project: str, stage: str, missing: list[str]) -> None:
        self.project = project
        self.stage = stage
        self.missing = missing
        super().__init__(
            f"project {project} cannot enter stage {stage}: missing {', '.join(missing)}",
            hint="fill in the missing fields (the gate form lists them), then move it again",
        )


class RowsRefusedError(InputError):
    """An import refused whole: ``rejects`` are (file, row, column, value, reason) with the
    reason's English ``template`` and ``values`` (for the Persian wording); nothing written."""

    def __init__(self, file: str, rejects: list[dict[str, Any]]) -> None:
        self.file = file
        self.rejects = rejects
        shown = "; ".join(f"row {r['row']}, {r['column']}: {r['reason']}" for r in rejects[:6])
        more = f" (and {len(rejects) - 6} more)" if len(rejects) > 6 else ""
        super().__init__(
            f"{file}: {len(rejects)} row problem(s), nothing was imported: {shown}{more}",
            hint="fix the rows named (every one is listed) and import the file again",
        )
