"""`survwatch review`: claims to check, one claim with every article repeating it, recording a verdict,
and the export of verdicts as schema.org ClaimReview (JSON-LD) or CSV.

Registered on the main ``survwatch`` app by ``flows.cli._register_extensions`` through :func:`register`.
Reading commands open the *published* warehouse read-only. ``review set`` writes the work file and publishes
it, the same path as ingest (``warehouse.open_for_writing`` / ``warehouse.publish``), so a running nightly
ingest (which holds the work file) makes it fail with a clear message instead of waiting or clobbering.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.table import Table

console = Console()
err = Console(stderr=True)

review_app = typer.Typer(help="Claim review: what to check, record verdicts, export them as ClaimReview.",
                         no_args_is_help=True)
DbOpt = Annotated[Optional[Path], typer.Option("--db", help="Warehouse file (default: SURVWATCH_DB).")]
KeyArg = Annotated[str, typer.Argument(help="Claim key (12 hex digits) from `survwatch review list`.")]


def _fail(message: str, code: int = 1):
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


def _settings(**overrides):
    from . import cli  # lazily: flows.cli imports this module while it is being defined

    return cli._settings(**overrides)


def _no_review_schema(db: Path) -> str:
    return (f"warehouse {db} has no claim review tables yet (it was written before survwatch knew claim "
            f"review): run `survwatch run` or `survwatch review set` once to upgrade it")


def _read(db: Path | None, work) -> Any:
    """Run ``work(con)`` on the published warehouse, read-only, with errors as messages."""
    import duckdb

    import warehouse
    from warehouse.reviews import ReviewError

    s = _settings(db=db)
    try:
        con = warehouse.open_read_only(s.db)
    except warehouse.WarehouseError as exc:
        _fail(str(exc))
    try:
        from warehouse.db import current_version

        if current_version(con) < 7:  # migration 007_claim_reviews
            _fail(_no_review_schema(s.db))
        return work(con)
    except ReviewError as exc:
        _fail(str(exc))
    except duckdb.CatalogException:
        _fail(_no_review_schema(s.db))
    finally:
        con.close()


def _fmt_value(value: float | None, unit: str | None) -> str:
    from .digest import fmt_value

    return fmt_value(value, unit)


def _claim_line(c: dict[str, Any]) -> str:
    from .digest import clean, fmt_claim

    where = f", {clean(c['place'], 3)}" if c.get("place") else ""
    return f"{fmt_claim(c['metric_family'], c['direction'], c['value'], c['unit'])}{where}"


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")


@review_app.command("list")
def list_cmd(limit: Annotated[int, typer.Option("--limit", min=1, help="Claims to show.")] = 20,
             as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
             db: DbOpt = None) -> None:
    """Unreviewed claims, most urgent first: spread (stories, outlets), conflicting figures, no claimant."""
    from warehouse.reviews import claims_to_review

    from .digest import clean

    rows = _read(db, lambda con: claims_to_review(con, limit))
    if as_json:
        sys.stdout.write(json.dumps(rows, default=str, ensure_ascii=False, indent=1) + "\n")
        return
    if not rows:
        console.print("no unreviewed claims")
        return
    t = Table(title="claims to check (survwatch review show KEY for the articles)")
    for col in ("#", "key", "claim", "stories", "outlets", "conflicts", "claimant", "first", "first outlet"):
        t.add_column(col, overflow="fold", no_wrap=col in ("#", "key"))
    for r in rows:
        t.add_row(str(r["priority"]), r["claim_key"], clean(_claim_line(r), 70), str(r["clusters"]),
                  str(r["outlets"]), str(r["conflicts"]),
                  "none named" if r["no_claimant"] else clean(r["first_claimant"] or ", ".join(r["claimants"]), 30),
                  f"{r['first_appeared_at']:%Y-%m-%d}", clean(r["first_outlet"], 40))
    console.print(t)


@review_app.command("show")
def show_cmd(key: KeyArg, db: DbOpt = None) -> None:
    """One claim: its current verdict and history, and every article repeating it."""
    from warehouse.reviews import claim_articles, find_claim, history

    from .digest import clean, plural

    def work(con):
        claim = find_claim(con, key)
        return claim, claim_articles(con, claim), history(con, claim["key"])

    claim, articles, past = _read(db, work)
    current = claim["current"]
    console.print(f"[bold]{claim['key']}[/]  {clean(_claim_line(claim), 100)}", highlight=False)
    if claim.get("first_sentence"):
        console.print(f"  \"{clean(claim['first_sentence'], 300)}\"", highlight=False, markup=False)
    if current:
        console.print(f"verdict: [bold]{current['verdict']}[/] by {clean(current['reviewer'], 60)} on "
                      f"{current['reviewed_at']:%Y-%m-%d %H:%M} UTC"
                      + (f", evidence {current['evidence_url']}" if current["evidence_url"] else ""),
                      highlight=False)
        if current["note"]:
            console.print(f"  note: {clean(current['note'], 300)}", highlight=False, markup=False)
    else:
        console.print("verdict: none yet (survwatch review set KEY VERDICT --evidence URL)", highlight=False)
    if len(past) > 1:
        console.print("history (newest first):")
        for h in past:
            console.print(f"  {h['reviewed_at']:%Y-%m-%d %H:%M}  {h['verdict']:<13} {clean(h['reviewer'], 40)}"
                          + (f"  {h['evidence_url']}" if h["evidence_url"] else ""), highlight=False, markup=False)
    t = Table(title=f"{plural(len(articles), 'article')} repeating it, oldest first")
    for col in ("appeared", "outlet", "figure", "claimant", "sentence", "url"):
        t.add_column(col, overflow="fold")
    for a in articles:
        when = a["published_at"] or a["first_seen_at"]
        t.add_row(f"{when:%Y-%m-%d}", clean(a["outlet"], 30), _fmt_value(a["value"], a["unit"]),
                  clean(a["claimant"], 30) or "none named", clean(a["sentence"], 160), a["article_url"] or "")
    console.print(t)


@review_app.command("set")
def set_cmd(key: KeyArg,
            verdict: Annotated[str, typer.Argument(help="supported | contradicted | misleading | unverifiable")],
            evidence: Annotated[Optional[str], typer.Option("--evidence", help="http(s) URL of the evidence.")] = None,
            note: Annotated[Optional[str], typer.Option("--note", help="Why: what the evidence says.")] = None,
            reviewer: Annotated[Optional[str], typer.Option(
                "--reviewer", help="Who reviews (default: SURVWATCH_REVIEWER).")] = None,
            db: DbOpt = None) -> None:
    """Record a verdict on a claim (a new row: earlier verdicts stay as history)."""
    import duckdb

    import warehouse
    from warehouse.reviews import ReviewError, check_evidence_url, check_verdict, normalise_key, record_verdict

    s = _settings(db=db)
    who = reviewer or s.reviewer
    try:  # validate before touching the warehouse
        normalise_key(key)
        check_verdict(verdict)
        check_evidence_url(evidence)
        if not (who or "").strip():
            raise ReviewError("no reviewer: set SURVWATCH_REVIEWER (or pass --reviewer NAME)")
    except ReviewError as exc:
        _fail(str(exc))
    try:
        con = warehouse.open_for_writing(s.db)
    except warehouse.WarehouseError as exc:
        _fail(f"{exc}. The verdict was not recorded; run the same command again when the ingest has finished")
    try:
        row = record_verdict(con, key, verdict, reviewer=who, evidence_url=evidence, note=note)
    except ReviewError as exc:
        con.close()
        _fail(str(exc))
    except duckdb.ConstraintException as exc:  # the CHECKs of migration 007, should validation ever miss one
        con.close()
        _fail(f"verdict refused by the warehouse: {exc}")
    con.close()
    warehouse.publish(s.db)
    from .digest import plural

    console.print(f"recorded: {row['key']} {row['verdict']} by {row['reviewer']} "
                  f"({plural(row['articles'], 'article')} repeating it now) in {s.db}", highlight=False)


@review_app.command("export")
def export_cmd(format: Annotated[str, typer.Option("--format", help="jsonld (schema.org ClaimReview) or csv.")] = "jsonld",
               out: Annotated[Optional[Path], typer.Option("--out", help="File to write (default: standard output).")] = None,
               base_url: Annotated[Optional[str], typer.Option(
                   "--base-url", help="Where your reviews are published: ClaimReview url = BASE_URL/KEY "
                                      "(default: the evidence URL).")] = None,
               db: DbOpt = None) -> None:
    """Export the current verdicts as schema.org ClaimReview JSON-LD or CSV."""
    from warehouse.claimreview import CSV_COLUMNS, claim_reviews, csv_row
    from warehouse.reviews import ReviewError, check_evidence_url, export_rows

    fmt = format.strip().lower()
    if fmt not in ("jsonld", "csv"):
        _fail(f"unknown --format {format!r}; use jsonld or csv")
    if base_url:
        try:
            check_evidence_url(base_url)
        except ReviewError:
            _fail(f"--base-url {base_url!r} is not an absolute http(s) URL")
    rows = _read(db, export_rows)
    handle = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        if fmt == "jsonld":
            docs, problems = claim_reviews(rows, base_url)
            handle.write(json.dumps(docs, ensure_ascii=False, indent=2) + "\n")
        else:
            problems = []
            writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            for r in rows:
                writer.writerow(csv_row(r, base_url))
    finally:
        if out:
            handle.close()
    for p in problems:
        err.print(f"skipped {p}", highlight=False, markup=False)
    if out:
        err.print(f"wrote {len(rows) - len(problems)} verdicts to {out}", highlight=False)
