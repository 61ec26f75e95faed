"""`survwatch digest`: send the weekly digest email, or write it to files with --dry-run.

Registered on the main ``survwatch`` app by ``flows.cli._register_extensions`` through :func:`register`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def digest(
        week: Annotated[Optional[str], typer.Option(
            "--week", help="ISO week like 2026-W47 (default: the last complete week, UTC).")] = None,
        to: Annotated[Optional[list[str]], typer.Option(
            "--to", help="Recipient (repeatable, or comma-separated; default: SURVWATCH_SMTP_TO).")] = None,
        db: Annotated[Optional[Path], typer.Option("--db", help="Warehouse file (default: SURVWATCH_DB).")] = None,
        dry_run: Annotated[bool, typer.Option(
            "--dry-run", help="Write digest-YYYY-Www.eml and .html instead of sending (nothing recorded).")] = False,
        out: Annotated[Optional[Path], typer.Option(
            "--out", help="Folder for --dry-run files (default: the current folder).")] = None,
        force: Annotated[bool, typer.Option("--force", help="Send even if this week's digest was sent already.")] = False,
    ) -> None:
        """Send the weekly digest of an ISO week (once: a sent week is not sent again without --force)."""
        from warehouse import WarehouseError
        from warehouse.digest import WeekError

        from .cli import _fail, _prefect_defaults, _settings, console

        if out is not None and not dry_run:
            _fail("--out is for --dry-run: use --dry-run --out DIR to write the digest to files")
        s = _settings(db=db)
        _prefect_defaults(s)  # before flows.digest imports Prefect: it reads its home and settings once
        from .digest import DigestError, check_addresses, preflight, resolve_week

        try:
            week_label = resolve_week(week)
            recipients = check_addresses(to) if to else None
            preflight(s, recipients, dry_run)
        except (WeekError, DigestError) as exc:
            _fail(str(exc))
        from .digest import weekly_digest

        try:
            result = weekly_digest(week=week_label, db_path=str(s.db), to=recipients,
                                   dry_run_dir=str(out or Path(".")) if dry_run else None, force=force, settings=s)
        except (WarehouseError, DigestError, WeekError) as exc:
            _fail(str(exc))
        status = result["status"]
        if status == "dry_run":
            console.print(f"digest {week_label}: {result['subject']}")
            console.print(f"  {result['eml']}\n  {result['html']}")
        elif status == "already_sent":
            console.print(f"digest {week_label} not sent: {result['detail']}. Use --force to send it again.")
        else:
            console.print(f"digest {week_label} sent to {', '.join(result['recipients'])}: {result['subject']}")
            if result.get("detail"):
                console.print(f"[yellow]warning:[/] {result['detail']}")
