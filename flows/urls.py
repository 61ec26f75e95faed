"""Item identity: one canonical URL per article, whatever the feed decorated it with."""
from __future__ import annotations

import hashlib
from urllib.parse import urlsplit, urlunsplit

import courlan


def canonical_url(url: str) -> str:
    """Lower-case scheme/host, default port dropped, tracking parameters (utm_*, fbclid …)
    removed and the rest sorted (courlan), fragment dropped: same article, same string."""
    url = (url or "").strip()
    if not url:
        return ""
    try:
        normalized = courlan.normalize_url(url)
    except (ValueError, TypeError):
        normalized = url
    parts = urlsplit(normalized)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def item_id(canonical: str) -> str:
    """Stable 16-hex id for an item, derived from its canonical URL."""
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:16]


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
