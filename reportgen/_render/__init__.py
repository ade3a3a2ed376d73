"""Render an evidence bundle into an Obsidian Markdown report.

The templates live in ``templates/<language>/report.md.j2`` (installed as the
``reportgen.templates`` package); a user template directory, when given, is
searched first, so a user may override one template or a shared partial.

Templates receive a prepared view of the bundle (see :func:`build_context`)
and a set of filters that make untrusted text safe in each Markdown position:

* ``fence(info)`` puts captured output in a code fence it cannot close;
* ``quote`` makes text (e.g. a fence) the body of a callout;
* ``md_escape`` turns captured text into inert one-line prose;
* ``inline_code`` makes a backtick-safe code span;
* ``wikilink(alias)``, ``tag``, ``yaml_value`` and ``yaml_property`` build
  links, tags and front matter that stay well formed whatever they hold;
* ``checkbox`` and ``verdict`` state a check's outcome and reason;
* ``long_date`` and ``short_date`` format dates for the report's language.

Scenario text (titles, summaries, learning points, reflections) is trusted
Markdown and goes in as written, folded to one line where a line is expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from reportgen._catalog import DEFAULT_LANGUAGE, load_catalog
from reportgen._evidence import Bundle

from ._environment import (
    TEMPLATE_NAME,
    TEMPLATE_SECONDS,
    _RunawayTemplate,
    _template_failure,
    _time_limit,
    make_environment,
)
from ._escape import (
    fence,
    inline_code,
    md_escape,
    oneline,
    quote,
    tag,
    tag_name,
    wikilink,
    yaml_block,
    yaml_property,
    yaml_value,
)
from ._filters import checkbox, compare_cell, long_date, short_date, verdict
from ._view import _text, build_context

__all__ = [
    "DEFAULT_LANGUAGE",
    "build_context",
    "checkbox",
    "compare_cell",
    "fence",
    "inline_code",
    "long_date",
    "make_environment",
    "md_escape",
    "oneline",
    "quote",
    "render_report",
    "short_date",
    "tag",
    "tag_name",
    "verdict",
    "wikilink",
    "yaml_block",
    "yaml_property",
    "yaml_value",
]


def render_report(
    bundle: Bundle,
    *,
    language: str | None = None,
    template_dir: Path | None = None,
    comparison: Any = None,
    changes: dict[str, Any] | None = None,
) -> str:
    """Render a bundle as an Obsidian Markdown report.

    Args:
        bundle: The evidence of a run.
        language: Report language (``ko``, ``en``); default: the scenario's, else ko.
        template_dir: A directory whose templates override the packaged ones.
        comparison: Rows for the comparison table (see :func:`_comparison`);
            default: ``bundle.comparison`` when the bundle has one.

    Raises:
        ScenarioError: No template for the language, or scenario text that cannot
            become a link or tag.
        ReportError: A template failed (a bug in it, e.g. an undefined name).
    """
    report = bundle.scenario.get("report") or {}
    lang = language or _text(report.get("language")) or DEFAULT_LANGUAGE
    env = make_environment(template_dir)
    catalog = load_catalog(lang, template_dir)
    try:
        template = env.select_template([f"{lang}/{TEMPLATE_NAME}", TEMPLATE_NAME])  # the old per-language layout first
    except jinja2.TemplateError as broken:
        raise _template_failure(broken, template_dir) from None
    try:
        with _time_limit(TEMPLATE_SECONDS):
            text = template.render({**build_context(bundle, lang, comparison, catalog), "changes": changes})
    except (jinja2.TemplateError, _RunawayTemplate, RecursionError, OverflowError, MemoryError, KeyError,
            TypeError, ValueError, AttributeError, IndexError) as broken:  # a template or catalog is broken
        raise _template_failure(broken, template_dir) from None
    return text.rstrip("\n") + "\n"
