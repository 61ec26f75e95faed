"""survwatch sql / query / reference load / search / schema, run through the real CLI app."""
from __future__ import annotations

import json

import duckdb
import pytest
from typer.testing import CliRunner

import warehouse
from flows.cli import app
from tests.test_views import build_warehouse

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_warehouse(tmp_path_factory.mktemp("cli") / "wh.duckdb")


def test_commands_are_registered():
    out = run("--help").output
    for command in ("sql", "query", "reference", "search", "schema"):
        assert command in out


def test_query_list_shows_names_summaries_and_parameters():
    r = run("query", "--list")
    assert r.exit_code == 0
    for name in ("spreading_claims", "conflicting_claims", "vendor_profile", "quiet_feeds", "checks_references"):
        assert name in r.output
    assert "--param vendor" in r.output
    assert "Claims repeated by two or more" in r.output


def test_query_prints_a_table(db):
    r = run("query", "spreading_claims", "--db", db)
    assert r.exit_code == 0, r.output
    assert "elcomercio.com" in r.output and "1 row" in r.output


def test_query_parameters(db):
    r = run("query", "vendor_profile", "--db", db)
    assert r.exit_code == 1 and "needs --param vendor=" in r.output
    r = run("query", "vendor_profile", "--param", "vendor=Huawei", "--db", db)
    assert r.exit_code == 0 and "EC" in r.output and "2 rows" in r.output
    r = run("query", "vendor_profile", "--param", "vendor=Huawei", "--param", "x=1", "--db", db)
    assert r.exit_code == 1 and "takes no parameter x" in r.output
    r = run("query", "vendor_profile", "--param", "oops", "--db", db)
    assert r.exit_code == 1 and "name=value" in r.output


def test_unknown_query_and_missing_name(db):
    r = run("query", "spreading", "--db", db)
    assert r.exit_code == 1 and "no named query 'spreading'" in r.output and "spreading_claims" in r.output
    assert run("query", "--db", db).exit_code == 1


def test_query_writes_csv_json_parquet(db, tmp_path):
    r = run("query", "quiet_feeds", "--db", db, "--csv", tmp_path / "q.csv")
    assert r.exit_code == 0 and "wrote 3 rows" in r.output
    lines = (tmp_path / "q.csv").read_text().splitlines()
    assert lines[0].startswith("status,feed_id,title") and len(lines) == 4
    r = run("query", "vendor_profile", "--param", "vendor=huawei", "--db", db, "--json", tmp_path / "v.json")
    assert r.exit_code == 0
    data = json.loads((tmp_path / "v.json").read_text())
    assert data[0]["country"] == "EC" and data[0]["evidence_urls"][0] == "https://news.example/a02"
    r = run("query", "conflicting_claims", "--db", db, "--parquet", tmp_path / "c.parquet")
    assert r.exit_code == 0
    got = duckdb.sql(f"SELECT conflict, a_value, b_value FROM '{tmp_path / 'c.parquet'}' ORDER BY conflict").fetchall()
    assert got == [("direction", 5.0, 15.0), ("value", 17.0, 24.0)]
    r = run("query", "quiet_feeds", "--db", db, "--csv", tmp_path / "a.csv", "--json", tmp_path / "b.json")
    assert r.exit_code == 1 and "choose one" in r.output


def test_sql_runs_read_only(db, tmp_path):
    r = run("sql", "SELECT count(*) AS n FROM claims_ledger", "--db", db)
    assert r.exit_code == 0 and "10" in r.output
    r = run("sql", "SELECT entity, articles FROM trending ORDER BY change DESC", "--db", db, "--limit", "2")
    assert r.exit_code == 0 and "Hikvision" in r.output and "first 2 rows shown" in r.output
    r = run("sql", "SELECT * FROM claim_spread", "--db", db, "--csv", tmp_path / "s.csv")
    assert r.exit_code == 0 and "wrote 7 rows" in r.output


def test_sql_errors_are_clear(db, tmp_path):
    r = run("sql", "SELEC nothing", "--db", db)
    assert r.exit_code == 1 and "SQL error" in r.output and "syntax error" in r.output.lower()
    r = run("sql", "SELECT * FROM no_such_table", "--db", db)
    assert r.exit_code == 1 and "no_such_table" in r.output
    r = run("sql", "DELETE FROM claims", "--db", db)
    assert r.exit_code == 1 and "read-only" in r.output
    r = run("sql", "SELECT 1", "--db", tmp_path / "missing.duckdb")
    assert r.exit_code == 1 and "does not exist yet" in r.output
    assert run("sql", "  ", "--db", db).exit_code == 1


def test_reference_load_publishes(tmp_path):
    path = build_warehouse(tmp_path / "ref.duckdb")
    csv = tmp_path / "ref.csv"
    csv.write_text("place,metric,period,value,unit,source_url\nZA,arrests,2020,15,percent,https://stats.example/za-arrests\n")
    r = run("reference", "load", csv, "--db", path)
    assert r.exit_code == 0, r.output
    assert "loaded 1 reference rows" in r.output and "1 new" in r.output
    con = warehouse.open_read_only(path)
    try:
        status = con.execute("SELECT status FROM claim_checks WHERE item_id = 'a14'").fetchall()
    finally:
        con.close()
    assert status == [("consistent",)]
    bad = tmp_path / "bad.csv"
    bad.write_text("place,metric,period,value,unit,source_url\nZA,arrests,2020,lots,percent,https://x.example\n")
    r = run("reference", "load", bad, "--db", path)
    assert r.exit_code == 1 and "bad.csv:2: value 'lots' is not a number" in r.output
    r = run("reference", "load", tmp_path / "none.csv", "--db", path)
    assert r.exit_code == 1 and "no such file" in r.output


def test_search_command(db):
    r = run("search", "Hikvision ban", "--db", db)
    assert r.exit_code == 0 and "news.example/a05" in r.output
    r = run("search", "Hikvision", "--db", db, "--json", "--limit", "3")
    results = json.loads(r.stdout)
    assert len(results) == 3 and {"item_id", "url", "title", "outlet", "score", "snippet"} <= set(results[0])
    r = run("search", "xylophone", "--db", db)
    assert r.exit_code == 0 and "no articles match" in r.output


def test_schema_command():
    r = run("schema")
    assert r.exit_code == 0 and r.output.startswith("# survwatch warehouse schema")
    r = run("schema", "--check")
    assert r.exit_code == 0, r.output
