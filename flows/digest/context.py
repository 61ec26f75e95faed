"""The digest's view model: warehouse data -> display-ready values for both templates."""
from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from .formatting import (CHART_VENDORS, TOP, _day, _link, _num, country_name, fmt_claim, fmt_signed, fmt_value, sparkline)
from .text import clean, safe_url


def build_context(data: dict[str, Any], *, tech_labels: dict[str, str] | None = None) -> dict[str, Any]:
    """Display-ready values for both templates (top lines, labels, signed changes, sparklines)."""
    tech_labels = tech_labels or {}

    def label(kind: str, entity: str) -> str:
        if kind == "country":
            return clean(country_name(entity), 40)
        if kind == "technology":
            return clean(tech_labels.get(entity) or entity.replace("_", " "), 40)
        return clean(entity, 40)

    def top(rows: list[dict[str, Any]], n: int = TOP) -> tuple[list[dict[str, Any]], int]:
        return rows[:n], max(0, len(rows) - n)

    def movers(kind: str) -> dict[str, Any]:
        rows, more = top(data["vendors" if kind == "vendor" else "countries"])
        series = data["series"].get(kind, {})
        out = []
        for r in rows:
            values = series.get(r["entity"], [])
            out.append({"label": label(kind, r["entity"]), "short": clean(label(kind, r["entity"]), 22),
                        "code": r["entity"] if kind == "country" else "",
                        "articles": int(r["articles"]), "stories": int(r["stories"]),
                        "baseline": _num(round(r["baseline"], 1)), "change": fmt_signed(r["change"]),
                        "direction": "up" if r["change"] > 0 else "down" if r["change"] < 0 else "flat",
                        "is_new": bool(r["is_new"]), "spark": sparkline(values),
                        "link": _link(r["example_url"], r["example_title"], r["example_outlet"])})
        return {"rows": out, "more": more}

    def deal(d: dict[str, Any]) -> dict[str, Any]:
        techs = [label("technology", t) for t in (d["technologies"] or [])]
        return {"vendor": clean(d["vendor"], 40), "country": label("country", d["country"]),
                "code": clean(d["country"], 3), "kind": clean(d["kind"], 20),
                "technology": ", ".join(techs) or "technology not stated",
                "years": ", ".join(str(y) for y in (d["years"] or [])), "articles": int(d["articles"]),
                "evidence": clean(d["evidence"], 240), "link": _link(d["url"], d["title"], d["outlet"])}

    def candidate(v: dict[str, Any]) -> dict[str, Any]:
        return {"name": clean(v["name"], 60), "articles": int(v["articles"]), "outlets": int(v["outlets"]),
                "evidence": clean(v["evidence"], 240), "link": _link(v["url"], v["title"], v["outlet"])}

    def claim(c: dict[str, Any]) -> dict[str, Any]:
        return {"text": fmt_claim(c["metric"], c["direction"], c["value"], c["unit"]),
                "place": label("country", c["place"]) if c["place"] else "",
                "year": c["year"] or "", "claimant": clean(c["claimant"], 60),
                "hedged": bool(c["hedged"]), "copies": int(c.get("copies") or 1),
                "sentence": clean(c["sentence"], 240), "link": _link(c["article_url"], c["title"], c["outlet"])}

    def spread(s: dict[str, Any]) -> dict[str, Any]:
        claimants = [clean(x, 40) for x in (s["claimants"] or [])]
        same = s["min_value"] == s["max_value"]
        return {"text": fmt_claim(s["metric_family"], s["direction"], s["value"], s["unit"]),
                "range": "" if same else f"{fmt_value(s['min_value'], s['unit'])}–{fmt_value(s['max_value'], s['unit'])}",
                "place": label("country", s["place"]) if s["place"] else "", "year": s["year"] or "",
                "outlets": int(s["outlets"]), "articles": int(s["articles"]), "stories": int(s["stories"]),
                "this_week": int(s["articles_this_week"]),
                "without_claimant": int(s["articles_without_claimant"]),
                "claimants": ", ".join(claimants[:3]) + (f" +{len(claimants) - 3}" if len(claimants) > 3 else ""),
                "first_claimant": clean(s["first_claimant"], 60),
                "first_seen": _day(s["first_appeared_at"]),
                "sentence": clean(s["first_sentence"], 240),
                "link": _link(s["first_url"], s["first_title"], s["first_outlet"])}

    def conflict(k: dict[str, Any]) -> dict[str, Any]:
        side = {}
        for p in ("a", "b"):
            side[p] = {"text": fmt_claim(k["metric_family"], k[f"{p}_direction"], k[f"{p}_value"], k["unit"]),
                       "claimant": clean(k[f"{p}_claimant"], 60), "articles": int(k[f"{p}_articles"]),
                       "link": _link(k[f"{p}_url"], None, k[f"{p}_outlet"])}
        return {"kind": "opposite directions" if k["conflict"] == "direction" else "different figures",
                "place": label("country", k["place"]), "year": k["year"] or "", "a": side["a"], "b": side["b"]}

    def check(c: dict[str, Any]) -> dict[str, Any]:
        return {"text": fmt_claim(c["metric"], c["direction"], c["value"], c["unit"]),
                "place": label("country", c["place"]), "year": c["year"] or "",
                "claimant": clean(c["claimant"], 60),
                "reference": fmt_value(c["reference_value"], c["unit"]),
                "reference_metric": clean(c["reference_metric"], 60), "period": clean(c["reference_period"], 20),
                "reference_url": safe_url(c["reference_source_url"]),
                "reference_host": clean(urlsplit(str(c["reference_source_url"] or "")).netloc, 60),
                "difference": fmt_signed(c["difference"] or 0),
                "sentence": clean(c["sentence"], 240), "link": _link(c["article_url"], c["title"], c["outlet"])}

    def to_check(t: dict[str, Any]) -> dict[str, Any]:
        same = t["min_value"] == t["max_value"]
        return {"key": clean(t["claim_key"], 12),
                "text": fmt_claim(t["metric_family"], t["direction"], t["value"], t["unit"]),
                "range": "" if same else f"{fmt_value(t['min_value'], t['unit'])}–{fmt_value(t['max_value'], t['unit'])}",
                "place": label("country", t["place"]) if t["place"] else "", "year": t["year"] or "",
                "outlets": int(t["outlets"]), "articles": int(t["articles"]), "stories": int(t["stories"]),
                "this_week": int(t["articles_this_week"]), "conflicts": int(t["conflicts"]),
                "claimant": "" if t["no_claimant"] else clean(t["first_claimant"] or ", ".join(t["claimants"][:3]), 60),
                "sentence": clean(t["first_sentence"], 240),
                "link": _link(t["first_url"], t["first_title"], t["first_outlet"])}

    def came_back(r: dict[str, Any]) -> dict[str, Any]:
        evidence = safe_url(r["evidence_url"])
        return {"key": clean(r["claim_key"], 12), "verdict": clean(r["verdict"], 20),
                "text": fmt_claim(r["metric_family"], r["direction"], r["value"], r["unit"]),
                "place": label("country", r["place"]) if r["place"] else "",
                "reviewed": _day(r["reviewed_at"]), "reviewer": clean(r["reviewer"], 40),
                "note": clean(r["note"], 200), "evidence_url": evidence,
                "evidence_host": clean(urlsplit(evidence).netloc, 60) if evidence else "",
                "claimant": clean(r["claimant"], 60), "copies": int(r.get("copies") or 1),
                "sentence": clean(r["sentence"], 240), "link": _link(r["article_url"], r["title"], r["outlet"])}

    def feed(f: dict[str, Any]) -> dict[str, Any]:
        why = {"failing": f"failing: {f['consecutive_failures']} failed fetches in a row",
               "never_fetched": "never fetched",
               "quiet": "quiet: no new item in 14 days" if f["last_new_item_at"] else "quiet: never a new item"}
        return {"title": clean(f["title"], 70) or clean(f["url"], 70), "url": safe_url(f["url"]),
                "status": f["status"], "why": why.get(f["status"], f["status"]),
                "error": clean(f["last_error"], 60), "last_new": _day(f["last_new_item_at"]),
                "last_success": _day(f["last_success_at"])}

    h = data["headline"]
    start = data["week_start"]
    last_day = data["week_end"] - dt.timedelta(days=1)
    new_entities, new_more = top(data["new_entities"], 8)
    pairs, pairs_more = top(data["new_pairs"])
    known, known_more = top(data["known_pair_deals"], 3)
    new_vendors, new_vendors_more = top(data["new_vendors"], 3)
    claims, claims_more = top(data["new_claims"])
    spreading, spreading_more = top(data["spreading"])
    conflicts, conflicts_more = top(data["conflicts"], 3)
    checks, checks_more = top(data["reference_checks"], 3)
    feeds, feeds_more = top(data["feeds"])
    back, back_more = top(data.get("false_claims_back", []))
    to_review, to_review_more = top(data.get("claims_to_check", []))
    chart_names = [label("vendor", r["entity"]) for r in data["vendors"][:CHART_VENDORS]]
    ws = data["week_start"].strftime("%Y-%m-%d")
    we = data["week_end"].strftime("%Y-%m-%d")
    return {
        "week": data["week"],
        "period": f"{start.strftime('%a')} {_day(start)} – {last_day.strftime('%a')} {_day(last_day)}",
        "generated": data["generated_at"].strftime("%Y-%m-%d %H:%M UTC"),
        "empty": int(h["articles"]) == 0,
        "headline": {"articles": int(h["articles"]), "outlets": int(h["outlets"]), "stories": int(h["stories"]),
                     "items": int(h["items"]), "feeds_failing": int(h["feeds_failing"]),
                     "feeds_quiet": int(h["feeds_quiet"]), "feeds_never": int(h["feeds_never_fetched"])},
        "counts": data["counts"],
        # "en 40 · es 7 · pt 3 (names only) · de 1 (names only)": which languages the week's articles were in
        "languages": [{"language": clean(r["language"], 12), "articles": int(r["articles"]),
                       "names_only": r["tagging"] == "entities_only"} for r in data.get("languages", [])],
        "vendors": movers("vendor"),
        "countries": movers("country"),
        "new_entities": [{"label": label(e["entity_type"], e["entity"]), "kind": e["entity_type"],
                          "articles": int(e["articles"]),
                          "link": _link(e["example_url"], e["example_title"], e["example_outlet"])}
                         for e in new_entities],
        "new_entities_more": new_more,
        "series_weeks": data["series_weeks"],
        "chart_alt": ("Line chart: weekly articles mentioning " + ", ".join(chart_names)
                      + f", {data['series_weeks'][0]} to {data['series_weeks'][-1]}") if chart_names else "",
        "new_pairs": [deal(d) for d in pairs], "new_pairs_more": pairs_more,
        "known_deals": [deal(d) for d in known], "known_deals_more": known_more,
        "new_vendors": [candidate(v) for v in new_vendors], "new_vendors_more": new_vendors_more,
        "claims": [claim(c) for c in claims], "claims_more": claims_more,
        "spreading": [spread(s) for s in spreading], "spreading_more": spreading_more,
        "conflicts": [conflict(k) for k in conflicts], "conflicts_more": conflicts_more,
        "checks": [check(c) for c in checks], "checks_more": checks_more,
        "feeds": [feed(f) for f in feeds], "feeds_more": feeds_more,
        "came_back": [came_back(r) for r in back], "came_back_more": back_more,
        "to_check": [to_check(t) for t in to_review], "to_check_more": to_review_more,
        "params": f"$week_start = TIMESTAMP '{ws}', $week_end = TIMESTAMP '{we}'",
        "reproduce": [
            ("Headline", "articles ⋈ items", "headline.sql"),
            ("Languages", "articles ⋈ items (language_coverage for all weeks)", "languages.sql"),
            ("What moved", "mentions_weekly (trending for the latest week)", "movers.sql, series.sql"),
            ("Deals", "deals ⋈ items; vendor_country for all weeks", "deals.sql"),
            ("Unlisted firms", "vendor_candidates ⋈ items; unknown_vendors for all weeks", "new_vendors.sql"),
            ("New claims", "claims_ledger", "new_claims.sql"),
            ("Spreading claims", "claim_spread", "spreading.sql"),
            ("Conflicting figures", "claim_conflicts", "conflicts.sql"),
            ("Reference checks", "claim_checks, reference_stats", "reference_checks.sql"),
            ("False claims back", "returning_claims", "false_claims_back.sql"),
            ("Claims to check", "claims_to_review", "claims_to_check.sql"),
            ("Feed health", "feed_health", "feed_health.sql"),
        ],
    }
