"""The per-item steps of the ingest, as plain functions (no Prefect, no database).

ingest.py wraps these in Prefect tasks and decides scheduling; keeping them
plain makes them easy to test and to reuse in the benchmark's bare loop.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from . import warc
from . import extract as _extract
from .extract import decode_html, html_to_text
from .feeds import BoundedFeedParser
from .robots import DISALLOWED, MAX_ROBOTS_BYTES, POSTPONE, RobotsCache
from .fetch import BlockedAddress, FetchResult, UnresolvedHost, HostLimiter, check_url, fetch, make_client
from .settings import Settings
from .urls import host_of

# Page statuses where the publisher refuses us but the feed's own summary is still ours to keep.
REFUSED = {401, 403, 451}


@dataclass
class Runtime:
    """Per-run shared resources: one HTTP client and one per-host limiter for all threads."""

    settings: Settings
    client: httpx.Client
    limiter: HostLimiter
    feed_parser: BoundedFeedParser
    robots: RobotsCache | None = None

    @classmethod
    def create(cls, settings: Settings) -> Runtime:
        client = make_client(settings.ua, settings.connect_timeout, settings.read_timeout)
        rt = cls(settings=settings, client=client, limiter=HostLimiter(settings.per_host, settings.per_host_delay),
                 feed_parser=BoundedFeedParser(settings.feed_parse_timeout, workers=2))
        if settings.respect_robots:
            rt.robots = RobotsCache(lambda url: rt.get(url, max_bytes=MAX_ROBOTS_BYTES), "survwatch")
        return rt

    def get(self, url: str, *, max_bytes: int, etag: str | None = None, last_modified: str | None = None,
            accept: str | None = None) -> FetchResult:
        s = self.settings
        with self.limiter.slot(url):
            return fetch(self.client, url, max_bytes=max_bytes, deadline=s.request_deadline,
                         max_redirects=s.max_redirects, allowed=s.allowed_host_ports,
                         etag=etag, last_modified=last_modified, accept=accept)

    def close(self) -> None:
        self.client.close()
        self.feed_parser.close()


@dataclass
class ItemResult:
    """What happened to one item: an outcome, and an article row when stored."""

    item: dict[str, Any]
    outcome: str  # stored | skipped | failed
    reason: str
    detail: str | None = None
    article: dict[str, Any] | None = None
    tags: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def fetch_page(runtime: Runtime, url: str) -> FetchResult:
    """One article page, after robots.txt says yes (Crawl-delay honoured)."""
    try:  # a blocked address fails as such, before any robots.txt request to it
        check_url(url, runtime.settings.allowed_host_ports)
    except BlockedAddress as exc:
        return FetchResult(url=url, error="blocked_address", detail=str(exc))
    except UnresolvedHost as exc:
        return FetchResult(url=url, error="dns_error", detail=str(exc), transient=True)
    if runtime.robots is not None:
        verdict = runtime.robots.check(url)
        if verdict == DISALLOWED:
            return FetchResult(url=url, error="robots", detail=f"{url}: disallowed by robots.txt")
        if verdict == POSTPONE:
            return FetchResult(url=url, error="postponed", transient=True,
                               detail=f"{url}: robots.txt unavailable (5xx/timeout); retried next run")
        delay = runtime.robots.crawl_delay(url)
        if delay:
            runtime.limiter.set_delay(host_of(url), min(delay, 60.0))
    return runtime.get(url, max_bytes=runtime.settings.max_page_bytes, accept="text/html,application/xhtml+xml")


def fetch_pages(runtime: Runtime, items: list[dict[str, Any]]) -> list[FetchResult]:
    """Fetch the pages of a batch concurrently (total and per-host limits from settings)."""
    with ThreadPoolExecutor(max_workers=runtime.settings.concurrency) as pool:
        return list(pool.map(lambda it: fetch_page(runtime, it["url"]), items))


def _outlet(url: str, site_name: str | None = None) -> str:
    """The outlet is the host name without www. — except on a bare IP address (the demo's and
    tests' loopback web), where the page's site name or first path segment tells outlets apart."""
    host = host_of(url)
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host[4:] if host.startswith("www.") else host
    first_segment = urlsplit(url).path.strip("/").split("/")[0]
    return site_name or first_segment or host


def build_article(item: dict[str, Any], page: FetchResult, min_words: int) -> ItemResult:
    """Turn a fetched page into an article row, or decide skip/fail with a reason."""
    summary_text = html_to_text(item.get("summary"))
    if page.error == "postponed":
        return ItemResult(item, "postponed", "postponed", page.detail)
    if not page.ok:
        if (page.status in REFUSED or page.error == "robots") and summary_text:
            return _from_summary(item, page, summary_text)
        if page.error == "robots":
            return ItemResult(item, "skipped", "robots", page.detail)
        reason = page.error or f"http_{page.status}"
        return ItemResult(item, "failed", reason, page.detail or f"{item['url']}: {reason}")
    ctype = page.headers.get("content-type", "")
    if ctype and not any(t in ctype for t in ("html", "xml", "text/plain")):
        return ItemResult(item, "skipped", "not_html", f"{item['url']}: content-type {ctype}")
    try:
        html = decode_html(page.body, ctype)
        extracted = _extract.extract_article(html, page.final_url or item["url"])
    except Exception as exc:  # trafilatura/lxml failures on hostile markup: recorded, not raised
        return ItemResult(item, "failed", "extract_error", f"{item['url']}: {type(exc).__name__}: {exc}"[:500])
    if extracted is None or extracted.word_count < min_words:
        words = extracted.word_count if extracted else 0
        return ItemResult(item, "skipped", "not_an_article", f"{item['url']}: {words} words of main text")
    final = page.final_url or item["url"]
    fetched_at = now()
    article = {
        "item_id": item["item_id"],
        "url": item["canonical_url"],
        "final_url": final,
        "outlet": _outlet(final, extracted.site_name),
        "http_status": page.status,
        "fetched_at": fetched_at,
        "title": extracted.title or item.get("title"),
        "author": extracted.author or item.get("author"),
        "published_at": extracted.published_at or item.get("published_at"),
        "site_name": extracted.site_name,
        "language": extracted.language,
        "text": extracted.text,
        "text_source": "page",
        "word_count": extracted.word_count,
        "extract_version": _extract.extract_fingerprint(),
    }
    # the raw page goes to a WARC file (flows/warc.py), not the warehouse; built here, in the worker. A page read
    # from an input WARC keeps its capture time (``fetched_at`` set by flows/backfill.py).
    record = warc.response_record(final, page.status, page.headers, page.body, getattr(page, "fetched_at", None) or fetched_at)
    return ItemResult(item, "stored", "article", None, article, extra={"warc_record": record})


def _from_summary(item: dict[str, Any], page: FetchResult, summary: str) -> ItemResult:
    article = {
        "item_id": item["item_id"],
        "url": item["canonical_url"],
        "final_url": page.final_url or item["url"],
        "outlet": _outlet(item["url"]),
        "http_status": page.status,
        "fetched_at": now(),
        "title": item.get("title"),
        "author": item.get("author"),
        "published_at": item.get("published_at"),
        "site_name": None,
        "language": None,
        "text": summary,
        "text_source": "feed_summary",
        "word_count": len(summary.split()),
    }
    why = "disallowed by robots.txt" if page.error == "robots" else f"HTTP {page.status}"
    return ItemResult(item, "stored", "feed_summary", f"{item['url']}: {why}; kept the feed summary", article)


@lru_cache(maxsize=2)
def cached_tagger(model: str | None, seeds_dir: str, gate: bool = False):
    """One tagger per process: loading spaCy costs seconds, tagging a batch milliseconds. The multilingual
    tagger detects each text's language and loads that language's pipeline on first use; with ``gate`` the
    relevance gate (nlp/gate.py) keeps off-topic texts from the parse."""
    from nlp.multilingual import load_multilingual_tagger

    return load_multilingual_tagger(model=model, seeds_dir=Path(seeds_dir), gate=gate)


def tag_texts(settings: Settings, texts: list[str], hints: list[str | None] | None = None,
              gated: list[bool] | None = None) -> list[dict[str, Any]]:
    """Tags of each text; ``hints`` are page-metadata languages (only a prior for the detector); ``gated`` says
    per text whether the relevance gate (settings.gate) may keep it out (default: all)."""
    tagger = cached_tagger(settings.spacy_model, str(settings.seeds_dir), settings.gate)
    return list(tagger.tag_many(texts, batch_size=32, n_process=settings.nlp_processes, hints=hints, gated=gated))


def gate_version(settings: Settings) -> str | None:
    """The fingerprint of the relevance gate the settings use (None when the gate is off)."""
    if not settings.gate:
        return None
    from nlp.gate import load_gate

    return load_gate(settings.seeds_dir).fingerprint


def language_fields(tags: dict[str, Any] | None) -> dict[str, Any]:
    """The article columns that come with the tags: language detected from the text, its confidence, and whether
    the language had a full tagger (empty when the tagger does not detect languages)."""
    if not tags or not tags.get("language"):
        return {}
    return {"language": tags["language"], "language_confidence": tags.get("language_confidence"),
            "tagging": tags.get("tagging"), "gate_version": tags.get("gate_version"),
            "gate_reason": tags.get("gate_reason")}


def tag_rows(item_id: str, tags: dict[str, Any], nlp_version: str) -> dict[str, list[dict[str, Any]]]:
    """Warehouse rows (mentions, claims, deals, vendor_candidates) for one article's tags."""
    mentions = [
        {"item_id": item_id, "entity_type": m["type"], "entity": m["value"], "surface": m.get("text"),
         "start_char": m.get("start"), "end_char": m.get("end"), "nlp_version": nlp_version,
         "origin": m.get("origin") or ("gazetteer" if m["type"] == "vendor" else None)}
        for m in tags.get("mentions", [])
    ]
    claims = [
        {"item_id": item_id, "claim_no": n, "sentence": c["text"], "start_char": c.get("start"),
         "end_char": c.get("end"), "metric": c.get("metric"), "direction": c.get("direction"),
         "value": c.get("value"), "unit": c.get("unit"), "place": c.get("place"), "year": c.get("year"),
         "source": c.get("source"), "hedged": c.get("hedged"), "nlp_version": nlp_version}
        for n, c in enumerate(tags.get("claims", []))
    ]
    seen, deals = set(), []
    for d in tags.get("deals", []):
        key = (d["vendor"], d["country"], d["kind"])
        if key in seen:
            continue
        seen.add(key)
        deals.append({"item_id": item_id, "vendor": d["vendor"], "country": d["country"], "kind": d["kind"],
                      "technology": d.get("technology"), "year": d.get("year"), "evidence": d.get("text") or "",
                      "nlp_version": nlp_version})
    names, candidates = set(), []
    for c in tags.get("vendor_candidates", []):
        if c["name"] in names:
            continue
        names.add(c["name"])
        candidates.append({"item_id": item_id, "name": c["name"], "surface": c.get("text") or c["name"],
                           "start_char": c.get("start"), "end_char": c.get("end"),
                           "evidence": c.get("sentence") or "", "cue": c.get("cue") or "",
                           "nlp_version": nlp_version})
    return {"mentions": mentions, "claims": claims, "deals": deals, "vendor_candidates": candidates}
