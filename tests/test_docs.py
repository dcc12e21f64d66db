"""Docs that cannot drift: the README's Layout section is the tree's module docstrings."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _gen_layout() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_layout", ROOT / "scripts" / "gen_layout.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["gen_layout"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_readme_layout_is_generated_from_the_tree() -> None:
    gen = _gen_layout()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert gen.updated(readme) == readme, "README.md's Layout is stale: run `make docs`"
    rows = dict(gen.modules())
    src = ROOT / "src" / "exportplan"
    for path in src.rglob("*.py"):
        rel = path.relative_to(src)
        if "migrations" in rel.parts or path.name in ("__init__.py", "__main__.py"):
            continue
        name = rel.as_posix()
        assert name in rows, f"{name} missing from the Layout"
        assert rows[name], f"{name} has no module docstring"
        assert f" {path.name} " in readme or f" {path.name}\n" in readme


def test_layout_check_fails_on_a_stale_readme() -> None:
    gen = _gen_layout()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stale = readme.replace("    plan_of_record.py", "    plan_of_records.py")
    assert stale != readme
    assert gen.updated(stale) != stale
    assert gen.first_sentence("One thing. Another.") == "One thing"
    assert gen.first_sentence(None) == ""
