"""nlp.langid.detect_language: offline, hint as a prior, short / mixed / long texts."""
from __future__ import annotations

from pathlib import Path

import pytest

from nlp.langid import detect_language, normalise_hint, rank_languages

DEV = Path(__file__).parent / "data" / "dev"


@pytest.mark.parametrize("text,lang", [
    ("Bolivia instala cámaras chinas en La Paz", "es"),
    ("Polícia usa reconhecimento facial no Carnaval", "pt"),
    ("La police installe des caméras à Dakar", "fr"),
    ("Police to use facial recognition", "en"),
    ("El gobierno de Bolivia firmó un contrato con Huawei para instalar 2.000 cámaras de videovigilancia.", "es"),
    ("O governo de São Paulo contratou a empresa para fornecer 12 mil câmeras de reconhecimento facial.", "pt"),
    ("Le Sénégal a signé un contrat de 150 millions d'euros avec Huawei pour la vidéosurveillance de Dakar.", "fr"),
])
def test_detects_language(text, lang):
    got, conf = detect_language(text)
    assert got == lang
    assert 0.0 < conf <= 1.0


def test_hint_breaks_ties_but_does_not_override_clear_text():
    # a clear Spanish sentence stays Spanish under a wrong hint
    text = "Según la policía, los robos cayeron un 30 % desde que el sistema entró en funcionamiento."
    assert detect_language(text, hint="pt-BR")[0] == "es"
    assert detect_language(text, hint="en")[0] == "es"
    # the right hint raises confidence on a short, ambiguous headline
    head = "Huawei firma contrato con Ecuador"
    assert detect_language(head, hint="es")[0] == "es"
    assert detect_language(head, hint="es")[1] >= detect_language(head)[1]


def test_mixed_text_goes_to_majority_language():
    text = ('El ministro defendió el sistema en una rueda de prensa. "We are proud of this partnership and the results '
            'speak for themselves," dijo el embajador. La oposición pidió conocer el contrato y los costos del proyecto.')
    assert detect_language(text)[0] == "es"
    assert detect_language(text, hint="en")[0] == "es"


def test_long_english_documents():
    docs = [p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))[:10]]
    assert all(detect_language(d, hint="es")[0] == "en" for d in docs)


def test_empty_and_non_text():
    assert detect_language("", hint="es-MX") == ("es", 0.0)
    assert detect_language("12 345 — 2024", hint=None) == ("en", 0.0)
    assert rank_languages("") == []


@pytest.mark.parametrize("hint,code", [("es-MX", "es"), ("pt_BR", "pt"), ("FR", "fr"), ("en-US,en;q=0.9", "en"),
                                       (None, None), ("", None), ("???", None), ("nb-NO", "no")])
def test_normalise_hint(hint, code):
    assert normalise_hint(hint) == code


def test_ranking_sums_to_one():
    ranked = rank_languages("La police a installé des caméras", hint="fr")
    assert ranked[0][0] == "fr"
    assert abs(sum(p for _, p in ranked) - 1.0) < 1e-6
