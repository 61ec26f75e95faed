"""Deterministic tagging (issue 12) and the general claim rules added with it: page residue, one claim
per fact, journalism counts, truncated final sentences, number words and durations, metric quality."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nlp.evaluate import evaluate, metric_head
from nlp.numbers import find_figures
from nlp.tagger import _dominant_country

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "dev"

_SCRIPT = r"""
import json, sys
from pathlib import Path
from nlp import load_tagger
dev = Path(sys.argv[1])
files = sorted(dev.glob("*.txt"))
out = list(load_tagger().tag_many([f.read_text(encoding="utf-8") for f in files]))
sys.stdout.write(json.dumps(out, sort_keys=False))
"""


@pytest.mark.skipif(not DEV.exists(), reason="dev set not present")
def test_tagging_is_identical_under_different_hash_seeds():
    runs = []
    for seed in ("1", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        res = subprocess.run([sys.executable, "-c", _SCRIPT, str(DEV)], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=600, check=True)
        runs.append(res.stdout)
    assert runs[0] == runs[1]
    assert json.loads(runs[0])


def test_main_country_tie_is_broken_by_first_mention_not_hash_order():
    ms = [{"value": "UG"}, {"value": "KE"}, {"value": "KE"}, {"value": "UG"}]
    assert _dominant_country(ms) == "UG"
    assert _dominant_country(list(reversed(ms))) == "UG"  # UG first again when reversed


@pytest.fixture(scope="module")
def tagger():
    from nlp import load_tagger
    return load_tagger()


def _values(out):
    return [(c["value"], c["unit"]) for c in out["claims"]]


@pytest.mark.parametrize("text", [
    "Police added cameras to the ring road.[4] The budget was not disclosed.",
    "Read time: 3 minutes\n\nThe council met on Tuesday to discuss the scheme.",
    "The tender was filed under a procurement category (Code: 150) by the ministry.",
    "The tender notice was updated on 2023-04-01 by the ministry.",
    "Nairobi 24°C\n\nThe council met on Tuesday to discuss the scheme.",
    "The council met on Tuesday.\n\n12,400\n\nIt discussed the scheme at length.",
])
def test_page_residue_is_not_a_claim(tagger, text):
    assert _values(tagger.tag(text)) == []


def test_counts_about_the_reporting_are_not_claims(tagger):
    out = tagger.tag("The leaked files were shared with 16 news organizations. Police installed 300 cameras.")
    assert _values(out) == [(300, "count")]


def test_a_cut_off_final_sentence_gives_no_claim(tagger):
    out = tagger.tag("Police installed 300 cameras in the city. The ministry then ordered 40 more drones for the")
    assert _values(out) == [(300, "count")]


def test_currency_conversion_in_parentheses_is_one_fact(tagger):
    out = tagger.tag("Kenya signed a contract worth $126 million (Sh13 billion) with the vendor.")
    assert _values(out) == [(126000000, "USD")]


def test_headline_and_body_figure_is_one_claim(tagger):
    out = tagger.tag("Police install 300 cameras in the capital\n\nPolice have installed 300 cameras in the capital, "
                     "officials said.")
    assert _values(out) == [(300, "count")]
    assert out["claims"][0]["start"] == 0


def test_the_same_figure_about_two_different_things_stays_two_claims(tagger):
    out = tagger.tag("Police installed 300 cameras in Kampala. The army bought 300 drones.")
    assert _values(out) == [(300, "count"), (300, "count")]


@pytest.mark.parametrize("text,value,unit", [
    ("Arrests saw an eightfold jump after the cameras went up.", 700, "percent"),
    ("Police installed thirty-eight cameras.", 38, "count"),
    ("The system was built in just half a year.", 0.5, "years"),
    ("The pilot lasted one year.", 1, "years"),
    ("The rollout took 1.5 years.", 1.5, "years"),
])
def test_number_words_and_durations_are_figures(text, value, unit):
    assert [(f.value, f.unit) for f in find_figures(text)] == [(value, unit)]


@pytest.mark.parametrize("text", ["It happened one year ago.", "The board meets twice a year."])
def test_elapsed_time_and_frequencies_are_not_durations(text):
    assert find_figures(text) == []


def test_metric_quality_compares_head_nouns():
    assert metric_head("surveillance cameras") == "camera" == metric_head("camera")
    assert metric_head("crime rate") == "rate" and metric_head(None) is None
    gold = [{"doc": "a", "claims": [{"value": 5, "unit": "count", "metric": "cameras"},
                                    {"value": 7, "unit": "count", "metric": "arrests"}]}]
    pred = [{"doc": "a", "claims": [{"value": 5, "unit": "count", "metric": "CCTV cameras"},
                                    {"value": 7, "unit": "count", "metric": "figures"}]}]
    assert evaluate(pred, gold)["attributes"]["metric"] == 0.5


@pytest.mark.parametrize("text,countries", [
    ("Hikvision showed its cameras at a security fair in Germany. Police in Kenya bought 300 of them.", ["KE"]),
    ("Researchers at the University of Toronto found the spyware on phones in Mexico.", ["MX"]),
    ("The Toronto-based Citizen Lab found Pegasus on phones in Mexico.", ["MX"]),
    # a second, story mention keeps the country
    ("Police in Kenya bought cameras. Germany also bought some.", ["DE", "KE"]),
    # people targeted in a country are the story, not context
    ("Journalists in Mexico were targeted with spyware.", ["MX"]),
])
def test_countries_named_only_as_context_are_left_out(tagger, text, countries):
    assert tagger.tag(text)["countries"] == countries


def test_a_known_agency_is_never_a_discovered_vendor(tagger):
    out = tagger.tag("The FBI supplied the cell-site simulators to local police in Baltimore.")
    assert "FBI" not in out["vendors"]


def test_a_firm_and_brand_joined_by_a_slash_is_the_firm(tagger):
    out = tagger.tag("Body cameras were supplied by Zentrix/Vuecam to the county police.")
    assert out["vendor_origins"].get("Zentrix") == "discovered"


@pytest.mark.parametrize("text", ["The ministry informed 24.kg news agency.",
                                  "The contract terms are for three (3) years."])
def test_domain_names_and_parenthesised_repeats_are_no_extra_claims(tagger, text):
    assert all(c["value"] != 3 or c["unit"] != "count" for c in tagger.tag(text)["claims"])
    assert (24, "count") not in _values(tagger.tag(text))


def test_units_are_compared_spelling_blind():
    from nlp.evaluate import norm_unit
    assert norm_unit("metres") == norm_unit("meters") == norm_unit("m")
    gold = [{"doc": "a", "claims": [{"value": 25, "unit": "meters"}]}]
    pred = [{"doc": "a", "claims": [{"value": 25, "unit": "metres"}]}]
    assert evaluate(pred, gold)["labels"]["claims"]["tp"] == 1


@pytest.mark.parametrize("text,countries", [
    ("The Safe City Summit has been held in Mexico and in Dubai. Police in Kenya bought cameras.", ["KE"]),
    ("Police in Tajikistan spent 9 million US dollars on cameras.", ["TJ"]),
    ("The story was first published in English and in French. Police in Kenya bought cameras.", ["KE"]),
    ("Kenya found an ally in Chinese telecom giant Huawei.", ["CN", "KE"]),
])
def test_venues_currencies_and_languages_are_not_story_countries(tagger, text, countries):
    assert tagger.tag(text)["countries"] == countries


def test_remembered_figures_are_handed_out_as_copies():
    """find_figures remembers recent sentences (the selector asks first, the claim rules next): what a caller
    changes on its figures must not reach the next caller."""
    text = "Crime fell by 24 percent after 300 cameras were installed."
    first = find_figures(text)
    first[0].value, first[0].unit = -1, "changed"
    first[0].notes.append("changed")
    first.pop()
    again = find_figures(text)
    assert [(f.value, f.unit, f.notes) for f in again] == [(24, "percent", []), (300, "count", [])]
