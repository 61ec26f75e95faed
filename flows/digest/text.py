"""Untrusted text from pages made safe for the digest: one clean line, safe links, valid addresses."""
from __future__ import annotations

import unicodedata
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit


class DigestError(Exception):
    """A digest problem worded for the person running the command (settings, addresses, SMTP)."""


_LINE_BREAKS = set("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def clean(text: Any, limit: int | None = None) -> str:
    """One line of display text from untrusted input: line breaks and tabs become spaces, control and
    format characters (bidi overrides, zero-width …) are dropped, runs of spaces collapse, and the
    result is cut at ``limit`` characters on a word boundary with an ellipsis."""
    if text is None:
        return ""
    out = []
    for ch in unicodedata.normalize("NFC", str(text)):
        if ch in _LINE_BREAKS or ch == "\t":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            continue
        else:
            out.append(ch)
    s = " ".join("".join(out).split())
    if limit and len(s) > limit:
        cut = s[: limit - 1]
        if " " in cut[limit // 2:]:
            cut = cut[: cut.rindex(" ")]
        s = cut.rstrip(" ,;:.-") + "…"
    return s


def header_safe(text: str) -> str:
    """Text for a header: one clean line, no encoded-word delimiters (=? ?=), printable ASCII only."""
    s = clean(text).replace("=?", "= ?").replace("?=", "? =")
    return "".join(ch for ch in s if 32 <= ord(ch) < 127)


def safe_url(url: Any) -> str | None:
    """``url`` if it is an absolute http(s) URL without whitespace or control characters, else None
    (so ``javascript:`` and friends never become links)."""
    if not url:
        return None
    u = str(url).strip()
    if len(u) > 2000 or any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in u):
        return None
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return u


def check_addresses(addresses: list[str] | tuple[str, ...]) -> list[str]:
    """Validate recipient/sender addresses (no line breaks, one addr-spec each); return them cleaned.
    Accepts comma-separated values too (``--to a@x,b@y``)."""
    out: list[str] = []
    for value in addresses:
        for raw in str(value).split(","):
            a = raw.strip()
            if not a:
                continue
            if any(ch in a for ch in "\r\n\0") or any(unicodedata.category(ch) == "Cc" for ch in a):
                raise DigestError(f"address {a!r} contains control characters")
            _, spec = parseaddr(a)
            local, at, domain = spec.rpartition("@")
            if not at or not local or not domain or any(ch.isspace() for ch in spec):
                raise DigestError(f"{a!r} is not an email address")
            out.append(a)
    return out


def addr_spec(address: str) -> str:
    return parseaddr(address)[1]
