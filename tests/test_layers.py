"""The architecture's guard rails (docs/architecture.md): the import graph of ``exportplan`` has
no cycles, imports point down the layers only, no front door imports another, SQL writes live in
``store/`` alone and the front doors hold no SQL at all, and modules stay of a readable size.

Imports inside functions count like those at the top of a module. The rules are read from the
source with :mod:`ast`; nothing is imported or run.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PKG = "exportplan"

# Layers from the top. A module may import its own layer's modules (other than front doors, see
# FRONT_DOORS) and any layer below; never one above.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("front doors", ("exportplan.cli", "exportplan.web")),
    ("views", ("exportplan.views", "exportplan.reports")),
    ("services", ("exportplan.services",)),
    (
        "analytics and stores",
        (
            "exportplan.analytics",
            "exportplan.store",
            "exportplan.workspace",
            "exportplan.synthetic",
        ),
    ),
    ("ingest", ("exportplan.ingest",)),
    (
        "reference",
        (
            "exportplan.reference",
            "exportplan.domain",
            "exportplan.auth",
            "exportplan.errors",
            "exportplan.settings",
            "exportplan.i18n",
            "exportplan",
        ),
    ),
)
FRONT_DOORS = ("exportplan.cli", "exportplan.web")
STORE = "exportplan.store"
NO_SQL = ("exportplan.cli", "exportplan.web", "exportplan.views", "exportplan.reports")
MAX_LINES = 800

# SQL as this code base writes it: keywords in capitals, structure around them (prose such as
# "Create a workspace" or "delete it" does not match).
SQL_WRITE = re.compile(
    r"\b(INSERT\s+(OR\s+(REPLACE|IGNORE)\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM"
    r"|CREATE\s+(OR\s+REPLACE\s+)?(TEMP\w*\s+)?(TABLE|VIEW|INDEX|SEQUENCE|SCHEMA|MACRO|TYPE)"
    r"|DROP\s+(TABLE|VIEW|INDEX|SEQUENCE|SCHEMA|MACRO|TYPE)|ALTER\s+TABLE|TRUNCATE\s"
    r"|COPY\s+[\w(]|ATTACH\s|DETACH\s|CHECKPOINT\b)"
)
SQL_ANY = re.compile(r"\bSELECT\s[\s\S]*\bFROM\s|\bWITH\s+\w+\s+AS\s*\(|\bPRAGMA\s|\bDESCRIBE\s")
# Statement-level ORM writes on a session (the program store's write helper in store/ wraps them)
ORM_WRITES = {"add", "add_all", "delete", "merge", "flush", "commit", "bulk_save_objects"}
SESSION_NAMES = {"s", "session", "sess", "db_session"}


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    tree: ast.Module

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"


def _modules() -> dict[str, Module]:
    out: dict[str, Module] = {}
    for path in sorted((SRC / PKG).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if "migrations" in parts:  # Alembic's scripts are loaded by Alembic, not imported
            continue
        name = ".".join(parts)
        out[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return out


MODULES = _modules()


def _targets(mod: Module, node: ast.Import | ast.ImportFrom) -> list[str]:
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            base = mod.name.split(".")
            if not mod.is_package:
                base = base[:-1]
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        names = [prefix] + [f"{prefix}.{a.name}" for a in node.names]
    out = []
    for n in names:
        if n != PKG and not n.startswith(PKG + "."):
            continue
        while n not in MODULES and "." in n:
            n = n.rsplit(".", 1)[0]
        if n in MODULES and n != mod.name:
            out.append(n)
    return out


def _edges() -> dict[str, dict[str, int]]:
    """module -> {imported module: line}; `from pkg import name` counts as importing the
    submodule `pkg.name` when there is one, else `pkg` itself."""
    edges: dict[str, dict[str, int]] = {}
    for mod in MODULES.values():
        seen: dict[str, int] = {}
        for node in ast.walk(mod.tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                targets = _targets(mod, node)
                if isinstance(node, ast.ImportFrom) and len(targets) > 1:
                    targets = targets[1:] if any(t != targets[0] for t in targets[1:]) else targets
                for t in targets:
                    seen.setdefault(t, node.lineno)
        edges[mod.name] = seen
    return edges


EDGES = _edges()


def _layer(name: str) -> int:
    best: tuple[int, int] | None = None  # (prefix length, layer index)
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (name == p or name.startswith(p + ".")) and (best is None or len(p) > best[0]):
                best = (len(p), i)
    if best is None:
        raise AssertionError(
            f"{name} belongs to no layer; add it to LAYERS in tests/test_layers.py"
        )
    return best[1]


def _front_door(name: str) -> str | None:
    for p in FRONT_DOORS:
        if name == p or name.startswith(p + "."):
            return p
    return None


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    return [
        (n.lineno, n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ] + [
        (
            n.lineno,
            "".join(
                v.value
                for v in n.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            ),
        )
        for n in ast.walk(tree)
        if isinstance(n, ast.JoinedStr)
    ]


def _in(name: str, prefixes: tuple[str, ...] | str) -> bool:
    if isinstance(prefixes, str):
        prefixes = (prefixes,)
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_every_module_is_in_a_layer() -> None:
    for name in MODULES:
        _layer(name)


def test_no_import_cycles() -> None:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in EDGES[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(EDGES):
        if v not in index:
            visit(v)
    assert cycles == [], "import cycles (imports inside functions count): " + "; ".join(
        " <-> ".join(c) for c in cycles
    )


def test_imports_point_down_the_layers() -> None:
    bad = []
    for name, targets in EDGES.items():
        for target, line in targets.items():
            if _layer(target) < _layer(name):
                bad.append(
                    f"{MODULES[name].path.relative_to(SRC)}:{line} {name} "
                    f"({LAYERS[_layer(name)][0]}) imports {target} ({LAYERS[_layer(target)][0]})"
                )
    assert bad == [], "imports pointing up the layers:\n" + "\n".join(bad)


def test_no_front_door_imports_another() -> None:
    bad = []
    for name, targets in EDGES.items():
        door = _front_door(name)
        for target, line in targets.items():
            other = _front_door(target)
            if door and other and other != door:
                bad.append(f"{MODULES[name].path.relative_to(SRC)}:{line} {name} imports {target}")
    assert bad == [], "front doors importing each other:\n" + "\n".join(bad)


def test_sql_writes_only_in_the_store() -> None:
    bad = []
    for name, mod in MODULES.items():
        if _in(name, STORE):
            continue
        rel = mod.path.relative_to(SRC)
        for line, text in _strings(mod.tree):
            if SQL_WRITE.search(text):
                bad.append(f"{rel}:{line} SQL write {text.strip()[:60]!r}")
        for node in ast.walk(mod.tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ORM_WRITES
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in SESSION_NAMES
            ):
                bad.append(f"{rel}:{node.lineno} session write .{node.func.attr}()")
    assert bad == [], "writes outside store/ (use the store's write functions):\n" + "\n".join(bad)


def test_front_doors_hold_no_sql() -> None:
    bad = []
    for name, mod in MODULES.items():
        if not _in(name, NO_SQL):
            continue
        for line, text in _strings(mod.tree):
            if SQL_ANY.search(text) or SQL_WRITE.search(text):
                bad.append(f"{mod.path.relative_to(SRC)}:{line} {text.strip()[:60]!r}")
    assert bad == [], "SQL in a front door or view (move it to a store query):\n" + "\n".join(bad)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_size(name: str) -> None:
    lines = MODULES[name].path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by concept (under {MAX_LINES})"


def test_guard_rails_catch_what_they_should() -> None:
    """The checks themselves can fail: a cycle, an upward import and a SQL write are caught."""
    assert SQL_WRITE.search("  INSERT INTO flows VALUES (1)")
    assert SQL_WRITE.search("x; DELETE FROM x")
    assert SQL_WRITE.search("CREATE OR REPLACE TEMP TABLE _t AS SELECT 1")
    assert not SQL_WRITE.search("SELECT * FROM flows -- insert")
    assert not SQL_WRITE.search("Create a workspace; delete it from the list")
    assert SQL_ANY.search("SELECT a, b FROM flows")
    assert not SQL_ANY.search("select the product from the list")
    assert _layer("exportplan.cli.data") == 0
    assert _layer("exportplan.reference.text") == len(LAYERS) - 1
    assert _layer("exportplan.services.monitor") < _layer("exportplan.store.warehouse")
    assert _front_door("exportplan.web.app") == "exportplan.web"
    assert _front_door("exportplan.views") is None


def test_all_lists_name_what_the_module_has() -> None:
    """No stale ``__all__``: every name a module exports exists in it (imported or defined), or
    is one of the package's submodules."""
    import importlib

    bad = []
    for name, mod in MODULES.items():
        declared = None
        for node in mod.tree.body:
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                    declared = node.value
        if declared is None:
            continue
        assert isinstance(declared, ast.List | ast.Tuple), f"{name}: __all__ is not a literal"
        module = importlib.import_module(name)
        for elt in declared.elts:
            assert isinstance(elt, ast.Constant) and isinstance(elt.value, str)
            if not hasattr(module, elt.value) and f"{name}.{elt.value}" not in MODULES:
                bad.append(f"{name}.__all__ names {elt.value!r}, which it does not have")
        listed = {
            e.value
            for e in declared.elts
            if isinstance(e, ast.Constant)
            and isinstance(getattr(module, str(e.value), ModuleType), ModuleType | type)
        }
        subs = {m.rsplit(".", 1)[1] for m in MODULES if "." in m and m.rsplit(".", 1)[0] == name}
        if listed & subs and subs - listed:  # a package listing its modules lists them all
            bad.append(f"{name}.__all__ misses its modules {sorted(subs - listed)}")
    assert bad == [], "\n".join(bad)
