"""survwatch NLP: tagging surveillance-technology news (vendors, countries, technologies,
quantitative claims, deals). A plain library: settings are passed in, nothing is read from
the environment, and nothing here imports the flows/warehouse layers."""
from __future__ import annotations

NLP_VERSION = "0.4.5"

from .tagger import Tagger, load_tagger, resolve_model_name  # noqa: E402

__all__ = ["NLP_VERSION", "Tagger", "load_tagger", "resolve_model_name"]
