"""Generate docs/cli.md from the CLI's own --help texts; ``--check`` fails if it is stale."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from exportplan.cli import app

OUT = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def command_paths(cmd: Any, path: list[str]) -> list[list[str]]:
    found = [path]
    for name in sorted(getattr(cmd, "commands", {}) or {}):
        found.extend(command_paths(cmd.commands[name], [*path, name]))
    return found


def render() -> str:
    os.environ["COLUMNS"] = "100"
    os.environ["NO_COLOR"] = "1"
    runner = CliRunner()
    root = typer.main.get_command(app)
    parts = [
        "# CLI reference",
        "",
        "Generated from the commands' own help by "
        "`make docs` (`scripts/gen_cli_docs.py`); CI fails when it is stale.",
        "",
    ]
    for path in command_paths(root, []):
        res = runner.invoke(app, [*path, "--help"], prog_name="exportplan", terminal_width=100)
        if res.exit_code != 0:
            raise SystemExit(f"--help failed for {' '.join(path)}: {res.output}")
        text = "\n".join(line.rstrip() for line in res.output.strip().splitlines())
        parts += [
            f"## `exportplan {' '.join(path)}`".replace("exportplan `", "exportplan`"),
            "",
            "```text",
            text,
            "```",
            "",
        ]
    return "\n".join(parts)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print("docs/cli.md is stale: run `make docs`", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
