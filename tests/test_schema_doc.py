"""warehouse/SCHEMA.md is generated from the COMMENT ONs and must be current."""
from __future__ import annotations

import tempfile
from pathlib import Path

import warehouse
from warehouse import schema_doc


def test_schema_md_is_up_to_date():
    expected = schema_doc.generate()
    current = schema_doc.SCHEMA_PATH.read_text(encoding="utf-8") if schema_doc.SCHEMA_PATH.exists() else ""
    assert current == expected, (
        f"{schema_doc.SCHEMA_PATH} is stale: regenerate it with `survwatch schema --write` "
        "(or `.venv/bin/python -c 'from warehouse import schema_doc; "
        "schema_doc.SCHEMA_PATH.write_text(schema_doc.generate())'`)")


def test_every_table_view_column_and_macro_is_commented():
    with tempfile.TemporaryDirectory() as tmp:
        con = warehouse.open_for_writing(Path(tmp) / "w.duckdb")
        try:
            assert schema_doc.undocumented(con) == []
        finally:
            con.close()


def test_schema_md_lists_views_columns_and_types():
    text = schema_doc.generate()
    assert schema_doc.UNDOCUMENTED not in text
    for name in ("### items", "### claim_spread", "### trending", "### rollup_claims", "## Macros"):
        assert name in text
    assert "| `week_start` | DATE |" in text
    assert "| `item_id` | VARCHAR NOT NULL | First 16 hex of sha1(canonical_url). |" in text
    assert "`claim_tolerance`" in text
