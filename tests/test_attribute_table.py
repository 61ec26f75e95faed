"""nlp/attribute_table.py must annotate exactly like the attribute_ruler it replaces."""
from __future__ import annotations

import spacy
from spacy.attrs import LEMMA, MORPH, POS, TAG

from nlp.attribute_table import AttributeTable, use_attribute_table
from nlp.tagger import resolve_model_name

ATTRS = [POS, TAG, MORPH, LEMMA]

# own sentences covering the ruler's special cases: contractions, "gonna", existential "there", auxiliaries,
# determiners used as pronouns, spaces, numbers and symbols
TEXTS = [
    "The ministry signed a $12 million contract with Hikvision in 2021, officials said.",
    "There is no evidence that crime fell; there were 4,000 cameras by March.",
    "They ain't gonna publish the audit, and let's be honest: y'all knew nothin' about it.",
    "That was what police wanted. This is not that. Those who objected were ignored.",
    "We gotta ask who pays.  \n\n  Double  spaces\tand tabs stay tokens.",
    "C'mon, the contract has been approved and will be signed; it could have been cancelled.",
    "Its cameras — 1,200 of them — cover 85% of Nairobi's CBD (per the police).",
    "",
]


def _same(a, b) -> None:
    assert a.to_array(ATTRS).tolist() == b.to_array(ATTRS).tolist()


def test_same_annotations_as_the_models_ruler():
    ruler_nlp = spacy.load(resolve_model_name(None), exclude=["lemmatizer"])
    table_nlp = spacy.load(resolve_model_name(None), exclude=["lemmatizer"])
    assert use_attribute_table(table_nlp)
    assert "attribute_ruler" not in table_nlp.pipe_names
    assert table_nlp.pipe_names.index("survwatch_attribute_table") == ruler_nlp.pipe_names.index("attribute_ruler")
    for text in TEXTS:
        _same(ruler_nlp(text), table_nlp(text))
    # the ruler did change something on these texts (the comparison is not between two untouched docs)
    doc = ruler_nlp(TEXTS[1])
    assert {t.pos_ for t in doc} >= {"VERB", "PRON", "NOUN", "NUM"}


def _ruler_pair(patterns):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    return nlp, AttributeTable(ruler)


def test_pattern_kinds_and_order_on_a_synthetic_ruler():
    patterns = [
        {"patterns": [[{"LOWER": "cameras"}]], "attrs": {"TAG": "NNS", "POS": "NOUN"}},
        {"patterns": [[{"ORTH": {"IN": ["Huawei", "ZTE"]}}]], "attrs": {"POS": "PROPN"}},
        # a later pattern overrides an earlier one on the same token
        {"patterns": [[{"LOWER": "cameras", "IS_SPACE": False}]], "attrs": {"POS": "VERB"}},
        {"patterns": [[{"LOWER": {"NOT_IN": ["the", "cameras"]}, "IS_SPACE": False}]], "attrs": {"LEMMA": "x"}},
        # several tokens, attributes on the last one
        {"patterns": [[{"LOWER": "safe"}, {"LOWER": "city"}]], "attrs": {"POS": "PROPN"}, "index": -1},
        # left to the Matcher: a regex and an operator
        {"patterns": [[{"LOWER": {"REGEX": "^n[ou]thin'$"}}]], "attrs": {"LEMMA": "nothing"}},
        {"patterns": [[{"LOWER": "very", "OP": "+"}, {"LOWER": "old"}]], "attrs": {"POS": "ADV"}},
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE"}},
    ]
    nlp, table = _ruler_pair(patterns)
    for text in ["Huawei sold the cameras to a safe city project.", "ZTE said nothin' about very very old cameras.",
                 "the  cameras", "city safe"]:
        expected = nlp(text)
        got = table(nlp.make_doc(text))
        _same(expected, got)
    doc = table(nlp.make_doc("Huawei cameras for the safe city"))
    assert [t.pos_ for t in doc] == ["PROPN", "VERB", "", "", "", "PROPN"]
    assert doc[2].lemma_ == "x" and doc[3].lemma_ == ""  # NOT_IN: "for" takes it, "the" does not
