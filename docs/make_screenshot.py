"""Render the demo's terminal output to docs/demo.svg (the README's screenshot).

.venv/bin/python docs/make_screenshot.py
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from sitrep import cli

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    screen = Console(record=True, width=104, file=io.StringIO(), force_terminal=True)
    cli.out = screen
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "demo.duckdb")
        examples = str(ROOT / "examples")
        screen.print("[bold]$ sitrep ingest examples[/]")
        runner.invoke(cli.app, ["ingest", examples, "--db", db, "--executor", "inline"])
        screen.print("[bold]$ sitrep articles --limit 6[/]")
        runner.invoke(cli.app, ["articles", "--db", db, "--limit", "6"])
        screen.print(
            "[bold]$ sitrep show examples/ceasefire-fr.raw.txt[/]  "
            "[dim](excerpt: some of the places, times and actors found)[/]"
        )
        whole = Console(record=True, width=104, file=io.StringIO(), force_terminal=True)
        cli.out = whole
        runner.invoke(cli.app, ["show", str(ROOT / "examples/ceasefire-fr.raw.txt"), "--db", db])
        lines = whole.export_text(styles=True).splitlines()
        start = next(i for i, line in enumerate(lines) if "places, times and actors" in line)
        wanted = (
            "mardi", "heure de Moscou", "Goris", "Novoivanovka", "Husulu", "Haut-Karabakh",
            "ministère arménien", "forces azerbaïdjanaises", "Pashinyan", "Bakou",
        )  # fmt: skip
        shown = (
            lines[start : start + 4]
            + [line for line in lines[start + 4 :] if any(w in line for w in wanted)][:16]
        )
        for line in shown:
            screen.print(Text.from_ansi(line))
    screen.save_svg(str(ROOT / "docs/demo.svg"), title="sitrep demo")


if __name__ == "__main__":
    main()
