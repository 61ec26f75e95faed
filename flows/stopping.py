"""Stopping a run on SIGTERM / SIGINT / SIGHUP: the run is recorded as ``stopped`` and the command says so in one line.

A signal handler in the main thread raises ``RunStopped`` wherever the command is. Inside a flow run Prefect installs
its own SIGTERM handler, which raises ``TerminationSignal`` and, once its engine has recorded the crash, sends the
signal again to our handler. Either way the flow's ``finally`` records the run, closes the warehouse and publishes it,
and the command exits with 128 + the signal number (as a shell reports a process ended by that signal). Batches
already stored stay; items without an outcome are picked up by the next run, exactly as after a SIGKILL.
"""
from __future__ import annotations

import contextlib
import signal
import threading
from typing import Iterator

import duckdb

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
_stopped_runs: list[str] = []


class RunStopped(BaseException):
    """Raised in the main thread when a stop signal arrives (a BaseException, like KeyboardInterrupt, so that no
    ``except Exception`` on the way records it as an ordinary failure)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.signal_name = signal.Signals(signum).name
        super().__init__(f"stopped by {self.signal_name}")

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _termination_signal() -> type[BaseException]:
    from prefect.exceptions import TerminationSignal

    return TerminationSignal


STOP_EXCEPTIONS: tuple[type[BaseException], ...] = (RunStopped, KeyboardInterrupt, _termination_signal())


def stop_reason(exc: BaseException) -> str:
    signum = getattr(exc, "signum", None) or getattr(exc, "signal", None) or signal.SIGINT
    return f"stopped by {signal.Signals(signum).name}"


def run_ending(exc: BaseException, run_id: str, stopped_hint: str) -> tuple[str, str]:
    """(status, message) for ``runs`` when a flow ends by ``exc``: ``stopped`` by a stop signal (noted for the
    command's one line; ``stopped_hint`` says what to do, e.g. "; run it again to finish"), else ``failed`` with the
    exception. Shared by every flow's ``except BaseException`` so they record a stop the same way."""
    if isinstance(exc, STOP_EXCEPTIONS):
        note_stopped(run_id)
        return "stopped", f"{stop_reason(exc)}{stopped_hint}"
    if isinstance(exc, duckdb.OutOfMemoryException):
        # what is stored stays stored; the run's memory cap is the setting to change
        return "failed", (f"DuckDB ran out of memory: {str(exc).splitlines()[0]}; raise SURVWATCH_DB_MEMORY_MB "
                          f"(the writing connection's memory_limit){stopped_hint}")[:1000]
    return "failed", f"{type(exc).__name__}: {exc}"[:1000]


def note_stopped(run_id: str) -> None:
    """The flow recorded ``run_id`` as stopped (the command names it)."""
    _stopped_runs.append(run_id)


def stopped_run() -> str | None:
    return _stopped_runs[-1] if _stopped_runs else None


class _DropCrashOnStop:
    """Prefect's engine logs "Crash detected! Execution was aborted by a termination signal" when a flow is stopped;
    the command says that itself, in one line."""

    def filter(self, record) -> bool:
        return "termination signal" not in record.getMessage() and "KeyboardInterrupt" not in record.getMessage()


@contextlib.contextmanager
def deferred(signals: tuple[int, ...] = STOP_SIGNALS) -> Iterator[None]:
    """Hold stop signals while the block runs (a warehouse transaction): DuckDB checks Python's signal handlers
    while it works and aborts the statement when one raises, which once turned a clean stop during a COMMIT into
    "Query interrupted". A signal that arrives meanwhile is delivered again, to whichever handler was installed
    (ours or Prefect's), as soon as the block ends."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = {s: signal.signal(s, lambda signum, frame: pending.append(signum)) for s in signals}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
        if pending:
            signal.raise_signal(pending[0])


@contextlib.contextmanager
def stop_on_signals(signals: tuple[int, ...] = STOP_SIGNALS) -> Iterator[None]:
    """Within the block, the first stop signal raises RunStopped; later ones are ignored so that the cleanup it
    starts is not itself interrupted. Outside the main thread this does nothing (only it can handle signals)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        for s in signals:
            signal.signal(s, signal.SIG_IGN)
        raise RunStopped(signum)

    import logging

    quiet = _DropCrashOnStop()
    logging.getLogger("prefect.flow_runs").addFilter(quiet)
    previous = {s: signal.signal(s, handler) for s in signals}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
        logging.getLogger("prefect.flow_runs").removeFilter(quiet)
