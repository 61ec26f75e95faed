"""MultilingualTagger: English output is exactly nlp.tagger.Tagger's, other languages are routed by
detect_language, languages without a tagger get entities only, pipelines load lazily, and a new
language is a data file."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from nlp import load_tagger
from nlp.gazetteer import DEFAULT_SEEDS_DIR
from nlp.multilingual import MultilingualTagger, load_multilingual_tagger

DEV = Path(__file__).parent / "data" / "dev"
EXTRA = {"language", "language_confidence", "tagging"}


@pytest.fixture(scope="module")
def english():
    return load_tagger()


@pytest.fixture(scope="module")
def multi(english):
    return MultilingualTagger(english=english)


def test_english_is_exactly_tagger(multi, english):
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))[:5]]
    for text, out in zip(texts, multi.tag_many(texts, batch_size=4)):
        assert out["language"] == "en" and out["tagging"] == "full"
        assert {k: v for k, v in out.items() if k not in EXTRA} == english.tag(text)


def test_routing_order_and_hints(multi):
    texts = ["El gobierno de Bolivia firmó un contrato con Huawei para instalar 2.000 cámaras en La Paz.",
             "Police in Harare installed 500 Hikvision cameras, officials said.",
             "O governo de São Paulo contratou a Hikvision para fornecer 12 mil câmeras.",
             "Le Sénégal a signé un contrat avec Huawei pour la vidéosurveillance de Dakar.",
             "Die Polizei in Deutschland kaufte Kameras von Hikvision aus China für 5 Millionen Euro."]
    outs = list(multi.tag_many(texts, hints=["es", None, "pt-BR", "fr", None]))
    assert [o["language"] for o in outs] == ["es", "en", "pt", "fr", "de"]
    assert [o["tagging"] for o in outs] == ["full", "full", "full", "full", "entities_only"]
    assert outs[0]["countries"] == ["BO"] and outs[2]["countries"] == ["BR"] and outs[3]["countries"] == ["SN"]
    de = outs[4]
    assert de["vendors"] == ["Hikvision"] and de["countries"] == ["CN", "DE"]
    assert de["technologies"] == [] and de["claims"] == [] and de["deals"] == []
    assert all(0 <= o["language_confidence"] <= 1 for o in outs)


def test_entities_only_native_script(multi):
    out = multi.tag("海康威视和华为在中国和美国销售摄像头。")
    assert out["tagging"] == "entities_only"
    assert out["vendors"] == ["Hikvision", "Huawei"]
    assert out["countries"] == ["CN", "US"]


def test_tag_single_with_hint(multi):
    out = multi.tag("Huawei firma contrato con Ecuador", hint="es")
    assert out["language"] == "es" and out["countries"] == ["EC"]


def test_lazy_loading():
    m = load_multilingual_tagger()
    assert m.loaded_languages == []
    out = m.tag("La police a installé des caméras à Dakar, selon le ministère.", hint="fr")
    assert out["language"] == "fr"
    assert m.loaded_languages == ["fr"]  # English was never loaded


def test_a_new_language_is_a_data_file(tmp_path):
    """Italian: no code, no config -- a data file gives it the full output through pipeline_default.cfg."""
    seeds = tmp_path / "seeds"
    shutil.copytree(DEFAULT_SEEDS_DIR, seeds)
    it = {
        "code": "it", "name": "Italian", "tagging": "full", "spacy": {"blank": "it"}, "pycountry_locale": "it",
        "numbers": {"magnitudes": {"milioni": 1e6, "milione": 1e6, "miliardi": 1e9, "mila": 1000},
                    "percent": ["%", "per cento"], "approximators": ["circa", "quasi"]},
        "currencies": {"prefixes": {"€": "EUR"}, "words": {"euro": "EUR", "dollari": "USD"}, "connectors": ["di"]},
        "directions": {"increase": ["aumentati", "cresciuto"], "decrease": ["calati", "diminuiti"]},
        "claimants": {"before": ["secondo"], "verbs": ["ha detto", "ha dichiarato"], "determiners": ["il", "la", "lo"]},
        "deals": {"triggers": {"contract": ["contratto", "firmato"], "supply": ["installato", "fornito"]}},
        "technologies": {"cctv": ["videosorveglianza", "telecamere"], "facial_recognition": ["riconoscimento facciale"]},
        "places": {"demonyms": {"IT": ["italiano"]}, "cities": {"IT": ["Torino", "Milano", "Roma"]},
                   "demonym_inflection": [["o", ["o", "a", "i", "e"]]]},
    }
    (seeds / "languages" / "it.yaml").write_text(yaml.safe_dump(it, allow_unicode=True), encoding="utf-8")
    m = MultilingualTagger(seeds_dir=seeds)
    out = m.tag("Il comune di Torino ha firmato un contratto da 3 milioni di euro con Hikvision per la "
                "videosorveglianza. Secondo la polizia, i furti sono calati del 12 per cento.", hint="it")
    assert out["language"] == "it" and out["tagging"] == "full"
    assert out["vendors"] == ["Hikvision"] and out["countries"] == ["IT"]
    assert "cctv" in out["technologies"]
    assert [(c["value"], c["unit"]) for c in out["claims"]] == [(3000000, "EUR"), (12, "percent")]
    assert out["claims"][1]["direction"] == "decrease" and out["claims"][1]["source"] == "polizia"
    assert [(d["vendor"], d["country"], d["kind"]) for d in out["deals"]] == [("Hikvision", "IT", "contract")]
    assert "survwatch_lang_claims" in m.language_pipe_names()["it"]


def test_data_files_have_no_yaml_booleans():
    """Unquoted no / on / yes become booleans in YAML 1.1; word lists must stay strings."""
    def walk(x, path):
        if isinstance(x, dict):
            for k, v in x.items():
                assert not isinstance(k, bool), path
                walk(v, f"{path}/{k}")
        elif isinstance(x, list):
            for v in x:
                assert not isinstance(v, bool) and v is not None, path
                walk(v, path)
    for p in sorted((DEFAULT_SEEDS_DIR / "languages").glob("*.yaml")):
        walk(yaml.safe_load(p.read_text(encoding="utf-8")), p.name)
