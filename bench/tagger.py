"""Tagger speed in words per second, on one core and on two (one process per core), over the
dev-set texts repeated to a fixed volume. Prints one JSON object with medians of --runs runs.

    python bench/tagger.py --words 200000 --runs 3 --json
    python bench/tagger.py --language es --words 50000 --runs 1   # Spanish pipeline on tests/data/dev_es

The model is loaded before timing (in every process); only ``Tagger.tag_many`` is timed.
``--language en`` (the default) times nlp.tagger.Tagger on tests/data/dev; another code times that
language's pipeline (nlp/languages) on tests/data/dev_<code> (falling back to the built-in sample
sentences below when that set is absent), without language detection; ``--language multi`` times
nlp.multilingual.MultilingualTagger (detection + routing) over all the dev sets mixed.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
DEV = DATA / "dev"
# used when tests/data/dev_<code> is absent: self-written, news-like
SAMPLES = {
    "es": "El gobierno de Bolivia firmó un contrato con la empresa china Huawei para instalar 2.000 cámaras de "
          "videovigilancia en La Paz, según informó el Ministerio de Gobierno. El proyecto costó US$ 105 millones, "
          "financiado por un préstamo del Exim Bank de China. Según datos de la Policía, los robos cayeron un 30 % "
          "en 2022. La empresa negó haber vendido software espía a Venezuela.\n\n",
    "pt": "O governo de São Paulo contratou a Hikvision para fornecer 12 mil câmeras de reconhecimento facial, "
          "segundo a Secretaria de Segurança Pública. O contrato vale R$ 20 milhões. A criminalidade caiu 1,5% em "
          "2023, disse o secretário. O ministério negou ter comprado programas espiões.\n\n",
    "fr": "Le Sénégal a signé un contrat de 150 millions d'euros avec le géant chinois Huawei pour la "
          "vidéosurveillance de Dakar. Selon le ministère de l'Intérieur, la criminalité a baissé de 20 % depuis "
          "2021. « Nous avons installé 1 500 caméras », a déclaré le ministre.\n\n",
}

_tagger = None
LANGUAGE = "en"


def _init(language: str = "en") -> None:
    global _tagger
    if language == "en":
        from nlp import load_tagger

        _tagger = load_tagger()
    elif language == "multi":
        from nlp.multilingual import load_multilingual_tagger

        _tagger = load_multilingual_tagger()
        for code, sample in SAMPLES.items():
            _tagger.tag(sample, hint=code)  # load every pipeline before timing
    else:
        from nlp.languages.pipeline import load_language_tagger

        _tagger = load_language_tagger(language)[0]
    _tagger.tag("warm-up")


def _tag(texts: list[str]) -> float:
    started = time.perf_counter()
    for _ in _tagger.tag_many(texts, batch_size=32):
        pass
    return time.perf_counter() - started


def _texts(language: str) -> list[str]:
    if language == "en":
        return [p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))]
    if language == "multi":
        return [t for code in ("en", "es", "pt", "fr") for t in _texts(code)]
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA / f"dev_{language}").glob("*.txt"))]
    return texts or [SAMPLES[language] * 4]


def corpus(words: int, language: str = "en") -> list[str]:
    texts = _texts(language)
    out, n = [], 0
    while n < words:
        for t in texts:
            out.append(t)
            n += len(t.split())
            if n >= words:
                break
    return out


def run(texts: list[str], processes: int, language: str = "en") -> float:
    """Wall seconds to tag `texts` split over `processes` warm worker processes."""
    with ProcessPoolExecutor(processes, mp_context=get_context("forkserver"), initializer=_init,
                             initargs=(language,)) as pool:
        list(pool.map(_tag, [["warm"]] * processes))  # every worker has loaded the model
        chunks = [texts[i::processes] for i in range(processes)]
        started = time.perf_counter()
        list(pool.map(_tag, chunks))
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--language", default="en", help="en (default), es, pt, fr, another code with a data "
                        "file, or multi (MultilingualTagger over all dev sets)")
    parser.add_argument("--processes", default="1,2", help="comma-separated process counts to time")
    args = parser.parse_args()
    texts = corpus(args.words, args.language)
    words = sum(len(t.split()) for t in texts)
    result: dict[str, object] = {"language": args.language, "words": words, "texts": len(texts), "runs": args.runs}
    procs = [int(p) for p in args.processes.split(",") if p]
    for processes in procs:
        secs = [run(texts, processes, args.language) for _ in range(args.runs)]
        result[f"words_per_s_{processes}p"] = round(words / statistics.median(secs))
        result[f"all_s_{processes}p"] = [round(s, 2) for s in secs]
    if 1 in procs and 2 in procs:
        result["speedup_2p"] = round(result["words_per_s_2p"] / result["words_per_s_1p"], 2)
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
