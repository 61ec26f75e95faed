"""Article extraction: bytes of a page in, text and metadata out (trafilatura)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import trafilatura
from lxml import html as lxml_html
from trafilatura.utils import decode_file

# Bump when extract_article's options or post-processing change what it returns for the same page: articles stored
# with another fingerprint are re-extracted from their WARC records by `survwatch reprocess` (flows/reprocess.py).
EXTRACT_VERSION = "1"

_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.I)
_LANG = re.compile(r"""<html[^>]*\blang=["']?([A-Za-z]{2,3})""", re.I)


@dataclass
class Extracted:
    text: str
    title: str | None
    author: str | None
    published_at: dt.datetime | None
    site_name: str | None
    language: str | None
    word_count: int


def extract_fingerprint() -> str:
    """What produced an article's text: our extraction settings and the trafilatura version (a new trafilatura
    extracts differently too). Stored as articles.extract_version."""
    return f"{EXTRACT_VERSION}+trafilatura-{trafilatura.__version__}"


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode with the declared charset (header, then <meta>), falling back to detection.
    A charset that lies (bytes not valid in it) falls through to detection too."""
    candidates = []
    if content_type and "charset=" in content_type.lower():
        candidates.append(content_type.lower().split("charset=")[-1].split(";")[0].strip().strip("\"'"))
    meta = _CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore").lower())
    for charset in candidates:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return decode_file(body)


def html_to_text(fragment: str | None) -> str | None:
    """Plain text of a small HTML fragment such as a feed summary."""
    if not fragment:
        return None
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip() or None
    try:
        text = lxml_html.fromstring(f"<div>{fragment}</div>").text_content()
    except (ValueError, lxml_html.etree.ParserError):
        return fragment
    return re.sub(r"\s+", " ", text).strip() or None


def _parse_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value[:10])
    except ValueError:
        return None


def extract_article(html: str, url: str | None = None) -> Extracted | None:
    """Main text and metadata of a news page, or None when no article body is found."""
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,  # reader comments are not the article
        include_tables=False,
        favor_precision=True,
    )
    if doc is None or not (doc.text or "").strip():
        return None
    language = doc.language
    if not language:
        match = _LANG.search(html[:2000])
        language = match.group(1).lower() if match else None
    text = doc.text.strip()
    return Extracted(
        text=text,
        title=doc.title,
        author=doc.author,
        published_at=_parse_date(doc.date),
        site_name=doc.sitename,
        language=language,
        word_count=len(text.split()),
    )
