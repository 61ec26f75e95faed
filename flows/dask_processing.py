"""Extraction + tagging on a Dask cluster through Prefect's ``DaskTaskRunner``
(``SURVWATCH_TASK_RUNNER=dask``).

The default (``threads``) keeps the CPU work in local worker processes (workers.py). With
``dask`` each batch becomes a Prefect task run on a Dask worker: a ``distributed.LocalCluster``
of ``workers`` processes here, or any cluster a user already has (``SURVWATCH_DASK_ADDRESS``,
or ``SURVWATCH_DASK_CLUSTER_CLASS`` such as ``dask_kubernetes.operator.KubeCluster``). Feeds
and pages are still fetched by the flow's threads: the HTTP client, per-host limits and
robots cache live in this process, and only pages (bytes) travel to the workers.

What Dask cannot do that the local pool does: kill a task that runs too long (Dask runs
tasks in threads). So a batch that overruns its time limit is abandoned, not killed, and
its pages are retried one per task; the worker's ``memory_limit`` (Dask's nanny restarts a
worker that exceeds it) takes the place of the local pool's address-space limit.
"""
from __future__ import annotations

import contextvars
import logging
import threading
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from .pipeline import ItemResult, tag_texts
from .settings import Settings
from .workers import WorkerPool, process_batch


@task(cache_policy=NO_CACHE, task_run_name="extract-tag-dask-{batch_no}")
def extract_tag_on_dask(items: list[dict[str, Any]], pages: list[Any], settings: Settings,
                        batch_no: int) -> list[ItemResult]:
    """One batch on a Dask worker; the worker process keeps its spaCy tagger between batches."""
    return process_batch(items, pages, settings)


def _load_tagger(settings: Settings) -> None:
    tag_texts(settings, ["warm-up"])


def make_dask_runner(settings: Settings):
    """A ``DaskTaskRunner`` for ``settings``: an existing scheduler, a named cluster class, or a
    LocalCluster of ``workers`` single-threaded processes (spaCy and trafilatura hold the GIL)."""
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError:
        raise RuntimeError("SURVWATCH_TASK_RUNNER=dask needs prefect-dask: pip install 'survwatch[dask]'") from None
    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    if settings.dask_cluster_class:
        return DaskTaskRunner(cluster_class=settings.dask_cluster_class, cluster_kwargs=dict(settings.dask_cluster_kwargs))
    kwargs = {"n_workers": max(1, settings.workers), "threads_per_worker": 1, "processes": True,
              "dashboard_address": None, "silence_logs": logging.WARNING}
    if settings.worker_memory_mb:
        kwargs["memory_limit"] = f"{settings.worker_memory_mb}MiB"
    kwargs.update(settings.dask_cluster_kwargs)
    return DaskTaskRunner(cluster_class="distributed.LocalCluster", cluster_kwargs=kwargs)


class DaskProcessor:
    """Same interface as ``workers.WorkerPool`` (warm / run / close), backed by a DaskTaskRunner."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._runner = make_dask_runner(settings)
        self._entered = False
        self._lock = threading.Lock()
        self._batches = 0
        self._warming: list[Any] = []
        # Prefect context of the flow, captured in the flow's thread: see _submit
        self._flow_context = contextvars.copy_context()

    @property
    def started(self) -> bool:
        return self._entered

    def warm(self) -> None:
        """Start (or connect to) the cluster now, so it overlaps the feed stage."""
        with self._lock:
            if not self._entered:
                self._runner.__enter__()
                self._entered = True
                client = self._runner.client  # creates the cluster and client once, here, not in two threads
                # load spaCy on every worker now, while the flow fetches feeds (not inside the first batch);
                # the futures are kept so Dask does not cancel them, and nobody waits for them
                self._warming = [client.submit(_load_tagger, self.settings, workers=[addr], pure=False,
                                               allow_other_workers=False)
                                 for addr in client.scheduler_info().get("workers", {})]

    def _submit(self, items, pages):
        with self._lock:
            self._batches += 1
            n = self._batches
        # Submit in the flow's context, not the calling fetch task's: Prefect ships the current
        # task's context (its parameters: HTTP client, pools) to the worker, and those can't travel.
        # Each call runs in its own copy, as threads may submit at the same time.
        return self._flow_context.copy().run(
            self._runner.submit, extract_tag_on_dask,
            parameters={"items": items, "pages": pages, "settings": self.settings, "batch_no": n})

    def run(self, items: list[dict[str, Any]], pages: list[Any]) -> list[ItemResult]:
        if not items:
            return []
        self.warm()
        # +120: a fresh Dask worker imports the stack and loads spaCy inside its first task
        limit = self.settings.page_cpu_seconds * len(items) + 120
        try:
            return self._submit(items, pages).result(timeout=limit)
        except Exception:  # timed out, worker killed (memory), or a bug: isolate the culprit page by page
            pass
        futures = [self._submit([item], [page]) for item, page in zip(items, pages)]
        results = []
        for item, fut in zip(items, futures):
            try:
                results.extend(fut.result(timeout=self.settings.page_cpu_seconds + 120))
            except TimeoutError:
                results.append(ItemResult(item, "failed", "extract_timeout",
                                          f"{item['url']}: extraction/tagging on Dask exceeded "
                                          f"{self.settings.page_cpu_seconds:.0f}s"))
            except Exception as exc:  # the page crashed its task or killed its worker
                results.append(ItemResult(item, "failed", "extract_error",
                                          f"{item['url']}: extraction/tagging on Dask failed: "
                                          f"{type(exc).__name__}: {exc}"[:500]))
        return results

    def close(self) -> None:
        with self._lock:
            if self._entered:
                self._entered = False
                self._warming = []
                self._runner.__exit__(None, None, None)

    def abort(self) -> None:
        """A stopped run: Dask cannot kill a running task, so leave the cluster as ``close`` does."""
        self.close()


def make_processor(settings: Settings):
    """The extract/tag backend named by ``settings.task_runner``."""
    if settings.task_runner == "dask":
        return DaskProcessor(settings)
    return WorkerPool(settings)
