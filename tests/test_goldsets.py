"""Gold-set loading for `survwatch eval`: repository texts, and real-news manifests with a local cache."""
import hashlib
import json

import pytest

from flows.goldsets import GoldSetError, load_gold_set


def _write_manifest_set(tmp_path, text: str, sha: str | None = None):
    d = tmp_path / "realset"
    d.mkdir()
    sha = sha or hashlib.sha256(text.encode()).hexdigest()
    (d / "manifest.jsonl").write_text(json.dumps({"doc": "01.txt", "url": "https://example.org/a",
                                                  "sha256": sha, "language": "es"}) + "\n")
    (d / "gold.jsonl").write_text(json.dumps({"doc": "01.txt", "vendors": [], "countries": [],
                                              "technologies": [], "claims": [], "deals": []}) + "\n")
    return d


def test_manifest_set_reads_cache_and_checks_hash(tmp_path):
    d = _write_manifest_set(tmp_path, "Texto de prueba.")
    cache = tmp_path / "cache"
    (cache / "realset").mkdir(parents=True)
    (cache / "realset" / "01.txt").write_text("Texto de prueba.")
    gs = load_gold_set(d, cache_root=cache)
    assert gs.texts == ["Texto de prueba."] and gs.languages == ["es"] and not gs.left_out


def test_manifest_set_without_cache_leaves_docs_out(tmp_path):
    d = _write_manifest_set(tmp_path, "Texto de prueba.")
    gs = load_gold_set(d, cache_root=tmp_path / "nowhere")
    assert gs.gold == [] and gs.left_out == [("01.txt", "not cached")]


def test_manifest_set_rejects_changed_text(tmp_path):
    d = _write_manifest_set(tmp_path, "Texto de prueba.")
    cache = tmp_path / "cache"
    (cache / "realset").mkdir(parents=True)
    (cache / "realset" / "01.txt").write_text("Texto cambiado.")
    gs = load_gold_set(d, cache_root=cache)
    assert gs.gold == [] and gs.left_out[0][1].startswith("sha256")


def test_plain_set_needs_its_texts(tmp_path):
    (tmp_path / "gold.jsonl").write_text(json.dumps({"doc": "a.txt"}) + "\n")
    with pytest.raises(GoldSetError, match="texts missing for a.txt"):
        load_gold_set(tmp_path)
