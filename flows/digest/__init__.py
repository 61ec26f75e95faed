"""The weekly digest: flow ``weekly_digest`` (query -> render -> send) and its pieces, one module per job:

* ``text``: untrusted text made safe (:func:`clean`, :func:`safe_url`, addresses); ``formatting``: figures,
  labels, sparklines; ``context``: data -> display values; ``render``: the email (text, HTML, chart);
  ``send``: dry-run files, SMTP and the send log; ``flow``: the Prefect flow, its tasks and the demo digest.
* Every public name stays importable from ``flows.digest``. The Prefect-using names (``weekly_digest``,
  ``write_demo_digest``, ``preflight``, ``resolve_week`` …) load on first use, so importing the formatting
  helpers (``survwatch review``) does not import Prefect before the CLI has configured it.

* The data come from ``warehouse.digest.build_digest`` (named queries over the analyst views).
* Rendering is pure: :func:`render_message` turns that data into an ``EmailMessage``
  (``multipart/alternative``: a plain-text part and a ``multipart/related`` HTML part with the chart
  PNG referenced by Content-ID). Jinja2 templates in ``flows/templates/`` with autoescape for HTML;
  CSS inlined with css-inline; the chart is drawn by matplotlib's Agg canvas.
* Sending is I/O: :func:`deliver` (warehouse send log + smtplib), or :func:`write_files` for a dry run.

Titles, outlet names, sentences and URLs come from untrusted pages. They are cleaned of control
characters and line breaks (:func:`clean`), HTML-escaped by Jinja's autoescape, never used as a
template, and never put into a header: the Subject is built from our own words and numbers only,
and addresses come from the settings or the command line and are validated.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

from .context import build_context
from .formatting import (SPARK, TOP, country_name, fmt_claim, fmt_signed, fmt_value, plural, sparkline,
                         technology_labels)
from .render import (CHART_VENDORS, COLORS, TEMPLATES, message_parts, new_message_id, render_chart, render_html,
                     render_message, render_text, subject_for)
from .send import deliver, smtp_send, write_files
from .text import DigestError, addr_spec, check_addresses, clean, header_safe, safe_url

_FLOW_NAMES = ("weekly_digest", "write_demo_digest", "preflight", "resolve_week", "query_digest", "render_digest",
               "send_digest", "write_digest_files")


def __getattr__(name: str) -> Any:
    # PEP 562: the flow module imports Prefect, which reads its settings once: load it only when asked for
    if name in _FLOW_NAMES:
        return getattr(import_module(".flow", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["CHART_VENDORS", "COLORS", "DigestError", "SPARK", "TEMPLATES", "TOP", "addr_spec", "build_context",
           "check_addresses", "clean", "country_name", "deliver", "fmt_claim", "fmt_signed", "fmt_value",
           "header_safe", "message_parts", "new_message_id", "plural", "render_chart", "render_html",
           "render_message", "render_text", "safe_url", "smtp_send", "sparkline", "subject_for",
           "technology_labels", "write_files", *_FLOW_NAMES]
