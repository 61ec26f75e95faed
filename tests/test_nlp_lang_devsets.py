"""Quality floors for the self-written Spanish, Portuguese and French dev sets (tests/data/dev_es|pt|fr), tagged
through the multilingual tagger with no language given (it is detected). Floors sit under the scores the rules
reached, so a regression fails while a small wording change does not. The holdout_* sets are blind: never here."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.evaluate import evaluate, format_report
from nlp.multilingual import load_multilingual_tagger

DATA = Path(__file__).parent / "data"
F1_FLOORS = {"vendors": 0.90, "countries": 0.90, "technologies": 0.85, "claims": 0.88, "deals": 0.70}
LANGUAGES = ("es", "pt", "fr")


@pytest.fixture(scope="module")
def tagger():
    return load_multilingual_tagger()


@pytest.fixture(scope="module")
def reports(tagger):
    out = {}
    for lang in LANGUAGES:
        d = DATA / f"dev_{lang}"
        if not (d / "gold.jsonl").exists():
            continue
        gold = [json.loads(line) for line in (d / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line]
        texts = [(d / g["doc"]).read_text(encoding="utf-8") for g in gold]
        preds = [{"doc": g["doc"], **t} for g, t in zip(gold, tagger.tag_many(texts))]
        assert {p["language"] for p in preds} == {lang}, [(p["doc"], p["language"]) for p in preds]
        out[lang] = evaluate(preds, gold)
        print(lang, format_report(out[lang]), sep="\n")
    return out


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("label", sorted(F1_FLOORS))
def test_language_dev_floor(reports, lang, label):
    if lang not in reports:
        pytest.skip(f"tests/data/dev_{lang} not present")
    assert reports[lang]["labels"][label]["f1"] >= F1_FLOORS[label], reports[lang]["labels"][label]
