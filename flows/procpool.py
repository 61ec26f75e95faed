"""A process pool that can be killed and replaced: the one mechanism behind bounded feed
parsing and the extract/tag workers (a hung or crashed job costs its worker processes,
never the run)."""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable


def _start_time(pid: int) -> str | None:
    """The kernel's start time of ``pid`` (field 22 of /proc/PID/stat), so a reused pid is not mistaken for it."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return None


def _watch_owner(owner: int, started: str | None, interval: float) -> None:
    while True:
        time.sleep(interval)
        if _start_time(owner) != started:
            os._exit(70)  # the run that owns us is gone (killed): nobody will ever read our results


def _tied_initializer(owner: int, started: str | None, initializer: Callable[..., Any] | None, initargs: tuple,
                      interval: float = 1.0) -> None:
    """Runs first in every worker. A worker's parent is the forkserver, not the run, and a killed run leaves its
    workers blocked forever on a task queue that their siblings keep open (seen: whole pools with spaCy loaded
    surviving a SIGKILL). So each worker dies with its forkserver (PR_SET_PDEATHSIG) and watches the run's pid."""
    from .prefect_runtime import die_with_parent

    die_with_parent(signal.SIGKILL)
    # SIGINT goes to the whole foreground process group on Ctrl-C; the run decides what its workers do
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if started is not None:
        threading.Thread(target=_watch_owner, args=(owner, started, interval), daemon=True,
                         name="watch-owner").start()
    if initializer is not None:
        initializer(*initargs)


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
                    initializer=_tied_initializer,
                    initargs=(os.getpid(), _start_time(os.getpid()), self._initializer, self._initargs),
                )
            return self._pool

    def kill(self, pool: ProcessPoolExecutor) -> None:
        """Kill ``pool``'s processes (a timed-out job cannot be cancelled otherwise); the next
        ``get()`` starts a fresh pool. Safe when another thread already replaced it."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        # a pool another thread already killed has shut down, and shutdown leaves ``_processes`` None
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
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

    def abort(self) -> None:
        """Kill the workers now, without waiting for the batch they hold (a stopped run)."""
        with self._lock:
            pool = self._pool
        if pool is not None:
            self.kill(pool)
