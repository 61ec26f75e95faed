"""Claim review: analysts' verdicts on claims, kept by a stable claim key (migration 007).

A plain library (no Prefect, no ``nlp``, no ``flows``); its SQL is in ``warehouse/reviews.sql`` and the key,
matching and ranking are views (``warehouse/views/29_claim_verdicts.sql``, ``34_claims_to_review.sql``,
``35_returning_claims.sql``), so analysts get the same answers in plain DuckDB.

Writes go to the *work* file (``warehouse.open_for_writing``) and become visible to readers on
``warehouse.publish``, like ingest; see ``flows/cli_review.py``.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

import duckdb

from . import sqlfiles
from .store import fetch_dicts

VERDICTS = ("supported", "contradicted", "misleading", "unverifiable")
_KEY = re.compile(r"^[0-9a-f]{12}$")


class ReviewError(ValueError):
    """Bad review input (unknown key, verdict, evidence URL), worded for the person running the command."""


def _run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sqlfiles.statements("reviews.sql")[name], params or {})
    return fetch_dicts(cur) if cur.description else []


# ------------------------------------------------------------------------------------- validation

def check_verdict(verdict: str) -> str:
    v = (verdict or "").strip().lower()
    if v not in VERDICTS:
        raise ReviewError(f"unknown verdict {verdict!r}: use one of {', '.join(VERDICTS)}")
    return v


def check_evidence_url(url: str | None) -> str | None:
    """An absolute http(s) URL with a host and no whitespace/control characters, or None."""
    if url is None or not str(url).strip():
        return None
    u = str(url).strip()
    bad = any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in u)
    try:
        parts = urlsplit(u)
    except ValueError:
        parts = None
    if bad or parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ReviewError(f"evidence URL {url!r} is not an absolute http(s) URL like https://example.org/report")
    return u


def normalise_key(key: str) -> str:
    k = (key or "").strip().lower()
    if not _KEY.match(k):
        raise ReviewError(f"{key!r} is not a claim key (12 hex digits, e.g. 5e8207edb7ba): "
                          "run `survwatch review list` to see the keys of the claims to check")
    return k


# ----------------------------------------------------------------------------------------- reading

def find_claim(con: duckdb.DuckDBPyConnection, key: str) -> dict[str, Any]:
    """What a key names: ``{"key", "current" (verdict row or None), "group" (claim_spread row or None),
    metric_family, place, unit, direction, value}``. Raises ReviewError for an unknown key."""
    k = normalise_key(key)
    current = next(iter(_run(con, "review_current", {"key": k})), None)
    group = next(iter(_run(con, "review_group", {"key": k})), None)
    if current is None and group is None:
        raise ReviewError(f"no claim with key {k}: keys come from `survwatch review list` (unreviewed claims) "
                          "or the claim_key column of the claim_spread view; a key of an unreviewed claim can "
                          "change when an earlier article joins its group, so list again")
    source = current or group
    out = {"key": k, "current": current, "group": group,
           **{c: source[c] for c in ("metric_family", "place", "unit", "direction", "value")}}
    if group is not None:
        first = next(iter(_run(con, "review_group_first_sentence",
                               {"item_id": group["first_item_id"], "claim_no": group["first_claim_no"]})), {})
        out["first_sentence"] = first.get("sentence")
        out["first_title"] = first.get("title")
    return out


def claims_to_review(con: duckdb.DuckDBPyConnection, limit: int = 20) -> list[dict[str, Any]]:
    return _run(con, "review_list", {"limit": int(limit)})


def claim_articles(con: duckdb.DuckDBPyConnection, claim: dict[str, Any]) -> list[dict[str, Any]]:
    """Every claim (article) repeating the claim, oldest first."""
    group = claim.get("group") or {}
    lo = group.get("min_value", claim["value"])
    hi = group.get("max_value", claim["value"])
    return _run(con, "review_articles", {
        "key": claim["key"], "metric_family": claim["metric_family"], "place": claim["place"],
        "unit": claim["unit"], "direction": claim["direction"], "min_value": lo, "max_value": hi})


def history(con: duckdb.DuckDBPyConnection, key: str) -> list[dict[str, Any]]:
    """All verdicts of a key, newest first."""
    return _run(con, "review_history", {"key": normalise_key(key)})


# ----------------------------------------------------------------------------------------- writing

def record_verdict(con: duckdb.DuckDBPyConnection, key: str, verdict: str, *, reviewer: str,
                   evidence_url: str | None = None, note: str | None = None,
                   now: dt.datetime | None = None) -> dict[str, Any]:
    """Add a verdict row for ``key`` (history is kept: earlier rows stay). Returns the new row's values.

    The reviewed figure is the one the key already names: the earlier verdict's value when the key was
    reviewed before (so a changed verdict keeps covering the same claims), else the group's figure."""
    v = check_verdict(verdict)
    url = check_evidence_url(evidence_url)
    who = (reviewer or "").strip()
    if not who:
        raise ReviewError("no reviewer: set SURVWATCH_REVIEWER or pass --reviewer NAME")
    claim = find_claim(con, key)
    group, current = claim["group"] or {}, claim["current"] or {}
    row = {
        "key": claim["key"], "metric_family": claim["metric_family"], "place": claim["place"],
        "unit": claim["unit"], "direction": claim["direction"], "value": claim["value"], "verdict": v,
        "evidence_url": url, "reviewer": who, "note": (note or "").strip() or None,
        "reviewed_at": (now or dt.datetime.now(dt.timezone.utc)).replace(tzinfo=None),
        "claim_text": claim.get("first_sentence") or current.get("claim_text"),
        "first_claimant": group.get("first_claimant", current.get("first_claimant")),
        "first_url": group.get("first_url", current.get("first_url")),
        "first_outlet": group.get("first_outlet", current.get("first_outlet")),
        "first_appeared_at": group.get("first_appeared_at", current.get("first_appeared_at")),
        "articles": group.get("articles", 0),
    }
    (out,) = _run(con, "review_insert", row)
    return {**row, "review_id": out["review_id"]}


def export_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Current verdicts with the article URLs repeating each claim now (for the ClaimReview export)."""
    return _run(con, "review_export")
