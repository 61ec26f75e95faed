"""seeds/vendors.yaml stays a consistent gazetteer: size, unique aliases, ISO2 homes, parents, categories,
context rules for names that are ordinary English words, and a few tag checks on sentences written here."""
from __future__ import annotations

import re
from pathlib import Path

import pycountry
import pytest
import spacy
import yaml

from nlp import load_tagger, resolve_model_name

SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "vendors.yaml"
TEXT = SEEDS.read_text(encoding="utf-8")
ENTRIES = yaml.safe_load(TEXT)

# Names that are words, given names or places even if the dictionary below misses them: any single-word alias
# equal to one of these must carry case_sensitive or needs_context.
AMBIGUOUS = {
    "axon", "ring", "flock", "circles", "toka", "shield", "sentinel", "vision", "gemini", "atlas", "orion",
    "genesis", "titan", "phoenix", "apex", "pegasus", "predator", "graphite", "paragon", "galileo", "axis",
    "milestone", "vigilant", "allot", "reign", "hermit", "subzero", "herta", "nexa", "amazon", "cobwebs",
    "parrot", "gaggle", "banjo", "neology", "indra", "auror", "appin", "laxton", "bayraktar", "bosch", "sony",
    "honeywell", "panasonic", "ibm", "cisco", "suprema", "daon", "chams", "synesis", "neurotechnology",
    "percepto", "dataworks", "liferaft", "gost", "securus", "morpho", "thales", "clearview", "motorola",
}


def _home_iso(value) -> str:
    return "NO" if value is False else str(value)  # YAML 1.1 reads an unquoted NO as False


@pytest.fixture(scope="module")
def dictionary() -> set[str]:
    """English words: the WordNet-derived lemma index shipped with the spaCy model's lemmatizer."""
    nlp = spacy.load(resolve_model_name(None))
    words: set[str] = set()
    if "lemmatizer" in nlp.pipe_names:
        lookups = nlp.get_pipe("lemmatizer").lookups
        if lookups.has_table("lemma_index"):
            for lemmas in lookups.get_table("lemma_index").values():
                words.update(lemmas)
    assert len(words) > 50_000, "the model's lemma index is missing; the dictionary check would be empty"
    words.update(w for w in nlp.Defaults.stop_words)
    return words


def _is_word(token: str, words: set[str]) -> bool:
    w = token.lower()
    return (w in words or w in AMBIGUOUS or (w.endswith("s") and w[:-1] in words)
            or (w.endswith("es") and w[:-2] in words))


def _aliases(e) -> list[str]:
    return [str(e["name"]), *(str(a) for a in e.get("aliases") or ())]


def _header_categories() -> set[str]:
    block = TEXT.split("categories  subset of:", 1)[1].split("#   context", 1)[0]
    return {w for w in re.split(r"[\s#,]+", block) if w}


def test_size():
    assert len(ENTRIES) >= 300
    m = re.search(r"\): (\d+) vendors\.", TEXT.splitlines()[0])
    assert m and int(m.group(1)) == len(ENTRIES), "update the vendor count in the header comment"


def test_no_duplicate_names_or_aliases_across_entries():
    owner: dict[str, str] = {}
    clashes = []
    for e in ENTRIES:
        for a in {a.lower() for a in _aliases(e)}:
            if a in owner and owner[a] != e["name"]:
                clashes.append((a, owner[a], e["name"]))
            owner[a] = e["name"]
    assert not clashes
    names = [e["name"].lower() for e in ENTRIES]
    assert len(names) == len(set(names))


def test_countries_parents_categories():
    iso2 = {c.alpha_2 for c in pycountry.countries}
    names = {e["name"] for e in ENTRIES}
    vocab = _header_categories()
    assert {"cameras", "spyware", "biometric_id", "body_cameras", "gunshot_detection"} <= vocab
    for e in ENTRIES:
        assert _home_iso(e.get("country")) in iso2, e["name"]
        assert e.get("parent") is None or e["parent"] in names, e["name"]
        assert e["parent"] != e["name"]
        cats = e.get("categories") or []
        assert cats and set(cats) <= vocab, (e["name"], set(cats) - vocab)


def test_context_rules_are_well_formed():
    for e in ENTRIES:
        aliases = set(_aliases(e))
        for alias, rule in (e.get("context") or {}).items():
            assert str(alias) in aliases, (e["name"], alias)
            assert set(rule) <= {"case_sensitive", "needs_context", "context_words", "exclude_patterns"}
            if rule.get("needs_context"):
                assert rule.get("context_words"), (e["name"], alias)
            for p in rule.get("exclude_patterns") or ():
                re.compile(p)


def test_single_word_dictionary_aliases_are_guarded(dictionary):
    assert _is_word("parrot", dictionary) and _is_word("circles", dictionary)
    assert not _is_word("Hikvision", dictionary)
    unguarded = []
    for e in ENTRIES:
        ctx = e.get("context") or {}
        for a in _aliases(e):
            if len(a.split()) != 1 or any(ord(ch) > 0x2E80 for ch in a):
                continue
            core = a.strip(".,")
            if not re.fullmatch(r"[A-Za-z]+", core) or not _is_word(core, dictionary):
                continue
            rule = ctx.get(a) or {}
            if not (rule.get("case_sensitive") or rule.get("needs_context")):
                unguarded.append((e["name"], a))
    assert not unguarded


@pytest.fixture(scope="module")
def tagger():
    return load_tagger()


@pytest.mark.parametrize("text,vendor", [
    ("Investigators said the IMSI catchers were bought from Rohde & Schwarz through a local reseller.", "Rohde & Schwarz"),
    ("The electoral commission awarded Zetes a contract for 5,000 biometric voter registration kits.", "Zetes"),
    ("Police in the county bought two Skydio drones for their real-time crime centre.", "Skydio"),
    ("The sheriff's office signed a deal with Fusus to link private cameras to its crime centre.", "Fusus"),
    ("A Parrot Anafi drone was flown over the protest by the municipal police.", "Parrot"),
    ("The school district paid Gaggle to scan student emails and flag messages to administrators.", "Gaggle"),
    ("Indra won the contract to count the votes in the Spanish regional elections.", "Indra Sistemas"),
    ("The Belarusian firm Synesis runs the Kipod video analytics platform in Minsk.", "Synesis"),
    ("Inspur servers power the city's video surveillance platform.", "Inspur"),
    ("ClearTrail Technologies sold interception systems to the ministry.", "ClearTrail Technologies"),
])
def test_new_vendor_found(tagger, text, vendor):
    assert vendor in tagger.tag(text)["vendors"]


@pytest.mark.parametrize("text", [
    "A parrot escaped from the pet shop and was found perched on a lamp post two streets away.",
    "A gaggle of geese crossed the road near the school while students watched.",
    "She played the banjo at the county fair, and the police band joined in.",
    "Indra Nooyi spoke about her career; in Hindu mythology Indra is the king of the gods.",
    "Appin is a village in Argyll, Scotland, known for its views over the loch.",
    "Harry Bosch is a fictional detective; the painter Hieronymus Bosch is famous too.",
    "Sony released a new PlayStation game and a camera for vloggers.",
    "The nice systems engineers built were robust, with precise biometrics capture and digital barriers.",
    "A giant oak fell on the road, and the social sentinel of the street called the council.",
    "IBM reported revenue growth from cloud software, and Cisco said demand for routers rose.",
    "Laxton is a village in Nottinghamshire with a medieval open-field system.",
    "Elaman, a Kazakh student, won the chess tournament in Almaty.",
    "Shoghi Effendi led the Baha'i Faith from 1921 until 1957.",
    "The shampoo is paraben-free, and the label says no Paraben was used.",
    "Intersec Dubai, the security trade fair, opened with exhibitors showing fire alarms and access control.",
    "The bolts follow the GOST standard, and GOST certification is required for exports.",
    "Neurotechnology is advancing fast, with brain implants that let paralysed patients type.",
    "The blood bank ran a Crossmatch before the transfusion.",
    "The Fusus snail shell was displayed at the natural history museum.",
])
def test_ordinary_word_sense_not_a_vendor(tagger, text):
    assert tagger.tag(text)["vendors"] == []
