"""MultilingualTagger: routes each text by its language (nlp.langid) to a tagger.

- English ("en") goes to the existing nlp.tagger.Tagger, unchanged: its output is exactly Tagger's.
- A language with a data file marked ``tagging: full`` (seeds/languages/es.yaml, pt.yaml, fr.yaml) goes
  to its own pipeline (nlp/languages/pipeline_<code>.cfg) and gets the full CONVENTIONS.md output.
- Any other language gets vendors (aliases, native-script names) and countries only where that is
  safe (pycountry English names and the language's own names; no demonyms, no cities); no
  technologies, claims or deals.

Each output dict gains "language", "language_confidence" and "tagging" ("full" | "entities_only").
Pipelines are built lazily, the first time a text of that language shows up.

With a relevance gate (nlp/gate.py), a text the gate finds out of scope is not parsed: its output has the
CONVENTIONS.md keys, all empty, "tagging": "out_of_scope", and its language still detected. Every output then
also has "gate_version" (the gate's fingerprint) and "gate_reason" (the terms that hit).
"""
from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator

from .gate import Gate, load_gate
from .langid import detect_language
from .tagger import Tagger, load_tagger

ENGLISH = "en"
OUT_OF_SCOPE = "out_of_scope"


def out_of_scope_tags() -> dict[str, Any]:
    """The output for a text the gate keeps out: every CONVENTIONS.md field, empty."""
    return {"vendors": [], "vendor_origins": {}, "countries": [], "technologies": [], "claims": [], "deals": [],
            "mentions": [], "vendor_candidates": []}


class MultilingualTagger:
    """Same interface as nlp.tagger.Tagger: tag(text, hint=None), tag_many(texts, batch_size, n_process,
    hints=None), pipe_names."""

    def __init__(self, model: str | None = None, seeds_dir: Path | str | None = None,
                 english: Tagger | None = None, window: int = 256, gate: Gate | None = None) -> None:
        self.model = model
        self.gate = gate
        self.seeds_dir = Path(seeds_dir) if seeds_dir else None
        self._english = english
        self._taggers: dict[str, tuple[Tagger, str]] = {}
        self.window = int(window)  # texts routed together (order is kept within and across windows)

    # ---- pipelines
    @property
    def english(self) -> Tagger:
        if self._english is None:
            self._english = load_tagger(self.model, self.seeds_dir)
        return self._english

    def tagger_for(self, lang: str) -> tuple[Tagger, str]:
        """(tagger, tagging mode) for an ISO 639-1 code, built on first use."""
        if lang == ENGLISH:
            return self.english, "full"
        if lang not in self._taggers:
            from .languages.pipeline import load_language_tagger

            self._taggers[lang] = load_language_tagger(lang, self.seeds_dir)
        return self._taggers[lang]

    def tagging_mode(self, lang: str) -> str:
        if lang == ENGLISH:
            return "full"
        from .languages.pipeline import tagging_mode

        return tagging_mode(lang, self.seeds_dir)

    @property
    def loaded_languages(self) -> list[str]:
        return ([ENGLISH] if self._english is not None else []) + sorted(self._taggers)

    @property
    def pipe_names(self) -> list[str]:
        """The English pipeline's component names (the default route), as Tagger.pipe_names."""
        return self.english.pipe_names

    def language_pipe_names(self) -> dict[str, list[str]]:
        """Component names of every pipeline loaded so far, by language."""
        out = {ENGLISH: self._english.pipe_names} if self._english is not None else {}
        out.update({k: t.pipe_names for k, (t, _) in self._taggers.items()})
        return out

    # ---- tagging
    def detect(self, text: str, hint: str | None = None) -> tuple[str, float]:
        return detect_language(text or "", hint)

    def tag(self, text: str, hint: str | None = None) -> dict[str, Any]:
        return next(self.tag_many([text], hints=[hint]))

    def tag_many(self, texts: Iterable[str], batch_size: int = 32, n_process: int = 1,
                 hints: Iterable[str | None] | None = None,
                 gated: Iterable[bool] | None = None) -> Iterator[dict[str, Any]]:
        """Tag texts in order. Texts are read in windows; within a window each language's texts go
        through that language's pipeline in one nlp.pipe call. With a gate, ``gated`` says per text whether
        the gate decides (default: every text); a text not gated is always tagged (reprocess keeps the tags
        of articles tagged before)."""
        it = iter(texts)
        hint_it = iter(hints) if hints is not None else None
        gated_it = iter(gated) if gated is not None else None
        while True:
            chunk = list(islice(it, self.window))
            if not chunk:
                return
            chunk_hints = [next(hint_it, None) for _ in chunk] if hint_it is not None else [None] * len(chunk)
            chunk_gated = [next(gated_it, True) for _ in chunk] if gated_it is not None else [True] * len(chunk)
            langs = [self.detect(t, h) for t, h in zip(chunk, chunk_hints)]
            results: list[dict[str, Any] | None] = [None] * len(chunk)
            verdicts = [self.gate.check(t) for t in chunk] if self.gate is not None else [None] * len(chunk)
            by_lang: dict[str, list[int]] = {}
            for i, (lang, _) in enumerate(langs):
                v = verdicts[i]
                if v is not None and chunk_gated[i] and not v.in_scope:
                    results[i] = dict(out_of_scope_tags(), language=lang, language_confidence=langs[i][1],
                                      tagging=OUT_OF_SCOPE)
                    continue
                by_lang.setdefault(lang, []).append(i)
            for lang, idxs in by_lang.items():
                tagger, mode = self.tagger_for(lang)
                outs = tagger.tag_many([chunk[i] for i in idxs], batch_size=batch_size, n_process=n_process)
                for i, out in zip(idxs, outs):
                    out = dict(out)
                    out["language"] = lang
                    out["language_confidence"] = langs[i][1]
                    out["tagging"] = mode
                    results[i] = out
            if self.gate is not None:
                for r, v in zip(results, verdicts):
                    r["gate_version"] = self.gate.fingerprint  # type: ignore[index]
                    r["gate_reason"] = v.reason  # type: ignore[index,union-attr]
            for r in results:
                yield r  # type: ignore[misc]


def load_multilingual_tagger(model: str | None = None, seeds_dir: Path | str | None = None,
                             gate: bool = False) -> MultilingualTagger:
    """A MultilingualTagger; `model` is the English spaCy model (resolved as nlp.tagger.load_tagger does),
    `seeds_dir` defaults to the repo's seeds/; `gate`: put the relevance gate (nlp/gate.py, its vocabulary from
    the same seeds) before the parse. Nothing is loaded until the first text arrives."""
    return MultilingualTagger(model=model, seeds_dir=seeds_dir, gate=load_gate(seeds_dir) if gate else None)
