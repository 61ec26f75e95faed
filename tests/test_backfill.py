"""End to end: the backfill flow (real Prefect runs, real worker pool, real DuckDB) from a generated WARC file and
from a sitemap index served on 127.0.0.1, after a nightly run over the same web: rows, dates, dedup against the
nightly rows, archive, and a rerun that adds nothing."""
from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import duckdb
import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

pytestmark = pytest.mark.e2e

WORDS = ("surveillance camera contract police city council data privacy vendor network facial recognition "
         "system footage retention court oversight budget Hikvision Kenya Nairobi").split()
CAPTURE = dt.datetime(2022, 6, 15, 12, 0, 0)


def article(i: int, published: str | None = None) -> bytes:
    paras = "".join(f"<p>Story {i}, part {p}: " + " ".join(WORDS[(i * 7 + p * 3 + k) % len(WORDS)] for k in range(60))
                    + ".</p>" for p in range(4))
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    return (f"<html><head><title>Story {i}</title>{meta}</head><body><article><h1>Story {i}</h1>{paras}"
            "</article></body></html>").encode()


class Web:
    """A feed with stories 0-1 (the nightly run), a sitemap index with a news sitemap and a plain one."""

    def __init__(self):
        web = self
        self.hits: list[str] = []

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                web.hits.append(self.path)
                ctype = "application/xml"
                if self.path == "/feed.rss":
                    items = "".join(f"<item><title>Story {i}</title><link>{web.base}/a/{i}</link><guid>s{i}</guid></item>"
                                    for i in (0, 1))
                    body = f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>{items}</channel></rss>"
                elif self.path == "/sitemap_index.xml":
                    body = ("<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                            f"<sitemap><loc>{web.base}/news.xml</loc></sitemap>"
                            f"<sitemap><loc>{web.base}/old.xml</loc></sitemap></sitemapindex>")
                elif self.path == "/news.xml":
                    rows = [(30, "2023-02-01T08:00:00Z"), (31, "2023-02-08T08:00:00Z"), (0, "2023-02-09T08:00:00Z"),
                            (32, "2019-01-01T08:00:00Z")]  # 0: known from the nightly run; 32: before --since
                    urls = "".join(
                        f"<url><loc>{web.base}/a/{i}</loc><news:news><news:publication><news:name>T</news:name>"
                        f"<news:language>en</news:language></news:publication><news:publication_date>{d}"
                        f"</news:publication_date><news:title>Story {i}</news:title></news:news></url>" for i, d in rows)
                    body = ("<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
                            "xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>" + urls + "</urlset>")
                elif self.path == "/old.xml":
                    body = ("<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                            f"<url><loc>{web.base}/a/33</loc><lastmod>2023-03-01</lastmod></url>"
                            f"<url><loc>{web.base}/a/34</loc><lastmod>2023-03-02</lastmod></url></urlset>")
                elif self.path.startswith("/a/"):
                    i = int(self.path.rsplit("/", 1)[1])
                    ctype = "text/html; charset=utf-8"
                    body = article(i, "2020-05-05T10:00:00Z" if i == 34 else None).decode()
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def write_warc(path: Path, base: str) -> dict[str, bytes]:
    """Stories 10-15 (10-12 with a page date), story 0 again (known by URL), story 1's text at a new URL
    (known by content), and records the backfill must skip: warcinfo, request, image, 404, revisit."""
    bodies = {}
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test"}))

        def response(url, body, status="200 OK", ctype="text/html; charset=utf-8", when=CAPTURE):
            w.write_record(w.create_warc_record(
                url, "response", payload=BytesIO(body),
                http_headers=StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": when.strftime("%Y-%m-%dT%H:%M:%SZ")}))

        for i in range(10, 16):
            url = f"https://archive.example/a/{i}"
            w.write_record(w.create_warc_record(url, "request", payload=BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            bodies[url] = article(i, f"2021-0{i - 9}-10T09:00:00Z" if i < 13 else None)
            response(url, bodies[url], when=CAPTURE + dt.timedelta(days=i))
        response(f"{base}/a/0", article(0))
        response("https://mirror.example/copy-of-1", article(1))
        response("https://archive.example/logo.png", b"\x89PNG", ctype="image/png")
        response("https://archive.example/gone", b"not here", status="404 Not Found")
        w.write_record(w.create_revisit_record("https://archive.example/a/10", digest="sha1:AAAA",
                                               refers_to_uri="https://archive.example/a/10",
                                               refers_to_date="2022-06-25T12:00:00Z"))
    return bodies


@pytest.fixture(scope="module")
def backfilled(prefect_harness, tmp_path_factory):
    from flows.backfill import backfill
    from flows.ingest import nightly_ingest
    from flows.settings import Settings

    tmp = tmp_path_factory.mktemp("backfill")
    web = Web()
    opml = tmp / "feeds.opml"
    opml.write_text(f"<opml version='2.0'><body><outline text='t' xmlUrl='{web.base}/feed.rss'/></body></opml>")
    s = Settings(db=tmp / "wh.duckdb", allowed_hosts=web.base.removeprefix("http://"), per_host_delay=0,
                 batch_size=3, min_article_words=20, request_deadline=15)
    try:
        nightly = nightly_ingest(str(opml), str(s.db), s)
        warc_in = tmp / "input.warc.gz"
        bodies = write_warc(warc_in, web.base)
        from_warc = backfill(warc_files=[str(warc_in)], db_path=str(s.db), settings=s)
        from_sitemap = backfill(sitemap=f"{web.base}/sitemap_index.xml", since=dt.date(2020, 1, 1),
                                db_path=str(s.db), settings=s)
        again = backfill(warc_files=[str(warc_in)], sitemap=f"{web.base}/sitemap_index.xml",
                         since=dt.date(2020, 1, 1), db_path=str(s.db), settings=s)
    finally:
        web.close()
    return {"db": s.db, "nightly": nightly, "warc": from_warc, "sitemap": from_sitemap, "again": again,
            "bodies": bodies, "base": web.base}


def _q(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_warc_records_become_items_with_outcomes_and_reasons(backfilled):
    run = backfilled["warc"]["run"]
    assert run["flow"] == "backfill" and run["status"] == "completed"
    # 6 new stories + the copy of story 1 at a new URL; story 0 is known by URL from the nightly run
    assert (run["items_new"], run["items_known"], run["items_seen"]) == (7, 1, 7)
    assert (run["stored"], run["skipped"], run["failed"]) == (6, 1, 0)
    assert backfilled["warc"]["skipped_records"] == {"http_404": 1, "not_html": 1, "request": 6, "revisit": 1,
                                                     "warcinfo": 1}
    assert "request 6" in run["message"] and "not_html 1" in run["message"]
    rows = _q(backfilled["db"], "SELECT i.ingest_source, i.source_ref, o.outcome, o.reason, count(*) FROM items i "
                                "JOIN outcomes o USING (item_id) GROUP BY ALL ORDER BY ALL")
    assert ("backfill:warc", "input.warc.gz", "skipped", "duplicate_content", 1) in rows
    assert ("backfill:warc", "input.warc.gz", "stored", "article", 6) in rows
    assert ("nightly", None, "stored", "article", 2) in rows
    # dedup by content against the nightly row: the mirror copy points at the nightly item
    (detail,), = _q(backfilled["db"], "SELECT detail FROM outcomes WHERE reason = 'duplicate_content'")
    nightly_1 = _q(backfilled["db"], "SELECT item_id FROM items WHERE url = ?", [f"{backfilled['base']}/a/1"])[0][0]
    assert "mirror.example/copy-of-1" in detail and nightly_1 in detail
    assert _q(backfilled["db"], "SELECT count(*) FROM mentions m JOIN items i USING (item_id) "
                                "WHERE i.ingest_source = 'backfill:warc'")[0][0] > 0  # tagged like nightly ones


def test_dates_page_metadata_then_warc_date(backfilled):
    rows = dict(_q(backfilled["db"], "SELECT a.url, a.dated_at FROM articles a JOIN items i USING (item_id) "
                                     "WHERE i.ingest_source = 'backfill:warc'"))
    for i in range(10, 13):  # the page's own date wins over the capture date (trafilatura gives the day)
        assert rows[f"https://archive.example/a/{i}"] == dt.datetime(2021, i - 9, 10)
    for i in range(13, 16):  # no page date: the WARC-Date of the capture
        assert rows[f"https://archive.example/a/{i}"] == CAPTURE + dt.timedelta(days=i)
    # nightly rows keep dated_at NULL (counted by first_seen_at)
    assert _q(backfilled["db"], "SELECT count(*) FROM articles a JOIN items i USING (item_id) "
                                "WHERE i.ingest_source = 'nightly' AND a.dated_at IS NOT NULL") == [(0,)]
    # the trend view counts backfilled articles in their publication weeks
    weeks = {w for (w,) in _q(backfilled["db"], "SELECT DISTINCT week FROM mentions_weekly")}
    assert {"2021-W01", "2021-W06", "2021-W10"} <= weeks
    assert "2022-W25" not in weeks and "2022-W26" in weeks  # captures 2022-06-28.. (13-15 days after 06-15)


def test_pages_archived_as_warc_identical_to_input(backfilled):
    from flows import warc

    db = backfilled["db"]
    rows = _q(db, "SELECT i.url, warc_file, warc_offset, warc_length, raw_html_gz FROM articles a "
                  "JOIN items i USING (item_id) WHERE i.ingest_source = 'backfill:warc'")
    assert len(rows) == 6
    for url, file, offset, length, blob in rows:
        assert blob is None and file.startswith("warc/")
        headers, body = warc.read_record(db.parent, file, offset, length)
        assert body == backfilled["bodies"][url]
    for f in sorted((db.parent / "warc").glob("*.warc.gz")):  # every record readable by a plain ArchiveIterator
        with open(f, "rb") as h:
            assert all(r.rec_type in ("warcinfo", "response") for r in ArchiveIterator(h))


def test_sitemap_index_backfill_dates_and_politeness(backfilled):
    run = backfilled["sitemap"]["run"]
    assert run["status"] == "completed"
    # 30, 31, 33, 34 new; 0 known (nightly); 32 before --since
    assert (run["items_new"], run["items_known"], run["stored"]) == (4, 1, 4)
    assert backfilled["sitemap"]["skipped_records"]["before_since"] == 1
    rows = dict(_q(backfilled["db"], "SELECT i.url, a.dated_at FROM articles a JOIN items i USING (item_id) "
                                     "WHERE i.ingest_source = 'backfill:sitemap'"))
    base = backfilled["base"]
    assert rows[f"{base}/a/30"] == dt.datetime(2023, 2, 1, 8, 0)  # news:publication_date
    assert rows[f"{base}/a/33"] == dt.datetime(2023, 3, 1)  # lastmod
    assert rows[f"{base}/a/34"] == dt.datetime(2020, 5, 5)  # the page's own date beats lastmod
    assert f"{base}/a/32" not in rows


def test_rerun_adds_nothing(backfilled):
    run = backfilled["again"]["run"]
    assert run["status"] == "completed"
    assert (run["items_new"], run["items_seen"], run["stored"]) == (0, 0, 0)
    assert _q(backfilled["db"], "SELECT count(*), count(DISTINCT item_id) FROM outcomes") == [(13, 13)]
    assert _q(backfilled["db"], "SELECT count(*) FROM items ANTI JOIN outcomes USING (item_id)") == [(0,)]
