"""evaluate() arithmetic on a tiny hand-made case, and format_report()."""
from __future__ import annotations

from nlp.evaluate import evaluate, format_report, source_equal


GOLD = [
    {"doc": "a.txt", "vendors": ["Hikvision", "Huawei"], "countries": ["ZW"], "technologies": ["cctv"],
     "claims": [
         {"text": "Crime fell 24 percent.", "start": 0, "end": 22, "value": 24, "unit": "percent",
          "direction": "decrease", "place": "ZW", "source": "the police", "hedged": False},
         {"span": [30, 60], "value": 2000, "unit": "count", "direction": "level", "place": None,
          "source": None, "hedged": True},
     ],
     "deals": [{"vendor": "Hikvision", "country": "ZW", "kind": "supply"},
               {"vendor": "Huawei", "country": "ZW", "kind": "contract"}]},
    {"doc": "b.txt", "vendors": [], "countries": ["KE"], "technologies": [], "claims": [], "deals": []},
]

PRED = [
    {"doc": "a.txt", "vendors": ["hikvision", "Dahua"], "countries": ["ZW", "CN"], "technologies": ["cctv"],
     "claims": [
         {"text": "Crime fell 24 percent.", "start": 0, "end": 22, "value": 24.1, "unit": "Percent",
          "direction": "decrease", "place": "ZW", "source": "Police", "hedged": True},
         {"start": 100, "end": 120, "value": 2000, "unit": "count", "direction": "level", "place": None,
          "source": None, "hedged": True},   # right value, wrong sentence -> no match
     ],
     "deals": [{"vendor": "Hikvision", "country": "ZW", "kind": "contract"},
               {"vendor": "Hikvision", "country": "CN", "kind": "supply"}]},
    {"doc": "extra.txt", "vendors": ["NSO Group"]},  # not in gold: ignored
]


def test_evaluate_arithmetic():
    r = evaluate(PRED, GOLD)
    assert r["docs"] == 2
    v = r["labels"]["vendors"]
    assert (v["tp"], v["fp"], v["fn"]) == (1, 1, 1)
    assert v["precision"] == 0.5 and v["recall"] == 0.5 and v["f1"] == 0.5
    c = r["labels"]["countries"]
    assert (c["tp"], c["fp"], c["fn"]) == (1, 1, 1)
    t = r["labels"]["technologies"]
    assert (t["tp"], t["fp"], t["fn"]) == (1, 0, 0) and t["f1"] == 1.0
    cl = r["labels"]["claims"]
    assert (cl["tp"], cl["fp"], cl["fn"]) == (1, 1, 1)
    d = r["labels"]["deals"]
    assert (d["tp"], d["fp"], d["fn"]) == (1, 1, 1)
    a = r["attributes"]
    assert a["direction"] == 1.0 and a["place"] == 1.0 and a["source"] == 1.0
    assert a["hedged"] == 0.0 and a["unit"] == 1.0 and a["kind"] == 0.0


def test_value_tolerance_and_one_to_one():
    gold = [{"doc": "x", "claims": [{"value": 100, "unit": "count"}]}]
    pred = [{"doc": "x", "claims": [{"value": 100.9, "unit": "count"}, {"value": 100, "unit": "count"}]}]
    r = evaluate(pred, gold)["labels"]["claims"]
    assert (r["tp"], r["fp"], r["fn"]) == (1, 1, 0)
    pred = [{"doc": "x", "claims": [{"value": 102, "unit": "count"}]}]
    r = evaluate(pred, gold)["labels"]["claims"]
    assert (r["tp"], r["fp"], r["fn"]) == (0, 1, 1)


def test_source_equal():
    assert source_equal(None, None)
    assert source_equal("the Metropolitan Police", "Metropolitan Police")
    assert source_equal("police", "Metropolitan Police")
    assert not source_equal("Huawei", None)
    assert not source_equal("Huawei", "Kenyan government")


def test_empty_is_perfect_and_report_renders():
    r = evaluate([], [{"doc": "b", "vendors": [], "claims": []}])
    assert r["labels"]["vendors"]["f1"] == 1.0
    text = format_report(evaluate(PRED, GOLD))
    assert "vendors" in text and "deals" in text and "direction" in text
