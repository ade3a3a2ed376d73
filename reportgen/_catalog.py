"""The report's wording, one catalog per language, as MkDocs Material keeps one partial per language.

``templates/lang/<language>.yaml`` holds every word the report template uses
(``t.KEY``): headings, labels, check verdicts and reasons, date formats. A user's
template dir may hold ``lang/<language>.yaml`` with only the keys it changes;
they are merged over the packaged catalog. The languages are the catalogs
that exist: there is no list to keep in step elsewhere.

YAML over Babel/gettext: the wording is a few dozen keys with nested groups,
edited by report authors rather than translators, and a user override of one
key must not require compiling a message catalog.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from ._exceptions import ScenarioError, TemplateError
from ._inputs import read_text

__all__ = ["DEFAULT_LANGUAGE", "languages", "load_catalog", "long_date", "reason", "short_date"]

DEFAULT_LANGUAGE = "ko"


def _packaged_dir() -> Path:
    """The templates folder: ``reportgen/templates`` when installed, the checkout's ``templates/`` otherwise."""
    here = Path(__file__).resolve().parent
    installed = here / "templates"
    return installed if (installed / "lang").is_dir() else here.parent / "templates"


def languages() -> list[str]:
    """Every language with a packaged catalog, e.g. ``["en", "ko"]``."""
    return sorted(p.stem for p in (_packaged_dir() / "lang").glob("*.yaml"))


def load_catalog(language: str, template_dir: Path | None = None) -> dict[str, Any]:
    """The packaged catalog of ``language``, with a user's ``lang/<language>.yaml`` merged over it."""
    packaged = _packaged_dir() / "lang" / f"{language}.yaml"
    if not packaged.is_file():
        raise ScenarioError(f"no report catalog for language {language!r}",
                            hint=f"packaged languages: {', '.join(languages())}")
    catalog = _read(packaged, ScenarioError)
    override = template_dir / "lang" / f"{language}.yaml" if template_dir else None
    if override is not None and override.exists():
        catalog = _merged(catalog, _read(override, TemplateError))
    return catalog


def _read(path: Path, error: type[ScenarioError] | type[TemplateError]) -> dict[str, Any]:
    text = read_text(path, "the report catalog", error=error)
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise error(f"the report catalog is not valid YAML: {exc.problem}", file=str(path),
                    line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise error("the report catalog is not a mapping of keys to words", file=str(path), line=1)
    return data


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        out[key] = _merged(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return out


def long_date(catalog: dict[str, Any], day: dt.date) -> str:
    """``2025년 11월 13일`` or ``November 13, 2025``: the catalog's ``date_long``."""
    return str(catalog["date_long"]).format(year=day.year, month=day.month, day=day.day,
                                            month_name=catalog["month_names"][day.month - 1])


def short_date(catalog: dict[str, Any], day: dt.date) -> str:
    """``2025.11.13`` or ``2025-11-13``: the catalog's ``date_short`` (strftime)."""
    return day.strftime(str(catalog["date_short"]))


def reason(catalog: dict[str, Any], key: str | None, args: dict[str, Any] | None, fallback: str) -> str:
    """A check reason in the catalog's words, else ``fallback`` (the English text the check wrote).

    ``reasons.KEY`` is a format string over ``args``; ``capability`` and ``detail``
    arguments are worded through ``capabilities`` and ``capability_details``; the key
    ``parts`` joins several reasons with ``reasons.separator``.
    """
    try:
        if key == "parts":
            pieces = [reason(catalog, p["key"], p.get("args"), "") for p in (args or {})["parts"]]
            return fallback if not all(pieces) else str(catalog["reasons"]["separator"]).join(pieces)
        template = (catalog.get("reasons") or {}).get(key) if key else None
        if not isinstance(template, str):
            return fallback
        words = dict(args or {})
        if "capability" in words:
            words["capability"] = catalog["capabilities"].get(words["capability"], words["capability"])
        if "detail" in words:
            words["detail"] = catalog["capability_details"].get(words["detail"], "") if words["detail"] else ""
        return template.format(**words)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return fallback
