"""What scenario text may contain, decided at validate time, before any cluster work.

Scenario text is the author's Markdown, placed into the note as written. So
that no validated scenario can fail the report's lint after a whole cluster
run, each text field has a kind, and each kind its rules:

* ``line``: one line of Markdown (titles, headings, labels, list items): no line
  break, no ``%%`` (an Obsidian comment would hide the rest of the note), no raw
  HTML, wikilinks well formed.
* ``cell``: a line inside a table cell: also no ``|``.
* ``link_text``: the alias inside ``[[note|text]]`` or ``[text](url)``: also no
  ``[``, ``]`` or ``|``.
* ``note``: a note name a wikilink targets: not blank, without ``[ ] | # ^ %%``
  (Obsidian reads those as link syntax) or invisible characters.
* ``tag``: something left after tag rules (a letter, ``-`` or ``_``).
* ``prose``: several paragraphs (overview, learning points, reflections): any
  Markdown that lints clean on its own: fences closed, no ``%%``, no raw HTML.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from typing import Any

__all__ = ["HIDDEN", "TEXT_FIELDS", "alias_problem", "note_problem", "tag_name", "text_problems"]

# Characters a reader cannot see: controls, line and paragraph separators, bidi overrides, BOM.
HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_LINK_FORBIDDEN = re.compile(r"[\[\]|#^]|%%")
_ALIAS_FORBIDDEN = re.compile(r"[\[\]|]")
_TAG_DROP = re.compile(r"[^\w/-]")


def note_problem(target: str) -> str | None:
    """Why ``target`` cannot be the note of a wikilink, or None."""
    if not target.strip():
        return "is blank"
    if _LINK_FORBIDDEN.search(target):
        return f"contains {_LINK_FORBIDDEN.search(target).group(0)!r}"  # type: ignore[union-attr]
    if HIDDEN.search(target):
        return f"contains the invisible character U+{ord(HIDDEN.search(target).group(0)):04X}"  # type: ignore[union-attr]
    return None


def alias_problem(label: str) -> str | None:
    """Why ``label`` cannot be a wikilink's alias, or None."""
    found = _ALIAS_FORBIDDEN.search(label)
    return f"contains {found.group(0)!r}" if found else None


def tag_name(value: str) -> str | None:
    """An Obsidian tag name for ``value`` (spaces become -, other punctuation goes), or None if none is left."""
    name = _TAG_DROP.sub("", re.sub(r"\s+", "-", value.strip().lstrip("#")))
    return None if not name or name.replace("/", "").isdigit() else name

TEXT_FIELDS: dict[str, str] = {
    "report/title": "line",
    "report/author": "line",
    "report/series": "note",
    "report/icon": "line",
    "report/aliases/*": "line",
    "report/tags/*": "tag",
    "report/related": "note",
    "report/related/*": "note",
    "report/internal_links/*/note": "note",
    "report/internal_links/*/text": "link_text",
    "report/external_links/*/title": "link_text",
    "report/next_steps/*/heading": "line",
    "report/next_steps/*/notes/*": "note",
    "overview": "prose",
    "learning_points": "prose",
    "reflections": "prose",
    "sections/*/title": "line",
    "sections/*/icon": "line",
    "sections/*/summary/*": "line",
    "sections/*/blocks/*/heading": "line",
    "sections/*/blocks/*/label": "line",
    "sections/*/checks/*/title": "line",
    "findings/*/title": "line",
    "findings/*/symptom": "cell",
    "findings/*/cause": "cell",
    "findings/*/resolution": "cell",
    "comparison/columns/*/label": "cell",
    "comparison/columns/*/purpose": "cell",
}

_FORBIDDEN = {"cell": "|", "link_text": "[]|"}
_HINTS = {
    "%%": "%% starts an Obsidian comment, which would hide the rest of the note; write it as `%%` in code",
    "break": "this field is one line; use a prose field (overview, learning_points) for paragraphs",
    "forbidden": "these characters are link or table syntax here; leave them out",
}


def text_problems(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], int, str, str]]:
    """Every rule a text field breaks: (path, offset in the text, message, hint)."""
    for path, value in _strings(data, ()):
        kind = _kind(path)
        if kind is not None:
            yield from ((path, offset, message, hint) for offset, message, hint in _problems(kind, value))


def _strings(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _kind(path: tuple[str | int, ...]) -> str | None:
    joined = "/".join(str(p) for p in path)
    return next((kind for pattern, kind in TEXT_FIELDS.items() if fnmatch.fnmatchcase(joined, pattern)
                 and joined.count("/") == pattern.count("/")), None)


def _problems(kind: str, text: str) -> Iterator[tuple[int, str, str]]:
    hidden = next((m for m in HIDDEN.finditer(text) if m.group() not in ("\t", "\n")), None)
    if hidden:
        name = {"\r": "a carriage return"}.get(hidden.group(), f"the invisible character U+{ord(hidden.group()):04X}")
        yield hidden.start(), f"contains {name}", "remove it: the note would show or break differently than you see"
        return
    if "%%" in _without_code(text):
        yield _without_code(text).index("%%"), "contains %%", _HINTS["%%"]
    else:
        yield from _lint_problems(text, inline=kind != "prose")
    if kind != "prose":
        yield from _line_problems(kind, text)


def _line_problems(kind: str, text: str) -> Iterator[tuple[int, str, str]]:
    if kind == "note":
        problem = note_problem(text.strip())
        if problem:
            yield 0, problem, "note names in links may not contain [ ] | # ^ %%, line breaks or invisible characters"
        return
    if kind == "tag":
        if tag_name(text) is None:
            yield 0, "leaves no tag name", "a tag needs a letter, - or _"
        return
    brk = re.search(r"[\r\n\x0b\x0c\x85\u2028\u2029]", text)
    if brk:
        yield brk.start(), "contains a line break", _HINTS["break"]
    forbidden = next((i for i, ch in enumerate(text) if ch in _FORBIDDEN.get(kind, "")), None)
    if forbidden is not None:
        yield forbidden, f"contains {text[forbidden]!r}", _HINTS["forbidden"]


def _lint_problems(text: str, inline: bool) -> list[tuple[int, str, str]]:
    """What the report's own lint says of this text (raw HTML, fences, wikilinks) standing alone and, for a
    one-line field, also ``inline``, after other words on its line: a note places it either way (a list
    item's text starts a block, a heading's icon follows ``#``)."""
    from ._lint import lint_report

    found: dict[str, tuple[int, str, str]] = {}
    for lead in ("", "x ") if inline else ("",):  # inline, leading blanks cannot make an indented code block
        for problem in lint_report(f"---\n{{}}\n---\n{lead}{text}\n"):
            line = max(problem.line - 3, 1)
            offset = sum(len(part) + 1 for part in text.split("\n")[: line - 1])
            where = f" (line {line} of it)" if "\n" in text else ""
            found.setdefault(problem.message, (offset, f"{problem.message}{where}",
                                               "scenario text must be Markdown that lints clean"))
    return list(found.values())


def _without_code(text: str) -> str:
    """``text`` with inline code blanked (same length), where anything goes."""
    return re.sub(r"(`+)(.+?)\1", lambda m: " " * len(m.group(0)), text)
