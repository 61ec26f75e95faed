"""SIGKILL or SIGTERM in the middle of a run, then a re-run: whole batches only, nothing lost, nothing twice, and
no process of the first run left behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

pytestmark = pytest.mark.e2e

N = 40
WORDS = ("surveillance camera contract police city council data privacy vendor network "
         "facial recognition system footage retention court oversight budget").split()


def page(i: int) -> bytes:
    paras = "".join(
        f"<p>Story {i}, part {p}: " + " ".join(WORDS[(i * 7 + p * 3 + k) % len(WORDS)] for k in range(60)) + ".</p>"
        for p in range(4))
    return f"<html><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>{paras}</article></body></html>".encode()


class SlowWeb:
    """Serves N article pages, each after a delay, so a run spends seconds in the article stage."""

    def __init__(self, delay: float):
        self.delay = delay
        self.served = 0
        web = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                if self.path == "/feed.rss":
                    items = "".join(f"<item><title>Story {i}</title><link>{web.base}/a/{i}</link><guid>s{i}</guid></item>"
                                    for i in range(N))
                    body = f"<?xml version='1.0'?><rss version='2.0'><channel><title>slow</title>{items}</channel></rss>".encode()
                elif self.path.startswith("/a/"):
                    time.sleep(web.delay)
                    web.served += 1
                    body = page(int(self.path.rsplit("/", 1)[1]))
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _session_processes(sid: int) -> list[str]:
    """Processes still in session ``sid`` (orphans keep their session when re-parented to init)."""
    left = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            if int(fields[3]) == sid and fields[0] != b"Z":  # field 6 of stat: session id
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    left.append(f"{entry}: {f.read().replace(bytes(1), b' ').decode(errors='replace')[:120]}")
        except (OSError, IndexError, ValueError):
            continue
    return left


def _start_run(tmp_path, web):
    opml = tmp_path / "feeds.opml"
    opml.write_text(f"<opml version='2.0'><body><outline text='slow' xmlUrl='{web.base}/feed.rss'/></body></opml>")
    db = tmp_path / "wh.duckdb"
    # a clean Prefect environment: not the test harness's server, its own temporary one
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update({"PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "SURVWATCH_ALLOWED_HOSTS": web.base.removeprefix("http://"),
           "SURVWATCH_PER_HOST_DELAY": "0", "SURVWATCH_PER_HOST": "2", "SURVWATCH_BATCH_SIZE": "4",
           "SURVWATCH_MIN_ARTICLE_WORDS": "20"})
    cmd = [sys.executable, "-m", "flows.cli", "run", "--feeds", str(opml), "--db", str(db)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 240
    while web.served < 14 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    if proc.poll() is not None or web.served < 14:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("the run never reached the article stage: " + proc.stderr.read().decode()[-3000:])
    return proc, cmd, env, db


def _rerun_and_check(web, cmd, env, db, first_status: str):
    web.delay = 0
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    web.close()
    assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr[-3000:]
    # never a traceback on the user's terminal (Prefect's temporary server included)
    assert "Traceback" not in rerun.stdout + rerun.stderr, rerun.stderr[-3000:]

    con = duckdb.connect(str(db), read_only=True)
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    assert q("SELECT count(*), count(DISTINCT canonical_url) FROM items") == [(N, N)]
    assert q("SELECT count(*) FROM outcomes") == [(N,)]
    assert q("SELECT count(*) FROM items ANTI JOIN outcomes USING (item_id)") == [(0,)]
    assert q("SELECT count(*) FROM articles") == q("SELECT count(*) FROM outcomes WHERE outcome = 'stored'")
    # whole batches only: every stored article has its outcome, every mention its article
    assert q("SELECT count(*) FROM mentions ANTI JOIN articles USING (item_id)") == [(0,)]
    runs = q("SELECT status, items_seen, stored + skipped + failed FROM runs ORDER BY started_at")
    assert [r[0] for r in runs] == [first_status, "completed"]
    # the re-run handled the items the first run had not finished, and the books balance
    seen, decided = runs[1][1], runs[1][2]
    assert seen == decided and 0 < seen < N
    con.close()


def test_sigkill_leaves_no_process_behind_then_rerun(tmp_path):
    """SIGKILL to the run alone (as the OOM killer does): its workers, forkserver, resource tracker and Prefect
    server notice and end; the next run marks it crashed and finishes its items."""
    web = SlowWeb(delay=0.4)
    proc, cmd, env, db = _start_run(tmp_path, web)
    try:
        assert len(_session_processes(proc.pid)) >= 4  # run, Prefect server, forkserver, workers …
        proc.kill()
        proc.wait(timeout=30)
        deadline = time.monotonic() + 20
        while _session_processes(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _session_processes(proc.pid) == []
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _rerun_and_check(web, cmd, env, db, "crashed")


def test_sigterm_is_a_recorded_stop_then_rerun(tmp_path):
    """SIGTERM to the whole service (systemctl stop): one line, exit 143, the run recorded as stopped, no
    traceback, no process left; the next run finishes its items with nothing twice."""
    web = SlowWeb(delay=0.4)
    proc, cmd, env, db = _start_run(tmp_path, web)
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        out, errs = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    text = out.decode() + errs.decode()
    assert proc.returncode == 143, text[-3000:]
    assert "Traceback" not in text and "ERROR" not in text, text[-3000:]
    assert "stopped by SIGTERM" in text and len(errs.decode().strip().splitlines()) <= 2, text[-3000:]
    deadline = time.monotonic() + 20
    while _session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _session_processes(proc.pid) == []
    _rerun_and_check(web, cmd, env, db, "stopped")
