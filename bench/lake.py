"""Ingest throughput and view latency: one warehouse file beside DuckLake (local catalog, PostgreSQL catalog).

    .venv/bin/python bench/lake.py                    # 20,000 articles in batches of 200, prints JSON
    .venv/bin/python bench/lake.py --articles 5000 --batch 100

The same generated batches (items, articles, mentions, claims, deals; seeded, so every target gets the same
rows) go through the ingest path the nightly flow uses: record_feed_fetch (items), store_batch (one
transaction per batch) and index_articles (keyword index + rollups) every --index-every batches; on the file
the run ends with publish (the copy), on a lake a commit is the publication. Then every view of
bench/warehouse_views.py is timed on a read-only connection, as analysts query (median of --repeat).
PostgreSQL comes from tests/pg_server.py (a private cluster on loopback), skipped when it cannot start.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import warehouse  # noqa: E402
from warehouse import ingest as wh  # noqa: E402
from warehouse import search  # noqa: E402
from warehouse_views import FILTERED  # noqa: E402

VENDORS = ["Hikvision", "Dahua", "Huawei", "NEC", "Clearview AI", "Idemia", "NSO Group", "Cellebrite", "Axis Communications"]
COUNTRIES = ["EC", "CN", "US", "GB", "ZA", "KE", "UG", "ZW", "MX", "IN", "BR", "PK", "RS", "NG", "EG"]
WORDS = ("police camera contract facial recognition city council surveillance system network data minister "
         "budget crime rate false positive million deal supply ban protest rights privacy").split()


def batches(articles: int, size: int, seed: int = 7):
    rnd = random.Random(seed)
    start = dt.datetime(2026, 1, 5)
    for first in range(0, articles, size):
        items, arts, outs, ments, claims, deals = [], [], [], [], [], []
        for n in range(first, min(first + size, articles)):
            url = f"http://news.example/{n % 50}/story-{n}.html"
            item_id = hashlib.sha1(url.encode()).hexdigest()[:16]
            seen = start + dt.timedelta(minutes=7 * n)
            text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(120, 400)))
            vendor, country = rnd.choice(VENDORS), rnd.choice(COUNTRIES)
            items.append({"item_id": item_id, "canonical_url": url, "url": url, "guid": None, "feed_id": 1,
                          "title": f"{vendor} in {country} {n}", "summary": None, "author": None,
                          "published_at": seen, "first_seen_at": seen, "run_id": "bench"})
            arts.append({"item_id": item_id, "url": url, "final_url": url, "outlet": f"outlet{n % 50}.example",
                         "http_status": 200, "fetched_at": seen, "title": f"{vendor} in {country} {n}",
                         "language": "en", "text": text, "text_source": "page", "word_count": len(text.split()),
                         "content_hash": hashlib.sha1(text.encode()).hexdigest(), "cluster_id": item_id,
                         "nlp_version": "bench"})
            outs.append({"item_id": item_id, "run_id": "bench", "outcome": "stored", "reason": "article",
                         "detail": url, "recorded_at": seen})
            for etype, entity in (("vendor", vendor), ("country", country), ("technology", "cctv")):
                ments.append({"item_id": item_id, "entity_type": etype, "entity": entity, "surface": entity,
                              "start_char": 0, "end_char": len(entity), "nlp_version": "bench"})
            claims.append({"item_id": item_id, "claim_no": 0, "sentence": "crime fell 12%", "metric": "crime rate",
                           "direction": "decrease", "value": float(rnd.randint(5, 40)), "unit": "percent",
                           "place": country, "year": 2026, "hedged": False, "nlp_version": "bench"})
            if n % 5 == 0:
                deals.append({"item_id": item_id, "vendor": vendor, "country": country, "kind": "contract",
                              "evidence": f"{vendor} won a contract in {country}", "nlp_version": "bench"})
        yield items, arts, outs, ments, claims, deals


def ingest(target: str, articles: int, size: int, index_every: int) -> dict:
    t0 = time.perf_counter()
    con = warehouse.open_for_writing(target)
    wh.start_run(con, "bench", "nightly_ingest", "bench")
    nbatches = -(-articles // size)  # one feed per batch: feed_fetches holds one row per run and feed
    wh.sync_feeds(con, [{"url": f"http://news.example/{b}/feed.rss", "title": f"bench {b}", "html_url": None,
                         "category": None} for b in range(nbatches)])
    store_s = index_s = 0.0
    for n, (items, arts, outs, ments, claims, deals) in enumerate(batches(articles, size)):
        t = time.perf_counter()
        for item in items:
            item["feed_id"] = n + 1
        wh.record_feed_fetch(con, "bench", n + 1, status="ok", http_status=200, entries=len(items), seconds=0.1,
                             error=None, detail=None, etag=None, last_modified=None, title=None, items=items)
        wh.store_batch(con, articles=arts, outcomes=outs, mentions=ments, claims=claims, deals=deals)
        store_s += time.perf_counter() - t
        if (n + 1) % index_every == 0:
            t = time.perf_counter()
            search.index_articles(con, [])
            index_s += time.perf_counter() - t
    t = time.perf_counter()
    search.index_articles(con, [])
    index_s += time.perf_counter() - t
    wh.finish_run(con, "bench", "completed", {}, None)
    con.close()
    t = time.perf_counter()
    warehouse.publish(target)
    publish_s = time.perf_counter() - t
    wall = time.perf_counter() - t0
    return {"wall_s": round(wall, 1), "articles_per_s": round(articles / wall, 1), "store_s": round(store_s, 1),
            "index_s": round(index_s, 1), "publish_s": round(publish_s, 2)}


def views(target: str, repeat: int) -> dict:
    con = warehouse.open_read_only(target)
    out = {}
    for view, sql in FILTERED.items():
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            con.execute(sql).fetchall()
            runs.append(time.perf_counter() - t)
        out[view] = round(statistics.median(runs), 4)
    out["open_s"] = 0.0
    t = time.perf_counter()
    warehouse.open_read_only(target).close()
    out["open_s"] = round(time.perf_counter() - t, 3)
    con.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--index-every", type=int, default=10, help="index_articles after every N batches")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="survwatch-bench-lake-"))
    targets = {"file": str(tmp / "wh.duckdb"), "ducklake_local": f"ducklake:{tmp}/wh.ducklake"}
    sys.path.insert(0, str(ROOT / "tests"))
    import pg_server

    server, why = pg_server.start()
    if server is not None:
        targets["ducklake_postgres"] = f"ducklake:postgres:{server.createdb('bench')} data_path={tmp / 'pg-data'}"
    result = {"articles": args.articles, "batch": args.batch, "postgres": why or "started on loopback"}
    try:
        for name, target in targets.items():
            result[name] = {"ingest": ingest(target, args.articles, args.batch, args.index_every),
                            "views_s": views(target, args.repeat)}
            print(name, json.dumps(result[name]), file=sys.stderr, flush=True)
    finally:
        if server is not None:
            server.stop()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
