"""The tagging command-line contract used by external evaluation."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from flows.cli import app

TEXT = ("Quito's ECU-911 centre was built by Huawei with a loan from China's Exim Bank. "
        "The government said crime fell 24 percent after the cameras went up, while a 2019 audit "
        "reportedly found that between 10 and 15 percent of the 4,300 cameras were broken.")


def test_tag_jsonl_schema(tmp_path):
    f = tmp_path / "ecuador.txt"
    f.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["tag", str(f), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    (line,) = [l for l in result.output.splitlines() if l.strip()]
    out = json.loads(line)
    assert out["doc"] == "ecuador.txt"
    # the contract fields plus extras: vendor_candidates (nlp/discovery.py), where each vendor name came from,
    # and the language detected from the text with how it was tagged
    contract = {"doc", "vendors", "countries", "technologies", "claims", "deals"}
    extras = {"vendor_candidates", "vendor_origins", "language", "language_confidence", "tagging"}
    assert contract <= set(out) <= contract | extras, set(out)
    assert isinstance(out["vendor_candidates"], list)
    assert (out["language"], out["tagging"]) == ("en", "full") and 0 < out["language_confidence"] <= 1
    assert "Huawei" in out["vendors"] and "EC" in out["countries"]
    for claim in out["claims"]:
        assert set(claim) == {"text", "start", "end", "metric", "direction", "value", "unit", "place", "year",
                              "source", "hedged"}
        assert TEXT[claim["start"]:claim["end"]] == claim["text"]
        assert isinstance(claim["value"], (int, float)) and not isinstance(claim["value"], bool)
    by_value = {(c["value"], c["unit"]): c for c in out["claims"]}
    assert by_value[(24, "percent")]["direction"] == "decrease"
    assert (10, "percent") in by_value and by_value[(10, "percent")]["hedged"] is True  # range -> lower bound
    assert (4300, "count") in by_value
    assert not any(c["value"] in (911, 2019) for c in out["claims"])  # names and years are not claims
    for deal in out["deals"]:
        assert set(deal) == {"vendor", "country", "kind", "technology", "year", "text"}


def test_eval_exits_non_zero_below_a_floor(tmp_path):
    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "a.txt").write_text(TEXT, encoding="utf-8")
    (dev / "gold.jsonl").write_text(json.dumps({
        "doc": "a.txt", "vendors": ["Huawei", "Hikvision"], "countries": ["CN", "EC"], "technologies": [],
        "claims": [], "deals": []}) + "\n", encoding="utf-8")
    ok = CliRunner().invoke(app, ["eval", str(dev), "--min", "vendors=0.5"])
    assert ok.exit_code == 0, ok.output
    bad = CliRunner().invoke(app, ["eval", str(dev), "--min", "vendors=0.9"])
    assert bad.exit_code == 1 and "vendors F1" in bad.output


def test_tag_jsonl_reports_a_discovered_supplier_with_its_origin(tmp_path):
    text = "The interior ministry signed a contract with Veritas Vision Systems to install CCTV in Lusaka."
    f = tmp_path / "lusaka.txt"
    f.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["tag", str(f), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip())
    (cand,) = out["vendor_candidates"]
    assert set(cand) == {"name", "text", "start", "end", "sentence", "cue"}
    assert cand["name"] == "Veritas Vision Systems" and text[cand["start"]:cand["end"]] == cand["text"]
    # open world: a firm in a supplier role is a vendor, marked as discovered (not from the gazetteer)
    assert out["vendors"] == ["Veritas Vision Systems"]
    assert out["vendor_origins"] == {"Veritas Vision Systems": "discovered"}
    assert {(d["vendor"], d["country"]) for d in out["deals"]} == {("Veritas Vision Systems", "ZM")}
