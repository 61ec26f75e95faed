"""Where the shared real-page corpus is: ``../shared/corpora/article-extraction-benchmark`` next to the repository
root (for a git worktree, next to the main checkout too). SURVWATCH_EXTRACTION_CORPUS overrides."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RELATIVE = Path("shared") / "corpora" / "article-extraction-benchmark"


def _main_checkout(root: Path) -> Path | None:
    """A worktree's .git is a file 'gitdir: <main>/.git/worktrees/<name>': the main checkout's root."""
    dot_git = root / ".git"
    if not dot_git.is_file():
        return None
    line = dot_git.read_text(encoding="utf-8").strip()
    if not line.startswith("gitdir:"):
        return None
    gitdir = Path(line.split(":", 1)[1].strip())
    return gitdir.parents[2] if gitdir.parent.name == "worktrees" else None


def extraction_corpus() -> Path | None:
    """The corpus folder (with html/ and ground-truth.json), or None when absent."""
    env = os.environ.get("SURVWATCH_EXTRACTION_CORPUS")
    candidates = [Path(env)] if env else []
    candidates.append(ROOT.parent / RELATIVE)
    main = _main_checkout(ROOT)
    if main is not None:
        candidates.append(main.parent / RELATIVE)
    for c in candidates:
        if (c / "ground-truth.json").is_file() and (c / "html").is_dir():
            return c
    return None
