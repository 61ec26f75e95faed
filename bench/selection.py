"""Sentence-selective parsing (nlp/selection.py) against parsing every sentence, on the same texts in one run.

    .venv/bin/python bench/selection.py --json                 # every gold set in tests/data + generated pages
    .venv/bin/python bench/selection.py --sets dev holdout --runs 3 --diff

For each gold set (real-news sets only where their texts are cached, see tests/data/realnews/README.md): F1 per
label with selection and without, how many documents' tags differ at all, the share of characters that went
through the statistical components, and tag-stage texts/s both ways (median of --runs, alternating the two
modes so that machine load hits both alike). ``--diff`` prints every differing field.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KEYS = ("vendors", "countries", "technologies", "claims", "deals")


def generated_texts(n: int) -> list[str]:
    """The extracted bodies of bench/pipeline.py's generated surveillance pages."""
    from bench.pipeline import make_page
    from flows.extract import extract_article

    rng = random.Random(3)
    out = []
    for i in range(n):
        doc = extract_article(make_page(i, rng, "http://127.0.0.1").decode())
        if doc is not None:
            out.append(doc.text)
    return out


def timed(tagger: Any, texts: list[str], selective: bool, selector: Any) -> tuple[float, list[dict[str, Any]]]:
    tagger.selector = selector if selective else None
    t = time.perf_counter()
    out = list(tagger.tag_many(texts, batch_size=32))
    return time.perf_counter() - t, out


def parsed_share(selector: Any, texts: list[str]) -> float:
    total = parsed = 0
    for text in texts:
        segs = selector.segments(selector.light_doc(text))
        total += len(text)
        parsed += sum(s.end - s.start for s in segs if s.parse)
    return parsed / total if total else 0.0


def compare(name: str, tagger: Any, texts: list[str], docs: list[str], gold: list[dict[str, Any]] | None,
            runs: int, show_diff: bool) -> dict[str, Any]:
    from nlp.evaluate import evaluate

    selector = tagger.selector
    times: dict[bool, list[float]] = {True: [], False: []}
    outs: dict[bool, list[dict[str, Any]]] = {}
    for _ in range(runs):
        for mode in (False, True):
            el, outs[mode] = timed(tagger, texts, mode, selector)
            times[mode].append(el)
    tagger.selector = selector
    differ = 0
    for doc, a, b in zip(docs, outs[False], outs[True]):
        fields = [k for k in KEYS if a[k] != b[k]]
        differ += bool(fields)
        if show_diff:
            for k in fields:
                print(f"[{name}] {doc} {k}\n  every sentence: {a[k]}\n  selective:      {b[k]}", file=sys.stderr)
    row: dict[str, Any] = {"texts": len(texts), "docs_differing": differ,
                           "parsed_share": round(parsed_share(selector, texts), 3)}
    for mode, label in ((False, "every_sentence"), (True, "selective")):
        row[f"{label}_texts_per_s"] = round(len(texts) / statistics.median(times[mode]), 2)
        if gold is not None:
            rep = evaluate([{"doc": d, **t} for d, t in zip(docs, outs[mode])], gold)
            row[f"{label}_f1"] = {k: round(v["f1"], 3) for k, v in rep["labels"].items()}
    row["speedup"] = round(row["selective_texts_per_s"] / row["every_sentence_texts_per_s"], 2)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="*", help="gold set directory names under tests/data (default: all)")
    parser.add_argument("--generated", type=int, default=80, help="generated surveillance pages (0: none)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--diff", action="store_true", help="print every differing field to stderr")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from flows.goldsets import load_gold_set
    from nlp.languages.pipeline import load_language_tagger
    from nlp.langid import detect_language
    from nlp.tagger import load_tagger

    taggers: dict[str, Any] = {"en": load_tagger()}
    report: dict[str, Any] = {}
    data = ROOT / "tests" / "data"
    names = args.sets or sorted(p.name for p in data.iterdir() if (p / "gold.jsonl").is_file())
    for name in names:
        gs = load_gold_set(data / name)
        if not gs.gold:
            continue
        by_lang: dict[str, list[int]] = {}
        for i, text in enumerate(gs.texts):
            by_lang.setdefault(detect_language(text)[0], []).append(i)
        for lang, idxs in sorted(by_lang.items()):
            if lang not in taggers:
                taggers[lang] = load_language_tagger(lang)[0]
            tagger = taggers[lang]
            if tagger.selector is None:
                continue  # nothing statistical to skip (blank pipelines: es, pt)
            docs = [gs.docs[i] for i in idxs]
            gold = [g for g in gs.gold if g["doc"] in set(docs)]
            report[f"{name}/{lang}"] = compare(name, tagger, [gs.texts[i] for i in idxs], docs, gold, args.runs,
                                               args.diff)
            if not args.json:
                print(f"{name}/{lang}: {report[f'{name}/{lang}']}", flush=True)
    if args.generated:
        texts = generated_texts(args.generated)
        report["generated"] = compare("generated", taggers["en"], texts, [str(i) for i in range(len(texts))], None,
                                      args.runs, args.diff)
        if not args.json:
            print(f"generated: {report['generated']}")
    if args.json:
        print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
