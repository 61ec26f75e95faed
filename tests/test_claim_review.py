"""Claim review end to end (issue 16): verdicts recorded on the demo warehouse survive `reprocess --all`, follow
the claim into new articles (the same and a slightly different figure), and a contradicted claim that comes back
is in returning_claims and in the digest's "False claims that came back" section. Real Prefect flows, a real
DuckDB file in a tmp dir, the sample web plus three extra pages served from 127.0.0.1."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import sys
from email.utils import format_datetime
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.sample_web import SAMPLE_WEB, SampleWeb
from flows.settings import Settings

pytestmark = pytest.mark.e2e

DATA = Path(__file__).parent / "data" / "claim_review"
EVIDENCE = "https://www.ecuadorencifras.gob.ec/estadisticas-de-seguridad/"
SUPPORT = "https://www.south-wales.police.uk/afr-deployments"
runner = CliRunner()


def _q(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall() if params else con.execute(sql).fetchall()
    finally:
        con.close()


def _cli(*args: str) -> tuple[int, str]:
    """(exit code, stdout and stderr as printed)."""
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _flat(text: str) -> str:
    """Messages are wrapped to the terminal width: compare them as one line."""
    return " ".join(text.split())


def _add_article(root: Path, slug: str, title: str, text: str, published: dt.datetime) -> str:
    """A page on the Andes Digital sample site, listed in a new feed of the feed list (a new feed: the sample
    server answers the known feeds' conditional GETs with 304 whatever their content); returns its path."""
    path = f"/andes/2026/12/{slug}.html"
    paras = "".join(f"<p>{p}</p>\n" for p in text.split(". ") if p)
    iso = published.strftime("%Y-%m-%dT%H:%M:%SZ")
    (root / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
    (root / path.lstrip("/")).write_text(
        f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | Andes Digital</title>"
        f"<meta property=\"og:site_name\" content=\"Andes Digital\"><meta property=\"og:title\" content=\"{title}\">"
        f"<meta property=\"article:published_time\" content=\"{iso}\">"
        f"<link rel=\"canonical\" href=\"__BASE__{path}\"></head><body><article><h1>{title}</h1>\n{paras}"
        f"</article></body></html>", encoding="utf-8")
    feed = root / "feeds" / "andes-followups.rss"
    if not feed.exists():
        feed.write_text("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\n"
                        "  <title>Andes Digital - follow-ups</title><link>__BASE__/andes/index.html</link>\n"
                        "  <description>Follow-ups</description>\n  </channel>\n</rss>\n", encoding="utf-8")
        opml = root / "feeds.opml"
        opml.write_text(opml.read_text(encoding="utf-8").replace(
            "    </outline>",
            "      <outline text=\"Andes follow-ups\" title=\"Andes follow-ups\" type=\"rss\" "
            "xmlUrl=\"__BASE__/feeds/andes-followups.rss\" htmlUrl=\"__BASE__/andes/index.html\" "
            "category=\"sample-outlets\"/>\n    </outline>", 1), encoding="utf-8")
    item = (f"    <item>\n      <title>{title}</title>\n      <link>__BASE__{path}</link>\n"
            f"      <guid isPermaLink=\"false\">andes-{slug}</guid>\n"
            f"      <pubDate>{format_datetime(published.replace(tzinfo=dt.timezone.utc))}</pubDate>\n"
            f"      <description>{title}.</description>\n    </item>\n")
    body = feed.read_text(encoding="utf-8")
    feed.write_text(body.replace("  </channel>", item + "  </channel>", 1), encoding="utf-8")
    return path


def _verdicts(db: Path) -> dict[tuple[str, str], tuple]:
    """(article URL, sentence) -> (verdict, verdict_key): independent of item ids and claim numbers."""
    rows = _q(db, "SELECT article_url, sentence, verdict, verdict_key FROM claims_ledger WHERE verdict IS NOT NULL")
    return {(u, s): (v, k) for u, s, v, k in rows}


@pytest.fixture(scope="module")
def reviewed(prefect_harness, tmp_path_factory):
    from flows.digest import build_context, render_html, render_text
    from flows.ingest import nightly_ingest
    from flows.reprocess import reprocess
    from warehouse import digest as wd
    from warehouse.db import open_read_only

    tmp = tmp_path_factory.mktemp("review")
    root = tmp / "web"
    shutil.copytree(SAMPLE_WEB, root)
    out: dict = {"tmp": tmp}
    with SampleWeb(root=root) as web:
        s = Settings(db=tmp / "wh.duckdb", allowed_hosts=web.host_port, batch_size=8, per_host_delay=0,
                     request_deadline=15, read_timeout=10)
        db = s.db
        feeds = web.write_feed_list(tmp / "feeds.opml")
        nightly_ingest(str(feeds), str(db), s)
        out["db"], out["base"] = db, web.base

        # the demo's "crime fell 24 percent" (Ecuador) and "91 percent false positives" (GB)
        (crime,) = _q(db, "SELECT claim_key FROM claim_spread WHERE metric_family = 'crime rate' AND place = 'EC' "
                          "AND unit = 'percent' AND direction = 'decrease' AND 24 BETWEEN min_value AND max_value")
        (fp,) = _q(db, "SELECT claim_key FROM claim_spread WHERE metric_family = 'false positive' AND place = 'GB' "
                       "AND 91 BETWEEN min_value AND max_value")
        out["crime_key"], out["fp_key"] = crime[0], fp[0]
        out["list_before"] = _cli("review", "list", "--limit", "200", "--json", "--db", str(db))
        out["set"] = [
            _cli("review", "set", crime[0], "unverifiable", "--reviewer", "First Analyst", "--db", str(db)),
            _cli("review", "set", crime[0], "contradicted", "--evidence", EVIDENCE, "--reviewer", "Test Analyst",
                 "--note", "INEC statistics show no fall of that size", "--db", str(db)),
            _cli("review", "set", fp[0], "supported", "--evidence", SUPPORT, "--reviewer", "Test Analyst",
                 "--db", str(db)),
        ]
        out["reviewed_at"] = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        out["verdicts_before"] = _verdicts(db)
        out["spread_before"] = _q(db, "SELECT claim_key, verdict, spread_id FROM claim_spread "
                                      "WHERE verdict IS NOT NULL ORDER BY claim_key")

        out["reprocess"] = reprocess(str(db), all_articles=True, settings=s)
        out["verdicts_after_reprocess"] = _verdicts(db)
        out["history_after_reprocess"] = _q(db, "SELECT claim_key, verdict, reviewer FROM claim_reviews "
                                                "ORDER BY review_id")

        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        out["same"] = _add_article(root, "ecu911-quito-defence", "Ministry defends ECU-911 in Quito",
                                   (DATA / "repeat_same.txt").read_text(encoding="utf-8"), now)
        out["close"] = _add_article(root, "ecu911-guayaquil-anniversary", "ECU-911 anniversary in Guayaquil",
                                    (DATA / "repeat_close_value.txt").read_text(encoding="utf-8"), now)
        out["old"] = _add_article(root, "ecu911-archive-speech", "From the archive: selling ECU-911",
                                  (DATA / "backfill_old.txt").read_text(encoding="utf-8"), dt.datetime(2026, 1, 15, 9))
        feeds = web.write_feed_list(tmp / "feeds2.opml")
        out["second"] = nightly_ingest(str(feeds), str(db), s)

        out["verdicts_after_ingest"] = _verdicts(db)
        out["spread_after"] = _q(db, "SELECT claim_key, verdict, spread_id, min_value, articles FROM claim_spread "
                                     "WHERE verdict IS NOT NULL ORDER BY claim_key")
        out["returning"] = _q(db, "SELECT claim_key, verdict, evidence_url, article_url, value FROM returning_claims "
                                  "ORDER BY article_url")
        out["show"] = _cli("review", "show", crime[0], "--db", str(db))
        out["jsonld"] = _cli("review", "export", "--format", "jsonld", "--db", str(db))
        out["csv"] = _cli("review", "export", "--format", "csv", "--db", str(db))
        con = open_read_only(db)
        try:
            data = wd.build_digest(con, wd.current_week())
        finally:
            con.close()
        ctx = build_context(data)
        out["digest"], out["digest_text"], out["digest_html"] = data, render_text(ctx), render_html(ctx, None)
    return out


def test_verdicts_are_recorded_with_history(reviewed):
    assert [code for code, _ in reviewed["set"]] == [0, 0, 0], [o for _, o in reviewed["set"]]
    assert "recorded: " + reviewed["crime_key"] + " contradicted by Test Analyst" in _flat(reviewed["set"][1][1])
    history = _q(reviewed["db"], "SELECT verdict, reviewer, evidence_url FROM claim_reviews WHERE claim_key = ? "
                                 "ORDER BY review_id", [reviewed["crime_key"]])
    assert history == [("unverifiable", "First Analyst", None), ("contradicted", "Test Analyst", EVIDENCE)]
    current = _q(reviewed["db"], "SELECT verdict, verdicts FROM claim_review_current WHERE claim_key = ?",
                 [reviewed["crime_key"]])
    assert current == [("contradicted", 2)]
    # the reviewed claims left the to-review list, which had them before
    listed = {r["claim_key"] for r in json.loads(reviewed["list_before"][1])}
    assert {reviewed["crime_key"], reviewed["fp_key"]} <= listed
    left = {k for (k,) in _q(reviewed["db"], "SELECT claim_key FROM claims_to_review")}
    assert not left & {reviewed["crime_key"], reviewed["fp_key"]}


def test_verdicts_survive_reprocess_all(reviewed):
    assert reviewed["reprocess"]["retagged"] > 0
    before, after = reviewed["verdicts_before"], reviewed["verdicts_after_reprocess"]
    assert before and after == before
    assert {v for v, _ in before.values()} == {"contradicted", "supported"}
    assert len(reviewed["history_after_reprocess"]) == 3


def test_verdict_follows_new_articles_and_key_is_stable(reviewed):
    after = reviewed["verdicts_after_ingest"]
    base = reviewed["base"]
    by_url = {u: vk for (u, _), vk in after.items()}
    crime = ("contradicted", reviewed["crime_key"])
    assert by_url[base + reviewed["same"]] == crime
    assert by_url[base + reviewed["close"]] == crime  # 23.8 is within tolerance of the reviewed 24
    assert by_url[base + reviewed["old"]] == crime
    # everything verdicted before still is, with the same key
    assert all(after[k] == v for k, v in reviewed["verdicts_before"].items())
    # the group gained a smaller figure: its spread_id (smallest value) moved, its claim_key did not
    before = {k: (v, sid) for k, v, sid in reviewed["spread_before"]}
    now = {k: (v, sid, lo, n) for k, v, sid, lo, n in reviewed["spread_after"]}
    assert set(now) == set(before)
    key = reviewed["crime_key"]
    assert now[key][0] == "contradicted" and now[key][2] == 23.8 and now[key][1] != before[key][1]
    assert now[key][3] >= 4


def test_contradicted_claim_that_came_back(reviewed):
    base = reviewed["base"]
    rows = reviewed["returning"]
    urls = {r[3] for r in rows}
    # new articles after the verdict are back; the backfilled one published in January is not news
    assert urls == {base + reviewed["same"], base + reviewed["close"]}
    assert all(r[0] == reviewed["crime_key"] and r[1] == "contradicted" and r[2] == EVIDENCE for r in rows)
    # supported verdicts never "come back"
    assert reviewed["fp_key"] not in {r[0] for r in rows}


def test_digest_sections(reviewed):
    data, text, html = reviewed["digest"], reviewed["digest_text"], reviewed["digest_html"]
    base = reviewed["base"]
    back = data["false_claims_back"]
    assert {r["article_url"] for r in back} == {base + reviewed["same"], base + reviewed["close"]}
    assert data["counts"]["false_claims_back"] == len(back)
    section = text[text.index("False claims that came back"):text.index("Claims to check")]
    assert "CONTRADICTED" in section and f"<{EVIDENCE}>" in section and reviewed["crime_key"] in section
    assert f"<{base}{reviewed['same']}>" in section
    assert f'href="{EVIDENCE}"' in html
    # claims to check: unreviewed only, each with the link of its first appearance
    to_check = data["claims_to_check"]
    assert to_check and all(t["claim_key"] not in (reviewed["crime_key"], reviewed["fp_key"]) for t in to_check)
    assert [t["priority"] for t in to_check] == sorted(t["priority"] for t in to_check)
    checks = text[text.index("Claims to check"):text.index("== FEED HEALTH")]
    first = to_check[0]
    assert f"survwatch review show {first['claim_key']}" in checks and f"<{first['first_url']}>" in checks


def test_show_lists_every_article_with_verdict_and_history(reviewed):
    code, out = reviewed["show"]
    assert code == 0, out
    out = _flat(out)
    assert "verdict: contradicted by Test Analyst" in out and EVIDENCE in out
    assert "history (newest first):" in out and "unverifiable" in out
    n_articles = _q(reviewed["db"], "SELECT count(DISTINCT item_id) FROM claims_ledger WHERE verdict_key = ?",
                    [reviewed["crime_key"]])[0][0]
    assert f"{n_articles} articles repeating it" in out and n_articles >= 4


# ---------------------------------------------------------------------------------------------- export

REQUIRED = ("url", "claimReviewed", "reviewRating")  # Google fact-check markup; schema.org type and context too
RECOMMENDED = ("author", "datePublished", "itemReviewed")


def _valid_claim_review(doc: dict) -> list[str]:
    """Problems of one ClaimReview against schema.org / Google's required and recommended fields."""
    problems = []
    if doc.get("@context") != "https://schema.org" or doc.get("@type") != "ClaimReview":
        problems.append("not a schema.org ClaimReview")
    problems += [f"missing {f}" for f in REQUIRED + RECOMMENDED if not doc.get(f)]
    rating = doc.get("reviewRating") or {}
    if rating.get("@type") != "Rating" or not rating.get("alternateName"):
        problems.append("reviewRating needs @type Rating and alternateName")
    if "ratingValue" in rating and not (rating.get("worstRating") <= rating["ratingValue"] <= rating.get("bestRating")):
        problems.append("ratingValue outside worstRating..bestRating")
    if not str(doc.get("url", "")).startswith(("http://", "https://")):
        problems.append("url is not http(s)")
    try:
        dt.date.fromisoformat(doc.get("datePublished", ""))
    except ValueError:
        problems.append("datePublished is not an ISO date")
    claim = doc.get("itemReviewed") or {}
    if claim.get("@type") != "Claim":
        problems.append("itemReviewed is not a Claim")
    if not (claim.get("firstAppearance") or claim.get("appearance")):
        problems.append("Claim without appearance/firstAppearance")
    if not (claim.get("author") or {}).get("name"):
        problems.append("Claim without author name")
    return problems


def test_export_jsonld_has_the_required_fields(reviewed):
    code, out = reviewed["jsonld"]
    assert code == 0, out
    docs = json.loads(out)
    assert len(docs) == 2
    for doc in docs:
        assert _valid_claim_review(doc) == [], doc
    crime = next(d for d in docs if d["reviewRating"]["alternateName"] == "False")
    assert crime["url"] == EVIDENCE and crime["reviewRating"]["ratingValue"] == 1
    assert crime["author"]["name"] == "Test Analyst"
    assert "24 percent" in crime["claimReviewed"]
    appearances = {a["url"] for a in crime["itemReviewed"].get("appearance", [])}
    assert reviewed["base"] + reviewed["same"] in appearances


def test_export_csv(reviewed):
    code, out = reviewed["csv"]
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["verdict"] for r in rows} == {"contradicted", "supported"}
    crime = next(r for r in rows if r["verdict"] == "contradicted")
    assert crime["claim_key"] == reviewed["crime_key"] and crime["evidence_url"] == EVIDENCE
    assert crime["rating_name"] == "False" and reviewed["same"] in crime["appearances"]


# ---------------------------------------------------------------------------------------------- errors

def test_cli_errors_are_messages(reviewed, monkeypatch):
    db = str(reviewed["db"])
    monkeypatch.delenv("SURVWATCH_REVIEWER", raising=False)
    cases = [
        (("review", "show", "0123456789ab", "--db", db), "survwatch review list"),
        (("review", "set", "0123456789ab", "supported", "--reviewer", "x", "--db", db), "survwatch review list"),
        (("review", "show", "not-a-key", "--db", db), "12 hex digits"),
        (("review", "set", reviewed["crime_key"], "false", "--reviewer", "x", "--db", db),
         "supported, contradicted, misleading, unverifiable"),
        (("review", "set", reviewed["crime_key"], "supported", "--evidence", "javascript:alert(1)",
          "--reviewer", "x", "--db", db), "http(s) URL"),
        (("review", "set", reviewed["crime_key"], "supported", "--db", db), "SURVWATCH_REVIEWER"),
        (("review", "export", "--format", "xml", "--db", db), "jsonld or csv"),
    ]
    for args, expected in cases:
        code, out = _cli(*args)
        out = _flat(out)
        assert code == 1 and expected in out and "Traceback" not in out, (args, out)
    # nothing was recorded by the failed attempts
    assert _q(reviewed["db"], "SELECT count(*) FROM claim_reviews") == [(3,)]


def test_reviewer_from_the_setting(reviewed, monkeypatch, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(reviewed["db"], db)
    monkeypatch.setenv("SURVWATCH_REVIEWER", "Setting Reviewer")
    code, out = _cli("review", "set", reviewed["fp_key"], "misleading", "--db", str(db))
    assert code == 0, out
    assert _q(db, "SELECT verdict, reviewer FROM claim_review_current WHERE claim_key = ?",
              [reviewed["fp_key"]]) == [("misleading", "Setting Reviewer")]


def test_set_while_an_ingest_holds_the_work_file(reviewed, tmp_path):
    from warehouse.db import work_path

    db = tmp_path / "locked.duckdb"
    shutil.copyfile(reviewed["db"], db)
    shutil.copyfile(reviewed["db"], work_path(db))
    holder = subprocess.Popen([sys.executable, "-c",
                               "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
                               "time.sleep(60)", str(work_path(db))], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        code, out = _cli("review", "set", reviewed["fp_key"], "misleading", "--reviewer", "x", "--db", str(db))
    finally:
        holder.kill()
        holder.wait()
    out = _flat(out)
    assert code == 1 and "in use by another writing process" in out and "not recorded" in out, out
    assert _q(db, "SELECT count(*) FROM claim_reviews") == [(3,)]
