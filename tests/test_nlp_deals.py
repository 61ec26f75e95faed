"""Deal rules on hand-written texts: anaphora ("the company"), buyer agencies, suspicion, ended
relations, bans on another party; and claim places for company-level and global figures."""
from __future__ import annotations

import pytest

from nlp import load_tagger


@pytest.fixture(scope="module")
def tagger():
    return load_tagger()


def pairs(out) -> set[tuple[str, str, str]]:
    return {(d["vendor"], d["country"], d["kind"]) for d in out["deals"]}


@pytest.mark.parametrize("text,expected", [
    # "the Chinese company" refers back to the only vendor of the previous sentence
    ("Huawei has built safe city systems in several countries. In 2018 the German city of Duisburg signed a "
     "memorandum of understanding with the Chinese company.", ("Huawei", "DE", "contract")),
    ("NSO Group sells Pegasus only to governments. In Poland, the anti-corruption bureau bought the spyware "
     "in 2017.", ("NSO Group", "PL", "supply")),
    # an agency names the buyer's country
    ("Immigration and Customs Enforcement signed a contract with Babel Street for location data.",
     ("Babel Street", "US", "contract")),
    ("Huawei has opened a cloud data centre in Johannesburg.", ("Huawei", "ZA", "office")),
    # use by a state actor of the country; a sibling clause's "courting" does not govern it
    ("Israeli firms are courting the same customers, and Britain's police forces already run NEC's "
     "facial recognition software in their camera vans.", ("NEC", "GB", "supply")),
    ("Myanmar police used a Cellebrite UFED device to copy the reporters' phones.", ("Cellebrite", "MM", "supply")),
    # a country's own institution is not an origin descriptor, even before a word like "telecoms"
    ("Netsweeper supplied the web-filtering system that Pakistan's telecoms regulator used to block sites.",
     ("Netsweeper", "PK", "supply")),
    # "countries such as": the places listed are recipients, the first one too
    ("In Africa, Dahua has sold CCTV systems to countries such as Ghana, Egypt and Zambia.", ("Dahua", "GH", "supply")),
    # "launched" counts only next to a technology; "implement" is a supply verb
    ("Huawei launched a safe city project in the Mauritian capital in 2018.", ("Huawei", "MU", "supply")),
    ("The Chinese firm teamed up with Safaricom to implement the first phase of Kenya's Safe City project.",
     ("Safaricom", "KE", "supply")),
])
def test_deal_found(tagger, text, expected):
    assert expected in pairs(tagger.tag(text))


@pytest.mark.parametrize("text,absent", [
    # two vendors before "the company": ambiguous, so no antecedent
    ("Hikvision and Dahua compete for city contracts. The city of Lyon signed a contract with the company.",
     ("Hikvision", "FR")),
    ("Researchers found servers they suspected belonged to QuaDream customers in Ghana.", ("QuaDream", "GH")),
    ("Cellebrite said it stopped selling to Myanmar in 2018.", ("Cellebrite", "MM")),
    ("Activists asked whether any state agency in Jordan has bought Pegasus.", ("NSO Group", "JO")),
    # the sanction is on the unit, not on the vendor whose devices it bought
    ("The battalion, an elite unit sanctioned by Washington in 2021, bought UFED devices.", ("Cellebrite", "US")),
    ("Hanwha Vision opened a plant near Hanoi as it moves production out of China.", ("Hanwha Vision", "CN")),
    ("The devices were donated through a project run by the UN Office for Project Services in Norway, "
     "Cellebrite said.", ("Cellebrite", "NO")),
    # origin, not a deal; and the selling belongs to the vendor on the path (MSAB), not to Cellebrite
    ("Cellebrite is the best known, but MSAB from Sweden sells similar kits.", ("MSAB", "SE")),
    ("Cellebrite is the best known, but MSAB from Sweden sells similar kits.", ("Cellebrite", "SE")),
    # a description of the product, and victims' countries
    ("Phones in Jordan were targeted with Pegasus, the spyware sold by NSO Group, researchers said.",
     ("NSO Group", "JO")),
    ("Researchers said the tool, found in attacks on organisations in Russia, was built by Memento Labs.",
     ("Memento Labs", "RU")),
    # the relative clause belongs to Hungary, not to Spain
    ("MPs referred to Hungary, where the interior ministry bought Pegasus, and to Spain, where the "
     "targeting of politicians caused a scandal.", ("NSO Group", "ES")),
    # a country in a time adjunct is context; 'used' by a non-state subject is not a deal
    ("Ukraine received access to Clearview AI after Russia's invasion.", ("Clearview AI", "RU")),
    ("Activists in Kenya used Hikvision cameras in a protest art project.", ("Hikvision", "KE")),
    # bidders are not buyers' suppliers yet
    ("Idemia and Thales are said to be in the running for a biometric ID card contract in Gabon.", ("Idemia", "GA")),
    ("Thales, Idemia and Veridos jostle for a national ID card contract in Chad.", ("Thales", "TD")),
    ("Huawei launched a new phone in Kenya.", ("Huawei", "KE")),
])
def test_no_deal(tagger, text, absent):
    got = {(v, c) for v, c, _ in pairs(tagger.tag(text))}
    assert absent not in got


def test_anaphor_is_not_a_vendor_mention(tagger):
    out = tagger.tag("Dahua makes cameras. The company opened an office in Nairobi.")
    assert out["vendors"] == ["Dahua"]
    assert [m["text"] for m in out["mentions"] if m["type"] == "vendor"] == ["Dahua"]
    assert ("Dahua", "KE", "office") in pairs(out)


@pytest.mark.parametrize("text", [
    "Zimbabwe bought cameras from CloudWalk. The company's revenue rose 29 percent in 2024.",
    "Zimbabwe bought cameras from CloudWalk. CloudWalk claims its algorithms reach an accuracy of 99.5 percent.",
    "Kenya installed 1,800 cameras in Nairobi. Sales of such cameras grew 12 percent worldwide last year.",
])
def test_company_and_global_figures_have_no_place(tagger, text):
    last = tagger.tag(text)["claims"][-1]
    assert last["place"] is None, last


def test_place_still_falls_back_to_the_main_country(tagger):
    out = tagger.tag("Kenya installed cameras in Nairobi in 2015. Police said robberies fell 46 percent.")
    assert out["claims"][-1]["place"] == "KE"


def test_an_origin_demonym_leaves_the_sentence_placeless(tagger):
    """'supplied by Chinese telecoms giant Huawei' names only the vendor's origin: the deal still takes the
    document's country, as if no country were named."""
    out = tagger.tag("Uganda has installed new cameras in Kampala. Police say the new CCTV system, supplied by "
                     "Chinese telecommunications giant Huawei Technologies Co Ltd, will slash violent crime.")
    assert ("Huawei", "UG", "supply") in pairs(out)
    assert not any(c == "CN" for _, c, _ in pairs(out))


def test_a_product_described_by_its_maker_is_no_placeless_deal(tagger):
    """'Pegasus, the spyware sold by the Israeli firm NSO Group' says what Pegasus is: no sale to the document's
    country."""
    text = ("India's Supreme Court set up a panel on phone hacking. The court said the experts were unable to conclude "
            "that it was Pegasus, the spyware sold by the Israeli firm NSO Group.")
    selector = tagger.selector
    try:
        tagger.selector = None  # every sentence parsed: the parse this rule needs
        every = tagger.tag(text)
    finally:
        tagger.selector = selector
    for out in (every, tagger.tag(text)):
        assert not [d for d in out["deals"] if d["vendor"] == "NSO Group"]


def test_a_placeless_deal_takes_the_one_country_just_before_it(tagger):
    filler = "Lawmakers asked how long the recordings would be kept and who could see them. " * 4
    text = ("Kenya, Tanzania, Rwanda and Ethiopia are debating new cameras. " + filler +
            "Officials in Uganda opened a police control room last week. The system was supplied by Huawei.")
    assert ("Huawei", "UG", "supply") in pairs(tagger.tag(text))
    # two countries just before: no guess
    two = text.replace("Officials in Uganda", "Officials in Uganda and Zambia")
    assert not {p for p in pairs(tagger.tag(two)) if p[0] == "Huawei"}


def test_a_newspaper_named_after_a_place_is_not_a_country(tagger):
    out = tagger.tag("According to The New York Times, police in Kenya bought Hikvision cameras.")
    assert out["countries"] == ["KE"] and ("Hikvision", "US") not in {(v, c) for v, c, _ in pairs(out)}


@pytest.mark.parametrize("text,expected,absent", [
    # use by state officials counts as supply, like use by the police
    ("Cellebrite's technologies were used by state officials in Russia and Belarus.",
     {("Cellebrite", "RU", "supply"), ("Cellebrite", "BY", "supply")}, set()),
    # a fine by a regulator is an enforcement action of its country, every country of a list takes it
    ("Clearview AI was fined by regulators in France and Italy.",
     {("Clearview AI", "FR", "ban"), ("Clearview AI", "IT", "ban")}, set()),
    ("Italy's data protection authority fined Clearview AI 20 million euros.", {("Clearview AI", "IT", "ban")}, set()),
    ("Huawei was banned by the US and Australia.", {("Huawei", "US", "ban"), ("Huawei", "AU", "ban")}, set()),
    # where a fine fell is not who imposed it
    ("Huawei was fined in Kenya for late tax filings.", set(), {("Huawei", "KE", "ban")}),
])
def test_state_officials_regulators_and_fines(tagger, text, expected, absent):
    got = pairs(tagger.tag(text))
    assert expected <= got
    assert not (absent & got)


@pytest.mark.parametrize("text,expected,absent", [
    # the sentence after "sold ... to governments" lists the recipients
    ("Hacking Team sold its surveillance suite to governments around the world. Among its clients were Sudan, "
     "Ethiopia and Morocco.", {("Hacking Team", "SD"), ("Hacking Team", "ET"), ("Hacking Team", "MA")}, set()),
    # two sentences back, past a sentence naming the tool again
    ("FinFisher is now used by more governments than in 2014. Evidence suggests the software is in use by at "
     "least 32 agencies. Including Mexico, Venezuela and Kazakhstan to name a few.",
     {("FinFisher", "MX"), ("FinFisher", "KZ")}, set()),
    # the recipient noun opening the sentence, capitalised
    ("Governments across Africa bought spyware from NSO Group. Among them were Ghana and Rwanda.",
     {("NSO Group", "GH"), ("NSO Group", "RW")}, set()),
    # a denied sale lists no recipients; nor does a list far from the sale, or one after a rival
    ("The Italian firm Hacking Team denied it sold its software to governments with poor records. These include "
     "Sudan and Ethiopia.", set(), {("Hacking Team", "SD"), ("Hacking Team", "ET")}),
])
def test_recipients_listed_in_the_next_sentence(tagger, text, expected, absent):
    got = {(v, c) for v, c, _ in pairs(tagger.tag(text))}
    assert expected <= got
    assert not (absent & got)


def test_a_list_three_sentences_after_the_sale_is_not_its_recipients(tagger):
    out = tagger.tag("Hacking Team sold its suite to governments. The leak was large. The reporters were many. "
                     "Among them were people from Sudan.")
    assert not [d for d in out["deals"] if d["text"].startswith("Among them")]


def test_a_currency_named_after_a_place_is_not_the_place(tagger):
    out = tagger.tag("The Electoral Commission of Zambia awarded a 16 million US dollar contract to Smartmatic. "
                     "The fee was paid in Hong Kong dollars and the rest in US$.")
    assert out["countries"] == ["ZM"]
    assert pairs(out) == {("Smartmatic", "ZM", "contract")}


def test_a_subsidiary_of_names_an_owner_not_an_office(tagger):
    out = tagger.tag("Smartmatic International Holdings BV is a subsidiary of Smartmatic, a Netherlands-based company "
                     "with presence in the US, Mexico, Venezuela and Spain.")
    assert not [d for d in out["deals"] if d["kind"] == "office"]
    # subsidiaries in a country are offices there
    assert ("Huawei", "MX", "office") in pairs(tagger.tag("Huawei has subsidiaries in Mexico and Brazil."))
