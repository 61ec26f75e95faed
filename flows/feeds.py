"""Feed lists (OPML) and feed documents (RSS/Atom) as pure functions over bytes."""
from __future__ import annotations

import calendar
import threading
import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urljoin
from xml.etree import ElementTree

import feedparser

from .urls import canonical_url

# Dates outside this window are treated as unknown rather than trusted.
_MIN_YEAR, _MAX_FUTURE = 1990, dt.timedelta(days=2)


@dataclass
class FeedSpec:
    url: str
    title: str | None = None
    html_url: str | None = None
    category: str | None = None


@dataclass
class FeedItem:
    url: str  # as given by the feed, made absolute
    canonical_url: str
    guid: str | None
    title: str | None
    summary: str | None
    author: str | None
    published_at: dt.datetime | None  # UTC, naive


@dataclass
class ParsedFeed:
    title: str | None
    items: list[FeedItem] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, reason) for entries without a usable link
    error: str | None = None  # set when nothing usable could be read
    bozo: str | None = None  # feedparser's complaint when it recovered anyway


def parse_opml(data: bytes) -> list[FeedSpec]:
    """Feeds listed in an OPML document (nested outlines; category from the parent outline)."""
    # The OPML file is ours or an analyst's, but still refuse entity tricks.
    if b"<!ENTITY" in data:
        raise ValueError("OPML with entity declarations is not accepted")
    root = ElementTree.fromstring(data)
    specs: list[FeedSpec] = []
    seen: set[str] = set()

    def walk(node: ElementTree.Element, category: str | None) -> None:
        for outline in node.findall("outline"):
            xml_url = outline.get("xmlUrl") or outline.get("xmlurl")
            label = outline.get("title") or outline.get("text")
            if xml_url:
                url = xml_url.strip()
                if url not in seen:
                    seen.add(url)
                    specs.append(
                        FeedSpec(
                            url=url,
                            title=label,
                            html_url=outline.get("htmlUrl"),
                            category=outline.get("category") or category,
                        )
                    )
            walk(outline, label if not xml_url else category)

    body = root.find("body")
    walk(body if body is not None else root, None)
    return specs


def _date(entry: dict) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                when = dt.datetime.fromtimestamp(calendar.timegm(value), dt.timezone.utc).replace(tzinfo=None)
            except (OverflowError, ValueError, OSError):
                continue
            if when.year >= _MIN_YEAR and when <= dt.datetime.utcnow() + _MAX_FUTURE:
                return when
    return None


def _clip(text: str | None, limit: int) -> str | None:
    if not text:
        return None
    text = text.strip()
    return text[:limit] if text else None


def parse_feed(data: bytes, feed_url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed body (bytes, never a URL: fetching is done and bounded elsewhere)."""
    if not data.strip():
        return ParsedFeed(title=None, error="empty_body")
    headers = {"content-type": content_type} if content_type else None
    parsed = feedparser.parse(data, response_headers=headers, resolve_relative_uris=True, sanitize_html=True)
    bozo = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        bozo = f"{type(exc).__name__}: {exc}"[:300] if exc else "malformed"
    version = parsed.get("version") or ""
    entries = parsed.get("entries") or []
    if not entries and not version:
        return ParsedFeed(title=None, error="not_a_feed", bozo=bozo)
    feed_title = _clip(parsed.feed.get("title"), 500)
    base = parsed.feed.get("link") or feed_url
    result = ParsedFeed(title=feed_title, bozo=bozo)
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        link = entry.get("link")
        guid = _clip(entry.get("id"), 1000)
        if not link and guid and guid.startswith(("http://", "https://")):
            link = guid  # RSS guid isPermaLink
        if not link:
            result.skipped.append((guid or f"entry {index}", "no_link"))
            continue
        url = urljoin(base, link.strip())
        canonical = canonical_url(url)
        if not canonical.startswith(("http://", "https://")):
            result.skipped.append((url[:300], "bad_link"))
            continue
        if canonical in seen:
            continue  # duplicate entry inside one feed document
        seen.add(canonical)
        result.items.append(
            FeedItem(
                url=url,
                canonical_url=canonical,
                guid=guid,
                title=_clip(entry.get("title"), 1000),
                summary=_clip(entry.get("summary"), 5000),
                author=_clip(entry.get("author"), 300),
                published_at=_date(entry),
            )
        )
    if not result.items and bozo and not entries:
        result.error = "parse_error"
    return result


class FeedParseTimeout(Exception):
    pass


class BoundedFeedParser:
    """Runs ``parse_feed`` in worker processes with a time limit.

    feedparser has regexes that go quadratic on hostile input (e.g. a huge author
    field), and a thread cannot be interrupted, so a hung parse costs a worker
    process instead: it is killed and the pool replaced.
    """

    def __init__(self, timeout: float = 20.0, workers: int = 1):
        from .procpool import RestartablePool

        self.timeout = timeout
        self._procs = RestartablePool(workers)
        # at most one parse per worker in flight, so the timeout measures parsing, not queueing
        self._slots = threading.BoundedSemaphore(workers)

    def parse(self, data: bytes, feed_url: str, content_type: str | None = None) -> ParsedFeed:
        from concurrent.futures import TimeoutError as FutureTimeout
        from concurrent.futures.process import BrokenProcessPool

        with self._slots:
            for attempt in (1, 2):
                pool = self._procs.get()
                try:
                    future = pool.submit(parse_feed, data, feed_url, content_type)
                    return future.result(timeout=self.timeout)
                except FutureTimeout:
                    self._procs.kill(pool)
                    return ParsedFeed(title=None, error="parse_timeout")
                except (BrokenProcessPool, RuntimeError):
                    # the pool died (a worker crashed, or another thread killed it): one more try
                    self._procs.kill(pool)
                    if attempt == 2:
                        return ParsedFeed(title=None, error="parse_crashed")
                except Exception as exc:  # a feedparser bug on odd input: an outcome, not a crash
                    return ParsedFeed(title=None, error="parse_error", bozo=f"{type(exc).__name__}: {exc}"[:300])
        return ParsedFeed(title=None, error="parse_crashed")

    def close(self) -> None:
        self._procs.close()


def backed_off(consecutive_failures: int, last_fetched_at: dt.datetime | None, now: dt.datetime,
               after: int = 3, max_days: float = 7.0) -> bool:
    """A feed that failed ``after`` times in a row is fetched again only after 1, 2, 4 … days
    (at most ``max_days``): a dead feed is not hammered every night, and is retried weekly."""
    if consecutive_failures < after or last_fetched_at is None:
        return False
    wait = min(max_days, 2.0 ** (consecutive_failures - after))
    return now - last_fetched_at < dt.timedelta(days=wait) - dt.timedelta(hours=1)
