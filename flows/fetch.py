"""HTTP fetching with the limits an unattended crawler needs.

Every request: a descriptive User-Agent, conditional GET headers when known, a
cap on the *decompressed* body, a total deadline (not just per read), redirects
followed by hand so each hop passes the address guard, and a result object
instead of an exception. ``FetchResult.transient`` tells the caller whether a
retry could help (timeouts, 5xx, 429), so retries are declared where tasks are
defined, not hand-rolled here.
"""
from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx


@dataclass
class FetchResult:
    url: str
    final_url: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None  # short machine reason: timeout, too_large, blocked_address, http_404 …
    detail: str | None = None  # human message naming the URL
    transient: bool = False
    retry_after: float | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class BlockedAddress(Exception):
    pass


class UnresolvedHost(Exception):
    """The host name does not resolve (DNS failure): transient, and not the address guard's doing."""


def _parse_ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Parse literal IPs, including the decimal/hex/octal forms browsers accept."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:  # inet_aton accepts 2130706433, 0x7f000001, 0177.0.0.1, 127.1
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str, allowed: frozenset[tuple[str, int]] = frozenset()) -> None:
    """Raise BlockedAddress unless ``url`` is http(s) to a public address or an allowed host:port
    (UnresolvedHost when its name does not resolve)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BlockedAddress(f"scheme {parts.scheme or '(none)'!r} is not fetched: {url}")
    host = (parts.hostname or "").lower()
    if not host:
        raise BlockedAddress(f"no host in URL: {url}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise BlockedAddress(f"bad port in URL: {url}") from None
    if (host, port) in allowed:
        return
    ip = _parse_ip(host)
    if ip is not None:
        addrs = [ip]
    else:
        try:
            infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
        except OSError as exc:
            raise UnresolvedHost(f"cannot resolve {host} ({exc}); check the URL, or retry when DNS answers") from None
        addrs = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for addr in addrs:
        if not _is_public(addr):
            raise BlockedAddress(
                f"{url} resolves to non-public address {addr}; "
                "add it to SURVWATCH_ALLOWED_HOSTS as host:port if this is intended"
            )


class HostLimiter:
    """Per-host concurrency limit and minimum delay between request starts, shared by all
    threads of one run (politeness: a publisher sees at most ``per_host`` connections)."""

    def __init__(self, per_host: int, delay: float = 0.0):
        self._per_host = per_host
        self._delay = delay
        self._lock = threading.Lock()
        self._sems: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(self._per_host))
        self._next: dict[str, float] = defaultdict(float)
        self._host_delay: dict[str, float] = {}

    def set_delay(self, host: str, delay: float) -> None:
        """Raise the delay for one host (robots.txt Crawl-delay)."""
        with self._lock:
            self._next[host] = max(self._next[host], time.monotonic() + delay)
            self._host_delay[host] = max(self._delay, delay)

    @contextmanager
    def slot(self, url: str):
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            sem = self._sems[host]
        with sem:
            with self._lock:
                delay = self._host_delay.get(host, self._delay)
                start = max(time.monotonic(), self._next[host])
                self._next[host] = start + delay
            wait = start - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            yield


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def make_client(user_agent: str, connect_timeout: float, read_timeout: float) -> httpx.Client:
    return httpx.Client(
        headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
        follow_redirects=False,
        trust_env=False,
    )


def fetch(
    client: httpx.Client,
    url: str,
    *,
    max_bytes: int,
    deadline: float,
    max_redirects: int = 5,
    allowed: frozenset[tuple[str, int]] = frozenset(),
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str | None = None,
) -> FetchResult:
    """GET ``url`` within the limits; never raises for network or server trouble."""
    started = time.monotonic()
    result = FetchResult(url=url)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    if accept:
        headers["Accept"] = accept
    current = url
    try:
        for _hop in range(max_redirects + 1):
            check_url(current, allowed)
            with client.stream("GET", current, headers=headers) as resp:
                if resp.status_code in (301, 302, 303, 307, 308):
                    location = resp.headers.get("location")
                    if not location:
                        return _fail(result, started, "bad_redirect", f"{current}: redirect without Location")
                    current = urljoin(current, location)
                    continue
                result.final_url = str(resp.url)
                result.status = resp.status_code
                result.headers = {k.lower(): v for k, v in resp.headers.items()}
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    return _fail(result, started, "too_large", f"{current}: Content-Length {declared} > cap {max_bytes}")
                chunks, size = [], 0
                # iter_bytes yields *decompressed* data, so gzip bombs hit the cap too.
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        return _fail(result, started, "too_large", f"{current}: body over cap {max_bytes} bytes")
                    if time.monotonic() - started > deadline:
                        return _fail(result, started, "timeout", f"{current}: over the {deadline:.0f}s deadline", True)
                    chunks.append(chunk)
                result.body = b"".join(chunks)
            break
        else:
            return _fail(result, started, "too_many_redirects", f"{url}: more than {max_redirects} redirects")
    except BlockedAddress as exc:
        return _fail(result, started, "blocked_address", str(exc))
    except UnresolvedHost as exc:
        return _fail(result, started, "dns_error", str(exc), True)
    except httpx.TimeoutException:
        return _fail(result, started, "timeout", f"{current}: timed out", True)
    except httpx.DecodingError as exc:
        return _fail(result, started, "bad_encoding", f"{current}: cannot decode body ({exc})")
    except (httpx.TransportError, OSError) as exc:
        return _fail(result, started, "connection_error", f"{current}: {type(exc).__name__}: {exc}", True)
    except httpx.HTTPError as exc:
        return _fail(result, started, "http_error", f"{current}: {exc}")
    result.seconds = time.monotonic() - started
    status = result.status or 0
    if status == 304 or 200 <= status < 300:
        return result
    result.error = f"http_{status}"
    result.detail = f"{url}: HTTP {status}"
    result.transient = status >= 500 or status == 429
    if status in (429, 503):
        result.retry_after = _retry_after(result.headers.get("retry-after"))
    return result


def _fail(result: FetchResult, started: float, error: str, detail: str, transient: bool = False) -> FetchResult:
    result.error, result.detail, result.transient = error, detail, transient
    result.body = b""
    result.seconds = time.monotonic() - started
    return result
