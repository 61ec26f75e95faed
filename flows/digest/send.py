"""Sending: dry-run files, one SMTP transaction, and the at-most-once send recorded in the warehouse."""
from __future__ import annotations

import base64
import datetime as dt
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import warehouse
from warehouse import digest as wd

from ..settings import Settings
from .render import message_parts
from .text import DigestError, addr_spec


def write_files(msg: EmailMessage, out_dir: Path, week: str) -> dict[str, Path]:
    """Dry run: ``digest-YYYY-Www.eml`` (the message as it would be sent) and ``.html`` (its HTML
    part, with the chart as a data: URI so a browser shows it)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _, html, png, cid = message_parts(msg)
    if png and cid:
        html = html.replace(f'src="cid:{cid}"', 'src="data:image/png;base64,' + base64.b64encode(png).decode() + '"')
    eml = out_dir / f"digest-{week}.eml"
    page = out_dir / f"digest-{week}.html"
    eml.write_bytes(msg.as_bytes())
    page.write_text(html, encoding="utf-8")
    return {"eml": eml, "html": page}


class _SendFailed(Exception):
    """The SMTP server certainly did not accept the message."""


class _SendUnknown(Exception):
    """The connection broke during the transaction: the message may or may not have been accepted."""


def smtp_send(msg: EmailMessage, settings: Settings, envelope_to: list[str]) -> dict[str, Any]:
    """One SMTP transaction; returns refused recipients. Raises _SendFailed or _SendUnknown."""
    host, port = settings.smtp_host, settings.smtp_port_effective
    context = ssl.create_default_context()
    try:
        if settings.smtp_security == "ssl":
            client = smtplib.SMTP_SSL(host, port, timeout=settings.smtp_timeout, context=context)
        else:
            client = smtplib.SMTP(host, port, timeout=settings.smtp_timeout)
    except (smtplib.SMTPException, OSError) as exc:
        raise _SendFailed(f"cannot connect to {host}:{port}: {exc}") from None
    try:
        try:
            client.ehlo()
            if settings.smtp_security == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if settings.smtp_user:
                password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                client.login(settings.smtp_user, password)
        except (smtplib.SMTPException, OSError) as exc:
            raise _SendFailed(f"SMTP session with {host}:{port} failed: {exc}") from None
        try:
            return client.send_message(msg, from_addr=addr_spec(settings.smtp_from), to_addrs=envelope_to)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
                smtplib.SMTPNotSupportedError) as exc:
            raise _SendFailed(f"{host}:{port} refused the message: {exc}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise _SendUnknown(f"connection to {host}:{port} broke during the transaction: {exc}") from None
    finally:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _describe(sends: list[dict[str, Any]]) -> str:
    s = sends[0]
    when = (s["sent_at"] or s["started_at"]).strftime("%Y-%m-%d %H:%M UTC")
    if s["status"] == "sent":
        return f"already sent on {when} to {', '.join(s['recipients'])} ({s['message_id']})"
    return (f"a send attempt started {when} did not finish, so the digest may or may not have been delivered "
            f"({s['message_id']}); check the inbox")


def deliver(msg: EmailMessage, *, db: Path, week: str, counts: dict[str, int], recipients: list[str],
            settings: Settings, force: bool = False) -> dict[str, Any]:
    """Send ``msg`` once and record it in the ``digests`` table of the warehouse.

    The order, and why (a mail is never sent twice without --force, nor recorded as sent unless the
    SMTP server accepted it):

    1. Open the work file for writing. This takes DuckDB's writer lock; if a running ingest holds
       it we fail here with its WarehouseError, before anything is sent. Keeping the lock until the
       end makes this process the only one that can send or record a digest meanwhile.
    2. Look for an earlier send of the week in the work file (the authoritative copy; the published
       file may lag). Found and not ``force``: stop, nothing sent.
    3. Record the attempt as ``sending`` and commit, *before* talking to the SMTP server. If the
       process dies during the transaction, that row blocks a second send (at most once) and tells
       the next run that delivery is unknown.
    4. The SMTP transaction.
    5. Update the row: ``sent`` (accepted), ``failed`` (certainly not accepted, e.g. connection
       refused or recipients refused; a later run may send) or left ``sending`` (the connection broke
       mid-transaction: unknown, so it is not retried automatically).
    6. Close and publish, so analysts see the row in the published file.
    """
    con = warehouse.open_for_writing(db)  # 1
    status, error, refused = "sending", None, {}
    message_id = str(msg["Message-ID"])
    try:
        earlier = wd.sends_for_week(con, week)  # 2
        if earlier and not force:
            return {"status": "already_sent", "detail": _describe(earlier), "previous": earlier}
        started = _now()
        wd.reserve_send(con, message_id=message_id, week=week, subject=str(msg["Subject"]),  # 3 (autocommit)
                        recipients=[addr_spec(r) for r in recipients], counts=counts, forced=bool(earlier),
                        started_at=started)
        try:
            refused = smtp_send(msg, settings, [addr_spec(r) for r in recipients])  # 4
            status = "sent"
            if refused:
                error = "refused recipients: " + ", ".join(sorted(refused))
        except _SendFailed as exc:
            status, error = "failed", str(exc)
        except _SendUnknown as exc:
            status, error = "sending", str(exc)
        wd.finish_send(con, message_id, status, sent_at=_now() if status == "sent" else None, error=error)  # 5
    finally:
        con.close()
    warehouse.publish(db)  # 6
    if status == "failed":
        raise DigestError(f"digest {week} not sent: {error} (recorded as failed; run again to retry)")
    if status == "sending":
        raise DigestError(f"digest {week}: {error}. It may or may not have been delivered; it is recorded "
                          f"as 'sending' and will not be sent again without --force")
    return {"status": "sent", "detail": error, "refused": sorted(refused), "message_id": message_id}
