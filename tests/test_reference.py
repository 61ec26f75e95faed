"""Loading reference statistics from CSV (warehouse.reference)."""
from __future__ import annotations

import pytest

import warehouse
from warehouse.reference import ReferenceError, load_reference_csv, read_reference_csv

GOOD = """place,metric,period,value,unit,source_url,note
EC,Crime  Rate,2019,-24.1,%,https://stats.example/ec,official
gb,false positive rate,2018-2019,2,percent,https://stats.example/gb,
KE,contract value,2020,14000000,usd,https://stats.example/ke,
"""


def write(tmp_path, text, name="ref.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def con(tmp_path):
    c = warehouse.open_for_writing(tmp_path / "r.duckdb")
    yield c
    c.close()


def test_load_normalises_and_upserts(con, tmp_path):
    counts = load_reference_csv(con, write(tmp_path, GOOD))
    assert counts == {"rows": 3, "inserted": 3, "updated": 0}
    rows = con.execute("SELECT place, metric, period, value, unit, source_url, note FROM reference_stats ORDER BY place").fetchall()
    assert rows == [
        ("EC", "crime rate", "2019", -24.1, "percent", "https://stats.example/ec", "official"),
        ("GB", "false positive rate", "2018-2019", 2.0, "percent", "https://stats.example/gb", None),
        ("KE", "contract value", "2020", 14000000.0, "USD", "https://stats.example/ke", None),
    ]
    # same key again: replaced, not duplicated
    again = write(tmp_path, "place,metric,period,value,unit,source_url\nEC,crime rate,2019,-23,percent,https://x.example/new\n"
                            "EC,crime rate,2020,-10,percent,https://x.example/2020\n", "again.csv")
    assert load_reference_csv(con, again) == {"rows": 2, "inserted": 1, "updated": 1}
    assert con.execute("SELECT value, source_url FROM reference_stats WHERE place = 'EC' AND period = '2019'").fetchall() == \
        [(-23.0, "https://x.example/new")]
    assert con.execute("SELECT count(*) FROM reference_stats").fetchall()[0][0] == 4


def test_note_column_is_optional_and_blank_lines_are_skipped(tmp_path):
    rows = read_reference_csv(write(tmp_path, "place,metric,period,value,unit,source_url\n\nZA,murders,2020,10,percent,https://z.example\n"))
    assert rows[0]["note"] is None and rows[0]["place"] == "ZA"


@pytest.mark.parametrize("line, message", [
    ("Ecuador,crime rate,2019,24,percent,https://x.example", ":2: place 'Ecuador' is not an ISO 3166-1 alpha-2"),
    ("QQ,crime rate,2019,24,percent,https://x.example", ":2: place 'QQ' is not an ISO 3166-1 alpha-2"),
    ("EC,crime rate,2019,24 percent,percent,https://x.example", ":2: value '24 percent' is not a number"),
    ('EC,crime rate,2019,"1,234",count,https://x.example', "without thousands separators"),
    ("EC,crime rate,last year,24,percent,https://x.example", ":2: period 'last year' is not a year"),
    ("EC,crime rate,2019-2015,24,percent,https://x.example", "ends before it starts"),
    ("EC,,2019,24,percent,https://x.example", ":2: metric is empty"),
    ("EC,crime rate,2019,24,percent,stats office", ":2: source_url 'stats office' is not an http(s) URL"),
    ("EC,crime rate,2019,24,percent,https://x.example,note,extra", ":2: more fields than columns"),
])
def test_bad_lines_are_named(tmp_path, line, message):
    path = write(tmp_path, "place,metric,period,value,unit,source_url,note\n" + line + "\n")
    with pytest.raises(ReferenceError, match="nothing loaded") as exc:
        read_reference_csv(path)
    assert message in str(exc.value) and str(path) in str(exc.value)


def test_every_bad_line_is_reported_and_nothing_is_loaded(con, tmp_path):
    text = ("place,metric,period,value,unit,source_url\n"
            "EC,crime rate,2019,24,percent,https://x.example\n"
            "XX1,crime rate,2019,24,percent,https://x.example\n"
            "EC,crime rate,2019,25,percent,https://y.example\n"
            "GB,accuracy,2019,n/a,percent,https://x.example\n")
    with pytest.raises(ReferenceError) as exc:
        load_reference_csv(con, write(tmp_path, text))
    msg = str(exc.value)
    assert "3 problem(s)" in msg
    assert ":3: place 'XX1'" in msg and ":4: duplicate of line 2" in msg and ":5: value 'n/a'" in msg
    assert con.execute("SELECT count(*) FROM reference_stats").fetchall()[0][0] == 0


@pytest.mark.parametrize("header, message", [
    ("place,metric,value,unit,source_url", "missing column(s) period"),
    ("place,metric,period,value,unit,source_url,notes", "unknown column(s) notes"),
])
def test_bad_header(tmp_path, header, message):
    with pytest.raises(ReferenceError, match=r":1: ") as exc:
        read_reference_csv(write(tmp_path, header + "\nEC,crime,2019,1,percent,https://x.example\n"))
    assert message in str(exc.value)


def test_missing_empty_and_header_only_files(tmp_path):
    with pytest.raises(ReferenceError, match="no such file"):
        read_reference_csv(tmp_path / "nope.csv")
    with pytest.raises(ReferenceError, match="empty file"):
        read_reference_csv(write(tmp_path, ""))
    with pytest.raises(ReferenceError, match="no data rows"):
        read_reference_csv(write(tmp_path, "place,metric,period,value,unit,source_url\n"))


def test_bom_and_header_case_are_tolerated(tmp_path):
    rows = read_reference_csv(write(tmp_path, "\ufeffPlace,Metric,Period,Value,Unit,Source_URL\nec,crime,2019,1.5,Percent,https://x.example\n"))
    assert (rows[0]["place"], rows[0]["value"], rows[0]["unit"]) == ("EC", 1.5, "percent")
