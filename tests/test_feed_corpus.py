"""feedparser's own ~2,100 test feeds through survwatch's feed layer: no exception, an outcome each."""
from __future__ import annotations

from pathlib import Path

import pytest

from flows.feeds import BoundedFeedParser

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "feedparser-tests"


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} not present")
def test_every_corpus_feed_ends_in_an_outcome():
    files = sorted(p for p in CORPUS.rglob("*.xml"))
    assert len(files) > 2000
    parser = BoundedFeedParser(timeout=20, workers=2)
    outcomes = {"ok": 0, "failed": 0}
    reasons: dict[str, int] = {}
    wellformed_failed = []
    try:
        for path in files:
            parsed = parser.parse(path.read_bytes(), "http://127.0.0.1:8097/" + path.name)
            if parsed.error:
                outcomes["failed"] += 1
                reasons[parsed.error] = reasons.get(parsed.error, 0) + 1
                if "wellformed" in path.parts:
                    wellformed_failed.append(path.name)
            else:
                outcomes["ok"] += 1
                for item in parsed.items:  # every stored item has an http(s) canonical URL
                    assert item.canonical_url.startswith(("http://", "https://")), path
    finally:
        parser.close()
    assert outcomes["ok"] + outcomes["failed"] == len(files)
    # well-formed feeds parse (the few CDF channel-only files have no entries and no RSS/Atom version)
    wellformed = sum(1 for p in files if "wellformed" in p.parts)
    assert len(wellformed_failed) < 0.01 * wellformed, wellformed_failed
    # ill-formed ones (entity tests without DTD, truncated XML) are recorded failures, not crashes
    assert "parse_crashed" not in reasons and "parse_timeout" not in reasons, reasons
