"""Tagger speed in words per second, on one core and on two (one process per core), over the
dev-set texts repeated to a fixed volume. Prints one JSON object with medians of --runs runs.

    python bench/tagger.py --words 200000 --runs 3 --json

The model is loaded before timing (in every process); only ``Tagger.tag_many`` is timed.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

DEV = Path(__file__).resolve().parents[1] / "tests" / "data" / "dev"

_tagger = None


def _init() -> None:
    global _tagger
    from nlp import load_tagger

    _tagger = load_tagger()
    _tagger.tag("warm-up")


def _tag(texts: list[str]) -> float:
    started = time.perf_counter()
    for _ in _tagger.tag_many(texts, batch_size=32):
        pass
    return time.perf_counter() - started


def corpus(words: int) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))]
    out, n = [], 0
    while n < words:
        for t in texts:
            out.append(t)
            n += len(t.split())
            if n >= words:
                break
    return out


def run(texts: list[str], processes: int) -> float:
    """Wall seconds to tag `texts` split over `processes` warm worker processes."""
    with ProcessPoolExecutor(processes, mp_context=get_context("forkserver"), initializer=_init) as pool:
        list(pool.map(_tag, [["warm"]] * processes))  # every worker has loaded the model
        chunks = [texts[i::processes] for i in range(processes)]
        started = time.perf_counter()
        list(pool.map(_tag, chunks))
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    texts = corpus(args.words)
    words = sum(len(t.split()) for t in texts)
    result: dict[str, object] = {"words": words, "texts": len(texts), "runs": args.runs}
    for processes in (1, 2):
        secs = [run(texts, processes) for _ in range(args.runs)]
        result[f"words_per_s_{processes}p"] = round(words / statistics.median(secs))
        result[f"all_s_{processes}p"] = [round(s, 2) for s in secs]
    result["speedup_2p"] = round(result["words_per_s_2p"] / result["words_per_s_1p"], 2)
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
