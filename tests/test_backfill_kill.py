"""SIGKILL in the middle of `survwatch backfill --warc`, then the same command again: whole batches only, every record
ends with exactly one outcome, nothing twice, and every stored article points at a readable archived page."""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from io import BytesIO

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.test_backfill import article

pytestmark = pytest.mark.e2e

N = 60


def test_sigkill_mid_backfill_then_rerun(tmp_path):
    from flows import warc

    src = tmp_path / "big.warc.gz"
    bodies = {}
    with open(src, "wb") as f:
        w = WARCWriter(f, gzip=True)
        for i in range(N):
            url = f"https://archive.example/k/{i}"
            bodies[url] = article(100 + i)
            w.write_record(w.create_warc_record(
                url, "response", payload=BytesIO(bodies[url]),
                http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": (dt.datetime(2020, 1, 1) + dt.timedelta(days=i)).strftime("%Y-%m-%dT%H:%M:%SZ")}))
    db = tmp_path / "wh.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update({"PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "SURVWATCH_BATCH_SIZE": "2", "SURVWATCH_WORKERS": "1", "SURVWATCH_MIN_ARTICLE_WORDS": "20"})
    cmd = [sys.executable, "-m", "flows.cli", "backfill", "--warc", str(src), "--db", str(db)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    archive_dir = tmp_path / "warc"
    deadline = time.monotonic() + 240
    try:  # kill once a few batches are archived (so stored, or about to be): mid-run
        while time.monotonic() < deadline and proc.poll() is None:
            written = sum(p.stat().st_size for p in archive_dir.glob("*.warc.gz")) if archive_dir.exists() else 0
            if written > 6 * 1500:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the backfill finished before it could be killed: " + proc.stderr.read().decode()[-2000:]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=400)
    assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr[-3000:]
    assert "Traceback" not in rerun.stdout + rerun.stderr

    con = duckdb.connect(str(db), read_only=True)
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    try:
        assert q("SELECT count(*), count(DISTINCT canonical_url) FROM items") == [(N, N)]
        assert q("SELECT count(*), count(DISTINCT item_id) FROM outcomes") == [(N, N)]
        assert q("SELECT count(*) FROM articles") == [(N,)]
        assert q("SELECT count(*) FROM mentions ANTI JOIN articles USING (item_id)") == [(0,)]
        runs = q("SELECT status, items_new, items_known, items_seen, stored FROM runs ORDER BY started_at")
        assert [r[0] for r in runs] == ["crashed", "completed"]
        # the rerun skipped what the killed run had stored and finished the rest
        _, new, known, seen, stored = runs[1]
        assert 0 < known < N and seen == stored == N - known and new + known <= N
        rows = q("SELECT i.url, a.warc_file, a.warc_offset, a.warc_length FROM articles a JOIN items i USING (item_id)")
    finally:
        con.close()
    for url, file, offset, length in rows:
        assert warc.read_record(tmp_path, file, offset, length)[1] == bodies[url]
