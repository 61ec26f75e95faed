"""Validate an annotated set (DIR/gold.jsonl against DIR/*.txt) and nlp/CONVENTIONS.md.

Run: python tests/data/validate_gold.py tests/data/dev --words 120-400   (needs pycountry)
     python tests/data/validate_gold.py tests/data/holdout --words 150-450
     python tests/data/validate_gold.py tests/data/realnews --manifest   (real-news set: manifest.jsonl + gold.jsonl,
         texts in ${SURVWATCH_REALNEWS_CACHE:-~/.cache/survwatch/realnews}/<set>/; no text in the repo)
"""
import argparse
import hashlib
import os
import json
import pathlib
import re
import sys

import pycountry

CONV = pathlib.Path(__file__).resolve().parents[2] / "nlp" / "CONVENTIONS.md"

TECHS = {"facial_recognition", "cctv", "safe_city", "imsi_catcher", "spyware", "phone_forensics", "biometric_id",
         "internet_filtering", "social_media_monitoring", "predictive_policing", "lpr", "lawful_intercept",
         "gunshot_detection", "drones", "data_analytics"}
KINDS = {"contract", "supply", "donation", "loan", "office", "ban"}
DIRECTIONS = {"increase", "decrease", "level"}
TOP_KEYS = ["doc", "vendors", "countries", "technologies", "claims", "deals"]
CLAIM_KEYS = ["text", "start", "end", "metric", "direction", "value", "unit", "place", "year", "source", "hedged"]
DEAL_KEYS = ["vendor", "country", "kind", "technology", "year", "text"]


def canonical_vendors():
    text = CONV.read_text(encoding="utf-8")
    block = text.split("Canonical names (use exactly these strings):", 1)[1].split("## countries", 1)[0]
    names = set()
    for part in block.replace("\n", " ").split(","):
        name = re.sub(r"\(.*?\)", "", part).strip()
        if name:
            names.add(name)
    # open world: every name of the gazetteer is canonical too (a firm in a supplier role is a vendor)
    import yaml

    seeds = CONV.parents[1] / "seeds" / "vendors.yaml"
    names |= {e["name"] for e in yaml.safe_load(seeds.read_text(encoding="utf-8")) or []}
    return names


def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def validate(HERE: pathlib.Path, min_words: int, max_words: int) -> int:
    errs = []
    vendors_ok = canonical_vendors()
    iso2 = {c.alpha_2 for c in pycountry.countries}
    txts = sorted(p.name for p in HERE.glob("*.txt"))
    lines = (HERE / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    recs = []
    for i, line in enumerate(lines, 1):
        try:
            recs.append(json.loads(line))
        except json.JSONDecodeError as e:
            errs.append(f"line {i}: {e}")
    docs = [r.get("doc") for r in recs]
    if docs != txts:
        errs.append(f"docs/files mismatch: {set(docs) ^ set(txts)} or order differs")
    n = {"vendor_mentions": 0, "countries": 0, "claims": 0, "deals": 0}
    for r in recs:
        d = r.get("doc")
        if list(r) != TOP_KEYS:
            errs.append(f"{d}: keys {list(r)}")
        path = HERE / d
        if not path.exists():
            continue
        content = path.read_text(encoding="utf-8")
        words = len(content.split())
        if not min_words <= words <= max_words:
            errs.append(f"{d}: {words} words")
        for key in ("vendors", "countries", "technologies"):
            if r[key] != sorted(set(r[key])):
                errs.append(f"{d}: {key} not sorted/deduplicated")
        for v in r["vendors"]:
            if v not in vendors_ok:
                errs.append(f"{d}: non-canonical vendor {v!r}")
        for c in r["countries"]:
            if c not in iso2:
                errs.append(f"{d}: bad ISO2 {c!r}")
        for t in r["technologies"]:
            if t not in TECHS:
                errs.append(f"{d}: bad technology {t!r}")
        n["vendor_mentions"] += len(r["vendors"])
        n["countries"] += len(r["countries"])
        for c in r["claims"]:
            n["claims"] += 1
            if list(c) != CLAIM_KEYS:
                errs.append(f"{d}: claim keys {list(c)}")
            if content[c["start"]:c["end"]] != c["text"]:
                errs.append(f"{d}: offsets wrong for {c['text'][:50]!r}")
            if not is_num(c["value"]):
                errs.append(f"{d}: value not a number {c['value']!r}")
            if c["direction"] not in DIRECTIONS:
                errs.append(f"{d}: direction {c['direction']!r}")
            if not isinstance(c["unit"], str) or not c["unit"]:
                errs.append(f"{d}: unit {c['unit']!r}")
            if not isinstance(c["metric"], str) or c["metric"] != c["metric"].lower():
                errs.append(f"{d}: metric {c['metric']!r}")
            if c["place"] is not None and c["place"] not in iso2:
                errs.append(f"{d}: place {c['place']!r}")
            if c["place"] is not None and c["place"] not in r["countries"]:
                errs.append(f"{d}: place {c['place']} not in countries")
            if c["year"] is not None and not (isinstance(c["year"], int) and str(c["year"]) in c["text"]):
                errs.append(f"{d}: year {c['year']!r} not an int stated in the sentence")
            if c["source"] is not None and c["source"] not in c["text"] and c["source"] not in content:
                errs.append(f"{d}: source {c['source']!r} not in text")
            if not isinstance(c["hedged"], bool):
                errs.append(f"{d}: hedged {c['hedged']!r}")
        seen = set()
        for x in r["deals"]:
            n["deals"] += 1
            if list(x) != DEAL_KEYS:
                errs.append(f"{d}: deal keys {list(x)}")
            if x["text"] not in content:
                errs.append(f"{d}: deal text not verbatim {x['text'][:50]!r}")
            if x["vendor"] not in vendors_ok or x["vendor"] not in r["vendors"]:
                errs.append(f"{d}: deal vendor {x['vendor']!r}")
            if x["country"] not in iso2 or x["country"] not in r["countries"]:
                errs.append(f"{d}: deal country {x['country']!r}")
            if x["kind"] not in KINDS:
                errs.append(f"{d}: deal kind {x['kind']!r}")
            if x["technology"] is not None and x["technology"] not in TECHS:
                errs.append(f"{d}: deal technology {x['technology']!r}")
            if x["year"] is not None and not isinstance(x["year"], int):
                errs.append(f"{d}: deal year {x['year']!r}")
            key = (x["vendor"], x["country"], x["kind"])
            if key in seen:
                errs.append(f"{d}: duplicate deal {key}")
            seen.add(key)
    print(f"docs={len(recs)} " + " ".join(f"{k}={v}" for k, v in n.items()))
    if errs:
        print("\n".join(errs))
        return 1
    print("OK")
    return 0


MANIFEST_KEYS = ["doc", "url", "outlet", "published", "language", "sha256", "chars", "query", "note"]
RN_CLAIM_KEYS = ["start", "end", "metric", "direction", "value", "unit", "place", "year", "source", "hedged"]
RN_DEAL_KEYS = ["vendor", "country", "kind", "technology", "year", "start", "end"]
SENT_END = set(".!?\"\u201d)")


def cache_dir(setdir: pathlib.Path) -> pathlib.Path:
    root = os.environ.get("SURVWATCH_REALNEWS_CACHE") or os.path.expanduser("~/.cache/survwatch/realnews")
    return pathlib.Path(root) / setdir.name


def sentenceish(text: str, start: int, end: int) -> bool:
    """start at the text start, a line start or after sentence-final punctuation + space; end at punctuation or line end."""
    if not (0 <= start < end <= len(text)):
        return False
    glued = text[start - 1:start] in (".", "!", "?") and text[start:start + 1].isupper()  # "...$400,000.Oakland" page residue
    ok_start = start == 0 or glued or not text[:start].strip() or text[start - 1] == "\n" or (text[start - 1] in " \t" and (
        text[:start].rstrip()[-1:] in SENT_END or text[:start].rstrip(" \t")[-1:] == "\n"))
    ok_end = text[end - 1] in SENT_END or end == len(text) or text[end] == "\n"
    return ok_start and ok_end


def validate_manifest(HERE: pathlib.Path) -> int:
    errs = []
    iso2 = {c.alpha_2 for c in pycountry.countries}
    man = [json.loads(x) for x in (HERE / "manifest.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    gold = [json.loads(x) for x in (HERE / "gold.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    mdocs, gdocs = [m.get("doc") for m in man], [g.get("doc") for g in gold]
    if mdocs != sorted(mdocs):
        errs.append("manifest not in file-name order")
    if mdocs != gdocs:
        errs.append(f"manifest/gold docs differ: {set(mdocs) ^ set(gdocs)} or order differs")
    if len(set(mdocs)) != len(mdocs):
        errs.append("duplicate doc names in manifest")
    for m in man:
        if list(m) != MANIFEST_KEYS:
            errs.append(f"{m.get('doc')}: manifest keys {list(m)}")
        if not re.fullmatch(r"[0-9a-f]{64}", str(m.get("sha256"))):
            errs.append(f"{m.get('doc')}: bad sha256")
        if m.get("published") is not None and not re.fullmatch(r"\d{4}(-\d{2})?", str(m["published"])):
            errs.append(f"{m.get('doc')}: published {m['published']!r}")
    cache = cache_dir(HERE)
    texts, missing = {}, 0
    for m in man:
        f = cache / m["doc"]
        if not f.exists():
            missing += 1
            continue
        t = f.read_text(encoding="utf-8")
        if hashlib.sha256(t.encode("utf-8")).hexdigest() != m["sha256"]:
            errs.append(f"{m['doc']}: sha256 of cached text differs from manifest")
        if len(t) != m["chars"]:
            errs.append(f"{m['doc']}: chars {len(t)} != manifest {m['chars']}")
        texts[m["doc"]] = t
    n = {"vendor_mentions": 0, "countries": 0, "claims": 0, "deals": 0}
    for r in gold:
        d = r.get("doc")
        if list(r) != TOP_KEYS:
            errs.append(f"{d}: keys {list(r)}")
            continue
        t = texts.get(d)
        for key in ("vendors", "countries", "technologies"):
            if r[key] != sorted(set(r[key])):
                errs.append(f"{d}: {key} not sorted/deduplicated")
        for v in r["vendors"]:
            if not isinstance(v, str) or not v.strip() or v != v.strip():
                errs.append(f"{d}: bad vendor {v!r}")
        for c in r["countries"]:
            if c not in iso2:
                errs.append(f"{d}: bad ISO2 {c!r}")
        for tech in r["technologies"]:
            if tech not in TECHS:
                errs.append(f"{d}: bad technology {tech!r}")
        n["vendor_mentions"] += len(r["vendors"])
        n["countries"] += len(r["countries"])
        for c in r["claims"]:
            n["claims"] += 1
            if "text" in c:
                errs.append(f"{d}: claim carries a text key")
            if list(c) != RN_CLAIM_KEYS:
                errs.append(f"{d}: claim keys {list(c)}")
                continue
            if not is_num(c["value"]):
                errs.append(f"{d}: value not a number {c['value']!r}")
            if c["direction"] not in DIRECTIONS:
                errs.append(f"{d}: direction {c['direction']!r}")
            if not isinstance(c["unit"], str) or not c["unit"]:
                errs.append(f"{d}: unit {c['unit']!r}")
            if not isinstance(c["metric"], str) or c["metric"] != c["metric"].lower():
                errs.append(f"{d}: metric {c['metric']!r}")
            if c["place"] is not None and (c["place"] not in iso2 or c["place"] not in r["countries"]):
                errs.append(f"{d}: place {c['place']!r}")
            if c["year"] is not None and not isinstance(c["year"], int):
                errs.append(f"{d}: year {c['year']!r}")
            if not isinstance(c["hedged"], bool):
                errs.append(f"{d}: hedged {c['hedged']!r}")
            if t is not None:
                if not sentenceish(t, c["start"], c["end"]):
                    errs.append(f"{d}: claim offsets {c['start']}-{c['end']} not on sentence boundaries")
                elif c["year"] is not None and str(c["year"]) not in t[c["start"]:c["end"]]:
                    errs.append(f"{d}: year {c['year']} not stated in the sentence")
                if c["source"] is not None and c["source"] not in t:
                    errs.append(f"{d}: source {c['source']!r} not in text")
        seen = set()
        for x in r["deals"]:
            n["deals"] += 1
            if "text" in x:
                errs.append(f"{d}: deal carries a text key")
            if list(x) != RN_DEAL_KEYS:
                errs.append(f"{d}: deal keys {list(x)}")
                continue
            if x["vendor"] not in r["vendors"]:
                errs.append(f"{d}: deal vendor {x['vendor']!r} not in vendors")
            if x["country"] not in iso2 or x["country"] not in r["countries"]:
                errs.append(f"{d}: deal country {x['country']!r}")
            if x["kind"] not in KINDS:
                errs.append(f"{d}: deal kind {x['kind']!r}")
            if x["technology"] is not None and x["technology"] not in TECHS:
                errs.append(f"{d}: deal technology {x['technology']!r}")
            if x["year"] is not None and not isinstance(x["year"], int):
                errs.append(f"{d}: deal year {x['year']!r}")
            if t is not None and not sentenceish(t, x["start"], x["end"]):
                errs.append(f"{d}: deal offsets {x['start']}-{x['end']} not on sentence boundaries")
            key = (x["vendor"], x["country"], x["kind"])
            if key in seen:
                errs.append(f"{d}: duplicate deal {key}")
            seen.add(key)
    print(f"docs={len(gold)} " + " ".join(f"{k}={v}" for k, v in n.items()))
    if missing:
        print(f"cache missing: {missing} docs (see {HERE}/README.md)")
    if errs:
        print("\n".join(errs))
        return 1
    print("OK")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=pathlib.Path)
    parser.add_argument("--words", default="120-450", help="allowed words per document, MIN-MAX")
    parser.add_argument("--manifest", action="store_true",
                        help="validate a real-news set (manifest.jsonl + gold.jsonl, texts in the cache)")
    args = parser.parse_args(argv)
    if args.manifest:
        return validate_manifest(args.directory.resolve())
    low, high = (int(x) for x in args.words.split("-"))
    return validate(args.directory.resolve(), low, high)


if __name__ == "__main__":
    sys.exit(main())
