"""Throughput of the real nightly_ingest flow against the bare trafilatura + spaCy loop.

    python bench/pipeline.py --articles 300 --json

Generates N news pages (~800 words of body inside realistic boilerplate) and feeds listing
them, serves them on 127.0.0.1, runs the real ``nightly_ingest`` flow into a fresh warehouse,
then pushes the same pages through a bare loop of the same trafilatura and tagger calls
using both cores the same way (a 2-process pool), and prints one JSON object.

``--stock-baseline`` also times the loop a user would write without survwatch: trafilatura, then the stock
spaCy model (``spacy.load``, every component, no rule components) over every text, 2 processes.

Prefect's temporary server is started before timing and reported as ``prefect_startup_s``:
it is a once-per-process cost, not per-article work.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

VENDORS = ["Hikvision", "Dahua", "Huawei", "ZTE", "CloudWalk", "Megvii", "SenseTime", "NSO Group", "Cellebrite",
           "Idemia", "NEC", "Clearview AI", "Axis Communications", "Sandvine", "Intellexa", "Palantir"]
PLACES = [("Kenya", "Nairobi"), ("Uganda", "Kampala"), ("Zimbabwe", "Harare"), ("Ecuador", "Quito"),
          ("Serbia", "Belgrade"), ("Brazil", "Salvador"), ("Pakistan", "Lahore"), ("Mexico", "Mexico City"),
          ("the United Kingdom", "London"), ("South Africa", "Johannesburg"), ("Kyrgyzstan", "Bishkek")]
TECH = ["facial recognition cameras", "a safe city platform", "licence plate readers", "phone extraction kits",
        "spyware", "a biometric voter register", "deep packet inspection", "CCTV networks"]
SUBJECTS = ["The interior ministry", "Police officials", "A parliamentary committee", "Local activists",
            "The city council", "An independent auditor", "Researchers at a university", "The company"]
VERBS = ["said", "argued", "reported", "told reporters", "wrote in a statement", "claimed"]
FILLER = ("residents questioned how long recordings would be kept and who could see them, while officials "
          "promised an oversight board that has yet to meet, and lawyers asked for the procurement documents "
          "to be published in full before any further expansion of the network was approved").split()


def sentence(rng: random.Random) -> str:
    v, (country, city), tech = rng.choice(VENDORS), rng.choice(PLACES), rng.choice(TECH)
    kind = rng.randrange(6)
    if kind == 0:
        return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} that crime in {city} fell by {rng.randint(5, 60)} percent after {v} installed {tech}."
    if kind == 1:
        return f"The contract with {v}, worth ${rng.randint(2, 900)} million, was signed by the government of {country} in {rng.randint(2012, 2026)}."
    if kind == 2:
        return f"According to {rng.choice(['police', 'the ministry', 'a watchdog'])}, {rng.randint(100, 9000):,} cameras now cover {city}."
    if kind == 3:
        return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} that nearly {rng.randint(10, 95)} percent of alerts were false positives."
    filler = " ".join(rng.choice(FILLER) for _ in range(rng.randint(14, 26)))
    return f"In {city}, {filler}."


def make_page(i: int, rng: random.Random, base: str, body_words: int = 800, offtopic: bool = False) -> bytes:
    """A news page; ``offtopic``: a general-news story (bench/newsmix.py) instead of a surveillance one."""
    if offtopic:
        from bench.newsmix import offtopic_article

        _, _, text = offtopic_article(rng, words=body_words)
        paragraphs = [f"<p>{p}</p>" for p in text.split("\n\n")]
    else:
        paragraphs, words = [], 0
        while words < body_words:
            para = " ".join(sentence(rng) for _ in range(rng.randint(3, 5)))
            words += len(para.split())
            paragraphs.append(f"<p>{para}</p>")
    headline = "news update" if offtopic else "surveillance update"
    nav = "".join(f"<li><a href='{base}/section/{s}'>{s.title()}</a></li>" for s in
                  ["world", "africa", "americas", "technology", "rights", "opinion", "video", "podcasts"])
    related = "".join(f"<li><a href='{base}/a/{(i * 31 + k) % 997}'>Related story {k}</a></li>" for k in range(6))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Story {i}: {headline}</title>"
            f"<meta name='author' content='Reporter {i % 40}'><meta property='og:site_name' content='Bench Times'>"
            f"<meta property='article:published_time' content='2026-11-{1 + i % 27:02d}'></head><body>"
            f"<header><nav><ul>{nav}</ul></nav><div class='cookie'>We use cookies to improve your experience. "
            f"<button>Accept</button></div></header><div class='ad'>Advertisement: subscribe for $1 a week</div>"
            f"<main><article><h1>Story {i}: {headline}</h1><p class='byline'>By Reporter {i % 40}</p>"
            f"{''.join(paragraphs)}</article><aside><h2>Related</h2><ul>{related}</ul></aside>"
            f"<section class='comments'><h3>Comments</h3><p>Reader {i}: this is worrying.</p>"
            f"<p>Reader {i + 1}: who pays for all this?</p></section></main>"
            f"<footer>© 2026 Bench Times · <a href='{base}/privacy'>Privacy</a> · <a href='{base}/terms'>Terms</a></footer>"
            f"</body></html>").encode()


class BenchWeb:
    """The generated web: pages and feeds served on 127.0.0.1 from a thread, or (``serve=False``, then
    ``serve_from_child``) from a child process, as a remote web would be: the throughput benchmark uses the child,
    because in the flow's own process the server's request threads took the flow's interpreter lock, a cost no
    real deployment pays (the server still shares the machine's two cores)."""

    def __init__(self, n: int, per_feed: int = 100, seed: int = 7, body_words: int = 800,
                 in_scope_share: float = 1.0, serve: bool = True):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.httpd.request_queue_size = 256
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        rng = random.Random(seed)
        # every (1/share)-th page is a surveillance story, the others general news (the --mix benchmark)
        step = max(1, round(1 / in_scope_share)) if in_scope_share > 0 else n + 1
        self.in_scope = {f"/a/{i}" for i in range(n) if i % step == 0}
        self.pages = {f"/a/{i}": make_page(i, rng, self.base, body_words, offtopic=f"/a/{i}" not in self.in_scope)
                      for i in range(n)}
        self.feeds = {}
        for f in range(0, n, per_feed):
            items = "".join(f"<item><title>Story {i}</title><link>{self.base}/a/{i}</link><guid>b{i}</guid>"
                            f"<description>Summary of story {i}.</description></item>" for i in range(f, min(n, f + per_feed)))
            self.feeds[f"/feeds/{f // per_feed}.rss"] = (
                f"<?xml version='1.0'?><rss version='2.0'><channel><title>Bench {f // per_feed}</title>"
                f"{items}</channel></rss>").encode()
        self._server = None
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True) if serve else None
        if self._thread is not None:
            self._thread.start()

    def serve_from_child(self) -> "BenchWeb":
        """Serve from a forked child (it inherits the socket and the pages; call after the pages are final)."""
        import multiprocessing

        self._server = multiprocessing.get_context("fork").Process(target=self.httpd.serve_forever, daemon=True)
        self._server.start()
        return self

    def _handler(self):
        web = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_GET(self):
                body = web.pages.get(self.path) or web.feeds.get(self.path)
                status = 200 if body else 404
                body = body or b"not found"
                etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
                if status == 200 and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("ETag", etag)
                self.send_header("Content-Type", "text/html; charset=utf-8" if self.path.startswith("/a/") else "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return H

    def opml(self, path: Path) -> Path:
        path.write_text("<opml version='2.0'><body>" + "".join(
            f"<outline text='b{k}' xmlUrl='{self.base}{k}'/>" for k in self.feeds) + "</body></opml>")
        return path

    def close(self):
        if self._server is not None:
            self._server.terminate()
            self._server.join(10)
        elif self._thread is not None:
            self.httpd.shutdown()
        self.httpd.server_close()


# ---- the bare loop: the same trafilatura and tagger calls, 2 processes, no orchestration/storage
_run = None  # in each bare-loop process: texts -> how many were processed


def _tagger_init(model, seeds_dir):
    global _run
    from nlp import load_tagger

    tagger = load_tagger(model=model, seeds_dir=seeds_dir)
    # the bare loop parses every sentence: sentence-selective parsing (nlp/selection.py) is the pipeline's
    tagger.selector = None
    _run = lambda texts: sum(1 for _ in tagger.tag_many(texts, batch_size=32))  # noqa: E731
    _run(["warm-up"])


def _stock_init(model):
    global _run
    import spacy

    nlp = spacy.load(model)  # the model as shipped: every component, nothing of ours
    _run = lambda texts: sum(1 for _ in nlp.pipe(texts, batch_size=32))  # noqa: E731
    _run(["warm-up"])


def _bare_batch(pages: list[bytes]) -> int:
    from flows.extract import decode_html, extract_article

    texts = []
    for body in pages:
        doc = extract_article(decode_html(body, "text/html; charset=utf-8"))
        if doc is not None:
            texts.append(doc.text[:100_000])
    return _run(texts)


def _timed_pool(pages: list[bytes], workers: int, batch: int, initializer, initargs: tuple) -> float:
    """Seconds for ``workers`` forkserver processes to extract and process ``pages`` in batches (models loaded
    before timing)."""
    import multiprocessing

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver"),
                             initializer=initializer, initargs=initargs) as pool:
        list(pool.map(_bare_batch, [[b"warm"]] * workers))  # load models before timing
        started = time.perf_counter()
        done = sum(pool.map(_bare_batch, [pages[i:i + batch] for i in range(0, len(pages), batch)]))
        seconds = time.perf_counter() - started
    assert done > 0
    return seconds


def bare_loop(pages: list[bytes], workers: int, batch: int, model, seeds_dir) -> float:
    """trafilatura, then our own tagger parsing every sentence (no selection, no storage, no orchestration)."""
    return _timed_pool(pages, workers, batch, _tagger_init, (model, seeds_dir))


def stock_loop(pages: list[bytes], workers: int, batch: int, model) -> float:
    """The loop a user would write without survwatch: trafilatura, then the stock spaCy model over every text
    (2 processes, as the pipeline; no rule components, no storage)."""
    return _timed_pool(pages, workers, batch, _stock_init, (model,))


def real_pages() -> list[bytes]:
    """The benchmark corpus's real HTML pages (sorted by name), or [] when the corpus is absent."""
    import gzip

    from bench.corpus import extraction_corpus

    corpus = extraction_corpus()
    return [gzip.decompress(p.read_bytes()) for p in sorted((corpus / "html").glob("*.html.gz"))] if corpus else []


def tagging_counts(db: Path) -> dict[str, int]:
    """Stored articles per ``articles.tagging`` (full, out_of_scope, entities_only) of a benchmark's warehouse."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT coalesce(tagging, 'none'), count(*) FROM articles GROUP BY 1 ORDER BY 1")
                    .fetchall())
    finally:
        con.close()


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--task-runner", choices=["threads", "dask"], default="threads",
                        help="where extract/tag batches run (SURVWATCH_TASK_RUNNER); dask: a LocalCluster of --workers")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--stock-baseline", action="store_true",
                        help="also time trafilatura + the stock spaCy model (spacy.load, every component, no rules) "
                             "on the same pages: stock_ratio")
    parser.add_argument("--mix", type=float, default=None, metavar="SHARE",
                        help="general-news mix: only this share of pages on surveillance (e.g. 0.05), the rest "
                             "generated off-topic news (bench/newsmix.py)")
    parser.add_argument("--real-pages", action="store_true",
                        help="serve the real pages of ../shared/corpora/article-extraction-benchmark (repeated up "
                             "to --articles) instead of generated ones; exits 0 with a note when absent")
    parser.add_argument("--no-gate", action="store_true", help="SURVWATCH_GATE=false: tag every article")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="survwatch-bench-"))
    os.environ.setdefault("PREFECT_HOME", str(tmp / "prefect"))
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    from flows.ingest import nightly_ingest
    from flows.settings import Settings

    web = BenchWeb(args.articles, in_scope_share=args.mix if args.mix is not None else 1.0, serve=False)
    if args.real_pages:
        real = real_pages()
        if not real:
            print(json.dumps({"skipped": "../shared/corpora/article-extraction-benchmark not found"}))
            web.close()
            return
        web.pages = {f"/a/{i}": real[i % len(real)] + f"<!-- copy {i} -->".encode() for i in range(args.articles)}
    web.serve_from_child()
    s = Settings(db=tmp / "bench.duckdb", allowed_hosts=web.base.removeprefix("http://"), per_host_delay=0,
                 per_host=8, concurrency=8, batch_size=args.batch_size, workers=args.workers,
                 task_runner=args.task_runner, gate=not args.no_gate)
    t0 = time.perf_counter()
    with prefect_test_harness(server_startup_timeout=120):
        startup = time.perf_counter() - t0
        started, cpu = time.perf_counter(), time.process_time()
        report = nightly_ingest(str(web.opml(tmp / "feeds.opml")), str(s.db), s)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    stored = report["run"]["stored"]
    timings = report["timings"]
    out = {
        "articles": stored,
        "seconds": round(seconds, 2),
        "articles_per_s": round(stored / seconds, 2),
        "stages_busy_s": {k: round(v, 2) for k, v in timings.items() if k != "wall"},
        "orchestration_s": round(max(0.0, seconds - timings["wall"]) + timings["feeds"], 2),
        # CPU seconds of the flow's own process (HTTP, Prefect, dedup, DuckDB, WARC): what it takes from the 2 cores
        # the workers share with it
        "flow_process_cpu_s": round(cpu, 2),
        "prefect_startup_s": round(startup, 2),
        "peak_rss_mb": peak_rss_mb(),
        "workers": args.workers,
        "task_runner": args.task_runner,
        "batch_size": args.batch_size,
        "pages": "real" if args.real_pages else "generated",
        "in_scope_share": args.mix if args.mix is not None else 1.0,
        "gate": not args.no_gate,
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    out["tagging"] = tagging_counts(s.db)
    if not args.skip_baseline:
        bare = bare_loop(list(web.pages.values()), args.workers, args.batch_size, s.spacy_model, s.seeds_dir)
        out["baseline_seconds"] = round(bare, 2)
        out["baseline_articles_per_s"] = round(len(web.pages) / bare, 2)
        out["ratio"] = round(out["articles_per_s"] / out["baseline_articles_per_s"], 3)
    if args.stock_baseline:
        from nlp.tagger import resolve_model_name

        stock = stock_loop(list(web.pages.values()), args.workers, args.batch_size, resolve_model_name(s.spacy_model))
        out["stock_seconds"] = round(stock, 2)
        out["stock_articles_per_s"] = round(len(web.pages) / stock, 2)
        out["stock_ratio"] = round(out["articles_per_s"] / out["stock_articles_per_s"], 3)
    web.close()
    print(json.dumps(out) if args.json else json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
