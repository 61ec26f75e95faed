"""The weekly digest on a small hand-made warehouse, sent to a real SMTP server on 127.0.0.1.

Digest week W0 = 2025-W47 (Mon 17 Nov 2025). W(k) = k weeks before W0, W(-1) the week after.

  item  week  outlet               cluster  mentions                      claims (metric dir value unit place year claimant)           deals
  a1    W0    guardian.example     a1       Huawei EC safe_city            crime rate dec 24 % EC - (none)                              Huawei-EC supply safe_city 2011
  a2    W0    reuters.example      a2       Hikvision Huawei US            crime rate dec 24.2 % EC - police                            Hikvision-US ban
  a3    W0    yahoo.example        a2 (syndicated copy of a2, same tags)                                                                  Hikvision-US ban
  a4    W0    citizenlab.example   a4       NSO Group MX spyware           phones infected level 25 count MX - Citizen Lab;
                                                                           crime rate dec 10 % EC - GK <b>investigation</b>             NSO Group-MX supply spyware 2019
  i5    W0    (item only: the page fetch failed)
  a5    W2    elcomercio.example   a5       Huawei EC                      crime rate dec 24 % EC 2019 - Ecuadorian government          Huawei-EC supply cctv
  a6    W3    bbc.example          a6       Hikvision GB
  a7    W5    ft.example           a7       Huawei CN
  a8    W1    techcrunch.example   a8       Dahua
  a9    W-1   later.example        a9       Huawei                        (after the digest week: never counted)
  a10   W9    old.example          a10      Hikvision                     (before the 8-week baseline: only makes Hikvision "not new")

Vendor candidates (vendor_candidates: firms not in the gazetteer named as a supplier):
  ACME Vision    a1 (as "Acme Vision"), a2, a3, a9 (W-1: not counted)   -> 3 articles, 3 outlets, evidence of a1
  Blue Lantern   a2, a4                                                 -> 2 articles, 2 outlets
  EVIL_VENDOR    a1 (hostile name and evidence)                         -> 1 article (a1 at 09:00)
  Delta Eye, Gamma Watch   a4                                           -> 1 article each (a4 at 12:00)
  Oldco Systems  a2, and "OLDCO Systems" in a8 (W1): first seen before W0, so not shown (it is new in W1)
  Nextweek       a9 only (W-1): not shown

reference_stats: EC crime rate 2019 = 24 percent.  Feeds: f1 ok, f2 failing (4 failures, timeout), f3 quiet (last
new item 30 days ago), f4 inactive and failing (not shown).

Expected for W0, worked out by hand:
  headline: 4 articles (a1-a4), 4 outlets, 3 stories (a1, a2=a3, a4), 5 items (i5 too), 1 feed failing
  vendors:  Huawei 3 (a1 a2 a3), baseline (a5 + a7) / 8 = 0.25, change +2.75;  Hikvision 2, baseline 1/8 (a6; a10 is
            older), change +1.875;  NSO Group 1, new.   countries: US 2 new, EC 1 (baseline 1/8), MX 1 new.
  new entities: MX, US (countries), safe_city, spyware (technologies), NSO Group (vendor)
  deals: 3 = Hikvision-US ban (new pair, 2 articles), NSO Group-MX supply (new pair), Huawei-EC supply (known pair)
  claims: 4 new (a1, a2 [a3 is the same story], a4 x2); spreading: crime rate -24 % EC in 4 outlets (a5 a1 a2 a3);
  conflicts: -10 % vs -24 % (EC crime rate); reference: a4's -10 % disagrees with 24 % (a1 24, a2 24.2 agree).
  firms not in the vendor list: 5 = ACME Vision 3/3, Blue Lantern 2/2, EVIL_VENDOR, Delta Eye, Gamma Watch
  (email: top 3, "and 2 more").
"""
from __future__ import annotations

import datetime as dt
import email
import re
import shutil
import socket
import subprocess
import sys
import time
from email import policy
from pathlib import Path

import pytest

import warehouse
from flows import digest as fd
from flows.settings import Settings
from warehouse import digest as wd
from warehouse import ingest as wh
from warehouse import search, store

WEEK = "2025-W47"
MON = dt.datetime(2025, 11, 17)
EVIL_TITLE = "Hi\r\nBcc: victim@example.com <script>alert(1)</script> {{ 7*7 }}"
EVIL_EVIDENCE = "The US banned Hikvision <img src=x onerror=alert(1)> cameras."
EVIL_VENDOR = "Spy<script>alert(2)</script>Tech"
EVIL_VENDOR_EVIDENCE = "Cameras supplied by Spy<script>alert(2)</script>Tech <iframe src=x></iframe> & co."
NOW = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def W(k: int, hour: int = 10) -> dt.datetime:
    return MON - dt.timedelta(weeks=k) + dt.timedelta(hours=hour)


# item: (feed, first_seen, outlet, cluster, title)
ARTICLES = {
    "a1": (1, W(0, 9), "guardian.example", "a1", EVIL_TITLE),
    "a2": (1, W(0, 10), "reuters.example", "a2", "US bans Hikvision"),
    "a3": (1, W(0, 11), "yahoo.example", "a2", "US bans Hikvision"),
    "a4": (1, W(0, 12), "citizenlab.example", "a4", "Pegasus in Mexico"),
    "a5": (1, W(2), "elcomercio.example", "a5", "Huawei cameras in Quito"),
    "a6": (1, W(3), "bbc.example", "a6", "Hikvision in London"),
    "a7": (1, W(5), "ft.example", "a7", "Huawei at home"),
    "a8": (1, W(1), "techcrunch.example", "a8", "Dahua abroad"),
    "a9": (1, W(-1), "later.example", "a9", "Huawei next week"),
    "a10": (1, W(9), "old.example", "a10", "Hikvision long ago"),
}
MENTIONS = {
    "a1": [("vendor", "Huawei"), ("country", "EC"), ("technology", "safe_city")],
    "a2": [("vendor", "Hikvision"), ("vendor", "Huawei"), ("country", "US")],
    "a3": [("vendor", "Hikvision"), ("vendor", "Huawei"), ("country", "US")],
    "a4": [("vendor", "NSO Group"), ("country", "MX"), ("technology", "spyware")],
    "a5": [("vendor", "Huawei"), ("country", "EC")],
    "a6": [("vendor", "Hikvision"), ("country", "GB")],
    "a7": [("vendor", "Huawei"), ("country", "CN")],
    "a8": [("vendor", "Dahua")],
    "a9": [("vendor", "Huawei")],
    "a10": [("vendor", "Hikvision")],
}
CLAIMS = {
    "a1": [("crime rate", "decrease", 24.0, "percent", "EC", None, None)],
    "a2": [("crime rate", "decrease", 24.2, "percent", "EC", None, "police")],
    "a3": [("crime rate", "decrease", 24.2, "percent", "EC", None, "police")],
    "a4": [("phones infected", "level", 25.0, "count", "MX", None, "Citizen Lab"),
           ("crime rate", "decrease", 10.0, "percent", "EC", None, "GK <b>investigation</b>")],
    "a5": [("crime rate", "decrease", 24.0, "percent", "EC", 2019, "Ecuadorian government")],
}
DEALS = [
    ("a1", "Huawei", "EC", "supply", "safe_city", 2011, "Huawei will supply safe city cameras to Ecuador."),
    ("a2", "Hikvision", "US", "ban", None, None, EVIL_EVIDENCE),
    ("a3", "Hikvision", "US", "ban", None, None, "The US banned Hikvision."),
    ("a4", "NSO Group", "MX", "supply", "spyware", 2019, "NSO Group sold Pegasus to Mexico in 2019."),
    ("a5", "Huawei", "EC", "supply", "cctv", None, "Huawei supplied the ECU-911 cameras."),
]

# (item, name, evidence, cue)
VENDOR_CANDIDATES = [
    ("a1", "Acme Vision", "The cameras were supplied by Acme Vision.", "supplied_by"),
    ("a2", "ACME Vision", "Reuters: a contract with ACME Vision.", "contract_with"),
    ("a3", "ACME Vision", "Yahoo: a contract with ACME Vision.", "contract_with"),
    ("a9", "ACME Vision", "Next week: ACME Vision again.", "supplier_verb"),
    ("a2", "Blue Lantern", "Blue Lantern sold the software.", "supplier_verb"),
    ("a4", "Blue Lantern", "Blue Lantern won the tender.", "won_contract"),
    ("a1", EVIL_VENDOR, EVIL_VENDOR_EVIDENCE, "supplied_by"),
    ("a4", "Gamma Watch", "A deal with Gamma Watch.", "contract_with"),
    ("a4", "Delta Eye", "Delta Eye supplied the drones.", "supplier_verb"),
    ("a8", "OLDCO Systems", "Bought from OLDCO Systems last year.", "bought_from"),
    ("a2", "Oldco Systems", "Oldco Systems supplied the servers.", "supplier_verb"),
    ("a9", "Nextweek", "Nextweek supplied it.", "supplier_verb"),
]


def url(item_id: str) -> str:
    return f"https://news.example/{item_id}"


def build_warehouse(path: Path) -> Path:
    con = warehouse.open_for_writing(path)
    con.execute(
        "INSERT INTO feeds (feed_id, url, title, category, active, added_at, last_fetched_at, last_success_at, "
        "last_new_item_at, consecutive_failures, last_error) VALUES "
        "(1, 'https://f1.example/rss', 'Ok Feed', 'news', TRUE, $old, $recent, $recent, $recent, 0, NULL),"
        "(2, 'https://f2.example/rss', 'Failing Feed', 'ngo', TRUE, $old, $recent, $old, $old, 4, 'timeout'),"
        "(3, 'https://f3.example/rss', 'Quiet Feed', 'news', TRUE, $old, $recent, $recent, $month, 0, NULL),"
        "(4, 'https://f4.example/rss', 'Retired Feed', 'news', FALSE, $old, $old, $old, $old, 9, 'http_404')",
        {"old": NOW - dt.timedelta(days=400), "recent": NOW - dt.timedelta(hours=2),
         "month": NOW - dt.timedelta(days=30)})
    items, articles, outcomes, mentions, claims, deals, candidates = [], [], [], [], [], [], []
    for item_id, (feed_id, seen, outlet, cluster, title) in ARTICLES.items():
        items.append({"item_id": item_id, "canonical_url": url(item_id), "url": url(item_id), "guid": item_id,
                      "feed_id": feed_id, "title": title, "summary": None, "author": None,
                      "published_at": seen - dt.timedelta(hours=1), "first_seen_at": seen, "run_id": "r1"})
        text = f"Article {item_id} about surveillance."
        articles.append({"item_id": item_id, "url": url(item_id), "final_url": url(item_id), "outlet": outlet,
                         "http_status": 200, "fetched_at": seen, "title": title, "author": None,
                         "published_at": seen - dt.timedelta(hours=1), "site_name": outlet, "language": "en",
                         "text": text, "text_source": "page", "word_count": 5, "content_hash": "h" + item_id,
                         "cluster_id": cluster, "minhash": None, "raw_html_gz": None, "nlp_version": "test"})
        outcomes.append({"item_id": item_id, "run_id": "r1", "outcome": "stored", "reason": "article",
                         "detail": None, "recorded_at": seen})
        for n, (etype, entity) in enumerate(MENTIONS.get(item_id, [])):
            mentions.append({"item_id": item_id, "entity_type": etype, "entity": entity, "surface": entity,
                             "start_char": n, "end_char": n + 1, "nlp_version": "test"})
        for n, (metric, direction, value, unit, place, year, source) in enumerate(CLAIMS.get(item_id, [])):
            claims.append({"item_id": item_id, "claim_no": n, "sentence": f"{metric} sentence of {item_id}.",
                           "start_char": 0, "end_char": 10, "metric": metric, "direction": direction,
                           "value": value, "unit": unit, "place": place, "year": year, "source": source,
                           "hedged": False, "nlp_version": "test"})
    items.append({"item_id": "i5", "canonical_url": url("i5"), "url": url("i5"), "guid": "i5", "feed_id": 1,
                  "title": "dead link", "summary": None, "author": None, "published_at": None,
                  "first_seen_at": W(0, 13), "run_id": "r1"})
    outcomes.append({"item_id": "i5", "run_id": "r1", "outcome": "failed", "reason": "http_404", "detail": None,
                     "recorded_at": W(0, 13)})
    for item_id, vendor, country, kind, technology, year, evidence in DEALS:
        deals.append({"item_id": item_id, "vendor": vendor, "country": country, "kind": kind,
                      "technology": technology, "year": year, "evidence": evidence, "nlp_version": "test"})
    for item_id, name, evidence, cue in VENDOR_CANDIDATES:
        candidates.append({"item_id": item_id, "name": name, "surface": name, "start_char": 0,
                           "end_char": len(name), "evidence": evidence, "cue": cue, "nlp_version": "test"})
    con.execute("INSERT INTO runs (run_id, flow, started_at, status) VALUES ('r1', 'nightly_ingest', ?, 'completed')",
                [W(9)])
    store.insert(con, "insert_items", items)
    wh.store_batch(con, articles=articles, outcomes=outcomes, mentions=mentions, claims=claims, deals=deals,
                   vendor_candidates=candidates)
    search.index_articles(con, list(ARTICLES))  # what ingest does after each batch: the view rollups
    con.execute("INSERT INTO reference_stats VALUES ('EC', 'crime rate', '2019', 24.0, 'percent', "
                "'https://stats.example/ec', NULL, ?)", [NOW])
    con.close()
    warehouse.publish(path)
    return path


@pytest.fixture(scope="module")
def wh_template(tmp_path_factory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("digest-wh") / "wh.duckdb")


@pytest.fixture
def db(wh_template, tmp_path) -> Path:
    """A private copy (published + work file) per test, since sending writes the digests table."""
    for src in (wh_template, warehouse.work_path(wh_template)):
        shutil.copyfile(src, tmp_path / src.name)
    return tmp_path / wh_template.name


@pytest.fixture(scope="module")
def data(wh_template):
    con = warehouse.open_read_only(wh_template)
    try:
        return wd.build_digest(con, WEEK)
    finally:
        con.close()


# -------------------------------------------------------------------------------------- SMTP server

class Recorder:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    recorder.port = controller.port
    try:
        yield recorder
    finally:
        controller.stop()


def mail_settings(db: Path, port: int, **extra) -> Settings:
    return Settings(db=db, smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
                    smtp_from="survwatch <digest@survwatch.example>", smtp_to=["analyst@example.org"],
                    smtp_timeout=10, **extra)


def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)


def sends(db: Path) -> list[tuple]:
    con = warehouse.open_read_only(db)
    try:
        return con.execute("SELECT week, status, forced, recipients, subject, articles, deals, new_pairs, "
                           "feeds_failing, error FROM digests ORDER BY started_at").fetchall()
    finally:
        con.close()


# ------------------------------------------------------------------------------------------ weeks

def test_weeks():
    assert wd.parse_week("2025-W47") == dt.date(2025, 11, 17)
    assert wd.parse_week("2025w3") == dt.date(2025, 1, 13)
    assert wd.week_label(dt.date(2024, 12, 30)) == "2025-W01"
    assert wd.week_bounds("2025-W47") == (MON, MON + dt.timedelta(days=7))
    assert wd.last_complete_week(dt.datetime(2025, 11, 24, 7)) == "2025-W47"  # Monday morning
    assert wd.last_complete_week(dt.datetime(2025, 11, 23, 23)) == "2025-W46"  # still Sunday of W47
    assert fd.resolve_week("2025-W7") == "2025-W07"
    for bad in ("2025-W54", "2025-47", "last week", ""):
        with pytest.raises(wd.WeekError):
            wd.parse_week(bad)


# -------------------------------------------------------------------------- data against the hand count

def test_headline_counts(data):
    assert data["headline"]["articles"] == 4
    assert data["headline"]["outlets"] == 4
    assert data["headline"]["stories"] == 3
    assert data["headline"]["items"] == 5
    assert data["counts"] == {"articles": 4, "outlets": 4, "stories": 3, "deals": 3, "new_pairs": 2,
                              "new_vendor_candidates": 5, "new_claims": 4, "spreading_claims": 1, "conflicts": 1,
                              "reference_disagreements": 1, "feeds_failing": 1,
                              # claim review: nothing reviewed, so no false claim came back; the spreading
                              # claim and the conflicting pair's touched group are to check
                              "false_claims_back": 0, "claims_to_check": 2}


def test_movers_against_trailing_average(data):
    vendors = {v["entity"]: v for v in data["vendors"]}
    assert list(vendors) == ["Huawei", "Hikvision", "NSO Group"]
    assert (vendors["Huawei"]["articles"], vendors["Huawei"]["baseline"], vendors["Huawei"]["change"]) == (3, 0.25, 2.75)
    assert (vendors["Hikvision"]["articles"], vendors["Hikvision"]["baseline"]) == (2, 0.125)
    assert [v["is_new"] for v in vendors.values()] == [False, False, True]
    assert vendors["Huawei"]["example_url"] == url("a1")  # earliest article of the week mentioning it
    countries = {c["entity"]: (c["articles"], c["baseline"], c["is_new"]) for c in data["countries"]}
    assert countries == {"US": (2, 0.0, True), "EC": (1, 0.125, False), "MX": (1, 0.0, True)}
    assert {(e["entity_type"], e["entity"]) for e in data["new_entities"]} == {
        ("country", "US"), ("country", "MX"), ("technology", "safe_city"), ("technology", "spyware"),
        ("vendor", "NSO Group")}
    assert data["series_weeks"][0] == "2025-W36" and data["series_weeks"][-1] == WEEK
    assert data["series"]["vendor"]["Huawei"] == [0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 3]  # a7 W5, a5 W2, W0


def test_deals_and_new_pairs(data):
    pairs = [(d["vendor"], d["country"], d["kind"], d["articles"]) for d in data["new_pairs"]]
    assert pairs == [("Hikvision", "US", "ban", 2), ("NSO Group", "MX", "supply", 1)]
    nso = data["new_pairs"][1]
    assert (nso["technologies"], nso["years"], nso["url"]) == (["spyware"], [2019], url("a4"))
    known = data["known_pair_deals"]
    assert [(d["vendor"], d["country"], d["technologies"]) for d in known] == [("Huawei", "EC", ["safe_city"])]


def test_new_vendor_candidates_first_seen_in_the_week(data, wh_template):
    got = [(v["name"], v["articles"], v["outlets"]) for v in data["new_vendors"]]
    assert got == [("ACME Vision", 3, 3), ("Blue Lantern", 2, 2), (EVIL_VENDOR, 1, 1), ("Delta Eye", 1, 1),
                   ("Gamma Watch", 1, 1)]  # a9 (next week) does not count for ACME Vision
    acme = data["new_vendors"][0]
    assert (acme["evidence"], acme["url"], acme["outlet"]) == (
        "The cameras were supplied by Acme Vision.", url("a1"), "guardian.example")  # earliest article
    assert data["counts"]["new_vendor_candidates"] == 5
    con = warehouse.open_read_only(wh_template)
    try:
        # "OLDCO Systems" (a8, W1) makes "Oldco Systems" (a2, W0) not new; it is new in its own week
        w46 = wd.build_digest(con, "2025-W46")
        # the same candidates as the view unknown_vendors, first seen in the week
        view = {r[0] for r in con.execute("SELECT lower(name) FROM unknown_vendors WHERE first_seen_at >= ? "
                                          "AND first_seen_at < ?", [MON, MON + dt.timedelta(days=7)]).fetchall()}
    finally:
        con.close()
    assert [(v["name"], v["articles"], v["url"]) for v in w46["new_vendors"]] == [("OLDCO Systems", 1, url("a8"))]
    assert w46["counts"]["new_vendor_candidates"] == 1
    assert view == {v["name"].lower() for v in data["new_vendors"]}


def test_claims_spread_conflicts_and_reference(data):
    new = sorted((c["item_id"], c["metric"], c["value"], c["claimant"]) for c in data["new_claims"])
    assert new == [("a1", "crime rate", 24.0, None), ("a2", "crime rate", 24.2, "police"),
                   ("a4", "crime rate", 10.0, "GK <b>investigation</b>"), ("a4", "phones infected", 25.0, "Citizen Lab")]
    [s] = data["spreading"]
    assert (s["metric_family"], s["place"], s["outlets"], s["articles"], s["articles_this_week"]) == \
        ("crime rate", "EC", 4, 4, 3)
    assert s["first_url"] == url("a5") and s["articles_without_claimant"] == 1
    [k] = data["conflicts"]
    assert (k["conflict"], k["a_value"], k["b_value"]) == ("value", 10.0, 24.0)
    [r] = data["reference_checks"]
    assert (r["item_id"], r["value"], r["reference_value"], r["reference_period"]) == ("a4", 10.0, 24.0, "2019")


def test_feed_health_lists_coverage_gaps(data):
    assert [(f["title"], f["status"]) for f in data["feeds"]] == [("Failing Feed", "failing"), ("Quiet Feed", "quiet")]


# ------------------------------------------------------------------------------------- the message

def _render(data, recipients=("analyst@example.org",), message_id="<digest.1@survwatch.example>"):
    return fd.render_message(data, sender="survwatch <digest@survwatch.example>", recipients=list(recipients),
                             message_id=message_id, date=dt.datetime(2025, 11, 24, 7),
                             tech_labels={"spyware": "Spyware", "safe_city": "Safe city"})


def _check_structure(msg) -> tuple[str, str]:
    """multipart/alternative = text/plain + multipart/related(text/html + image/png), cid referenced."""
    assert msg.get_content_type() == "multipart/alternative"
    text_part, related = msg.get_payload()
    assert text_part.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, image = related.get_payload()
    assert html_part.get_content_type() == "text/html"
    assert image.get_content_type() == "image/png"
    png = image.get_content()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000
    cid = image["Content-ID"].strip().strip("<>")
    html = html_part.get_content()
    assert f'src="cid:{cid}"' in html
    return text_part.get_content(), html


def test_render_structure_and_content(data):
    msg = _render(data)
    assert msg["Subject"] == "survwatch weekly digest 2025-W47: 4 articles, 3 new deals"
    text, html = _check_structure(msg)
    assert "4 articles | 4 outlets | 3 independent stories | 1 feed failing" in text
    assert re.search(r"Huawei\s+3\s+\+2\.8\s", text) and re.search(r"Hikvision\s+2\s+\+1\.9\s", text)
    assert re.search(r"NSO Group\s+1\s+\+1\s+new", text)
    assert "Hikvision -> United States: ban" in text and "NSO Group -> Mexico: supply, Spyware, 2019" in text
    assert "crime rate down 24%, Ecuador - no claimant named" in text
    assert "crime rate down 24% (24%–24.2%), Ecuador: 4 outlets, 4 articles (3 this week)" in text
    assert "reference: 24% (crime rate, 2019; difference −14)" in text
    assert "Failing Feed: failing: 4 failed fetches in a row" in text
    for view in ("mentions_weekly", "claims_ledger", "claim_spread", "claim_conflicts", "claim_checks", "feed_health"):
        assert view in text and view in html
    # every evidence line of the HTML has its link
    for item in ("a1", "a2", "a4", "a5"):
        assert f'href="{url(item)}"' in html
    assert 'href="https://stats.example/ec"' in html and 'href="https://f2.example/rss"' in html
    assert "max-width: 680px" in html and 'style="' in html  # CSS inlined for mail clients


def test_untrusted_text_arrives_inert(data):
    text, html = _check_structure(_render(data))
    assert "<script>" not in html and "<img src=x" not in html and "<b>investigation" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    line = next(ln for ln in html.splitlines() if "victim@example.com" in ln)
    assert "{{ 7*7 }}" in line and "49" not in line  # data are never evaluated as a template
    tline = next(ln for ln in text.splitlines() if "victim@example.com" in ln)
    assert "Hi Bcc: victim@example.com <script>alert(1)</script> {{ 7*7 }}" in tline  # one line, literal
    assert "\r" not in text.replace("\r\n", "\n")


def _section(text: str, title: str) -> str:
    """The plain-text section ``== title ==`` up to the next heading."""
    start = text.index(f"== {title} ==")
    return text[start:text.index("\n== ", start + 1)]


def test_new_vendors_section_in_both_parts(data):
    text, html = _check_structure(_render(data))
    assert text.index("== DEALS ==") < text.index("== FIRMS NOT IN THE VENDOR LIST ==") < text.index("== CLAIMS ==")
    section = _section(text, "FIRMS NOT IN THE VENDOR LIST")
    assert "not vetted (5):" in section
    assert "  * ACME Vision: 3 articles, 3 outlets" in section
    assert '"The cameras were supplied by Acme Vision."\n    guardian.example <https://news.example/a1>' in section
    assert "  * Blue Lantern: 2 articles, 2 outlets" in section
    assert "Delta Eye" not in section and "Gamma Watch" not in section and "... and 2 more" in section  # top 3
    assert html.index(">Deals</h2>") < html.index(">Firms not in the vendor list</h2>") < html.index(">Claims</h2>")
    block = html[html.index(">Firms not in the vendor list</h2>"):html.index(">Claims</h2>")]
    assert re.search(r">ACME Vision</span>: 3 articles · 3 outlets", block)
    assert re.search(r"“The cameras were supplied by Acme Vision\.” — <a href=\"https://news\.example/a1\"[^>]*>"
                     r"guardian\.example</a>", block)
    assert "Delta Eye" not in block and "… and 2 more" in block
    for part in (text, html):
        assert "oldco" not in part.lower() and "Nextweek" not in part  # first seen in another week
        assert "new_vendors.sql" in part and "unknown_vendors" in part


def test_new_vendors_hostile_text_is_escaped(data):
    text, html = _check_structure(_render(data))
    assert "<script>alert(2)" not in html and "<iframe" not in html
    assert ">Spy&lt;script&gt;alert(2)&lt;/script&gt;Tech</span>: 1 article" in html
    assert "“Cameras supplied by Spy&lt;script&gt;alert(2)&lt;/script&gt;Tech &lt;iframe src=x&gt;&lt;/iframe&gt; " \
           "&amp; co.”" in html
    section = " ".join(_section(text, "FIRMS NOT IN THE VENDOR LIST").split())  # undo the wrapping
    assert f"* {EVIL_VENDOR}: 1 article, 1 outlet" in section  # plain text: literal, not escaped
    assert EVIL_VENDOR_EVIDENCE in section


def test_new_vendors_section_when_none(data):
    quiet = {**data, "new_vendors": [], "counts": {**data["counts"], "new_vendor_candidates": 0}}
    text, html = _check_structure(_render(quiet))
    assert _section(text, "FIRMS NOT IN THE VENDOR LIST").splitlines()[1:] == ["None first seen this week."]
    block = html[html.index(">Firms not in the vendor list</h2>"):html.index(">Claims</h2>")]
    assert re.search(r'<p class="none"[^>]*>None first seen this week\.</p>', block) and "<li" not in block


def test_sanitisers():
    assert fd.clean("a\r\nBcc: x\u2028y\u202e\u200bz\t ") == "a Bcc: x yz"
    safe = fd.header_safe("=?utf-8?b?QmNjOg==?= x\r\ny")
    assert "=?" not in safe and "?=" not in safe and "\n" not in safe and safe.endswith(" x y")
    assert fd.safe_url("javascript:alert(1)") is None and fd.safe_url("https://x.example/a b") is None
    assert fd.safe_url("https://x.example/a?b=1") == "https://x.example/a?b=1"
    with pytest.raises(fd.DigestError):
        fd.check_addresses(["a@example.org\r\nBcc: victim@example.com"])
    assert fd.check_addresses(["a@example.org, B <b@example.org>"]) == ["a@example.org", "B <b@example.org>"]


def test_javascript_urls_are_not_links(data):
    evil = {**data, "new_pairs": [{**data["new_pairs"][0], "url": "javascript:alert(1)"}]}
    _, html = _check_structure(_render(evil))
    assert "javascript:" not in html


# ----------------------------------------------------------------------------- sending, for real

@pytest.mark.e2e  # a real Prefect flow run (session harness)
def test_flow_sends_once_then_refuses_then_force(prefect_harness, db, smtp):
    s = mail_settings(db, smtp.port)
    first = fd.weekly_digest(week=WEEK, db_path=str(db), settings=s)
    assert first["status"] == "sent" and first["counts"]["new_vendor_candidates"] == 5
    [env] = smtp.envelopes
    assert env.mail_from == "digest@survwatch.example"
    assert env.rcpt_tos == ["analyst@example.org"]
    msg = parse(env.original_content)
    assert msg["Subject"] == "survwatch weekly digest 2025-W47: 4 articles, 3 new deals"
    assert msg["To"] == "analyst@example.org" and msg["Message-ID"] == first["message_id"]
    assert msg.get_all("Bcc") is None and "victim" not in str(msg.items())
    for part in msg.walk():
        assert part.get_all("Bcc") is None
    header_block = env.original_content.split(b"\r\n\r\n", 1)[0]
    assert not re.search(rb"(?im)^bcc:", header_block)
    _check_structure(msg)
    assert sends(db) == [(WEEK, "sent", False, ["analyst@example.org"], first["subject"], 4, 3, 2, 1, None)]

    again = fd.weekly_digest(week=WEEK, db_path=str(db), settings=s)
    assert again["status"] == "already_sent" and "already sent" in again["detail"]
    assert len(smtp.envelopes) == 1 and len(sends(db)) == 1

    forced = fd.weekly_digest(week=WEEK, db_path=str(db), to=["other@example.org"], force=True, settings=s)
    assert forced["status"] == "sent"
    assert smtp.envelopes[1].rcpt_tos == ["other@example.org"]
    assert [(r[1], r[2]) for r in sends(db)] == [("sent", False), ("sent", True)]


def test_deliver_checks_the_work_file_under_the_lock(db, smtp, data):
    """Even when the published file does not show the earlier send yet, the work file does."""
    s = mail_settings(db, smtp.port)
    msg = _render(data)
    assert fd.deliver(msg, db=db, week=WEEK, counts=data["counts"], recipients=["analyst@example.org"],
                      settings=s)["status"] == "sent"
    msg2 = _render(data, message_id="<digest.2@survwatch.example>")
    out = fd.deliver(msg2, db=db, week=WEEK, counts=data["counts"], recipients=["analyst@example.org"], settings=s)
    assert out["status"] == "already_sent" and len(smtp.envelopes) == 1


def test_new_vendors_arrive_over_smtp(db, smtp, data):
    out = fd.deliver(_render(data), db=db, week=WEEK, counts=data["counts"], recipients=["analyst@example.org"],
                     settings=mail_settings(db, smtp.port))
    assert out["status"] == "sent"
    [env] = smtp.envelopes
    text, html = _check_structure(parse(env.original_content))
    section = _section(text, "FIRMS NOT IN THE VENDOR LIST")
    assert "not vetted (5):" in section and "  * ACME Vision: 3 articles, 3 outlets" in section
    assert "The cameras were supplied by Acme Vision." in section and "oldco" not in text.lower()
    assert ">ACME Vision</span>: 3 articles · 3 outlets" in html and "oldco" not in html.lower()
    assert "Spy&lt;script&gt;alert(2)&lt;/script&gt;Tech" in html and "<script>alert(2)" not in html


def test_smtp_failure_is_recorded_and_retryable(db, smtp, data):
    s = mail_settings(db, _free_port())  # nothing listens there
    with pytest.raises(fd.DigestError, match="not sent"):
        fd.deliver(_render(data), db=db, week=WEEK, counts=data["counts"], recipients=["analyst@example.org"],
                   settings=s)
    assert [r[1] for r in sends(db)] == ["failed"]
    ok = fd.deliver(_render(data, message_id="<digest.2@survwatch.example>"), db=db, week=WEEK,
                    counts=data["counts"], recipients=["analyst@example.org"], settings=mail_settings(db, smtp.port))
    assert ok["status"] == "sent" and len(smtp.envelopes) == 1


def test_locked_work_file_fails_before_sending(db, smtp, data):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('locked', flush=True); time.sleep(60)",
         str(warehouse.work_path(db))], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(warehouse.WarehouseError, match="in use by another writing process"):
            fd.deliver(_render(data), db=db, week=WEEK, counts=data["counts"],
                       recipients=["analyst@example.org"], settings=mail_settings(db, smtp.port))
    finally:
        holder.kill()
        holder.wait()
    assert smtp.envelopes == []
    assert sends(db) == []


# --------------------------------------------------------------------------------------- empty week

def test_empty_week_is_short_and_honest(db):
    con = warehouse.open_read_only(db)
    try:
        empty = wd.build_digest(con, "2025-W30")
    finally:
        con.close()
    assert empty["counts"]["articles"] == 0 and empty["vendors"] == [] and empty["new_claims"] == []
    msg = _render(empty)
    assert msg["Subject"] == "survwatch weekly digest 2025-W30: no new articles"
    assert msg.get_content_type() == "multipart/alternative"
    text, html = (p.get_content() for p in msg.get_payload())
    assert msg.get_payload()[1].get_content_type() == "text/html"  # no chart, so no related part
    assert "No new articles this week" in text and "No new articles this week" in html
    assert "Failing Feed" in text and "Failing Feed" in html  # coverage gaps still shown
    assert len(text.splitlines()) < 60


@pytest.mark.e2e  # a real Prefect flow run (session harness)
def test_cli_dry_run_writes_files_and_records_nothing(prefect_harness, db, tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["digest", "--db", str(db), "--week", "2025-W30", "--dry-run", "--out", str(out)])
    assert result.exit_code == 0, result.output
    eml, page = out / "digest-2025-W30.eml", out / "digest-2025-W30.html"
    assert parse(eml.read_bytes())["Subject"] == "survwatch weekly digest 2025-W30: no new articles"
    assert "No new articles this week" in page.read_text(encoding="utf-8")
    assert sends(db) == []
    bad = CliRunner().invoke(app, ["digest", "--db", str(db), "--week", "2025-W99"])
    assert bad.exit_code == 1 and "does not exist" in bad.output


def test_write_demo_digest(db, tmp_path):
    page = fd.write_demo_digest(db, tmp_path / "demo", Settings(db=db))
    assert page.suffix == ".html" and page.with_suffix(".eml").is_file()
    assert page.name == f"digest-{wd.current_week()}.html"


def test_digests_table_is_documented(db):
    con = warehouse.open_read_only(db)
    try:
        assert con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'digests'").fetchone()[0]
        missing = con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'digests' "
                              "AND (comment IS NULL OR comment = '')").fetchall()
        assert missing == []
    finally:
        con.close()


# ------------------------------------------------------------------------------ optional: a browser

@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_html_renders_in_headless_chromium(data, tmp_path):
    page = fd.write_files(_render(data), tmp_path, WEEK)["html"]
    shot = tmp_path / "shot.png"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=900,1600",
                    page.as_uri()], capture_output=True, timeout=60, check=False)
    assert shot.is_file() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_articles_per_language_in_both_parts(data):
    assert [(r["language"], r["articles"]) for r in data["languages"]] == [("en", data["headline"]["articles"])]
    mixed = dict(data, languages=[{"language": "en", "tagging": "full", "articles": 3},
                                  {"language": "es", "tagging": "full", "articles": 2},
                                  {"language": "de", "tagging": "entities_only", "articles": 1}])
    text, html = _check_structure(_render(mixed))
    assert "Languages: en 3, es 2, de 1 (names only)" in text
    assert "de 1 (vendor and country names only: no tagger for this language)" in html
    assert "languages.sql" in text
