"""End to end: the real nightly_ingest flow (Prefect test harness) against the loopback sample web."""
from __future__ import annotations

import duckdb
import pytest

from flows.feeds import parse_feed
from flows.ingest import nightly_ingest
from flows.reprocess import reprocess
from flows.urls import canonical_url

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def two_runs(prefect_harness, sample_web, tmp_path_factory):
    from flows.settings import Settings

    tmp = tmp_path_factory.mktemp("e2e")
    feeds = sample_web.write_feed_list(tmp / "feeds.opml")
    s = Settings(db=tmp / "wh.duckdb", allowed_hosts=sample_web.host_port, batch_size=8, per_host_delay=0,
                 request_deadline=15, read_timeout=10)
    first = nightly_ingest(str(feeds), str(s.db), s)
    counts_after_first = _table_counts(s.db)
    second = nightly_ingest(str(feeds), str(s.db), s)
    return {"first": first, "second": second, "db": s.db, "settings": s, "counts1": counts_after_first,
            "web": sample_web}


TABLES = ("items", "articles", "outcomes", "mentions", "claims", "deals", "vendor_candidates", "feeds")


def _table_counts(db) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def _q(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall() if params else con.execute(sql).fetchall()
    finally:
        con.close()


def test_first_run_stores_articles_with_tags(two_runs):
    run = two_runs["first"]["run"]
    tags = two_runs["first"]["tags"]
    assert run["status"] == "completed"
    assert run["stored"] >= 15
    assert tags["vendors"] >= 5 and tags["countries"] >= 5 and tags["claims"] >= 10
    # every item handled this run has exactly one outcome, and the books balance
    assert run["items_seen"] == run["stored"] + run["skipped"] + run["failed"] == run["items_new"]
    assert _q(two_runs["db"], "SELECT count(*) FROM items ANTI JOIN outcomes USING (item_id)") == [(0,)]


def test_every_listed_link_is_an_item_once(two_runs):
    web = two_runs["web"]
    links = set()
    for feed in (web.httpd.RequestHandlerClass.root / "feeds").glob("*"):
        if feed.name == "broken.xml":
            continue
        body = feed.read_bytes().replace(b"__BASE__", web.base.encode())
        links |= {i.canonical_url for i in parse_feed(body, web.base + "/feeds/" + feed.name).items}
    stored = {r[0] for r in _q(two_runs["db"], "SELECT canonical_url FROM items")}
    assert stored == links
    # tracking parameters never reach the warehouse
    assert _q(two_runs["db"], "SELECT count(*) FROM items WHERE canonical_url LIKE '%utm_%'") == [(0,)]


def test_bad_feeds_and_dead_links_have_recorded_reasons(two_runs):
    db = two_runs["db"]
    feed_errors = dict(_q(db, "SELECT f.url, ff.error FROM feed_fetches ff JOIN feeds f USING (feed_id) "
                              "WHERE ff.status = 'failed'"))
    assert any(u.endswith("/feeds/gone.rss") and e == "http_404" for u, e in feed_errors.items())
    assert any(u.endswith("/feeds/broken.xml") for u in feed_errors)
    failed = _q(db, "SELECT i.url, o.reason FROM outcomes o JOIN items i USING (item_id) WHERE o.outcome = 'failed'")
    assert any(reason == "http_404" for _, reason in failed)
    # the feed's own title and summary survive a failed page fetch
    assert _q(db, "SELECT count(*) FROM outcomes o JOIN items i USING (item_id) "
                  "WHERE o.outcome = 'failed' AND i.title IS NULL") == [(0,)]


def test_syndicated_copies_share_a_cluster(two_runs):
    rows = _q(two_runs["db"], "SELECT cluster_id, count(*) FROM articles GROUP BY 1 HAVING count(*) > 1")
    assert rows, "the syndicated wire story should form one cluster of 2+ copies"
    outlets = _q(two_runs["db"], "SELECT count(DISTINCT outlet) FROM articles")
    assert outlets[0][0] >= 1


def test_raw_html_kept_in_warc_files(two_runs):
    from flows import warc

    rows = _q(two_runs["db"], "SELECT raw_html_gz, title, warc_file, warc_offset, warc_length, final_url "
                              "FROM articles WHERE text_source = 'page' ORDER BY item_id")
    assert rows and all(r[0] is None for r in rows)  # no longer inside the warehouse
    for raw, title, file, offset, length, final_url in rows:
        headers, body = warc.read_record(two_runs["db"].parent, file, offset, length)
        html = body.decode("utf-8")
        assert "<html" in html.lower() and title.split()[0] in html
        assert headers.get_statuscode() == "200"


def test_second_run_adds_nothing_and_uses_conditional_get(two_runs):
    second = two_runs["second"]["run"]
    assert second["items_new"] == 0 and second["items_seen"] == 0
    assert _table_counts(two_runs["db"]) == two_runs["counts1"]
    ok_feeds = two_runs["first"]["run"]["feeds"] - two_runs["first"]["run"]["feeds_failed"]
    assert second["feeds_not_modified"] == ok_feeds
    statuses = _q(two_runs["db"], "SELECT ff.status, count(*) FROM feed_fetches ff WHERE run_id = ? GROUP BY 1",
                  [second["run_id"]])
    assert dict(statuses).get("not_modified") == ok_feeds


def test_reprocess_replaces_tags_without_refetching(two_runs):
    db, s = two_runs["db"], two_runs["settings"]
    before = _table_counts(db)
    out = reprocess(str(db), all_articles=True, settings=s)
    assert out["retagged"] == before["articles"]
    after = _table_counts(db)
    assert after == before  # same tagger version: same tags, replaced not appended


def test_keyword_index_is_compacted_once_per_interval(two_runs):
    # the first run compacts (never done before); the second, minutes later, does not
    assert "compact" in two_runs["first"]["timings"] and "compact" not in two_runs["second"]["timings"]
    rows = _q(two_runs["db"], "SELECT task, run_id FROM maintenance")
    assert rows == [("compact_search_index", two_runs["first"]["run"]["run_id"])]
