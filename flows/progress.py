"""Progress of a run on a terminal (feeds fetched, articles processed, rate, time left), silent elsewhere.

The flows call the module-level functions (``start``, ``advance``); they do nothing unless a command has installed a
display with ``show_on_terminal``, which it does only when standard error is a terminal. Under cron, systemd or a
pipe the output stays the run summary alone.
"""
from __future__ import annotations

import contextlib
import sys
import threading
from typing import Iterator

_lock = threading.Lock()
_display = None  # a rich Progress while a command shows one
_tasks: dict[str, int] = {}


def start(stage: str, description: str, total: int) -> None:
    """A stage of ``total`` steps begins (``total`` 0 = nothing to show)."""
    with _lock:
        if _display is None or total <= 0:
            return
        if stage in _tasks:
            _display.update(_tasks[stage], total=total, completed=0, description=description)
        else:
            _tasks[stage] = _display.add_task(description, total=total)


def advance(stage: str, steps: int = 1) -> None:
    with _lock:
        if _display is not None and stage in _tasks:
            _display.advance(_tasks[stage], steps)


@contextlib.contextmanager
def show_on_terminal(stream=None) -> Iterator[bool]:
    """Show progress bars on ``stream`` (default stderr) while the block runs, if it is a terminal."""
    global _display
    stream = stream or sys.stderr
    if not getattr(stream, "isatty", lambda: False)():
        yield False
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TaskProgressColumn,
                               TextColumn, TimeRemainingColumn)
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task) -> Text:  # steps per second over the stage so far
            speed = task.finished_speed or task.speed
            return Text(f"{speed:5.1f}/s" if speed else "    -/s")

    bars = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                    Rate(), TimeRemainingColumn(), console=Console(file=stream), transient=True)
    with _lock:
        _display = bars
        _tasks.clear()
    try:
        with bars:
            yield True
    finally:
        with _lock:
            _display = None
            _tasks.clear()
