"""Vendor -> country deals for a language described by a data file (sentence rules, no parse).

A (vendor, country) pair in one sentence is a deal when a trigger word of the data file is in the
sentence (the kind of the highest-priority trigger, as nlp.lexicon.KIND_PRIORITY), unless:
  - the vendor is named as a competitor ("rival de", "a diferencia de", "concurrent de");
  - the country is an origin descriptor ("la empresa china", "sediada em"), a giver
    ("China donó cámaras a Bolivia" -> not CN) or context ("como en China");
  - the deal is denied, negated or only proposed ("negó", "no firmó", "planea", "pourrait").
A vendor + trigger with no country in the sentence becomes a placeless deal that nlp.tagger.assemble
gives the document's main country (as for English); "la empresa" / "a companhia" / "l'entreprise"
with no vendor in the sentence refers to the one vendor named before it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from ..claims import doc_text, find_year, mentions_in, sentence_bounds
from ..lexicon import KIND_PRIORITY
from .data import LanguageData, phrase_regex


class _DealLex:
    def __init__(self, ld: LanguageData) -> None:
        w = ld.words
        self.triggers: list[tuple[re.Pattern[str], str]] = []
        for kind, words in (ld.get("deals", "triggers") or {}).items():
            rx = phrase_regex([str(x) for x in words])
            if rx is not None:
                self.triggers.append((rx, str(kind)))
        self.not_trigger = phrase_regex(w("deals", "not_triggers"))
        self.giver = phrase_regex(w("deals", "giver_verbs"))
        self.negation = phrase_regex(w("deals", "negation"))
        self.proposal = phrase_regex(w("deals", "proposal"))
        self.not_proposal = phrase_regex(w("deals", "not_proposal"))
        self.ended = phrase_regex(w("deals", "ended"))
        self.competitor = phrase_regex(w("deals", "competitor"))
        self.context = phrase_regex(w("deals", "context_before"))
        self.denial = phrase_regex([x for x in w("deals", "negation")
                                    if len(x) > 4 and x.lower() not in ("nunca", "jamás", "jamais", "nenhum", "nenhuma",
                                                                        "ningún", "ninguna", "aucun", "aucune")])
        company = [x for x in w("deals", "company_nouns")]
        self.firm_ref = re.compile(
            r"(?<![\w])(?:la|el|a|o|le|la|l['’]|esta|este|essa|esse|cette|ce)\s*(?:"
            + "|".join(re.escape(c) for c in company if " " not in c) + r")(?![\w])", re.I) if company else None


@lru_cache(maxsize=16)
def deal_lexicon(ld: LanguageData) -> _DealLex:
    return _DealLex(ld)


PROPOSAL_WINDOW = 70  # characters before a trigger in which a proposal word blocks it


def _blocked(text: str, trig_start: int, trig_end: int, lx: _DealLex, kind: str) -> bool:
    before = text[max(0, trig_start - 30):trig_start]
    if lx.negation is not None and lx.negation.search(before.split(",")[-1]):
        return True  # "no firmó", "não assinou", "n'a pas signé"
    if lx.denial is not None and lx.denial.search(text):
        return True  # "negó", "desmentiu", "a démenti"
    if lx.proposal is not None:
        inert = [(n.start(), n.end()) for n in lx.not_proposal.finditer(text)] if lx.not_proposal is not None else []
        for m in lx.proposal.finditer(text):
            if any(s <= m.start() < e for s, e in inert):
                continue  # "appel d'offre": the tender, not an offer
            # a proposal word governs a trigger near it, not one a clause or more away ("qui souhaite
            # renforcer ... expérimente déjà le système déployé par X": the deployment is done)
            if trig_start - PROPOSAL_WINDOW <= m.start() < trig_end + 40:
                return True
    if kind != "ban" and lx.ended is not None and lx.ended.search(text):
        return True
    return False


def _parenthesised(text: str, pos: int) -> bool:
    """Whether ``pos`` falls inside an open parenthesis of ``text`` (an aside such as a vendor's other markets)."""
    before = text[:pos]
    return before.rfind("(") > before.rfind(")")


def extract_deals(doc: Doc, ld: LanguageData, vendors: list[dict[str, Any]], countries: list[dict[str, Any]],
                  techs: list[dict[str, Any]], vendor_home: dict[str, str]) -> list[dict[str, Any]]:
    lx = deal_lexicon(ld)
    full = doc_text(doc)
    # every vendor the tagger reports can take a deal, `listed: false` gazetteer entries (state-owned integrators
    # such as CEIEC) included: they are reported only where the text names them as suppliers
    vendors = sorted(vendors, key=lambda m: m["start"])
    v_starts = [v["start"] for v in vendors]
    places = sorted(countries, key=lambda m: m["start"])
    p_starts = [m["start"] for m in places]
    t_sorted = sorted(techs, key=lambda m: m["start"])
    t_starts = [m["start"] for m in t_sorted]
    out: list[dict[str, Any]] = []
    seen_vendors: list[str] = []
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    for sent in sents:
        s_start, s_end = sentence_bounds(sent)
        if s_end <= s_start:
            continue
        text = full[s_start:s_end]
        vs = mentions_in(vendors, v_starts, s_start, s_end)
        # triggers in the sentence
        trig: list[tuple[int, int, int, str]] = []  # (priority, start, end, kind)
        other_sense = [m.span() for m in lx.not_trigger.finditer(text)] if lx.not_trigger is not None else []
        for rx, kind in lx.triggers:
            for m in rx.finditer(text):
                if not any(a < m.end() and m.start() < b for a, b in other_sense):
                    trig.append((KIND_PRIORITY.get(kind, 9), m.start(), m.end(), kind))
        sent_vendors: list[tuple[str, int]] = []
        rival_end = -1
        for v in vs:
            rel = v["start"] - s_start
            if lx.competitor is not None and lx.competitor.search(text[max(0, rel - 30):rel]):
                rival_end = v["end"] - s_start
                continue
            if 0 <= rival_end <= rel and rel - rival_end <= 60 and \
                    re.fullmatch(r"[^,;.]*?\s(?:et|y|e|and)\s[^,;.]*", text[rival_end:rel]):
                rival_end = v["end"] - s_start
                continue  # "devant le groupe X et la société Y": Y is a rival bidder too
            if re.search(r"(?<![\w])(?:no|não|pas|ni|nem)\s+(?:a|à|de|con|com|avec)?\s*$", text[max(0, rel - 12):rel], re.I):
                continue  # "sancionó a funcionarios, pero no a ZTE"
            sent_vendors.append((v["value"], rel))
        if not sent_vendors and lx.firm_ref is not None and len(set(seen_vendors)) == 1:
            m = lx.firm_ref.search(text)
            if m:
                sent_vendors.append((seen_vendors[-1], m.start()))
        seen_vendors.extend(v["value"] for v in vs)
        if not sent_vendors or not trig:
            continue
        ps = mentions_in(places, p_starts, s_start, s_end)
        ok_places = []
        for p in ps:
            rel = p["start"] - s_start
            if p.get("descriptor"):
                continue
            if lx.context is not None and lx.context.search(text[max(0, rel - 25):rel]):
                continue
            ok_places.append((p["value"], rel, p["end"] - s_start))
        tech = None
        ts = mentions_in(t_sorted, t_starts, s_start, s_end)
        if ts:
            tech = ts[0]["value"]
        year = find_year(text, -1, -1)
        trig.sort()
        for vendor, vrel in dict.fromkeys(sent_vendors):
            usable = [t for t in trig if not _blocked(text, t[1], t[2], lx, t[3])]
            if not usable:
                continue
            n_countries = len({c for c, _, _ in ok_places})
            added: set[tuple[str, str]] = set()
            first = len(out)
            for iso, rel, rel_end in ok_places:
                # each country takes the nearest trigger ("adquirió ... en Ciudad Juárez", "vetadas por ... Estados
                # Unidos"), ties by kind priority
                _, ts_, te_, kind = min(usable, key=lambda t: (min(abs(t[1] - rel_end), abs(rel - t[2])), t[0]))
                if kind != "ban" and n_countries > 1 and lx.giver is not None and \
                        lx.giver.search(text[rel_end:rel_end + 25]) and rel < ts_:
                    continue  # "China donó cámaras a Bolivia": China gives
                # the vendor's home country is its origin, not a party: never the lender ("Eximbank de la
                # République Populaire de Chine"), the office ("la sede de ZTE ... China") or the banning country
                # (as for English, nlp/deals.py)
                if kind in ("office", "loan", "ban") and vendor_home.get(vendor) == iso:
                    continue
                if _parenthesised(text, rel) and not _parenthesised(text, ts_) and not _parenthesised(text, vrel):
                    continue  # "Gemalto (déjà présent notamment en Algérie, Bénin …) a remporté": other markets
                if (iso, kind) in added:
                    continue
                added.add((iso, kind))
                out.append({"vendor": vendor, "country": iso, "kind": kind, "technology": tech, "year": year,
                            "text": text})
            # a country that bans the vendor in this sentence is not buying from it in the same breath ("Washington
            # prohibió a las agencias adquirir equipos de Hikvision": the purchase is what is banned)
            banning = {iso for iso, kind in added if kind == "ban"}
            if banning:
                out[first:] = [d for d in out[first:] if d["kind"] == "ban" or d["country"] not in banning]
            if not ok_places:
                kind = usable[0][3]
                if kind in ("supply", "contract", "donation", "loan"):
                    out.append({"vendor": vendor, "country": None, "kind": kind, "technology": tech, "year": year,
                                "text": text, "_placeless": True})
    return out
