"""A loopback web server for the bundled sample web (demo and tests; no internet needed).

Serves ``seeds/sample_web`` with ``__BASE__`` replaced by the server's own
``http://127.0.0.1:PORT``, answers conditional GETs with 304, and gzips when asked,
like a real news site would.
"""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .settings import SEEDS_DIR

SAMPLE_WEB = SEEDS_DIR / "sample_web"
PLACEHOLDER = b"__BASE__"
LAST_MODIFIED = "Fri, 27 Nov 2026 06:00:00 GMT"
_TYPES = {".rss": "application/rss+xml", ".atom": "application/atom+xml", ".xml": "application/xml",
          ".opml": "text/x-opml", ".html": "text/html; charset=utf-8"}


class _Handler(BaseHTTPRequestHandler):
    server_version = "survwatch-sample/1.0"
    root: Path = SAMPLE_WEB

    def log_message(self, format, *args):  # keep test and demo output clean
        pass

    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        if path.endswith("/"):
            path += "index.html"
        target = (self.root / path.lstrip("/")).resolve()
        if self.root.resolve() not in target.parents or not target.is_file():
            self._send(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html")
            return
        body = target.read_bytes().replace(PLACEHOLDER, self.server.base.encode())
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag or self.headers.get("If-Modified-Since") == LAST_MODIFIED:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        ctype = _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send(200, body, ctype, {"ETag": etag, "Last-Modified": LAST_MODIFIED})

    def _send(self, status, body, ctype, headers=None):
        if "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body)
            headers = {**(headers or {}), "Content-Encoding": "gzip"}
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


class SampleWeb:
    """Context manager: ``with SampleWeb() as web: web.base, web.feeds_opml``."""

    def __init__(self, root: Path = SAMPLE_WEB, port: int = 0):
        handler = type("Handler", (_Handler,), {"root": Path(root)})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.httpd.base = self.base
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def host_port(self) -> str:
        return f"127.0.0.1:{self.port}"

    def write_feed_list(self, dest: Path) -> Path:
        """The sample OPML with real URLs of this server, for `survwatch run --feeds`."""
        src = (self.httpd.RequestHandlerClass.root / "feeds.opml").read_bytes()
        dest = Path(dest)
        dest.write_bytes(src.replace(PLACEHOLDER, self.base.encode()))
        return dest

    def __enter__(self) -> "SampleWeb":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
