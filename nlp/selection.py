"""Sentence-selective parsing: the statistical components run only on the sentences that can hold a tag.

The tag stage is the run's cost, and most of it is the statistical model (tok2vec, parser, NER: ~90 % of the
English pipeline's time on an 800-word article). The rule components read the parse in only a few places:

- claims: sentences with a figure (``find_figures``), and the sentence before a quoted figure (its source);
- deals: sentences with a vendor, a word that introduces an unknown supplier (nlp/discovery.py's trigger words)
  or an anaphor ("the company", "the spyware");
- countries: a place next to another capitalised word ("Santiago Nieto", a PERSON entity) or followed by a
  company noun ("Chinese firm ...", a descriptor).

Every other sentence gets tokens and rule-based sentence boundaries only. A sentence's need is decided on
the cheap layers: the tokenizer, a sentencizer, and the gazetteer matchers the pipeline already has. The
chosen stretches are parsed as separate docs in one ``nlp.pipe`` call, the rest get a flat parse (each sentence
one tree, so ``doc.sents`` stays right), and ``join_docs`` (what ``Doc.from_docs`` does, faster) puts the stretches
back together in order, with the original text and offsets, before the rule components run on the whole document.

Which rules apply is configuration (``[selection]`` in the pipeline's .cfg): the word lists are the ones the
rule components read, so the two cannot drift apart. ``rules = []`` turns selection off.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import numpy
from spacy.attrs import DEP, HEAD, LENGTH, SENT_START, SPACY
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span

from .claims import doc_text, keep_doc_text

QUOTES = ('"', "“", "”")
RULES = ("figures", "vendors", "places", "discovery", "anaphors", "quoted_source")


def english_words() -> dict[str, frozenset[str]]:
    """The English word lists the rules read after the parse, from nlp/lexicon.py (one list, no drift):
    discovery's trigger words (an unknown supplier is named near one), the company nouns that make a country a
    descriptor ("Chinese firm ..."), and the nouns the deal rules resolve as anaphors ("the company")."""
    from .lexicon import (ANAPHOR_FIRM, ANAPHOR_PRODUCT, AWARD_VERBS, BUY_VERBS, COMPANY_NOUNS, CONTRACT_WITH_HEADS,
                          SUPPLY_VERBS, VENDOR_NOUNS, WEAK_SUPPLY_VERBS, WIN_VERBS)

    return {"discovery": frozenset(SUPPLY_VERBS | WEAK_SUPPLY_VERBS | WIN_VERBS | AWARD_VERBS | BUY_VERBS
                                   | CONTRACT_WITH_HEADS | VENDOR_NOUNS),
            "descriptor": frozenset(COMPANY_NOUNS),
            "anaphor": frozenset(ANAPHOR_FIRM | ANAPHOR_PRODUCT),
            "determiner": frozenset({"the", "this", "that"})}


def english_figures() -> Callable[[str], bool]:
    from .numbers import find_figures

    return lambda text: bool(find_figures(text))


# word lists and figure finders by name, as the .cfg names them (languages as data: a language adds its entry)
WORDS: dict[str, Callable[[], dict[str, frozenset[str]]]] = {"english": english_words}
FIGURES: dict[str, Callable[[], Callable[[str], bool]]] = {"english": english_figures}
# tokens after which a place is followed by a company noun in a descriptor ("Chinese surveillance firm")
DESCRIPTOR_WINDOW = 5


# what a sentence gets: tokens and rule-based boundaries only, the parse, or the parse and the named entities
NONE, PARSE, ENTITIES = 0, 1, 2


@dataclass(frozen=True)
class Segment:
    """A stretch of a text, ``start``/``end`` character offsets, and what it gets: NONE, PARSE or ENTITIES."""

    start: int
    end: int
    level: int

    @property
    def parse(self) -> bool:
        return self.level > NONE


FINAL = frozenset({".", "!", "?", "…"})
CLOSING = frozenset({'"', "”", "’", "'", ")", "]"})


def _safe_cut(text: str, prev: Span, nxt: Span) -> bool:
    """Whether the parser would end a sentence here too, so the stretches can be parsed apart: a newline, or
    final punctuation after a word that is not an abbreviation ("INC.", "Gen.", "U.S." are tokens of their own or
    glue to the dot), followed by whitespace. Anything else stays with its neighbour. ``text`` is the doc's text,
    passed in: ``Doc.text`` joins every token again on each call."""
    cut = nxt.start_char
    if cut == 0 or not text[cut - 1].isspace():
        return False
    if "\n" in text[prev.end_char:cut] or (len(prev) and prev[-1].is_space and "\n" in prev[-1].text):
        return True
    toks = [t for t in prev if not t.is_space]
    while toks and toks[-1].text in CLOSING:
        toks.pop()
    if len(toks) < 2 or toks[-1].text not in FINAL:
        return False
    before = toks[-2]
    # "INC.", "U.S.", "Mr.", "Gen.": the sentencizer cut after an abbreviation
    return not (before.is_upper or before.text.endswith(".") or (len(before.text) <= 3 and before.is_title))


def _quoted(text: str, sent: Span) -> bool:
    return any(q in text[sent.start_char:sent.end_char] for q in QUOTES)


def _has_name(sent: Span, known: list[tuple[int, int]]) -> bool:
    """A capitalised word that could name an unknown firm: not the sentence's first word when that is a stop
    word ("The", "In"), not inside a vendor alias or a place the gazetteers already know (``known``: sorted
    character spans)."""
    starts = [s for s, _ in known]
    for t in sent:
        if not (t.text[:1].isupper() and t.is_alpha) or (t.i == sent.start and t.is_stop):
            continue
        k = bisect.bisect_right(starts, t.idx) - 1
        if k >= 0 and known[k][0] <= t.idx < known[k][1]:
            continue
        return True
    return False


def flat_parse(doc: Doc) -> Doc:
    """Give every token of each sentence the sentence's first token as head, so that the sentence boundaries
    survive ``join_docs`` next to parsed docs (a doc with heads takes its sentences from the trees)."""
    n = len(doc)
    if not n:
        return doc
    root, dep = doc.vocab.strings.add("ROOT"), doc.vocab.strings.add("dep")
    starts = numpy.flatnonzero(doc.to_array(SENT_START) == 1)
    if not len(starts) or starts[0] != 0:
        starts = numpy.concatenate([[0], starts])
    positions = numpy.arange(n)
    first = starts[numpy.searchsorted(starts, positions, side="right") - 1]
    arr = numpy.empty((n, 2), dtype="uint64")
    arr[:, 0] = (first - positions).astype("int64").view("uint64")  # heads are relative offsets, stored unsigned
    arr[:, 1] = numpy.where(first == positions, root, dep)
    doc.from_array([HEAD, DEP], arr)
    return doc


# what Doc.from_docs carries over (every token annotation), computed once
JOIN_ATTRS = list(Doc._get_array_attrs())
_LENGTH, _SPACY = JOIN_ATTRS.index(LENGTH), JOIN_ATTRS.index(SPACY)


def join_docs(docs: list[Doc], text: str) -> Doc:
    """``Doc.from_docs(docs, ensure_whitespace=False)`` (tensors, user data and span groups left behind) for docs
    whose texts join into exactly ``text``: the words are cut from ``text`` by the tokens' lengths instead of
    being read token by token (the Token objects from_docs builds were ~5 % of the tag stage)."""
    arr = numpy.concatenate([d.to_array(JOIN_ATTRS) for d in docs])
    lengths = arr[:, _LENGTH].astype("int64")
    spaces = arr[:, _SPACY].astype(bool)
    ends = numpy.cumsum(lengths + spaces)
    starts = (ends - spaces - lengths).tolist()
    words = [text[s:s + n] for s, n in zip(starts, lengths.tolist())]
    joined = Doc(docs[0].vocab, words=words, spaces=spaces.tolist())
    joined.from_array(JOIN_ATTRS, arr)
    return joined


class SentenceSelector:
    """Decides which sentences of a text the statistical components must see (see the module docstring).

    ``nlp`` is the full pipeline: its tokenizer, its ``survwatch_line_breaks`` (if any) and the gazetteer
    matchers named in ``matchers`` are reused, unchanged, on a cheap doc."""

    def __init__(self, nlp: Language, rules: Iterable[str], matchers: Iterable[str],
                 words: str | None = None, figures: str | None = None, entities: Iterable[str] = ()) -> None:
        self.rules = tuple(rules)
        unknown = [r for r in self.rules if r not in RULES]
        if unknown:
            raise ValueError(f"unknown sentence-selection rule(s) {unknown} in the pipeline's [selection]; "
                             f"known: {', '.join(RULES)}")
        self.nlp = nlp
        # the components only ENTITIES stretches get (NER); PARSE stretches get every other statistical one
        self.entity_components = [n for n in entities if n in nlp.pipe_names]
        self.sentencizer = Sentencizer()
        self.line_breaks = nlp.get_pipe("survwatch_line_breaks") if "survwatch_line_breaks" in nlp.pipe_names else None
        self.matchers = [nlp.get_pipe(m) for m in matchers if m in nlp.pipe_names]
        lists = WORDS[words]() if words else {}
        self.word_ids = {k: {nlp.vocab.strings.add(w) for w in v} for k, v in lists.items()}
        self.has_figure = FIGURES[figures]() if figures else (lambda text: False)
        # with a parser, a doc's sentences come from its trees: unparsed stretches need trees of their own
        self.flat = "parser" in nlp.pipe_names
        # sentences either side a vendor alias's context rule reads (the vendor matcher's window)
        self.window = max([int(getattr(m, "window", 0)) for m in self.matchers if hasattr(m, "alias_hits")] or [0])

    @property
    def enabled(self) -> bool:
        return bool(self.rules)

    def light_doc(self, text: str) -> Doc:
        """Tokens, rule-based sentences (punctuation, then every newline), a flat parse: no statistical model."""
        doc = self.sentencizer(self.nlp.make_doc(text))
        if self.line_breaks is not None:
            doc = self.line_breaks(doc)
        doc = flat_parse(doc) if self.flat else doc
        keep_doc_text(doc, text)
        return doc

    def needs(self, doc: Doc) -> list[int]:
        """Per sentence of ``doc`` (a light doc): NONE, PARSE (a rule reads the parse) or ENTITIES (a rule reads
        the named entities too)."""
        sents = list(doc.sents)
        text = doc_text(doc)
        state: dict[str, Any] = {}
        hits: list[tuple[int, int, bool]] = []
        if self.matchers:
            for proc in self.matchers:
                if hasattr(proc, "alias_hits"):
                    hits += proc.alias_hits(doc)
                doc = proc(doc)
            state = doc._.survwatch or {}
            doc._.survwatch = None
        starts = [s.start_char for s in sents]
        need = [NONE] * len(sents)

        def sent_of(char: int) -> int:
            return bisect.bisect_right(starts, char) - 1

        def mark(i: int, level: int) -> None:
            need[i] = max(need[i], level)

        places = state.get("countries", [])
        if "vendors" in self.rules:
            # every alias, accepted or not: an alias that needs context words takes them from the sentences
            # around it, so those get the parse's sentence boundaries too (deals read the parse; no rule reads
            # entities for a vendor)
            # (blank lines are sentences of the light doc, not of the parse: the window counts real ones)
            real = [i for i, s in enumerate(sents) if s.text.strip()]
            for start, _, context in hits:
                i = sent_of(start)
                k = bisect.bisect_left(real, i)
                w = self.window if context else 0
                lo, hi = real[max(0, k - w)], real[min(len(real) - 1, k + w)] if real else i
                for j in range(min(lo, i), max(hi, i) + 1):
                    mark(j, PARSE)
        if "places" in self.rules:
            descriptor = self.word_ids.get("descriptor", set())
            for m in places:
                i = sent_of(m["start"])
                span = doc.char_span(m["start"], m["end"], alignment_mode="expand")
                if span is None:
                    mark(i, ENTITIES)
                    continue
                sent = sents[i]
                # a capitalised word just before (or one word before: "JO de Paris") or right after; a capitalised
                # first word that is a stop word ("In Nairobi") cannot be part of a name
                before = [t for t in doc[max(sent.start, span.start - 2):span.start]
                          if t.text[:1].isupper() and not (t.i == sent.start and t.is_stop)]
                nxt = doc[span.end] if span.end < sent.end else None
                # "Santiago Nieto", "Michael Jordan": the PERSON check reads the entities; "Chinese surveillance
                # firm": the descriptor check reads the parse
                if before or (nxt is not None and nxt.text[:1].isupper()):
                    mark(i, ENTITIES)
                elif any(t.lower in descriptor for t in doc[span.end:min(sent.end, span.end + DESCRIPTOR_WINDOW)]):
                    mark(i, PARSE)
        trigger = self.word_ids.get("discovery", set())
        anaphor, det = self.word_ids.get("anaphor", set()), self.word_ids.get("determiner", set())
        known = sorted([(s, e) for s, e, _ in hits] + [(m["start"], m["end"]) for m in places])
        first_vendor = min((s for s, _, _ in hits), default=len(text))
        figure = [False] * len(sents)
        for i, sent in enumerate(sents):
            # an unknown supplier is named near a trigger word: discovery reads the entities and the parse
            if "discovery" in self.rules and any(t.lower in trigger for t in sent) and _has_name(sent, known):
                mark(i, ENTITIES)
            if need[i] >= PARSE:
                continue
            if "anaphors" in self.rules and sent.start_char > first_vendor and any(
                    t.lower in anaphor and t.i > sent.start and doc[t.i - 1].lower in det for t in sent):
                mark(i, PARSE)
            elif "figures" in self.rules and self.has_figure(text[sent.start_char:sent.end_char]):
                # claims read the parse; measured on every English gold set, their output does not change
                # without the entities (bench/selection.py), so a figure alone does not buy the NER
                figure[i] = True
                mark(i, PARSE)
        if "discovery" in self.rules:
            # discovery takes a lone name for a person when the document names that person in full elsewhere
            # ("Peter Thiel ... Thiel sold"): a full name ending in a capitalised word of a trigger sentence needs
            # the entities wherever it stands
            known_starts = [a for a, _ in known]

            def unknown(tok: Any) -> bool:
                k = bisect.bisect_right(known_starts, tok.idx) - 1
                return not (k >= 0 and known[k][0] <= tok.idx < known[k][1])

            lone = {t.text for i, sent in enumerate(sents) if need[i] == ENTITIES for t in sent
                    if t.is_title and t.is_alpha and not (t.i == sent.start and t.is_stop) and unknown(t)}
            for i, sent in enumerate(sents):
                if need[i] < ENTITIES and any(t.text in lone and t.i > sent.start and doc[t.i - 1].is_title
                                              and unknown(t) for t in sent):
                    mark(i, ENTITIES)
        if "quoted_source" in self.rules:
            # a figure inside a quote takes its source from the previous sentence ("..., said X"), parsed too
            for i in range(1, len(sents)):
                if figure[i] and _quoted(text, sents[i]) and _quoted(text, sents[i - 1]):
                    mark(i - 1, PARSE)
        return need

    def segments(self, doc: Doc) -> list[Segment]:
        """The text of ``doc`` (a light doc) cut into stretches by what they get. Cuts fall only after
        whitespace, so the stretches' docs join back into exactly the original text."""
        text = doc_text(doc)
        sents = list(doc.sents)
        if not sents:
            return [Segment(0, len(text), NONE)]
        need = self.needs(doc)
        for i in range(1, len(sents)):
            if not sents[i].text.strip():
                need[i] = need[i - 1]  # a blank line goes with the sentence before it
        out: list[Segment] = []
        start, level = 0, need[0]
        for i in range(1, len(sents)):
            cut = sents[i].start_char
            if need[i] == level:
                continue
            if not _safe_cut(text, sents[i - 1], sents[i]):
                level = max(level, need[i])  # not a sure boundary: both sides together, at the higher level
                continue
            out.append(Segment(start, cut, level))
            start, level = cut, need[i]
        out.append(Segment(start, len(text), level))
        merged: list[Segment] = []
        for seg in out:
            if merged and merged[-1].level == seg.level:
                merged[-1] = Segment(merged[-1].start, seg.end, seg.level)
            else:
                merged.append(seg)
        return merged
