"""Loading gold sets for `survwatch eval`.

Two shapes:

- self-written sets: ``DIR/gold.jsonl`` plus the texts ``DIR/<doc>`` in the repository;
- real-news sets: ``DIR/manifest.jsonl`` (URL, sha256, language of each doc) plus ``DIR/gold.jsonl`` with offsets
  only. The texts are other people's writing, so they live in a local cache outside the repository:
  ``$SURVWATCH_REALNEWS_CACHE/<set name>/<doc>`` (default ``~/.cache/survwatch/realnews``). A doc whose cached text
  is missing or does not match the manifest's sha256 is left out and reported, never scored against the wrong text.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_CACHE = Path("~/.cache/survwatch/realnews")


def realnews_cache_root() -> Path:
    return Path(os.environ.get("SURVWATCH_REALNEWS_CACHE") or DEFAULT_CACHE).expanduser()


@dataclass
class GoldSet:
    directory: Path
    gold: list[dict[str, Any]]
    texts: list[str]
    languages: list[str | None]
    # docs left out, with the reason ("not cached", "sha256 differs")
    left_out: list[tuple[str, str]] = field(default_factory=list)
    cache_dir: Path | None = None

    @property
    def docs(self) -> list[str]:
        return [g["doc"] for g in self.gold]


class GoldSetError(ValueError):
    pass


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldSetError(f"cannot read {path}: {exc}") from exc


def load_gold_set(directory: Path, cache_root: Path | None = None) -> GoldSet:
    """Read a gold set; raises GoldSetError with what to do when the folder is not one."""
    gold_path = directory / "gold.jsonl"
    if not gold_path.is_file():
        raise GoldSetError(f"{gold_path} not found: the directory needs gold.jsonl and either the texts "
                           "or a manifest.jsonl (real-news set)")
    gold = _read_jsonl(gold_path)
    manifest_path = directory / "manifest.jsonl"
    if not manifest_path.is_file():
        missing = [g["doc"] for g in gold if not (directory / g["doc"]).is_file()]
        if missing:
            raise GoldSetError(f"{directory}: texts missing for {', '.join(missing[:5])}"
                               f"{' …' if len(missing) > 5 else ''}")
        texts = [(directory / g["doc"]).read_text(encoding="utf-8") for g in gold]
        return GoldSet(directory, gold, texts, [g.get("language") for g in gold])

    manifest = {m["doc"]: m for m in _read_jsonl(manifest_path)}
    cache_dir = (cache_root or realnews_cache_root()) / directory.resolve().name
    kept_gold, texts, languages, left_out = [], [], [], []
    for g in gold:
        entry = manifest.get(g["doc"])
        if entry is None:
            raise GoldSetError(f"{manifest_path}: no entry for gold doc {g['doc']!r}")
        path = cache_dir / g["doc"]
        if not path.is_file():
            left_out.append((g["doc"], "not cached"))
            continue
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != entry.get("sha256"):
            left_out.append((g["doc"], "sha256 differs from the manifest"))
            continue
        kept_gold.append(g)
        texts.append(raw.decode("utf-8"))
        languages.append(entry.get("language"))
    return GoldSet(directory, kept_gold, texts, languages, left_out, cache_dir)
