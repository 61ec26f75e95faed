"""The weekly digest: flow ``weekly_digest`` (query -> render -> send) and its pieces.

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

import base64
import datetime as dt
import hashlib
import io
import smtplib
import ssl
import textwrap
import unicodedata
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

import warehouse
from warehouse import digest as wd

from .settings import Settings

TEMPLATES = Path(__file__).resolve().parent / "templates"
TOP = 5  # lines per list; the rest is "and N more"
CHART_VENDORS = 5
SPARK = "▁▂▃▄▅▆▇█"
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00"]  # Okabe-Ito: colour-blind safe


class DigestError(Exception):
    """A digest problem worded for the person running the command (settings, addresses, SMTP)."""


# ------------------------------------------------------------------------------ untrusted text

_LINE_BREAKS = set("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def clean(text: Any, limit: int | None = None) -> str:
    """One line of display text from untrusted input: line breaks and tabs become spaces, control and
    format characters (bidi overrides, zero-width …) are dropped, runs of spaces collapse, and the
    result is cut at ``limit`` characters on a word boundary with an ellipsis."""
    if text is None:
        return ""
    out = []
    for ch in unicodedata.normalize("NFC", str(text)):
        if ch in _LINE_BREAKS or ch == "\t":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            continue
        else:
            out.append(ch)
    s = " ".join("".join(out).split())
    if limit and len(s) > limit:
        cut = s[: limit - 1]
        if " " in cut[limit // 2:]:
            cut = cut[: cut.rindex(" ")]
        s = cut.rstrip(" ,;:.-") + "…"
    return s


def header_safe(text: str) -> str:
    """Text for a header: one clean line, no encoded-word delimiters (=? ?=), printable ASCII only."""
    s = clean(text).replace("=?", "= ?").replace("?=", "? =")
    return "".join(ch for ch in s if 32 <= ord(ch) < 127)


def safe_url(url: Any) -> str | None:
    """``url`` if it is an absolute http(s) URL without whitespace or control characters, else None
    (so ``javascript:`` and friends never become links)."""
    if not url:
        return None
    u = str(url).strip()
    if len(u) > 2000 or any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in u):
        return None
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return u


def check_addresses(addresses: list[str] | tuple[str, ...]) -> list[str]:
    """Validate recipient/sender addresses (no line breaks, one addr-spec each); return them cleaned.
    Accepts comma-separated values too (``--to a@x,b@y``)."""
    out: list[str] = []
    for value in addresses:
        for raw in str(value).split(","):
            a = raw.strip()
            if not a:
                continue
            if any(ch in a for ch in "\r\n\0") or any(unicodedata.category(ch) == "Cc" for ch in a):
                raise DigestError(f"address {a!r} contains control characters")
            _, spec = parseaddr(a)
            local, at, domain = spec.rpartition("@")
            if not at or not local or not domain or any(ch.isspace() for ch in spec):
                raise DigestError(f"{a!r} is not an email address")
            out.append(a)
    return out


def addr_spec(address: str) -> str:
    return parseaddr(address)[1]


# ------------------------------------------------------------------------------------ formatting

def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


@cache
def country_name(code: str | None) -> str:
    if not code:
        return ""
    try:
        import pycountry

        c = pycountry.countries.get(alpha_2=code.upper())
    except Exception:  # pycountry missing or odd input: the code is still meaningful
        c = None
    if c is None:
        return {"XK": "Kosovo", "EU": "European Union"}.get(code.upper(), code)
    return getattr(c, "common_name", None) or c.name


@cache
def technology_labels(seeds_dir: str) -> dict[str, str]:
    """Technology id -> label from seeds/technologies.yaml (empty when unreadable)."""
    try:
        import yaml

        entries = yaml.safe_load((Path(seeds_dir) / "technologies.yaml").read_text(encoding="utf-8")) or []
        return {e["id"]: e.get("label") or e["id"] for e in entries if isinstance(e, dict) and "id" in e}
    except Exception:
        return {}


def _num(v: float) -> str:
    if float(v).is_integer():
        return f"{v:,.0f}"
    return f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 10 else f"{v:,.1f}".rstrip("0").rstrip(".")


def _compact(v: float) -> str:
    a = abs(v)
    if a >= 1e9:
        return f"{_num(round(v / 1e9, 2))} billion"
    if a >= 1e6:
        return f"{_num(round(v / 1e6, 2))} million"
    return _num(v)


def fmt_value(value: float | None, unit: str | None) -> str:
    if value is None:
        return "?"
    unit = clean(unit, 20)
    if unit == "percent":
        return f"{_num(value)}%"
    if unit == "count" or not unit:
        return _compact(value)
    if len(unit) == 3 and unit.isalpha() and unit.isupper():  # ISO 4217
        return f"{unit} {_compact(value)}"
    return f"{_num(value)} {unit}"


def fmt_claim(metric: str | None, direction: str | None, value: float | None, unit: str | None) -> str:
    what = clean(metric, 60) or "figure"
    figure = fmt_value(value, unit)
    if direction == "decrease":
        return f"{what} down {figure}"
    if direction == "increase":
        return f"{what} up {figure}"
    return f"{what}: {figure}"


def fmt_signed(x: float) -> str:
    s = _num(round(abs(x), 1))
    return ("+" if x > 0 else "−" if x < 0 else "±") + s


def sparkline(values: list[int]) -> str:
    top = max(values or [0])
    if top <= 0:
        return SPARK[0] * len(values)
    return "".join(SPARK[0] if v <= 0 else SPARK[min(7, 1 + round(v / top * 6))] for v in values)


def _link(url: Any, title: Any, outlet: Any) -> dict[str, Any]:
    u = safe_url(url)
    title = clean(title, 110) or clean(url, 80) or "(untitled)"
    return {"url": u, "title": title, "short": clean(title, 66), "outlet": clean(outlet, 50)}


def _day(ts: dt.datetime | dt.date | None) -> str:
    return ts.strftime("%d %b %Y").lstrip("0") if ts else "never"


# ------------------------------------------------------------------------------------- the view

def build_context(data: dict[str, Any], *, tech_labels: dict[str, str] | None = None) -> dict[str, Any]:
    """Display-ready values for both templates (top lines, labels, signed changes, sparklines)."""
    tech_labels = tech_labels or {}

    def label(kind: str, entity: str) -> str:
        if kind == "country":
            return clean(country_name(entity), 40)
        if kind == "technology":
            return clean(tech_labels.get(entity) or entity.replace("_", " "), 40)
        return clean(entity, 40)

    def top(rows: list[dict[str, Any]], n: int = TOP) -> tuple[list[dict[str, Any]], int]:
        return rows[:n], max(0, len(rows) - n)

    def movers(kind: str) -> dict[str, Any]:
        rows, more = top(data["vendors" if kind == "vendor" else "countries"])
        series = data["series"].get(kind, {})
        out = []
        for r in rows:
            values = series.get(r["entity"], [])
            out.append({"label": label(kind, r["entity"]), "short": clean(label(kind, r["entity"]), 22),
                        "code": r["entity"] if kind == "country" else "",
                        "articles": int(r["articles"]), "stories": int(r["stories"]),
                        "baseline": _num(round(r["baseline"], 1)), "change": fmt_signed(r["change"]),
                        "direction": "up" if r["change"] > 0 else "down" if r["change"] < 0 else "flat",
                        "is_new": bool(r["is_new"]), "spark": sparkline(values),
                        "link": _link(r["example_url"], r["example_title"], r["example_outlet"])})
        return {"rows": out, "more": more}

    def deal(d: dict[str, Any]) -> dict[str, Any]:
        techs = [label("technology", t) for t in (d["technologies"] or [])]
        return {"vendor": clean(d["vendor"], 40), "country": label("country", d["country"]),
                "code": clean(d["country"], 3), "kind": clean(d["kind"], 20),
                "technology": ", ".join(techs) or "technology not stated",
                "years": ", ".join(str(y) for y in (d["years"] or [])), "articles": int(d["articles"]),
                "evidence": clean(d["evidence"], 240), "link": _link(d["url"], d["title"], d["outlet"])}

    def candidate(v: dict[str, Any]) -> dict[str, Any]:
        return {"name": clean(v["name"], 60), "articles": int(v["articles"]), "outlets": int(v["outlets"]),
                "evidence": clean(v["evidence"], 240), "link": _link(v["url"], v["title"], v["outlet"])}

    def claim(c: dict[str, Any]) -> dict[str, Any]:
        return {"text": fmt_claim(c["metric"], c["direction"], c["value"], c["unit"]),
                "place": label("country", c["place"]) if c["place"] else "",
                "year": c["year"] or "", "claimant": clean(c["claimant"], 60),
                "hedged": bool(c["hedged"]), "copies": int(c.get("copies") or 1),
                "sentence": clean(c["sentence"], 240), "link": _link(c["article_url"], c["title"], c["outlet"])}

    def spread(s: dict[str, Any]) -> dict[str, Any]:
        claimants = [clean(x, 40) for x in (s["claimants"] or [])]
        same = s["min_value"] == s["max_value"]
        return {"text": fmt_claim(s["metric_family"], s["direction"], s["value"], s["unit"]),
                "range": "" if same else f"{fmt_value(s['min_value'], s['unit'])}–{fmt_value(s['max_value'], s['unit'])}",
                "place": label("country", s["place"]) if s["place"] else "", "year": s["year"] or "",
                "outlets": int(s["outlets"]), "articles": int(s["articles"]), "stories": int(s["stories"]),
                "this_week": int(s["articles_this_week"]),
                "without_claimant": int(s["articles_without_claimant"]),
                "claimants": ", ".join(claimants[:3]) + (f" +{len(claimants) - 3}" if len(claimants) > 3 else ""),
                "first_claimant": clean(s["first_claimant"], 60),
                "first_seen": _day(s["first_appeared_at"]),
                "sentence": clean(s["first_sentence"], 240),
                "link": _link(s["first_url"], s["first_title"], s["first_outlet"])}

    def conflict(k: dict[str, Any]) -> dict[str, Any]:
        side = {}
        for p in ("a", "b"):
            side[p] = {"text": fmt_claim(k["metric_family"], k[f"{p}_direction"], k[f"{p}_value"], k["unit"]),
                       "claimant": clean(k[f"{p}_claimant"], 60), "articles": int(k[f"{p}_articles"]),
                       "link": _link(k[f"{p}_url"], None, k[f"{p}_outlet"])}
        return {"kind": "opposite directions" if k["conflict"] == "direction" else "different figures",
                "place": label("country", k["place"]), "year": k["year"] or "", "a": side["a"], "b": side["b"]}

    def check(c: dict[str, Any]) -> dict[str, Any]:
        return {"text": fmt_claim(c["metric"], c["direction"], c["value"], c["unit"]),
                "place": label("country", c["place"]), "year": c["year"] or "",
                "claimant": clean(c["claimant"], 60),
                "reference": fmt_value(c["reference_value"], c["unit"]),
                "reference_metric": clean(c["reference_metric"], 60), "period": clean(c["reference_period"], 20),
                "reference_url": safe_url(c["reference_source_url"]),
                "reference_host": clean(urlsplit(str(c["reference_source_url"] or "")).netloc, 60),
                "difference": fmt_signed(c["difference"] or 0),
                "sentence": clean(c["sentence"], 240), "link": _link(c["article_url"], c["title"], c["outlet"])}

    def feed(f: dict[str, Any]) -> dict[str, Any]:
        why = {"failing": f"failing: {f['consecutive_failures']} failed fetches in a row",
               "never_fetched": "never fetched",
               "quiet": "quiet: no new item in 14 days" if f["last_new_item_at"] else "quiet: never a new item"}
        return {"title": clean(f["title"], 70) or clean(f["url"], 70), "url": safe_url(f["url"]),
                "status": f["status"], "why": why.get(f["status"], f["status"]),
                "error": clean(f["last_error"], 60), "last_new": _day(f["last_new_item_at"]),
                "last_success": _day(f["last_success_at"])}

    h = data["headline"]
    start = data["week_start"]
    last_day = data["week_end"] - dt.timedelta(days=1)
    new_entities, new_more = top(data["new_entities"], 8)
    pairs, pairs_more = top(data["new_pairs"])
    known, known_more = top(data["known_pair_deals"], 3)
    new_vendors, new_vendors_more = top(data["new_vendors"], 3)
    claims, claims_more = top(data["new_claims"])
    spreading, spreading_more = top(data["spreading"])
    conflicts, conflicts_more = top(data["conflicts"], 3)
    checks, checks_more = top(data["reference_checks"], 3)
    feeds, feeds_more = top(data["feeds"])
    chart_names = [label("vendor", r["entity"]) for r in data["vendors"][:CHART_VENDORS]]
    ws = data["week_start"].strftime("%Y-%m-%d")
    we = data["week_end"].strftime("%Y-%m-%d")
    return {
        "week": data["week"],
        "period": f"{start.strftime('%a')} {_day(start)} – {last_day.strftime('%a')} {_day(last_day)}",
        "generated": data["generated_at"].strftime("%Y-%m-%d %H:%M UTC"),
        "empty": int(h["articles"]) == 0,
        "headline": {"articles": int(h["articles"]), "outlets": int(h["outlets"]), "stories": int(h["stories"]),
                     "items": int(h["items"]), "feeds_failing": int(h["feeds_failing"]),
                     "feeds_quiet": int(h["feeds_quiet"]), "feeds_never": int(h["feeds_never_fetched"])},
        "counts": data["counts"],
        # "en 40 · es 7 · pt 3 (names only) · de 1 (names only)": which languages the week's articles were in
        "languages": [{"language": clean(r["language"], 12), "articles": int(r["articles"]),
                       "names_only": r["tagging"] == "entities_only"} for r in data.get("languages", [])],
        "vendors": movers("vendor"),
        "countries": movers("country"),
        "new_entities": [{"label": label(e["entity_type"], e["entity"]), "kind": e["entity_type"],
                          "articles": int(e["articles"]),
                          "link": _link(e["example_url"], e["example_title"], e["example_outlet"])}
                         for e in new_entities],
        "new_entities_more": new_more,
        "series_weeks": data["series_weeks"],
        "chart_alt": ("Line chart: weekly articles mentioning " + ", ".join(chart_names)
                      + f", {data['series_weeks'][0]} to {data['series_weeks'][-1]}") if chart_names else "",
        "new_pairs": [deal(d) for d in pairs], "new_pairs_more": pairs_more,
        "known_deals": [deal(d) for d in known], "known_deals_more": known_more,
        "new_vendors": [candidate(v) for v in new_vendors], "new_vendors_more": new_vendors_more,
        "claims": [claim(c) for c in claims], "claims_more": claims_more,
        "spreading": [spread(s) for s in spreading], "spreading_more": spreading_more,
        "conflicts": [conflict(k) for k in conflicts], "conflicts_more": conflicts_more,
        "checks": [check(c) for c in checks], "checks_more": checks_more,
        "feeds": [feed(f) for f in feeds], "feeds_more": feeds_more,
        "params": f"$week_start = TIMESTAMP '{ws}', $week_end = TIMESTAMP '{we}'",
        "reproduce": [
            ("Headline", "articles ⋈ items", "headline.sql"),
            ("Languages", "articles ⋈ items (language_coverage for all weeks)", "languages.sql"),
            ("What moved", "mentions_weekly (trending for the latest week)", "movers.sql, series.sql"),
            ("Deals", "deals ⋈ items; vendor_country for all weeks", "deals.sql"),
            ("Unlisted firms", "vendor_candidates ⋈ items; unknown_vendors for all weeks", "new_vendors.sql"),
            ("New claims", "claims_ledger", "new_claims.sql"),
            ("Spreading claims", "claim_spread", "spreading.sql"),
            ("Conflicting figures", "claim_conflicts", "conflicts.sql"),
            ("Reference checks", "claim_checks, reference_stats", "reference_checks.sql"),
            ("Feed health", "feed_health", "feed_health.sql"),
        ],
    }


# ---------------------------------------------------------------------------------------- render

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


# ------------------------------------------------------------------------------------------- I/O

def write_files(msg: EmailMessage, out_dir: Path, week: str) -> dict[str, Path]:
    """Dry run: ``digest-YYYY-Www.eml`` (the message as it would be sent) and ``.html`` (its HTML
    part, with the chart as a data: URI so a browser shows it)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _, html, png, cid = message_parts(msg)
    if png and cid:
        html = html.replace(f'src="cid:{cid}"', 'src="data:image/png;base64,' + base64.b64encode(png).decode() + '"')
    eml = out_dir / f"digest-{week}.eml"
    page = out_dir / f"digest-{week}.html"
    eml.write_bytes(msg.as_bytes())
    page.write_text(html, encoding="utf-8")
    return {"eml": eml, "html": page}


class _SendFailed(Exception):
    """The SMTP server certainly did not accept the message."""


class _SendUnknown(Exception):
    """The connection broke during the transaction: the message may or may not have been accepted."""


def smtp_send(msg: EmailMessage, settings: Settings, envelope_to: list[str]) -> dict[str, Any]:
    """One SMTP transaction; returns refused recipients. Raises _SendFailed or _SendUnknown."""
    host, port = settings.smtp_host, settings.smtp_port_effective
    context = ssl.create_default_context()
    try:
        if settings.smtp_security == "ssl":
            client = smtplib.SMTP_SSL(host, port, timeout=settings.smtp_timeout, context=context)
        else:
            client = smtplib.SMTP(host, port, timeout=settings.smtp_timeout)
    except (smtplib.SMTPException, OSError) as exc:
        raise _SendFailed(f"cannot connect to {host}:{port}: {exc}") from None
    try:
        try:
            client.ehlo()
            if settings.smtp_security == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if settings.smtp_user:
                password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                client.login(settings.smtp_user, password)
        except (smtplib.SMTPException, OSError) as exc:
            raise _SendFailed(f"SMTP session with {host}:{port} failed: {exc}") from None
        try:
            return client.send_message(msg, from_addr=addr_spec(settings.smtp_from), to_addrs=envelope_to)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
                smtplib.SMTPNotSupportedError) as exc:
            raise _SendFailed(f"{host}:{port} refused the message: {exc}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise _SendUnknown(f"connection to {host}:{port} broke during the transaction: {exc}") from None
    finally:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _describe(sends: list[dict[str, Any]]) -> str:
    s = sends[0]
    when = (s["sent_at"] or s["started_at"]).strftime("%Y-%m-%d %H:%M UTC")
    if s["status"] == "sent":
        return f"already sent on {when} to {', '.join(s['recipients'])} ({s['message_id']})"
    return (f"a send attempt started {when} did not finish, so the digest may or may not have been delivered "
            f"({s['message_id']}); check the inbox")


def deliver(msg: EmailMessage, *, db: Path, week: str, counts: dict[str, int], recipients: list[str],
            settings: Settings, force: bool = False) -> dict[str, Any]:
    """Send ``msg`` once and record it in the ``digests`` table of the warehouse.

    The order, and why (a mail is never sent twice without --force, nor recorded as sent unless the
    SMTP server accepted it):

    1. Open the work file for writing. This takes DuckDB's writer lock; if a running ingest holds
       it we fail here with its WarehouseError, before anything is sent. Keeping the lock until the
       end makes this process the only one that can send or record a digest meanwhile.
    2. Look for an earlier send of the week in the work file (the authoritative copy; the published
       file may lag). Found and not ``force``: stop, nothing sent.
    3. Record the attempt as ``sending`` and commit, *before* talking to the SMTP server. If the
       process dies during the transaction, that row blocks a second send (at most once) and tells
       the next run that delivery is unknown.
    4. The SMTP transaction.
    5. Update the row: ``sent`` (accepted), ``failed`` (certainly not accepted, e.g. connection
       refused or recipients refused; a later run may send) or left ``sending`` (the connection broke
       mid-transaction: unknown, so it is not retried automatically).
    6. Close and publish, so analysts see the row in the published file.
    """
    con = warehouse.open_for_writing(db)  # 1
    status, error, refused = "sending", None, {}
    message_id = str(msg["Message-ID"])
    try:
        earlier = wd.sends_for_week(con, week)  # 2
        if earlier and not force:
            return {"status": "already_sent", "detail": _describe(earlier), "previous": earlier}
        started = _now()
        wd.reserve_send(con, message_id=message_id, week=week, subject=str(msg["Subject"]),  # 3 (autocommit)
                        recipients=[addr_spec(r) for r in recipients], counts=counts, forced=bool(earlier),
                        started_at=started)
        try:
            refused = smtp_send(msg, settings, [addr_spec(r) for r in recipients])  # 4
            status = "sent"
            if refused:
                error = "refused recipients: " + ", ".join(sorted(refused))
        except _SendFailed as exc:
            status, error = "failed", str(exc)
        except _SendUnknown as exc:
            status, error = "sending", str(exc)
        wd.finish_send(con, message_id, status, sent_at=_now() if status == "sent" else None, error=error)  # 5
    finally:
        con.close()
    warehouse.publish(db)  # 6
    if status == "failed":
        raise DigestError(f"digest {week} not sent: {error} (recorded as failed; run again to retry)")
    if status == "sending":
        raise DigestError(f"digest {week}: {error}. It may or may not have been delivered; it is recorded "
                          f"as 'sending' and will not be sent again without --force")
    return {"status": "sent", "detail": error, "refused": sorted(refused), "message_id": message_id}


# ------------------------------------------------------------------------------------ flow, tasks

@task(cache_policy=NO_CACHE)
def query_digest(db_path: str, week: str) -> dict[str, Any]:
    """Digest data from the published warehouse (read-only), plus earlier sends of the week."""
    con = warehouse.open_read_only(db_path)
    try:
        data = wd.build_digest(con, week)
        data["previous_sends"] = wd.sends_for_week(con, week)
    finally:
        con.close()
    return data


@task(cache_policy=NO_CACHE)
def render_digest(data: dict[str, Any], sender: str, recipients: list[str], seeds_dir: str) -> EmailMessage:
    return render_message(data, sender=sender, recipients=recipients, message_id=new_message_id(sender),
                          date=_now(), tech_labels=technology_labels(seeds_dir))


@task(cache_policy=NO_CACHE)
def send_digest(msg: EmailMessage, db_path: str, week: str, counts: dict[str, int], recipients: list[str],
                settings: Settings, force: bool) -> dict[str, Any]:
    return deliver(msg, db=Path(db_path), week=week, counts=counts, recipients=recipients, settings=settings,
                   force=force)


@task(cache_policy=NO_CACHE)
def write_digest_files(msg: EmailMessage, out_dir: str, week: str) -> dict[str, Path]:
    return write_files(msg, Path(out_dir), week)


def preflight(settings: Settings, to: list[str] | None, dry_run: bool) -> tuple[str, list[str]]:
    """(sender, recipients) after checking the settings a send needs; raises DigestError. The CLI
    calls it before starting Prefect so that a missing setting fails fast."""
    sender = check_addresses([settings.smtp_from])
    if len(sender) != 1:
        raise DigestError(f"SURVWATCH_SMTP_FROM must be one address, got {settings.smtp_from!r}")
    recipients = check_addresses(to if to else settings.smtp_to)
    if not dry_run:
        if not recipients:
            raise DigestError("no recipients: pass --to ADDR or set SURVWATCH_SMTP_TO")
        if not settings.smtp_host:
            raise DigestError("no SMTP server: set SURVWATCH_SMTP_HOST (or use --dry-run --out DIR)")
    return sender[0], recipients


def resolve_week(week: str | None) -> str:
    """Normalise a week label (2026-W7 -> 2026-W07); default: the last complete ISO week (UTC)."""
    if not week:
        return wd.last_complete_week()
    return wd.week_label(wd.parse_week(week))


@flow(name="weekly_digest", log_prints=False)
def weekly_digest(week: str | None = None, db_path: str | None = None, to: list[str] | None = None,
                  dry_run_dir: str | None = None, force: bool = False,
                  settings: Settings | None = None) -> dict[str, Any]:
    """Build the digest of an ISO week (default: the last complete one) and send it once, or with
    ``dry_run_dir`` write ``digest-YYYY-Www.eml`` and ``.html`` there instead (nothing recorded)."""
    s = settings or Settings()
    logger = get_run_logger()
    week = resolve_week(week)
    db = Path(db_path) if db_path else s.db
    sender, recipients = preflight(s, to, dry_run=bool(dry_run_dir))
    data = query_digest(str(db), week)
    result: dict[str, Any] = {"week": week, "counts": data["counts"], "recipients": recipients}
    if not dry_run_dir and data["previous_sends"] and not force:
        # cheap early answer from the published file; deliver() checks again under the writer lock
        logger.info("digest %s %s", week, _describe(data["previous_sends"]))
        return {**result, "status": "already_sent", "detail": _describe(data["previous_sends"]),
                "subject": subject_for(data)}
    msg = render_digest(data, sender, recipients, str(s.seeds_dir))
    result.update(subject=str(msg["Subject"]), message_id=str(msg["Message-ID"]))
    if dry_run_dir:
        paths = write_digest_files(msg, dry_run_dir, week)
        logger.info("digest %s written to %s", week, paths["eml"])
        return {**result, "status": "dry_run", **paths}
    sent = send_digest(msg, str(db), week, data["counts"], recipients, s, force)
    logger.info("digest %s: %s", week, sent["status"])
    return {**result, **sent}


def write_demo_digest(db: Path, out_dir: Path, settings: Settings) -> Path:
    """Dry-run digest of the current ISO week of ``db`` into ``out_dir`` (for ``survwatch demo``);
    returns the .html file (the .eml is next to it). Plain function calls: no Prefect flow run."""
    week = wd.current_week()
    con = warehouse.open_read_only(db)
    try:
        data = wd.build_digest(con, week)
    finally:
        con.close()
    recipients = check_addresses(settings.smtp_to)
    msg = render_message(data, sender=settings.smtp_from, recipients=recipients,
                         message_id=new_message_id(settings.smtp_from), date=_now(),
                         tech_labels=technology_labels(str(settings.seeds_dir)))
    return write_files(msg, Path(out_dir), week)["html"]
