"""Operations commands: `survwatch serve` (scheduled deployments)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(db: Annotated[Optional[Path], typer.Option("--db", help="Warehouse file (default: SURVWATCH_DB).")] = None,
              feeds: Annotated[Optional[Path], typer.Option(help="OPML feed list.")] = None,
              timezone: Annotated[Optional[str], typer.Option(help="Time zone of the schedules (default: SURVWATCH_TIMEZONE).")] = None,
              dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the schedules and exit.")] = False) -> None:
        """Serve the scheduled flows: nightly_ingest 02:00 daily, weekly_digest Mondays 07:00."""
        from .cli import _fail, _prefect_defaults, _settings, console

        s = _settings(db=db, feeds=feeds, timezone=timezone)
        _prefect_defaults(s)  # before Prefect is imported: it reads its home and settings once
        from prefect import serve as prefect_serve

        from .deployments import build_deployments

        try:
            deployments = build_deployments(s)
        except ValueError as exc:  # e.g. an unknown time zone
            _fail(f"cannot build the schedules: {exc}")
        for d in deployments:
            cron = ", ".join(f"{sch.schedule.cron} ({sch.schedule.timezone})" for sch in d.schedules)
            console.print(f"{d.flow_name}/{d.name}: {cron}")
        if dry_run:
            return
        prefect_serve(*deployments)
