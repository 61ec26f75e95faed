"""Spanish, Portuguese and French taggers (nlp/languages): countries, technologies, claims, deals,
and that no English rule runs on them."""
from __future__ import annotations

import pytest

from nlp.languages.pipeline import load_language_tagger


@pytest.fixture(scope="module")
def es():
    return load_language_tagger("es")[0]


@pytest.fixture(scope="module")
def pt():
    return load_language_tagger("pt")[0]


@pytest.fixture(scope="module")
def fr():
    return load_language_tagger("fr")[0]


ES_DOC = ("El gobierno de Bolivia firmó un contrato con la empresa china Huawei para instalar 2.000 cámaras de "
          "videovigilancia en La Paz, según informó el Ministerio de Gobierno. Según datos de la Policía Boliviana, "
          "los robos cayeron un 30 % en 2022. La empresa negó haber vendido software espía a Venezuela.")


def test_es_full_output(es):
    out = es.tag(ES_DOC)
    assert out["vendors"] == ["Huawei"]
    assert out["countries"] == ["BO", "CN", "VE"]
    assert {"cctv", "spyware"} <= set(out["technologies"])
    c1, c2 = out["claims"]
    assert (c1["value"], c1["unit"], c1["place"], c1["source"]) == (2000, "count", "BO", "Ministerio de Gobierno")
    assert (c2["value"], c2["unit"], c2["direction"], c2["year"], c2["source"]) == \
        (30, "percent", "decrease", 2022, "Policía Boliviana")
    assert ES_DOC[c1["start"]:c1["end"]] == c1["text"]
    # a contract with Bolivia; no deal with China (origin) nor Venezuela (denied)
    assert [(d["vendor"], d["country"], d["kind"]) for d in out["deals"]] == [("Huawei", "BO", "contract")]


def test_es_money_and_loan(es):
    out = es.tag("Ecuador pagó US$ 105 millones por el sistema ECU-911, financiado con un préstamo del Exim Bank "
                 "de China. Llame al 911.")
    assert [(c["value"], c["unit"], c["place"]) for c in out["claims"]] == [(105000000, "USD", "EC")]
    assert out["countries"] == ["CN", "EC"]


def test_es_demonyms_and_cities(es):
    out = es.tag("Las autoridades mexicanas y la policía de Quito compraron cámaras. Se habló en español.")
    assert out["countries"] == ["EC", "MX"]


def test_es_pesos_resolved_by_country(es):
    out = es.tag("En Argentina, el municipio gastó 500 millones de pesos en cámaras.")
    assert [(c["value"], c["unit"], c["place"]) for c in out["claims"]] == [(500000000, "ARS", "AR")]


def test_es_hedges_and_direction(es):
    out = es.tag("Según la alcaldía, habría unas 3.000 cámaras más en la ciudad de Bogotá.")
    c = out["claims"][0]
    assert (c["value"], c["hedged"], c["direction"], c["place"]) == (3000, True, "increase", "CO")
    out = es.tag("El gobierno instaló más de 3.000 cámaras en Bogotá.")
    assert out["claims"][0]["direction"] == "level"


def test_es_negated_and_proposed_deals(es):
    assert es.tag("Huawei no firmó ningún contrato con Uruguay.")["deals"] == []
    assert es.tag("Paraguay negocia un acuerdo con Hikvision para instalar cámaras.")["deals"] == []
    out = es.tag("China donó cámaras de Hikvision a Bolivia.")
    assert [(d["vendor"], d["country"], d["kind"]) for d in out["deals"]] == [("Hikvision", "BO", "donation")]


def test_es_each_country_takes_its_nearest_trigger(es):
    out = es.tag("El municipio de Ciudad Juárez adquirió cámaras de Dahua, empresa vetada por el gobierno de "
                 "Estados Unidos.")
    assert sorted((d["vendor"], d["country"], d["kind"]) for d in out["deals"]) == \
        [("Dahua", "MX", "supply"), ("Dahua", "US", "ban")]


def test_pt_state_demonyms(pt):
    assert pt.tag("O governo baiano assinou o contrato.")["countries"] == ["BR"]


def test_fr_passive_participle_is_not_a_source(fr):
    out = fr.tag("Le marché estimé à 150 millions d'euros a été remporté par Huawei à Abidjan.")
    assert out["claims"][0]["source"] is None
    assert out["countries"] == ["CI"]


def test_es_competitor_is_not_a_deal(es):
    out = es.tag("Dahua, rival de Hikvision, instaló las cámaras en Quito.")
    assert [(d["vendor"], d["country"]) for d in out["deals"]] == [("Dahua", "EC")]


PT_DOC = ("O governo de São Paulo contratou a Hikvision para fornecer 12 mil câmeras de reconhecimento facial, "
          "segundo a Secretaria de Segurança Pública. O contrato vale R$ 20 milhões. A criminalidade caiu 1,5% em "
          "2023, disse o secretário Guilherme Derrite.")


def test_pt_full_output(pt):
    out = pt.tag(PT_DOC)
    assert out["vendors"] == ["Hikvision"]
    assert out["countries"] == ["BR"]
    assert "facial_recognition" in out["technologies"]
    assert [(c["value"], c["unit"]) for c in out["claims"]] == [(12000, "count"), (20000000, "BRL"), (1.5, "percent")]
    assert out["claims"][0]["source"] == "Secretaria de Segurança Pública"
    assert out["claims"][2]["direction"] == "decrease"
    assert out["claims"][2]["source"] == "secretário Guilherme Derrite"
    assert [(d["vendor"], d["country"]) for d in out["deals"]] == [("Hikvision", "BR")]


def test_pt_segundo_as_ordinal_is_not_a_source(pt):
    out = pt.tag("O segundo maior contrato previa 500 câmeras em Lisboa.")
    assert out["claims"][0]["source"] is None
    assert out["countries"] == ["PT"]


def test_pt_denied_deal(pt):
    assert pt.tag("O ministério negou ter comprado o Pegasus da NSO Group para o Brasil.")["deals"] == []


FR_DOC = ("Le Sénégal a signé un contrat de 150 millions d'euros avec le géant chinois Huawei pour la "
          "vidéosurveillance de Dakar. Selon le ministère de l'Intérieur, la criminalité a baissé de 20 % depuis 2021.")


def test_fr_full_output(fr):
    out = fr.tag(FR_DOC)
    assert out["vendors"] == ["Huawei"]
    assert out["countries"] == ["CN", "SN"]
    assert "cctv" in out["technologies"]
    assert [(c["value"], c["unit"], c["place"]) for c in out["claims"]] == [(150000000, "EUR", "SN"), (20, "percent", "SN")]
    assert out["claims"][1]["direction"] == "decrease"
    assert out["claims"][1]["source"] == "ministère de l'Intérieur"
    assert [(d["vendor"], d["country"], d["kind"]) for d in out["deals"]] == [("Huawei", "SN", "contract")]


def test_fr_cfa_and_demonym(fr):
    out = fr.tag("Le gouvernement camerounais a obtenu un prêt de 2,5 milliards de francs CFA pour des caméras Huawei.")
    assert out["countries"] == ["CM"]
    assert [(c["value"], c["unit"]) for c in out["claims"]] == [(2500000000, "XAF")]
    assert [(d["vendor"], d["country"], d["kind"]) for d in out["deals"]] == [("Huawei", "CM", "loan")]


def test_fr_pegasus_needs_french_context(fr):
    assert fr.tag("Le logiciel espion Pegasus a infecté le téléphone d'un journaliste marocain.")["vendors"] == ["NSO Group"]
    assert fr.tag("Pegasus est un cheval ailé de la mythologie.")["vendors"] == []


def test_no_english_rule_runs_on_other_languages(es, pt, fr):
    for tagger in (es, pt, fr):
        names = tagger.pipe_names
        assert not {"survwatch_claims", "survwatch_deals", "survwatch_countries", "survwatch_technologies",
                    "survwatch_vendor_candidates"} & set(names)
    # English trigger words and units mean nothing to the Spanish rules
    out = es.tag("Huawei supplied 30 percent of the cameras to Bolivia.")
    assert out["deals"] == []
    assert [(c["value"], c["unit"]) for c in out["claims"]] == [(30, "count")]


def test_offsets_and_schema(es, pt, fr):
    for tagger, doc in ((es, ES_DOC), (pt, PT_DOC), (fr, FR_DOC)):
        out = tagger.tag(doc)
        assert set(out) >= {"vendors", "countries", "technologies", "claims", "deals"}
        for c in out["claims"]:
            assert set(c) == {"text", "start", "end", "metric", "direction", "value", "unit", "place", "year",
                              "source", "hedged"}
            assert doc[c["start"]:c["end"]] == c["text"]
        for d in out["deals"]:
            assert set(d) == {"vendor", "country", "kind", "technology", "year", "text"}
            assert d["text"] in doc
