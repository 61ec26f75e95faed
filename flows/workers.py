"""CPU work (extraction + tagging) in worker processes: both cores busy, hostile pages contained.

trafilatura and spaCy are pure-Python/Cython CPU work that threads cannot parallelise, and
a pathological page (deeply nested or enormous HTML) must not hang or exhaust the run. So
each batch goes to a pool of worker processes that load the tagger once, run under an
address-space limit, and are killed and replaced when a batch overruns its time limit;
the pages of such a batch are then retried one at a time so only the culprit fails.
"""
from __future__ import annotations

import time
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from . import dedup
from .procpool import RestartablePool
from .pipeline import ItemResult, build_article, tag_texts
from .settings import Settings

_settings: Settings | None = None


def _init_worker(settings: Settings, memory_mb: int) -> None:
    global _settings
    _settings = settings
    if memory_mb > 0:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # load spaCy now, not inside the first batch's time limit
    tag_texts(settings, ["warm-up"])


def _noop() -> None:
    return None


def process_batch(items: list[dict[str, Any]], pages: list[Any], settings: Settings | None = None) -> list[ItemResult]:
    """Extract, fingerprint and tag one batch. Runs in a worker (or inline with ``settings``)."""
    s = settings or _settings
    results = []
    for item, page in zip(items, pages):
        started = time.perf_counter()
        try:
            results.append(build_article(item, page, s.min_article_words))
        except MemoryError:
            results.append(ItemResult(item, "failed", "extract_memory", f"{item['url']}: page exhausted the worker's memory limit"))
        results[-1].extra["t_extract"] = time.perf_counter() - started
    stored = [r for r in results if r.article is not None]
    for r in stored:
        text = r.article["text"]
        r.article["content_hash"] = dedup.content_hash(text)
        r.extra["minhash"] = dedup.to_bytes(dedup.minhash(text))
    for r in stored:
        if len(r.article["text"]) > s.max_tag_chars:
            r.detail = f"{r.item['url']}: {len(r.article['text'])} characters; tagged the first {s.max_tag_chars}"
    started = time.perf_counter()
    try:
        for r, t in zip(stored, tag_texts(s, [r.article["text"][: s.max_tag_chars] for r in stored],
                                          [r.article.get("language") for r in stored])):
            r.tags = t
            r.extra["t_tag"] = 0.0
    except Exception:  # one bad text must not sink its batch: tag one by one, fail only the culprit
        for r in stored:
            try:
                r.tags = tag_texts(s, [r.article["text"][: s.max_tag_chars]], [r.article.get("language")])[0]
            except Exception as exc:
                reason = "tag_memory" if isinstance(exc, MemoryError) else "tag_error"
                r.outcome, r.reason, r.article = "failed", reason, None
                r.detail = f"{r.item['url']}: tagging failed: {type(exc).__name__}: {exc}"[:500]
    if results:
        results[0].extra["t_tag"] = time.perf_counter() - started  # batch tagging time, booked once
    return results


class WorkerPool:
    """A process pool for ``process_batch`` with per-batch time limits."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.workers = max(1, settings.workers)
        self._procs = RestartablePool(self.workers, _init_worker, (settings, settings.worker_memory_mb))

    @property
    def started(self) -> bool:
        return self._procs.started

    def warm(self) -> None:
        """Start the workers now (loading spaCy takes seconds) so it overlaps the feed stage."""
        pool = self._procs.get()
        for _ in range(self.workers):
            pool.submit(_noop)

    def run(self, items: list[dict[str, Any]], pages: list[Any]) -> list[ItemResult]:
        if not items:
            return []
        limit = self.settings.page_cpu_seconds * len(items) + 30  # +30: a cold worker loads spaCy
        outcome = self._attempt(items, pages, limit)
        if outcome is not None:
            return outcome
        # The batch overran or crashed a worker: retry page by page so only the culprit fails.
        results = []
        for item, page in zip(items, pages):
            single = self._attempt([item], [page], self.settings.page_cpu_seconds + 30)
            results.extend(single if single is not None else [ItemResult(
                item, "failed", "extract_timeout",
                f"{item['url']}: extraction/tagging exceeded {self.settings.page_cpu_seconds:.0f}s or crashed its worker")])
        return results

    def _attempt(self, items, pages, limit: float) -> list[ItemResult] | None:
        pool = self._procs.get()
        try:
            future = pool.submit(process_batch, items, pages)
        except (BrokenProcessPool, RuntimeError):
            self._procs.kill(pool)
            pool = self._procs.get()
            future = pool.submit(process_batch, items, pages)
        try:
            return future.result(timeout=limit)
        except (FutureTimeout, BrokenProcessPool):
            self._procs.kill(pool)
        except Exception:  # unexpected error inside the worker: isolate it page by page
            pass
        return None

    def close(self) -> None:
        self._procs.close()

    def abort(self) -> None:
        """A stopped run: kill the workers; their batch is not stored and its items stay pending."""
        self._procs.abort()
