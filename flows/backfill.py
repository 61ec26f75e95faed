"""The ``backfill`` Prefect flow: history from WARC files (CC-NEWS included) and from news sitemaps.

Everything after "here is a page" is the nightly run's own code: the worker pool's ``process_batch``
(extraction, fingerprints, the relevance gate and tagging), ``ingest._store`` (content dedup, story clusters,
outcomes, raw pages to this run's WARC archive, one transaction per batch) and, for sitemaps, ``fetch_page``
(address guard, robots.txt, per-host delay, caps). What differs is where items come from and their date:

- ``--warc FILE``: the files are streamed record by record (one record in memory, batches of
  ``batch_size``); response records with an HTML body become items, every other record is counted by reason
  (request, metadata, revisit, not_html, http_404 …) in the run's message.
- ``--sitemap URL``: the sitemap (or sitemap index, news sitemaps included) is read with
  ultimate-sitemap-parser through our polite HTTP client; entries become items first, then are fetched.

A backfilled article is dated (``articles.dated_at``, used by the trend views) by the page's own metadata date,
else the sitemap's news publication date / lastmod, else the WARC-Date of the capture.

Resuming: an item is decided once it has an outcome. A rerun skips decided items, processes the ones a killed
run left without an outcome, and adds the rest: nothing lost, nothing twice.
"""
from __future__ import annotations

import datetime as dt
import time
from collections import Counter, deque
from pathlib import Path
from typing import Any, Iterator

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

import warehouse
from warehouse import ingest as wh
from warehouse import search

from . import dedup, progress, warc
from .dask_processing import make_processor
from .fetch import FetchResult
from .ingest import _run_id, extract_and_tag, fetch_and_process, store_next
from .pipeline import Runtime, now
from .settings import Settings
from .stopping import deferred, run_ending
from .urls import canonical_url, item_id

SOURCE_WARC = "backfill:warc"
SOURCE_SITEMAP = "backfill:sitemap"


def _naive_utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def _item(url: str, published_at: dt.datetime | None, source: str, ref: str, run_id: str,
          seen_at: dt.datetime, title: str | None = None) -> dict[str, Any] | None:
    canonical = canonical_url(url)
    if not canonical:
        return None
    return {"item_id": item_id(canonical), "canonical_url": canonical, "url": url, "guid": None, "feed_id": None,
            "title": title, "summary": None, "author": None, "published_at": _naive_utc(published_at),
            "first_seen_at": seen_at, "run_id": run_id, "ingest_source": source, "source_ref": ref}


def warc_batches(path: Path, size: int, max_bytes: int, run_id: str,
                 skips: Counter) -> Iterator[tuple[list[dict[str, Any]], list[FetchResult]]]:
    """(items, pages) batches of the HTML responses of one WARC file, streamed; skips counted by reason."""
    seen_at = now()
    items: list[dict[str, Any]] = []
    pages: list[FetchResult] = []
    in_batch: set[str] = set()
    with open(path, "rb") as handle:
        read = 0
        for rec in warc.iter_warc(handle, max_bytes):
            pos = handle.tell()
            progress.advance("warc", pos - read)
            read = pos
            if isinstance(rec, warc.Skipped):
                skips[rec.reason] += 1
                continue
            item = _item(rec.url, rec.warc_date, SOURCE_WARC, path.name, run_id, seen_at)
            if item is None:
                skips["bad_url"] += 1
                continue
            if item["item_id"] in in_batch:  # a second capture of the same URL: the first one counts
                skips["repeated_url"] += 1
                continue
            page = FetchResult(url=rec.url, final_url=rec.url, status=rec.status, headers=rec.headers, body=rec.body)
            page.fetched_at = rec.warc_date  # the capture time goes into our WARC record (pipeline.build_article)
            in_batch.add(item["item_id"])
            items.append(item)
            pages.append(page)
            if len(items) >= size:
                yield items, pages
                items, pages, in_batch = [], [], set()
        progress.advance("warc", max(0, path.stat().st_size - read))
    if items:
        yield items, pages


def claim(con, items: list[dict[str, Any]], counts: dict[str, Any]) -> list[int]:
    """Which of these candidates to process: not yet decided (new ones are recorded as items first, in one
    transaction). Returns their positions."""
    state = wh.backfill_item_state(con, [i["item_id"] for i in items])
    keep, new = [], []
    for n, it in enumerate(items):
        known, decided = state.get(it["item_id"], (False, False))
        if decided:
            counts["items_known"] += 1
            continue
        keep.append(n)
        if not known:
            new.append(it)
    if new:
        with deferred():
            wh.insert_backfill_items(con, new)
    counts["items_new"] += len(new)
    return keep


class _Sitemaps:
    """ultimate-sitemap-parser's web client interface over our Runtime (address guard, caps, per-host delay)."""

    def __init__(self, runtime: Runtime):
        from usp.web_client.abstract_client import (AbstractWebClient, AbstractWebClientSuccessResponse,
                                                    WebClientErrorResponse)

        class Response(AbstractWebClientSuccessResponse):
            def __init__(self, res: FetchResult):
                self._res = res

            def status_code(self) -> int:
                return self._res.status

            def status_message(self) -> str:
                return "OK"

            def header(self, case_insensitive_name: str) -> str | None:
                return self._res.headers.get(case_insensitive_name.lower())

            def raw_data(self) -> bytes:
                return self._res.body

            def url(self) -> str:
                return self._res.final_url or self._res.url

        class Client(AbstractWebClient):
            def __init__(self):
                self.max_bytes = runtime.settings.max_feed_bytes
                self.failures: list[str] = []

            def set_max_response_data_length(self, max_response_data_length: int | None) -> None:
                if max_response_data_length:
                    self.max_bytes = min(max_response_data_length, runtime.settings.max_feed_bytes)

            def get(self, url: str):
                res = runtime.get(url, max_bytes=self.max_bytes,
                                  accept="application/xml, text/xml;q=0.9, text/plain;q=0.5, */*;q=0.1")
                if res.ok:
                    return Response(res)
                why = res.detail or f"{url}: {res.error or 'http_%s' % res.status}"
                self.failures.append(why)
                return WebClientErrorResponse(why, retryable=res.transient)

        self.client = Client()


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[5, 30], task_run_name="read-sitemap")
def read_sitemap(url: str, runtime: Runtime, since: dt.date | None) -> tuple[list[dict[str, Any]], Counter]:
    """Entries of a sitemap or sitemap index (news:publication_date, else lastmod), those before ``since``
    dropped (undated entries kept: their page decides). Raises when nothing could be read, so the retries apply."""
    from usp.fetch_parse import SitemapFetcher

    sitemaps = _Sitemaps(runtime)
    tree = SitemapFetcher(url, recursion_level=0, web_client=sitemaps.client).sitemap()
    entries, skips = [], Counter()
    cutoff = dt.datetime.combine(since, dt.time()) if since else None
    for page in tree.all_pages():
        story = page.news_story
        published = _naive_utc((story.publish_date if story else None) or page.last_modified)
        if cutoff and published and published < cutoff:
            skips["before_since"] += 1
            continue
        entries.append({"url": page.url, "published_at": published, "title": story.title if story else None})
    if not entries and sitemaps.client.failures:
        raise RuntimeError(f"sitemap {url}: " + "; ".join(sitemaps.client.failures[:3]))
    if sitemaps.client.failures:
        skips["sitemap_failed"] += len(sitemaps.client.failures)
    return entries, skips


@flow(name="backfill", task_runner=ThreadPoolTaskRunner(max_workers=8), log_prints=False)
def backfill(warc_files: list[str] | None = None, sitemap: str | None = None, since: dt.date | None = None,
             db_path: str | None = None, settings: Settings | None = None) -> dict[str, Any]:
    """Backfill the warehouse from WARC files and/or a sitemap, through the nightly run's processing."""
    from nlp import NLP_VERSION

    s = settings or Settings()
    db = Path(db_path) if db_path else s.db
    paths = [Path(p) for p in warc_files or []]
    for p in paths:
        if not p.is_file():
            raise FileNotFoundError(f"WARC file {p} not found: pass existing files to --warc")
    run_id = _run_id()
    pool = make_processor(s)
    runtime = Runtime.create(s) if sitemap else None
    con = warehouse.open_for_writing(db, s.db_memory_mb)
    archive = warc.archive_for(db, run_id, s.warc_rotate_mb)
    counts: dict[str, Any] = {"items_new": 0, "items_known": 0, "items_seen": 0}
    timings = {"fetch": 0.0, "extract": 0.0, "tag": 0.0, "store": 0.0}
    skips: Counter = Counter()
    status, message = "completed", None
    try:
        wh.start_run(con, run_id, "backfill", NLP_VERSION)
        warc.move_blobs_to_warc(con, archive)
        pool.warm()
        clusterer = dedup.Clusterer(s.dedup_threshold, s.dedup_max_signatures)
        for iid, cluster_id, sig in wh.recent_minhashes(con, s.dedup_window_days, s.dedup_max_signatures):
            clusterer.add_known(iid, cluster_id, sig)
        window: deque = deque()  # batches in flight: workers + 1, so memory is bounded by the window

        def drain(limit: int) -> None:
            while len(window) > limit:
                # postponed items (robots.txt unavailable) keep no outcome: the next backfill retries them
                counts["items_seen"] -= store_next(con, window, clusterer, run_id, NLP_VERSION, timings, archive)

        batch_no = 0
        if paths:
            progress.start("warc", "WARC bytes read", sum(p.stat().st_size for p in paths))
            for path in paths:
                for items, pages in warc_batches(path, s.batch_size, s.max_page_bytes, run_id, skips):
                    keep = claim(con, items, counts)
                    if not keep:
                        continue
                    window.append(extract_and_tag.submit(quote([items[n] for n in keep]),
                                                         quote([pages[n] for n in keep]), quote(pool), batch_no))
                    batch_no += 1
                    counts["items_seen"] += len(keep)
                    drain(s.workers)
            drain(0)
        if sitemap:
            entries, sitemap_skips = read_sitemap(sitemap, runtime, since)
            skips.update(sitemap_skips)
            seen_at = now()
            candidates = [it for e in entries
                          if (it := _item(e["url"], e["published_at"], SOURCE_SITEMAP, sitemap, run_id, seen_at,
                                          e["title"]))]
            unique = list({it["item_id"]: it for it in candidates}.values())
            skips["repeated_url"] += len(candidates) - len(unique)
            for i in range(0, len(unique), 1000):
                claim(con, unique[i:i + 1000], counts)
            pending = wh.pending_backfill_items(con, SOURCE_SITEMAP, sitemap)
            counts["items_seen"] += len(pending)
            progress.start("articles", "pages fetched and processed", len(pending))
            for i in range(0, len(pending), s.batch_size):
                window.append(fetch_and_process.submit(quote(pending[i:i + s.batch_size]), quote(runtime), quote(pool),
                                                      batch_no))
                batch_no += 1
                drain(s.workers)
            drain(0)
        t0 = time.perf_counter()
        con = warehouse.reopen_for_writing(con, db, s.db_memory_mb)  # key indexes the storing loaded let go
        with deferred():
            search.index_pending(con)  # keyword index and the trend rollups, by publication week
        timings["index"] = time.perf_counter() - t0
        if skips:
            message = "records/entries not used: " + ", ".join(f"{k} {v}" for k, v in sorted(skips.items()))
    except BaseException as exc:
        status, message = run_ending(exc, run_id, "; run the same backfill again to finish it")
        raise
    finally:
        if runtime is not None:
            runtime.close()
        archive.close()
        if status == "stopped":
            pool.abort()
        else:
            pool.close()
        try:
            wh.finish_run(con, run_id, status, counts, message)
            report = wh.run_report(con, run_id)
        finally:
            con.close()
            warehouse.publish(db)
    report["skipped_records"] = dict(sorted(skips.items()))
    report["timings"] = timings
    report["warc_records_written"] = archive.written
    return report
