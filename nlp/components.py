"""spaCy pipeline components, registered by name so the pipeline can be assembled from config.

Each component writes plain dicts to a Doc extension (``doc._.survwatch``) so results survive
``nlp.pipe(n_process>1)`` serialisation. Offsets are character offsets into ``doc.text``.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Any

import numpy
from spacy.attrs import IS_SPACE, ORTH, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .claims import doc_text, extract_claims, forget_doc_text
from .deals import extract_deals
from .gazetteer import load_places, load_technologies, load_vendors
from .lexicon import COMPANY_NOUNS, GOVERNMENT_NOUNS, NEWSPAPER_AFTER

if not Doc.has_extension("survwatch"):
    Doc.set_extension("survwatch", default=None)


def _state(doc: Doc) -> dict[str, Any]:
    if doc._.survwatch is None:
        doc._.survwatch = {"vendors": [], "countries": [], "technologies": [], "claims": [], "deals": [],
                           "vendor_candidates": []}
    return doc._.survwatch


def _sent_window(doc: Doc, span: Span, n: int = 1, sents: list[Span] | None = None) -> str:
    """Text of the sentence holding `span` and `n` sentences either side (context rules)."""
    if sents is None:
        sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    starts = [s.start for s in sents]
    idx = max(0, bisect.bisect_right(starts, span.start) - 1)
    lo, hi = max(0, idx - n), min(len(sents), idx + n + 1)
    return doc_text(doc)[sents[lo].start_char:sents[hi - 1].end_char]


def inside_larger_entity(span: Span, labels: tuple[str, ...]) -> bool:
    """True if `span` lies inside a longer named entity of one of `labels` ("Michael Jordan",
    "Export-Import Bank of China"); O(1) via the IOB tags instead of scanning doc.ents."""
    doc = span.doc
    first, last = doc[span.start], doc[span.end - 1]
    if not first.ent_type_ or first.ent_type_ not in labels or last.ent_type_ != first.ent_type_:
        return False
    starts_before = first.ent_iob_ == "I"
    ends_after = span.end < len(doc) and doc[span.end].ent_iob_ == "I"
    return starts_before or ends_after


def _mention(mtype: str, value: str, doc: Doc, start: int, end: int, **extra: Any) -> dict[str, Any]:
    return {"type": mtype, "value": value, "text": doc_text(doc)[start:end], "start": start, "end": end, **extra}


def product_mentions(doc: Doc, vendors: list[dict[str, Any]], products: dict[str, str]) -> list[dict[str, Any]]:
    """Technology mentions from products of accepted vendor mentions ("Pegasus" -> spyware only if it is NSO's
    Pegasus); ``products`` maps a lower-case alias to a technology id."""
    out = []
    for v in vendors:
        tid = products.get(v.get("alias", "").lower())
        if tid:
            out.append(_mention("technology", tid, doc, v["start"], v["end"]))
    return out


@Language.factory("survwatch_line_breaks")
def make_line_breaks(nlp: Language, name: str) -> "LineBreaks":
    return LineBreaks()


class LineBreaks:
    """Headlines, bylines and list items are separated by newlines, not punctuation: start a sentence
    after every newline so the parser does not glue a headline onto the first sentence."""

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n < 2:
            return doc
        # one array write instead of n Token.is_sent_start setters (each setter is O(len(doc))); newlines are
        # in whitespace tokens only (a token's trailing whitespace_ is a plain space or nothing), so only those
        # are looked at, not every token
        arr = doc.to_array([SENT_START])
        orths, spaces = doc.to_array([ORTH, IS_SPACE]).T
        changed = False
        for i in numpy.flatnonzero(spaces[:-1]).tolist():
            if not spaces[i + 1] and "\n" in doc.vocab.strings[orths[i]]:
                arr[i + 1] = 1
                changed = True
        if changed:
            if arr[0] == 0:
                arr[0] = 1
            doc.from_array([SENT_START], arr)
        return doc


@Language.factory("survwatch_vendors", default_config={"seeds_dir": "", "window": 1, "report_unlisted": False})
def make_vendors(nlp: Language, name: str, seeds_dir: str, window: int, report_unlisted: bool) -> "VendorMatcher":
    return VendorMatcher(nlp, seeds_dir, window, report_unlisted)


class VendorMatcher:
    def __init__(self, nlp: Language, seeds_dir: str, window: int, report_unlisted: bool = False) -> None:
        table = load_vendors(seeds_dir)
        self.window = window
        self.report_unlisted = report_unlisted
        self.rules: dict[str, Any] = {}
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.regex: list[tuple[re.Pattern[str], str]] = []
        for i, rule in enumerate(table.aliases):
            key = f"V{i}"
            self.rules[key] = rule
            if any(ord(ch) > 0x2E80 for ch in rule.text):
                # CJK names are not separated by spaces, so match them on characters
                self.regex.append((re.compile(re.escape(rule.text)), key))
                continue
            pattern = nlp.make_doc(rule.text)
            (self.exact if rule.case_sensitive else self.lower).add(key, [pattern])
        self.home = table.home
        self._last: tuple[Doc, list[tuple[int, int, str]]] | None = None  # the last doc's alias hits (_found)

    def _found(self, doc: Doc) -> list[tuple[int, int, str]]:
        """Every alias occurrence, (start_char, end_char, rule key), before context and exclusion rules. The last
        doc's answer is kept: the sentence selector asks for a doc's alias hits and then runs the matcher on it."""
        if self._last is not None and self._last[0] is doc:
            return self._last[1]
        found: list[tuple[int, int, str]] = []
        spans = []
        for matcher in (self.lower, self.exact):
            for mid, s, e in matcher(doc):
                spans.append(Span(doc, s, e, label=mid))
        for sp in filter_spans(spans):
            found.append((sp.start_char, sp.end_char, sp.label_))
        for rx, key in self.regex:
            for m in rx.finditer(doc_text(doc)):
                if not any(s <= m.start() < e for s, e, _ in found):
                    found.append((m.start(), m.end(), key))
        found.sort()
        self._last = (doc, found)
        return found

    def alias_hits(self, doc: Doc) -> list[tuple[int, int, bool]]:
        """(start_char, end_char, needs context) of every alias occurrence, accepted or not (nlp/selection.py: a
        sentence whose alias the context rule may reject still needs its sentence boundaries from the parse)."""
        return [(s, e, self.rules[k].needs_context) for s, e, k in self._found(doc)]

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        found = self._found(doc)
        # unambiguous mentions first: they license context-needing aliases of the same vendor
        sure = {self.rules[k].canonical for s, e, k in found if not self.rules[k].needs_context}
        out = []
        excluded: dict[str, bool] = {}  # per-document cache of exclude-pattern searches
        sents: list[Span] | None = None
        for s, e, key in found:
            rule = self.rules[key]
            if rule.exclude_patterns:
                if key not in excluded:
                    excluded[key] = any(re.search(p, doc_text(doc)) for p in rule.exclude_patterns)
                if excluded[key]:
                    continue
            if rule.needs_context and rule.canonical not in sure:
                span = doc.char_span(s, e, alignment_mode="expand")
                if sents is None:
                    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
                ctx = _sent_window(doc, span, self.window, sents) if span is not None else doc_text(doc)
                if not any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", ctx, re.I) for w in rule.context_words):
                    continue
            # unlisted vendors stay in the state (so their names are never mis-tagged as places etc.)
            # but are dropped from the output unless report_unlisted is set
            out.append(_mention("vendor", rule.canonical, doc, s, e, alias=rule.text,
                                listed=rule.listed or self.report_unlisted))
        st["vendors"] = out
        return doc


US_STATE_SIGNAL = re.compile(
    r"\b(?:Atlanta|Savannah|Marietta|Augusta|state of Georgia|Georgia State|U\.S\.|US|United States|American|"
    r"Alabama|Florida|Tennessee|Carolina|Texas|California|New York|Illinois|Ohio|Virginia)\b")
GEORGIA_SIGNAL = re.compile(r"\b(?:Tbilisi|Georgian|Caucasus|Abkhazia|South Ossetia|Batumi|Kutaisi)\b")


@lru_cache(maxsize=1)
def us_state_after() -> re.Pattern[str]:
    """", Florida" after a city name: the US namesake ("Melbourne, Florida"), not the city of the table. Built on
    first use: reading pycountry's subdivisions costs ~0.1 s, which every process importing this module paid."""
    import pycountry

    names = sorted((s.name for s in pycountry.subdivisions.get(country_code="US")), key=len, reverse=True)
    return re.compile(r",\s+(?:" + "|".join(re.escape(n) for n in names) + r")\b")


@Language.factory("survwatch_countries", default_config={"seeds_dir": "", "min_city_population": 1000000})
def make_countries(nlp: Language, name: str, seeds_dir: str, min_city_population: int) -> "CountryMatcher":
    return CountryMatcher(nlp, seeds_dir, min_city_population)


class CountryMatcher:
    def __init__(self, nlp: Language, seeds_dir: str, min_city_population: int) -> None:
        table = load_places(seeds_dir, min_city_population)
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.info: dict[str, tuple[str | None, str, str]] = {}
        for i, (phrase, iso, kind) in enumerate(table.phrases):
            key = f"P{i}"
            self.info[key] = (iso, kind, phrase)
            self.matcher.add(key, [nlp.make_doc(phrase)])
        self.person_ambiguous = table.person_ambiguous
        self.vendor_home = load_vendors(seeds_dir).home
        # "US$14m", "a 16 million US dollar contract": a currency named after the place, not a reference to it
        nouns = "|".join(re.escape(w) for w in table.currency_nouns)
        self.currency_after = re.compile(r"\$" + (rf"|\s(?:{nouns})\b" if nouns else ""))

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        vendor_chars = [(m["start"], m["end"]) for m in st["vendors"]]
        spans = [Span(doc, s, e, label=mid) for mid, s, e in self.matcher(doc)]
        out = []
        us_state_doc: bool | None = None
        for sp in filter_spans(spans):
            iso, kind, phrase = self.info[sp.label_]
            if iso is None:
                continue
            if any(vs <= sp.start_char < ve for vs, ve in vendor_chars):
                continue  # "Hangzhou Hikvision": the city is part of the vendor's name
            if NEWSPAPER_AFTER.match(doc_text(doc), sp.end_char):
                continue  # "The New York Times", "China Daily": a newspaper, not a place
            if self.currency_after.match(doc_text(doc), sp.end_char):
                continue  # "US$14m", "US dollars": a currency, not a reference to the country
            if (phrase in self.person_ambiguous or kind == "city") and inside_larger_entity(sp, ("PERSON",)):
                continue  # "Michael Jordan", "Santiago Nieto"
            if kind == "city" and iso != "US" and us_state_after().match(doc_text(doc), sp.end_char):
                iso = "US"  # "Melbourne, Florida", "Paris, Texas"
            if phrase == "Georgia":
                if us_state_doc is None:
                    us_state_doc = bool(US_STATE_SIGNAL.search(doc_text(doc))) and not GEORGIA_SIGNAL.search(doc_text(doc))
                if us_state_doc:
                    continue  # the US state: the document is about the US and never about the Caucasus
            out.append(_mention("country", iso, doc, sp.start_char, sp.end_char, kind=kind,
                                descriptor=self._is_descriptor(doc, sp, st["vendors"])))
        st["countries"] = out
        return doc

    def _is_descriptor(self, doc: Doc, sp: Span, vendors: list[dict[str, Any]]) -> bool:
        """'Chinese firm Hikvision', 'Israel's NSO Group', 'Chinese-made cameras': origin, not place."""
        # "Pakistan's telecoms regulator", "the Kenyan government": the country's own institution
        head = sp.root
        while head.dep_ in ("poss", "compound", "amod", "nmod") and head.head != head:
            head = head.head
        if head.lower_ in GOVERNMENT_NOUNS:
            return False
        nxt = doc[sp.end:sp.end + 5]
        if len(nxt) and nxt[0].text in ("'s", "’s"):
            nxt = doc[sp.end + 1:sp.end + 5]
        for t in nxt[:4]:
            if t.lower_ in COMPANY_NOUNS or t.lower_.lstrip("-") in COMPANY_NOUNS:
                return True
            if any(v["start"] == t.idx for v in vendors):
                return True
            if t.pos_ not in ("ADJ", "PROPN", "NOUN", "PUNCT", "ADV") or t.lower_ in ("and", "or"):
                break
        # "Candiru, based in Tel Aviv": the vendor's home, not a place where something happened
        if re.search(r"\b(?:based|headquartered|founded|registered|incorporated)\s+in\s+(?:the\s+)?$",
                     doc_text(doc)[max(0, sp.start_char - 40):sp.start_char]):
            return True
        # "Hikvision, a Chinese company" / "the Shenzhen-based Huawei"
        if sp.end < len(doc) and doc[sp.end].text == "-" and sp.end + 1 < len(doc) and \
                doc[sp.end + 1].lower_ in ("based", "headquartered", "owned", "made", "built"):
            return True
        return False


@Language.factory("survwatch_technologies", default_config={"seeds_dir": ""})
def make_technologies(nlp: Language, name: str, seeds_dir: str) -> "TechMatcher":
    return TechMatcher(nlp, seeds_dir)


class TechMatcher:
    def __init__(self, nlp: Language, seeds_dir: str) -> None:
        table = load_technologies(seeds_dir)
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        for phrase, tid, cs in table.phrases:
            (self.exact if cs else self.lower).add(tid, [nlp.make_doc(phrase)])
        self.products = table.products

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        spans = [Span(doc, s, e, label=mid) for m in (self.lower, self.exact) for mid, s, e in m(doc)]
        out = []
        for sp in filter_spans(spans):
            # "phone camera" is not CCTV
            if sp.label_ == "cctv" and sp.text.lower().startswith("camera") and sp.start > 0 and \
                    doc[sp.start - 1].lower_ in ("phone", "smartphone", "mobile", "digital", "web", "selfie"):
                continue
            out.append(_mention("technology", sp.label_, doc, sp.start_char, sp.end_char))
        out += product_mentions(doc, st["vendors"], self.products)
        out.sort(key=lambda m: m["start"])
        st["technologies"] = out
        return doc


@Language.factory("survwatch_claims")
def make_claims(nlp: Language, name: str) -> "ClaimExtractor":
    return ClaimExtractor()


class ClaimExtractor:
    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        st["claims"] = extract_claims(doc, st["countries"], st.get("vendors"))
        return doc


@Language.factory("survwatch_deals", default_config={"seeds_dir": ""})
def make_deals(nlp: Language, name: str, seeds_dir: str) -> "DealExtractor":
    return DealExtractor(seeds_dir)


class DealExtractor:
    def __init__(self, seeds_dir: str) -> None:
        places = load_places(seeds_dir)
        self.agencies, self.buyers = places.agencies, places.buyers
        self.vendor_home = load_vendors(seeds_dir).home

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        # open world: organisations discovery found in a supplier slot take part in deals like gazetteer vendors
        taken = [(m["start"], m["end"]) for m in st["vendors"]]
        found = [{"type": "vendor", "value": c["name"], "text": c["text"], "start": c["start"], "end": c["end"],
                  "listed": True, "discovered": True}
                 for c in st.get("vendor_candidates", [])
                 if not any(s < c["end"] and c["start"] < e for s, e in taken)]
        st["deals"] = extract_deals(doc, st["vendors"] + found, st["countries"], st["technologies"], self.agencies,
                                   self.vendor_home, self.buyers)
        forget_doc_text(doc)
        return doc
