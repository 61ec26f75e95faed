"""Discovery of unknown vendors: organisations the gazetteer (seeds/vendors.yaml) lacks that a
sentence presents as a supplier of surveillance technology.

A candidate is an organisation (an ORG entity, or -- with ``propn_fallback`` -- a proper-noun chunk
the small model mislabels, e.g. "Zentrix Technologies" as PERSON) that fills a supplier slot in
its sentence. Rules (the ``cue`` reported with each candidate):
  - ``supplier_verb``: subject of a supply/sale verb ("X supplied", "X, which sells ..."); broad
    verbs (built, provides, developed, made ...) only with a technology mention in the sentence;
  - ``won_contract``: subject of win/secure with a contract/tender/deal object ("X won a tender");
  - ``supplied_by``: passive agent of such a verb ("supplied by X", "cameras made by X");
  - ``contract_with``: "a contract/deal/agreement with X", "a contract between X and ...";
  - ``awarded_to``: "awarded to X" with a contract noun in the sentence;
  - ``selected_to_supply``: the chosen firm of "selected / hired / contracted X to provide|supply|install ...";
  - ``bought_from``: "bought/purchased/procured ... from X" (not a stake or a company);
  - ``vendor_noun``: a vendor-ish noun attached to the name ("the Russian firm X", "X, a maker of
    ...", "X is a startup ...") with a technology mention in the sentence.
Never candidates: names overlapping a vendor mention (listed or not), a country or a technology
mention; gazetteer names and aliases; short forms of a non-vendor named in full ("the Met"); people
(PERSON names that do not look corporate); names with a buyer/regulator/court/NGO/newspaper/school/bank
word (lexicon.NON_VENDOR_ORG_WORDS); single-token acronyms shorter than ``min_acronym_chars``; "firms"
qualified as law, PR, equity, research ...; sources ("according to X"); parties of corporate deals ("sold
its stake"); the partner of a contract whose vendor side is already a known vendor.
Names are normalised (leading "the", possessive 's and legal suffixes such as Inc./Ltd./GmbH removed).
Thresholds come from pipeline.cfg ([settings.survwatch_vendor_candidates]).
"""
from __future__ import annotations

import bisect
import re
from functools import cached_property
from typing import Any

import numpy
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from .claims import doc_text, mentions_in, sentence_bounds
from .components import _state
from .gazetteer import load_places, load_vendors
from .lexicon import (AWARD_VERBS, BUY_VERBS, CONTRACT_OBJECTS, CONTRACT_WITH_HEADS, CORPORATE_OBJECTS,
                      CORPORATE_WORDS, FIRM_NOUNS, NON_VENDOR_FIRM_MODIFIERS, NON_VENDOR_ORG_WORDS, SELECT_VERBS,
                      SUPPLY_VERBS, VENDOR_NOUNS, WEAK_SUPPLY_VERBS, WIN_VERBS)

# entity labels the small model gives firm names by mistake; only used with propn_fallback
FALLBACK_LABELS = frozenset({"PERSON", "GPE", "LOC", "NORP", "PRODUCT", "FAC", "WORK_OF_ART"})
# tokens allowed between a vendor noun and the name it introduces ("the firm, called X")
_BRIDGE = frozenset({",", "-", "\"", "'", "“", "”", "‘", "’", "called", "named", "dubbed"})
_LEGAL_SUFFIX = re.compile(
    r"(?:[\s,]+(?:Inc|Ltd|Co|Corp|LLC|L\.L\.C|GmbH|S\.A|SA|S\.p\.A|SpA|PLC|plc|Plc|Pty|Pvt|B\.V|N\.V|AG|AB|Oy|"
    r"Limited|Sdn Bhd|K\.K)\.?)+$")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w’'&.-]*(?:[ \t]+(?:of|for|and|the|[A-Z][\w’'&.-]*))*[ \t]+[A-Z][\w’'&.-]*")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
# words before a name that make it a person ("Mr Zentrix", "Inspector Mwangi")
PERSON_TITLES = frozenset("""mr mr. mrs mrs. ms ms. dr dr. prof prof. professor sir lord lady president minister
secretary senator governor mayor judge justice inspector commissioner chief general colonel officer detective
spokesman spokeswoman spokesperson""".split())


def _proper(tok: Token) -> bool:
    """A proper-noun token; the small model tags unknown capitalised words mid-sentence as NOUN too."""
    return tok.pos_ == "PROPN" or (tok.pos_ == "NOUN" and tok.text[:1].isupper() and not tok.is_sent_start)


def normalise_name(text: str) -> str:
    """'the Zentrix Technologies Ltd.'s' -> 'Zentrix Technologies': whitespace collapsed, leading
    "the", a possessive and trailing legal-form suffixes removed."""
    name = " ".join(text.split())
    name = re.sub(r"^(?:the|The|THE)\s+", "", name)
    name = _POSSESSIVE.sub("", name).rstrip()
    prev = None
    while prev != name:
        prev = name
        name = _LEGAL_SUFFIX.sub("", name).rstrip(" ,")
        name = _POSSESSIVE.sub("", name).rstrip()
    return name


class _DocContext:
    """Per-document lookups, built on first use (most documents yield no candidate at all)."""

    def __init__(self, doc: Doc, st: dict[str, Any]) -> None:
        self.doc = doc
        self.st = st

    @cached_property
    def blocked(self) -> list[tuple[int, int]]:
        """Character ranges of vendor (listed or not), country and technology mentions."""
        return sorted((m["start"], m["end"]) for key in ("vendors", "countries", "technologies")
                      for m in self.st.get(key, []))

    @cached_property
    def ent_of(self) -> dict[int, Span]:
        return {i: ent for ent in self.doc.ents for i in range(ent.start, ent.end)}

    @cached_property
    def vendor_tokens(self) -> set[int]:
        out: set[int] = set()
        for m in self.st.get("vendors", []):
            vspan = self.doc.char_span(m["start"], m["end"], alignment_mode="expand")
            if vspan is not None:
                out.update(range(vspan.start, vspan.end))
        return out

    @cached_property
    def surnames(self) -> set[str]:
        """Surnames of people named in full ("Peter Thiel" ... "Thiel built ...")."""
        return {ent[-1].text for ent in self.doc.ents if ent.label_ == "PERSON" and len(ent) >= 2}

    @cached_property
    def excluded_aliases(self) -> set[str]:
        """Short forms of the document's non-vendor organisations: initials ("ICE" for Immigration and
        Customs Enforcement, "NYPD") and the first name word ("Met" / "Metropolitan" for the
        Metropolitan Police), so "The Met deploys ..." is not taken for a vendor."""
        out: set[str] = set()
        # organisation names from the entities and, where NER did not run on a sentence (nlp/selection.py), from
        # runs of capitalised words ("Stockton Police Department")
        names = [ent.text for ent in self.doc.ents if ent.label_ == "ORG"]
        names += [m.group(0) for m in _CAPITALISED_RUN.finditer(doc_text(self.doc))]
        for name in names:
            words = [w.strip(".,'’") for w in re.split(r"[\s\-/]+", name) if w.strip(".,'’")]
            if not {w.casefold() for w in words} & NON_VENDOR_ORG_WORDS:
                continue
            caps = [w for w in words if w[:1].isupper() and w.casefold() not in ("the", "of", "and", "for")]
            if len(caps) >= 2:
                out.add("".join(w[0] for w in caps).casefold())
            if caps:
                out.add(caps[0].casefold())
        return out


@Language.factory("survwatch_vendor_candidates", default_config={
    "seeds_dir": "", "propn_fallback": True, "cue_window": 3, "max_name_tokens": 6, "min_acronym_chars": 3,
    "max_trigger_distance": 12})
def make_vendor_candidates(nlp: Language, name: str, seeds_dir: str, propn_fallback: bool, cue_window: int,
                           max_name_tokens: int, min_acronym_chars: int,
                           max_trigger_distance: int) -> "VendorCandidates":
    return VendorCandidates(seeds_dir, propn_fallback, cue_window, max_name_tokens, min_acronym_chars,
                            max_trigger_distance)


class VendorCandidates:
    """Writes ``doc._.survwatch["vendor_candidates"]``: one dict per candidate occurrence
    (name, text, start, end, sentence, cue); the tagger de-duplicates per document."""

    def __init__(self, seeds_dir: str, propn_fallback: bool = True, cue_window: int = 3, max_name_tokens: int = 6,
                 min_acronym_chars: int = 3, max_trigger_distance: int = 12) -> None:
        self.propn_fallback = propn_fallback
        self.cue_window = int(cue_window)
        self.max_name_tokens = int(max_name_tokens)
        self.min_acronym_chars = int(min_acronym_chars)
        self.max_trigger_distance = int(max_trigger_distance)
        table = load_vendors(seeds_dir) if seeds_dir else None
        # every gazetteer name and alias: a name the vendor matcher rejected in context ("Paragon"
        # without spyware context) is still not an *unknown* vendor
        self.known = {a.text.casefold() for a in table.aliases} | {a.canonical.casefold() for a in table.aliases} \
            if table else set()
        # government agencies and buyers named in seeds/places.yaml ("FBI", "ICE") are buyers, never vendors
        if seeds_dir:
            places = load_places(seeds_dir)
            self.known_agencies = {p.casefold() for p, _ in places.agencies + places.buyers}
        else:
            self.known_agencies = set()
        words = (SUPPLY_VERBS | WEAK_SUPPLY_VERBS | WIN_VERBS | AWARD_VERBS | BUY_VERBS | CONTRACT_WITH_HEADS
                 | VENDOR_NOUNS | SELECT_VERBS)
        self._trigger_ids = numpy.array(sorted(get_string_id(w) for w in words), dtype=numpy.uint64)

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        st["vendor_candidates"] = self.find(doc, st)
        return doc

    # ------------------------------------------------------------------ candidates

    def find(self, doc: Doc, st: dict[str, Any]) -> list[dict[str, Any]]:
        if not len(doc):
            return []
        # trigger words located in one vectorised pass; most sentences have none and are never visited
        hits = numpy.flatnonzero(numpy.isin(doc.to_array(LOWER), self._trigger_ids))
        if not len(hits):
            return []
        sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        sent_starts = [sn.start for sn in sents]
        techs = sorted(st.get("technologies", []), key=lambda m: m["start"])
        t_starts = [m["start"] for m in techs]
        by_sent: dict[int, list[Token]] = {}
        for i in hits:
            by_sent.setdefault(bisect.bisect_right(sent_starts, int(i)) - 1, []).append(doc[int(i)])
        ctx = _DocContext(doc, st)
        out: list[dict[str, Any]] = []
        for si, triggers in by_sent.items():
            sent = sents[si]
            has_tech = bool(mentions_in(techs, t_starts, sent.start_char, sent.end_char))
            seen: set[int] = set()
            for arg, trig, cue in self._arguments(sent, triggers, has_tech, ctx):
                span, label = self._name_span(doc, arg, ctx.ent_of, sent.start)
                if span is None or span.start in seen:
                    continue
                if label == "PERSON" and not self._firm_not_person(span, trig, cue, ctx.surnames):
                    continue
                cand = self._candidate(doc, span, label, trig, cue, ctx.blocked, ctx.excluded_aliases)
                if cand is None:
                    continue
                seen.add(span.start)
                s_start, s_end = sentence_bounds(sent)
                cand["sentence"] = doc_text(doc)[s_start:s_end]
                out.append(cand)
        return out

    def _arguments(self, sent: Span, triggers: list[Token], has_tech: bool,
                   ctx: "_DocContext") -> list[tuple[Token, Token, str]]:
        """(token naming the supplier, trigger word, rule) of one sentence, in token order of the triggers."""
        found: list[tuple[Token, Token, str]] = []  # (argument, trigger, rule)
        for t in triggers:
            low = t.lower_
            if t.pos_ in ("VERB", "AUX"):
                supply = low in SUPPLY_VERBS or (has_tech and low in WEAK_SUPPLY_VERBS)
                if supply and not self._corporate_object(t):
                    found += [(a, t, "supplier_verb") for a in self._subjects(t)]
                    found += [(a, t, "supplied_by") for a in self._agents(t)]
                if low in WIN_VERBS and any(c.dep_ == "dobj" and c.lower_ in CONTRACT_OBJECTS for c in t.children):
                    found += [(a, t, "won_contract") for a in self._subjects(t)]
                if low in SELECT_VERBS and any(c.dep_ in ("xcomp", "advcl") and (
                        c.lower_ in SUPPLY_VERBS or (has_tech and c.lower_ in WEAK_SUPPLY_VERBS)) for c in t.children):
                    found += [(a, t, "selected_to_supply") for d in t.children if d.dep_ == "dobj"
                              for a in self._with_conjuncts(d)]
                if low in AWARD_VERBS and any(x.lower_ in CONTRACT_OBJECTS for x in sent):
                    found += [(p, t, "awarded_to") for p in self._prep_objects(t, ("to",))]
            if low in BUY_VERBS and not self._corporate_object(t):
                found += [(p, t, "bought_from") for p in self._prep_objects(t, ("from",))]
            if low in CONTRACT_WITH_HEADS and not self._vendor_is_party(t, ctx.vendor_tokens):
                found += [(p, t, "contract_with") for p in self._prep_objects(t, ("with", "between"))]
            if has_tech and low in VENDOR_NOUNS and t.pos_ in ("NOUN", "PROPN") and not self._non_vendor_firm(t):
                found += [(a, t, "vendor_noun") for a in self._named_by(t, sent)]
        # a trigger far from the name is usually about something else (a long parse-error arc);
        # "according to X" makes X the source of the sentence, not a party
        return [(a, trig, cue) for a, trig, cue in found
                if abs(a.i - trig.i) <= self.max_trigger_distance and not self._attribution(a)]

    @staticmethod
    def _with_conjuncts(tok: Token) -> list[Token]:
        return [tok, *tok.conjuncts]

    def _subjects(self, verb: Token) -> list[Token]:
        """Active subjects of `verb`, of the verb it is coordinated with ("X designed and supplied"), or the
        noun a relative clause hangs off ("X, which sells ...")."""
        if any(c.dep_ == "neg" for c in verb.children):
            return []
        subj = [c for c in verb.children if c.dep_ == "nsubj"]
        if not subj and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
            subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
        relative = ("which", "that", "who")
        if verb.dep_ == "relcl" and any(c.dep_ == "nsubj" and c.lower_ in relative for c in verb.children):
            subj = [verb.head]
        out = []
        for s in subj:
            if s.lower_ in relative:
                continue
            out += self._with_conjuncts(s)
        return out

    def _agents(self, verb: Token) -> list[Token]:
        """'supplied by X', 'cameras made by X and Y'."""
        out = []
        for c in verb.children:
            if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by" and verb.tag_ == "VBN"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        out += self._with_conjuncts(p)
        return out

    def _prep_objects(self, head: Token, preps: tuple[str, ...]) -> list[Token]:
        out = []
        for c in head.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in preps:
                for p in c.children:
                    if p.dep_ == "pobj":
                        out += self._with_conjuncts(p)
        return out

    def _vendor_is_party(self, head: Token, vendor_tokens: set[int]) -> bool:
        """'Palantir won a contract with the NHS', 'Huawei signed a deal with X': the vendor side is
        taken, so the partner is the buyer."""
        verb = head
        for _ in range(3):
            if verb.pos_ in ("VERB", "AUX") or verb.head == verb:
                break
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX"):
            return False
        if verb.lower_ in WIN_VERBS:
            return True
        return any(s.i in vendor_tokens for s in self._subjects(verb))

    @staticmethod
    def _attribution(tok: Token) -> bool:
        """'..., according to the research firm Omdia': the name is who reports, not who supplies."""
        for t in (tok, *list(tok.ancestors)[:4]):
            if t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.head.lower_ == "according":
                return True
        return False

    @staticmethod
    def _corporate_object(verb: Token) -> bool:
        """'sold its stake', 'bought the unit from ...': a corporate transaction, not a supply."""
        return any(c.dep_ in ("dobj", "nsubjpass") and c.lower_ in CORPORATE_OBJECTS for c in verb.children)

    @staticmethod
    def _non_vendor_firm(noun: Token) -> bool:
        """'the private equity firm X', 'law firm X'."""
        return any(c.dep_ in ("compound", "amod", "nmod") and c.lower_ in NON_VENDOR_FIRM_MODIFIERS
                   for c in noun.subtree if c.i < noun.i)

    def _named_by(self, noun: Token, sent: Span) -> list[Token]:
        """Names a vendor noun introduces: 'X, a maker of ...' / 'a firm, X,' (appositions),
        'X is a startup' (attribute), 'the Russian firm X' / 'the body-camera maker X' (name right after)."""
        out = [c for c in noun.children if c.dep_ == "appos"]
        if noun.dep_ == "appos":
            out.append(noun.head)
        if noun.dep_ == "attr" and noun.head.lower_ in ("is", "was", "are", "were", "became", "remains"):
            out += [c for c in noun.head.children if c.dep_ == "nsubj"]
        doc = noun.doc
        j = noun.i + 1
        end = min(noun.i + 1 + self.cue_window, sent.end)
        while j < end and doc[j].lower_ in _BRIDGE:
            j += 1
        if j < end and (_proper(doc[j]) or doc[j].ent_type_ == "ORG"):
            # the whole name: its head is the last token of the proper-noun run
            k = j
            while k + 1 < sent.end and (_proper(doc[k + 1]) or doc[k + 1].text == "&"):
                k += 1
            out.append(doc[k])
        return out

    # ------------------------------------------------------------------ names

    def _name_span(self, doc: Doc, tok: Token, ent_of: dict[int, Span], sent_start: int) -> tuple[Span | None, str]:
        """The organisation name `tok` belongs to: its ORG entity, else (propn_fallback) a mislabelled
        entity or the proper-noun chunk ending in it. ('a local firm, Zentrix' resolves the apposition.)"""
        if not _proper(tok) and tok.i not in ent_of:
            names = [c for c in tok.children if c.dep_ == "appos" and (_proper(c) or c.i in ent_of)]
            if not names:
                return None, ""
            tok = names[0]
        ent = ent_of.get(tok.i)
        if ent is not None:
            if ent.label_ == "ORG":
                return ent, "ORG"
            if self.propn_fallback and ent.label_ in FALLBACK_LABELS:
                return ent, ent.label_
            return None, ""
        if not self.propn_fallback or not _proper(tok):
            return None, ""
        start = tok.i
        while start > sent_start and doc[start - 1].i not in ent_of and \
                (_proper(doc[start - 1]) or doc[start - 1].text == "&") and \
                doc[start - 1].dep_ in ("compound", "flat", "nmod", "amod", "cc") and doc[start - 1].head.i <= tok.i:
            start -= 1
        return doc[start:tok.i + 1], "PROPN"

    def _candidate(self, doc: Doc, span: Span, label: str, trig: Token, cue: str,
                   blocked: list[tuple[int, int]], excluded_aliases: set[str]) -> dict[str, Any] | None:
        text = doc_text(doc)
        s, e = span.start_char, span.end_char
        surface = text[s:e]
        if "\n" in surface.strip():
            return None  # an entity running across a headline break
        surface_stripped = surface.rstrip()
        e = s + len(surface_stripped)
        # mentions are sorted by start and short: those overlapping [s, e) start just before e
        i = bisect.bisect_left(blocked, (e, e))
        for bs, be in blocked[max(0, i - 50):i]:
            if bs < e and s < be:
                return None
        name = normalise_name(surface_stripped)
        if "/" in name and all(part[:1].isupper() for part in name.split("/")):
            name = name.split("/")[0].strip()  # "Safariland/VieVu": the firm, then its brand
        if name.casefold() in self.known_agencies:
            return None
        words = name.split()
        if not words or len(words) > self.max_name_tokens or not (name[0].isupper() or name[0].isdigit()):
            return None
        if len(surface_stripped.split()) == 1 and name.isupper() and len(name) < self.min_acronym_chars:
            return None
        lower_words = {w.strip(".,'’").casefold() for w in re.split(r"[\s\-/]+", name)}
        if lower_words & NON_VENDOR_ORG_WORDS or name.casefold() in self.known:
            return None
        if len(words) == 1 and (name.casefold() in excluded_aliases or any(
                len(name) >= 3 and a.startswith(name.casefold()) for a in excluded_aliases)):
            return None  # "the Met" after "the Metropolitan Police", "ICE"
        if label in ("GPE", "LOC", "NORP") and cue not in ("vendor_noun", "supplied_by", "contract_with"):
            return None  # a place outside the gazetteer acting ("Bahia installed cameras") is a buyer
        return {"name": name, "text": surface_stripped, "start": s, "end": e, "cue": cue}

    def _firm_not_person(self, span: Span, trig: Token, cue: str, surnames: set[str]) -> bool:
        """A name the model labels PERSON is taken for a firm when it looks corporate ("Zentrix
        Technologies", "WatchGuard"), a firm noun introduces it ("the startup Nuvia"), or it is a single
        word that is neither a titled name ("Mr Zentrix") nor the surname of a person named in full."""
        if self._looks_corporate(span.text) or (cue == "vendor_noun" and trig.lower_ in FIRM_NOUNS):
            return True
        if len(span) > 1 or span[0].text in surnames:
            return False  # "Peter Thiel built ...", "Thiel built ..."
        return not (span.start > 0 and span.doc[span.start - 1].lower_ in PERSON_TITLES)

    @staticmethod
    def _looks_corporate(surface: str) -> bool:
        """'Zentrix Technologies', 'Ostrava Secure Ltd.', 'WatchGuard' (inner capital)."""
        words = surface.split()
        if {w.strip(".,").casefold() for w in words} & CORPORATE_WORDS:
            return True
        return len(words) == 1 and bool(re.search(r"[a-z][A-Z]", surface))
