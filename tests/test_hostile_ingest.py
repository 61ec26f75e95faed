"""The nightly flow against a hostile web: every feed and item ends in a recorded outcome."""
from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from flows.ingest import nightly_ingest
from flows.settings import Settings

pytestmark = pytest.mark.e2e

PARA = ("<p>Officials in Kampala said Huawei installed 1,800 cameras under a safe city contract, and police "
        "claimed that robberies fell by 20 percent in the first year of operation across the capital.</p>")
DISTRICTS = ["Nakawa", "Kawempe", "Makindye", "Rubaga", "Entebbe", "Mukono", "Wakiso", "Jinja"]


def paragraphs(n: int) -> str:
    """Distinct paragraphs (extractors drop repeated boilerplate-like blocks)."""
    return "".join(
        f"<p>In {DISTRICTS[i % 8]} district, report number {i} described how the camera network covering "
        f"{100 + i} junctions was monitored by {i % 17 + 3} operators working shifts, while residents in ward "
        f"{i * 7 % 101} questioned who could see the recordings and for how long they were kept.</p>"
        for i in range(n))


ARTICLE = f"<html><head><title>Story</title></head><body><article><h1>Story</h1>{PARA}{paragraphs(5)}</article></body></html>"

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>BASE/laughs-item</link></item></channel></rss>"""

QUADRATIC = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + "x" * 50_000 + '">]>'
             '<rss version="2.0"><channel><title>q</title><item><title>' + "&a;" * 2_000 +
             "</title><link>BASE/quadratic-item</link></item></channel></rss>")

XXE = """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title><item><title>&xxe;</title><link>BASE/xxe-item</link>
<description>&xxe;</description></item></channel></rss>"""


def rss(*items: str, title: str = "Hostile feed") -> str:
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{"".join(items)}</channel></rss>'


def item(link: str, title: str = "t", guid: str | None = None, summary: str = "", extra: str = "") -> str:
    g = f"<guid>{guid}</guid>" if guid else ""
    return f"<item><title>{title}</title><link>{link}</link>{g}<description>{summary}</description>{extra}</item>"


class HostileWeb:
    def __init__(self):
        self.routes: dict[str, tuple] = {}
        web = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_GET(self):
                route = web.routes.get(self.path.split("?")[0])
                if route is None:
                    return self._send(404, b"not here")
                kind, *args = route
                getattr(self, "r_" + kind)(*args)

            def _send(self, status, body, ctype="text/html", headers=()):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in headers:
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def r_body(self, status, body, ctype="text/html", headers=()):
                body = body.replace(b"BASE", web.base.encode())
                self._send(status, body, ctype, headers)

            def r_gzip_bomb(self):
                self._send(200, gzip.compress(b" " * (80 * 1024 * 1024)), "text/html", [("Content-Encoding", "gzip")])

            def r_slow(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "50000")
                self.end_headers()
                try:
                    for _ in range(500):
                        self.wfile.write(b"<p>")
                        self.wfile.flush()
                        time.sleep(0.1)
                except OSError:
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def add(self, path, *route):
        self.routes[path] = route

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def hostile_run(prefect_harness, tmp_path_factory):
    web = HostileWeb()
    b = web.base
    html = "text/html; charset=utf-8"
    # pages
    web.add("/robots.txt", "body", 200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
    web.add("/ok", "body", 200, ARTICLE.encode(), html)
    web.add("/private/secret", "body", 200, ARTICLE.encode(), html)
    web.add("/forbidden", "body", 403, b"<h1>Forbidden</h1>", html)
    web.add("/gone", "body", 404, b"gone", html)
    web.add("/bomb", "gzip_bomb")
    web.add("/slow", "slow")
    web.add("/to-metadata", "body", 302, b"", html, [("Location", "http://169.254.169.254/latest/meta-data/")])
    web.add("/to-other-port", "body", 302, b"", html, [("Location", f"http://127.0.0.1:{web.port + 1}/x")])
    nested = "<div>" * 100_000 + "deep" + "</div>" * 100_000
    web.add("/nested", "body", 200, f"<html><body>{nested}{PARA}{paragraphs(4)}</body></html>".encode(), html)
    latin = ARTICLE.replace("Story", "Café Société").encode("latin-1")
    web.add("/lying-charset", "body", 200, latin, "text/html; charset=utf-8")
    huge = "<html><body><article>" + paragraphs(6000) + PARA + "</article></body></html>"  # ~1.7 MB of text
    web.add("/huge-text", "body", 200, huge.encode(), html)
    web.add("/pdf", "body", 200, b"%PDF-1.4 ...", "application/pdf")
    # feeds
    pages = rss(
        item(f"{b}/ok?utm_source=rss", guid="g-ok"),
        item(f"{b}/ok", guid="g-ok-again"),  # same canonical URL
        item(f"{b}/private/secret", summary="Summary kept although robots.txt refuses the page."),
        item(f"{b}/forbidden", summary="The feed summary of a page that answers 403."),
        item(f"{b}/gone"), item(f"{b}/bomb"), item(f"{b}/slow"), item(f"{b}/to-metadata"),
        item(f"{b}/to-other-port"), item(f"{b}/nested"), item(f"{b}/lying-charset"), item(f"{b}/huge-text"),
        item(f"{b}/pdf"),
        item("http://169.254.169.254/latest/meta-data/"), item("http://[::1]/x"), item("http://2130706433/x"),
        item("file:///etc/passwd"), item("relative/path.html", title="relative link"),
        item(f"{b}/ok#comments", title="fragment only differs"),
        '<item><title>no link at all</title></item>',
        item(f"{b}/dated", extra="<pubDate>Mon, 01 Jan 3020 00:00:00 GMT</pubDate>"),
    )
    web.add("/dated", "body", 200, ARTICLE.replace("Story", "Dated").replace("1,800", "1,900").encode(), html)
    web.add("/feeds/pages.rss", "body", 200, pages.encode(), "application/rss+xml")
    web.add("/feeds/laughs.rss", "body", 200, LAUGHS.encode(), "application/rss+xml")
    web.add("/feeds/quadratic.rss", "body", 200, QUADRATIC.encode(), "application/rss+xml")
    web.add("/feeds/xxe.rss", "body", 200, XXE.encode(), "application/rss+xml")
    web.add("/feeds/html.rss", "body", 200, b"<html><body>Our feed moved!</body></html>", "text/html")
    web.add("/feeds/empty.rss", "body", 200, b"", "application/rss+xml")
    web.add("/feeds/truncated.rss", "body", 200, rss(item(f"{b}/ok"))[:60].encode(), "application/rss+xml")
    author = "<author>" + "a" * 200_000 + "@" + "b" * 200_000 + "</author>"
    web.add("/feeds/author.rss", "body", 200, rss(item(f"{b}/ok", guid="g-author", extra=author)).encode(),
            "application/rss+xml")
    web.add("/feeds/dupguid.rss", "body", 200, rss(item(f"{b}/ok", guid="same"), item(f"{b}/dated", guid="same")).encode(),
            "application/rss+xml")
    web.add("/feeds/503.rss", "body", 503, b"busy", "text/plain", [("Retry-After", "1")])
    feeds = ["pages", "laughs", "quadratic", "xxe", "html", "empty", "truncated", "author", "dupguid", "503"]
    tmp = tmp_path_factory.mktemp("hostile")
    opml = tmp / "feeds.opml"
    opml.write_text("<opml version='2.0'><body>" + "".join(
        f"<outline text='{f}' xmlUrl='{b}/feeds/{f}.rss'/>" for f in feeds) + "</body></opml>")
    s = Settings(db=tmp / "wh.duckdb", allowed_hosts=f"127.0.0.1:{web.port}", per_host_delay=0, batch_size=6,
                 request_deadline=8, read_timeout=4, connect_timeout=1, max_page_bytes=3_000_000,
                 page_cpu_seconds=15, feed_parse_timeout=5, max_tag_chars=30_000,
                 feed_retry_delays=[0.1, 0.1])
    started = time.monotonic()
    report = nightly_ingest(str(opml), str(s.db), s)
    elapsed = time.monotonic() - started
    con = duckdb.connect(str(s.db), read_only=True)
    yield {"report": report, "con": con, "base": b, "elapsed": elapsed}
    con.close()
    web.close()


def _outcomes(con) -> dict[str, tuple[str, str]]:
    rows = con.execute("SELECT i.canonical_url, o.outcome, o.reason FROM items i JOIN outcomes o USING (item_id)").fetchall()
    return {url: (outcome, reason) for url, outcome, reason in rows}


def test_run_completes_and_books_balance(hostile_run):
    run = hostile_run["report"]["run"]
    assert run["status"] == "completed"
    assert run["items_seen"] == run["stored"] + run["skipped"] + run["failed"]
    con = hostile_run["con"]
    assert con.execute("SELECT count(*) FROM items ANTI JOIN outcomes USING (item_id)").fetchone()[0] == 0
    assert hostile_run["elapsed"] < 240


def test_page_outcomes(hostile_run):
    b, out = hostile_run["base"], _outcomes(hostile_run["con"])
    assert out[f"{b}/ok"] == ("stored", "article")
    assert out[f"{b}/private/secret"] == ("stored", "feed_summary")
    assert out[f"{b}/forbidden"] == ("stored", "feed_summary")
    assert out[f"{b}/gone"] == ("failed", "http_404")
    assert out[f"{b}/bomb"] == ("failed", "too_large")
    assert out[f"{b}/slow"] == ("failed", "timeout")
    assert out[f"{b}/to-metadata"] == ("failed", "blocked_address")
    assert out[f"{b}/to-other-port"] == ("failed", "blocked_address")
    assert out[f"{b}/pdf"] == ("skipped", "not_html")
    for ssrf in ("http://169.254.169.254/latest/meta-data/", "http://[::1]/x", "http://2130706433/x"):
        assert out[ssrf] == ("failed", "blocked_address"), ssrf
    assert out[f"{b}/nested"][0] in {"stored", "skipped", "failed"}
    assert out[f"{b}/huge-text"][0] == "stored"
    assert not any(u.startswith("file:") for u in out)


def test_lying_charset_is_decoded(hostile_run):
    text = hostile_run["con"].execute(
        "SELECT a.title || ' ' || a.text FROM articles a JOIN items i USING (item_id) WHERE i.canonical_url LIKE '%/lying-charset'"
    ).fetchone()[0]
    assert "Café Société" in text


def test_feed_summary_is_kept_as_text(hostile_run):
    text_source, text = hostile_run["con"].execute(
        "SELECT text_source, text FROM articles a JOIN items i USING (item_id) WHERE i.canonical_url LIKE '%/forbidden'"
    ).fetchone()
    assert text_source == "feed_summary" and text.startswith("The feed summary")


def test_huge_text_is_stored_whole_and_tagged_up_to_the_cap(hostile_run):
    con = hostile_run["con"]
    length, detail = con.execute(
        "SELECT length(a.text), o.detail FROM articles a JOIN items i USING (item_id) JOIN outcomes o USING (item_id) "
        "WHERE i.canonical_url LIKE '%/huge-text'").fetchone()
    assert length > 1_000_000 and "tagged the first 30000" in detail
    first, last = con.execute(
        "SELECT min(m.start_char), max(m.start_char) FROM mentions m JOIN items i USING (item_id) "
        "WHERE i.canonical_url LIKE '%/huge-text'").fetchone()
    assert first is not None and last < 30_000


def test_feed_outcomes(hostile_run):
    con = hostile_run["con"]
    rows = dict(con.execute("SELECT f.title, ff.status || ':' || coalesce(ff.error, '') FROM feed_fetches ff "
                            "JOIN feeds f USING (feed_id)").fetchall())
    assert rows["html"] == "failed:not_a_feed"
    assert rows["empty"] == "failed:empty_body"
    assert rows["503"] == "failed:http_503"
    assert rows["pages"].startswith("ok")
    for name in ("laughs", "quadratic", "xxe", "truncated", "author", "dupguid"):
        assert name in rows  # each has a recorded outcome, whatever it is
    # entity expansion never reaches the warehouse, nor does a local file's content
    assert con.execute("SELECT max(length(title)) FROM items").fetchone()[0] < 5000
    assert con.execute("SELECT count(*) FROM items WHERE title LIKE '%root:%' OR summary LIKE '%root:%'").fetchone()[0] == 0


def test_absurd_dates_are_dropped(hostile_run):
    b = hostile_run["base"]
    assert hostile_run["con"].execute("SELECT published_at FROM items WHERE canonical_url = ?", [f"{b}/dated"]).fetchone() == (None,)
