"""The Prefect flow ``weekly_digest`` (query -> render -> send), its tasks, and the demo's dry run."""
from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

import warehouse
from warehouse import digest as wd

from ..settings import Settings
from .formatting import technology_labels
from .render import new_message_id, render_message, subject_for
from .send import _describe, _now, deliver, write_files
from .text import DigestError, check_addresses


@task(cache_policy=NO_CACHE)
def query_digest(db_path: str, week: str) -> dict[str, Any]:
    """Digest data from the published warehouse (read-only), plus earlier sends of the week."""
    con = warehouse.open_read_only(db_path)
    try:
        data = wd.build_digest(con, week)
        data["previous_sends"] = wd.sends_for_week(con, week)
    finally:
        con.close()
    return data


@task(cache_policy=NO_CACHE)
def render_digest(data: dict[str, Any], sender: str, recipients: list[str], seeds_dir: str) -> EmailMessage:
    return render_message(data, sender=sender, recipients=recipients, message_id=new_message_id(sender),
                          date=_now(), tech_labels=technology_labels(seeds_dir))


@task(cache_policy=NO_CACHE)
def send_digest(msg: EmailMessage, db_path: str, week: str, counts: dict[str, int], recipients: list[str],
                settings: Settings, force: bool) -> dict[str, Any]:
    return deliver(msg, db=Path(db_path), week=week, counts=counts, recipients=recipients, settings=settings,
                   force=force)


@task(cache_policy=NO_CACHE)
def write_digest_files(msg: EmailMessage, out_dir: str, week: str) -> dict[str, Path]:
    return write_files(msg, Path(out_dir), week)


def preflight(settings: Settings, to: list[str] | None, dry_run: bool) -> tuple[str, list[str]]:
    """(sender, recipients) after checking the settings a send needs; raises DigestError. The CLI
    calls it before starting Prefect so that a missing setting fails fast."""
    sender = check_addresses([settings.smtp_from])
    if len(sender) != 1:
        raise DigestError(f"SURVWATCH_SMTP_FROM must be one address, got {settings.smtp_from!r}")
    recipients = check_addresses(to if to else settings.smtp_to)
    if not dry_run:
        if not recipients:
            raise DigestError("no recipients: pass --to ADDR or set SURVWATCH_SMTP_TO")
        if not settings.smtp_host:
            raise DigestError("no SMTP server: set SURVWATCH_SMTP_HOST (or use --dry-run --out DIR)")
    return sender[0], recipients


def resolve_week(week: str | None) -> str:
    """Normalise a week label (2026-W7 -> 2026-W07); default: the last complete ISO week (UTC)."""
    if not week:
        return wd.last_complete_week()
    return wd.week_label(wd.parse_week(week))


@flow(name="weekly_digest", log_prints=False)
def weekly_digest(week: str | None = None, db_path: str | None = None, to: list[str] | None = None,
                  dry_run_dir: str | None = None, force: bool = False,
                  settings: Settings | None = None) -> dict[str, Any]:
    """Build the digest of an ISO week (default: the last complete one) and send it once, or with
    ``dry_run_dir`` write ``digest-YYYY-Www.eml`` and ``.html`` there instead (nothing recorded)."""
    s = settings or Settings()
    logger = get_run_logger()
    week = resolve_week(week)
    db = Path(db_path) if db_path else s.db
    sender, recipients = preflight(s, to, dry_run=bool(dry_run_dir))
    data = query_digest(str(db), week)
    result: dict[str, Any] = {"week": week, "counts": data["counts"], "recipients": recipients}
    if not dry_run_dir and data["previous_sends"] and not force:
        # cheap early answer from the published file; deliver() checks again under the writer lock
        logger.info("digest %s %s", week, _describe(data["previous_sends"]))
        return {**result, "status": "already_sent", "detail": _describe(data["previous_sends"]),
                "subject": subject_for(data)}
    msg = render_digest(data, sender, recipients, str(s.seeds_dir))
    result.update(subject=str(msg["Subject"]), message_id=str(msg["Message-ID"]))
    if dry_run_dir:
        paths = write_digest_files(msg, dry_run_dir, week)
        logger.info("digest %s written to %s", week, paths["eml"])
        return {**result, "status": "dry_run", **paths}
    sent = send_digest(msg, str(db), week, data["counts"], recipients, s, force)
    logger.info("digest %s: %s", week, sent["status"])
    return {**result, **sent}


def write_demo_digest(db: Path, out_dir: Path, settings: Settings) -> Path:
    """Dry-run digest of the current ISO week of ``db`` into ``out_dir`` (for ``survwatch demo``);
    returns the .html file (the .eml is next to it). Plain function calls: no Prefect flow run."""
    week = wd.current_week()
    con = warehouse.open_read_only(db)
    try:
        data = wd.build_digest(con, week)
    finally:
        con.close()
    recipients = check_addresses(settings.smtp_to)
    msg = render_message(data, sender=settings.smtp_from, recipients=recipients,
                         message_id=new_message_id(settings.smtp_from), date=_now(),
                         tech_labels=technology_labels(str(settings.seeds_dir)))
    return write_files(msg, Path(out_dir), week)["html"]
