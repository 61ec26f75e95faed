"""The Prefect flow ``nightly_ingest`` (``reprocess`` is in flows/reprocess.py).

Tasks work on batches (one feed, or a chunk of articles) because Prefect's
per-task overhead would dominate one-task-per-article. The flow thread owns the
single DuckDB write connection; worker threads only fetch, extract and tag.
"""
from __future__ import annotations

import time
import uuid
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

import warehouse
from warehouse import ingest as wh
from warehouse import search

from . import dedup, progress, warc
from .feeds import FeedSpec, backed_off, parse_opml
from .pipeline import ItemResult, Runtime, fetch_pages, language_fields, now, tag_rows
from .dask_processing import make_processor
from .settings import Settings
from .stopping import deferred, run_ending
from .urls import item_id
from .extract import html_to_text


class TransientFetchError(Exception):
    """Raised only for errors worth retrying (timeouts, 5xx, 429) so Prefect's retries apply to them alone."""

    def __init__(self, result: Any):
        super().__init__(result.detail or result.error)
        self.result = result


@dataclass
class FeedOutcome:
    feed: dict[str, Any]
    status: str  # ok | not_modified | failed
    http_status: int | None
    seconds: float
    error: str | None = None
    detail: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None
    items: list[dict[str, Any]] | None = None
    entries: int = 0


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10], task_run_name="fetch-feed-{feed[feed_id]}")
def fetch_feed(feed: dict[str, Any], runtime: Runtime, run_id: str) -> FeedOutcome:
    """Conditional GET of one feed, parsed from bytes. Raises only for transient errors."""
    res = runtime.get(feed["url"], max_bytes=runtime.settings.max_feed_bytes, etag=feed.get("etag"),
                      last_modified=feed.get("last_modified"),
                      accept="application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5")
    if res.transient:
        if res.retry_after is not None:
            if res.retry_after > runtime.settings.max_retry_after:
                # the server asked for a long pause: respect it and try again next run
                return FeedOutcome(feed, "failed", res.status, res.seconds, res.error,
                                   f"{res.detail}; Retry-After {res.retry_after:.0f}s, next run")
            time.sleep(res.retry_after)  # honour Retry-After before Prefect's own retry delay
        raise TransientFetchError(res)
    if res.not_modified:
        return FeedOutcome(feed, "not_modified", 304, res.seconds)
    if not res.ok:
        return FeedOutcome(feed, "failed", res.status, res.seconds, res.error, res.detail)
    parsed = runtime.feed_parser.parse(res.body, res.final_url or feed["url"], res.headers.get("content-type"))
    if parsed.error:
        return FeedOutcome(feed, "failed", res.status, res.seconds, parsed.error,
                           f"{feed['url']}: {parsed.error}" + (f" ({parsed.bozo})" if parsed.bozo else ""))
    seen_at = now()
    items = [
        {"item_id": item_id(i.canonical_url), "canonical_url": i.canonical_url, "url": i.url, "guid": i.guid,
         "feed_id": feed["feed_id"], "title": i.title, "summary": html_to_text(i.summary), "author": i.author,
         "published_at": i.published_at, "first_seen_at": seen_at, "run_id": run_id}
        for i in parsed.items
    ]
    return FeedOutcome(feed, "ok", res.status, res.seconds, etag=res.headers.get("etag"),
                       last_modified=res.headers.get("last-modified"), title=parsed.title, items=items,
                       entries=len(parsed.items))


@task(cache_policy=NO_CACHE, task_run_name="fetch-pages-{batch_no}")
def fetch_batch(items: list[dict[str, Any]], runtime: Runtime, batch_no: int) -> list[Any]:
    """Fetch a batch of pages concurrently (I/O: threads, per-host limits)."""
    return fetch_pages(runtime, items)


@dataclass
class Batch:
    """A batch's results as its task returns them: one object, not the bare list. Prefect links every element of
    a task's returned collection to the task's state, in a dict that lives as long as the flow run (~200 bytes an
    element: a 50,000-record backfill's flow kept 50,000 links, a million records would keep 200 MB); an object it
    links once (itself and its list: two links a batch)."""
    results: list[ItemResult]


@task(cache_policy=NO_CACHE, task_run_name="extract-tag-{batch_no}")
def extract_and_tag(items: list[dict[str, Any]], pages: list[Any], pool, batch_no: int) -> Batch:
    """Extract, fingerprint and tag a batch in the worker processes (CPU: both cores)."""
    return Batch(pool.run(items, pages))


@task(cache_policy=NO_CACHE, task_run_name="fetch-process-{batch_no}")
def fetch_and_process(items: list[dict[str, Any]], runtime: Runtime, pool, batch_no: int) -> Batch:
    started = time.perf_counter()
    # quote(): Prefect would otherwise walk every item, page body and the runtime's objects looking for futures
    # in the parameters (measured: seconds of the flow thread's time per 1,000 articles)
    pages = fetch_batch(quote(items), quote(runtime), batch_no)
    fetched = time.perf_counter()
    batch = extract_and_tag(quote(items), quote(pages), quote(pool), batch_no)
    if batch.results:
        batch.results[0].extra["t_fetch"] = fetched - started
        batch.results[0].extra["t_process_wall"] = time.perf_counter() - fetched
    return batch


def store_next(con, window: deque, clusterer: dedup.Clusterer, run_id: str, nlp_version: str,
               timings: dict[str, float], archive: warc.Archive | None = None) -> int:
    """Store the oldest batch in flight (``_store``); returns how many of its items were postponed."""
    return _store(con, window.popleft().result().results, clusterer, run_id, nlp_version, timings, archive)


def _store(con, results: list[ItemResult], clusterer: dedup.Clusterer, run_id: str, nlp_version: str,
           timings: dict[str, float], archive: warc.Archive | None = None) -> int:
    """Decide duplicates and clusters, then write the batch in one transaction (raw pages to ``archive``
    first, fsynced). Returns how many items were postponed (left pending for the next run)."""
    started = time.perf_counter()
    for r in results:
        timings["fetch"] += r.extra.get("t_fetch", 0.0)
        timings["extract"] += r.extra.get("t_extract", 0.0)
        timings["tag"] += r.extra.get("t_tag", 0.0)
    known = wh.known_content_hashes(con, [r.article["content_hash"] for r in results if r.article])
    seen_in_batch: dict[str, str] = {}
    articles, outcomes, mentions, claims, deals, candidates = [], [], [], [], [], []
    records: list[tuple[dict[str, Any], bytes]] = []
    postponed = 0
    for r in results:
        if r.outcome == "postponed":
            postponed += 1
            continue  # no outcome: the item stays pending for the next run
        if r.article is not None:
            h = r.article["content_hash"]
            original = known.get(h) or seen_in_batch.get(h)
            if original:
                r.outcome, r.reason = "skipped", "duplicate_content"
                r.detail = f"{r.item['url']}: same text as item {original}"
                r.article = None
            else:
                seen_in_batch[h] = r.item["item_id"]
                signature = r.extra["minhash"]
                r.article["cluster_id"] = clusterer.assign(r.item["item_id"], dedup.from_bytes(signature))
                r.article["minhash"] = signature
                r.article["nlp_version"] = nlp_version
                r.article.update(language_fields(r.tags))
                if r.item.get("ingest_source", "nightly") != "nightly":
                    # trend views count a backfilled article by its publication date (page metadata, else the
                    # sitemap's or the capture's date: build_article already chose), not by when we saw it
                    r.article["dated_at"] = r.article.get("published_at")
                if archive is not None and r.extra.get("warc_record"):
                    records.append((r.article, r.extra["warc_record"]))
                articles.append(r.article)
                rows = tag_rows(r.item["item_id"], r.tags or {}, nlp_version)
                mentions += rows["mentions"]
                claims += rows["claims"]
                deals += rows["deals"]
                candidates += rows["vendor_candidates"]
        outcomes.append({"item_id": r.item["item_id"], "run_id": run_id, "outcome": r.outcome,
                         "reason": r.reason, "detail": r.detail, "recorded_at": now()})
    with deferred():  # a stop waits for the batch's transaction, never interrupts it
        if records:  # durable before the transaction that points at them commits
            for (article, _), ref in zip(records, archive.append([rec for _, rec in records])):
                article.update(warc_file=ref.file, warc_offset=ref.offset, warc_length=ref.length)
        wh.store_batch(con, articles=articles, outcomes=outcomes, mentions=mentions, claims=claims, deals=deals,
                       vendor_candidates=candidates)
    timings["store"] += time.perf_counter() - started
    progress.advance("articles", len(results))
    return postponed


def batch_size_for(pending: int, batch_size: int, workers: int, min_size: int = 8) -> int:
    """At most ``batch_size``, but small enough that a short night gives every worker several
    batches: with few large batches, the last round leaves workers idle while one finishes."""
    rounds = 4
    return max(1, min(batch_size, max(min_size, -(-pending // (workers * rounds)))))


def _run_id() -> str:
    try:
        return str(get_run_context().flow_run.id)
    except Exception:  # called outside a flow run (tests of helpers)
        return str(uuid.uuid4())


def load_feed_specs(path: Path) -> list[dict[str, Any]]:
    """Feed list from an OPML file, as rows for the feeds table."""
    try:
        specs: list[FeedSpec] = parse_opml(Path(path).read_bytes())
    except FileNotFoundError:
        raise FileNotFoundError(f"feed list {path} not found: pass --feeds PATH or set SURVWATCH_FEEDS") from None
    except Exception as exc:
        raise ValueError(f"feed list {path} is not valid OPML: {exc}") from None
    return [{"url": s.url, "title": s.title, "html_url": s.html_url, "category": s.category} for s in specs]


@flow(name="nightly_ingest", task_runner=ThreadPoolTaskRunner(max_workers=16), log_prints=False)
def nightly_ingest(feeds_path: str | None = None, db_path: str | None = None,
                   settings: Settings | None = None) -> dict[str, Any]:
    """Fetch every feed, fetch and extract new articles, tag them, store them, publish the warehouse."""
    from nlp import NLP_VERSION

    s = settings or Settings()
    feeds_file = Path(feeds_path) if feeds_path else s.feeds
    db = Path(db_path) if db_path else s.db
    logger = get_run_logger()
    specs = load_feed_specs(feeds_file)
    run_id = _run_id()
    runtime = Runtime.create(s)
    pool = make_processor(s)  # local worker processes, or Dask (SURVWATCH_TASK_RUNNER)
    con = warehouse.open_for_writing(db, s.db_memory_mb)
    archive = warc.archive_for(db, run_id, s.warc_rotate_mb)
    counts: dict[str, Any] = {"feeds": 0, "feeds_failed": 0, "feeds_not_modified": 0,
                              "items_new": 0, "items_known": 0, "items_seen": 0}
    # Busy seconds per stage, summed over batches (stages overlap, so they don't add up to wall time).
    timings = {"feeds": 0.0, "fetch": 0.0, "extract": 0.0, "tag": 0.0, "store": 0.0}
    flow_started = time.perf_counter()
    status, message = "completed", None
    try:
        wh.start_run(con, run_id, "nightly_ingest", NLP_VERSION)
        warc.move_blobs_to_warc(con, archive)  # pre-008 warehouses: raw_html_gz blobs out, once
        feeds = wh.sync_feeds(con, specs)
        resting = [f for f in feeds if backed_off(f["consecutive_failures"], f["last_fetched_at"], now())]
        feeds = [f for f in feeds if f not in resting]
        if resting:
            logger.info("%d feeds skipped this run after repeated failures (see feed_health)", len(resting))
        counts["feeds"] = len(feeds)
        if wh.pending_items(con):  # left by a killed run: workers will be needed
            pool.warm()
        t0 = time.perf_counter()
        fetch_task = fetch_feed.with_options(retries=len(s.feed_retry_delays),
                                             retry_delay_seconds=list(s.feed_retry_delays) or 0)
        futures = [fetch_task.submit(f, quote(runtime), run_id) for f in feeds]
        progress.start("feeds", "feeds fetched", len(feeds))
        for feed, fut in zip(feeds, futures):
            outcome = _feed_outcome(feed, fut)
            progress.advance("feeds")
            items = outcome.items or []
            with deferred():
                new = wh.record_feed_fetch(con, run_id, feed["feed_id"], status=outcome.status,
                                           http_status=outcome.http_status, entries=outcome.entries,
                                           seconds=outcome.seconds, error=outcome.error, detail=outcome.detail,
                                           etag=outcome.etag, last_modified=outcome.last_modified,
                                           title=outcome.title, items=items)
            counts["items_new"] += new
            if new and not pool.started:
                pool.warm()  # load spaCy in the workers while the other feeds are fetched
            counts["items_known"] += len(items) - new
            counts["feeds_failed"] += outcome.status == "failed"
            counts["feeds_not_modified"] += outcome.status == "not_modified"
            if outcome.status == "failed":
                logger.info("feed failed: %s", outcome.detail)  # the run summary lists it

        timings["feeds"] = time.perf_counter() - t0
        pending = wh.pending_items(con)
        postponed = 0
        clusterer = dedup.Clusterer(s.dedup_threshold, s.dedup_max_signatures)
        for item_id, cluster_id, sig in wh.recent_minhashes(con, s.dedup_window_days, s.dedup_max_signatures):
            clusterer.add_known(item_id, cluster_id, sig)
        size = batch_size_for(len(pending), s.batch_size, s.workers)
        batches = [pending[i:i + size] for i in range(0, len(pending), size)]
        # Batches in flight = workers + 1: every worker busy while the next batch is fetched
        # and the finished one is stored. Memory stays bounded by the window, not by N.
        window: deque = deque()
        progress.start("articles", "articles processed", len(pending))
        for n, batch in enumerate(batches):
            window.append(fetch_and_process.submit(quote(batch), quote(runtime), quote(pool), n))
            if len(window) > s.workers:
                postponed += store_next(con, window, clusterer, run_id, NLP_VERSION, timings, archive)
        while window:
            postponed += store_next(con, window, clusterer, run_id, NLP_VERSION, timings, archive)
        counts["items_seen"] = len(pending) - postponed
        # keyword index + rollups behind the analyst views, once per run (its cost is per call)
        t0 = time.perf_counter()
        con = warehouse.reopen_for_writing(con, db, s.db_memory_mb)  # key indexes the storing loaded let go
        with deferred():
            search.index_pending(con)  # picks up every stored article not yet indexed
        timings["index"] = time.perf_counter() - t0
        if s.compact_every_days and wh.maintenance_due(con, "compact_search_index", s.compact_every_days):
            # postings are appended in article order; sorted by term, lookups skip most row groups
            t0 = time.perf_counter()
            with deferred():
                search.compact_index(con)
                timings["compact"] = time.perf_counter() - t0
                wh.maintenance_done(con, "compact_search_index", timings["compact"], run_id)
        notes = []
        if postponed:
            notes.append(f"{postponed} items postponed to the next run (robots.txt unavailable)")
        if resting:
            notes.append(f"{len(resting)} failing feeds backed off: " + ", ".join(f["url"] for f in resting[:5]))
        message = "; ".join(notes) or None
    except BaseException as exc:
        status, message = run_ending(exc, run_id, "; pending items are picked up by the next run")
        raise
    finally:
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
            t0 = time.perf_counter()
            warehouse.publish(db)
            timings["publish"] = time.perf_counter() - t0
    timings["wall"] = time.perf_counter() - flow_started
    report["timings"] = timings
    return report


def _feed_outcome(feed: dict[str, Any], future) -> FeedOutcome:
    try:
        return future.result()
    except TransientFetchError as exc:
        r = exc.result
        return FeedOutcome(feed, "failed", r.status, r.seconds, r.error, r.detail)
    except Exception as exc:  # a bug or hostile input in parsing: record it, keep the run going
        return FeedOutcome(feed, "failed", None, 0.0, "feed_error", f"{feed['url']}: {type(exc).__name__}: {exc}"[:500])


def __getattr__(name: str):
    # reprocess moved to flows/reprocess.py (another job than the nightly ingest); imported lazily because it
    # imports from this module
    if name == "reprocess":
        from .reprocess import reprocess

        return reprocess
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
