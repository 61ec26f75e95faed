"""The weekly digest's data: every section is a named query in ``warehouse/digest/NAME.sql``.

A plain library (no Prefect, no ``nlp``, no ``flows``). :func:`build_digest` takes a read-only
connection and an ISO week and returns plain dicts; rendering and sending live in the package ``flows/digest/``.

Weeks are ISO weeks (Monday 00:00 UTC to the next Monday, exclusive) of ``items.first_seen_at``, i.e.
when survwatch first saw an article, as in the views ``mentions_weekly`` and ``trending``; so the digest
of the current week works on fresh data. Each query takes the parameters ``$week_start`` and
``$week_end`` (TIMESTAMP, end exclusive) and can be run by hand, e.g. in ``duckdb -readonly FILE``
after replacing them with ``TIMESTAMP '2026-11-16'`` and ``TIMESTAMP '2026-11-23'``.

The ``digests`` table (migration 003) is the send log; :func:`sends_for_week`, :func:`reserve_send` and
:func:`finish_send` read and write it (on the work file: see ``flows/digest/send.py`` for the order).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

import duckdb

from . import sqlfiles
from .store import fetch_dicts

QUERIES = sqlfiles.HERE / "digest"
SECTIONS = ("headline", "languages", "movers", "series", "deals", "new_vendors", "new_claims", "spreading",
            "conflicts", "reference_checks", "feed_health", "false_claims_back", "claims_to_check")
# sections over views of a later migration: (section, table it needs); an older published file shows them empty
_NEEDS = {"false_claims_back": "claim_reviews", "claims_to_check": "claim_reviews"}
CHART_WEEKS = 12
_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.I)
_PARAM = re.compile(r"\$([A-Za-z_]\w*)")


class WeekError(ValueError):
    """A week label that is not a valid ISO week."""


# ------------------------------------------------------------------------------------------ weeks

def parse_week(label: str) -> dt.date:
    """``2026-W47`` -> the Monday of that ISO week. Raises WeekError with a readable message."""
    match = _WEEK.match(label or "")
    if not match:
        raise WeekError(f"week {label!r} is not an ISO week like 2026-W47")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise WeekError(f"week {label!r} does not exist (ISO year {year} has "
                        f"{dt.date(year, 12, 28).isocalendar()[1]} weeks)") from None


def week_label(day: dt.date | dt.datetime) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(label: str) -> tuple[dt.datetime, dt.datetime]:
    """[Monday 00:00, next Monday 00:00) of an ISO week, as naive UTC timestamps."""
    monday = parse_week(label)
    start = dt.datetime.combine(monday, dt.time())
    return start, start + dt.timedelta(days=7)


def current_week(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    return week_label(now)


def last_complete_week(now: dt.datetime | None = None) -> str:
    """The ISO week before the one ``now`` (UTC) falls in."""
    now = now or dt.datetime.now(dt.timezone.utc)
    return week_label(now - dt.timedelta(days=7))


# ---------------------------------------------------------------------------------------- queries

@cache
def query_sql(name: str) -> str:
    path = QUERIES / f"{name}.sql"
    if name.startswith("_") or not path.is_file():
        raise KeyError(f"no digest query {name!r} in {QUERIES}")
    return path.read_text(encoding="utf-8")


def query_description(name: str) -> str:
    """The leading comment of a digest query, as one paragraph."""
    lines = []
    for line in query_sql(name).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.lstrip("-").strip())
    return " ".join(lines)


def _params_of(sql: str) -> list[str]:
    without = re.sub(r"--[^\n]*|'(?:[^']|'')*'", " ", sql)
    return list(dict.fromkeys(_PARAM.findall(without)))


def run_query(con: duckdb.DuckDBPyConnection, name: str, week_start: dt.datetime,
              week_end: dt.datetime) -> list[dict[str, Any]]:
    """Run digest query ``name`` for [week_start, week_end); DuckDB refuses unused parameters, so
    only the ones the query names are passed."""
    sql = query_sql(name)
    available = {"week_start": week_start, "week_end": week_end}
    params = {p: available[p] for p in _params_of(sql)}
    cur = con.execute(sql, params) if params else con.execute(sql)
    return fetch_dicts(cur)


# ----------------------------------------------------------------------------------------- digest

def build_digest(con: duckdb.DuckDBPyConnection, week: str, *,
                 now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything the digest of ISO ``week`` shows, as plain data.

    Lists are complete and ordered (renderers show the first few and "and N more"); ``counts`` are
    their lengths and the headline numbers, which also go into the subject and the digests table.
    """
    start, end = week_bounds(week)
    rows = {name: run_query(con, name, start, end) if _has_table(con, _NEEDS.get(name)) else []
            for name in SECTIONS}
    movers = rows["movers"]
    series: dict[str, dict[str, list[int]]] = {"vendor": {}, "country": {}}
    series_weeks: list[str] = []
    for r in rows["series"]:
        series[r["entity_type"]].setdefault(r["entity"], []).append(int(r["articles"]))
        if r["week"] not in series_weeks:
            series_weeks.append(r["week"])
    if not series_weeks:
        series_weeks = [week_label(start - dt.timedelta(weeks=k)) for k in range(CHART_WEEKS - 1, -1, -1)]
    headline = dict(rows["headline"][0])
    feeds = rows["feed_health"]
    headline["feeds_failing"] = sum(1 for f in feeds if f["status"] == "failing")
    headline["feeds_quiet"] = sum(1 for f in feeds if f["status"] == "quiet")
    headline["feeds_never_fetched"] = sum(1 for f in feeds if f["status"] == "never_fetched")
    deals = rows["deals"]
    data: dict[str, Any] = {
        "week": week,
        "week_start": start,
        "week_end": end,
        "generated_at": (now or dt.datetime.now(dt.timezone.utc)).replace(tzinfo=None),
        "headline": headline,
        "languages": rows["languages"],
        "vendors": [m for m in movers if m["entity_type"] == "vendor"],
        "countries": [m for m in movers if m["entity_type"] == "country"],
        "new_entities": [m for m in movers if m["is_new"]],
        "series": series,
        "series_weeks": series_weeks,
        "new_pairs": [d for d in deals if d["new_pair"]],
        "known_pair_deals": [d for d in deals if not d["new_pair"]],
        "new_vendors": rows["new_vendors"],
        "new_claims": rows["new_claims"],
        "spreading": rows["spreading"],
        "conflicts": rows["conflicts"],
        "reference_checks": rows["reference_checks"],
        "feeds": feeds,
        "false_claims_back": rows["false_claims_back"],
        "claims_to_check": rows["claims_to_check"],
    }
    data["counts"] = {
        "articles": int(headline["articles"]),
        "outlets": int(headline["outlets"]),
        "stories": int(headline["stories"]),
        "deals": len(deals),
        "new_pairs": len(data["new_pairs"]),
        "new_vendor_candidates": len(data["new_vendors"]),
        "new_claims": len(data["new_claims"]),
        "spreading_claims": len(data["spreading"]),
        "conflicts": len(data["conflicts"]),
        "reference_disagreements": len(data["reference_checks"]),
        "feeds_failing": headline["feeds_failing"],
        "false_claims_back": len(rows["false_claims_back"]),
        "claims_to_check": len(rows["claims_to_check"]),
    }
    return data


# ------------------------------------------------------------------------------------- send log

def _statement(name: str) -> str:
    return sqlfiles.statements("digest/_sends.sql")[name]


def has_digests_table(con: duckdb.DuckDBPyConnection) -> bool:
    return _has_table(con, "digests")


def _has_table(con: duckdb.DuckDBPyConnection, table: str | None) -> bool:
    if table is None:
        return True
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ?",
                            [table]).fetchone()[0])


def sends_for_week(con: duckdb.DuckDBPyConnection, week: str) -> list[dict[str, Any]]:
    """Attempts that count as sent for ``week`` (status sent or sending), newest first."""
    if not has_digests_table(con):  # a published file from before migration 003 (read-only)
        return []
    return fetch_dicts(con.execute(_statement("digest_sends_for_week"), {"week": week}))


def reserve_send(con: duckdb.DuckDBPyConnection, *, message_id: str, week: str, subject: str,
                 recipients: Sequence[str], counts: dict[str, int], forced: bool,
                 started_at: dt.datetime) -> None:
    """Record an attempt with status ``sending`` (committed before the SMTP transaction starts)."""
    params = {"message_id": message_id, "week": week, "week_start": parse_week(week), "forced": forced,
              "started_at": started_at, "recipients": list(recipients), "subject": subject}
    for key in ("articles", "outlets", "stories", "deals", "new_pairs", "new_claims", "spreading_claims",
                "conflicts", "reference_disagreements", "feeds_failing"):
        params[key] = int(counts.get(key, 0))
    con.execute(_statement("digest_reserve"), params)


def finish_send(con: duckdb.DuckDBPyConnection, message_id: str, status: str, *,
                sent_at: dt.datetime | None = None, error: str | None = None) -> None:
    """Outcome of an attempt: ``sent``, ``failed`` (nothing accepted) or ``sending`` (unknown)."""
    if status not in ("sent", "failed", "sending"):
        raise ValueError(f"unknown digest status {status!r}")
    con.execute(_statement("digest_finish"), {"message_id": message_id, "status": status,
                                              "sent_at": sent_at, "error": error})
