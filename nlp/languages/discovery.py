"""Open-world vendors for es/pt/fr: a firm outside seeds/vendors.yaml named right after a supplier-role noun
of the data file ("la empresa X", "o consórcio X", "la société béninoise X", "les groupes français X et Y",
"un intégrateur local, X") in a sentence with a contract or supply trigger. "Consórcio X" / "Consortium X"
written with a capital is itself the name. Output has the layout of nlp/discovery.py's vendor_candidates
(name, text, start, end, sentence, cue), so nlp.tagger.assemble reports them with origin "discovered".
Left out: names starting with a country or demonym, a government noun, names glued to a gazetteer vendor
("China National ... Corp (CEIEC)": the gazetteer vendor is the name), and names already matched. Also named:
the awardee right after an award phrase ("otorgó a Datec", "attribué à X") and the winner right before a win verb
("la Redecom ganhar", "X a remporté") of the data file, in a sentence with a trigger.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from ..claims import doc_text, sentence_bounds
from .data import LanguageData, country_aliases, demonym_table, phrase_regex

_UP = "A-ZÀ-ÖØ-Þ"
_TOK = rf"[{_UP}0-9][\w&.+\-]*"
_JOIN = r"(?:\s+(?:de|do|da|del|du|des|&)\s+|\s+d[’']|\s+)"
NAME = rf"{_TOK}(?:{_JOIN}{_TOK}){{0,4}}"


def _normalise(name: str) -> str:
    """'TECH BULL' -> 'Tech Bull'; acronyms of 1-3 letters and mixed-case words stay as written."""
    words = name.split(" ")
    if sum(1 for w in words if w.isupper() and len(w) > 3):
        words = [w.capitalize() if w.isupper() and len(w) > 3 else w for w in words]
    return " ".join(words).rstrip(".")


class _DiscoveryLex:
    def __init__(self, ld: LanguageData) -> None:
        cues = [str(x) for x in ld.words("vendor_discovery", "role_nouns")]
        self.adj_max = int(ld.get("vendor_discovery", "max_adjectives", default=2))
        self.conj = [str(x) for x in ld.words("vendor_discovery", "and")] or ["y", "e", "et"]
        named = [str(x) for x in ld.words("vendor_discovery", "name_nouns")]
        self.role = re.compile(r"(?<![\w])(" + "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
                               + r")((?:\s+[a-zà-ÿ][\w\-]*){0,%d}?),?\s+(%s)" % (self.adj_max, NAME)) if cues else None
        self.named = re.compile(r"(?<![\w])((?:" + "|".join(re.escape(c) for c in named) + r")\s+" + NAME + ")") \
            if named else None
        # "otorgó a Datec", "attribué à X": the awardee right after the award phrase; "la Redecom ganhar",
        # "X a remporté": the winner right before the win verb
        award = [str(x) for x in ld.words("vendor_discovery", "award_to")]
        self.award = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(c) for c in sorted(award, key=len, reverse=True))
                                + r")\s+(" + NAME + ")") if award else None
        wins = [str(x) for x in ld.words("vendor_discovery", "wins_after_name")]
        self.wins = re.compile(r"(" + NAME + r")\s+(?:" + "|".join(re.escape(c) for c in sorted(wins, key=len, reverse=True))
                               + r")(?![\w])") if wins else None
        self.conj_rx = re.compile(r"^\s+(?:" + "|".join(re.escape(c) for c in self.conj) + r")\s+(" + NAME + ")")
        triggers: list[str] = []
        for kind in ("contract", "supply"):
            triggers += [str(x) for x in (ld.get("deals", "triggers", kind) or [])]
        self.trigger = phrase_regex(triggers)
        self.not_first = {w.lower() for w in country_aliases(ld)} | set(demonym_table(ld)) | \
            {str(w).lower() for w in ld.words("deals", "government_nouns")} | \
            {str(w).lower() for w in ld.words("vendor_discovery", "not_names")}


@lru_cache(maxsize=16)
def discovery_lexicon(ld: LanguageData) -> _DiscoveryLex:
    return _DiscoveryLex(ld)


def discover_vendors(doc: Doc, ld: LanguageData, vendors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    lx = discovery_lexicon(ld)
    if lx.role is None or lx.trigger is None:
        return []
    full = doc_text(doc)
    taken = [(v["start"], v["end"]) for v in vendors]
    out: list[dict[str, Any]] = []
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    for sent in sents:
        s0, s1 = sentence_bounds(sent)
        text = full[s0:s1]
        if not lx.trigger.search(text):
            continue
        found: list[tuple[int, int, str, str]] = []
        if lx.named is not None:
            for m in lx.named.finditer(text):
                found.append((m.start(1), m.end(1), m.group(1), m.group(1).split()[0]))
        for rx, cue in ((lx.award, "award"), (lx.wins, "won")):
            if rx is not None:
                for m in rx.finditer(text):
                    if m.start(1) > 0 or not re.match(r"\S+\s", text):  # not the sentence's capitalised first word
                        found.append((m.start(1), m.end(1), m.group(1), cue))
        for m in lx.role.finditer(text):
            # "la compañía china Huawei": lowercase adjectives between the noun and the name are skipped
            found.append((m.start(3), m.end(3), m.group(3), m.group(1)))
            plural = m.group(1).lower().endswith(("s", "x")) and len(m.group(1)) > 3
            if plural:
                c = lx.conj_rx.match(text[m.end(3):])
                if c:
                    st = m.end(3) + c.start(1)
                    found.append((st, st + len(c.group(1)), c.group(1), m.group(1)))
        for st, en, name, cue in found:
            a, b = s0 + st, s0 + en
            first = name.split()[0].lower().rstrip("’'")
            if first in lx.not_first or len(name) < 2:
                continue
            if any(s < b and a < e for s, e in taken):
                continue
            if any(0 <= s - b <= 40 and "(" in full[b:s] and not re.search(r"[,;.:)]", full[b:s]) for s, _ in taken):
                continue  # "China National Electronics Import and Export Corp (CEIEC)": the acronym's vendor
            if any(s < b and a < e for s, e, *_ in [(o["start"], o["end"]) for o in out]):
                continue
            out.append({"name": _normalise(name), "text": full[a:b], "start": a, "end": b, "sentence": text,
                        "cue": cue})
    return out
