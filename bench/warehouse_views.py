"""Benchmark the analyst views on a synthetic warehouse (default: 1M articles, 10M mentions, 500k claims).

    .venv/bin/python bench/warehouse_views.py                      # full scale, prints JSON
    .venv/bin/python bench/warehouse_views.py --articles 100000    # smaller
    .venv/bin/python bench/warehouse_views.py --db /tmp/b.duckdb --keep   # reuse the generated file

The data is generated in SQL (range() and seeded random()), written through warehouse.open_for_writing
(so migrations and views are those of this checkout), then every view is timed on a read-only connection
as analysts use it, --repeat times, and the medians are printed as JSON (seconds):

  count     SELECT count(*) FROM (SELECT * FROM view)  (DuckDB may skip unused columns)
  full      CREATE TEMP TABLE AS SELECT * FROM view    (every column computed)
  filtered  a typical analyst query on the view (see FILTERED)
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import warehouse  # noqa: E402
from warehouse import search  # noqa: E402

VIEWS = ["mentions_weekly", "vendor_country", "claims_ledger", "claim_spread", "claim_conflicts",
         "claim_checks", "trending", "feed_health"]

FILTERED = {
    "mentions_weekly": "SELECT * FROM mentions_weekly WHERE entity = 'Hikvision' ORDER BY week_start",
    "vendor_country": "SELECT * FROM vendor_country WHERE vendor = 'Hikvision' ORDER BY deal_articles DESC",
    "claims_ledger": "SELECT * FROM claims_ledger WHERE place = 'EC' AND metric_family = 'crime rate'",
    "claim_spread": "SELECT * FROM claim_spread WHERE clusters >= 2 ORDER BY clusters DESC LIMIT 50",
    "claim_conflicts": "SELECT * FROM claim_conflicts WHERE place = 'EC' ORDER BY abs(relative_difference) DESC",
    "claim_checks": "SELECT status, count(*) FROM claim_checks GROUP BY status",
    "trending": "SELECT * FROM trending ORDER BY change DESC LIMIT 20",
    "feed_health": "SELECT * FROM feed_health WHERE status <> 'ok'",
}

VENDORS = ["Hikvision", "Dahua", "Huawei", "ZTE", "CloudWalk", "Megvii", "SenseTime", "Yitu", "iFlytek", "Uniview",
           "NSO Group", "Candiru", "Intellexa", "Cellebrite", "Hacking Team", "FinFisher", "Palantir", "Clearview AI",
           "NEC", "Idemia", "Thales", "Axis Communications", "Motorola Solutions", "Genetec", "BriefCam",
           "Oosto", "Sandvine", "Flock Safety", "SoundThinking", "Cognyte"]
TECH = ["facial_recognition", "cctv", "safe_city", "imsi_catcher", "spyware", "phone_forensics", "biometric_id",
        "internet_filtering", "social_media_monitoring", "predictive_policing", "lpr", "lawful_intercept",
        "gunshot_detection", "drones", "data_analytics"]
METRICS = ["crime", "crime rate", "false positives", "false positive rate", "accuracy", "error rate", "contract value",
           "loan value", "cameras", "arrests", "matches", "response time", "murders", "robberies", "people scanned",
           "phones infected", "budget", "homicide rate", "theft", "crime level"]
CLAIMANTS = ["police", "Huawei", "Ecuadorian government", "Big Brother Watch", "Citizen Lab", "ministry spokesperson",
             "Amnesty International", "Hikvision", "city council", "Human Rights Watch"]


def _list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def generate(path: Path, articles: int, mentions_per_article: int, claims: int, feeds: int, weeks: int) -> dict:
    t0 = time.perf_counter()
    con = warehouse.open_for_writing(path)
    con.execute("SET enable_progress_bar = false")
    con.execute("SELECT setseed(0.42)")
    # ISO2-looking country codes; EC, GB, US, ZA, CN first so they are frequent (zipf-like picks favour low ranks)
    con.execute(f"""
        CREATE TEMP TABLE countries AS
        WITH listed AS (
            SELECT generate_subscripts(l, 1) - 1 AS n, unnest(l) AS code
            FROM (SELECT ['EC','CN','US','GB','ZA','KE','UG','ZW','MX','IN','BR','PK','RS','NG','EG'] AS l)
        ),
        other AS (
            SELECT chr(CAST(65 + i // 26 AS INTEGER)) || chr(CAST(65 + i % 26 AS INTEGER)) AS code
            FROM range(676) t(i)
        )
        SELECT n, code FROM listed
        UNION ALL
        SELECT 15 + row_number() OVER (ORDER BY code) - 1, code
        FROM other WHERE code NOT IN (SELECT code FROM listed)
        ORDER BY 1 LIMIT 200""")
    con.execute(f"CREATE TEMP TABLE vendor_names AS SELECT generate_subscripts(l, 1) - 1 AS n, unnest(l) AS v FROM (SELECT {_list(VENDORS)} AS l)")
    con.execute(f"""
        CREATE TEMP TABLE vendors AS
        SELECT n, v FROM vendor_names
        UNION ALL SELECT {len(VENDORS)} + i, 'Vendor ' || i FROM range(50) t(i)""")
    con.execute(f"CREATE TEMP TABLE tech AS SELECT generate_subscripts(l, 1) - 1 AS n, unnest(l) AS t FROM (SELECT {_list(TECH)} AS l)")
    nv = len(VENDORS) + 50
    con.execute("BEGIN TRANSACTION")
    con.execute(f"""
        INSERT INTO feeds (feed_id, url, title, category, added_at, last_fetched_at, last_success_at,
                           last_new_item_at, consecutive_failures, last_error)
        SELECT i + 1, 'https://feed' || i || '.example/rss', 'Feed ' || i, 'news',
               now()::TIMESTAMP - INTERVAL 1000 DAY,
               CASE WHEN random() < 0.02 THEN NULL ELSE now()::TIMESTAMP - INTERVAL 3 HOUR END,
               now()::TIMESTAMP - to_hours(CAST(random() * 100 AS INTEGER)),
               now()::TIMESTAMP - to_hours(CAST(random() * 24 * 30 AS INTEGER)),
               CASE WHEN random() < 0.05 THEN CAST(random() * 6 AS INTEGER) ELSE 0 END, NULL
        FROM range({feeds}) t(i)""")
    con.execute(f"""
        CREATE TEMP TABLE gen_items AS
        SELECT i, substr(md5(CAST(i AS VARCHAR)), 1, 16) AS item_id,
               -- chronological, like ingest appends them (zone maps on first_seen_at then work)
               now()::TIMESTAMP - to_minutes(CAST(({articles} - 1 - i) * ({weeks} * 7 * 24 * 60.0 / {articles})
                                                  AS BIGINT)) AS seen,
               1 + CAST(random() * {feeds - 1} AS INTEGER) AS feed_id,
               'outlet' || CAST(pow(random(), 2) * 2000 AS INTEGER) || '.example' AS outlet,
               CASE WHEN random() < 0.15 AND i > 3 THEN substr(md5(CAST(i - 1 - CAST(random() * 3 AS INTEGER) AS VARCHAR)), 1, 16)
                    ELSE substr(md5(CAST(i AS VARCHAR)), 1, 16) END AS cluster_id
        FROM range({articles}) t(i)""")
    con.execute("""
        INSERT INTO items (item_id, canonical_url, url, guid, feed_id, title, summary, author, published_at, first_seen_at, run_id)
        SELECT item_id, 'https://' || outlet || '/a/' || item_id, 'https://' || outlet || '/a/' || item_id, item_id,
               feed_id, 'Title ' || i, NULL, NULL, seen - INTERVAL 2 HOUR, seen, 'bench'
        FROM gen_items""")
    con.execute("""
        INSERT INTO articles (item_id, url, final_url, outlet, http_status, fetched_at, title, author, published_at,
                              site_name, language, text, text_source, word_count, content_hash, cluster_id,
                              minhash, raw_html_gz, nlp_version)
        SELECT item_id, 'https://' || outlet || '/a/' || item_id, NULL, outlet, 200, seen, 'Title ' || i, NULL,
               seen - INTERVAL 2 HOUR, outlet, 'en', 'Synthetic article text number ' || i || ' about surveillance.',
               'page', 6, md5(CAST(i AS VARCHAR)), cluster_id, NULL, NULL, 'bench'
        FROM gen_items""")
    con.execute(f"""
        INSERT INTO outcomes SELECT item_id, 'bench', 'stored', 'article', NULL, seen FROM gen_items""")
    # mentions: per article, mentions_per_article rows; 45 % vendor, 40 % country, 15 % technology, skewed picks
    con.execute(f"""
        INSERT INTO mentions (item_id, entity_type, entity, surface, start_char, end_char, nlp_version)
        SELECT g.item_id, e.entity_type, e.entity, e.entity, CAST(k * 40 AS INTEGER), CAST(k * 40 + 8 AS INTEGER), 'bench'
        FROM (SELECT i // {mentions_per_article} AS a, i % {mentions_per_article} AS k, random() AS r, random() AS p
              FROM range({articles * mentions_per_article}) t(i)) m
        JOIN gen_items g ON g.i = m.a
        JOIN (SELECT 'vendor' AS entity_type, n, v AS entity, {nv} AS size FROM vendors
              UNION ALL SELECT 'country', n, code, 200 FROM countries
              UNION ALL SELECT 'technology', n, t, 15 FROM tech) e
          ON e.entity_type = CASE WHEN m.r < 0.45 THEN 'vendor' WHEN m.r < 0.85 THEN 'country' ELSE 'technology' END
         AND e.n = CAST(pow(m.p, 3) * e.size AS INTEGER) % e.size""")
    # claims: values cluster around a few per (metric, place) so that spread and conflicts are realistic
    con.execute(f"""
        INSERT INTO claims (item_id, claim_no, sentence, metric, direction, value, unit, place, year, source, hedged, nlp_version)
        SELECT g.item_id, c.claim_no, 'Synthetic claim sentence ' || c.i, c.metric, c.direction,
               CASE c.unit WHEN 'USD' THEN 1000000 ELSE 1 END
                 * ((hash(c.metric, pl.code) % 40) + 1 + [0, 0, 0, 0.2, 7, 15][1 + CAST(random() * 5.99 AS INTEGER) % 6]),
               c.unit, pl.code, c.year, c.source, random() < 0.2, 'bench'
        FROM (SELECT i, i // 2 AS a, i % 2 AS claim_no,
                     {_list(METRICS)}[1 + CAST(pow(random(), 2) * {len(METRICS)} AS INTEGER) % {len(METRICS)}] AS metric,
                     ['increase', 'decrease', 'level'][1 + CAST(floor(random() * 3) AS INTEGER)] AS direction,
                     CASE WHEN random() < 0.6 THEN 'percent' WHEN random() < 0.6 THEN 'count' ELSE 'USD' END AS unit,
                     CASE WHEN random() < 0.3 THEN NULL ELSE CAST(pow(random(), 3) * 200 AS INTEGER) % 200 END AS pn,
                     CASE WHEN random() < 0.5 THEN NULL ELSE 2015 + CAST(random() * 10 AS INTEGER) END AS year,
                     CASE WHEN random() < 0.4 THEN NULL ELSE {_list(CLAIMANTS)}[1 + CAST(floor(random() * 10) AS INTEGER)] END AS source
              FROM range({claims}) t(i)) c
        LEFT JOIN countries pl ON pl.n = c.pn
        JOIN gen_items g ON g.i = c.a * {max(1, articles // max(1, claims // 2))} % {articles}""")
    con.execute(f"""
        INSERT OR IGNORE INTO deals (item_id, vendor, country, kind, technology, year, evidence, nlp_version)
        SELECT g.item_id, v.v, c.code, ['contract', 'supply', 'donation', 'loan', 'office', 'ban'][1 + CAST(floor(random() * 6) AS INTEGER)],
               tc.t, NULL, 'Synthetic deal sentence', 'bench'
        FROM (SELECT i, CAST(random() * {articles - 1} AS BIGINT) AS a, CAST(pow(random(), 3) * {nv} AS INTEGER) % {nv} AS vn,
                     CAST(pow(random(), 3) * 200 AS INTEGER) % 200 AS cn,
                     CASE WHEN random() < 0.5 THEN NULL ELSE CAST(floor(random() * 15) AS INTEGER) END AS tn
              FROM range({articles // 5}) t(i)) d
        JOIN gen_items g ON g.i = d.a JOIN vendors v ON v.n = d.vn JOIN countries c ON c.n = d.cn
        LEFT JOIN tech tc ON tc.n = d.tn""")
    con.execute(f"""
        INSERT OR IGNORE INTO reference_stats (place, metric, period, value, unit, source_url, note, loaded_at)
        SELECT c.code, m.metric, CAST(2015 + y AS VARCHAR), (hash(m.metric, c.code) % 40) + 1, 'percent',
               'https://stats.example/' || c.code, NULL, now()::TIMESTAMP
        FROM (SELECT * FROM countries WHERE n < 40) c, (SELECT unnest({_list(METRICS)}) AS metric) m, range(10) t(y)""")
    con.execute("COMMIT")
    t1 = time.perf_counter()
    search.reindex_all(con)  # keyword index + view rollups, as the ingest flow maintains them per batch
    index_seconds = time.perf_counter() - t1
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
              for t in ("feeds", "items", "articles", "mentions", "claims", "deals", "reference_stats",
                        "search_terms", "rollup_entity_weeks", "rollup_vendor_country_months", "rollup_claims", "rollup_claim_groups")}
    con.execute("CHECKPOINT")
    con.close()
    warehouse.publish(path)
    return {"seconds": round(time.perf_counter() - t0, 1), "reindex_all_seconds": round(index_seconds, 1),
            "rows": counts}


def _time(con, sql: str, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        con.execute(sql).fetchall()
        runs.append(time.perf_counter() - t)
    return round(statistics.median(runs), 3)


def bench(path: Path, repeat: int, views: list[str]) -> dict:
    con = warehouse.open_read_only(path)
    con.execute("SET enable_progress_bar = false")
    out = {}
    for view in views:
        out[view] = {
            "count": _time(con, f"SELECT count(*) FROM (SELECT * FROM {view})", repeat),
            "full": _time(con, f"CREATE OR REPLACE TEMP TABLE _bench AS SELECT * FROM {view}", repeat),
            "filtered": _time(con, FILTERED[view], repeat),
            "rows": con.execute(f"SELECT count(*) FROM {view}").fetchall()[0][0],
        }
    con.close()
    return out


def bench_maintenance(path: Path, repeat: int, batch: int = 64) -> dict:
    """What the ingest flow pays per stored batch (index_articles on the newest articles), and search."""
    con = warehouse.open_for_writing(path)
    con.execute("SET enable_progress_bar = false")
    ids = [r[0] for r in con.execute(
        f"SELECT item_id FROM items ORDER BY first_seen_at DESC LIMIT {batch}").fetchall()]
    runs = []
    for _ in range(repeat):
        con.execute("BEGIN TRANSACTION")
        t = time.perf_counter()
        search.index_articles(con, ids, own_transaction=False)
        runs.append(time.perf_counter() - t)
        con.execute("ROLLBACK")
    out = {f"index_articles_{batch}_newest": round(statistics.median(runs), 3)}
    for words in ("surveillance", "article 12345", "xylophone"):
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            search.search(con, words)
            runs.append(time.perf_counter() - t)
        out[f"search {words!r}"] = round(statistics.median(runs), 3)
    con.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--mentions-per-article", type=int, default=10)
    ap.add_argument("--claims", type=int, default=500_000)
    ap.add_argument("--feeds", type=int, default=500)
    ap.add_argument("--weeks", type=int, default=156, help="Weeks of history the articles spread over.")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--view", action="append", choices=VIEWS, help="Only these views (repeatable).")
    ap.add_argument("--db", type=Path, help="Warehouse file; generated unless it exists and --keep is given.")
    ap.add_argument("--keep", action="store_true", help="Keep (and reuse) the --db file.")
    args = ap.parse_args()

    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="survwatch-bench-")
        args.db = Path(tmp.name) / "bench.duckdb"
    report = {"scale": {"articles": args.articles, "mentions": args.articles * args.mentions_per_article,
                        "claims": args.claims, "feeds": args.feeds, "weeks": args.weeks}, "repeat": args.repeat}
    if not (args.keep and args.db.exists()):
        for stale in (args.db, warehouse.work_path(args.db)):
            stale.unlink(missing_ok=True)
            Path(str(stale) + ".wal").unlink(missing_ok=True)
        report["generate"] = generate(args.db, args.articles, args.mentions_per_article, args.claims,
                                      args.feeds, args.weeks)
    report["median_seconds"] = bench(args.db, args.repeat, args.view or VIEWS)
    if not args.view:
        report["maintenance_median_seconds"] = bench_maintenance(args.db, args.repeat)
    print(json.dumps(report, indent=2))
    if tmp is not None and not args.keep:
        tmp.cleanup()


if __name__ == "__main__":
    main()
