"""Relevance gate: a cheap scan that decides, before the statistical parse, whether a text can be about
surveillance technology.

No spaCy: one Aho-Corasick pass (pyahocorasick) over the lower-cased text for the case-insensitive vocabulary,
and one over the text as written for the case-sensitive aliases/acronyms. The vocabulary is data: every vendor
name and alias (seeds/vendors.yaml), every technology phrase and product (seeds/technologies.yaml and the
``technologies:`` of seeds/languages/*.yaml) and the words and rules of seeds/gate.yaml. Hits are strong or weak;
see seeds/gate.yaml for the rule. The gate only decides whether the full tagger runs: it never adds tags.

``Gate.fingerprint`` is a hash of the vocabulary and the rules: stored per article (articles.gate_version) so
that ``reprocess`` re-checks out-of-scope articles when the gazetteers or the gate change.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import ahocorasick

from .gazetteer import DEFAULT_SEEDS_DIR, load_yaml

# bump when the matching code changes in a way the vocabulary hash cannot see
GATE_CODE_VERSION = "2"
STRONG, WEAK = "strong", "weak"
# how many hit terms the stored reason lists (enough to judge a decision, short enough for a column)
REASON_TERMS = 8


@dataclass(frozen=True)
class GateResult:
    """The gate's decision on one text: in scope or not, and the distinct terms that hit (strong first)."""

    in_scope: bool
    strong: tuple[str, ...]
    weak: tuple[str, ...]

    @property
    def reason(self) -> str:
        """'strong: surveillance, Hikvision; weak: cameras' or 'no surveillance terms'."""
        parts = []
        if self.strong:
            parts.append("strong: " + ", ".join(self.strong[:REASON_TERMS]))
        if self.weak:
            parts.append("weak: " + ", ".join(self.weak[:REASON_TERMS]))
        return "; ".join(parts) or "no surveillance terms"


# a sentence ends between two hits: final punctuation before a space, or a line break
_SENTENCE_END = re.compile(r"[.!?][\s\"”’)]|\n")


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _load_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return load_yaml(fh)
    except FileNotFoundError:
        raise FileNotFoundError(f"gate vocabulary {path} not found: restore it from the repository's seeds/ "
                                "or pass a seeds directory that has it") from None


@dataclass
class Vocabulary:
    """What the gate matches: case-insensitive terms (lower-cased) and case-sensitive ones, each strong or
    weak; for vendor aliases that need context, their context words (lower-cased); and the rules."""

    folded: dict[str, str]
    exact: dict[str, str]
    needs_context: dict[str, frozenset[str]]
    rules: dict[str, Any]


def gate_vocabulary(seeds_dir: Path | str | None = None) -> Vocabulary:
    """The gate's vocabulary from a seeds directory (seeds/gate.yaml explains the rule). A term listed both
    strong and weak stays weak: the weak lists exist to demote everyday words."""
    seeds = Path(seeds_dir) if seeds_dir else DEFAULT_SEEDS_DIR
    conf = _load_yaml(seeds / "gate.yaml") or {}
    rules = dict(conf.get("rules") or {})
    weak_techs = set(rules.get("weak_technologies") or ())
    weak_terms = {str(t).lower() for t in conf.get("weak_terms") or ()}
    folded: dict[str, str] = {}
    exact: dict[str, str] = {}
    needs: dict[str, set[str]] = {}

    def add(table: dict[str, str], term: str, strength: str) -> str:
        term = term.strip()
        if table is folded:
            term = term.lower()
            if term in weak_terms:
                strength = WEAK
        if term and table.get(term) != WEAK:
            table[term] = strength
        return term

    for _lang, terms in sorted((conf.get("strong_terms") or {}).items()):
        for t in terms or ():
            add(folded, str(t), STRONG)
    for t in sorted(weak_terms):
        add(folded, t, WEAK)
    languages = [(_load_yaml(p) or {}) for p in sorted((seeds / "languages").glob("*.yaml"))]
    # the es/pt/fr taggers accept a needs-context alias on their own language's context words too
    extra_context = {str(w).lower() for data in languages for w in data.get("vendor_context_words") or ()}
    for e in _load_yaml(seeds / "vendors.yaml") or ():
        ctx = e.get("context") or {}
        for alias in [str(e["name"]), *(str(a) for a in e.get("aliases") or ())]:
            rule = ctx.get(alias) or {}
            table = exact if rule.get("case_sensitive") else folded
            if rule.get("needs_context"):
                # weak alone; strong when one of its context words is in the text (Gate.check)
                term = add(table, alias, WEAK)
                words = {str(w).lower() for w in rule.get("context_words") or ()} | extra_context
                needs.setdefault(("=" if table is exact else "~") + term, set()).update(words)
            else:
                add(table, alias, STRONG)
    for e in _load_yaml(seeds / "technologies.yaml") or ():
        strength = WEAK if e["id"] in weak_techs else STRONG
        for p in e.get("phrases") or ():
            add(folded, str(p), strength)
        for p in e.get("case_sensitive_phrases") or ():
            add(exact, str(p), strength)
        # products ("Ring", "NeoFace") imply a technology only with their vendor: vendors.yaml lists them as aliases
    for data in languages:
        for tid, phrases in sorted((data.get("technologies") or {}).items()):
            for p in phrases or ():
                add(folded, str(p), WEAK if tid in weak_techs else STRONG)
    rules["procurement_terms"] = sorted({str(t).lower() for t in conf.get("procurement_terms") or ()})
    return Vocabulary(folded, exact, {k: frozenset(v) for k, v in needs.items()}, rules)


def _automaton(terms: dict[str, str]) -> ahocorasick.Automaton | None:
    if not terms:
        return None
    auto = ahocorasick.Automaton()
    for term, strength in terms.items():
        auto.add_word(term, (term, strength))
    auto.make_automaton()
    return auto


class Gate:
    """In scope or not, from one pass over the text. Build with ``load_gate(seeds_dir)``."""

    def __init__(self, vocab: Vocabulary) -> None:
        rules = vocab.rules
        self.min_strong = int(rules.get("min_strong", 1))
        self.min_weak = int(rules.get("min_weak", 2))
        self._needs = vocab.needs_context
        context_words = {w: WEAK for ws in vocab.needs_context.values() for w in ws}
        self._folded = _automaton(vocab.folded)
        self._exact = _automaton(vocab.exact)
        self._context = _automaton(context_words)
        self._procurement = _automaton({t: WEAK for t in rules.get("procurement_terms") or ()})
        self.procurement_window = int(rules.get("procurement_window", 0))
        payload = json.dumps({"code": GATE_CODE_VERSION, "folded": sorted(vocab.folded.items()),
                              "exact": sorted(vocab.exact.items()),
                              "needs_context": sorted((k, sorted(v)) for k, v in vocab.needs_context.items()),
                              "rules": sorted((k, str(v)) for k, v in rules.items())}, ensure_ascii=False)
        self.fingerprint = "gate-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    @staticmethod
    def _spans(auto: ahocorasick.Automaton | None, text: str) -> Iterable[tuple[int, int, str, str]]:
        """(start, end, term, strength) of every whole-word hit."""
        if auto is None:
            return
        n = len(text)
        for end, (term, strength) in auto.iter(text):
            start = end - len(term) + 1
            # whole words only: "cctv" in "CCTV," yes, "nec" in "necessary" no
            if start > 0 and _is_word_char(text[start - 1]) and _is_word_char(term[0]):
                continue
            if end + 1 < n and _is_word_char(text[end + 1]) and _is_word_char(term[-1]):
                continue
            yield start, end + 1, term, strength

    @classmethod
    def _hits(cls, auto: ahocorasick.Automaton | None, text: str) -> dict[str, str]:
        return {term: strength for _, _, term, strength in cls._spans(auto, text)}

    def _bought(self, lower: str, spans: list[tuple[int, int, str, str]], weak: set[str]) -> set[str]:
        """The weak terms (their ``spans`` in ``lower``) that stand in one sentence with a purchase word, at most
        procurement_window apart."""
        if not weak or self._procurement is None or self.procurement_window <= 0:
            return set()
        buys = [(s, e) for s, e, _, _ in self._spans(self._procurement, lower)]
        if not buys:
            return set()
        out = set()
        for s, e, term, _ in spans:
            if term not in weak or term in out:
                continue
            for bs, be in buys:
                lo, hi = (e, bs) if e <= bs else (be, s)
                if 0 <= hi - lo <= self.procurement_window and not _SENTENCE_END.search(lower, lo, hi):
                    out.add(term)
                    break
        return out

    def check(self, text: str | None) -> GateResult:
        text = text or ""
        # str.lower keeps the length for the scripts we tag; where it does not (a rare ligature) a boundary
        # check may look at a neighbouring character: that can only cost a weak hit, never raise
        lower = text.lower()
        folded = list(self._spans(self._folded, lower))  # kept: the purchase rule reads where the weak words stand
        hits = {("~", t): s for _, _, t, s in folded}
        hits.update({("=", t): s for t, s in self._hits(self._exact, text).items()})
        context: set[str] | None = None
        found: dict[str, str] = {}
        for (kind, term), strength in hits.items():
            words = self._needs.get(kind + term)
            if words is not None and strength == WEAK:
                if context is None:
                    context = set(self._hits(self._context, lower))
                if words & context:
                    strength = STRONG
            if found.get(term) != STRONG:
                found[term] = strength
        if not any(s == STRONG for s in found.values()):
            weak = {t for (kind, t) in hits if kind == "~" and found[t] == WEAK}
            for term in self._bought(lower, folded, weak):
                found[term] = STRONG
        strong = tuple(sorted(t for t, s in found.items() if s == STRONG))
        weak = tuple(sorted(t for t, s in found.items() if s == WEAK))
        in_scope = len(strong) >= self.min_strong or len(weak) >= self.min_weak
        return GateResult(in_scope, strong, weak)

    def check_many(self, texts: Iterable[str | None]) -> list[GateResult]:
        return [self.check(t) for t in texts]


@lru_cache(maxsize=4)
def _cached_gate(seeds_dir: str) -> Gate:
    return Gate(gate_vocabulary(seeds_dir))


def load_gate(seeds_dir: Path | str | None = None) -> Gate:
    """The gate for a seeds directory (default: the repo's seeds/); built once per directory and process."""
    return _cached_gate(str(Path(seeds_dir) if seeds_dir else DEFAULT_SEEDS_DIR))
