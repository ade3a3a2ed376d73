"""Making captured and scenario text safe in each Markdown position: fences, prose, code, links, tags, YAML."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from reportgen._exceptions import ScenarioError
from reportgen._scenario_text import HIDDEN as _HIDDEN
from reportgen._scenario_text import alias_problem, note_problem
from reportgen._scenario_text import tag_name as scenario_tag_name

_SGR = re.compile(r"\x1b\[[0-9;:]*m")
# C0/C1 controls, DEL, line/paragraph separators, bidi controls and a stray BOM.
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
_MD_PUNCT = re.compile(r"([\\`*_\[\]<>#|~%$=^&])")
_BACKTICKS = re.compile(r"`+")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, keep_lines: bool = True) -> str:
    r"""Text with colour codes dropped and other control characters made visible.

    Args:
        text: Captured text.
        keep_lines: Keep ``\n`` and ``\t`` as they are (else show them as ``\n``/``\t``).
    """
    text = _SGR.sub("", text.replace("\r\n", "\n"))
    if keep_lines:
        return _HIDDEN.sub(lambda m: m.group() if m.group() in "\n\t" else _escape_char(m), text)
    return _HIDDEN.sub(_escape_char, text)


def _longest_run(text: str) -> int:
    return max((len(m.group()) for m in _BACKTICKS.finditer(text)), default=0)


def fence(value: Any, info: str = "") -> str:
    """Wrap text in a backtick fence that nothing inside it can close.

    Args:
        value: The text, e.g. captured output; a missing final newline is added.
        info: The info string (language), e.g. ``bash``.
    """
    body = visible(str(value))
    if body and not body.endswith("\n"):
        body += "\n"
    ticks = "`" * max(3, _longest_run(body) + 1)
    return f"{ticks}{info}\n{body}{ticks}"


def md_escape(value: Any) -> str:
    """Captured text as inert one-line prose: no block, link, comment, cell or HTML."""
    text = visible(str(value)).replace("\t", " ")
    text = " ⏎ ".join(part.strip() for part in text.strip().split("\n"))
    text = _MD_PUNCT.sub(r"\\\1", text).replace("::", ":\\:")
    text = re.sub(r"^([-+])(?=[\s-]|$)", r"\\\1", text)
    return re.sub(r"^(\d{1,9})([.)])(?=\s|$)", r"\1\\\2", text)


def inline_code(value: Any) -> str:
    """A code span for any text: backtick-safe, one line, controls made visible.

    Text holding ``%%`` (an Obsidian comment even inside code) falls back to
    escaped prose.
    """
    text = visible(str(value), keep_lines=False)
    if "%%" in text:
        return md_escape(value)
    if not text:
        return "` `"
    ticks = "`" * (_longest_run(text) + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" or (text[0] == text[-1] == " " and text.strip()) else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _fold(text: str) -> str:
    return visible(re.sub(r"\s+", " ", text), keep_lines=False)


def oneline(value: Any) -> str:
    """Trusted scenario text folded to one line (whitespace runs become one space)."""
    return _fold(str(value)).strip()


def wikilink(note: Any, alias: Any = None) -> str:
    """``[[note]]`` or ``[[note|alias]]``.

    Raises:
        ScenarioError: The note or alias holds characters a wikilink cannot
            (validation refuses such scenarios; this guards hand-made bundles).
    """
    target = str(note).strip()
    if note_problem(target):
        raise ScenarioError(
            f"cannot link to note {target!r}",
            hint="Obsidian note names in links may not contain [ ] | # ^ %% or line breaks",
        )
    if alias is None or str(alias).strip() == "":
        return f"[[{target}]]"
    label = oneline(alias)
    if alias_problem(label):
        raise ScenarioError(f"cannot use {label!r} as a link alias", hint="aliases may not contain [ ] |")
    return f"[[{target}|{label}]]"


def md_link(title: Any, url: Any) -> str:
    """``[title](url)`` with the title escaped and the URL made parenthesis- and space-safe."""
    target = str(url).strip()
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E")):
        target = target.replace(char, code)
    return f"[{md_escape(title)}]({visible(target, keep_lines=False)})"


def tag_name(value: Any) -> str:
    """An Obsidian tag name (no ``#``): spaces become ``-``, other punctuation goes.

    Raises:
        ScenarioError: Nothing usable is left, or only digits (Obsidian ignores those).
    """
    name = scenario_tag_name(str(value))
    if name is None:
        raise ScenarioError(f"cannot use {value!r} as a tag", hint="a tag needs a letter, - or _")
    return name


def tag(value: Any) -> str:
    """``#tag`` for a tag name (see :func:`tag_name`)."""
    return f"#{tag_name(value)}"


# ---------------------------------------------------------------- YAML


def _double_quoted(text: str) -> str:
    """A YAML double-quoted scalar, every hidden character escaped, nothing dropped."""
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{_HIDDEN.sub(_escape_char, body)}"'


def _quoted(value: Any) -> str:
    """Flow YAML with every string double-quoted and escaped (always one line)."""
    if isinstance(value, str):
        return _double_quoted(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_quoted(str(k))}: {_quoted(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_quoted(v) for v in value) + "]"
    return yaml_value(value)


def yaml_value(value: Any) -> str:
    """A YAML value on one line that loads back as ``value``, whatever it holds."""
    if isinstance(value, tuple):
        value = list(value)
    dumped = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, width=1 << 30, sort_keys=False
    )
    dumped = dumped.removesuffix("\n").removesuffix("\n...")
    if "\n" in dumped or _HIDDEN.search(dumped):
        return _quoted(value)
    return dumped


class _BlockDumper(yaml.SafeDumper):
    """Safe YAML whose strings holding a hidden character are double-quoted, so they can be escaped."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"' if _HIDDEN.search(text) else None)


_BlockDumper.add_representer(str, _represent_text)


def _yaml_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def yaml_block(value: Any) -> str:
    """Block YAML that loads back as ``value``: values byte for byte, every hidden character escaped.

    A string holding a control, bidi or invisible character is double-quoted
    and the character written as a YAML escape, so the text shows it and can
    break no fence or callout it is put in.
    """
    dumped = yaml.dump(value, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=1 << 30,
                       default_flow_style=False)
    return _HIDDEN.sub(lambda m: m.group() if m.group() == "\n" else _yaml_escape(m), dumped)


def quote(value: Any) -> str:
    """Text as the body of a blockquote or callout: ``> `` before every line (``>`` alone on a blank one)."""
    return "\n".join(f"> {line}" if line else ">" for line in str(value).removesuffix("\n").split("\n"))


def yaml_property(key: str, value: Any) -> str:
    """One front matter property: lists in block style, as Obsidian writes them."""
    if isinstance(value, (list, tuple)) and value:
        return f"{key}:\n" + "\n".join(f"  - {yaml_value(item)}" for item in value)
    return f"{key}: {yaml_value(value)}"
