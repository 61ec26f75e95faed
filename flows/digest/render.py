"""Rendering: the digest data -> an EmailMessage (text, HTML with inlined CSS, chart PNG). Pure."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import textwrap
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import cache
from pathlib import Path
from typing import Any

from .context import build_context
from .formatting import CHART_VENDORS, plural
from .text import addr_spec, clean, header_safe

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00"]  # Okabe-Ito: colour-blind safe


def subject_for(data: dict[str, Any]) -> str:
    """Our own words and numbers only (never a title or a name from a page)."""
    c = data["counts"]
    if not c["articles"]:
        return header_safe(f"survwatch weekly digest {data['week']}: no new articles")
    return header_safe(f"survwatch weekly digest {data['week']}: {plural(c['articles'], 'article')}, "
                       f"{plural(c['deals'], 'new deal')}")


def render_chart(weeks: list[str], series: dict[str, list[int]]) -> bytes | None:
    """PNG line chart of weekly articles per vendor (matplotlib Agg canvas, no pyplot state)."""
    if not series:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(6.0, 2.6), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    x = list(range(len(weeks)))
    for (name, values), color in zip(series.items(), COLORS):
        ax.plot(x, values, marker="o", markersize=3, linewidth=1.8, color=color, label=name)
    ax.set_xticks(x, [w.split("-")[-1] for w in weeks], fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.set_ylim(bottom=0)
    ax.set_ylabel("articles / week", fontsize=9)
    ax.grid(axis="y", color="#e5e7eb", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(fontsize=8.5, frameon=False, ncols=min(len(series), 5), loc="lower left", bbox_to_anchor=(0, 1.0),
              handlelength=1.5, columnspacing=1.2)
    fig.tight_layout(pad=0.6)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


@cache
def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=True, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["wrap"] = _wrap
    env.filters["plural"] = plural
    return env


def _wrap(text: str, width: int = 76, indent: str = "", first: str | None = None) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent if first is None else first,
                         subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


def render_text(ctx: dict[str, Any]) -> str:
    return _environment().get_template("digest.txt").render(**ctx)


def render_html(ctx: dict[str, Any], chart_src: str | None) -> str:
    import css_inline

    html = _environment().get_template("digest.html").render(chart_src=chart_src, **ctx)
    inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
    return inliner.inline(html)


def render_message(data: dict[str, Any], *, sender: str, recipients: list[str], message_id: str,
                   date: dt.datetime, tech_labels: dict[str, str] | None = None) -> EmailMessage:
    """Digest data -> the email (pure: same inputs, same message).

    multipart/alternative
      text/plain                 readable on its own (sparklines instead of the chart)
      multipart/related
        text/html                CSS inlined; <img src="cid:…">
        image/png                the chart, Content-ID referenced from the HTML
    """
    ctx = build_context(data, tech_labels=tech_labels)
    vendors = {clean(r["entity"], 40): data["series"]["vendor"].get(r["entity"], [])
               for r in data["vendors"][:CHART_VENDORS]}
    png = render_chart(data["series_weeks"], vendors) if vendors else None
    local, _, domain = message_id.strip("<>").partition("@")
    cid = f"<chart.{hashlib.sha1(local.encode()).hexdigest()[:12]}@{domain or 'survwatch.invalid'}>"
    msg = EmailMessage()
    msg["Subject"] = subject_for(data)
    msg["From"] = sender
    if recipients:
        msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(date.replace(tzinfo=dt.timezone.utc) if date.tzinfo is None else date)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Survwatch-Week"] = header_safe(data["week"])
    msg.set_content(render_text(ctx), cte="quoted-printable")
    msg.add_alternative(render_html(ctx, f"cid:{cid.strip('<>')}" if png else None), subtype="html",
                        cte="quoted-printable")
    if png:
        msg.get_payload()[1].add_related(png, "image", "png", cid=cid, disposition="inline",
                                         filename=f"mentions-{data['week']}.png")
    return msg


def message_parts(msg: EmailMessage) -> tuple[str, str, bytes | None, str | None]:
    """(text, html, chart png, chart Content-ID without <>) of a digest message."""
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    png, cid = None, None
    for part in msg.walk():
        if part.get_content_type() == "image/png":
            png, cid = part.get_content(), str(part["Content-ID"]).strip().strip("<>")
    return text, html, png, cid


def new_message_id(sender: str) -> str:
    domain = addr_spec(sender).rpartition("@")[2] or "survwatch.invalid"
    return make_msgid(idstring="digest", domain=header_safe(domain) or "survwatch.invalid")
