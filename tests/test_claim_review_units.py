"""Pure parts of claim review: the claim key grid, input validation, the ClaimReview mapping."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from warehouse import claimreview
from warehouse.db import migrate
from warehouse.reviews import ReviewError, check_evidence_url, check_verdict, normalise_key


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect(":memory:")
    migrate(c)  # macros and views as in a real warehouse
    yield c
    c.close()


def _values() -> list[float]:
    vals, v = [], 0.01
    while v < 5e9:
        vals.append(round(v, 4))
        v *= 1.0137  # not a divisor of the grid step, so values fall everywhere inside buckets
    return vals + [0.0, 0.5, 1.0, 24.5, 24.75, 25.0, 25.01, 25.5]


def test_different_figures_never_share_a_key(con):
    """Two figures that are not the same claim (beyond claim_tolerance) get different keys: a key names at most
    one claim_spread group of a partition."""
    vals = _values()
    pairs = con.execute("""
        SELECT a.v, b.v FROM unnest($vals) a(v), unnest($vals) b(v)
        WHERE a.v < b.v AND NOT claim_values_match(a.v, b.v) AND b.v < a.v * 1.2 + 2
          AND claim_key('crime rate', 'EC', 'percent', 'decrease', a.v)
            = claim_key('crime rate', 'EC', 'percent', 'decrease', b.v)""", {"vals": vals}).fetchall()
    assert pairs == []


def test_key_depends_only_on_the_figure(con):
    k = con.execute("SELECT claim_key('crime rate', 'EC', 'percent', 'decrease', 24.0)").fetchone()[0]
    assert len(k) == 12 and int(k, 16) >= 0
    # same figure: same key (whatever article, run or nlp version produced it); neighbours on the grid differ
    same = con.execute("SELECT claim_key('crime rate', 'EC', 'percent', 'decrease', 24.1),"
                       "       claim_key('crime rate', 'EC', 'percent', 'decrease', 24.0)").fetchone()
    assert same == (k, k)
    others = con.execute("""SELECT claim_key('crime rate', 'EC', 'percent', 'increase', 24.0),
                                   claim_key('crime rate', NULL, 'percent', 'decrease', 24.0),
                                   claim_key('crime rate', 'KE', 'percent', 'decrease', 24.0),
                                   claim_key('crime rate', 'EC', 'count', 'decrease', 24.0),
                                   claim_key('crime rate', 'EC', 'percent', 'decrease', 25.0)""").fetchone()
    assert k not in others and len(set(others)) == 5
    # the grid: half steps up to 25, 2 % log steps above, signed
    buckets = con.execute("SELECT claim_value_bucket(24.2), claim_value_bucket(-3), claim_value_bucket(1000),"
                          " claim_value_bucket(-1000), claim_value_bucket(NULL)").fetchone()
    assert buckets == ("h48", "h-6", "p349", "n349", None)


def test_validation():
    assert check_verdict(" Contradicted ") == "contradicted"
    with pytest.raises(ReviewError, match="supported, contradicted, misleading, unverifiable"):
        check_verdict("false")
    assert check_evidence_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert check_evidence_url("") is None and check_evidence_url(None) is None
    for bad in ("ftp://example.org/x", "javascript:alert(1)", "https://", "https://exa mple.org", "example.org/x",
                "https://example.org/\u202e"):
        with pytest.raises(ReviewError, match="http"):
            check_evidence_url(bad)
    assert normalise_key(" 5E8207EDB7BA ") == "5e8207edb7ba"
    with pytest.raises(ReviewError, match="survwatch review list"):
        normalise_key("5e8207")


def test_current_verdict_is_the_newest_row(con):
    con.execute("DELETE FROM claim_reviews")
    t = dt.datetime(2026, 12, 1, 9)
    for i, v in enumerate(("unverifiable", "contradicted", "supported")):
        con.execute("INSERT INTO claim_reviews (review_id, claim_key, metric_family, value, verdict, reviewer, reviewed_at) "
                    "VALUES (?, 'abc', 'crime rate', 24, ?, 'r', ?)", [i + 1, v, t + dt.timedelta(hours=i)])
    # same timestamp as the newest: the later row (review_id) wins
    con.execute("INSERT INTO claim_reviews (review_id, claim_key, metric_family, value, verdict, reviewer, reviewed_at) "
                "VALUES (4, 'abc', 'crime rate', 24, 'misleading', 'r', ?)", [t + dt.timedelta(hours=2)])
    assert con.execute("SELECT verdict, verdicts, first_reviewed_at FROM claim_review_current").fetchall() == [
        ("misleading", 4, t)]
    con.execute("DELETE FROM claim_reviews")


def _row(**kw):
    row = {"claim_key": "740b4432e0cc", "verdict": "contradicted", "evidence_url": "https://stats.example/x",
           "reviewer": "Ana", "note": "no such fall", "reviewed_at": dt.datetime(2026, 12, 4, 12, 30),
           "metric_family": "crime rate", "place": "EC", "unit": "percent", "direction": "decrease", "value": 24.0,
           "claim_text": "The government said\ncrime had fallen 24 percent.", "first_claimant": "government",
           "first_outlet": "Andes Digital", "first_url": "https://andes.example/a",
           "first_appeared_at": dt.datetime(2026, 10, 9, 13), "appearances": ["https://andes.example/a",
                                                                              "https://other.example/b"]}
    row.update(kw)
    return row


def test_claim_review_mapping():
    doc = claimreview.claim_review(_row())
    assert doc["@type"] == "ClaimReview" and doc["url"] == "https://stats.example/x"
    assert doc["claimReviewed"] == "The government said crime had fallen 24 percent."
    assert doc["reviewRating"] == {"@type": "Rating", "alternateName": "False", "ratingValue": 1, "bestRating": 5,
                                   "worstRating": 1}
    assert doc["datePublished"] == "2026-12-04"
    claim = doc["itemReviewed"]
    assert claim["author"]["name"] == "government" and claim["datePublished"] == "2026-10-09"
    assert claim["firstAppearance"]["url"] == "https://andes.example/a"
    assert [a["url"] for a in claim["appearance"]] == ["https://other.example/b"]
    # a base URL gives each review its own page; unverifiable has no place on the truth scale
    doc = claimreview.claim_review(_row(verdict="unverifiable"), base_url="https://factcheck.example/reviews/")
    assert doc["url"] == "https://factcheck.example/reviews/740b4432e0cc"
    assert doc["reviewRating"] == {"@type": "Rating", "alternateName": "Unverifiable"}
    # no evidence and no base URL: no url to give, so the verdict is skipped and named
    docs, problems = claimreview.claim_reviews([_row(evidence_url=None), _row(claim_key="other")])
    assert len(docs) == 1 and problems == ["claim 740b4432e0cc: no review URL (no evidence URL and no --base-url)"]
    assert claimreview.csv_row(_row())["appearances"] == "https://andes.example/a https://other.example/b"
