"""Extraction-quality gate: flows/extract.py's text against the hand-checked article bodies of the 181 real pages
in ../shared/corpora/article-extraction-benchmark (skipped when the corpus is absent).

The metric is the benchmark's own: F1 over word 4-gram shingles (multiset overlap), per page, macro-averaged;
a page extract_article returns nothing for scores 0. Floors sit a little under the measured figures (mean 0.949,
see docs/relevance-gate.md) so a faster or changed extraction path cannot quietly extract worse text.
"""
from __future__ import annotations

import gzip
import json
import re
from collections import Counter

import pytest

from bench.corpus import extraction_corpus
from flows.extract import decode_html, extract_article

CORPUS = extraction_corpus()
pytestmark = pytest.mark.skipif(CORPUS is None, reason="../shared/corpora/article-extraction-benchmark not present")

MEAN_FLOOR = 0.93        # measured 0.949 (2026-12-04)
MEDIAN_FLOOR = 0.97      # measured 0.989
MAX_EMPTY = 3            # pages scoring 0 (measured: 2)
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> Counter:
    words = _WORD.findall((text or "").lower())
    if len(words) < n:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def shingle_f1(predicted: str, truth: str) -> float:
    p, t = shingles(predicted), shingles(truth)
    if not p and not t:
        return 1.0
    common = sum((p & t).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(t.values())
    return 2 * precision * recall / (precision + recall)


def test_shingle_f1_scores_what_it_should():
    truth = "the minister said the cameras would be installed in every district by june"
    assert shingle_f1(truth, truth) == 1.0
    assert shingle_f1("subscribe now cookie policy", truth) == 0.0
    half = shingle_f1("the minister said the cameras would be installed", truth)
    assert 0.5 < half < 1.0  # all precise, half the recall


@pytest.fixture(scope="module")
def scores() -> dict[str, float]:
    truth = json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8"))
    out = {}
    for key, entry in sorted(truth.items()):
        path = CORPUS / "html" / f"{key}.html.gz"
        if not path.is_file():
            continue
        doc = extract_article(decode_html(gzip.decompress(path.read_bytes())), entry.get("url"))
        out[key] = shingle_f1(doc.text if doc else "", entry.get("articleBody") or "")
    return out


def test_extraction_quality_floor(scores):
    assert len(scores) >= 170, f"only {len(scores)} pages of the corpus found in {CORPUS}"
    values = sorted(scores.values())
    mean = sum(values) / len(values)
    median = values[len(values) // 2]
    empty = [k for k, v in scores.items() if v == 0.0]
    print(f"\nextraction quality on {len(values)} real pages: mean F1 {mean:.3f}, median {median:.3f}, "
          f"zero {len(empty)}")
    assert mean >= MEAN_FLOOR, f"mean shingle F1 {mean:.3f} < {MEAN_FLOOR}"
    assert median >= MEDIAN_FLOOR, f"median shingle F1 {median:.3f} < {MEDIAN_FLOOR}"
    assert len(empty) <= MAX_EMPTY, f"nothing extracted from {empty}"
