"""Vendor discovery (nlp/discovery.py): organisations outside the gazetteer named as suppliers of
surveillance technology, on hand-written sentences with the real spaCy model."""
from __future__ import annotations

import pytest

from flows.pipeline import tag_rows
from nlp import load_tagger
from nlp.discovery import normalise_name
from nlp.tagger import assemble


@pytest.fixture(scope="module")
def tagger():
    return load_tagger()


def candidates(tagger, text: str) -> dict[str, dict]:
    out = tagger.tag(text)
    for c in out["vendor_candidates"]:
        # offsets point at the surface; the evidence is the sentence around it
        assert text[c["start"]:c["end"]] == c["text"]
        assert c["text"] in c["sentence"] and c["sentence"] in text
    return {c["name"]: c for c in out["vendor_candidates"]}


def test_component_is_in_the_pipeline_with_its_settings(tagger):
    names = tagger.pipe_names
    assert names.index("survwatch_technologies") < names.index("survwatch_vendor_candidates") < names.index("survwatch_claims")
    comp = tagger.nlp.get_pipe("survwatch_vendor_candidates")
    # values from nlp/pipeline.cfg reach the component
    assert (comp.cue_window, comp.max_name_tokens, comp.min_acronym_chars, comp.propn_fallback) == (3, 6, 3, True)


@pytest.mark.parametrize("text,name,cue", [
    # subject of a supply verb; the small model labels this name PERSON (PROPN fallback)
    ("Zentrix Technologies supplied facial recognition cameras to police in Nairobi.", "Zentrix Technologies",
     "supplier_verb"),
    # contract partner, no technology needed
    ("The interior ministry signed a contract with Veritas Vision Systems.", "Veritas Vision Systems", "contract_with"),
    # passive agent; the legal suffix is dropped from the name
    ("The cameras were supplied by Ostrava Secure Ltd., according to documents.", "Ostrava Secure", "supplied_by"),
    # "awarded to X" with a contract noun in the sentence
    ("The city council awarded the CCTV contract to Brandvik Security Systems.", "Brandvik Security Systems", "awarded_to"),
    # vendor noun right before the name, with a technology in the sentence
    ("Lagos-based startup Nuvia sells facial recognition software to banks.", "Nuvia", "vendor_noun"),
    ("The body-camera maker WatchGuard was bought last year.", "WatchGuard", "vendor_noun"),
    ("The NYPD bought 500 drones from DroneTech Solutions.", "DroneTech Solutions", "bought_from"),
    # a short acronym is fine inside a longer name
    ("The ministry signed a contract with SK Telecom for CCTV.", "SK Telecom", "contract_with"),
    # the firm chosen to supply: "selected / hired X to install ..."
    ("The interior ministry hired Zentrix Labs to install 500 cameras in Nairobi.", "Zentrix Labs", "selected_to_supply"),
])
def test_unknown_suppliers_are_found(tagger, text, name, cue):
    found = candidates(tagger, text)
    assert list(found) == [name]
    assert found[name]["cue"] == cue


def test_apposition_maker_of_cameras(tagger):
    text = "Kestrel Analytics, a maker of licence-plate cameras, won a tender in Accra."
    found = candidates(tagger, text)
    assert list(found) == ["Kestrel Analytics"]
    assert found["Kestrel Analytics"]["cue"] in ("vendor_noun", "won_contract")
    assert found["Kestrel Analytics"]["sentence"] == text


@pytest.mark.parametrize("text", [
    # chosen, but for no supply ("selected X to oversee")
    "The city selected Brandvik Partners to oversee the review of its police budget.",
    # buyers, agencies, NGOs and newspapers in a supplier slot: lexical cues on the name
    "The cameras were supplied by the Ministry of Interior to regional police.",
    "The cameras were supplied by the National Police Service to county officials.",
    "Kenya Police supplied the cameras to county officials.",
    "Facial recognition training data was provided by Amnesty International.",
    "The contract with Stanford University covered facial recognition research.",
    "Reuters, a news company, reported that facial recognition cameras were supplied.",
    "The Daily Monitor, a company that reports on CCTV, was sued.",
    # known vendors, listed or not (NtechLab is an unlisted gazetteer entry), also inside a longer name
    "Hikvision supplied the cameras to the city.",
    "Hikvision Europe supplied the cameras to the city.",
    "A contract with Hikvision covered 2,000 cameras.",
    "NtechLab supplied facial recognition to Moscow.",
    # a gazetteer name the vendor matcher rejects without spyware context is still not unknown
    "Paragon supplied the software to the agency.",
    # names overlapping a country or technology mention
    "Kenya Power supplied the cameras.",
    "Safe City Solutions supplied the cameras.",
    # people, investors, market researchers, sources, corporate deals
    "Peter Thiel built the data analytics platform.",
    "Peter Thiel founded it. Thiel sold spyware.",
    "Tendai Moyo, 29, a software developer, said facial recognition was flawed.",
    "The private equity firm Harbour Lane bought a stake in the spyware maker.",
    "Chinese vendors held a third of the camera market, according to the research firm Omdia.",
    "Chinese vendors held a third of the camera market, according to Kestrel Insights, a firm that tracks CCTV sales.",
    "Microsoft has sold its minority stake in the facial recognition start-up.",
    # the vendor side of the contract is taken: the partner is the buyer
    "Palantir won a contract with the NHS.",
    # single-token all-caps names shorter than min_acronym_chars
    "The cameras were supplied by AB to the city.",
    "The ministry signed a contract with KT for CCTV.",
    # a supplier verb, but no organisation
    "The government bought the cameras and police deployed them.",
])
def test_non_vendors_are_not_candidates(tagger, text):
    assert tagger.tag(text)["vendor_candidates"] == []


def test_short_form_of_a_non_vendor_named_in_full_is_excluded(tagger):
    # "Met" alone has no buyer word; the document names it in full as the Metropolitan Police
    text = ("The Metropolitan Police trialled the technology in 2016. "
            "The Met now deploys facial recognition in London and has installed fixed cameras in Croydon.")
    assert candidates(tagger, text) == {}


def test_one_candidate_per_name_with_the_first_evidence(tagger):
    text = ("The cameras were supplied by Zentrix Technologies. "
            "Zentrix Technologies also sold drones to Uganda, officials said.")
    out = tagger.tag(text)
    assert [c["name"] for c in out["vendor_candidates"]] == ["Zentrix Technologies"]
    assert out["vendor_candidates"][0]["sentence"] == "The cameras were supplied by Zentrix Technologies."
    assert out["vendor_candidates"][0]["cue"] == "supplied_by"


def test_a_firm_in_a_supplier_role_is_a_vendor_outside_the_gazetteer(tagger):
    # open world (CONVENTIONS.md): a discovered supplier is reported as a vendor, marked "discovered",
    # and can take part in deals
    text = "Zentrix Technologies supplied facial recognition cameras to police in Nairobi."
    out = tagger.tag(text)
    assert out["vendors"] == ["Zentrix Technologies"]
    assert out["vendor_origins"] == {"Zentrix Technologies": "discovered"}
    assert [(d["vendor"], d["country"]) for d in out["deals"]] == [("Zentrix Technologies", "KE")]
    assert out["countries"] == ["KE"] and out["technologies"] == ["facial_recognition"]
    vendor_mentions = [m for m in out["mentions"] if m["type"] == "vendor"]
    assert [(m["value"], m["origin"]) for m in vendor_mentions] == [("Zentrix Technologies", "discovered")]
    assert all(m["type"] != "vendor_candidate" for m in out["mentions"])


def test_gazetteer_vendors_are_marked_as_such(tagger):
    out = tagger.tag("Hikvision supplied the cameras to police in Kampala.")
    assert out["vendor_origins"] == {"Hikvision": "gazetteer"}
    assert all(m["origin"] == "gazetteer" for m in out["mentions"] if m["type"] == "vendor")


@pytest.mark.parametrize("raw,name", [
    ("the Zentrix Technologies", "Zentrix Technologies"),
    ("Zentrix Technologies Ltd.", "Zentrix Technologies"),
    ("Zentrix's", "Zentrix"),
    ("Acme Vision, Inc.", "Acme Vision"),
    ("Kestrel Security GmbH", "Kestrel Security"),
    ("Sistemas Andinos S.A.", "Sistemas Andinos"),
    ("Orbis Corp.", "Orbis"),
    ("Orbis  Vision\nLLC", "Orbis Vision"),
    ("NSO Group", "NSO Group"),          # "Group" is part of the name, not a legal form
    ("Coinco", "Coinco"),                # a name ending in "co" keeps it
])
def test_normalise_name(raw, name):
    assert normalise_name(raw) == name


def test_assemble_shifts_chunk_offsets_and_dedups_case_insensitively():
    def cand(name, start, sentence):
        return {"name": name, "text": name, "start": start, "end": start + len(name), "sentence": sentence,
                "cue": "supplied_by", "extra": "dropped"}
    parts = [
        (0, {"vendor_candidates": [cand("Zentrix", 10, "first")]}, ""),
        (1000, {"vendor_candidates": [cand("ZENTRIX", 5, "second"), cand("Orbis", 40, "third")]}, ""),
    ]
    out = assemble(parts)["vendor_candidates"]
    assert [(c["name"], c["start"], c["end"], c["sentence"]) for c in out] == [
        ("Zentrix", 10, 17, "first"), ("Orbis", 1040, 1045, "third")]
    assert set(out[0]) == {"name", "text", "start", "end", "sentence", "cue"}


def test_tag_rows_turn_candidates_into_warehouse_rows():
    tags = {"vendor_candidates": [
        {"name": "Zentrix", "text": "Zentrix Ltd.", "start": 3, "end": 15, "sentence": "By Zentrix Ltd.", "cue": "supplied_by"},
        {"name": "Zentrix", "text": "Zentrix", "start": 40, "end": 47, "sentence": "later", "cue": "supplier_verb"},
    ]}
    rows = tag_rows("item1", tags, "9.9")["vendor_candidates"]
    assert rows == [{"item_id": "item1", "name": "Zentrix", "surface": "Zentrix Ltd.", "start_char": 3, "end_char": 15,
                     "evidence": "By Zentrix Ltd.", "cue": "supplied_by", "nlp_version": "9.9"}]
