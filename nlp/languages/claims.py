"""Quantitative claims for a language described by a data file (rules over the sentence text;
no dependency parse is needed, so the same code serves blank pipelines and statistical ones).

Per figure (nlp.languages.numbers): direction from the nearest direction word around it
("cayó un 30 %", "subiu 12%", "a baissé de 20 %"; comparatives like "más de" are not changes),
source from claimant cues ("según X", "de acordo com X", "selon X") or reporting verbs
("X afirmó", "..., disse X", "X a déclaré"), with generic nouns resolved to their complement
("datos del Ministerio del Interior" -> "Ministerio del Interior"), hedges from the data file,
place from the sentence's country mentions (locative ones first) with the document-level
fallback done by nlp.tagger.assemble, exactly as for English.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from ..claims import doc_text, find_year, is_truncated_final, mentions_in, sentence_bounds
from .data import LanguageData, phrase_regex
from .numbers import find_figures, resolve_currency

WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?|\d[\d.,]*|[^\w\s]", re.U)
QUOTES = '"“”«»'


class _Lex:
    def __init__(self, ld: LanguageData) -> None:
        self.ld = ld
        w = ld.words
        self.cues = phrase_regex(w("claimants", "before"))
        verbs = w("claimants", "verbs")
        self.verbs = phrase_regex(verbs)
        self.verb_set = {v.lower() for v in verbs}
        self.generic = {x.lower() for x in w("claimants", "generic_nouns")}
        self.det = {x.lower() for x in w("claimants", "determiners")}
        self.pron = {x.lower() for x in w("claimants", "pronouns")}
        self.stop = {x.lower() for x in w("claimants", "stop_words")} | {"que"}
        self.conn = {x.lower() for x in w("claimants", "connectors")}
        # "una investigación publicada por X", "estudios de medios como X": a generic noun's agent
        self.agent = {x.lower() for x in w("claimants", "agent_markers")}
        self.increase = phrase_regex(ld.increase)
        self.decrease = phrase_regex(ld.decrease)
        self.comparatives = phrase_regex(ld.comparatives)
        self.nowhere = phrase_regex(w("claims", "nowhere"))
        self.regions = phrase_regex(w("claims", "regions"), flags=0)
        self.multi = {x.lower() for x in w("claims", "multi_place_nouns")}
        self.company_metrics = phrase_regex(w("claims", "company_metrics"))
        self.locative = {x.lower() for x in w("claims", "locative")}
        self.contract = phrase_regex(w("claims", "contract_nouns"))
        self.loan = phrase_regex(w("claims", "loan_nouns"))
        self.budget = phrase_regex(w("claims", "budget_nouns"))
        self.metric_labels = dict(ld.get("claims", "metric_labels") or {})
        self.participles_need_aux = bool(ld.get("claimants", "participles_need_aux"))
        self.aux = {"a", "ont", "avait", "avaient", "aurait", "ha", "han", "había", "habían", "tem", "têm", "tinha",
                    "havia", "foi", "fue", "est", "été"}
        # single words whose sense depends on position: "500 cámaras más" (increase) vs "más de 500" (comparison)
        self.after_only = {"más", "menos", "mais", "plus", "moins", "supplémentaires", "supplémentaire"}


@lru_cache(maxsize=16)
def lexicon(ld: LanguageData) -> _Lex:
    return _Lex(ld)


def _tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in WORD.finditer(text, start, len(text) if end is None else end)]


def _is_word(t: str) -> bool:
    return bool(re.match(r"[^\W\d_]", t))


def _strip_det(words: list[str], lx: _Lex) -> list[str]:
    while words and (words[0].lower() in lx.det or words[0].lower() in ("l'", "l’", "d'", "d’")):
        words = words[1:]
    while words and (words[-1].lower() in lx.conn or words[-1].lower() in lx.det):
        words = words[:-1]
    return words


def _resolve_generic(words: list[str], lx: _Lex) -> list[str]:
    """'datos del Ministerio del Interior' -> 'Ministerio del Interior'; 'informe' alone stays."""
    if words and words[0].lower() in lx.generic:
        for i, w in enumerate(words[1:], 1):
            if w.lower() in lx.conn | {"del", "do", "da", "dos", "das", "du", "des", "de"} and i + 1 < len(words):
                rest = _strip_det(words[i + 1:], lx)
                if rest:
                    return rest
    return words


def _join(words: list[str]) -> str:
    out = " ".join(words)
    return re.sub(r"([dl][’'])\s+", r"\1", out, flags=re.I)


def _phrase_after(text: str, pos: int, lx: _Lex, max_words: int = 7, depth: int = 0) -> str | None:
    words: list[str] = []
    toks = _tokens(text, pos)
    i = 0
    # "según informó la Fiscalía": skip the reporting verb
    while i < len(toks) and (toks[i][0].lower() in lx.verb_set or toks[i][0].lower() in lx.aux) and i < 2:
        i += 1
    while i < len(toks):
        t = toks[i][0]
        low = t.lower()
        # elided articles / prepositions glued by an apostrophe ("l'ONU", "d'Amnesty")
        m = re.match(r"^([ldLD][’'])(.+)$", t)
        if m:
            if words:
                words.append(m.group(1))
            words.append(m.group(2))
            i += 1
            continue
        if not _is_word(t):
            if t in ("-",) and words:
                i += 1
                continue
            break
        if low in lx.stop and not (low in lx.conn):
            head = _strip_det(list(words), lx)
            if low in lx.agent and head and head[0].lower() in lx.generic and len(head) <= 4 and depth == 0:
                agent = _phrase_after(text, toks[i][2], lx, max_words=8, depth=1)
                if agent and agent[:1].isupper():
                    return agent
            break
        if words and (low in lx.verb_set or low in lx.aux):
            break
        if not words and low in lx.pron:
            return None
        words.append(t)
        if len(words) >= max_words:
            break
        i += 1
    words = _strip_det(words, lx)
    words = _resolve_generic(words, lx)
    words = _strip_det(words, lx)
    if not words or words[0].lower() in lx.pron:
        return None
    return _join(words)


def _phrase_before(text: str, pos: int, lx: _Lex, max_words: int = 7) -> str | None:
    toks = _tokens(text, 0, pos)
    while toks and toks[-1][0].lower() in lx.aux:
        toks.pop()
    words: list[str] = []
    for t, _, _ in reversed(toks):
        low = t.lower()
        if not _is_word(t):
            break
        if low in lx.stop and low not in lx.conn:
            break
        if low in lx.verb_set:
            break
        words.insert(0, t)
        if len(words) >= max_words:
            break
    # "El ministro de Seguridad, Juan Pérez," handled by the comma stop: take the apposition's head
    while words and (words[0].lower() in lx.conn or words[0].lower() in lx.det):
        words = words[1:]
    words = _strip_det(words, lx)
    words = _resolve_generic(words, lx)
    if not words or words[-1].lower() in lx.pron or words[0].lower() in lx.pron:
        return None
    return _join(words)


def find_source(text: str, ld: LanguageData) -> str | None:
    lx = lexicon(ld)
    if lx.cues is not None:
        for m in lx.cues.finditer(text):
            # Portuguese "segundo" is also "second": only as a cue when a determiner / name follows
            nxt = text[m.end():m.end() + 20].lstrip()
            if m.group().lower() in ("segundo", "para", "pour") and not re.match(
                    r"(?:o|a|os|as|le|la|les|l['’]|[A-ZÁÉÍÓÚÂÊÔÃÕÇ])\b|(?:o|a|os|as)\s", nxt):
                continue
            if m.group().lower() in ("para", "pour") and not re.search(r",", text[m.end():m.end() + 60]):
                continue
            src = _phrase_after(text, m.end(), lx)
            if src:
                return src
    if lx.verbs is not None:
        for m in lx.verbs.finditer(text):
            before = text[:m.start()].rstrip()
            # inverted: '..., dijo el ministro' / '" disse a polícia' / sentence-initial 'Afirmó la policía que'
            inverted = not before or before[-1:] in ",;:" + QUOTES or before.split()[-1].lower() in lx.aux and \
                (len(before.split()) < 2 or before.split()[-2][-1:] in ",;:" + QUOTES)
            if inverted:
                src = _phrase_after(text, m.end(), lx)
                if src:
                    return src
                # "El viceministro de Seguridad, Ramiro Mendoza, informó que": the apposition's name
                if before.endswith(","):
                    seg = before[:-1].rsplit(",", 1)
                    name = seg[-1].strip().split() if len(seg) == 2 else []
                    if 1 < len(name) <= 4 and all(w[:1].isupper() for w in name):
                        return " ".join(name)
                    head = _phrase_before(text, len(seg[0]) if len(seg) == 2 else m.start(), lx) if len(seg) == 2 else None
                    if head:
                        return head
                continue
            if lx.participles_need_aux and m.group().lower().endswith(("é", "ée", "és", "ées")) and \
                    (not before or before.split()[-1].lower() not in lx.aux):
                continue  # "le marché estimé à 150 millions": a passive participle, not an attribution
            src = _phrase_before(text, m.start(), lx)
            if src:
                return src
    return None


def _direction(text: str, fig_start: int, fig_end: int, lx: _Lex, lo: int, hi: int) -> str:
    # "pasó de 15.000 a 83.000", "disminuyeron de 310 a 190": the starting figure is a level
    if re.search(r"(?<![\w])(?:de|desde)\s+$", text[max(0, fig_start - 8):fig_start], re.I) and \
            re.match(r"[^.;]{0,30}?\s(?:a|al|à|para)\s+(?:\w+\s+)?\d", text[fig_end:fig_end + 45]):
        return "level"
    comps = [(m.start(), m.end()) for m in lx.comparatives.finditer(text)] if lx.comparatives else []
    best: tuple[int, str] | None = None
    for rx, label in ((lx.increase, "increase"), (lx.decrease, "decrease")):
        if rx is None:
            continue
        for m in rx.finditer(text, max(lo, fig_start - 80), min(hi, fig_end + 45)):
            if any(cs <= m.start() < ce for cs, ce in comps):
                continue
            word = m.group().lower()
            if word in lx.after_only:
                if m.start() < fig_end or m.start() - fig_end > 25 or \
                        re.match(r"\s+(?:de|do|d['’]|du|des)\b", text[m.end():], re.I):
                    continue
            dist = fig_start - m.end() if m.end() <= fig_start else m.start() - fig_end
            if dist < 0:
                continue
            if best is None or dist < best[0]:
                best = (dist, label)
    return best[1] if best else "level"


def _metric(text: str, fig_start: int, fig_end: int, unit: str | None, lx: _Lex) -> str | None:
    """What is measured, in the text's language: the money kind ("valor del contrato"), the counted noun
    ("2.000 cámaras"), the noun a share is of ("el 40 % de los equipos"), else the subject of the change
    ("los robos cayeron un 30 %")."""
    if unit and unit.isupper():
        for rx, name in ((lx.loan, "loan value"), (lx.budget, "budget"), (lx.contract, "contract value")):
            if rx is not None and rx.search(text):
                return str(lx.metric_labels.get(name, name))
    toks = [t for t, _, _ in _tokens(text, fig_end)[:5]]
    if unit in ("percent",) and toks and toks[0].lower() in lx.conn | {"del", "do", "da", "dos", "das", "du", "des"}:
        rest = [w for w in toks[1:] if _is_word(w) and w.lower() not in lx.det]
        if rest and rest[0].lower() not in lx.stop and rest[0].lower() not in lx.verb_set:
            return rest[0].lower()
    if unit not in ("percent",) and unit is not None and not unit.isupper():
        words = [w for w in toks if _is_word(w)]
        words = [w for w in words if w.lower() not in lx.det and w.lower() not in lx.conn and w.lower() not in lx.stop
                 and w.lower() not in lx.verb_set]
        if unit == "count" and words:
            return words[0].lower()
    # subject before the direction word: "los robos de vehículos disminuyeron de 310 a 190"
    for rx in (lx.increase, lx.decrease):
        if rx is None:
            continue
        for m in rx.finditer(text, max(0, fig_start - 80), fig_start):
            before = [t for t, _, _ in _tokens(text, max(0, m.start() - 60), m.start())]
            words: list[str] = []
            for w in reversed(before):
                if not _is_word(w) or w.lower() in lx.det or w.lower() in lx.stop or w.lower() in lx.verb_set:
                    break
                words.insert(0, w)
            words = _strip_det(words, lx)
            if words:
                return " ".join(words[-4:]).lower()
    return None


def _choose_place(text: str, s_start: int, in_sent: list[dict[str, Any]], f_start: int, lx: _Lex) -> str | None:
    cands = []
    for m in in_sent:
        rel = m["start"] - s_start
        prev = re.search(r"([\w'’]+)\s+$", text[:rel])
        locative = bool(prev and prev.group(1).lower() in lx.locative)
        cands.append((0 if locative else 1, abs(m["start"] - f_start), m["value"]))
    return min(cands)[2] if cands else None


def extract_claims(doc: Doc, ld: LanguageData, country_mentions: list[dict[str, Any]],
                   vendor_mentions: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    lx = lexicon(ld)
    full = doc_text(doc)
    claims: list[dict[str, Any]] = []
    places = sorted((m for m in country_mentions if not m.get("descriptor")), key=lambda m: m["start"])
    starts = [m["start"] for m in places]
    doc_countries = sorted({m["value"] for m in country_mentions})
    vendor_starts = sorted(m["start"] for m in vendor_mentions or [])
    prev_place: str | None = None
    prev_quote_source: str | None = None
    prev_end = -1
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    for sent in sents:
        s_start, s_end = sentence_bounds(sent)
        if s_end <= s_start:
            continue
        text = full[s_start:s_end]
        if prev_end >= 0 and "\n\n" in full[prev_end:s_start]:
            prev_place = None
        prev_end = s_end
        in_sent = mentions_in(places, starts, s_start, s_end)
        quoted = any(q in text for q in QUOTES)
        # the excerpt's last sentence cut off mid-way ("l'entreprise avait déjà installé 1800"): its figure may be
        # the start of a larger one, as for English (nlp/claims.py)
        figs = [] if is_truncated_final(full, s_end, text) else find_figures(text, ld)
        this_quote_source = find_source(text, ld) if quoted else None
        if not figs:
            if in_sent:
                prev_place = in_sent[-1]["value"]
            prev_quote_source = this_quote_source
            continue
        hedged_sent = bool(ld.hedges and ld.hedges.search(text)) or any(f.hedge for f in figs)
        source = find_source(text, ld) or (prev_quote_source if quoted else None)
        sent_countries = [m["value"] for m in in_sent] + doc_countries
        has_vendor = any(s_start <= v < s_end for v in vendor_starts)
        for k, fig in enumerate(figs):
            lo = figs[k - 1].end if k else 0
            hi = figs[k + 1].start if k + 1 < len(figs) else len(text)
            f_start = s_start + fig.start
            place = _choose_place(text, s_start, in_sent, f_start, lx)
            no_place = False
            after = text[fig.end:fig.end + 30].lower()
            first_after = re.match(r"\s*(?:de\s+|d['’]\s*)?([^\W\d_]+)", after)
            if fig.unit == "count" and first_after and first_after.group(1) in lx.multi:
                place, no_place = None, True  # "en 25 países"
            if place is None and not in_sent:
                region = lx.regions.search(text) if lx.regions else None
                if (lx.nowhere and lx.nowhere.search(text)) or (region and region.start() < fig.start) or \
                        (has_vendor and lx.company_metrics and lx.company_metrics.search(text)):
                    no_place = True
            unit = resolve_currency(fig.unit, sent_countries, ld) if fig.unit else None
            claims.append({
                "text": text, "start": s_start, "end": s_end,
                "metric": _metric(text, fig.start, fig.end, unit, lx),
                "direction": fig.direction or _direction(text, fig.start, fig.end, lx, lo, hi),
                "value": fig.value, "unit": unit, "place": place,
                "year": find_year(text, fig.start, fig.end),
                "source": source,
                "hedged": bool(fig.hedge or hedged_sent),
                "_prev_place": None if no_place else prev_place,
                "_no_place": no_place,
            })
        if in_sent:
            prev_place = in_sent[-1]["value"]
        prev_quote_source = this_quote_source
    return claims
