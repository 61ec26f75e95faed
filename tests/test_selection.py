"""Sentence-selective parsing (nlp/selection.py): which sentences get the model, that the pieces join back into
the same text and offsets, and that the tags on the gold sets are those of parsing every sentence."""
from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Doc

from flows.goldsets import load_gold_set
from nlp.evaluate import evaluate
from nlp.selection import ENTITIES, NONE, PARSE, join_docs
from nlp.tagger import load_tagger

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def tagger():
    return load_tagger()


def levels(tagger, text: str) -> list[tuple[int, str]]:
    light = tagger.selector.light_doc(text)
    return [(lv, s.text.strip()) for lv, s in zip(tagger.selector.needs(light), light.sents) if s.text.strip()]


def segments(tagger, text: str):
    return tagger.selector.segments(tagger.selector.light_doc(text))


def test_english_pipeline_selects_sentences(tagger):
    assert tagger.selector is not None and tagger.rule_components[0] == "survwatch_vendors"
    text = ("Residents gathered in the square on a cold morning to talk about the weather. "
            "Crime fell by 24 percent after the cameras were switched on, officials said. "
            "Hikvision installed the cameras. "
            "Santiago Nieto criticised the plan. "
            "The mayor thanked everyone for coming.")
    got = dict((t, lv) for lv, t in levels(tagger, text))
    assert got["Residents gathered in the square on a cold morning to talk about the weather."] == NONE
    assert got["The mayor thanked everyone for coming."] == NONE
    assert got["Crime fell by 24 percent after the cameras were switched on, officials said."] == PARSE  # a figure
    assert got["Hikvision installed the cameras."] >= PARSE  # a vendor: deals read the parse
    assert got["Santiago Nieto criticised the plan."] == ENTITIES  # a city inside a person's name


def test_quoted_figure_parses_the_attribution_before_it(tagger):
    text = ('"This is a disgrace," said Maria Lopez, a lawyer. '
            '"Only 3 percent of the alerts were right," she added.')
    got = [lv for lv, _ in levels(tagger, text)]
    assert got[0] >= PARSE and got[1] >= PARSE


def test_segments_join_back_and_never_cut_after_an_abbreviation(tagger):
    text = ("APPROVE AN AGREEMENT WITH SHOTSPOTTER, INC. IN THE AMOUNT OF $105,000\n\n"
            "The weather was fine. The council met at noon. It approved 3 contracts.\n"
            "Nothing else happened on the day, and people went home.")
    segs = segments(tagger, text)
    assert "".join(text[s.start:s.end] for s in segs) == text
    assert all(a.end == b.start for a, b in zip(segs, segs[1:]))
    assert all(a.level != b.level for a, b in zip(segs, segs[1:]))  # neighbours with one level are merged
    first = text[segs[0].start:segs[0].end]
    assert "IN THE AMOUNT OF $105,000" in first  # not cut after "INC."


def test_offsets_and_text_survive_the_rejoin(tagger):
    text = ("Police in Nairobi said crime fell 12 percent in 2023.\n\nThe weather was mild all week.\n"
            "Huawei supplied the cameras to Kenya under a $172 million contract. Nobody else spoke.")
    out = tagger.tag(text)
    assert out["mentions"] and out["claims"] and out["deals"]
    for m in out["mentions"]:
        assert text[m["start"]:m["end"]] == m["text"]
    for c in out["claims"]:
        assert text[c["start"]:c["end"]] == c["text"]
    assert {c["value"] for c in out["claims"]} >= {12, 172_000_000}
    assert any(d["vendor"] == "Huawei" and d["country"] == "KE" for d in out["deals"])


def test_join_docs_is_doc_from_docs(tagger):
    """join_docs must give what Doc.from_docs gives: words, spaces, parse, entities, sentences, offsets."""
    text = ("The weather was mild.  Nothing happened.\n\n"
            "Huawei supplied 300 cameras to the police in Nairobi, Kenya, officials said on Tuesday. "
            "People went home.\nThe end")
    segs = segments(tagger, text)
    assert len(segs) >= 3
    docs = [tagger.nlp(text[s.start:s.end]) if s.parse else tagger.selector.light_doc(text[s.start:s.end])
            for s in segs]
    want = Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor", "user_data"])
    got = join_docs(docs, text)
    assert got.text == want.text == text
    assert [(t.text, t.whitespace_, t.idx, t.head.i, t.dep_, t.tag_, t.pos_, t.lemma_, str(t.morph), t.ent_iob_,
             t.ent_type_) for t in got] == \
        [(t.text, t.whitespace_, t.idx, t.head.i, t.dep_, t.tag_, t.pos_, t.lemma_, str(t.morph), t.ent_iob_,
          t.ent_type_) for t in want]
    assert [(s.start, s.end) for s in got.sents] == [(s.start, s.end) for s in want.sents]
    assert any(e.label_ == "GPE" for e in got.ents)


def test_flat_parse_makes_each_sentence_one_tree(tagger):
    light = tagger.selector.light_doc("One sentence here. Another one follows!\nA line of its own")
    sents = list(light.sents)
    assert [s.text.strip() for s in sents if s.text.strip()] == ["One sentence here.", "Another one follows!",
                                                                 "A line of its own"]
    for s in sents:
        assert all(t.head.i == s.start for t in s)
        assert [t.dep_ for t in s] == ["ROOT"] + ["dep"] * (len(s) - 1)


def test_selection_off_when_rules_empty(tmp_path, tagger):
    from nlp.tagger import make_selector

    assert make_selector(tagger.nlp, {"selection": {"rules": []}, "rule_components": tagger.rule_components}) is None
    with pytest.raises(ValueError, match="unknown sentence-selection rule"):
        make_selector(tagger.nlp, {"selection": {"rules": ["nouns"]}, "rule_components": tagger.rule_components})


@pytest.mark.parametrize("name", ["dev", "holdout", "holdout2"])
def test_gold_set_f1_same_as_parsing_every_sentence(tagger, name):
    """Same tags, less work: on the English gold sets every label's F1 stays within 0.005 of parsing every
    sentence, and at least a tenth of the text is not parsed."""
    gs = load_gold_set(DATA / name)
    texts, docs = gs.texts, gs.docs
    selector = tagger.selector
    try:
        tagger.selector = None
        every = list(tagger.tag_many(texts))
    finally:
        tagger.selector = selector
    selective = list(tagger.tag_many(texts))
    rep_every = evaluate([{"doc": d, **t} for d, t in zip(docs, every)], gs.gold)
    rep_sel = evaluate([{"doc": d, **t} for d, t in zip(docs, selective)], gs.gold)
    for label, row in rep_every["labels"].items():
        assert abs(rep_sel["labels"][label]["f1"] - row["f1"]) <= 0.005, (label, row["f1"], rep_sel["labels"][label])
    same = sum(a["claims"] == b["claims"] and a["deals"] == b["deals"] and a["vendors"] == b["vendors"]
               for a, b in zip(every, selective))
    assert same >= 0.6 * len(texts)
    total = sum(len(t) for t in texts)
    parsed = sum(s.end - s.start for t in texts for s in selector.segments(selector.light_doc(t)) if s.parse)
    assert parsed / total < 0.9


def test_french_ner_only_where_a_place_meets_a_name():
    """French reads entities only for the person-name check on places: same output, a fraction of the NER."""
    from nlp.languages.pipeline import load_language_tagger

    fr = load_language_tagger("fr")[0]
    if fr.selector is None:
        pytest.skip("fr_core_news_sm not installed: the French pipeline is blank")
    gs = load_gold_set(DATA / "dev_fr")
    selector = fr.selector
    try:
        fr.selector = None
        every = list(fr.tag_many(gs.texts))
    finally:
        fr.selector = selector
    assert list(fr.tag_many(gs.texts)) == every
    total = sum(len(t) for t in gs.texts)
    parsed = sum(s.end - s.start for t in gs.texts for s in selector.segments(selector.light_doc(t)) if s.parse)
    assert parsed / total < 0.5
