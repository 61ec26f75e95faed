"""A process pool that can be killed and replaced: the one mechanism behind bounded feed
parsing and the extract/tag workers (a hung or crashed job costs its worker processes,
never the run)."""
from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable


class RestartablePool:
    def __init__(self, workers: int, initializer: Callable[..., Any] | None = None, initargs: tuple = ()):
        self.workers = workers
        self._initializer, self._initargs = initializer, initargs
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    @property
    def started(self) -> bool:
        return self._pool is not None

    def get(self) -> ProcessPoolExecutor:
        """The live pool, started on first use."""
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    self.workers,
                    # forkserver: the parent has threads (Prefect, HTTP), which fork would copy mid-flight
                    mp_context=multiprocessing.get_context("forkserver"),
                    initializer=self._initializer,
                    initargs=self._initargs,
                )
            return self._pool

    def kill(self, pool: ProcessPoolExecutor) -> None:
        """Kill ``pool``'s processes (a timed-out job cannot be cancelled otherwise); the next
        ``get()`` starts a fresh pool. Safe when another thread already replaced it."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        for proc in list(getattr(pool, "_processes", {}).values()):
            try:
                proc.kill()
            except OSError:
                pass
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
