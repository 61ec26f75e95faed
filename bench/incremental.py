"""An incremental night: 100 feeds, nothing new. Times `survwatch run` end to end (a fresh
process, Prefect start-up included) after a first run has seen everything.

    python bench/incremental.py --feeds 100 --runs 3 --json

Half the feeds answer 304 (ETag), half change their bytes but list only known items.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline import BenchWeb  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items-per-feed", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="survwatch-incr-"))
    web = BenchWeb(args.feeds * args.items_per_feed, per_feed=args.items_per_feed, body_words=150)
    opml = web.opml(tmp / "feeds.opml")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update({"PREFECT_HOME": str(tmp / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "SURVWATCH_ALLOWED_HOSTS": web.base.removeprefix("http://"), "SURVWATCH_PER_HOST_DELAY": "0",
                "SURVWATCH_PER_HOST": "8", "SURVWATCH_MIN_ARTICLE_WORDS": "20"})
    cmd = [sys.executable, "-m", "flows.cli", "run", "--feeds", str(opml), "--db", str(tmp / "w.duckdb")]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if first.returncode != 0:
        sys.exit(first.stdout[-2000:] + first.stderr[-2000:])
    # half the feeds now return new bytes (a changed title) but only items already stored
    for k, key in enumerate(sorted(web.feeds)):
        if k % 2:
            web.feeds[key] = web.feeds[key].replace(b"<title>Bench", b"<title>Bench (updated)")
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        out = subprocess.run(cmd, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if out.returncode != 0:
            sys.exit(out.stdout[-2000:] + out.stderr[-2000:])
    web.close()
    result = {"feeds": args.feeds, "runs": args.runs, "median_s": round(statistics.median(times), 2),
              "all_s": [round(t, 2) for t in times], "target_s": 15}
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
