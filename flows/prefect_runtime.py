"""Prefect's environment for one survwatch process, and a temporary API server tied to it.

Why this module exists:

- Prefect reads its settings when it is first imported and creates ``PREFECT_HOME`` without its parents. A relative
  home (``data/prefect`` in ``pyproject.toml``) failed in every fresh clone, where ``data/`` does not exist, and in
  any other working directory. ``configure`` sets an absolute home under the data folder, parents created, before
  Prefect is imported.
- Without a configured Prefect server, Prefect starts a temporary one in a subprocess of its own. That subprocess
  outlived a killed run (SIGKILL, the OOM killer) and died first on a ``systemctl stop`` (SIGTERM to the whole
  service), so the run's last state reports failed with tracebacks. ``TiedServer`` starts the same server (Prefect's
  app under uvicorn) as ``python -m flows.prefect_runtime``, which asks Linux to kill it when its parent dies
  (``PR_SET_PDEATHSIG``) and ignores SIGTERM/SIGINT, so the run it serves decides when it ends.
"""
from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask the kernel to send ``sig`` to this process when the thread that forked it ends (Linux; a no-op
    elsewhere). Survives exec, so it also covers a process that execs Python."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):
        pass


def prefect_home(data_dir: Path) -> Path:
    """``PREFECT_HOME`` when set, else ``DATA_DIR/prefect``; absolute, created with its parents."""
    home = Path(os.environ.get("PREFECT_HOME") or Path(data_dir) / "prefect").expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home


def configure(data_dir: Path) -> None:
    """Offline, quiet Prefect with an absolute home, unless the user configured otherwise. Call before Prefect is
    imported (it reads these once)."""
    if "prefect.settings" in sys.modules and "PREFECT_HOME" not in os.environ:
        # a bug of ours, not the user's: the settings below would be ignored and the home relative
        raise RuntimeError("flows.prefect_runtime.configure() must run before Prefect is imported")
    os.environ["PREFECT_HOME"] = str(prefect_home(data_dir))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # The temporary server's own log is not for the user's terminal: our run record is in the warehouse.
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
    # the temporary server can take longer than Prefect's 20 s default on a busy 2-core machine
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    # Task failures are all recorded as outcomes and summarised by the flow; Prefect's own traceback for a
    # retried-then-failed feed fetch would only alarm the reader.
    os.environ.setdefault("PREFECT_LOGGING_LOGGERS_PREFECT_TASK_RUNS_LEVEL", "CRITICAL")


def start_temporary_server() -> "object | None":
    """Spawn Prefect's temporary API server tied to this process, unless a server is configured
    (``PREFECT_API_URL``, as under ``survwatch serve``). Returns at once: the server boots while the caller imports
    the pipeline, and Prefect's first API call waits for it. Call from the main thread (the parent-death signal
    is tied to the thread that spawns the server)."""
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    if settings.api.url or not settings.server.ephemeral.enabled:
        return None
    server = tied_server()
    server.spawn()
    return server


def _tied_server_class():
    from prefect.server.api.server import SubprocessASGIServer

    class TiedServer(SubprocessASGIServer):
        """Prefect's temporary server, registered where Prefect looks for it (the port-less singleton), started as
        our own child that dies with us."""

        def spawn(self) -> None:
            with _PROCESS_LOCK:
                if self.server_process is None:
                    if self.port is None:
                        self.port = self.find_available_port()
                    self.server_process = self._run_uvicorn_command()

        def start(self, timeout: int | None = None) -> None:
            if self.running:
                return
            import httpx
            from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

            self.spawn()
            deadline = time.monotonic() + (timeout or PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
            with httpx.Client() as client:
                while time.monotonic() < deadline:
                    code = self.server_process.poll()
                    if code == 3:  # the port was taken meanwhile: another one
                        self.server_process, self.port = None, None
                        self.spawn()
                        continue
                    if code is not None:
                        raise RuntimeError(f"Prefect's temporary server exited with code {code} while starting; "
                                           f"PREFECT_HOME={os.environ.get('PREFECT_HOME')}")
                    try:
                        if client.get(f"{self.api_url}/health").status_code == 200:
                            self.running = True
                            return
                    except httpx.TransportError:
                        pass
                    time.sleep(0.1)
            raise RuntimeError("Timed out waiting for Prefect's temporary server; raise "
                               "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS on a slow machine")

        def _run_uvicorn_command(self) -> subprocess.Popen:
            from prefect.settings import get_current_settings

            env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
                   "PREFECT__SERVER_FINAL": "1",
                   **get_current_settings().to_environment_variables(exclude_unset=True)}
            return subprocess.Popen([sys.executable, "-m", "flows.prefect_runtime", "--port", str(self.port),
                                     "--parent", str(os.getpid())], env=env)

        def stop(self) -> None:
            # It ignores SIGTERM by design: end it with SIGKILL (its database is SQLite, safe against that).
            proc, self.server_process = self.server_process, None
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
            self.running = False

    return TiedServer


_SPAWN_LOCK = threading.Lock()
_PROCESS_LOCK = threading.Lock()
_TIED: dict[str, object] = {}


def tied_server():
    """The one TiedServer of this process, registered under Prefect's port-less key so that every
    ``SubprocessASGIServer()`` call inside Prefect gets it instead of starting an untied server."""
    from prefect.server.api.server import SubprocessASGIServer

    with _SPAWN_LOCK:
        server = _TIED.get("server")
        if server is None:
            import atexit

            cls = _tied_server_class()
            server = object.__new__(cls)
            cls.__init__(server, None)
            _TIED["server"] = server
            # registered before Prefect's own exit handlers run their registration, so it runs after them
            # (atexit is LIFO): the events Prefect flushes at exit still find the server
            atexit.register(server.stop)
        current = SubprocessASGIServer._instances.get(None)
        if current is not server and (current is None or not current.running):
            SubprocessASGIServer._instances[None] = server
        return server




def _serve(port: int, parent: int) -> None:
    """The server process: Prefect's API app under uvicorn, killed with its parent, deaf to SIGTERM/SIGINT."""
    die_with_parent(signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        return
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import uvicorn

    config = uvicorn.Config("prefect.server.api.server:create_app", factory=True, host="127.0.0.1", port=port,
                            log_level="error", lifespan="on")
    server = uvicorn.Server(config)
    server.capture_signals = contextlib.nullcontext  # keep our SIG_IGN: the parent ends us
    try:
        server.run()
    except SystemExit as exc:
        raise SystemExit(exc.code) from None
    if not server.started:
        sys.exit(3)  # as uvicorn does when the port is taken: the parent picks another


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Prefect's temporary API server for one survwatch run.")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--parent", type=int, required=True)
    args = ap.parse_args(argv)
    _serve(args.port, args.parent)


if __name__ == "__main__":
    main()
