"""The relevance gate (nlp/gate.py): its rules, its recall floor on every gold set in the repository, its
precision on a generated general-news mix, and its fingerprint."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.newsmix import offtopic_corpus
from flows.goldsets import load_gold_set
from nlp.gate import Gate, gate_vocabulary, load_gate

DATA = Path(__file__).parent / "data"
GOLD_SETS = sorted(p.name for p in DATA.iterdir() if (p / "gold.jsonl").is_file())


@pytest.fixture(scope="module")
def gate() -> Gate:
    return load_gate()


# ---- rules
def test_a_surveillance_word_in_any_language_is_enough(gate):
    for text in ["The council debated the surveillance plan.", "El gobierno amplió la videovigilancia en Quito.",
                 "A prefeitura ampliou o videomonitoramento.", "La mairie étend la vidéoprotection.",
                 "Officers used facial recognition at the match."]:
        r = gate.check(text)
        assert r.in_scope and r.strong, text


def test_a_vendor_the_tagger_always_reports_is_enough(gate):
    r = gate.check("Hikvision reported higher quarterly profit.")
    assert r.in_scope and r.strong == ("hikvision",)
    assert "strong: hikvision" in r.reason


def test_a_needs_context_alias_needs_one_of_its_context_words(gate):
    # "Pegasus" is the spyware only near NSO / phones / hacking (seeds/vendors.yaml context)
    alone = gate.check("Pegasus Airlines added three routes to Malta this summer.")
    assert not alone.in_scope and alone.weak == ("Pegasus",)  # case-sensitive alias
    with_context = gate.check("Pegasus was found on the phones of two journalists, researchers said.")
    assert with_context.in_scope and "Pegasus" in with_context.strong


def test_everyday_words_alone_stay_out(gate):
    two = gate.check("Drones filmed the crowd as television cameras caught the winning goal.")
    assert not two.in_scope and set(two.weak) == {"drones", "cameras"}
    three = gate.check("Drones and cameras fed a command and control room during the summit.")
    assert three.in_scope and not three.strong and len(three.weak) >= 3


def test_a_weak_technology_bought_in_the_same_sentence_is_strong(gate):
    # police drones under a contract (realnews_espt2 pt06 was missed with "drone, drones" alone)
    for text in ["A PSP recebeu os drones adquiridos num contrato de 300 mil euros.",
                 "The police bought six drones last year.", "La mairie a acheté des caméras thermiques et des drones."]:
        r = gate.check(text)
        assert r.in_scope and r.strong, (text, r)
    # the purchase word in another sentence, or too far away, leaves the weak word weak
    apart = gate.check("Drones filmed the crowd of fans. He signed a new contract with the club on Monday.")
    assert not apart.in_scope and "drones" in apart.weak
    far = gate.check("Drones " + "flew over the stadium and the fans waved flags while the band played, " * 3
                     + "and the club later bought a new striker.")
    assert not far.in_scope


def test_whole_words_only_and_case_sensitive_aliases(gate):
    # NEC is a case-sensitive alias; "necessary" and "nec" must not hit it
    r = gate.check("It was necessary, the minister said; nec plus ultra.")
    assert r.strong == () and r.weak == ()
    assert not gate.check("").in_scope and gate.check(None).reason == "no surveillance terms"


def test_reason_lists_strong_then_weak_terms_sorted(gate):
    r = gate.check("CCTV cameras and spyware; drones too.")
    assert r.reason == "strong: cctv, cctv cameras, spyware; weak: cameras, drones"


def test_fingerprint_is_stable_and_follows_the_vocabulary(tmp_path):
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    a, b = Gate(gate_vocabulary(seeds)), Gate(gate_vocabulary(seeds))
    assert a.fingerprint == b.fingerprint and a.fingerprint.startswith("gate-")
    copy = tmp_path / "seeds"
    shutil.copytree(seeds, copy)
    gate_yaml = copy / "gate.yaml"
    gate_yaml.write_text(gate_yaml.read_text(encoding="utf-8").replace("strong_terms:\n  en: [",
                                                                       "strong_terms:\n  en: [panopticon, "),
                         encoding="utf-8")
    changed = Gate(gate_vocabulary(copy))
    assert changed.fingerprint != a.fingerprint
    assert changed.check("A panopticon for the city.").in_scope and not a.check("A panopticon for the city.").in_scope
    (copy / "gate.yaml").unlink()
    with pytest.raises(FileNotFoundError, match="gate.yaml"):
        gate_vocabulary(copy)


# ---- recall floor: every gold document is in scope and must pass
@pytest.mark.parametrize("name", GOLD_SETS)
def test_recall_on_every_gold_set(gate, name):
    gs = load_gold_set(DATA / name)
    if not gs.texts:
        pytest.skip(f"{name}: texts not cached ({len(gs.left_out)} docs left out)")
    missed = [doc for doc, text in zip(gs.docs, gs.texts) if not gate.check(text).in_scope]
    recall = 1 - len(missed) / len(gs.texts)
    assert recall >= 0.99, f"{name}: recall {recall:.3f}, missed {missed}"


# ---- precision on the generated general-news mix
def test_offtopic_news_is_kept_out(gate):
    docs = offtopic_corpus(600)
    passed = [(topic, gate.check(text)) for topic, _, text in docs]
    leaked = [(topic, r.reason) for topic, r in passed if r.in_scope]
    # measured: 16 of 600 (2.7 %), all phone stories naming Huawei, a vendor the tagger always reports
    assert len(leaked) / len(docs) <= 0.04, leaked[:5]
    assert all("huawei" in reason for _, reason in leaked)
    by_topic = {t for t, _ in leaked}
    assert by_topic <= {"consumer_tech"}
