"""The template filters that state verdicts, dates and comparison cells, and the table of every filter."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

import jinja2
import jinja2.sandbox

from reportgen._catalog import long_date as catalog_long_date
from reportgen._catalog import reason as catalog_reason
from reportgen._catalog import short_date as catalog_short_date

from ._escape import fence, inline_code, md_escape, md_link, oneline, quote, tag, tag_name, wikilink, yaml_value


def _words(ctx: Mapping[str, Any]) -> dict[str, Any]:
    words: dict[str, Any] = ctx["t"]
    return words


def _field(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


@jinja2.pass_context
def verdict(ctx: Mapping[str, Any], check: Any) -> str:
    """A check's title, with `` — ❌ reason`` or `` — ⚠️ undecided: reason`` unless it passed."""
    words = _words(ctx)
    title, status, text = _field(check, "title", ""), _field(check, "status"), _field(check, "reason")
    text = catalog_reason(words, _field(check, "reason_key"), _field(check, "reason_args"), text or "")
    why = md_escape(text) if text else ""
    if status == "passed":
        return str(title)
    if status == "failed":
        return f"{title} — ❌ {why or words['verdict_failed']}"
    return f"{title} — ⚠️ {words['verdict_undecided']}: {why or words['no_reason']}"


@jinja2.pass_context
def checkbox(ctx: Mapping[str, Any], check: Any) -> str:
    """``- [x] title`` when the check passed, else ``- [ ] title — reason``; then links to its proofs:
    the output blocks it read, and the callout of the object fields it read."""
    box = "- [x]" if _field(check, "status") == "passed" else "- [ ]"
    proofs = "".join(f" ([[#^{anchor}|{ctx['t']['proof']}]])" for anchor in _field(check, "proofs") or [])
    fields = _field(check, "fields")
    if fields:
        proofs += f" ([[#^{fields}|{ctx['t']['proof_fields']}]])"
    return f"{box} {verdict(ctx, check)}{proofs}"


def compare_cell(cell: Mapping[str, Any], row_key: str, words: Mapping[str, str]) -> str:
    """A comparison cell in words: ``✅``/``❌``, then the template's phrase for its kind.

    Args:
        cell: A cell of the comparison view.
        row_key: The row's key, e.g. ``cluster_ip``.
        words: Phrases keyed ``row_key.kind`` or ``kind``; ``{value}`` and
            ``{count}`` in a phrase are filled in (the value escaped for a table).
    """
    phrase = words.get(f"{row_key}.{cell['kind']}") or words.get(cell["kind"]) or "{value}"
    text = phrase.format(value=md_escape(cell["value"]), count=cell["count"])
    mark = {True: "✅ ", False: "❌ "}.get(cell["ok"], "")
    return f"{mark}{text}"


def as_date(value: Any) -> dt.date | None:
    """A date from a date, a datetime or an ISO 8601 string; None when there is none."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    stamp = _as_datetime(str(value)) if value else None
    return stamp.date() if stamp else None


def _as_datetime(value: str) -> dt.datetime | None:
    try:
        stamp = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


@jinja2.pass_context
def long_date(ctx: Mapping[str, Any], value: Any) -> str:
    """``2025년 11월 13일`` or ``November 13, 2025``, as the catalog writes dates."""
    day = as_date(value)
    return "" if day is None else catalog_long_date(ctx["t"], day)


@jinja2.pass_context
def short_date(ctx: Mapping[str, Any], value: Any) -> str:
    """``2025.11.13`` or ``2025-11-13``, as the catalog writes dates."""
    day = as_date(value)
    return "" if day is None else catalog_short_date(ctx["t"], day)


def display_width(value: Any) -> int:
    """How many terminal columns text takes (East Asian wide characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def utc_time(value: str) -> str:
    """``2025-11-27 09:00 UTC`` for an ISO 8601 time; the text itself when it is not one."""
    stamp = _as_datetime(value) if value else None
    if stamp is None:
        return value
    return stamp.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")




_FILTERS: dict[str, Callable[..., Any]] = {
    "fence": fence,
    "quote": quote,
    "md_escape": md_escape,
    "inline_code": inline_code,
    "oneline": oneline,
    "wikilink": wikilink,
    "md_link": md_link,
    "tag": tag,
    "tag_name": tag_name,
    "yaml_value": yaml_value,
    "checkbox": checkbox,
    "verdict": verdict,
    "long_date": long_date,
    "short_date": short_date,
    "utc_time": utc_time,
    "display_width": display_width,
    "compare_cell": compare_cell,
}
