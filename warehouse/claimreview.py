"""Verdicts as schema.org ``ClaimReview`` (JSON-LD) and as CSV rows. Pure functions over
``warehouse.reviews.export_rows``.

Fields follow https://schema.org/ClaimReview and Google's fact-check markup (the ClaimReviewMarkup of the
Fact Check Tools API): required ``claimReviewed``, ``reviewRating`` (``alternateName``: the verdict in words;
``ratingValue`` with ``bestRating``/``worstRating`` on a 1-5 truth scale where the verdict has a place on it) and
``url`` (the page of the review); recommended ``author``, ``datePublished`` and ``itemReviewed`` (a ``Claim``
with ``author``, ``datePublished``, ``firstAppearance`` and ``appearance``).
"""
from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

# verdict -> (ratingValue on 1 = false .. 5 = true, or None when it is no point on that scale; alternateName)
RATINGS: dict[str, tuple[int | None, str]] = {
    "supported": (5, "True"),
    "misleading": (2, "Misleading"),
    "contradicted": (1, "False"),
    "unverifiable": (None, "Unverifiable"),
}
BEST, WORST = 5, 1
CSV_COLUMNS = ("claim_key", "verdict", "rating_value", "rating_name", "claim_reviewed", "review_url", "evidence_url",
               "reviewer", "note", "reviewed_at", "metric_family", "place", "unit", "direction", "value",
               "first_claimant", "first_outlet", "first_url", "first_appeared_at", "appearances")


def _one_line(text: Any) -> str:
    return " ".join(str(text or "").split())


def _date(ts: dt.datetime | dt.date | None) -> str | None:
    if ts is None:
        return None
    return ts.date().isoformat() if isinstance(ts, dt.datetime) else ts.isoformat()


def claim_summary(row: dict[str, Any]) -> str:
    """claimReviewed: the sentence that carried the claim, else our own wording of the figure."""
    if row.get("claim_text"):
        return _one_line(row["claim_text"])
    where = f" ({row['place']})" if row.get("place") else ""
    return _one_line(f"{row['metric_family']} {row.get('direction') or ''} {row['value']:g} {row.get('unit') or ''}"
                     f"{where}")


def review_url(row: dict[str, Any], base_url: str | None) -> str | None:
    """The review's own page: BASE_URL/KEY when a base is given, else the evidence URL."""
    if base_url:
        return base_url.rstrip("/") + "/" + quote(row["claim_key"])
    return row.get("evidence_url") or None


def claim_review(row: dict[str, Any], base_url: str | None = None) -> dict[str, Any]:
    """One ClaimReview object (with its own @context). Raises ValueError when no ``url`` can be given."""
    url = review_url(row, base_url)
    if not url:
        raise ValueError(f"claim {row['claim_key']}: no review URL (no evidence URL and no --base-url)")
    value, name = RATINGS[row["verdict"]]
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": name}
    if value is not None:
        rating.update(ratingValue=value, bestRating=BEST, worstRating=WORST)
    claimant = row.get("first_claimant") or row.get("first_outlet")
    claim: dict[str, Any] = {"@type": "Claim"}
    if claimant:
        claim["author"] = {"@type": "Organization", "name": _one_line(claimant)}
    if row.get("first_appeared_at"):
        claim["datePublished"] = _date(row["first_appeared_at"])
    if row.get("first_url"):
        claim["firstAppearance"] = {"@type": "CreativeWork", "url": row["first_url"]}
    others = [u for u in (row.get("appearances") or []) if u and u != row.get("first_url")]
    if others:
        claim["appearance"] = [{"@type": "CreativeWork", "url": u} for u in others]
    out: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim_summary(row),
        "reviewRating": rating,
        "author": {"@type": "Person", "name": _one_line(row["reviewer"])},
        "datePublished": _date(row["reviewed_at"]),
        "itemReviewed": claim,
    }
    if row.get("evidence_url"):
        out["citation"] = row["evidence_url"]
    if row.get("note"):
        out["reviewBody"] = _one_line(row["note"])
    return out


def claim_reviews(rows: list[dict[str, Any]], base_url: str | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """(ClaimReview objects, problems): a verdict that cannot be exported is skipped and named in problems."""
    out, problems = [], []
    for row in rows:
        try:
            out.append(claim_review(row, base_url))
        except ValueError as exc:
            problems.append(str(exc))
    return out, problems


def csv_row(row: dict[str, Any], base_url: str | None = None) -> dict[str, Any]:
    value, name = RATINGS[row["verdict"]]
    return {
        "claim_key": row["claim_key"], "verdict": row["verdict"], "rating_value": "" if value is None else value,
        "rating_name": name, "claim_reviewed": claim_summary(row), "review_url": review_url(row, base_url) or "",
        "evidence_url": row.get("evidence_url") or "", "reviewer": row["reviewer"],
        "note": _one_line(row.get("note")), "reviewed_at": row["reviewed_at"].isoformat(timespec="seconds"),
        "metric_family": row["metric_family"], "place": row.get("place") or "", "unit": row.get("unit") or "",
        "direction": row.get("direction") or "", "value": row["value"],
        "first_claimant": row.get("first_claimant") or "", "first_outlet": row.get("first_outlet") or "",
        "first_url": row.get("first_url") or "", "first_appeared_at": _date(row.get("first_appeared_at")) or "",
        "appearances": " ".join(row.get("appearances") or []),
    }
