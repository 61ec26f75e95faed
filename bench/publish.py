"""Publish time and warehouse size per N articles, raw pages inside the DuckDB file (before migration 008) against
raw pages in WARC files beside it (after).

Rows are generated straight into two warehouses (running the pipeline 100k times would take days here): the
181 real news pages of ../shared/corpora/article-extraction-benchmark (mean ~174 KB of HTML) and their
hand-checked bodies as text, cycled to N articles. *before*: each article carries its page as raw_html_gz (the
corpus' own gzip, as survwatch used to store it). *after*: each article carries warc_file/offset/length instead,
and the pages are written once per distinct page into a WARC file to measure the archive (a real run writes
every page; the archive size is scaled to N). Publishing = warehouse.publish (copy + fsync + rename), median
of --repeat runs.

    python bench/publish.py --articles 100000
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# ../shared/corpora beside the checkout (/work/main -> /work/shared); pass --corpus elsewhere
CORPUS = Path("/work/shared/corpora/article-extraction-benchmark")
if not CORPUS.exists():
    CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "article-extraction-benchmark"


def load_corpus(root: Path) -> list[tuple[str, bytes, str]]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        path = root / "html" / f"{key}.html.gz"
        if path.exists():
            pages.append((key, path.read_bytes(), truth[key].get("articleBody") or ""))
    if not pages:
        raise SystemExit(f"no pages under {root}/html: pass --corpus DIR")
    return pages


def fill(db: Path, pages, n: int, with_blobs: bool, refs: list | None, chunk: int = 5000) -> None:
    import warehouse
    from warehouse.store import insert

    con = warehouse.open_for_writing(db)
    base = dt.datetime(2024, 1, 1)
    try:
        for start in range(0, n, chunk):
            rows = []
            for i in range(start, min(n, start + chunk)):
                key, blob, text = pages[i % len(pages)]
                row = {"item_id": f"{i:016x}", "url": f"https://bench.example/{i}", "final_url": f"https://bench.example/{i}",
                       "outlet": f"outlet{i % 70}", "http_status": 200, "fetched_at": base + dt.timedelta(seconds=i),
                       # unique text and signature per row: DuckDB would dictionary-compress 181 repeated texts
                       # down to nothing and understate the warehouse
                       "title": f"Article {i}", "text": f"Article {i}. {text}", "text_source": "page",
                       "word_count": len(text.split()), "content_hash": f"{i:040x}", "cluster_id": f"{i:016x}",
                       "minhash": random.randbytes(1024),
                       "nlp_version": "bench", "language": "en"}
                if with_blobs:
                    row["raw_html_gz"] = blob
                else:
                    file, offset, length = refs[i % len(refs)]
                    row.update(warc_file=file, warc_offset=offset, warc_length=length)
                rows.append(row)
            con.execute("BEGIN TRANSACTION")
            insert(con, "insert_articles", rows)
            con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def publish_seconds(db: Path, repeat: int) -> float:
    import warehouse

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        warehouse.publish(db)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--dir", type=Path, default=None, help="where to build the warehouses (default: a temp dir)")
    parser.add_argument("--skip-before", action="store_true", help="measure only the after layout")
    args = parser.parse_args()

    from flows import warc
    from warehouse.db import work_path

    pages = load_corpus(args.corpus)
    tmp = args.dir or Path(tempfile.mkdtemp(prefix="survwatch-bench-publish-"))
    out = {"articles": args.articles, "distinct_pages": len(pages),
           "mean_html_kb": round(sum(len(gzip.decompress(b)) for _, b, _ in pages) / len(pages) / 1024, 1)}

    random.seed(14)
    if not args.skip_before:
        before = tmp / "before" / "wh.duckdb"
        before.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        fill(before, pages, args.articles, True, None)
        out["before_fill_s"] = round(time.perf_counter() - t0, 1)
        out["before_db_mb"] = round(work_path(before).stat().st_size / 2**20, 1)
        out["before_publish_s"] = round(publish_seconds(before, args.repeat), 2)

    after = tmp / "after" / "wh.duckdb"
    after.parent.mkdir(parents=True, exist_ok=True)
    archive = warc.archive_for(after, "bench", rotate_mb=1000)
    when = dt.datetime(2024, 1, 1)
    refs = [(r.file, r.offset, r.length) for r in archive.append(
        [warc.response_record(f"https://bench.example/p/{key}", 200, {"content-type": "text/html"},
                              gzip.decompress(blob), when) for key, blob, _ in pages])]
    archive.close()
    per_page = sum(r[2] for r in refs) / len(refs)
    t0 = time.perf_counter()
    fill(after, pages, args.articles, False, refs)
    out["after_fill_s"] = round(time.perf_counter() - t0, 1)
    out["after_db_mb"] = round(work_path(after).stat().st_size / 2**20, 1)
    out["after_publish_s"] = round(publish_seconds(after, args.repeat), 2)
    out["after_archive_mb_for_n"] = round(per_page * args.articles / 2**20, 1)
    if not args.skip_before:
        out["publish_speedup"] = round(out["before_publish_s"] / max(out["after_publish_s"], 1e-6), 1)
        out["db_size_ratio"] = round(out["before_db_mb"] / max(out["after_db_mb"], 1e-6), 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
