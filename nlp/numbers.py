"""Finding and parsing quantitative figures in a sentence (pure regex code, no spaCy).

Why regex and not spaCy's NUM/MONEY/PERCENT entities: the small English model misses
"Sh1.2bn", "US$14m", "one-third" and ranges often enough, and we need exact control over
the not-claims (years, ages, ECU-911, Section 702 ...) listed in CONVENTIONS.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

# --- vocabularies ---------------------------------------------------------------------------

MAGNITUDES: dict[str, float] = {
    "thousand": 1e3, "k": 1e3,
    "million": 1e6, "millions": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9,
    "trillion": 1e12, "tn": 1e12,
    "crore": 1e7, "crores": 1e7, "lakh": 1e5, "lakhs": 1e5,
}

WORD_NUMBERS: dict[str, float] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a hundred": 100, "one hundred": 100, "hundred": 100,
    "a": 1, "an": 1,
}

FRACTIONS: dict[str, float] = {
    "one-third": 33.3, "one third": 33.3, "a third": 33.3,
    "two-thirds": 66.7, "two thirds": 66.7,
    "one-quarter": 25.0, "one quarter": 25.0, "a quarter": 25.0,
    "three-quarters": 75.0, "three quarters": 75.0,
    "one-fifth": 20.0, "one fifth": 20.0, "a fifth": 20.0,
    "two-fifths": 40.0, "three-fifths": 60.0,
    "one-tenth": 10.0, "a tenth": 10.0, "one tenth": 10.0,
    "half": 50.0, "one-half": 50.0, "one half": 50.0,
}

MULTIPLIERS: dict[str, tuple[float, str]] = {
    "doubled": (100.0, "increase"), "doubling": (100.0, "increase"),
    "tripled": (200.0, "increase"), "tripling": (200.0, "increase"),
    "trebled": (200.0, "increase"), "quadrupled": (300.0, "increase"),
    "halved": (50.0, "decrease"), "halving": (50.0, "decrease"),
}

# currency prefix -> ISO 4217 ("SH" is resolved from context: KES / UGX / TZS)
CURRENCY_PREFIXES: dict[str, str] = {
    "us$": "USD", "u.s.$": "USD", "$": "USD", "usd": "USD", "a$": "AUD", "c$": "CAD", "hk$": "HKD",
    "nz$": "NZD", "s$": "SGD", "r$": "BRL", "£": "GBP", "gbp": "GBP", "€": "EUR", "eur": "EUR",
    "¥": "CNY", "rmb": "CNY", "cny": "CNY", "₹": "INR", "rs": "RS", "rs.": "RS", "inr": "INR",
    "₦": "NGN", "n": "NGN", "ngn": "NGN", "ksh": "KES", "ksh.": "KES", "kshs": "KES", "kes": "KES",
    "ush": "UGX", "ugx": "UGX", "shs": "SH", "shs.": "SH", "sh": "SH", "sh.": "SH",
    "zar": "ZAR", "r": "ZAR", "brl": "BRL", "tzs": "TZS", "ghs": "GHS", "gh₵": "GHS", "aed": "AED",
    "ils": "ILS", "₪": "ILS", "egp": "EGP", "pkr": "PKR", "php": "PHP", "₱": "PHP", "jpy": "JPY",
    "krw": "KRW", "₩": "KRW", "rub": "RUB", "₽": "RUB", "mxn": "MXN", "cad": "CAD", "aud": "AUD",
    "sar": "SAR", "pln": "PLN", "zł": "PLN", "tk": "BDT", "tk.": "BDT", "৳": "BDT", "bdt": "BDT", "mmk": "MMK",
    "irr": "IRR", "try": "TRY", "idr": "IDR", "rp": "IDR", "myr": "MYR", "rm": "MYR", "thb": "THB", "฿": "THB",
    "vnd": "VND", "chf": "CHF", "sek": "SEK", "nok": "NOK", "dkk": "DKK",
}

UNIT_WORDS: dict[str, str] = {
    "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
    "miles": "miles", "mile": "miles", "metres": "metres", "meters": "metres",
    "days": "days", "day": "days", "hours": "hours", "hour": "hours", "minutes": "minutes",
    "minute": "minutes", "seconds": "seconds", "second": "seconds", "weeks": "weeks", "week": "weeks",
    "months": "months", "month": "months", "years": "years", "year": "years",
    "terabytes": "terabytes", "tb": "terabytes", "petabytes": "petabytes", "gigabytes": "gigabytes",
    "gb": "gigabytes", "mbps": "mbps", "kg": "kg", "tonnes": "tonnes", "tons": "tonnes",
    "square kilometres": "km2", "sq km": "km2", "hectares": "hectares",
    "square metres": "square metres", "square meters": "square metres", "sq m": "square metres",
}

HEDGE_APPROX = ("up to", "about", "around", "nearly", "roughly", "approximately", "as many as",
                "almost", "some", "an estimated", "approx.", "close to", "estimated")

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")

# words that introduce identifiers, not quantities: "Section 702", "Article 19", "iOS 14"
ID_WORDS = {
    "section", "sections", "article", "articles", "chapter", "rule", "resolution", "law", "decree", "order",
    "bill", "no", "no.", "nos", "nos.", "number", "act", "clause", "paragraph", "part", "schedule",
    "title", "phase", "level", "tier", "category", "version", "v", "ios", "android", "windows", "page",
    "pages", "route", "highway", "room", "flight", "item", "annex", "appendix", "table", "figure", "fig",
    "fig.", "class", "grade", "unit", "mark", "model", "series", "gen", "generation", "block", "district",
    "ward", "precinct", "zone", "platform", "gate", "terminal", "lot", "case", "file", "docket", "exhibit",
    "cve", "iphone", "galaxy", "pixel", "top", "covid", "ecu", "g", "vol", "vol.", "issue", "episode",
    "season", "proposition", "prop", "amendment", "directive", "regulation", "standard", "iso", "channel",
    "term", "wave", "stage", "day", "week", "round", "session", "line", "station", "building", "floor",
    "apartment", "suite", "box", "plot", "road", "street", "avenue", "camp", "operation", "project", "vision",
    "agenda", "plan", "program", "programme", "tranche", "batch", "cohort", "count", "counts", "exec", "ipv",
}

AGE_BEFORE = re.compile(r"(?:\baged|\bage|\bages|\bage of|\bages of|\baged between)\s*$"
                        r"|\baged\s+(?:between\s+)?\d+\s*(?:and|to|-)\s*$"
                        r"|,\s*then\s*$|\b(?:he|she)\s+(?:was|is|is now|was then)\s*$", re.I)
AGE_AFTER = re.compile(r"^\s*(?:-|\s)?(?:year|yr)s?[- ]old\b|^\s*years?\s+of\s+age\b|^\s*-year-old", re.I)
DATE_BEFORE = re.compile(rf"\b(?:{MONTHS})\.?\s*$", re.I)
DATE_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{MONTHS})\b", re.I)
TIME_AFTER = re.compile(r"^(?::\d\d|\s*(?:am|pm|a\.m\.|p\.m\.|o'clock|gmt|utc|hrs|h\b)(?![a-z]))", re.I)
ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b", re.I)

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CUR = (r"US\$|U\.S\.\s?\$|A\$|C\$|HK\$|NZ\$|S\$|R\$|\$|£|€|¥|₹|₦|₪|₱|₩|₽|GH₵|KShs?\.?|Ksh\.?|USh\.?|Shs?\.?|Rs\.?|"
        r"R(?=\s?\d)|USD|EUR|GBP|CNY|RMB|KES|UGX|ZAR|INR|BRL|TZS|GHS|NGN|AED|ILS|EGP|PKR|PHP|JPY|KRW|RUB|MXN|CAD|AUD|"
        r"SAR|PLN|zł|Tk\.?(?=\s?\d)|৳|BDT|MMK|IRR|IDR|Rp(?=\s?\d)|MYR|RM(?=\s?\d)|THB|฿|VND|CHF|SEK|NOK|DKK|"
        # Nigerian press writes the naira as a bare N before an amount with a magnitude ("N40.05bn", "N2 billion")
        r"N(?=\d[\d,.]*\s?(?:bn|billion|m|mn|million|trillion|tn)\b)")
_MAG = r"thousand|millions?|billions?|trillion|crores?|lakhs?|mn|mln|bn|tn|m|b|k"
_WORDNUM = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS if w not in ("a", "an")), key=len, reverse=True))

FIGURE_RE = re.compile(
    rf"(?:(?P<cur>(?<![A-Za-z])(?:{_CUR}))\s?|(?<![\w.,/]))"
    rf"(?P<num>(?:{_NUM})(?![\d]))"
    rf"(?:\s?(?P<mag>(?:{_MAG}))(?![A-Za-z]))?"
    rf"(?:\s?(?P<pct>%|percent\b|per\s?cent\b|pc\b|percentage\s+points?\b))?",
    re.I,
)
WORD_FIGURE_RE = re.compile(
    rf"\b(?P<num>{_WORDNUM}|a|an|half\s+a)\s+(?P<mag>thousand|million|billion|trillion)\b"
    rf"|\b(?P<num2>{_WORDNUM})\s+(?P<pct>percent|per\s?cent)\b",
    re.I,
)
_SMALL = "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|" \
         "eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
WORD_COUNT_RE = re.compile(rf"(?<![\w-])(?P<w>(?:{_SMALL})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)(?![\w-])", re.I)
FRACTION_RE = re.compile(
    r"\b(?P<frac>one-third|one third|a third|two-thirds|two thirds|one-quarter|one quarter|a quarter|"
    r"three-quarters|three quarters|one-fifth|one fifth|a fifth|two-fifths|three-fifths|one-tenth|a tenth|"
    r"one tenth|one-half|one half|half)\b",
    re.I,
)
ONE_IN_RE = re.compile(r"\b(?P<a>one|\d+)\s+(?:in|out of)\s+(?P<b>two|three|four|five|six|seven|eight|nine|ten|\d+)\b", re.I)
MULT_RE = re.compile(r"\b(?P<mult>" + "|".join(MULTIPLIERS) + r")\b", re.I)
# "an eightfold jump", "a 3-fold rise", "tenfold": N-fold = (N - 1) * 100 percent, like "tripled" = 200
FOLD_RE = re.compile(rf"\b(?P<n>{_WORDNUM}|\d+(?:\.\d+)?)[-\s]?fold\b", re.I)
# durations in words: "one year", "in just half a year", "six months" (not "a year ago", "one year ago";
# "a year" alone is a frequency, "twice a year")
DURATION_RE = re.compile(rf"(?<![\w-])(?P<n>half\s+an?|{_WORDNUM})\s+(?P<u>years?|months?|weeks?|days?|hours?)\b(?!\s+(?:ago|old)\b)",
                         re.I)
PHONE_RE = re.compile(r"(?<![\w,.])\+?\(?\d{2,5}\)?(?:[\s-]\d{1,4}){2,}(?![\w,])")
RANGE_JOIN_RE = re.compile(r"^\s*(?:-|–|—|to|and)\s*", re.I)


@dataclass
class Figure:
    """A figure found in a sentence; offsets are relative to the string searched."""
    start: int
    end: int
    value: float
    unit: str | None          # "percent", ISO currency ("SH" = unresolved shillings), "count", unit word
    hedge: bool = False       # an approximator word directly precedes the figure
    direction: str | None = None  # multipliers carry their own direction
    kind: str = "number"      # number | fraction | multiplier | ratio
    raw: str = ""
    notes: list[str] = field(default_factory=list)


def parse_number(text: str) -> float | None:
    """'1,200' -> 1200.0; 'two' -> 2.0; '1.2' -> 1.2."""
    t = text.strip().lower().replace(",", "")
    if t in WORD_NUMBERS:
        return float(WORD_NUMBERS[t])
    if t.startswith("half"):
        return 0.5
    try:
        return float(t)
    except ValueError:
        return None


def _clean(v: float) -> float | int:
    """Return ints for whole numbers so JSON shows 14000000 not 14000000.0."""
    r = round(v, 4)
    return int(r) if float(r).is_integer() else r


def _is_not_claim(text: str, m_start: int, m_end: int, num: str, has_unit: bool, has_cur: bool = False) -> bool:
    """Dates, years, ages, ordinals, times, identifiers -- see CONVENTIONS.md 'NOT claims'."""
    before = text[max(0, m_start - 25):m_start]
    after = text[m_end:m_end + 25]
    raw = num.replace(",", "")
    # glued to letters or hyphen-letters: ECU-911, Covid-19, G20, 5G, MP4, F-16
    if m_start > 0 and not has_cur and (
            text[m_start - 1].isalpha()
            or (text[m_start - 1] == "-" and m_start > 1 and text[m_start - 2].isalpha())
            or (text[m_start - 1] in "/#" and m_start > 1 and text[m_start - 2].isalnum())):
        return True
    if text[m_start - 1:m_start] == "#":
        return True
    if after[:1].isalpha():
        return True  # "R3D", "5G", "4K": the number is part of a name
    # street addresses: "28 Kildare Road"
    if re.match(r"^\s+(?:[A-Z][a-z]+\s+){1,2}(?:Road|Street|St|Avenue|Ave|Lane|Drive|Boulevard|Way|Close|Crescent)\b", after):
        return True
    if re.match(r"^-[A-Za-z]", after) and not re.match(r"^-(?:year|month|day|week|hour|minute|km|mile|fold|percent|per)", after, re.I):
        return True
    if re.match(r"^[-/.]\d", after) and not re.match(r"^-\d", after):  # 2019/20, 1.2.3, 14/05
        return True
    if re.match(r"^\.[a-z]{2,}\b", after):  # a domain name: "24.kg"
        return True
    if re.match(r"^s\b", after):  # 1990s
        return True
    if ORDINAL_AFTER.match(after) or TIME_AFTER.match(after):
        return True
    if AGE_BEFORE.search(before) or AGE_AFTER.match(after):
        return True
    if not has_unit and (DATE_BEFORE.search(before) or DATE_AFTER.match(after.lstrip())):
        return True
    prev_word = re.search(r"([A-Za-z.]+)\s*$", before)
    if prev_word and prev_word.group(1).lower() in ID_WORDS and not has_unit and before.endswith(" "):
        return True
    # years: 4 digits 1900-2099 without unit or magnitude
    if not has_unit and re.fullmatch(r"(?:19|20)\d\d", num):
        return True
    # list numbering at the start of a line: "1." / "2)"
    line_start = text.rfind("\n", 0, m_start) + 1
    if text[line_start:m_start].strip() == "" and re.match(r"^[.)](?:\s|$)", after):
        return True
    # numbers to call, and identifiers: "calling 991", "Resolution 2024-31", "the Mate 60 series"
    if not has_unit and re.search(r"\b(?:call|calling|called|dial|dialling|dialing|dials|text|texting)\s+$", before, re.I):
        return True
    if not has_unit and re.search(r"\b(?:19|20)\d\d-$", before):
        return True
    if not has_unit and re.match(r"^\s+(?:series|model|edition|range|line-?up)\b", after, re.I):
        return True
    # ratios / scores 1:1000
    if after.startswith(":") or before.endswith(":") and not before.endswith(": "):
        return True
    return False


_HEDGE_APPROX_RE = re.compile(r"\b(?:" + "|".join(map(re.escape, HEDGE_APPROX)) + r")$")


def _hedged_before(text: str, start: int) -> bool:
    before = text[max(0, start - 22):start].lower()
    before = re.sub(r"(?:us\$|\$|£|€|¥|sh\.?|ksh\.?)\s*$", "", before).rstrip()
    return bool(_HEDGE_APPROX_RE.search(before))


# currency words after a number -> ISO 4217 (all inflections the regex in _currency_after accepts)
CURRENCY_WORDS: dict[str, str] = {
    "euro": "EUR", "euros": "EUR", "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "rand": "ZAR", "reais": "BRL",
    "naira": "NGN", "yen": "JPY", "shekel": "ILS", "shekels": "ILS", "won": "KRW", "rouble": "RUB",
    "roubles": "RUB", "ruble": "RUB", "rubles": "RUB", "cedi": "GHS", "cedis": "GHS", "kwacha": "ZMW",
    "birr": "ETB", "dirham": "AED", "dirhams": "AED", "riyal": "SAR", "riyals": "SAR", "rupiah": "IDR",
    "lira": "TRY", "zloty": "PLN", "zlotys": "PLN", "złoty": "PLN", "kyat": "MMK", "kyats": "MMK",
    "taka": "BDT", "rial": "IRR", "rials": "IRR", "ringgit": "MYR", "baht": "THB", "dong": "VND",
    "franc": "CHF", "francs": "CHF", "kronor": "SEK", "krona": "SEK", "kroner": "NOK",
}
CODE_WORDS = frozenset("USD EUR GBP CNY KES UGX ZAR INR BRL TZS NGN".split())
# words whose currency depends on the adjective before them ("" = no or another adjective);
# SH and PESO are resolved from the text's countries later (claims.resolve_currency)
ADJ_CURRENCIES: dict[str, dict[str, str]] = {
    "dollar": {"australian": "AUD", "canadian": "CAD", "hong kong": "HKD", "singapore": "SGD", "": "USD"},
    "pound": {"egyptian": "EGP", "": "GBP"},
    "sterling": {"egyptian": "EGP", "": "GBP"},
    "rupee": {"pakistani": "PKR", "": "INR"},
    "shilling": {"kenyan": "KES", "kenya": "KES", "ugandan": "UGX", "uganda": "UGX", "tanzanian": "TZS", "": "SH"},
    "peso": {"mexican": "MXN", "argentine": "ARS", "philippine": "PHP", "chilean": "CLP", "colombian": "COP",
             "": "PESO"},
}


def _currency_after(text: str, end: int) -> tuple[str | None, int]:
    """Currency words / codes following a number: '14 million dollars', '5bn shillings', '3m yuan'."""
    after = text[end:end + 40]
    m = re.match(r"^\s*(?:(?P<adj>US|U\.S\.|Kenyan|Kenya|Ugandan|Uganda|Tanzanian|Egyptian|Mexican|Argentine|"
                 r"Philippine|Chilean|Colombian|Pakistani|Hong Kong|Australian|Canadian|Singapore)\s+)?"
                 r"(?P<word>dollars?|pounds?(?: sterling)?|sterling|euros?|yuan|renminbi|rupees?|rand|reais|naira|yen|"
                 r"shekels?|won|roubles?|rubles?|shillings?|pesos?|cedis?|kwacha|birr|dirhams?|riyals?|rupiah|lira|"
                 r"zlotys?|złoty|kyats?|taka|rials?|ringgit|baht|dong|francs?|kronor|kroner|krona|"
                 r"USD|EUR|GBP|CNY|RMB|KES|UGX|ZAR|INR|BRL|TZS|NGN)\b", after)
    if not m:
        return None, end
    adj = (m.group("adj") or "").lower()
    word = m.group("word").lower()
    for stem, by_adj in ADJ_CURRENCIES.items():  # "Kenyan shillings", "Canadian dollars"
        if word.startswith(stem):
            return by_adj.get(adj, by_adj[""]), end + m.end()
    code = word.upper() if word.upper() in CODE_WORDS else CURRENCY_WORDS.get(word)
    return code, end + m.end()


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    after = text[end:end + 30]
    m = re.match(r"^(?:\s|-)(?P<u>square kilometres|square metres|square meters|sq km|sq m|[A-Za-z]+)\b", after)
    if m and m.group("u").lower() in UNIT_WORDS:
        return UNIT_WORDS[m.group("u").lower()], end + m.end()
    return None, end


def find_figures(text: str) -> list[Figure]:
    """All claim-worthy figures in `text` (usually one sentence), ranges merged to their lower bound."""
    return [replace(f, notes=list(f.notes)) for f in _figures(text)]  # copies: callers own what they get


# the sentence selector asks about a sentence just before the claim rules read its figures: remember the answers
@lru_cache(maxsize=2048)
def _figures(text: str) -> tuple[Figure, ...]:
    figs: list[Figure] = []
    taken: list[tuple[int, int]] = []

    def overlaps(s: int, e: int) -> bool:
        return any(s < te and ts < e for ts, te in taken)

    phones = [(m.start(), m.end()) for m in PHONE_RE.finditer(text)
              if len(re.sub(r"\D", "", m.group())) >= 9 and not re.search(r"\d,\d{3}", m.group())]
    taken.extend(phones)

    # 1. digit figures
    for m in FIGURE_RE.finditer(text):
        num = m.group("num")
        cur = m.group("cur")
        mag = m.group("mag")
        pct = m.group("pct")
        n_start = m.start("num")
        if overlaps(n_start, m.end("num")):
            continue
        # a lone "m"/"b"/"k" magnitude only counts when glued to the number or with a currency ("$14m", "14m")
        if mag and mag.lower() in ("m", "b", "k") and (text[m.end("num"):m.start("mag")] != "" and not cur):
            mag = None
        if mag and mag.lower() in ("b",) and not cur:
            mag = None
        start = m.start("cur") if cur else n_start
        end = m.end()
        if not mag and not pct:
            end = m.end("num")
        elif mag and not pct:
            end = m.end("mag")
        has_unit = bool(cur or pct or (mag and mag.lower() not in ("m",)) or (mag and cur))
        if mag and mag.lower() == "m" and not cur:
            has_unit = True  # "14m people"
        if _is_not_claim(text, n_start, m.end("num") if not (mag or pct) else end, num, has_unit, bool(cur)):
            continue
        value = parse_number(num)
        if value is None:
            continue
        if mag:
            value *= MAGNITUDES[mag.lower()]
        unit: str | None = None
        if pct:
            unit = "percent"
        if cur:
            unit = CURRENCY_PREFIXES.get(cur.lower().replace(" ", "").rstrip(".") if cur.lower() not in CURRENCY_PREFIXES else cur.lower(), "USD")
        if unit is None:
            code, new_end = _currency_after(text, end)
            if code:
                unit, end = code, new_end
        if unit is None:
            uw, new_end = _unit_after(text, end)
            if uw:
                unit, end = uw, new_end
        figs.append(Figure(start, end, value, unit or "count", hedge=_hedged_before(text, start), raw=text[start:end]))
        taken.append((start, end))

    # 2. word-number magnitudes ("two million", "half a million", "ten percent")
    for m in WORD_FIGURE_RE.finditer(text):
        if overlaps(m.start(), m.end()):
            continue
        if m.group("num2"):
            value = parse_number(m.group("num2"))
            unit = "percent"
        else:
            w = m.group("num").lower()
            value = 0.5 if w.startswith("half") else parse_number(w)
            value = (value or 1) * MAGNITUDES[m.group("mag").lower()]
            unit = None
        end = m.end()
        if unit is None:
            code, end = _currency_after(text, end)
            unit = code or "count"
        figs.append(Figure(m.start(), end, value, unit, hedge=_hedged_before(text, m.start()), raw=text[m.start():end]))
        taken.append((m.start(), end))

    # 2b. small word numbers that count things: "at least two journalists", "four former executives",
    # "eight of 42", "under seven minutes" (not "two-way", "one of", "two years ago")
    for m in WORD_COUNT_RE.finditer(text):
        if overlaps(m.start(), m.end()):
            continue
        after = text[m.end():m.end() + 40]
        if re.match(r"^-", after) or re.match(r"^\s+(?:\w+\s+)?ago\b", after):
            continue
        unit = "count"
        end = m.end()
        um = re.match(r"^\s+(?P<u>[A-Za-z]+)\b", after)
        if um and um.group("u").lower() in UNIT_WORDS:
            unit, end = UNIT_WORDS[um.group("u").lower()], m.end() + um.end()
        elif not (re.match(r"^\s+of\s+\d", after) or
                  re.match(r"^\s+(?:(?:[a-z][a-z-]+)\s+){0,2}[a-z]+s\b", after)):
            continue  # needs a plural noun (or "of 42") after it to be a count of things
        value = parse_number(m.group("w").replace("-", " ").split()[0])
        if m.group("w").count("-") == 1 and m.group("w").split("-")[1].lower() in WORD_NUMBERS:
            value = (value or 0) + WORD_NUMBERS[m.group("w").split("-")[1].lower()]
        figs.append(Figure(m.start(), end, value or 0, unit, hedge=_hedged_before(text, m.start()),
                           kind="number", raw=text[m.start():end]))
        taken.append((m.start(), end))

    # 3. fractions ("a third of", "nearly half", "two-thirds")
    for m in FRACTION_RE.finditer(text):
        if overlaps(m.start(), m.end()):
            continue
        frac = m.group("frac").lower()
        before = text[max(0, m.start() - 25):m.start()].lower()
        after = text[m.end():m.end() + 12].lower()
        if re.search(r"\b(first|second|latter|other|top|bottom|back|front|last|past|final)\s*$", before):
            continue
        if re.match(r"^(-|\s)(time|hour|day|year|century|decade|way|mile|term|price)", after):
            continue
        ok = "-" in frac or re.match(r"^\s+(of|the|a|an|their|its|all)\b", after) or \
            re.search(r"\b(nearly|almost|about|around|roughly|over|more than|less than|than|just|some|only|by)\s*$", before)
        if not ok:
            continue
        figs.append(Figure(m.start(), m.end(), FRACTIONS[frac], "percent", hedge=_hedged_before(text, m.start()),
                           kind="fraction", raw=m.group()))
        taken.append((m.start(), m.end()))

    # 4. "one in five" -> 20 percent
    for m in ONE_IN_RE.finditer(text):
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if not a or not b or b <= a:
            continue
        spans = [(s, e) for s, e in taken if m.start() <= s < m.end()]
        for f in list(figs):
            if m.start() <= f.start < m.end():
                figs.remove(f)
        for s in spans:
            taken.remove(s)
        figs.append(Figure(m.start(), m.end(), round(100 * a / b, 1), "percent",
                           hedge=_hedged_before(text, m.start()), kind="ratio", raw=m.group()))
        taken.append((m.start(), m.end()))

    # 5. multipliers
    for m in MULT_RE.finditer(text):
        if overlaps(m.start(), m.end()):
            continue
        v, d = MULTIPLIERS[m.group("mult").lower()]
        figs.append(Figure(m.start(), m.end(), v, "percent", direction=d, kind="multiplier", raw=m.group()))
        taken.append((m.start(), m.end()))

    # 6. N-fold multipliers
    for m in FOLD_RE.finditer(text):
        n = parse_number(m.group("n"))
        if n is None or n <= 1:
            continue
        for f in [f for f in figs if m.start() <= f.start < m.end() and f.kind == "number"]:
            figs.remove(f)
            taken[:] = [t for t in taken if not (t[0] == f.start and t[1] == f.end)]
        if overlaps(m.start(), m.end()):
            continue
        figs.append(Figure(m.start(), m.end(), _clean((n - 1) * 100), "percent", direction="increase",
                           kind="multiplier", raw=m.group()))
        taken.append((m.start(), m.end()))

    # 7. durations in words ("one year", "half a year") -- after the fraction rule, which reads "half" as 50%
    for m in DURATION_RE.finditer(text):
        n = 0.5 if m.group("n").lower().startswith("half") else parse_number(m.group("n"))
        if n is None:
            continue
        for f in [f for f in figs if m.start() <= f.start < m.end() and f.kind in ("fraction", "number")]:
            figs.remove(f)
            taken[:] = [t for t in taken if not (t[0] == f.start and t[1] == f.end)]
        if overlaps(m.start(), m.end()):
            continue
        unit = UNIT_WORDS.get(m.group("u").lower(), m.group("u").lower() + ("" if m.group("u").endswith("s") else "s"))
        figs.append(Figure(m.start(), m.end(), _clean(n), unit, hedge=_hedged_before(text, m.start()), raw=m.group()))
        taken.append((m.start(), m.end()))

    figs.sort(key=lambda f: f.start)
    return tuple(_merge_ranges(text, figs))


def _merge_ranges(text: str, figs: list[Figure]) -> list[Figure]:
    """'between 10 and 15 percent', '10-15%', '$10m to $15m' -> one figure (lower bound).
    'from 10 to 15 percent' stays two figures (two asserted values) but the first inherits the unit."""
    out: list[Figure] = []
    i = 0
    while i < len(figs):
        f = figs[i]
        if i + 1 < len(figs) and f.kind == "number" and figs[i + 1].kind == "number":
            g = figs[i + 1]
            gap = text[f.end:g.start]
            if RANGE_JOIN_RE.fullmatch(gap) or RANGE_JOIN_RE.match(gap) and RANGE_JOIN_RE.match(gap).end() == len(gap):
                joiner = gap.strip().lower()
                before = text[max(0, f.start - 12):f.start].lower()
                is_from = bool(re.search(r"\bfrom\s*$", before))
                if joiner == "and" and not re.search(r"\bbetween\s*$", before):
                    out.append(f)
                    i += 1
                    continue
                if f.unit not in ("count", g.unit):  # "15 percent to 11.98 billion yuan": two figures
                    out.append(f)
                    i += 1
                    continue
                # inherit unit / magnitude from the second number ("10-15%", "between 10 and 15 million")
                if f.unit == "count" and g.unit != "count":
                    f.unit = g.unit
                mag_re = r"\d\s?(thousand|million|billion|trillion|bn|mn|m|k)\b"
                gm = re.search(mag_re, g.raw, re.I)
                if gm and not re.search(mag_re, f.raw, re.I) and f.value < g.value / 100:
                    f.value *= MAGNITUDES[gm.group(1).lower()]
                if is_from:
                    out.append(f)
                    i += 1
                    continue
                merged = Figure(f.start, g.end, min(f.value, g.value) if f.unit == g.unit else f.value,
                                f.unit, hedge=f.hedge or g.hedge, kind="range", raw=text[f.start:g.end])
                out.append(merged)
                i += 2
                continue
        out.append(f)
        i += 1
    for f in out:
        f.value = _clean(f.value)
    return out
