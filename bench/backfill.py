"""Backfill benchmark: records/s and peak memory of `backfill --warc` over a generated WARC file.

Two measurements, each in its own process so peak RSS is its own:

- ``--stage read``: stream the WARC (flows.warc.iter_warc, what the backfill reads with) and build the items and
  pages of each batch, no tagging: shows reading is bounded in memory at any N (run it at 50,000+ records);
- ``--stage full``: the real ``backfill`` Prefect flow (extraction, dedup, tagging, store, WARC archive, keyword
  index) into a fresh warehouse. Full tagging costs ~0.1-0.3 s per page on this machine, so run it at the sizes
  time allows and compare two of them: flat peak RSS = bounded.

    python bench/backfill.py --records 50000 --stage read
    python bench/backfill.py --records 300 --stage full
    python bench/backfill.py --records 1200 --stage full
    python bench/backfill.py --records 50000 --stage full --mix 0.05   # a CC-NEWS-like mix through the whole flow

Peak RSS is reported for the flow's process (``rss_self_mb``: reading, batching, storing; ``rss_self_mb_by_tenth``:
its highest sample in each tenth of the run, so one run shows whether it levels off) and for the largest worker
process (``rss_workers_mb``: trafilatura + spaCy, a fixed cost). ``SURVWATCH_DB_MEMORY_MB`` and
``SURVWATCH_DEDUP_MAX_SIGNATURES`` (flows/settings.py) cap DuckDB's cache and the near-duplicate index.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDS = ("surveillance camera contract police city council data privacy vendor network facial recognition "
         "system footage retention court oversight budget ministry tender smart city analytics platform "
         "Hikvision Huawei Kenya Nairobi Uganda Kampala installed million dollars").split()


def page(i: int) -> bytes:
    paras = "".join("<p>" + " ".join(WORDS[(i * 13 + p * 7 + k * 3) % len(WORDS)] for k in range(70)) + ".</p>"
                    for p in range(5))
    return (f"<html><head><title>Report {i}</title><meta property='article:published_time' "
            f"content='{(dt.date(2019, 1, 1) + dt.timedelta(days=i % 2000)).isoformat()}'></head><body><nav>home "
            f"news</nav><article><h1>Report {i} on city surveillance</h1>{paras}</article></body></html>").encode()


def mixed_page(i: int, share: float, rng) -> bytes:
    """A general-news page, or every (1/share)-th a surveillance one: bench/pipeline.py's generated pages (~800
    words in realistic boilerplate), as a CC-NEWS crawl mostly holds news about everything else."""
    from bench.pipeline import make_page

    step = max(1, round(1 / share))
    return make_page(i, rng, "https://bench.example", offtopic=i % step != 0)


def write_warc(path: Path, records: int, mix: float | None = None) -> float:
    import random

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(11)
    started = time.perf_counter()
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)
        for i in range(records):
            url = f"https://bench{i % 50}.example/story/{i}"
            if i % 10 == 0:  # a request record now and then, as in crawl output
                w.write_record(w.create_warc_record(url, "request", payload=BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            w.write_record(w.create_warc_record(
                url, "response", payload=BytesIO(page(i) if mix is None else mixed_page(i, mix, rng)),
                http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                              protocol="HTTP/1.1")))
    return time.perf_counter() - started


def rss_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


class RssSampler:
    """The flow process's resident memory every ``interval`` seconds during the run, reported as the highest
    sample in each tenth of the run: flat tenths = memory bounded, not growing with the records read."""

    def __init__(self, interval: float = 2.0):
        import threading

        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def _run(self, interval: float) -> None:
        started = time.perf_counter()
        while not self._stop.wait(interval):
            with open("/proc/self/statm") as f:
                pages = int(f.read().split()[1])
            self.samples.append((time.perf_counter() - started, pages * os.sysconf("SC_PAGE_SIZE") / 2**20))

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def by_tenth(self) -> list[float]:
        if not self.samples:
            return []
        end = self.samples[-1][0]
        tenths = [0.0] * 10
        for t, mb in self.samples:
            k = min(9, int(10 * t / end)) if end else 0
            tenths[k] = max(tenths[k], mb)
        return [round(mb, 1) for mb in tenths]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=50_000, help="response records in the generated WARC")
    parser.add_argument("--stage", choices=["read", "full"], default="read")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mix", type=float, default=None, metavar="SHARE",
                        help="general-news pages with only this share on surveillance (bench/newsmix.py), as in a "
                             "CC-NEWS crawl; default: every page on surveillance")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="survwatch-bench-backfill-"))
    src = tmp / "input.warc.gz"
    gen_s = write_warc(src, args.records, args.mix)
    out: dict = {"stage": args.stage, "records": args.records, "mix": args.mix, "warc_mb": round(src.stat().st_size / 2**20, 1),
                 "generate_s": round(gen_s, 1)}
    if args.stage == "read":
        from flows.backfill import warc_batches

        skips: Counter = Counter()
        started = time.perf_counter()
        n = batches = 0
        for items, pages in warc_batches(src, args.batch_size, 5_000_000, "bench", skips):
            n += len(items)
            batches += 1
        seconds = time.perf_counter() - started
        out.update(pages=n, batches=batches, skipped=dict(skips), seconds=round(seconds, 2),
                   records_per_s=round(n / seconds, 1), rss_self_mb=rss_mb(resource.RUSAGE_SELF))
    else:
        os.environ.setdefault("PREFECT_HOME", str(tmp / "prefect"))
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")
        os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        from prefect.testing.utilities import prefect_test_harness

        from flows.backfill import backfill
        from flows.settings import Settings

        s = Settings(db=tmp / "bench.duckdb", batch_size=args.batch_size, workers=args.workers)
        with prefect_test_harness(server_startup_timeout=120), RssSampler() as sampler:
            started = time.perf_counter()
            report = backfill(warc_files=[str(src)], db_path=str(s.db), settings=s)
            seconds = time.perf_counter() - started
        run = report["run"]
        from bench.pipeline import tagging_counts

        out["tagging"] = tagging_counts(s.db)
        out.update(stored=run["stored"], skipped=run["skipped"], failed=run["failed"], seconds=round(seconds, 2),
                   records_per_s=round(run["items_seen"] / seconds, 2),
                   stages_busy_s={k: round(v, 2) for k, v in report["timings"].items()},
                   rss_self_mb=rss_mb(resource.RUSAGE_SELF), rss_self_mb_by_tenth=sampler.by_tenth(),
                   rss_workers_mb=rss_mb(resource.RUSAGE_CHILDREN),
                   warehouse_mb=round(s.db.stat().st_size / 2**20, 1),
                   archive_mb=round(sum(p.stat().st_size for p in (tmp / "warc").glob("*.warc.gz")) / 2**20, 1))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
