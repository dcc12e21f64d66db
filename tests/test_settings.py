"""Settings: declared once, documented, parsed to their type and checked when a workspace
opens, an invalid value named in the error."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from exportplan import settings
from exportplan.settings import SETTINGS, TYPE_HELP, SettingError
from exportplan.workspace import init, open_workspace

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")


def test_every_declared_setting_is_documented_with_its_type_and_default() -> None:
    for s in SETTINGS:
        row = next((line for line in DOC.splitlines() if f"`{s.env}`" in line), None)
        assert row is not None, s.name
        assert row.startswith(f"| {s.name} |") and s.help in row, s.name
        assert TYPE_HELP[s.type] in row, s.name
        assert (f"`{s.default}`" if s.default else "(empty)") in row, s.name


def test_no_environment_variable_is_read_that_is_not_documented() -> None:
    names: set[str] = set()
    for path in (ROOT / "src" / "exportplan").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.update(re.findall(r"\bEXPORTPLAN_[A-Z0-9_]+\b", node.value))
    assert names, "the scan found nothing: it is broken"
    declared = {s.env for s in SETTINGS}
    undocumented = sorted(n for n in names if n not in declared and f"`{n}`" not in DOC)
    assert undocumented == []


def test_values_are_parsed_to_their_type(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPORTPLAN_SESSION_HOURS", "1.5")
    monkeypatch.setenv("EXPORTPLAN_HOME_COUNTRY", " irn")
    monkeypatch.setenv("EXPORTPLAN_WORKSPACE", "/tmp/somewhere")
    values = settings.check()
    assert values["session_hours"] == 1.5
    assert values["home_country"] == "IRN"
    assert values["workspace"] == Path("/tmp/somewhere")
    assert values["program_db"] == ""
    assert settings.env_value("session_hours") == "1.5"  # the text, for callers that want it


@pytest.mark.parametrize(
    ("env", "raw", "name"),
    [
        ("EXPORTPLAN_SESSION_HOURS", "twelve", "session_hours"),
        ("EXPORTPLAN_SESSION_HOURS", "-3", "session_hours"),
        ("EXPORTPLAN_HOME_COUNTRY", "Iran", "home_country"),
        ("EXPORTPLAN_HOME_REGION", "  ", "home_region"),
        ("EXPORTPLAN_PROGRAM_DB", "just a name", "program_db"),
    ],
)
def test_an_invalid_value_stops_the_workspace_opening_naming_setting_and_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: str, raw: str, name: str
) -> None:
    ws = init(tmp_path / "ws")
    monkeypatch.setenv(env, raw)
    with pytest.raises(SettingError) as err:
        open_workspace(ws.path)
    assert err.value.setting == name and err.value.value == raw
    assert name in err.value.message and env in err.value.message and repr(raw) in err.value.message
    with pytest.raises(SettingError):
        init(tmp_path / "other")


def test_a_database_url_in_an_error_hides_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    s = settings.setting("program_db")
    err = SettingError(s, "postgresql+psycopg://u:secret@host/db", "cannot be used")
    assert "secret" not in err.message and "u:***@host" in err.message
    # a URL of an unknown dialect is a URL: the program store says what is wrong with it
    monkeypatch.setenv("EXPORTPLAN_PROGRAM_DB", "nosuchdialect://x")
    assert settings.env_value("program_db") == "nosuchdialect://x"


def test_an_unknown_setting_is_a_bug() -> None:
    with pytest.raises(KeyError):
        settings.value("no_such_setting")


@pytest.mark.parametrize("raw", ["ten", "0", "-2", "2.5", ""])
def test_the_fewest_products_behind_an_eci_is_a_whole_number_of_at_least_one(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    assert settings.value("complexity_min_products") == 10  # the default
    monkeypatch.setenv("EXPORTPLAN_COMPLEXITY_MIN_PRODUCTS", " 4 ")
    assert settings.value("complexity_min_products") == 4
    monkeypatch.setenv("EXPORTPLAN_COMPLEXITY_MIN_PRODUCTS", raw)
    with pytest.raises(SettingError) as err:
        settings.value("complexity_min_products")
    assert err.value.setting == "complexity_min_products" and err.value.value == raw
