"""robots.txt per host (protego), fetched once per run through the same bounded fetcher.

4xx on robots.txt means "no rules" (allowed); 5xx or a timeout means we cannot know, so
that host's pages are postponed to a later run rather than fetched or failed.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit

from protego import Protego

from .fetch import FetchResult

ALLOWED, DISALLOWED, POSTPONE = "allowed", "disallowed", "postpone"
MAX_ROBOTS_BYTES = 500_000


@dataclass
class _HostRules:
    parser: Protego | None  # None: no rules (allowed)
    unavailable: bool = False


class RobotsCache:
    def __init__(self, get: Callable[[str], FetchResult], user_agent: str):
        self._get = get
        self._ua = user_agent
        self._rules: dict[str, _HostRules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def _host_rules(self, root: str) -> _HostRules:
        with self._lock:
            lock = self._locks.setdefault(root, threading.Lock())
        with lock:  # one robots.txt fetch per host, even with many threads asking
            if root not in self._rules:
                self._rules[root] = self._load(root)
            return self._rules[root]

    def _load(self, root: str) -> _HostRules:
        res = self._get(root + "/robots.txt")
        if res.ok:
            text = res.body.decode("utf-8", "replace")
            try:
                return _HostRules(Protego.parse(text))
            except Exception:  # unparseable robots.txt: treat as no rules, like major crawlers
                return _HostRules(None)
        if res.status is not None and 400 <= res.status < 500:
            return _HostRules(None)
        return _HostRules(None, unavailable=True)

    def check(self, url: str) -> str:
        parts = urlsplit(url)
        rules = self._host_rules(f"{parts.scheme}://{parts.netloc}")
        if rules.unavailable:
            return POSTPONE
        if rules.parser is None or rules.parser.can_fetch(url, self._ua):
            return ALLOWED
        return DISALLOWED

    def crawl_delay(self, url: str) -> float | None:
        parts = urlsplit(url)
        rules = self._host_rules(f"{parts.scheme}://{parts.netloc}")
        if rules.parser is None:
            return None
        delay = rules.parser.crawl_delay(self._ua)
        return float(delay) if delay else None
