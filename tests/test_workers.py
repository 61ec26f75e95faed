"""flows/workers.py: a batch goes through a worker process and comes back whole, in order, with its outcomes."""
from __future__ import annotations

import os
from concurrent.futures.process import BrokenProcessPool

import pytest

from flows.fetch import FetchResult
from flows.pipeline import ItemResult
from flows.procpool import RestartablePool
from flows.settings import Settings
from flows.workers import WorkerPool

PAGE = ("<html><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>"
        + "<p>Story {i}: the city council of Quito approved the purchase of {i} cameras from Hikvision, officials said "
          "on Tuesday, and residents asked who would see the recordings and for how long they would be kept.</p>" * 4
        + "</article></body></html>")


def test_a_batch_comes_back_whole_and_in_order():
    items = [{"item_id": f"i{i}", "url": f"http://127.0.0.1:9/a/{i}", "canonical_url": f"http://127.0.0.1:9/a/{i}"}
             for i in range(10)]
    pages = [FetchResult(url=it["url"], status=200, headers={"content-type": "text/html"},
                         body=PAGE.format(i=i).encode()) for i, it in enumerate(items)]
    pages[3] = FetchResult(url=items[3]["url"], status=404, error="http_404", detail="gone")
    pool = WorkerPool(Settings(workers=2, min_article_words=10))
    try:
        results = pool.run(items, pages)
    finally:
        pool.close()
    assert [r.item["item_id"] for r in results] == [it["item_id"] for it in items]
    assert results[3].outcome == "failed" and results[3].reason == "http_404"
    stored = [r for r in results if r.outcome == "stored"]
    assert len(stored) == 9
    assert all(r.tags and "Hikvision" in r.tags["vendors"] for r in stored)
    assert all(f"Story {r.item['item_id'][1:]}:" in r.article["text"] for r in stored)


def test_a_broken_pool_can_be_killed_by_every_batch_that_saw_it_break():
    """Two batches in flight when a worker dies both get BrokenProcessPool and both kill the pool: the second
    kill meets a pool already shut down (its process table gone) and must still hand over a fresh pool."""
    rp = RestartablePool(1)
    pool = rp.get()
    futures = [pool.submit(os._exit, 1), pool.submit(abs, -1)]
    for future in futures:
        with pytest.raises(BrokenProcessPool):
            future.result(timeout=60)
    rp.kill(pool)
    rp.kill(pool)
    try:
        assert rp.get() is not pool
        assert rp.get().submit(abs, -2).result(timeout=60) == 2
    finally:
        rp.close()


class _FakePool:
    """Stands in for the worker pool: a batch of 64 results without extraction or tagging."""

    def run(self, items, pages):
        return [ItemResult(it, "failed", "http_404", "gone") for it in items]


def test_a_batch_costs_the_flow_run_two_result_links_not_one_per_item(prefect_harness):
    """Prefect keeps, for the whole flow run, a link from every element of a task's returned collection to the
    task's state: returned as a bare list, a backfill's flow process grew by ~200 bytes a record. Batch is one
    object: two links a batch (it and its list), however many items it holds."""
    from prefect import flow
    from prefect.context import FlowRunContext
    from prefect.utilities.annotations import quote

    from flows.ingest import extract_and_tag

    @flow
    def run_batches() -> tuple[int, int, int]:
        items = [{"item_id": f"i{i}", "url": f"http://127.0.0.1:9/{i}"} for i in range(64)]
        links = [len(FlowRunContext.get().run_results)]
        for n in range(3):
            batch = extract_and_tag.submit(quote(items), quote([None] * 64), quote(_FakePool()), n).result()
            assert len(batch.results) == 64
            links.append(len(FlowRunContext.get().run_results))
        return links[0], links[-1], len(batch.results)

    before, after, size = run_batches()
    assert size == 64
    assert after - before <= 2 * 3
