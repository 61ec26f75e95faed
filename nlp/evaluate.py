"""Scoring tagger output against a gold set (both lists of CONVENTIONS.md dicts keyed by "doc").

- vendors / countries / technologies: per-doc sets, case-insensitive, micro-averaged over docs.
- claims: per doc, one-to-one greedy matching on value (within 1% relative or 0.05 absolute),
  unit (case-insensitive) and, when both sides carry offsets, overlapping spans
  (gold may give ``span: [start, end]`` instead of start/end).
- deals: per doc, one-to-one on (vendor, country), case-insensitive.
- attributes: accuracy over matched pairs. direction/place/source/hedged on matched claims;
  metric = share of matched claims (with a gold metric) whose metric head noun equals the gold one's;
  kind on matched deals; unit on claims matched by value and span *ignoring* unit (otherwise it
  would be trivially 1.0 because unit is part of the claim match).
- Docs present only in the prediction are ignored; gold docs without a prediction count as empty.
"""
from __future__ import annotations

import re
from typing import Any, Callable

LABELS = ("vendors", "countries", "technologies", "claims", "deals")
ATTRIBUTES = ("direction", "place", "source", "unit", "hedged", "kind", "metric")


def metric_head(metric: Any) -> str | None:
    """The head noun of a metric phrase: its last word, lowercased, plural -s dropped
    ("surveillance cameras" -> "camera", "crime rate" -> "rate")."""
    # the noun heading the phrase: cut a post-modifier ("accounts reviewed per day", "women among targets",
    # "investigations relying on ..."), then trailing participles ("phones infected", "staff laid off")
    text = re.split(r"\b(?:per|among|of|for|in|on|relying|with|from)\b", str(metric or "").lower())[0]
    words = re.findall(r"[a-z]+", text)
    while len(words) > 1 and (words[-1].endswith("ed") or words[-1] in ("off", "up", "out", "laid", "stopped")):
        words.pop()
    if not words:
        return None
    w = words[-1]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    if tp + fp + fn == 0:
        p = r = f = 1.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _norm(x: Any) -> str:
    return str(x).strip().lower()


def _span(c: dict[str, Any]) -> tuple[int, int] | None:
    if c.get("span") and len(c["span"]) == 2:
        return int(c["span"][0]), int(c["span"][1])
    if c.get("start") is not None and c.get("end") is not None:
        return int(c["start"]), int(c["end"])
    return None


def _value_eq(a: Any, b: Any) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 0.05 or abs(a - b) <= 0.01 * max(abs(a), abs(b))


_UNIT_SPELLINGS = {"metres": "meters", "metre": "meters", "meter": "meters", "m": "meters", "kilometres": "km",
                   "kilometers": "km", "kilometre": "km", "kilometer": "km", "mile": "miles", "minute": "minutes",
                   "min": "minutes", "mins": "minutes", "year": "years", "month": "months", "day": "days",
                   "hour": "hours", "week": "weeks", "seconds": "seconds", "second": "seconds"}


def norm_unit(u: Any) -> str:
    """Units compared spelling-blind: "metres" = "meters" = "m", "year" = "years"."""
    n = _norm(u)
    return _UNIT_SPELLINGS.get(n, n)


def _claim_match(p: dict[str, Any], g: dict[str, Any], use_unit: bool = True) -> bool:
    if not _value_eq(p.get("value"), g.get("value")):
        return False
    if use_unit and norm_unit(p.get("unit")) != norm_unit(g.get("unit")):
        return False
    ps, gs = _span(p), _span(g)
    if ps and gs and not (ps[0] < gs[1] and gs[0] < ps[1]):
        return False
    return True


def _greedy(pred: list[dict[str, Any]], gold: list[dict[str, Any]],
            match: Callable[[dict[str, Any], dict[str, Any]], bool]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    used: set[int] = set()
    pairs = []
    for p in pred:
        for j, g in enumerate(gold):
            if j not in used and match(p, g):
                used.add(j)
                pairs.append((p, g))
                break
    return pairs


def normalise_source(s: Any) -> list[str]:
    if s is None:
        return []
    s = re.sub(r"^(?:the|a|an)\s+", "", str(s).strip().lower())
    return re.findall(r"[\w']+", s)


def source_equal(a: Any, b: Any) -> bool:
    """Both null = equal; else token overlap / max(len) >= 0.5 after normalisation."""
    ta, tb = normalise_source(a), normalise_source(b)
    if not ta and not tb:
        return True
    if not ta or not tb:
        return False
    overlap = len(set(ta) & set(tb))
    return overlap / max(len(set(ta)), len(set(tb))) >= 0.5


def _attr_equal(name: str, a: Any, b: Any) -> bool:
    if name == "source":
        return source_equal(a, b)
    if name == "hedged":
        return bool(a) == bool(b)
    if a is None or b is None:
        return a is None and b is None
    return _norm(a) == _norm(b)


def evaluate(predicted: list[dict[str, Any]], gold: list[dict[str, Any]]) -> dict[str, Any]:
    pred_by_doc = {d["doc"]: d for d in predicted}
    counts = {lab: [0, 0, 0] for lab in LABELS}
    attr = {a: [0, 0] for a in ATTRIBUTES}  # [correct, total]
    for g in gold:
        p = pred_by_doc.get(g["doc"], {})
        for lab in ("vendors", "countries", "technologies"):
            ps = {_norm(x) for x in p.get(lab) or []}
            gs = {_norm(x) for x in g.get(lab) or []}
            counts[lab][0] += len(ps & gs)
            counts[lab][1] += len(ps - gs)
            counts[lab][2] += len(gs - ps)
        pc, gc = list(p.get("claims") or []), list(g.get("claims") or [])
        pairs = _greedy(pc, gc, _claim_match)
        counts["claims"][0] += len(pairs)
        counts["claims"][1] += len(pc) - len(pairs)
        counts["claims"][2] += len(gc) - len(pairs)
        for pp, gg in pairs:
            for a in ("direction", "place", "source", "hedged"):
                attr[a][1] += 1
                attr[a][0] += _attr_equal(a, pp.get(a), gg.get(a))
            if gg.get("metric"):  # metric quality: head nouns agree (matched claims with a gold metric)
                attr["metric"][1] += 1
                attr["metric"][0] += metric_head(pp.get("metric")) == metric_head(gg.get("metric"))
        for pp, gg in _greedy(pc, gc, lambda x, y: _claim_match(x, y, use_unit=False)):
            attr["unit"][1] += 1
            attr["unit"][0] += norm_unit(pp.get("unit")) == norm_unit(gg.get("unit"))
        pd, gd = list(p.get("deals") or []), list(g.get("deals") or [])
        dpairs = _greedy(pd, gd, lambda x, y: _norm(x.get("vendor")) == _norm(y.get("vendor"))
                         and _norm(x.get("country")) == _norm(y.get("country")))
        counts["deals"][0] += len(dpairs)
        counts["deals"][1] += len(pd) - len(dpairs)
        counts["deals"][2] += len(gd) - len(dpairs)
        for pp, gg in dpairs:
            attr["kind"][1] += 1
            attr["kind"][0] += _attr_equal("kind", pp.get("kind"), gg.get("kind"))
    return {
        "labels": {lab: _prf(*counts[lab]) for lab in LABELS},
        "attributes": {a: (round(c / t, 4) if t else None) for a, (c, t) in attr.items()},
        "attribute_support": {a: t for a, (_, t) in attr.items()},
        "docs": len(gold),
    }


def format_report(report: dict[str, Any]) -> str:
    lines = [f"docs: {report.get('docs', 0)}", "",
             f"{'label':<14}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}"]
    for lab, r in report["labels"].items():
        lines.append(f"{lab:<14}{r['tp']:>6}{r['fp']:>6}{r['fn']:>6}{r['precision']:>8.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}")
    lines += ["", f"{'attribute':<14}{'accuracy':>10}{'n':>6}"]
    support = report.get("attribute_support", {})
    for a, acc in report["attributes"].items():
        shown = "-" if acc is None else f"{acc:.3f}"
        lines.append(f"{a:<14}{shown:>10}{support.get(a, ''):>6}")
    return "\n".join(lines)
