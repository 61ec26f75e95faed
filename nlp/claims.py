"""Quantitative claims: figures (nlp.numbers) + attributes from the dependency parse.

Decisions (see CONVENTIONS.md for the schema):
- place: a country/city mention in the same sentence (locative "in X"/"to X" first, then the
  nearest), ignoring vendor-origin descriptors ("Chinese firm"), names inside organisations
  ("Export-Import Bank of China") and the source phrase ("researchers at a Canberra think tank").
  Figures counting countries/cities ("in 25 countries") get null. With no mention in the sentence,
  the tagger falls back (document level) to the country holding >= 50% of the document's place
  mentions, else the previous sentence's place in the same paragraph, else null. Measured on the
  dev set: the fallback raises place accuracy from 0.44 to 0.78 -- annotators read place in context.
- source: subject of a reporting verb, or the object of "according to"; generic nouns
  ("figures from X", "a report by X") resolve to X; pronouns give null (no coreference).
"""
from __future__ import annotations

import bisect
import re
from typing import Any

from spacy.tokens import Doc, Span, Token

from .languages.data import phrase_regex
from .lexicon import (DECREASE, FIRM_REFERENCE_NOUNS, GENERIC_SOURCE_NOUNS, HEDGE_WORDS, INCREASE,
                      JOURNALISM_MARKERS, JOURNALISM_NOUNS, JOURNALISM_OBJECTS, MONEY_METRIC_WORDS,
                      NON_METRIC_WORDS, PRONOUNS, RESIDUE_AFTER, RESIDUE_LABELS,
                      REPORT_VERBS)
from .numbers import Figure, find_figures, parse_number

_TEXT_KEY = "_sw_text"


def doc_text(doc: Doc) -> str:
    """doc.text rebuilds the string on every access (O(len)); cache it while the components run."""
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is None:
        cached = doc.text
        doc.user_data[_TEXT_KEY] = cached
    return cached


def keep_doc_text(doc: Doc, text: str) -> None:
    """Tell doc_text() the doc's text when the caller already has it (the tokens join back into exactly ``text``)."""
    doc.user_data[_TEXT_KEY] = text


def forget_doc_text(doc: Doc) -> None:
    """Drop the cached text once the rule components are done (it would otherwise travel with the doc)."""
    doc.user_data.pop(_TEXT_KEY, None)


YEAR_RE = re.compile(r"(?<![\w$£€.,-])(?:FY\s?)?((?:19|20)\d\d)(?![\w%]|,\d)")
SHILLING_COUNTRIES = {"KE": "KES", "UG": "UGX", "TZ": "TZS", "SO": "SOS"}
RUPEE_COUNTRIES = {"IN": "INR", "PK": "PKR", "MU": "MUR", "LK": "LKR", "NP": "NPR", "SC": "SCR"}
PESO_COUNTRIES = {"MX": "MXN", "AR": "ARS", "PH": "PHP", "CL": "CLP", "CO": "COP"}
CONTRACT_NOUNS = {"contract", "contracts", "deal", "deals", "agreement", "tender", "project", "projects", "order", "purchase"}
LOAN_NOUNS = {"loan", "loans", "credit", "financing", "finance", "financed"}
BUDGET_NOUNS = {"budget", "budgets", "spending", "spend", "allocation", "allocated"}


def sentence_bounds(sent: Span) -> tuple[int, int]:
    """Character offsets of a sentence without surrounding whitespace."""
    text = doc_text(sent.doc)[sent.start_char:sent.end_char]  # Span.text, without rebuilding it from tokens
    start = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.end_char - (len(text) - len(text.rstrip()))
    return start, end


def _is_proper(tok: Token) -> bool:
    """PROPN, except capitalised common nouns at the start of a sentence ("Researchers at ...")."""
    if tok.pos_ != "PROPN":
        return False
    # (Token.sent is O(len(doc)) per call in spaCy 3, so use is_sent_start)
    return not tok.is_sent_start or bool(tok.ent_type_) or tok.text.isupper()


def _phrase(tok: Token) -> str:
    """Minimal noun phrase for a source: compounds/adjectives + head, proper-noun 'of' chains,
    no determiners, no relative clauses or appositions."""
    keep = [tok]
    proper = _is_proper(tok)
    if proper:
        # "Chinese firm Huawei" -> "Huawei": keep only the contiguous proper-name part
        j = tok.i - 1
        kept = {tok.i}
        sent_start = tok.i
        while sent_start > 0 and not tok.doc[sent_start].is_sent_start:
            sent_start -= 1
        while j >= sent_start:
            t = tok.doc[j]
            proper = t.pos_ == "PROPN" or t.text[:1].isupper()
            if t.text in ("'s", "’s", "-") and j - 1 >= sent_start and tok.doc[j - 1].text[:1].isupper():
                pass  # "Information Commissioner's Office", "Auditor-General"
            elif not (proper and t.dep_ in ("compound", "amod", "nmod", "flat", "poss") and
                      (t.head.i in kept or t.head.text in ("-",))):
                break
            keep.append(t)
            kept.add(t.i)
            j -= 1
    else:
        for c in tok.lefts:
            if c.dep_ in ("compound", "amod", "nmod", "npadvmod") and not c.is_punct:
                keep.extend(t for t in c.subtree if not t.is_punct or t.text in ("-", "."))
    if proper:
        for c in tok.rights:
            if c.dep_ == "prep" and c.lower_ == "of":
                objs = [g for g in c.children if g.dep_ == "pobj" and (g.pos_ == "PROPN" or g.text[:1].isupper())]
                if objs:
                    keep.append(c)
                    keep.extend(objs[0].subtree)
            elif c.dep_ in ("compound", "flat", "appos") and c.i == tok.i + 1 and c.pos_ == "PROPN":
                keep.append(c)
    else:
        # "the government of X" is handled by the of-chain below only for proper nouns; for common
        # nouns keep a proper possessor and one locating prep phrase: "López Obrador's government",
        # "researchers at the University of Essex", "Authorities in Tashkent", "Invoices in the leak"
        for c in tok.lefts:
            if c.dep_ == "poss" and (c.pos_ == "PROPN") :
                keep.extend(c.subtree)
        for c in tok.rights:
            if c.dep_ == "prep" and (c.lower_ in ("at", "in", "from", "for", "with") or
                                     (c.lower_ == "of" and any(g.dep_ == "pobj" and _is_proper(g) for g in c.children))):
                # "Lawyers at the MacArthur Justice Center, who studied ...": the clause is not part of the name
                drop = {t.i for x in c.subtree if x.dep_ in ("relcl", "acl", "appos") for t in x.subtree}
                sub = [t for t in c.subtree if t.i not in drop]
                while sub and sub[-1].is_punct:
                    sub.pop()
                if len(sub) <= 8 and not any(t.pos_ in ("VERB", "AUX") for t in sub):
                    keep.extend(sub)
                break
    # "Citizen Lab and Amnesty International"
    for c in tok.rights:
        if c.dep_ == "conj" and (c.pos_ == "PROPN") == proper:
            keep.extend(t for t in c.subtree if t.dep_ != "appos" and not t.is_punct)
            break
    toks = sorted({t.i: t for t in keep}.values(), key=lambda t: t.i)
    # make the phrase contiguous from the first kept token to the last
    doc = tok.doc
    span = doc[toks[0].i:toks[-1].i + 1]
    words = [t.text_with_ws for t in span if t.dep_ != "det"]
    text = "".join(words).strip().strip(",;:").strip()
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)
    return text


def _resolve_generic(tok: Token, keep_self: bool = True) -> Token | None:
    """'figures from the Home Office' -> Office; "the ministry's data" -> ministry; 'report by Amnesty' ->
    Amnesty; 'records obtained by a newsroom' -> newsroom; else the generic noun itself ('survey')."""
    def ok(g: Token) -> bool:
        return g.lower_ not in PRONOUNS and g.pos_ != "PRON" and g.lower_ not in GENERIC_SOURCE_NOUNS and not g.like_num \
            and g.ent_type_ not in ("DATE", "CARDINAL")

    for c in tok.children:
        if c.dep_ == "poss" and ok(c):
            return c
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("from", "by"):
            for g in c.children:
                if g.dep_ == "pobj" and ok(g):
                    return _appos_name(g)
        if c.dep_ == "acl":  # "records obtained by X"
            for a in c.children:
                if a.dep_ == "agent":
                    for g in a.children:
                        if g.dep_ == "pobj" and ok(g):
                            return _appos_name(g)
    for c in tok.children:  # 'a Citizen Lab report'
        if c.dep_ == "compound" and c.pos_ == "PROPN":
            return c
    return tok if keep_self else None


def _appos_name(tok: Token) -> Token:
    """'the newspaper Documento' -> Documento."""
    for c in tok.children:
        if c.dep_ == "appos" and c.pos_ == "PROPN":
            return c
    if tok.pos_ != "PROPN":
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if nxt is not None and nxt.pos_ == "PROPN" and nxt.head == tok:
            return nxt
    return tok


def _source_token(tok: Token) -> Token | None:
    if tok.lower_ in PRONOUNS or tok.pos_ == "PRON" or tok.like_num:
        return None
    if not _is_proper(tok):
        # "the head of the unit, Santiago Nieto, said" -> the named person
        for c in tok.children:
            if c.dep_ == "appos" and c.pos_ == "PROPN":
                return c
    if tok.lower_ in GENERIC_SOURCE_NOUNS:
        return _resolve_generic(tok)
    return tok


def find_source(sent: Span, anchor: Token | None = None) -> str | None:
    """Who asserts the figures of this sentence (see module docstring)."""
    candidates: list[tuple[int, Token]] = []
    for tok in sent:
        low = tok.lower_
        if low == "according":
            for to in tok.children:
                if to.lower_ == "to":
                    for obj in to.children:
                        if obj.dep_ == "pobj":
                            src = _source_token(obj)
                            if src is not None:
                                candidates.append((0, src))
            continue
        if low in REPORT_VERBS and tok.pos_ in ("VERB", "AUX"):
            subj = None
            for c in tok.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    subj = c
                elif c.dep_ == "agent":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            subj = g
            if subj is not None and subj.dep_ == "nsubjpass" and tok.lower_ in ("estimated", "said", "reported", "claimed",
                                                                                 "expected", "projected", "forecast"):
                subj = None  # "X is estimated to ..." / "is said to": no source named
            if subj is not None:
                src = _source_token(subj)
                if src is not None:
                    # prefer the verb that governs the figure
                    ancestors = list(anchor.ancestors) if anchor is not None else []
                    rank = 1 + ancestors.index(tok) if tok in ancestors else 50
                    candidates.append((rank, src))
        # "by the police's own figures", "official data from the ministry"
        if low in ("figures", "data", "statistics", "estimates", "numbers") and tok.dep_ not in ("nsubj",):
            src = _resolve_generic(tok, keep_self=False)
            if src is not None:
                candidates.append((60, src))
    if not candidates:
        return None
    candidates.sort(key=lambda x: x[0])
    phrase = _phrase(candidates[0][1])
    return phrase or None


def _anchor_token(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    nums = [t for t in span if t.like_num or t.text in ("%", "percent")]
    # the root of the figure span is the most reliable handle into the parse
    return span.root if span.root is not None else (nums[-1] if nums else span[-1])


def find_direction(fig: Figure, anchor: Token | None, sent_text: str, rel_end: int) -> str:
    if fig.direction:
        return fig.direction
    after = sent_text[rel_end:rel_end + 12].lower()
    if re.match(r"^\s+more\b", after):
        return "increase"
    if re.match(r"^\s+(fewer|less)\b", after):
        return "decrease"
    if anchor is None:
        return "level"
    def classify(tokens: list[Token]) -> str | None:
        for t in tokens:
            nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
            if nxt is not None and nxt.lower_ == "than":
                continue  # "fewer than 100", "more than half": comparison, not change
            if t.lower_ == "up":
                if t.dep_ != "prt" and t.head.pos_ != "VERB":
                    return "increase"  # "up 20%", "is up"
                continue  # "made up", "turned up": phrasal verbs
            if t.lower_ in INCREASE:
                return "increase"
            if t.lower_ in DECREASE:
                return "decrease"
        return None

    # walk from the figure up through at most two verbs ("cut the time it takes ... by 40%"),
    # stopping at reporting verbs ("said 89 percent ...")
    scope: list[Token] = list(c for c in anchor.children if c.dep_ in ("amod", "advmod"))
    cur, verbs = anchor, 0
    for _ in range(10):
        scope.append(cur)
        if cur.pos_ == "VERB":
            scope.extend(c for c in cur.children if c.dep_ in ("prt", "advmod", "acomp") and c not in scope)
            found = classify(scope)
            if found:
                return found
            verbs += 1
            if verbs >= 2 or cur.lower_ in REPORT_VERBS:
                break
        if cur.dep_ == "ROOT" or cur.head == cur:
            break
        cur = cur.head
    return classify(scope) or "level"


def _noun_phrase_lower(tok: Token) -> str:
    words = [c.lower_ for c in tok.lefts if c.dep_ in ("compound", "amod") and not c.like_num and c.is_alpha]
    return " ".join(words[-2:] + [tok.lower_])


def find_metric(fig: Figure, anchor: Token | None, sent: Span) -> str | None:
    """What is counted or measured (CONVENTIONS.md); never a person's or place's name, a pronoun or
    other function word, or a bare "figures" (those fall through to null)."""
    metric = _find_metric(fig, anchor, sent)
    if metric is None:
        return None
    head = metric.split()[-1]
    if head in NON_METRIC_WORDS:
        return _money_metric(fig, sent)
    if anchor is not None:
        for t in sent:
            # a proper noun in a sentence NER did not run on (nlp/selection.py) counts as a name
            if t.lower_ == head and t.pos_ == "PROPN" and (t.ent_type_ in ("PERSON", "GPE", "NORP", "ORG", "LOC")
                                                          or t.ent_iob_ == ""):
                return _money_metric(fig, sent)
    return metric


def _money_metric(fig: Figure, sent: Span) -> str | None:
    if not (fig.unit and fig.unit not in ("percent", "count") and fig.unit.isupper()):
        return None
    for t in sent:
        if t.lower_ in MONEY_METRIC_WORDS:
            return MONEY_METRIC_WORDS[t.lower_]
    return None


def _find_metric(fig: Figure, anchor: Token | None, sent: Span) -> str | None:
    low = {t.lower_ for t in sent}
    money = fig.unit not in ("percent", "count") and fig.unit is not None and fig.unit.isupper()
    if money:
        if low & LOAN_NOUNS:
            return "loan value"
        if low & BUDGET_NOUNS:
            return "budget"
        if low & CONTRACT_NOUNS:
            return "contract value"
        found = _money_metric(fig, sent)
        if found:
            return found
    if anchor is None:
        return None
    # number modifying a noun: "2,000 cameras"
    if anchor.dep_ in ("nummod", "quantmod", "compound", "amod") and anchor.head.pos_ in ("NOUN", "PROPN"):
        return _noun_phrase_lower(anchor.head)
    for c in anchor.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                head = objs[0]
                # "91 percent of matches were false positives" -> false positives
                if anchor.dep_ == "nsubj" and anchor.head.lemma_ in ("be",) or anchor.head.lower_ in ("were", "was", "are", "is"):
                    attrs = [a for a in anchor.head.children if a.dep_ in ("attr", "acomp")]
                    if attrs:
                        return _noun_phrase_lower(attrs[0])
                return _noun_phrase_lower(head)
    # subject of the governing verb: "crime fell 24 percent"
    cur = anchor
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX") or cur.head == cur:
            break
        cur = cur.head
    for c in cur.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c != anchor and c.pos_ in ("NOUN", "PROPN"):
            return _noun_phrase_lower(c)
    # "a 24 percent drop in crime"
    head = anchor.head
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "of"):
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                return _noun_phrase_lower(objs[0])
    return None


def find_year(sent_text: str, fig_start: int, fig_end: int) -> int | None:
    best = None
    for m in YEAR_RE.finditer(sent_text):
        if fig_start <= m.start(1) < fig_end:
            continue
        dist = min(abs(m.start(1) - fig_start), abs(m.start(1) - fig_end))
        if best is None or dist < best[0]:
            best = (dist, int(m.group(1)))
    return best[1] if best else None


CLAIM_WORDS = {"claim", "claims", "claimed", "claiming"}


_HEDGE_RE = phrase_regex([w for w in HEDGE_WORDS if w not in CLAIM_WORDS], flags=0)  # searched lower-cased


def sentence_hedged(sent: Span, text: str, figs: list[Figure]) -> bool:
    """Hedge words anywhere in the sentence ("claims" only as a verb), or an approximator
    ("up to", "about", "nearly"...) in front of any of its figures: the whole sentence is hedged."""
    if any(f.hedge for f in figs):
        return True
    if _HEDGE_RE.search(text.lower()):
        return True
    return any(t.lower_ in CLAIM_WORDS and t.tag_.startswith("VB") for t in sent)


def resolve_currency(unit: str, countries: list[str]) -> str:
    if unit == "SH":
        for c in countries:
            if c in SHILLING_COUNTRIES:
                return SHILLING_COUNTRIES[c]
        return "KES"
    if unit == "RS":
        for c in countries:
            if c in RUPEE_COUNTRIES:
                return RUPEE_COUNTRIES[c]
        return "INR"
    if unit == "PESO":
        for c in countries:
            if c in PESO_COUNTRIES:
                return PESO_COUNTRIES[c]
        return "MXN"
    return unit


def _inside_larger_entity(span: Span, labels: tuple[str, ...]) -> bool:
    doc = span.doc
    first, last = doc[span.start], doc[span.end - 1]
    if not first.ent_type_ or first.ent_type_ not in labels or last.ent_type_ != first.ent_type_:
        return False
    return first.ent_iob_ == "I" or (span.end < len(doc) and doc[span.end].ent_iob_ == "I")


def mentions_in(mentions: list[dict[str, Any]], starts: list[int], lo: int, hi: int) -> list[dict[str, Any]]:
    """Mentions starting in [lo, hi), with `starts` the sorted start offsets (avoids O(S*M) scans)."""
    return mentions[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]


LOCATIVE = {"in", "across", "throughout", "to", "for", "at", "within", "inside", "into"}
MULTI_PLACE_NOUNS = {"countries", "nations", "states", "governments", "cities", "markets", "continents", "jurisdictions"}


def _choose_place(doc: Doc, in_sent: list[dict[str, Any]], f_start: int, f_end: int, anchor: Token | None,
                  fig: Figure) -> tuple[str | None, bool]:
    """(place, definitely_none). Mentions inside organisation names ("Export-Import Bank of China") or
    inside the source phrase ("researchers at a Canberra think tank") do not locate a figure; among the
    rest, locative mentions ("in Bolivia", "to Egypt") win over merely nearby ones. A figure that counts
    countries or cities is about many places -> None."""
    if anchor is not None and fig.unit == "count":
        counted = anchor.head if anchor.dep_ in ("nummod", "quantmod", "compound") else anchor
        if counted.lower_ in MULTI_PLACE_NOUNS:
            return None, True
    cands = []
    for m in in_sent:
        span = doc.char_span(m["start"], m["end"], alignment_mode="expand")
        if span is None:
            continue
        if _inside_larger_entity(span, ("ORG", "FAC", "WORK_OF_ART", "PERSON")):
            continue
        root = span.root
        in_source = any(t.dep_ in ("nsubj", "nsubjpass") and t.head.lower_ in REPORT_VERBS for t in [root, *root.ancestors][:4]) \
            and not (anchor is not None and root in list(anchor.subtree))
        if in_source:
            continue
        prev = doc[span.start - 1] if span.start > 0 else None
        locative = (prev is not None and prev.lower_ in LOCATIVE) or root.dep_ == "poss"
        cands.append((0 if locative else 1, abs(m["start"] - f_start), m["value"]))
    if not cands:
        return None, False
    return min(cands)[2], False


def _is_person_age(doc: Doc, start: int, end: int, fig: Figure) -> bool:
    """'Tendai Moyo, 29, a developer' -> an age, not a claim."""
    if fig.unit != "count" or not isinstance(fig.value, int) or fig.value > 120:
        return False
    if doc_text(doc)[end:end + 1] != "," or doc_text(doc)[max(0, start - 2):start] != ", ":
        return False
    prev = doc.char_span(start - 2, start - 1, alignment_mode="expand")
    if prev is None or prev.start == 0:
        return False
    before = doc[prev.start - 1]
    return before.ent_type_ == "PERSON" or (before.pos_ == "PROPN" and before.is_title)


_ELAPSED = re.compile(r"\s*(?:later|ago|on|earlier|afterwards)\b", re.I)
_TIME_UNITS = {"years", "year", "months", "month", "weeks", "week", "days", "day", "decades", "decade", "hours", "hour"}


def _is_elapsed_time(text: str, fig: Figure) -> bool:
    """'Eight years later', 'five years on', 'two weeks ago' date an event; they assert no figure."""
    return (fig.unit or "").lower() in _TIME_UNITS and bool(_ELAPSED.match(text, fig.end))


# A figure about the vendor itself (its revenue, staff, accuracy) has no place, even in an article
# about one country; so has one that is global or about a region ("worldwide", "across Africa").
COMPANY_METRICS = frozenset("""revenue revenues sales profit profits shares share staff employees workforce
customers clients valuation turnover funding investors""".split())
NOWHERE = re.compile(r"\b(?:worldwide|globally|global|around the world|across the world|world's)\b")
REGION_FIRST = re.compile(r"\b(?:in|across|throughout) (?:the )?(?:Africa|Europe|Asia|Latin America|South America|"
                          r"Middle East|Gulf|EU|European Union|Southeast Asia|Central Asia|Sub-Saharan Africa)\b")


def _is_company(tok: Token, vendor_spans: list[tuple[int, int]]) -> bool:
    if any(s <= tok.idx < e for s, e in vendor_spans):
        return True
    if tok.lower_ in FIRM_REFERENCE_NOUNS and any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children):
        return True
    return False


def _about_company(anchor: Token | None, sent: Span, vendor_spans: list[tuple[int, int]]) -> bool:
    """Is the figure's clause about a company: its subject is a vendor or "the company", or is owned
    by one ("its algorithms", "the company's revenue"), or a company metric in a vendor's sentence."""
    if anchor is None:
        return False
    verb = next((t for t in [anchor, *anchor.ancestors] if t.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return False
    has_company = any(sent.start_char <= s < sent.end_char for s, _ in vendor_spans) or \
        any(_is_company(t, vendor_spans) for t in sent)
    for subj in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
        if _is_company(subj, vendor_spans):
            return True
        if subj.lower_ == "it" and has_company:
            return True
        for p in subj.children:
            if p.dep_ == "poss" and (p.lower_ == "its" or _is_company(p, vendor_spans)):
                return True
        if subj.lower_ in COMPANY_METRICS and has_company:
            return True
    return False


_ISO_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d-[01]\d-[0-3]\d(?!\d)")
_FINAL_PUNCT = tuple('.!?"”’)]…')


def is_page_residue(full: str, start: int, end: int) -> bool:
    """Extraction residue that is not a claim (CONVENTIONS.md): a footnote marker "[4]", a figure
    after a code/ID/read-time label ("(Code: 150)", "Read time: 3 minutes"), part of an ISO date,
    a temperature ("24°C"), or a bare figure alone on its line."""
    before, after = full[max(0, start - 30):start], full[end:end + 16]
    if before.endswith("[") and after.startswith("]"):
        return True
    label = re.search(r"([A-Za-z.]+)\s*[:#]?\s*$", before)
    if label and label.group(1).lower() in RESIDUE_LABELS and re.search(r"[:#]\s*$|\b(?:no|nr|ref)\.?\s*$", before, re.I):
        return True
    if re.search(r"\bread(?:ing)?\s+time\s*:?\s*$", before, re.I) or after.lower().lstrip().startswith(RESIDUE_AFTER):
        return True
    for m in _ISO_DATE.finditer(full, max(0, start - 10), min(len(full), end + 10)):
        if m.start() <= start < m.end():
            return True
    if re.match(r"\s*(?:°|º|℃|℉|degrees?\s+(?:celsius|fahrenheit|c\b|f\b))", after, re.I):
        return True
    ls = full.rfind("\n", 0, start) + 1
    le = full.find("\n", end)
    le = len(full) if le < 0 else le
    line = full[ls:le].strip()
    if line and len(line) <= 24 and not re.search(r"[A-Za-z]{3,}\s+[A-Za-z]{3,}", line):
        return True  # "12,400" or "$3.2m" alone on a line (a stat box or widget), no sentence around it
    return False


def is_journalism_count(text: str, fig_end: int) -> bool:
    """'shared with 16 news organizations', 'we reviewed 500 documents': counts about the reporting."""
    after = text[fig_end:fig_end + 40].lower()
    m = re.match(r"\s+(?:other\s+|more\s+|international\s+|partner\s+|local\s+)?([a-z]+)(?:\s+([a-z]+))?", after)
    if not m:
        return False
    words = {m.group(1), m.group(2) or ""}
    if m.group(1) in ("news", "media") and m.group(2) in ("organizations", "organisations", "outlets", "partners"):
        return True
    if words & JOURNALISM_NOUNS:
        return True
    low = " " + text.lower()
    return bool(words & JOURNALISM_OBJECTS) and any(k in low for k in JOURNALISM_MARKERS)


def is_truncated_final(full: str, s_end: int, text: str) -> bool:
    """The excerpt's last sentence, cut off: nothing follows it and it lacks final punctuation."""
    return not full[s_end:].strip() and not text.rstrip().endswith(_FINAL_PUNCT)


def extract_claims(doc: Doc, country_mentions: list[dict[str, Any]],
                   vendor_mentions: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Claims for one Doc (chunk). Offsets are chunk-relative; 'place' may be None here and is
    completed at document level by the tagger (see module docstring)."""
    claims: list[dict[str, Any]] = []
    place_mentions = sorted((m for m in country_mentions if not m.get("descriptor")), key=lambda m: m["start"])
    place_starts = [m["start"] for m in place_mentions]
    vendor_spans = [(m["start"], m["end"]) for m in vendor_mentions or []]
    doc_country_set = sorted({m["value"] for m in country_mentions})
    prev_sent_place: str | None = None
    prev_quote_source: str | None = None
    prev_para_end = -1
    for sent in doc.sents:
        s_start, s_end = sentence_bounds(sent)
        if s_end <= s_start:
            continue
        text = doc_text(doc)[s_start:s_end]
        # a blank line between sentences starts a new paragraph: forget the previous sentence's place
        if "\n\n" in doc_text(doc)[prev_para_end:s_start] if prev_para_end >= 0 else False:
            prev_sent_place = None
        prev_para_end = s_end
        in_sent = mentions_in(place_mentions, place_starts, s_start, s_end)
        figs = find_figures(text)
        this_quote_source = find_source(sent) if ('"' in text or "“" in text or "”" in text) else None
        if not figs:
            if in_sent:
                prev_sent_place = in_sent[-1]["value"]
            prev_quote_source = this_quote_source
            continue
        if is_truncated_final(doc_text(doc), s_end, text):
            continue
        hedged_sent = sentence_hedged(sent, text, figs)
        # a figure inside a quote is attributed by the previous sentence's "..., said X"
        quoted = '"' in text or "“" in text or "”" in text
        sent_countries = [m["value"] for m in in_sent] + doc_country_set
        prev_money: Figure | None = None
        prev_fig: Figure | None = None
        for fig in figs:
            f_start, f_end = s_start + fig.start, s_start + fig.end
            money = bool(fig.unit) and fig.unit.isupper()
            # "$126 million (Sh13 billion)": a conversion of the figure before it, one fact
            conversion = money and prev_money is not None and re.fullmatch(
                r"\s*[(\[]\s*(?:about|around|roughly|approximately|approx\.|some|or|~|c\.)?\s*",
                text[prev_money.end:fig.start], re.I)
            if money:
                prev_money = fig
            # "three (3) years": a figure repeated in parentheses right after the same figure is one fact
            word_before = re.search(r"([A-Za-z-]+)\s*[(\[]\s*$", text[:fig.start])
            if (prev_fig is not None and prev_fig.value == fig.value
                    and re.fullmatch(r"\s*[(\[]\s*", text[prev_fig.end:fig.start])) or (
                    word_before and parse_number(word_before.group(1).replace("-", " ").split()[0]) == fig.value):
                prev_fig = fig
                continue
            prev_fig = fig
            if conversion or is_page_residue(doc_text(doc), f_start, f_end) or is_journalism_count(text, fig.end):
                continue
            anchor = _anchor_token(doc, f_start, f_end)
            if _is_person_age(doc, f_start, f_end, fig) or _is_elapsed_time(text, fig):
                continue
            place, no_place = _choose_place(doc, in_sent, f_start, f_end, anchor, fig)
            region = REGION_FIRST.search(text)
            if place is None and not in_sent and (NOWHERE.search(text) or (region and region.start() < fig.start)
                                                  or _about_company(anchor, sent, vendor_spans)):
                no_place = True
            unit = resolve_currency(fig.unit, sent_countries) if fig.unit else None
            claims.append({
                "text": text, "start": s_start, "end": s_end,
                "metric": find_metric(fig, anchor, sent),
                "direction": find_direction(fig, anchor, text, fig.end),
                "value": fig.value, "unit": unit, "place": place,
                "year": find_year(text, fig.start, fig.end),
                "source": find_source(sent, anchor) or (prev_quote_source if quoted else None),
                "hedged": bool(fig.hedge or hedged_sent),
                "_prev_place": None if no_place else prev_sent_place,  # fallback, resolved per document
                "_no_place": no_place,
            })
        if in_sent:
            prev_sent_place = in_sent[-1]["value"]
        prev_quote_source = this_quote_source
    return claims
