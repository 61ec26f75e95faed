"""spaCy components for non-English pipelines, registered by name (survwatch_lang_*).

They write the same ``doc._.survwatch`` state as nlp/components.py, so nlp.tagger.Tagger and
nlp.tagger.assemble turn their output into CONVENTIONS.md dicts unchanged. No English word list
is used here: every word comes from seeds/languages/<language>.yaml. Language-independent parts
are imported: the vendor gazetteer and matcher (seeds/vendors.yaml), the technology products,
the state layout.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..claims import doc_text, forget_doc_text
from ..lexicon import NEWSPAPER_AFTER
from ..components import VendorMatcher, _mention, _state, inside_larger_entity, product_mentions
from ..gazetteer import load_technologies, load_vendors
from .claims import extract_claims
from .data import load_language, phrase_regex
from .deals import extract_deals
from .discovery import discover_vendors
from .places import entity_only_country_regex, load_language_places


@Language.factory("survwatch_lang_vendors",
                  default_config={"seeds_dir": "", "language": "", "window": 1, "report_unlisted": False})
def make_lang_vendors(nlp: Language, name: str, seeds_dir: str, language: str, window: int,
                      report_unlisted: bool) -> "LangVendorMatcher":
    return LangVendorMatcher(nlp, seeds_dir, language, window, report_unlisted)


class LangVendorMatcher(VendorMatcher):
    """The English vendor matcher over seeds/vendors.yaml, with the language's context words added to
    every context-needing alias ("Pegasus" next to "software espía", "NEC" next to "reconhecimento facial")."""

    def __init__(self, nlp: Language, seeds_dir: str, language: str, window: int, report_unlisted: bool) -> None:
        super().__init__(nlp, seeds_dir, window, report_unlisted)
        extra: tuple[str, ...] = ()
        if language:
            try:
                extra = tuple(load_language(language, seeds_dir or None).words("vendor_context_words"))
            except KeyError:
                extra = ()
        self.lang_exclude: dict[str, list[re.Pattern[str]]] = {}
        self.discovery_ld = None
        if language:
            try:
                ld = load_language(language, seeds_dir or None)
                self.discovery_ld = ld if ld.get("vendor_discovery") else None
            except KeyError:
                pass
        if language:
            try:
                table = load_language(language, seeds_dir or None).get("vendor_exclude") or {}
            except KeyError:
                table = {}
            self.lang_exclude = {str(k): [re.compile(str(p)) for p in v or []] for k, v in table.items()}
        if extra:
            for key, rule in list(self.rules.items()):
                if rule.needs_context:
                    self.rules[key] = dataclasses.replace(rule, context_words=rule.context_words + extra)

    def __call__(self, doc: Doc) -> Doc:
        doc = super().__call__(doc)
        if self.lang_exclude:
            st = _state(doc)
            text = doc_text(doc)
            st["vendors"] = [m for m in st["vendors"] if not any(
                rx.search(text[max(0, m["start"] - 25):m["end"] + 25]) for rx in self.lang_exclude.get(m["alias"], ()))]
        if self.discovery_ld is not None:
            # firms outside the gazetteer in a supplier slot (nlp/languages/discovery.py)
            st = _state(doc)
            st["vendor_candidates"] = discover_vendors(doc, self.discovery_ld, st["vendors"])
        return doc


@Language.factory("survwatch_lang_countries",
                  default_config={"seeds_dir": "", "language": "", "min_city_population": 1000000})
def make_lang_countries(nlp: Language, name: str, seeds_dir: str, language: str,
                        min_city_population: int) -> "LangCountryMatcher":
    return LangCountryMatcher(nlp, seeds_dir, language, min_city_population)


class LangCountryMatcher:
    def __init__(self, nlp: Language, seeds_dir: str, language: str, min_city_population: int) -> None:
        self.ld = load_language(language, seeds_dir or None)
        table = load_language_places(self.ld, seeds_dir or None, min_city_population)
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.info: dict[str, tuple[str, str]] = {}
        for i, (phrase, iso, kind) in enumerate(table.phrases):
            key = f"P{i}"
            self.info[key] = (iso, kind)
            self.exact.add(key, [nlp.make_doc(phrase)])
        self.single = {p: f"P{i}" for i, (p, _, _) in enumerate(table.phrases) if " " not in p}
        for i, phrase in enumerate(table.blockers):
            key = f"B{i}"
            self.info[key] = ("", "blocked")
            self.exact.add(key, [nlp.make_doc(phrase)])
        for i, (phrase, iso) in enumerate(table.demonyms.items()):
            key = f"D{i}"
            self.info[key] = (iso, "demonym")
            self.lower.add(key, [nlp.make_doc(phrase)])
        deals = self.ld.get("deals", default={}) or {}
        self.company = phrase_regex([str(x) for x in deals.get("company_nouns") or []])
        self.government = phrase_regex([str(x) for x in deals.get("government_nouns") or []])
        self.language_cues = {str(x).lower() for x in self.ld.get("places", "language_cues") or []}
        self.person_labels = ("PER", "PERSON")

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        text = doc_text(doc)
        vendor_chars = [(m["start"], m["end"]) for m in st["vendors"]]
        spans = [Span(doc, s, e, label=mid) for m in (self.exact, self.lower) for mid, s, e in m(doc)]
        for tok in doc:  # datelines in capitals: "LIMA —", "QUITO, 4 mar", "CÓRDOBA —"
            if len(tok.text) >= 4 and tok.text.isupper() and tok.text.isalpha() and tok.text.title() in self.single:
                spans.append(Span(doc, tok.i, tok.i + 1, label=self.single[tok.text.title()]))
            elif tok.text.endswith((".-", ".–")) and tok.text[:-2].title() in self.single:
                # "México.-", "Lima.-": a dateline the tokenizer keeps in one token with its dash
                spans.append(Span(doc, tok.i, tok.i + 1, label=self.single[tok.text[:-2].title()]))
        out = []
        for sp in filter_spans(spans):
            iso, kind = self.info[sp.label_]
            if kind == "blocked":
                continue
            if any(vs <= sp.start_char < ve for vs, ve in vendor_chars):
                continue
            if NEWSPAPER_AFTER.match(text, sp.end_char):
                continue  # "el diario New York Times": a newspaper, not a place
            if re.match(r"\s?\d+\b(?![.,]\d)", text[sp.end_char:sp.end_char + 6]) and kind == "country" and \
                    not re.match(r"\s?(?:19|20)\d\d\b", text[sp.end_char:sp.end_char + 6]):
                continue  # "France 24": a name
            if text[sp.end_char:sp.end_char + 1] == "$":
                continue  # "US$"
            if kind == "city" and doc.has_annotation("ENT_IOB") and inside_larger_entity(sp, self.person_labels):
                continue
            if kind == "city" and sp.end < len(doc) and doc[sp.end].is_title and not doc[sp.end].is_sent_start \
                    and doc[sp.end].text[:1].isupper() and sp.start > 0 and doc[sp.start - 1].is_title:
                continue  # inside a longer proper name
            if kind == "demonym":
                prev = doc[sp.start - 1].lower_ if sp.start > 0 else ""
                if prev in self.language_cues and not sp.text[:1].isupper():
                    # "en español", "em português": a language; but "el gobierno chino" is fine
                    nxt = doc[sp.end].lower_ if sp.end < len(doc) else ""
                    if not nxt or not nxt.isalpha() or prev in ("en", "em"):
                        continue
            out.append(_mention("country", iso, doc, sp.start_char, sp.end_char, kind=kind,
                                descriptor=self._is_descriptor(doc, text, sp, kind, st["vendors"])))
        st["countries"] = out
        return doc

    def _is_descriptor(self, doc: Doc, text: str, sp: Span, kind: str, vendors: list[dict[str, Any]]) -> bool:
        """'la empresa china Hikvision', 'a chinesa Huawei', 'le fabricant chinois', 'sediada em Shenzhen',
        'de origen israelí': origin, not place. 'el gobierno chino' is the country's own institution."""
        before = text[max(0, sp.start_char - 30):sp.start_char]
        after = text[sp.end_char:sp.end_char + 30]
        if kind == "demonym":
            if self.government is not None and re.search(rf"(?:{self.government.pattern})\s+$", before, re.I):
                return False
            if self.company is not None and (re.search(rf"(?:{self.company.pattern})\s+(?:[\w-]+\s+)?$", before, re.I)
                                             or self.company.match(after.lstrip())):
                return True
            # "la china Huawei", "o israelense NSO": a demonym directly before a vendor
            if any(0 <= v["start"] - sp.end_char <= 2 for v in vendors):
                return True
            return False
        if self.company is not None and re.search(r"(?:con sede en|sede en|sediad[ao] em|com sede em|bas[ée]e? [àe]n?|"
                                                  r"établie? à|de origen|d['’]origine|origin[áa]ri[ao] d[eoa])\s+(?:la\s+|le\s+|o\s+|a\s+)?$",
                                                  before, re.I):
            return True
        if re.match(r"^-(?:based|made)\b", after):
            return True
        # inside an organisation's name: "Exim Bank de China", "Universidad de Chile", "Banco do Brasil"
        if re.search(r"(?:Bank|Banco|Banque|Exim|Eximbank|Export-Import|Exportación e Importación|Exportação e Importação|"
                     r"Importação|Importación|[Ee]mbaixada|[Ee]mbajada|[Aa]mbassade|[Cc]onsulado|[Cc]onsulat|Universidad|"
                     r"Universidade|Université|Universidad Nacional)\s+(?:de|del|da|do|of|de la|du|des|de l['’])\s+$",
                     before):
            return True
        if re.match(r"^\s+(?:Exim|Export-Import|Development Bank|Eximbank|Telecom\b)", after):
            return True  # "China Exim Bank"
        if sp.text[:1].isupper() and ORG_NAME_AFTER.match(text, sp.end_char):
            return True  # "China International Telecommunication Construction Corporation (CITCC)"
        # "China National Electronics Import and Export Corp (CEIEC)": a word of the firm's spelled-out name
        if sp.text[:1].isupper() and any(
                re.fullmatch(r"(?:\s+[A-Z][\w&.\-]*|\s+(?:and|of|&|de|do|da|du|des)){1,8}\s*\(\s*",
                             text[sp.end_char:v["start"]]) for v in vendors if 0 < v["start"] - sp.end_char <= 80):
            return True
        return False


# a country name opening an organisation's name: capitalised words up to a company word
ORG_NAME_AFTER = re.compile(r"(?:\s+[A-Z][\w&.\-]*){1,6}\s+(?:Corporation|Corp|Company|Co|Group|Limited|Ltd|Inc|"
                            r"Holdings?|Technologies|Technology|Telecom|Telecommunications)\b")


@Language.factory("survwatch_lang_technologies", default_config={"seeds_dir": "", "language": ""})
def make_lang_technologies(nlp: Language, name: str, seeds_dir: str, language: str) -> "LangTechMatcher":
    return LangTechMatcher(nlp, seeds_dir, language)


class LangTechMatcher:
    """The language's technology phrases, plus products of accepted vendor mentions (language-independent)."""

    def __init__(self, nlp: Language, seeds_dir: str, language: str) -> None:
        ld = load_language(language, seeds_dir or None)
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        for tid, phrases in (ld.get("technologies") or {}).items():
            self.lower.add(str(tid), [nlp.make_doc(str(p)) for p in phrases or []])
        self.products = load_technologies(seeds_dir).products
        self.not_cctv_before = phrase_regex([str(x) for x in ld.words("technologies_not_cctv_context")]) \
            if ld.get("technologies_not_cctv_context") else None

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        out = []
        for sp in filter_spans([Span(doc, s, e, label=mid) for mid, s, e in self.lower(doc)]):
            out.append(_mention("technology", sp.label_, doc, sp.start_char, sp.end_char))
        out += product_mentions(doc, st["vendors"], self.products)
        out.sort(key=lambda m: m["start"])
        st["technologies"] = out
        return doc


@Language.factory("survwatch_lang_claims", default_config={"seeds_dir": "", "language": ""})
def make_lang_claims(nlp: Language, name: str, seeds_dir: str, language: str) -> "LangClaimExtractor":
    return LangClaimExtractor(seeds_dir, language)


class LangClaimExtractor:
    def __init__(self, seeds_dir: str, language: str) -> None:
        self.ld = load_language(language, seeds_dir or None)

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        st["claims"] = extract_claims(doc, self.ld, st["countries"], st.get("vendors"))
        return doc


@Language.factory("survwatch_lang_deals", default_config={"seeds_dir": "", "language": ""})
def make_lang_deals(nlp: Language, name: str, seeds_dir: str, language: str) -> "LangDealExtractor":
    return LangDealExtractor(seeds_dir, language)


class LangDealExtractor:
    def __init__(self, seeds_dir: str, language: str) -> None:
        self.ld = load_language(language, seeds_dir or None)
        self.vendor_home = load_vendors(seeds_dir).home

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        found = [{"type": "vendor", "value": c["name"], "text": c["text"], "start": c["start"], "end": c["end"],
                  "discovered": True} for c in st.get("vendor_candidates") or []]
        st["deals"] = extract_deals(doc, self.ld, st["vendors"] + found, st["countries"], st["technologies"],
                                    self.vendor_home)
        forget_doc_text(doc)
        return doc


@Language.factory("survwatch_entity_countries", default_config={"locale": ""})
def make_entity_countries(nlp: Language, name: str, locale: str) -> "EntityCountryMatcher":
    return EntityCountryMatcher(locale)


class EntityCountryMatcher:
    """Countries for a language with no tagger: only pycountry's English names and the language's own
    (translated, native-script) names, case-sensitive; no demonyms, no cities, no descriptors."""

    def __init__(self, locale: str) -> None:
        self.rx, self.names = entity_only_country_regex(locale or None)

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        text = doc_text(doc)
        vendor_chars = [(m["start"], m["end"]) for m in st["vendors"]]
        out = []
        for m in self.rx.finditer(text):
            if any(vs <= m.start() < ve for vs, ve in vendor_chars):
                continue
            if text[m.end():m.end() + 1] == "$":
                continue
            out.append({"type": "country", "value": self.names[m.group()], "text": m.group(), "start": m.start(),
                        "end": m.end(), "kind": "country", "descriptor": False})
        st["countries"] = out
        forget_doc_text(doc)
        return doc
