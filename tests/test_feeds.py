import datetime as dt

from flows.feeds import parse_feed, parse_opml

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Monitor</title><link>https://mon.example/</link>
<item><title>One</title><link>/a/one.html?utm_source=rss</link><guid>g1</guid>
<pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate><description>&lt;p&gt;Cameras &amp;amp; more&lt;/p&gt;</description></item>
<item><title>Dup</title><link>https://mon.example/a/one.html</link><guid>g1b</guid></item>
<item><title>No link</title><guid isPermaLink="false">x-1</guid></item>
<item><title>Future</title><link>https://mon.example/b</link><pubDate>Sat, 01 Jan 2150 00:00:00 GMT</pubDate></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Rights</title><id>urn:r</id><updated>2026-11-02T00:00:00Z</updated>
<entry><title>E1</title><id>urn:e1</id><link href="https://r.example/e1"/><updated>2026-11-02T08:30:00Z</updated>
<author><name>Ana</name></author><summary>Summary</summary></entry></feed>"""


def test_rss_items_relative_links_dedup_and_dates():
    parsed = parse_feed(RSS, "https://mon.example/feed.rss")
    assert parsed.error is None
    urls = [i.canonical_url for i in parsed.items]
    # relative link resolved, tracking stripped, second entry with same URL dropped
    assert urls == ["https://mon.example/a/one.html", "https://mon.example/b"]
    assert parsed.items[0].published_at == dt.datetime(2026, 11, 3, 10, 0)
    assert parsed.items[1].published_at is None  # absurd future date is not trusted
    assert ("x-1", "no_link") in parsed.skipped


def test_atom():
    parsed = parse_feed(ATOM, "https://r.example/atom")
    (item,) = parsed.items
    assert item.guid == "urn:e1" and item.author == "Ana" and item.title == "E1"


def test_html_and_empty_bodies_are_errors_not_exceptions():
    assert parse_feed(b"", "u").error == "empty_body"
    assert parse_feed(b"<html><body><p>Sorry, not found</p></body></html>", "u").error == "not_a_feed"
    assert parse_feed(b"<rss version='2.0'><channel><title>cut", "u").items == []


def test_opml_nested_categories_and_duplicates():
    opml = b"""<opml version="2.0"><head><title>t</title></head><body>
    <outline text="Rights"><outline text="EFF" type="rss" xmlUrl="https://e.example/rss" htmlUrl="https://e.example"/>
    <outline text="EFF again" type="rss" xmlUrl="https://e.example/rss"/></outline>
    <outline text="Solo" xmlUrl="https://s.example/feed" category="News"/></body></opml>"""
    specs = parse_opml(opml)
    assert [(s.url, s.category) for s in specs] == [("https://e.example/rss", "Rights"), ("https://s.example/feed", "News")]


def test_failing_feeds_back_off_exponentially_up_to_a_week():
    from flows.feeds import backed_off

    now = dt.datetime(2026, 11, 29, 2, 0)
    day = dt.timedelta(days=1)
    assert not backed_off(2, now - dt.timedelta(hours=2), now)  # two failures: still fetched nightly
    assert backed_off(3, now - dt.timedelta(hours=2), now)  # third failure: rest a day
    assert not backed_off(3, now - day, now)
    assert backed_off(5, now - 3 * day, now) and not backed_off(5, now - 4 * day, now)  # 4 days
    assert backed_off(20, now - 6 * day, now) and not backed_off(20, now - 7 * day, now)  # capped at a week
    assert not backed_off(9, None, now)
