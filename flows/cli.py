"""The ``survwatch`` command line (typer). Thin: parse options, call flows and libraries, print."""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from . import progress
from .settings import Settings

app = typer.Typer(help="survwatch: follow how surveillance technology spreads.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
feeds_app = typer.Typer(help="Manage the feed list.", no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")
console = Console()
err = Console(stderr=True)

DbOpt = Annotated[Optional[Path], typer.Option("--db", help="Warehouse file (default: SURVWATCH_DB).")]


def _settings(**overrides) -> Settings:
    try:
        s = Settings()
    except Exception as exc:  # pydantic validation of environment values
        _fail(f"invalid setting: {exc}")
    data = {k: v for k, v in overrides.items() if v is not None}
    return s.model_copy(update=data) if data else s


def _fail(message: str, code: int = 1):
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def _prefect_defaults(s: Settings | None = None) -> None:
    """Offline, quiet Prefect with an absolute home under the data folder (see flows/prefect_runtime.py)."""
    from .prefect_runtime import configure

    configure((s or _settings()).data_dir)


def print_summary(report: dict, db: Path) -> None:
    run, tags = report["run"], report["tags"]
    t = Table(title=f"survwatch run {run['run_id'][:8]} — {run['status']}", show_header=False)
    t.add_column("what", style="bold")
    t.add_column("count", justify="right")
    t.add_row("feeds fetched", str(run["feeds"]))
    t.add_row("  not modified (304)", str(run["feeds_not_modified"]))
    t.add_row("  failed", str(run["feeds_failed"]))
    t.add_row("new items", str(run["items_new"]))
    t.add_row("items already known", str(run["items_known"]))
    t.add_row("items processed", str(run["items_seen"]))
    t.add_row("  stored", str(run["stored"]))
    t.add_row("  skipped", str(run["skipped"]))
    t.add_row("  failed", str(run["failed"]))
    t.add_row("articles stored", str(tags["articles"]))
    t.add_row("vendors found", str(tags["vendors"]))
    t.add_row("countries found", str(tags["countries"]))
    t.add_row("claims found", str(tags["claims"]))
    t.add_row("deals found", str(tags["deals"]))
    console.print(t)
    if report["feed_errors"] or report["item_errors"]:
        e = Table(title="errors and skips, with reasons")
        for col in ("what", "reason", "count", "example"):
            e.add_column(col, overflow="fold")
        for f in report["feed_errors"]:
            e.add_row("feed", f["error"] or "", "1", f["detail"] or f["title"] or "")
        for r in report["item_errors"]:
            e.add_row("item", r["reason"], str(r["n"]), r["example"] or "")
        console.print(e)
    console.print(f"warehouse: {db}")


def _stopped(exc: BaseException, what: str) -> None:
    from .stopping import stop_reason, stopped_run

    run_id, reason = stopped_run(), stop_reason(exc)
    if run_id:
        err.print(f"survwatch {what} {reason}: run {run_id[:8]} is recorded as 'stopped' in runs; "
                  "run it again to finish what it left pending")
    else:
        err.print(f"survwatch {what} {reason} before the run started; nothing was written")
    signum = getattr(exc, "signum", None) or getattr(exc, "signal", None) or 2
    raise typer.Exit(128 + int(signum))


def _run_ingest(s: Settings, feeds: Path, db: Path, what: str = "run") -> dict:
    from warehouse import WarehouseError

    _prefect_defaults(s)  # before anything imports Prefect (flows.stopping does)
    from .prefect_runtime import start_temporary_server
    from .stopping import STOP_EXCEPTIONS, stop_on_signals

    with stop_on_signals():
        try:
            # boots while the pipeline imports (both take seconds); Prefect's first call waits for it
            start_temporary_server()
            from .ingest import load_feed_specs, nightly_ingest

            load_feed_specs(feeds)  # fail fast, with a message, before the flow starts
            with progress.show_on_terminal():
                return nightly_ingest(feeds_path=str(feeds), db_path=str(db), settings=s)
        except STOP_EXCEPTIONS as exc:
            _stopped(exc, what)
        except (WarehouseError, FileNotFoundError, ValueError) as exc:
            _fail(str(exc))


@app.command()
def run(feeds: Annotated[Optional[Path], typer.Option(help="OPML feed list (default: SURVWATCH_FEEDS).")] = None,
        db: DbOpt = None) -> None:
    """Run the nightly ingest once, now."""
    s = _settings(db=db, feeds=feeds)
    report = _run_ingest(s, s.feeds, s.db)
    print_summary(report, s.db)


@app.command()
def demo(db: DbOpt = None) -> None:
    """Run the whole pipeline offline against the bundled sample web (into DATA_DIR/demo.duckdb)."""
    from .sample_web import SampleWeb

    db = db or _settings().data_dir / "demo.duckdb"
    for stale in (db, Path(str(db).replace(".duckdb", ".work.duckdb"))):
        for path in (stale, Path(str(stale) + ".wal")):
            path.unlink(missing_ok=True)
    with SampleWeb() as web, tempfile.TemporaryDirectory() as tmp:
        s = _settings(db=db, allowed_hosts=web.host_port, per_host_delay=0)
        feeds = web.write_feed_list(Path(tmp) / "sample-feeds.opml")
        console.print(f"serving the sample web at {web.base}")
        report = _run_ingest(s, feeds, s.db, what="demo")
    print_summary(report, s.db)
    from .digest import write_demo_digest

    from warehouse.lake import is_lake

    # a lake target is no file: its digests go to the data folder
    page = write_demo_digest(s.db, (s.data_dir if is_lake(s.db) else s.db.parent) / "digests", s)
    console.print(f"digest of this week (dry run, not sent): {page}")


@app.command()
def reprocess(db: DbOpt = None,
              all_articles: Annotated[bool, typer.Option("--all", help="Re-tag every article, not only outdated ones.")] = False,
              re_extract: Annotated[bool, typer.Option(
                  "--re-extract", help="Also re-extract articles of unknown extraction (stored before survwatch "
                                       "recorded it); with --all, every article with a raw page.")] = False) -> None:
    """Re-extract from the WARC archive articles whose extraction changed (trafilatura or survwatch's settings),
    then re-tag stored articles with the current nlp version (no refetching)."""
    from warehouse import WarehouseError

    s = _settings(db=db)
    _prefect_defaults(s)  # before anything imports Prefect (flows.stopping does)
    from .prefect_runtime import start_temporary_server
    from .stopping import STOP_EXCEPTIONS, stop_on_signals

    with stop_on_signals():
        try:
            start_temporary_server()
            from .reprocess import reprocess as reprocess_flow

            with progress.show_on_terminal():
                out = reprocess_flow(db_path=str(s.db), all_articles=all_articles, settings=s, re_extract=re_extract)
        except STOP_EXCEPTIONS as exc:
            _stopped(exc, "reprocess")
        except WarehouseError as exc:
            _fail(str(exc))
    console.print(f"re-extracted {out['reextracted']} articles with extraction {out['extract_version']}; "
                  f"re-tagged {out['retagged']} articles with nlp {out['nlp_version']}")
    for reason, n in sorted(out["reextract_misses"].items()):
        console.print(f"  not re-extracted, text kept: {n} {reason} (table reextract_misses)")


@feeds_app.command("import")
def feeds_import(file: Path, db: DbOpt = None) -> None:
    """Add the feeds of an OPML file to the warehouse's feed list."""
    import warehouse
    from warehouse import ingest as wh

    from .ingest import load_feed_specs

    s = _settings(db=db)
    try:
        specs = load_feed_specs(file)
        con = warehouse.open_for_writing(s.db)
    except (FileNotFoundError, ValueError, warehouse.WarehouseError) as exc:
        _fail(str(exc))
    try:
        stored = wh.sync_feeds(con, specs)
    finally:
        con.close()
        warehouse.publish(s.db)
    console.print(f"imported {len(stored)} feeds from {file} into {s.db}")


@feeds_app.command("list")
def feeds_list(db: DbOpt = None) -> None:
    """List the feeds in the warehouse with their health."""
    import warehouse
    from warehouse import ingest as wh

    s = _settings(db=db)
    try:
        con = warehouse.open_read_only(s.db)
    except warehouse.WarehouseError as exc:
        _fail(str(exc))
    rows = wh.list_feeds(con)
    con.close()
    t = Table()
    for col in ("id", "category", "title", "url", "last success", "failures", "last error"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(str(r["feed_id"]), r["category"] or "", r["title"] or "", r["url"],
                  str(r["last_success_at"] or ""), str(r["consecutive_failures"]), r["last_error"] or "")
    console.print(t)


@app.command()
def tag(files: list[Path],
        format: Annotated[str, typer.Option("--format", help="Output format: jsonl.")] = "jsonl",
        model: Annotated[Optional[str], typer.Option(help="spaCy model (default: SURVWATCH_SPACY_MODEL).")] = None) -> None:
    """Tag text files: vendors, countries, technologies, claims, deals (one JSON object per file)."""
    if format != "jsonl":
        _fail(f"unknown --format {format!r}; use jsonl")
    from nlp.multilingual import load_multilingual_tagger

    s = _settings(spacy_model=model)
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        _fail(f"no such file: {', '.join(missing)}")
    try:
        tagger = load_multilingual_tagger(model=s.spacy_model, seeds_dir=s.seeds_dir)
    except (ValueError, OSError) as exc:
        _fail(str(exc))
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    for f, tags in zip(files, tagger.tag_many(texts)):
        out = {"doc": f.name, **{k: v for k, v in tags.items() if k != "mentions"}}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


@app.command("eval")
def eval_cmd(directory: Path,
             min_f1: Annotated[list[str], typer.Option("--min", help="Floor like vendors=0.9; exit 1 if missed.")] = [],
             model: Annotated[Optional[str], typer.Option(help="spaCy model.")] = None,
             as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False) -> None:
    """Evaluate the tagger on DIR against DIR/gold.jsonl (texts in DIR, or a real-news manifest + local cache)."""
    from nlp.evaluate import evaluate, format_report
    from nlp.multilingual import load_multilingual_tagger

    from .goldsets import GoldSetError, load_gold_set

    try:
        gs = load_gold_set(directory)
    except GoldSetError as exc:
        _fail(str(exc))
    for doc, why in gs.left_out:
        err.print(f"skipped {doc}: {why}")
    if not gs.gold:
        # a real-news set whose texts are not cached here: nothing to score, and that is not an error
        err.print(f"{directory}: no cached texts in {gs.cache_dir}; nothing evaluated "
                  f"(see {directory / 'README.md'} to rebuild the cache)")
        return
    s = _settings(spacy_model=model)
    # the language of each document is detected from its text (a manifest's language is for the breakdown only)
    tagger = load_multilingual_tagger(model=s.spacy_model, seeds_dir=s.seeds_dir)
    predicted = [{"doc": d, **t} for d, t in zip(gs.docs, tagger.tag_many(gs.texts))]
    report = evaluate(predicted, gs.gold)
    by_language = {}
    languages = sorted({lang for lang in gs.languages if lang})
    if len(languages) > 1:
        for lang in languages:
            keep = {d for d, l in zip(gs.docs, gs.languages) if l == lang}
            by_language[lang] = evaluate([p for p in predicted if p["doc"] in keep],
                                         [g for g in gs.gold if g["doc"] in keep])
    if as_json:
        console.print_json(json.dumps({**report, "by_language": by_language}))
    else:
        console.print(format_report(report), markup=False)
        for lang, sub in by_language.items():
            console.print(f"\n== language {lang} ==", markup=False)
            console.print(format_report(sub), markup=False)
    failed = []
    for floor in min_f1:
        label, _, value = floor.partition("=")
        f1 = report["labels"].get(label, {}).get("f1")
        if f1 is None:
            _fail(f"unknown label in --min {floor!r}; labels: {', '.join(report['labels'])}", 2)
        if f1 < float(value):
            failed.append(f"{label} F1 {f1:.3f} < {float(value):.3f}")
    if failed:
        _fail("; ".join(failed))


def _register_extensions() -> None:
    """Command groups kept in their own modules (analyst SQL, digest, operations)."""
    import importlib

    for name in ("flows.cli_analyst", "flows.cli_digest", "flows.cli_ops", "flows.cli_review", "flows.cli_backfill"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(app)


_register_extensions()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
