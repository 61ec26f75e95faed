"""What a newcomer meets first: `survwatch demo` from an empty directory, with nothing configured."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows import progress

SURVWATCH = Path(sys.executable).with_name("survwatch")


@pytest.mark.e2e
def test_demo_from_an_empty_directory_with_nothing_configured(tmp_path):
    """The installed command, not the source tree; no data/ folder, no PREFECT_* or SURVWATCH_* settings."""
    assert SURVWATCH.is_file(), f"{SURVWATCH} missing: install the project into this interpreter's env"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SURVWATCH_"))}
    env["HOME"] = str(tmp_path / "home")  # nothing from the developer's ~/.prefect either
    work = tmp_path / "empty"
    work.mkdir()
    done = subprocess.run([str(SURVWATCH), "demo"], cwd=work, env=env, capture_output=True, text=True, timeout=600)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-4000:]
    assert "Traceback" not in out and "Warning" not in out and "WARNING" not in out, out[-4000:]
    assert (work / "data" / "prefect").is_dir()  # Prefect's home, created with its parents
    assert list((work / "data" / "digests").glob("digest-*.html")), out[-2000:]
    con = duckdb.connect(str(work / "data" / "demo.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (24,)
    assert con.execute("SELECT status FROM runs").fetchall() == [("completed",)]
    con.close()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal():
    stream = _Terminal()
    with progress.show_on_terminal(stream) as shown:
        progress.start("articles", "articles processed", 10)
        progress.advance("articles", 4)
    assert shown and "articles processed" in stream.getvalue()


def test_progress_is_silent_under_cron_or_a_pipe():
    stream = io.StringIO()  # not a terminal
    with progress.show_on_terminal(stream) as shown:
        progress.start("articles", "articles processed", 10)
        progress.advance("articles", 4)
    assert not shown and stream.getvalue() == ""


def test_a_stop_signal_waits_for_the_transaction_then_arrives():
    """flows.stopping.deferred holds SIGTERM during a warehouse write and delivers it right after."""
    import signal

    from flows.stopping import RunStopped, deferred, stop_on_signals

    order = []
    with pytest.raises(RunStopped):
        with stop_on_signals():
            with deferred():
                signal.raise_signal(signal.SIGTERM)
                order.append("transaction finished")
            order.append("not reached")
    assert order == ["transaction finished"]


def test_a_run_out_of_duckdb_memory_names_the_setting_to_raise():
    """A run that ran out of DuckDB memory is recorded as failed with what to change, not a bare exception."""
    import duckdb

    from flows.stopping import run_ending

    exc = duckdb.OutOfMemoryException("Out of Memory Error: failed to allocate data of size 8.0 MiB "
                                      "(115.7 MiB/122.0 MiB used)\n\nPossible solutions: ...")
    status, message = run_ending(exc, "run-1", "; run the same backfill again to finish it")
    assert status == "failed"
    assert "SURVWATCH_DB_MEMORY_MB" in message and "115.7 MiB/122.0 MiB used" in message
    assert message.endswith("run the same backfill again to finish it") and "Possible solutions" not in message
