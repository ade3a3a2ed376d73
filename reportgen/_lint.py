"""Lint a generated report: is it the Markdown the template meant to write?

Checked with markdown-it-py (CommonMark plus tables) on the text after its
front matter:

* front matter present, closed, and a YAML mapping;
* every code fence closed (a fence that runs to the end of the text, or of the
  container it opened in, is unclosed);
* every line that starts with ``- [`` outside code is a real list item, so task
  items (``- [x]``/``- [ ]``) and link lists are what they look like;
* wikilinks outside code well formed: closed on their line, no brackets inside,
  at most one ``|`` (the alias separator), a target;
* Obsidian comments (``%%``) balanced outside code, and
  ``%% reportgen:keep NAME %%`` / ``%% reportgen:end %%`` markers paired;
* no raw HTML (block or inline): captured output must never become markup;
* every ``[[#^id]]`` proof link names a block id of the note: ``^id`` on a
  line of its own after a blank line, as Obsidian wants it after a fence or a
  callout (without the blank line it is text of the block above).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from reportgen._exceptions import ReportError

__all__ = [
    "END_MARKER",
    "KEEP_MARKER",
    "LintProblem",
    "check_report",
    "code_lines",
    "lint_report",
    "split_front_matter",
]

KEEP_MARKER = re.compile(r"^%%\s*reportgen:keep\s+([\w.-]+)\s*%%\s*$")
END_MARKER = re.compile(r"^%%\s*reportgen:end\s*%%\s*$")
_TASK_LINE = re.compile(r"^\s*- \[")
_CLOSER_PREFIX = re.compile(r"^[ \t>]*")


@dataclass(frozen=True)
class LintProblem:
    """One thing wrong with a report, at a 1-based line."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def split_front_matter(text: str) -> tuple[str | None, int]:
    """The front matter's YAML text (None when absent or unclosed) and the body's first line index."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r") != "---":
        return None, 0
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r") in ("---", "..."):
            return "\n".join(lines[1:index]), index + 1
    return None, 0


def _front_matter_problems(text: str) -> tuple[list[LintProblem], int]:
    first = text.split("\n", 1)[0].rstrip("\r")
    data, offset = split_front_matter(text)
    if data is None:
        what = "front matter is not closed by ---" if first == "---" else "front matter (---) is missing"
        return [LintProblem(1, what)], 1 if first == "---" else 0
    try:
        loaded = yaml.safe_load(data)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        why = getattr(error, "problem", None) or error
        return [LintProblem(line, f"front matter is not valid YAML: {why}")], offset
    if not isinstance(loaded, dict):
        return [LintProblem(1, f"front matter is a {type(loaded).__name__}, not a mapping")], offset
    return [], offset


def _parse(text: str, offset: int) -> tuple[list[Token], list[str]]:
    body_lines = text.split("\n")[offset:]
    return _parser().parse("\n".join(body_lines)), body_lines


def _fence_closed(token: Token, lines: list[str]) -> bool:
    start, end = token.map or (0, 0)
    if end - start < 2 or end > len(lines):
        return False
    closer = _CLOSER_PREFIX.sub("", lines[end - 1]).rstrip()
    char = token.markup[0]
    return len(closer) >= len(token.markup) and closer == char * len(closer)


def _fence_problems(token: Token, lines: list[str], offset: int) -> list[LintProblem]:
    """An unclosed fence, or one holding a fence line (a fence left open before it)."""
    start = token.map[0] if token.map else 0
    if not _fence_closed(token, lines):
        return [LintProblem(offset + start + 1, f"code fence {token.markup} is not closed")]
    opener = re.compile(rf"^ {{0,3}}{re.escape(token.markup[0])}{{{len(token.markup)},}}")
    for number, line in enumerate(token.content.split("\n"), start=offset + start + 2):
        if opener.match(line):
            message = f"code fence {token.markup} holds a fence line: a fence before it was left open"
            return [LintProblem(number, message)]
    return []


def code_lines(text: str) -> set[int]:
    """0-based indexes of the lines of ``text`` inside code fences or indented code."""
    _, offset = split_front_matter(text)
    tokens, _ = _parse(text, offset)
    inside: set[int] = set()
    for token in tokens:
        if token.type in ("fence", "code_block") and token.map:
            inside.update(range(offset + token.map[0], offset + token.map[1]))
    return inside


def _scan_inline(content: str) -> Iterator[tuple[int, str]]:
    """Wikilink and comment problems in inline Markdown, skipping code spans and escapes.

    Yields ``(offset, message)``; a ``%%`` yields ``(offset, "%%")`` for counting.
    """
    i = 0
    while i < len(content):
        if content[i] == "\\":
            i += 2
        elif content[i] == "`":
            run = len(content[i:]) - len(content[i:].lstrip("`"))
            close = re.compile(rf"(?<!`)`{{{run}}}(?!`)").search(content, i + run)
            i = close.end() if close else i + run
        elif content.startswith("[[", i):
            end = content.find("]]", i + 2)
            if end < 0:
                yield i, "wikilink [[ is not closed"
                i += 2
                continue
            problem = _wikilink_problem(content[i + 2 : end])
            if problem:
                yield i, problem
            i = end + 2
        elif content.startswith("%%", i):
            yield i, "%%"
            i += 2
        else:
            i += 1


def _wikilink_problem(inner: str) -> str | None:
    if "\n" in inner:
        return "wikilink spans a line break"
    if "[" in inner or "]" in inner:
        return f"wikilink [[{inner}]] has brackets inside"
    if inner.count("|") > 1:
        return f"wikilink [[{inner}]] has more than one |"
    if not inner.split("|")[0].strip():
        return f"wikilink [[{inner}]] has no target"
    return None


def _inline_problems(tokens: list[Token], offset: int) -> tuple[list[LintProblem], list[int]]:
    """Wikilink problems and the lines of every ``%%`` outside code."""
    problems, comments = [], []
    for token in tokens:
        if token.type != "inline" or not token.map:
            continue
        for position, message in _scan_inline(token.content):
            line = offset + token.map[0] + 1 + token.content.count("\n", 0, position)
            if message == "%%":
                comments.append(line)
            else:
                problems.append(LintProblem(line, message))
        problems += [
            LintProblem(offset + token.map[0] + 1, f"raw HTML {child.content.strip()!r}")
            for child in token.children or []
            if child.type == "html_inline"
        ]
    return problems, comments


def _marker_problems(lines: list[str], skip: set[int], offset: int) -> list[LintProblem]:
    problems, open_name, open_line, seen = [], None, 0, set()
    for index, line in enumerate(lines):
        if index + offset in skip:
            continue
        keep, end, number = KEEP_MARKER.match(line), END_MARKER.match(line), offset + index + 1
        if keep and open_name is not None:
            problems.append(LintProblem(number, f"keep region {keep.group(1)!r} opens inside {open_name!r}"))
        elif keep:
            if keep.group(1) in seen:
                problems.append(LintProblem(number, f"keep region {keep.group(1)!r} appears twice"))
            open_name, open_line = keep.group(1), number
            seen.add(open_name)
        elif end and open_name is None:
            problems.append(LintProblem(number, "reportgen:end without a reportgen:keep"))
        elif end:
            open_name = None
    if open_name is not None:
        message = f"keep region {open_name!r} is not closed by %% reportgen:end %%"
        problems.append(LintProblem(open_line, message))
    return problems


def _block_problems(tokens: list[Token], lines: list[str], offset: int) -> tuple[list[LintProblem], set[int]]:
    """Unclosed fences, HTML blocks and bogus list lines; also the lines inside code."""
    problems: list[LintProblem] = []
    code: set[int] = set()
    item_starts: set[int] = set()
    for token in tokens:
        if not token.map:
            continue
        start = token.map[0]
        if token.type == "fence":
            code.update(range(offset + start, offset + token.map[1]))
            problems += _fence_problems(token, lines, offset)
        elif token.type == "code_block":
            code.update(range(offset + start, offset + token.map[1]))
        elif token.type == "html_block":
            problems.append(LintProblem(offset + start + 1, f"raw HTML block {token.content.strip()[:40]!r}"))
        elif token.type == "list_item_open":
            item_starts.add(start)
    for index, line in enumerate(lines):
        if _TASK_LINE.match(line) and index not in item_starts and offset + index not in code:
            problems.append(LintProblem(offset + index + 1, "line starts with '- [' but is not a list item"))
    return problems, code


_BLOCK_ID = re.compile(r"^\^([A-Za-z0-9-]+)$")
_BLOCK_REF = re.compile(r"\[\[#\^([A-Za-z0-9-]+)[|\]]")


def _block_ids(tokens: list[Token], lines: list[str]) -> set[str]:
    """The block ids Obsidian sees: ``^id`` as a paragraph of its own, after a blank line, naming the block before.

    A ``^id`` line that continues a paragraph or a callout (no blank line
    before it) is text of that block, not an id.
    """
    ids = set()
    for token in tokens:
        found = _BLOCK_ID.match(token.content) if token.type == "inline" and token.level == 1 else None
        if found and token.map and (token.map[0] == 0 or not lines[token.map[0] - 1].strip()):
            ids.add(found.group(1))
    return ids


def _block_ref_problems(tokens: list[Token], lines: list[str], skip: set[int], offset: int) -> list[LintProblem]:
    """Every ``[[#^id]]`` link outside code must name a block id of this note (see :func:`_block_ids`)."""
    outside = [(i, line) for i, line in enumerate(lines) if offset + i not in skip]
    ids, written = _block_ids(tokens, lines), {m.group(1) for _i, line in outside if (m := _BLOCK_ID.match(line))}
    return [LintProblem(offset + i + 1, f"link to block ^{ref} that this note does not have" if ref not in written
                        else f"link to block ^{ref}, whose id is not a line of its own after a blank line")
            for i, line in outside for ref in _BLOCK_REF.findall(line) if ref not in ids]


def lint_report(text: str) -> list[LintProblem]:
    """Every problem in a report, ordered by line."""
    problems, offset = _front_matter_problems(text)
    tokens, lines = _parse(text, offset)
    block, code = _block_problems(tokens, lines, offset)
    inline, comments = _inline_problems(tokens, offset)
    problems += block + inline + _marker_problems(lines, code, offset)
    problems += _block_ref_problems(tokens, lines, code, offset)
    if len(comments) % 2:
        problems.append(LintProblem(comments[-1], "%% comment is not closed (odd number of %% outside code)"))
    return sorted(problems, key=lambda p: (p.line, p.message))


def check_report(text: str) -> None:
    """Raise when a report has lint problems.

    Raises:
        ReportError: Listing every problem with its line number.
    """
    problems = lint_report(text)
    if problems:
        listing = "\n".join(f"  {problem}" for problem in problems)
        raise ReportError(f"the report failed lint ({len(problems)} problem(s)):\n{listing}")
