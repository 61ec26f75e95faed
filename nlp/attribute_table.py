"""The model's attribute_ruler, matched by table lookup instead of spaCy's Matcher.

en_core_web_sm's attribute_ruler maps every fine-grained tag to its coarse POS and morphology (plus a few word
exceptions) through 179 Matcher patterns; running the Matcher over every parsed token was ~10-15 % of the tag
stage on surveillance pages (bench/README.md). Almost all of those patterns test one token for equality or
membership on TAG, LOWER, DEP, ORTH or IS_SPACE, so a token's matches are found by looking its values up in
tables, and remembered per combination of values. Patterns of any other shape (several tokens, REGEX, ...) still
go through a Matcher holding only them.

Same result as the attribute_ruler, by construction: matches are collected first, on the values the token had
before the component ran, then applied in the ruler's order (a later pattern wins, as in
``AttributeRuler.set_annotations``), with the ruler's own normalised attributes and ``set_token_attrs``.
tests/test_attribute_table.py compares both token by token.
"""
from __future__ import annotations

import re
from typing import Any

import numpy

from spacy.attrs import DEP, IS_SPACE, LOWER, ORTH, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# the token attributes a pattern may test and still be looked up (column in ``to_array``)
COLUMNS = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "ORTH": ORTH, "IS_SPACE": IS_SPACE}
UNTESTED = numpy.iinfo("uint64").max  # not a string hash in practice, nor a boolean

Predicate = tuple[tuple[str, bool, frozenset], ...]  # (column, negated, values): all must hold


def _token_predicate(vocab, token: dict[str, Any]) -> Predicate | None:
    """A pattern token as lookups (equality, IN, NOT_IN on the columns above), or None when it is not one."""
    out = []
    for key, value in sorted(token.items()):
        if key not in COLUMNS:
            return None  # OP, REGEX keys, other attributes: the Matcher's business
        negated = False
        if isinstance(value, dict):
            if len(value) != 1 or next(iter(value)) not in ("IN", "NOT_IN"):
                return None
            negated = "NOT_IN" in value
            value = next(iter(value.values()))
        else:
            value = [value]
        if key == "IS_SPACE":
            if not all(isinstance(v, bool) for v in value):
                return None
            values = frozenset(int(v) for v in value)
        elif all(isinstance(v, str) for v in value):
            values = frozenset(vocab.strings.add(v) for v in value)
        else:
            return None
        out.append((key, negated, values))
    return tuple(out)


def _lower_condition(pattern: list[dict[str, Any]]) -> list[Any]:
    """For a pattern left to the Matcher: per token with a LOWER test, the words or the regex it needs."""
    needs = []
    for token in pattern:
        value = token.get("LOWER")
        if isinstance(value, str):
            needs.append({value})
        elif isinstance(value, dict) and set(value) == {"IN"}:
            needs.append(set(value["IN"]))
        elif isinstance(value, dict) and set(value) == {"REGEX"}:
            needs.append(re.compile(value["REGEX"]))
    return needs


class AttributeTable:
    """Drop-in for an AttributeRuler (same patterns, same annotations), looking patterns up in tables."""

    def __init__(self, ruler: AttributeRuler):
        self.vocab = ruler.vocab
        self.attrs = ruler.attrs  # normalised, by pattern number (the ruler's order)
        self.indices = ruler.indices
        pred_ids: dict[Predicate, int] = {}
        # (pattern number, predicate id per token, index of the token that takes the attributes)
        lookups: list[tuple[int, tuple[int, ...], int]] = []
        self.rest = Matcher(self.vocab)
        self.rest_needs: list[list[Any]] = []
        for number, entry in enumerate(ruler.patterns):
            others = []
            for pattern in entry["patterns"]:
                preds = [_token_predicate(self.vocab, t) for t in pattern]
                if not pattern or any(p is None for p in preds):
                    others.append(pattern)
                    continue
                lookups.append((number, tuple(pred_ids.setdefault(p, len(pred_ids)) for p in preds),
                                     entry["index"]))
            if others:
                self.rest.add(str(number), others)
                self.rest_needs += [_lower_condition(p) for p in others]
        predicates = sorted(pred_ids, key=pred_ids.get)
        # only the columns some predicate tests are read; a value no predicate names behaves like any other
        # unnamed value, so it is folded to UNTESTED and the memo stays bounded by the patterns, not the vocabulary
        used = sorted({col for pred in predicates for col, _, _ in pred})
        self.array_attrs = [COLUMNS[c] for c in used]
        self.named = [frozenset().union(*(v for pred in predicates for col, _, v in pred if col == c)) for c in used]
        position = {c: j for j, c in enumerate(used)}
        self._checks = [tuple((position[c], neg, v) for c, neg, v in pred) for pred in predicates]
        self.single = {}  # predicate id -> pattern numbers of one-token patterns
        self.multi = []
        for number, preds, index in lookups:
            if len(preds) == 1 and index in (0, -1):
                self.single.setdefault(preds[0], []).append(number)
            else:
                self.multi.append((number, preds, index))
        self._memo: dict[tuple[int, ...], tuple[frozenset, tuple[int, ...], tuple[int, ...]]] = {}
        self._merged: dict[tuple[int, ...], dict] = {}

    def _row(self, row: tuple[int, ...]) -> tuple[frozenset, tuple[int, ...], tuple[int, ...]]:
        """For a token with these column values: the predicates it satisfies, its one-token pattern numbers and
        the several-token patterns whose first token it could be."""
        found = self._memo.get(row)
        if found is None:
            held = frozenset(k for k, checks in enumerate(self._checks)
                             if all((row[j] in values) != negated for j, negated, values in checks))
            found = (held, tuple(sorted(n for k in held for n in self.single.get(k, ()))),
                     tuple(m for m, (_, preds, _) in enumerate(self.multi) if preds[0] in held))
            self._memo[row] = found
        return found

    def _attrs_for(self, numbers: tuple[int, ...]) -> dict:
        merged = self._merged.get(numbers)
        if merged is None:
            merged = {}
            for n in sorted(numbers):  # in the ruler's order: a later pattern overrides an earlier one's value
                merged.update(self.attrs[n])
            self._merged[numbers] = merged
        return merged

    def _rest_may_match(self, doc: Doc) -> bool:
        if not self.rest_needs:
            return False
        lowers = {self.vocab.strings[h] for h in set(doc.to_array(LOWER).tolist())}
        return any(all((lowers & need) if isinstance(need, set) else any(need.search(w) for w in lowers)
                       for need in needs) for needs in self.rest_needs)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        # folded with sets, not numpy.isin: isin's set-up cost dominated on sentence-sized docs
        columns = [[v if v in named else UNTESTED for v in column]
                   for column, named in zip(doc.to_array(self.array_attrs).reshape(n, -1).T.tolist(), self.named)]
        rows = [self._row(row) for row in zip(*columns)]
        per_token = [list(numbers) for _, numbers, _ in rows]
        for i, (_, _, starting) in enumerate(rows):
            for m in starting:
                number, preds, index = self.multi[m]
                width = len(preds)
                if i + width <= n and all(preds[k] in rows[i + k][0] for k in range(1, width)):
                    per_token[i + index if index >= 0 else i + width + index].append(number)
        if self._rest_may_match(doc):
            for m_id, start, end in self.rest(doc, allow_missing=True, as_spans=False):
                number = int(self.vocab.strings[m_id])
                index = self.indices[number]
                per_token[start + index if index >= 0 else end + index].append(number)
        for i, numbers in enumerate(per_token):
            if numbers:
                set_token_attrs(doc[i], self._attrs_for(tuple(numbers)))
        return doc

    def pipe(self, stream, batch_size: int = 128):
        for doc in stream:
            yield self(doc)


@Language.factory("survwatch_attribute_table", default_config={"source": "attribute_ruler"})
def make_attribute_table(nlp: Language, name: str, source: str) -> AttributeTable:
    """Built from the pipeline's existing ``source`` attribute ruler (added after it; the ruler is then removed)."""
    return AttributeTable(nlp.get_pipe(source))


def use_attribute_table(nlp: Language, source: str = "attribute_ruler") -> bool:
    """Replace ``source`` by the table in place (same position). False when the pipeline has no such ruler."""
    if source not in nlp.pipe_names or not isinstance(nlp.get_pipe(source), AttributeRuler):
        return False
    nlp.add_pipe("survwatch_attribute_table", after=source, config={"source": source})
    nlp.remove_pipe(source)
    return True
