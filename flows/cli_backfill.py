"""`survwatch backfill`: history from WARC files (CC-NEWS included) and news sitemaps.

Registered on the main ``survwatch`` app by ``flows.cli._register_extensions`` through :func:`register`.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def backfill(
        warc: Annotated[Optional[list[Path]], typer.Option(
            "--warc", help="WARC file (.warc or .warc.gz; repeatable), e.g. a CC-NEWS file.")] = None,
        sitemap: Annotated[Optional[str], typer.Option(
            "--sitemap", help="Sitemap or sitemap index URL (news sitemaps included); pages are fetched politely.")] = None,
        since: Annotated[Optional[str], typer.Option(
            "--since", help="With --sitemap: only entries dated on or after YYYY-MM-DD (undated entries are kept).")] = None,
        db: Annotated[Optional[Path], typer.Option("--db", help="Warehouse file (default: SURVWATCH_DB).")] = None,
    ) -> None:
        """Backfill history through the nightly run's extraction, dedup and tagging; rerun to resume after a kill."""
        from warehouse import WarehouseError

        from . import progress
        from .warc import base_dir as warc_base_dir
        from .cli import _fail, _prefect_defaults, _settings, _stopped, console, print_summary

        if not warc and not sitemap:
            _fail("nothing to backfill: pass --warc FILE (repeatable) and/or --sitemap URL")
        since_date = None
        if since:
            if not sitemap:
                _fail("--since filters sitemap entries: use it with --sitemap URL")
            try:
                since_date = dt.date.fromisoformat(since)
            except ValueError:
                _fail(f"--since {since!r} is not a date: use YYYY-MM-DD, e.g. --since 2024-01-01")
        for path in warc or []:
            if not path.is_file():
                _fail(f"WARC file {path} not found")
        s = _settings(db=db)
        _prefect_defaults(s)  # before anything imports Prefect (flows.stopping does)
        from .prefect_runtime import start_temporary_server
        from .stopping import STOP_EXCEPTIONS, stop_on_signals

        with stop_on_signals():
            try:
                start_temporary_server()
                from .backfill import backfill as backfill_flow

                with progress.show_on_terminal():
                    report = backfill_flow(warc_files=[str(p) for p in warc or []], sitemap=sitemap,
                                           since=since_date, db_path=str(s.db), settings=s)
            except STOP_EXCEPTIONS as exc:
                _stopped(exc, "backfill")
            except (WarehouseError, FileNotFoundError, ValueError, RuntimeError) as exc:
                _fail(str(exc))
        print_summary(report, s.db)
        if report["skipped_records"]:
            from rich.table import Table

            t = Table(title="input records not used, by reason")
            t.add_column("reason")
            t.add_column("count", justify="right")
            for reason, n in report["skipped_records"].items():
                t.add_row(reason, str(n))
            console.print(t)
        console.print(f"raw pages archived: {report['warc_records_written']} records in "
                      f"{warc_base_dir(s.db) / 'warc'}")
