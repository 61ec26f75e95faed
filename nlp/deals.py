"""Vendor -> country deals from the dependency parse.

A (vendor, country) pair in one sentence becomes a deal when a trigger word lies on, or hangs
off, the dependency path between the two mentions, and none of these vetoes apply:
  - the vendor is named as a competitor ("rivals Dahua", "unlike Huawei", "cheaper than ZTE");
  - the country is only an origin descriptor ("Chinese firm Hikvision", "Chinese-made cameras")
    or context ("like systems in China");
  - the deal is denied, negated or only proposed ("denied", "did not", "talks", "plans to", "could").
Bans take the *banning* country, which may also be implied by an agency ("Entity List" -> US).
"""
from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc, Span, Token

from .claims import doc_text, find_year, mentions_in, sentence_bounds
from .languages.data import phrase_regex
from .lexicon import (ANAPHOR_FIRM, ANAPHOR_PRODUCT, COMPETITOR_CUES, CONTEXT_PREPS, DEAL_TRIGGERS, DENIAL_WORDS,
                      ENDED_WORDS, FINE_WORDS, GIVING_VERBS, KIND_PRIORITY, OWNERSHIP_OF, PLACE_CONTEXT_BEFORE,
                      PROPOSAL_WORDS, PURCHASE_FROM_VERBS, RECIPIENT_LIST_NOUNS, STATE_ACTORS, TECH_GATED_TRIGGERS,
                      USE_VERBS, VICTIM_WORDS)

MULTIWORD_TRIGGERS = [
    (re.compile(r"\bentity list\b", re.I), "ban"),
    (re.compile(r"\bfree of charge\b", re.I), "donation"),
    (re.compile(r"\brolled out\b|\bset up\b|\bswitched on\b", re.I), "supply"),
    (re.compile(r"\bworked with\b|\bworks with\b|\bworking with\b", re.I), "contract"),
    (re.compile(r"\bexim\s?bank\b|\bexport-import bank\b", re.I), "loan"),
    (re.compile(r"\bmemorandum of understanding\b", re.I), "contract"),
    (re.compile(r"\b(?:r&d|research|innovation|training|research (?:and|&) development|regional|customer|"
                r"solutions?|experience|openlab) cent(?:re|er)s?\b", re.I), "office"),
    (re.compile(r"\b(?:data|innovation|logistics|distribution|service|support) (?:cent(?:re|er)s?|hubs?|labs?)\b"
                r"|\b(?:innovation|research|r&d|ai) (?:labs?|laborator(?:y|ies))\b", re.I), "office"),
    (re.compile(r"\bexpand(?:ed|s|ing)? (?:in)?to\b|\bset up (?:an? )?(?:office|base|subsidiary|factory|plant)\b", re.I), "office"),
    (re.compile(r"\brip and replace\b|\bphase out\b", re.I), "ban"),
]


AGENCY_KINDS = {"ban": ("ban",), "buyer": ("contract", "supply", "donation")}


def _path(a: Token, b: Token) -> list[Token]:
    """Tokens on the dependency path a..b (inclusive)."""
    anc_a = [a, *a.ancestors]
    anc_b = [b, *b.ancestors]
    set_b = {t.i for t in anc_b}
    lca = next((t for t in anc_a if t.i in set_b), None)
    if lca is None:
        return []
    left = anc_a[:[t.i for t in anc_a].index(lca.i) + 1]
    right = anc_b[:[t.i for t in anc_b].index(lca.i)]
    return left + list(reversed(right))


def _tokens_before(doc: Doc, i: int, n: int) -> str:
    return " ".join(t.lower_ for t in doc[max(0, i - n):i])


# one pattern for the whole word list (a search per word, rebuilt each time, was a visible share of the rules);
# the text searched is lower-cased, so the pattern is case-sensitive like the searches it replaced
_COMPETITOR_RE = phrase_regex(COMPETITOR_CUES, flags=0)


def _is_competitor(doc: Doc, span: Span) -> bool:
    before = _tokens_before(doc, span.start, 4)
    if _COMPETITOR_RE.search(before):
        return True
    # "rivals such as Huawei and ZTE": the first conjunct carries the cue
    root = span.root
    while root.dep_ == "conj" and root.head != root:
        root = root.head
        if _COMPETITOR_RE.search(_tokens_before(doc, root.i, 4)):
            return True
    return False


def _is_context_place(doc: Doc, span: Span) -> bool:
    before = _tokens_before(doc, span.start, 5)
    for c in PLACE_CONTEXT_BEFORE:
        if c not in before:
            continue
        m = re.search(rf"(?:^|\s)(\S+\s+)?{re.escape(c)}(?:\s+\w+)?$", before)
        if m:
            # "to countries such as Kenya": the list names the recipients
            return not (c in ("such as", "like", "including") and (m.group(1) or "").strip() in RECIPIENT_LIST_NOUNS)
    return False


def _governors(tok: Token) -> list[Token]:
    """Ancestors that govern `tok`, stopping at coordination: in "firms are courting customers, and
    police run NEC's software", 'courting' is a sibling clause of 'run', not its governor."""
    out = []
    while tok.head != tok and tok.dep_ != "conj":
        tok = tok.head
        out.append(tok)
    return out


def _blocked(path: list[Token], trigger: Token, sent: Span, kind: str = "") -> bool:
    """Negation, denial or proposal governing the trigger or the path."""
    governors = _governors(trigger)
    check = set(path) | {trigger} | set(governors)
    if kind != "ban" and any(t.lower_ in ENDED_WORDS for t in check):
        return True
    for t in list(check):
        for c in t.children:
            if c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in ("could", "might", "may", "should")):
                if c.head in path or c.head == trigger or c.head in governors:
                    return True
            if c.dep_ == "det" and c.lower_ == "no" and c.head == trigger:
                return True
    # "asked whether any agency has bought Pegasus", "if Huawei supplied ...": not asserted
    for t in [trigger, *governors]:
        if any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in t.children):
            return True
    for t in check:
        if t.lower_ in DENIAL_WORDS - {"no", "not", "n't", "without"}:
            return True
        if t.lower_ in PROPOSAL_WORDS:
            return True
    # "Huawei denied that it had supplied ...", "in talks to supply"
    low = sent.text.lower()
    if re.search(r"\b(denied|denies|deny|refuted|rejected (?:reports|claims|allegations))\b", low):
        return True
    # suspicion is not a deal ("servers it suspected belonged to QuaDream customers")
    if re.search(r"\bsuspect(?:ed|s)? (?:to (?:be|have)|that|of being|belonged|belonging|customers|clients|buyers|users)\b"
                 r"|\b(?:it|they|we|researchers|investigators) suspect(?:ed|s)?\b", low):
        return True
    if re.search(r"\b(in talks|held talks|holding talks|is considering|are considering|was considering|"
                 r"plans to|planned to|planning to|proposed|proposal to|negotiations? (?:with|to|for|over)|"
                 r"bid to|bidding for|bidding to|offered to|pitch(?:ed)? to|in the running|in contention|"
                 r"compet(?:e|es|ed|ing) for|vying for|jostl(?:e|es|ed|ing) for)\b", low):
        # only when the cue sits before/around the trigger (not a separate clause after it)
        return True
    return False


def _climb(tok: Token) -> Token:
    while tok.dep_ in ("compound", "poss", "amod", "conj", "appos") and tok.head != tok:
        tok = tok.head  # "the Chinese government", "Hikvision and Dahua"
    return tok


def _country_is_giver(cspan: Span, trig: Token, path: list[Token]) -> bool:
    """'China donated cameras to Zimbabwe', 'a project funded by the Norwegian government':
    the country gives or pays, it is not the deal country."""
    root = _climb(cspan.root)
    verbs = [t for t in [trig, *path] if t.lower_ in GIVING_VERBS]
    for v in verbs:
        if root.dep_ == "nsubj" and root.head == v:
            return True
        if root.dep_ == "pobj" and (root.head.dep_ == "agent" or root.head.lower_ == "by") and root.head.head == v:
            return True
    return False


def _ban_role_ok(cspan: Span, trig: Token, is_agency: bool) -> bool:
    """Bans belong to the banning country: subject, possessor/modifier of the ban, agent, or 'banned in X'."""
    if is_agency:
        return True
    root = cspan.root
    while root.dep_ == "conj" and root.head != root:  # "by the US and Australia": Australia takes the US's role
        root = root.head
    if root.dep_ in ("nsubj", "poss", "compound", "amod", "npadvmod") and root.head != root:
        head = _climb(root) if root.dep_ in ("compound", "amod", "poss") else root
        if root.dep_ == "nsubj" or head.dep_ in ("nsubj", "nsubjpass") or head == trig or root.head == trig:
            return True
    if root.dep_ == "pobj" and root.head.lower_ in ("by", "in") and root.head.head == trig:
        # "fined in Kenya" is where a fine fell (a tax case), not who fined: fines need the fining authority
        return not (root.head.lower_ == "in" and trig.lower_ in FINE_WORDS)
    if root.dep_ == "pobj" and root.head.dep_ == "agent":
        return True
    # "fined by regulators in France", "sanctioned by the authorities of Serbia": the country of the state actor
    # that is the subject or agent of the ban
    return root.dep_ == "pobj" and root.head.lower_ in ("in", "of") and root.head.head.lower_ in STATE_ACTORS \
        and root.head.head in _doers(trig)


def _agent_of_modifier(cspan: Span, trig: Token) -> bool:
    """'the unit, sanctioned by Washington, bought ...': a country that is the agent of a verb
    modifying some noun (acl / relative clause) other than the trigger is not a party to the deal."""
    root = _climb(cspan.root)
    if root.dep_ != "pobj" or root.head.dep_ != "agent":
        return False
    verb = root.head.head
    return verb != trig and verb.dep_ in ("acl", "relcl")


def _origin_of_vendor(cspan: Span, vspan: Span) -> bool:
    """'MSAB from Sweden', 'cameras of Chinese origin': the country says where the vendor is from."""
    root = cspan.root
    head = root.head
    return root.dep_ == "pobj" and head.lower_ == "from" and head.head.i in range(vspan.start, vspan.end)


def _describes_product(trig: Token, vspan: Span, cspan: Span) -> bool:
    """'Pegasus, the spyware sold by NSO Group': a trigger in a modifier of the vendor's own mention
    (or its apposition) describes the product, unless the country sits inside that modifier."""
    if trig.dep_ not in ("acl", "relcl"):
        return False
    noun = trig.head
    vroot = vspan.root
    if not (noun.i in range(vspan.start, vspan.end) or (noun.dep_ == "appos" and noun.head == vroot)
            or (vroot.dep_ == "appos" and vroot.head == noun)):
        return False
    return cspan.root not in trig.subtree


def _sibling_clause(cspan: Span, trig: Token, country_roots: set[int]) -> bool:
    """'Hungary, where the ministry bought Pegasus, and Spain, where …': the relative clause belongs
    to the first conjunct only."""
    root = cspan.root
    if root.dep_ != "conj" or root.head.i not in country_roots:
        return False
    other = root.head
    return any(c.dep_ in ("relcl", "acl") and trig in c.subtree for c in other.children)


def _doers(trig: Token) -> list[Token]:
    """Who does what ``trig`` says: its active subject, or the agent of a passive ("used by the police")."""
    return [c for c in trig.children if c.dep_ == "nsubj"] + \
        [g for a in trig.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]


def _state_use(trig: Token, cspan: Span) -> bool:
    """'Myanmar police used a UFED device', 'Britain's police forces run NEC's software'."""
    subjects = _doers(trig) + [c for c in trig.children if c.dep_ == "nsubjpass"]
    return any(s.lower_ in STATE_ACTORS and cspan.root in s.subtree for s in subjects)


def _ban_on_other(trig: Token, vspan: Span) -> bool:
    """'the unit, sanctioned by Washington, bought UFED devices': a ban verb that modifies another
    noun (acl / relative clause) is about that noun, not the vendor."""
    if trig.dep_ not in ("acl", "relcl") or trig.head == trig:
        return False
    return vspan.root not in trig.head.subtree


def _inside_other_vendor(vspan: Span, others: list[Span]) -> bool:
    """'Cognyte, the Israeli company spun off from Verint Systems, won ...': Verint is background."""
    for anc in vspan.root.ancestors:
        for o in others:
            if anc.i == o.root.i:
                chain = [vspan.root]
                t = vspan.root
                while t.head != t and t.i != o.root.i:
                    t = t.head
                    chain.append(t)
                return any(c.dep_ in ("appos", "acl", "relcl") for c in chain[:-1])
    return False


def _vendor_is_other_subject(vspan: Span, trig: Token) -> bool:
    """'Axis ... reported stronger demand since the ban': the vendor acts, it is not banned."""
    root = vspan.root
    while root.dep_ in ("conj", "appos") and root.head != root:
        root = root.head
    if root.dep_ != "nsubj":
        return False
    verb = root.head
    return verb != trig and not any(c == trig or trig in c.subtree for c in verb.children
                                        if c.dep_ in ("dobj", "attr", "agent"))


def _placeless(doc: Doc, sent: Span, vs: list[dict[str, Any]], triggers: list[tuple[Token, str]],
               tech_mentions: list[dict[str, Any]], s_start: int, s_end: int, sent_text: str) -> list[dict[str, Any]]:
    out = []
    for v in vs:
        vspan = doc.char_span(v["start"], v["end"], alignment_mode="expand")
        if vspan is None or _is_competitor(doc, vspan):
            continue
        root = _climb(vspan.root)
        for trig, kind in triggers:
            if kind not in ("supply", "contract", "donation"):
                continue
            # the vendor must be the one acting (subject / agent) or the contract partner ("deal with Huawei")
            acting = (root.dep_ == "nsubj" and root.head == trig) or \
                (root.dep_ == "pobj" and root.head.dep_ == "agent" and root.head.head == trig) or \
                (root.dep_ == "pobj" and root.head.lower_ == "with" and root.head.head == trig and kind == "contract") or \
                (trig.lower_ in PURCHASE_FROM_VERBS and (  # "bought … from the Israeli company", "bought Cellebrite's kits"
                    (root.dep_ == "pobj" and root.head.lower_ == "from" and root.head.head == trig) or
                    (root.dep_ in ("poss", "compound") and root.head.dep_ == "dobj" and root.head.head == trig)))
            if not acting or _blocked([vspan.root, trig], trig, sent, kind):
                continue
            if trig.dep_ == "acl" and trig.head.dep_ == "appos" and \
                    any(c.dep_ == "det" and c.lower_ == "the" for c in trig.head.children):
                continue  # "Pegasus, the spyware sold by NSO Group": what the product is, not a sale here
            tech = None
            in_sent = [t for t in tech_mentions if s_start <= t["start"] < s_end]
            if in_sent:
                tech = min(in_sent, key=lambda t: abs(t["start"] - trig.idx))["value"]
            out.append({"vendor": v["value"], "country": None, "kind": kind, "technology": tech,
                        "year": find_year(sent_text, -1, -1), "text": sent_text, "start": s_start, "end": s_end,
                        "_placeless": True})
            break
    return out


def _anaphors(doc: Doc, vendor_mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pseudo vendor mentions for "the company" / "the spyware" when the antecedent is unambiguous:
    the nearest vendor in the same sentence before it, or else the only vendor named in the two
    sentences before. Used for deals only; they never count as vendor mentions."""
    listed = [m for m in vendor_mentions if m.get("listed", True)]
    if not listed:
        return []
    sents = list(doc.sents)
    out = []
    for si, sent in enumerate(sents):
        for tok in sent:
            low = tok.lower_
            if tok.pos_ != "NOUN" or (low not in ANAPHOR_FIRM and low not in ANAPHOR_PRODUCT):
                continue
            det = next((c for c in tok.children if c.dep_ == "det"), None)
            if det is None or det.lower_ not in ("the", "this", "that"):
                continue
            kids = list(tok.children)
            # a named or specified noun is not an anaphor: "the company Hikvision", "the group of ...",
            # "the Ethiopian Telecommunications company", "the company that won ..."
            if any(c.dep_ in ("appos", "relcl", "acl", "prep") or (c.dep_ == "compound" and c.pos_ == "PROPN")
                   for c in kids):
                continue
            start, end = doc[det.i].idx, tok.idx + len(tok.text)
            if any(m["start"] < end and start < m["end"] for m in vendor_mentions):
                continue
            s_lo = sents[max(0, si - 2)].start_char
            before_here = [m for m in listed if sent.start_char <= m["start"] < start]
            if before_here:
                value = before_here[-1]["value"]
            else:
                window = {m["value"] for m in listed if s_lo <= m["start"] < sent.start_char}
                if not window:  # nothing nearby: the article's only vendor so far, if there is one
                    window = {m["value"] for m in listed if m["start"] < sent.start_char}
                if len(window) != 1:
                    continue
                value = window.pop()
            out.append({"type": "vendor", "value": value, "text": doc_text(doc)[start:end], "start": start,
                        "end": end, "listed": True, "anaphor": True})
    return out


# a sentence that opens by listing ("Including Mexico, ...", "Among its clients were ...", "These include ..."):
# the places it names are the recipients the sentence before it spoke of ("sold to governments around the world")
LIST_OPENING = re.compile(
    r"^\W*(?:including\b|such as\b|among (?:them|those|these|its|their|the)\b"
    r"|(?:these|they|those|its (?:clients|customers|buyers|users)|(?:clients|customers|buyers|users))\s+"
    r"(?:include|includes|included|were|are)\b)", re.I)


def _sentence_triggers(doc: Doc, sent: Span, sent_text: str, s_start: int,
                       has_tech: bool) -> list[tuple[Token, str]]:
    triggers: list[tuple[Token, str]] = [(t, DEAL_TRIGGERS[t.lower_]) for t in sent if t.lower_ in DEAL_TRIGGERS
                                         and not (t.lower_ in OWNERSHIP_OF and t.i + 1 < sent.end
                                                  and doc[t.i + 1].lower_ == "of")]
    triggers += [(t, "supply") for t in sent if t.lower_ in USE_VERBS and t.pos_ == "VERB"]
    if has_tech:
        triggers += [(t, "supply") for t in sent if t.lower_ in TECH_GATED_TRIGGERS]
    for rx, kind in MULTIWORD_TRIGGERS:
        for m in rx.finditer(sent_text):
            sp = doc.char_span(s_start + m.start(), s_start + m.end(), alignment_mode="expand")
            if sp is not None:
                triggers.append((sp.root, kind))
    return triggers


def _recipient_antecedent(doc: Doc, sent: Span, vs: list[dict[str, Any]],
                          triggers: list[tuple[Token, str]]) -> str | None:
    """The vendor of "X sold its spyware to governments around the world": a sentence with one acting vendor, a
    supply or contract trigger and a recipient noun hanging off it (countries, governments, clients ...), asserted
    (not denied, proposed or ended). None otherwise."""
    values = {v["value"] for v in vs}
    if len(values) != 1:
        return None
    for v in vs:
        vspan = doc.char_span(v["start"], v["end"], alignment_mode="expand")
        if vspan is None or _is_competitor(doc, vspan):
            return None
    for trig, kind in triggers:
        if kind not in ("supply", "contract"):
            continue
        near = [t for t in trig.subtree if t.lower_ in RECIPIENT_LIST_NOUNS and t.pos_ == "NOUN"
                and 1 <= len(_path(t, trig)) - 1 <= 3]  # one to three arcs below the trigger
        if near and not _blocked([trig], trig, sent, kind):
            return values.pop()
    return None


def _listed_recipients(doc: Doc, sents: list[Span], antecedents: dict[int, tuple[str, str | None]],
                       country_mentions: list[dict[str, Any]], c_starts: list[int], listed_sents: set[int],
                       vendor_home: dict[str, str]) -> list[dict[str, Any]]:
    """Deals for the places of a list-opening sentence with no vendor of its own ("Among its clients were Sudan,
    Ethiopia and Morocco."), given to the vendor of a recipient sentence (``antecedents``) one or two before."""
    out = []
    # only the one or two sentences after a recipient sentence can continue its list
    for i in sorted({j for a in antecedents for j in (a + 1, a + 2) if j < len(sents)}):
        if i in listed_sents:
            continue
        sent = sents[i]
        s_start, s_end = sentence_bounds(sent)
        sent_text = doc_text(doc)[s_start:s_end]
        if not LIST_OPENING.match(sent_text):
            continue
        ante = next((antecedents[j] for j in (i - 1, i - 2) if j in antecedents), None)
        if ante is None:
            continue
        vendor, tech = ante
        places = [c for c in mentions_in(country_mentions, c_starts, s_start, s_end) if not c.get("descriptor")]
        home = vendor_home.get(vendor)
        for iso in dict.fromkeys(c["value"] for c in places):
            if iso == home:
                continue
            out.append({"vendor": vendor, "country": iso, "kind": "supply", "technology": tech,
                        "year": find_year(sent_text, -1, -1), "text": sent_text, "start": s_start, "end": s_end})
    return out


def extract_deals(doc: Doc, vendor_mentions: list[dict[str, Any]], country_mentions: list[dict[str, Any]],
                  tech_mentions: list[dict[str, Any]], agencies: list[tuple[str, str]],
                  vendor_home: dict[str, str] | None = None,
                  buyers: list[tuple[str, str]] | None = None) -> list[dict[str, Any]]:
    deals: list[dict[str, Any]] = []
    vendor_mentions = sorted(vendor_mentions + _anaphors(doc, vendor_mentions), key=lambda m: m["start"])
    v_starts = [m["start"] for m in vendor_mentions]
    country_mentions = sorted(country_mentions, key=lambda m: m["start"])
    c_starts = [m["start"] for m in country_mentions]
    tech_mentions = sorted(tech_mentions, key=lambda m: m["start"])
    t_starts = [m["start"] for m in tech_mentions]
    sents = list(doc.sents)
    antecedents: dict[int, tuple[str, str | None]] = {}  # sentence -> (vendor, technology) of "sold to governments"
    with_vendor: set[int] = set()
    for si, sent in enumerate(sents):
        s_start, s_end = sentence_bounds(sent)
        vs = [m for m in mentions_in(vendor_mentions, v_starts, s_start, s_end) if m.get("listed", True)]
        if not vs:
            continue
        with_vendor.add(si)
        sent_text = doc_text(doc)[s_start:s_end]
        sent_techs = mentions_in(tech_mentions, t_starts, s_start, s_end)
        triggers = _sentence_triggers(doc, sent, sent_text, s_start, bool(sent_techs))
        if not triggers:
            continue
        lowered = sent_text.lower()
        if any(w in lowered for w in RECIPIENT_LIST_NOUNS):  # cheap test before the parse walk
            ante = _recipient_antecedent(doc, sent, vs, triggers)
            if ante is not None:
                antecedents[si] = (ante, sent_techs[0]["value"] if sent_techs else None)
        sent_cs = mentions_in(country_mentions, c_starts, s_start, s_end)
        cs = [m for m in sent_cs if not m.get("descriptor")]
        # agencies imply a country: for bans ("added to the Entity List" -> US), and buyers for
        # contracts and purchases ("ICE signed a contract with Babel Street" -> US)
        agency_cs: list[dict[str, Any]] = []
        for table, role in ((agencies, "ban"), (buyers or [], "buyer")):
            for phrase, iso in table:
                if phrase not in sent_text:  # the pattern needs the phrase itself: spare the regex
                    continue
                for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", sent_text):
                    agency_cs.append({"value": iso, "start": s_start + m.start(), "end": s_start + m.end(),
                                      "agency": role})
        if not cs and not any(a["agency"] == "buyer" for a in agency_cs):
            # no place in the sentence at all: remember "Huawei supplied the cameras" so the document's
            # main country can be filled in at document level (see tagger.assemble)
            deals.extend(_placeless(doc, sent, vs, triggers, sent_techs, s_start, s_end, sent_text))
            continue
        vspans = {id(v): doc.char_span(v["start"], v["end"], alignment_mode="expand") for v in vs}
        country_roots = {sp.root.i for c in sent_cs
                         if (sp := doc.char_span(c["start"], c["end"], alignment_mode="expand")) is not None}
        for v in vs:
            vspan = vspans[id(v)]
            if vspan is None:
                continue
            others = [sp for k, sp in vspans.items() if k != id(v) and sp is not None and sp.root.i != vspan.root.i]
            if _inside_other_vendor(vspan, others):
                continue
            competitor = _is_competitor(doc, vspan)
            coordinated = {vspan.root.i}
            for t in [vspan.root, *vspan.root.ancestors]:  # "Hikvision and Dahua supplied …"
                coordinated.add(t.i)
                if t.dep_ not in ("conj", "appos", "compound"):
                    break
            for t in list(vspan.root.subtree):
                if t.dep_ in ("conj", "appos"):
                    coordinated.add(t.i)
            other_roots = {vspans[id(o)].root.i for o in vs
                           if o["value"] != v["value"] and vspans[id(o)] is not None} - coordinated
            best: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
            for c in cs + agency_cs:
                cspan = doc.char_span(c["start"], c["end"], alignment_mode="expand")
                if cspan is None or (not c.get("agency") and _is_context_place(doc, cspan)):
                    continue
                if cspan.start < vspan.end and vspan.start < cspan.end:
                    continue  # country inside the vendor name ("China Electronics Technology Group")
                if _origin_of_vendor(cspan, vspan):
                    continue
                path = _path(vspan.root, cspan.root)
                if not path:
                    continue
                path_set = {t.i for t in path}
                lca = min(path, key=lambda t: len(list(t.ancestors)))
                above = {lca.head.i, lca.head.head.i}  # "donated cameras made by Hikvision to Zimbabwe"
                for trig, kind in triggers:
                    if c.get("agency") and kind not in AGENCY_KINDS[c["agency"]]:
                        continue
                    if not (trig.i in path_set or trig.head.i in path_set or trig.head.head.i in path_set
                            or trig.head.head.head.i in path_set or trig.i in above):
                        continue
                    # a vendor named as a rival is not a party, unless it is itself the subject of the deal verb
                    if competitor and not (_climb(vspan.root).dep_ in ("nsubj", "nsubjpass") and _climb(vspan.root).head == trig):
                        continue
                    # triggers far from both mentions are usually about something else
                    if min(abs(trig.i - _climb(vspan.root).i), abs(trig.i - _climb(cspan.root).i), abs(trig.i - vspan.root.i),
                           abs(trig.i - cspan.root.i)) > 15:
                        continue
                    if _blocked(path, trig, sent, kind):
                        continue
                    if kind == "office" and trig.text[:1].isupper() and trig.i != sent.start:
                        continue  # part of a name: "the UN Office for Project Services"
                    if kind != "ban" and _agent_of_modifier(cspan, trig):
                        continue
                    if trig.lower_ in USE_VERBS and not _state_use(trig, cspan):
                        continue
                    if _describes_product(trig, vspan, cspan) or _sibling_clause(cspan, trig, country_roots):
                        continue
                    if kind != "ban" and any(t.lower_ in VICTIM_WORDS for t in path):
                        continue
                    # "after Russia's invasion": a country in a time or cause adjunct is context
                    if any(t.lower_ in CONTEXT_PREPS and t.dep_ == "prep" for t in path):
                        continue
                    # the path runs through another vendor: the deal is that vendor's
                    if any(t.i in other_roots for t in path):
                        continue
                    if kind in ("supply", "donation", "loan", "contract") and _country_is_giver(cspan, trig, path):
                        continue
                    if kind == "ban" and (_vendor_is_other_subject(vspan, trig) or
                                          not _ban_role_ok(cspan, trig, c.get("agency") == "ban")
                                          or _ban_on_other(trig, vspan)):
                        continue
                    # one main kind per pair and sentence (by priority); a loan is reported on top of it
                    key = (v["value"], c["value"], "loan" if kind == "loan" else "main")
                    prio = KIND_PRIORITY[kind]
                    if key not in best or prio < best[key][0]:
                        best[key] = (prio, {"kind": kind, "trigger": trig})
            # the vendor's home country next to a foreign recipient is the origin/lender, not the buyer
            # (for loans it is the lender, for bans a country does not blacklist its own champions)
            home = (vendor_home or {}).get(v["value"])
            if home:
                foreign = any(k[1] != home for k in best)
                best = {k: x for k, x in best.items()
                        if not (k[1] == home and (foreign or x[1]["kind"] in ("loan", "ban", "office")))}
            for (vendor, country, _), (_, info) in best.items():
                tech = None
                if sent_techs:
                    in_sent = sent_techs
                    if in_sent:
                        tpos = info["trigger"].idx
                        tech = min(in_sent, key=lambda t: abs(t["start"] - tpos))["value"]
                deals.append({"vendor": vendor, "country": country, "kind": info["kind"], "technology": tech,
                              "year": find_year(sent_text, -1, -1), "text": sent_text,
                              "start": s_start, "end": s_end})
    if antecedents:
        listed = _listed_recipients(doc, sents, antecedents, country_mentions, c_starts, with_vendor, vendor_home or {})
        if listed:
            # the recipients are named: the antecedent's placeless deal must not take the document's main country
            named = {d["vendor"] for d in listed}
            deals = [d for d in deals if not (d.get("_placeless") and d["vendor"] in named)]
            deals.extend(listed)
    return deals
