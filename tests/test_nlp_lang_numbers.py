"""Local number formats per language (nlp/languages/numbers.py): separators, magnitudes, currencies,
number words, fractions, multipliers, ranges and the non-claims of CONVENTIONS.md."""
from __future__ import annotations

import pytest

from nlp.languages.data import load_language
from nlp.languages.numbers import find_figures, parse_local_number, resolve_currency


def figs(lang: str, text: str) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in find_figures(text, load_language(lang))]


@pytest.mark.parametrize("raw,value", [
    ("2.000", 2000), ("1.500.000", 1500000), ("1,5", 1.5), ("12 000", 12000), ("12\u00a0000", 12000),
    ("12\u202f000", 12000), ("1,500", 1500), ("1.5", 1.5), ("0,75", 0.75), ("1.500,5", 1500.5), ("3,25", 3.25),
])
def test_parse_local_number(raw, value):
    assert parse_local_number(raw) == pytest.approx(value)


@pytest.mark.parametrize("lang,text,expected", [
    ("es", "La ciudad instaló 2.000 cámaras en 2019.", [(2000, "count")]),
    ("es", "El contrato costó 105 millones de dólares.", [(105e6, "USD")]),
    ("es", "El proyecto vale US$ 105 millones.", [(105e6, "USD")]),
    ("es", "Se destinaron 105 mdd a las cámaras.", [(105e6, "USD")]),
    ("es", "La criminalidad cayó un 30 % el año pasado.", [(30, "percent")]),
    ("es", "Cuesta 2.000 millones de euros.", [(2e9, "EUR")]),
    ("es", "Unos 1,5 millones de personas.", [(1.5e6, "count")]),
    ("es", "Entre 10 y 15 por ciento de los casos.", [(10, "percent")]),
    ("es", "Dos mil cámaras vigilan la ciudad.", [(2000, "count")]),
    ("es", "La mitad de las cámaras no funciona.", [(50, "percent")]),
    ("es", "El número de robos se duplicó.", [(100, "percent")]),
    ("pt", "O governo investiu R$ 20 milhões em câmeras.", [(20e6, "BRL")]),
    ("pt", "O custo foi de 1,5 milhão de reais.", [(1.5e6, "BRL")]),
    ("pt", "Cerca de 12 mil câmeras foram instaladas.", [(12000, "count")]),
    ("pt", "Duas mil câmeras e 30% das escolas.", [(2000, "count"), (30, "percent")]),
    ("pt", "O valor chegou a 2 bilhões de reais.", [(2e9, "BRL")]),
    ("pt", "Os roubos dobraram.", [(100, "percent")]),
    ("fr", "Le contrat s'élève à 150 millions d'euros.", [(150e6, "EUR")]),
    ("fr", "La police a installé 12 000 caméras.", [(12000, "count")]),
    ("fr", "12\u202f000 caméras et 3\u00a0500 agents.", [(12000, "count"), (3500, "count")]),
    ("fr", "Un budget de 2,5 milliards de francs CFA.", [(2.5e9, "CFA")]),
    ("fr", "Vingt-cinq pour cent des caméras.", [(25, "percent")]),
    ("fr", "Jusqu'à 30 % de fausses alertes.", [(30, "percent")]),
    ("fr", "Un marché de 20 M€.", [(20e6, "EUR")]),
    ("fr", "Les cambriolages ont doublé.", [(100, "percent")]),
    ("es", "El sistema consta de mil 300 cámaras.", [(1300, "count")]),
    ("es", "Se instalaron 2 mil 500 cámaras.", [(2500, "count")]),
    ("fr", "Selon la police, 2000 caméras sont en place.", [(2000, "count")]),
])
def test_figures(lang, text, expected):
    got = figs(lang, text)
    assert [(pytest.approx(v), u) for v, u in expected] == got


@pytest.mark.parametrize("lang,text", [
    ("es", "Llame al 911 en caso de emergencia."),
    ("es", "La Ley 1.581 de 2012 protege los datos."),
    ("es", "El sistema ECU-911 y el BOL-110 funcionan desde 2011."),
    ("es", "El 15 de marzo a las 10 horas."),
    ("es", "Un hombre de 45 años fue detenido."),
    ("es", "Hace dos años se firmó el contrato."),
    ("es", "Es su 3.º mandato y la Covid-19 sigue."),
    ("pt", "Ligue 190."),
    ("pt", "O Decreto 9.203 de 2017."),
    ("pt", "Em 1º de janeiro."),
    ("pt", "Há três anos o programa começou."),
    ("fr", "Composez le 17."),
    ("fr", "Le 15 mars 2021 à 10 h."),
    ("fr", "un homme âgé de 62 ans"),
    ("fr", "Au XXe siècle et au 2e tour."),
    ("fr", "L'article 5 de la loi."),
    ("es", "El municipio adquirió en 2022 cámaras de vigilancia."),
    ("pt", "A assinatura foi feita nesta terça-feira (27) pelo governador."),
])
def test_not_claims(lang, text):
    assert figs(lang, text) == []


def test_hedge_before_figure():
    f = find_figures("Unos 1,5 millones de personas.", load_language("es"))[0]
    assert f.hedge
    f = find_figures("Cerca de 12 mil câmeras.", load_language("pt"))[0]
    assert f.hedge
    f = find_figures("Le projet a coûté 5 millions d'euros.", load_language("fr"))[0]
    assert not f.hedge


def test_resolve_currency_from_countries():
    es, fr = load_language("es"), load_language("fr")
    assert resolve_currency("PESO", ["AR"], es) == "ARS"
    assert resolve_currency("PESO", [], es) == "MXN"
    assert resolve_currency("CFA", ["CM"], fr) == "XAF"
    assert resolve_currency("CFA", ["SN"], fr) == "XOF"
    assert resolve_currency("DIRHAM", ["MA"], fr) == "MAD"
    assert resolve_currency("EUR", ["FR"], fr) == "EUR"


def test_a_definite_article_before_a_number_word_is_no_new_figure():
    # French and Portuguese: "les deux villes" / "as duas cidades" count things already named
    assert figs("fr", "Les deux villes seront dotées d'un système de vidéoprotection.") == []
    assert figs("pt", "As duas cidades receberão câmeras novas.") == []
    # first mentions still count, and an article before a magnitude is a figure ("les deux millions d'euros")
    assert figs("fr", "Deux villes seront dotées de caméras.") == [(2, "count")]
    assert figs("fr", "Les deux millions d'euros du contrat.") == [(2e6, "EUR")]
    # Spanish keeps "los cinco municipios" (realnews_espt2: a first mention with its article)
    assert figs("es", "Recorrieron los cinco municipios del estado.") == [(5, "count")]


def test_the_cut_off_last_sentence_of_an_excerpt_has_no_claim():
    from nlp.languages.pipeline import load_language_tagger

    fr = load_language_tagger("fr")[0]
    out = fr.tag("La mairie a signé le contrat en mars. En 2015, l'entreprise chinoise avait déjà installé 1800")
    assert out["claims"] == []
    assert [c["value"] for c in fr.tag("L'entreprise chinoise avait déjà installé 1800 caméras.")["claims"]] == [1800]
