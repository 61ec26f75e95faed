"""DuckDB's fts extension against survwatch's own BM25 tables (warehouse/search.py), same articles.

    .venv/bin/pip install -e '.[bench]'                 # duckdb-extension-fts
    .venv/bin/python bench/fts.py                       # 1,000,000 generated articles, prints JSON
    .venv/bin/python bench/fts.py --articles 100000

Articles are generated in SQL (seeded): a title of 8 words and a text of --words words drawn from a
Zipf-like vocabulary of surveillance-news words plus filler terms. Both indexes are built on the same warehouse
file: survwatch's (search.reindex_all: search_terms/search_docs, its tokeniser and stemmer) and fts's
(PRAGMA create_fts_index over title and text, porter stemmer, English stop words). Then each query is timed
on both (median of --repeat) and the top 10 compared (overlap of the item sets).

What the numbers do not show but matter as much: fts's index is a snapshot of the table; articles stored after
it are not found until PRAGMA create_fts_index rebuilds it over the whole table, which the nightly flow would
have to do after every run; survwatch's index is maintained per stored batch.
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
from warehouse import lake, search  # noqa: E402

VOCAB = ("police camera cameras contract facial recognition city council surveillance system network data "
         "minister budget crime rate false positive million deal supply ban protest rights privacy huawei "
         "hikvision dahua spyware pegasus phone phones journalist court ruling smart safe cities loan china "
         "kenya ecuador uganda biometric database border airport drone drones license plate reader").split()
QUERIES = ["facial recognition", "huawei safe cities kenya", "pegasus spyware journalist", "license plate reader",
           "false positive rate", "drones border"]


def generate(con, articles: int, words: int) -> float:
    t0 = time.perf_counter()
    vocab = "[" + ", ".join(f"'{w}'" for w in VOCAB) + "]"
    con.execute("SELECT setseed(0.5)")
    con.execute("BEGIN TRANSACTION")
    con.execute(f"""
        CREATE TEMP TABLE gen AS
        SELECT i, substr(md5(i::VARCHAR), 1, 16) AS item_id,
               (SELECT string_agg(CASE WHEN r < 0.6 THEN {vocab}[1 + CAST(pow(r / 0.6, 2) * {len(VOCAB)} AS INTEGER) % {len(VOCAB)}]
                                       ELSE 'w' || CAST(pow(random(), 3) * 50000 AS INTEGER) END, ' ')
                FROM (SELECT random() AS r, j + i * 0 AS j FROM range({words}) t(j))) AS text
        FROM range({articles}) t(i)""")
    con.execute("""INSERT INTO items (item_id, canonical_url, url, feed_id, title, first_seen_at, run_id)
                   SELECT item_id, 'http://n.example/' || i, 'http://n.example/' || i, 1,
                          array_to_string(list_slice(string_split(text, ' '), 1, 8), ' '),
                          TIMESTAMP '2026-01-01' + to_minutes(i), 'bench' FROM gen""")
    con.execute("""INSERT INTO articles (item_id, url, fetched_at, title, text, text_source, word_count, content_hash,
                                         cluster_id)
                   SELECT item_id, 'http://n.example/' || i, TIMESTAMP '2026-01-01' + to_minutes(i),
                          array_to_string(list_slice(string_split(text, ' '), 1, 8), ' '), text, 'page',
                          len(string_split(text, ' ')), md5(text), item_id FROM gen""")
    con.execute("COMMIT")
    con.execute("DROP TABLE gen")
    return time.perf_counter() - t0


def _median(fn, repeat: int) -> tuple[float, object]:
    runs, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        runs.append(time.perf_counter() - t)
    return round(statistics.median(runs), 4), out


FTS_QUERY = """
SELECT item_id, score FROM (
    SELECT item_id, fts_main_articles.match_bm25(item_id, $q, fields := 'title,text') AS score FROM articles
) WHERE score IS NOT NULL ORDER BY score DESC, item_id LIMIT 10"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--words", type=int, default=120, help="Words per article text.")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    path = Path(tempfile.mkdtemp(prefix="survwatch-bench-fts-")) / "wh.duckdb"
    con = warehouse.open_for_writing(path)
    con.execute("SET enable_progress_bar = false")
    result: dict = {"articles": args.articles, "words": args.words,
                    "generate_s": round(generate(con, args.articles, args.words), 1)}
    t = time.perf_counter()
    search.reindex_all(con)
    result["survwatch_index_s"] = round(time.perf_counter() - t, 1)
    result["survwatch_postings"] = con.execute("SELECT count(*) FROM search_terms").fetchone()[0]
    lake.load_extension(con, "fts")
    t = time.perf_counter()
    con.execute("PRAGMA create_fts_index('articles', 'item_id', 'title', 'text', stemmer = 'porter', "
                "stopwords = 'english', overwrite = 1)")
    result["fts_index_s"] = round(time.perf_counter() - t, 1)
    result["queries"] = {}
    for q in QUERIES:
        ours_s, ours = _median(lambda: [r["item_id"] for r in search.search(con, q, limit=10)], args.repeat)
        fts_s, theirs = _median(lambda: [r[0] for r in con.execute(FTS_QUERY, {"q": q}).fetchall()], args.repeat)
        result["queries"][q] = {"survwatch_s": ours_s, "fts_s": fts_s,
                                "top10_overlap": len(set(ours) & set(theirs)), "same_first": ours[:1] == theirs[:1]}
        print(q, result["queries"][q], file=sys.stderr, flush=True)
    con.close()
    result["file_mb"] = round(warehouse.work_path(path).stat().st_size / 1e6, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
