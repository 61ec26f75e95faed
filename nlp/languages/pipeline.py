"""Building a non-English pipeline from its config (pipeline_<code>.cfg, else pipeline_default.cfg for
a language with a data file, else pipeline_entities.cfg) into an nlp.tagger.Tagger."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import spacy
from confection import Config
from spacy.language import Language

from .. import components as _en_components  # noqa: F401  (registers survwatch_line_breaks)
from ..gazetteer import DEFAULT_SEEDS_DIR
from ..tagger import Tagger, make_selector
from . import components  # noqa: F401  (registers the survwatch_lang_* factories)
from .data import available_languages, load_language

HERE = Path(__file__).parent
_SEEDED = {"survwatch_lang_vendors", "survwatch_lang_countries", "survwatch_lang_technologies",
           "survwatch_lang_claims", "survwatch_lang_deals"}


def tagging_mode(code: str, seeds_dir: Path | str | None = None) -> str:
    """'full' if the language has a data file saying so (and, for a model-based config, the model is
    installed), else 'entities_only'."""
    if code not in available_languages(seeds_dir):
        return "entities_only"
    ld = load_language(code, str(seeds_dir) if seeds_dir else None)
    return "full" if ld.tagging == "full" else "entities_only"


def config_path(code: str, mode: str) -> Path:
    if mode == "entities_only":
        return HERE / "pipeline_entities.cfg"
    own = HERE / f"pipeline_{code}.cfg"
    return own if own.exists() else HERE / "pipeline_default.cfg"


def _blank(code: str) -> Language:
    try:
        return spacy.blank(code)
    except Exception:  # noqa: BLE001 - unknown code, or a tokenizer needing an extra package (ja, ko, th, vi)
        return spacy.blank("xx")


def build_language_pipeline(code: str, seeds_dir: Path | str | None = None,
                            mode: str | None = None) -> tuple[Language, dict[str, Any], str]:
    """(nlp, model settings, mode) for language `code`."""
    seeds = str(Path(seeds_dir) if seeds_dir else DEFAULT_SEEDS_DIR)
    mode = mode or tagging_mode(code, seeds)
    cfg = Config().from_disk(config_path(code, mode))
    model = dict(cfg["model"])
    name = model.get("name")
    if mode == "full" and code in available_languages(seeds):
        spec = load_language(code, seeds).spacy
        name = name or spec.get("model")
    if name and importlib.util.find_spec(str(name)) is not None:
        nlp = spacy.load(str(name), exclude=list(model.get("exclude", [])))
    else:
        blank = model.get("blank")
        if mode == "full" and code in available_languages(seeds):
            blank = load_language(code, seeds).spacy.get("blank") or blank
        if mode == "entities_only":
            blank = code
        nlp = _blank(str(blank or code))
    comps = cfg["components"]
    settings = cfg.get("settings", {})
    for cname in comps.get("before_parser", []):
        where = {"before": "parser"} if "parser" in nlp.pipe_names else {"first": True}
        nlp.add_pipe(cname, config=dict(settings.get(cname, {})), **where)
    if comps.get("sentencizer") or ("parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names):
        if "sentencizer" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
    for cname in comps.get("after", []):
        conf = dict(settings.get(cname, {}))
        if cname in _SEEDED:
            conf["seeds_dir"] = seeds
            conf["language"] = code if code in available_languages(seeds) else ""
        if cname == "survwatch_entity_countries":
            conf["locale"] = code
        nlp.add_pipe(cname, config=conf)
    model["selection"] = dict(cfg.get("selection", {}))
    model["rule_components"] = list(comps.get("after", []))
    return nlp, model, mode


def load_language_tagger(code: str, seeds_dir: Path | str | None = None,
                         mode: str | None = None) -> tuple[Tagger, str]:
    nlp, model, mode = build_language_pipeline(code, seeds_dir, mode)
    return Tagger(nlp, chunk_chars=int(model.get("chunk_chars", 100_000)), selector=make_selector(nlp, model),
                  rule_components=model["rule_components"]), mode
