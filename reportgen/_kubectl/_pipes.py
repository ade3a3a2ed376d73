"""The pipes a step may add after kubectl: ``grep``, ``head``, ``tail`` and ``wc -l``, reproduced on captured text.

grep follows GNU grep's basic and extended syntax (translated to Python's
``re``); head and tail follow GNU coreutils, including ``-n -N`` and ``-n +N``.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from ._words import CommandError, Word

__all__ = ["GrepPipe", "HeadPipe", "Pipe", "TailPipe", "WcPipe", "apply_pipes", "parse_pipe"]


@dataclass(frozen=True)
class GrepPipe:
    """``grep [-v] [-i] [-E] [-c] PATTERN`` (GNU grep semantics)."""

    pattern: str
    invert: bool = False
    ignore_case: bool = False
    extended: bool = False
    count: bool = False

    name: ClassVar[str] = "grep"

    def apply(self, text: str) -> tuple[str, int]:
        """Filter ``text`` like grep: matching lines, each ending with a newline."""
        regex = _compile_grep(self.pattern, extended=self.extended, ignore_case=self.ignore_case)
        kept = [ln for ln in _content_lines(text) if bool(regex.search(ln)) != self.invert]
        status = 0 if kept else 1
        if self.count:
            return f"{len(kept)}\n", status
        return "".join(f"{ln}\n" for ln in kept), status


@dataclass(frozen=True)
class HeadPipe:
    """``head -n N``, or ``head -n -N`` (all but the last N) when ``all_but_last``."""

    lines: int = 10
    all_but_last: bool = False

    name: ClassVar[str] = "head"

    def apply(self, text: str) -> tuple[str, int]:
        """The first lines of ``text``, line endings kept as they were."""
        lines = _raw_lines(text)
        stop = max(len(lines) - self.lines, 0) if self.all_but_last else self.lines
        return "".join(lines[:stop]), 0


@dataclass(frozen=True)
class TailPipe:
    """``tail -n N``, or ``tail -n +N`` (from line N on) when ``from_start``."""

    lines: int = 10
    from_start: bool = False

    name: ClassVar[str] = "tail"

    def apply(self, text: str) -> tuple[str, int]:
        """The last lines of ``text``, line endings kept as they were."""
        lines = _raw_lines(text)
        if self.from_start:
            return "".join(lines[max(self.lines - 1, 0) :]), 0
        return "".join(lines[-self.lines :] if self.lines > 0 else []), 0


@dataclass(frozen=True)
class WcPipe:
    """``wc -l``: the number of newline characters, as GNU wc prints it."""

    name: ClassVar[str] = "wc"

    def apply(self, text: str) -> tuple[str, int]:
        """The newline count of ``text`` followed by a newline."""
        return f"{text.count(chr(10))}\n", 0


Pipe = GrepPipe | HeadPipe | TailPipe | WcPipe


def apply_pipes(text: str, pipes: list[Pipe], exit_code: int = 0) -> tuple[str, int]:
    """Run captured output through a step's pipes, as a shell would.

    Args:
        text: What the kubectl part printed on standard output.
        pipes: The command's pipes, in order.
        exit_code: The kubectl part's exit status.

    Returns:
        The final output and the pipeline's exit status: the last pipe's, or
        ``exit_code`` when there are no pipes.
    """
    for pipe in pipes:
        text, exit_code = pipe.apply(text)
    return text, exit_code


def _raw_lines(text: str) -> list[str]:
    """Lines split on ``\\n`` only, each keeping its ``\\n`` (the last may lack one)."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _content_lines(text: str) -> list[str]:
    """Lines split on ``\\n`` only, without their ``\\n``."""
    return [ln.removesuffix("\n") for ln in _raw_lines(text)]


_POSIX_CLASSES = {
    "alpha": "a-zA-Z",
    "digit": "0-9",
    "alnum": "a-zA-Z0-9",
    "upper": "A-Z",
    "lower": "a-z",
    "space": r" \t\n\r\f\v",
    "blank": r" \t",
    "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
    "xdigit": "0-9A-Fa-f",
    "cntrl": r"\x00-\x1f\x7f",
    "print": r"\x20-\x7e",
    "graph": r"\x21-\x7e",
}


@functools.lru_cache(maxsize=256)
def _compile_grep(pattern: str, *, extended: bool, ignore_case: bool) -> re.Pattern[str]:
    """Compile a POSIX basic (or, with ``extended``, extended) regex for Python."""
    flags = re.IGNORECASE if ignore_case else 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return re.compile(_translate(pattern, extended), flags)
    except (re.error, OverflowError, RecursionError) as exc:
        raise ValueError(f"grep: invalid pattern: {exc}") from None


def _translate(pattern: str, extended: bool) -> str:
    """Translate a POSIX (GNU) regular expression into Python syntax."""
    out: list[str] = []
    i, n = 0, len(pattern)
    start = True  # at the start of an expression, where '*' is literal
    while i < n:
        c = pattern[i]
        was_start, start = start, False
        if c == "\\":
            if i + 1 >= n:
                raise ValueError("grep: trailing backslash")
            d = pattern[i + 1]
            i += 2
            if not extended and d in "(|":
                out.append(d)
                start = True
            elif not extended and d in "+?){}":
                out.append(d)
            elif d in "<>":
                out.append(r"\b")
            elif d in "wWsSbB" or d.isdigit():
                out.append("\\" + d)
            else:
                out.append(re.escape(d))
            continue
        if c == "[":
            cls, i = _bracket(pattern, i)
            out.append(cls)
            continue
        i += 1
        if c in "*+?" and (was_start or (c != "*" and not extended)):
            out.append(re.escape(c))
        elif c == "*" or c == ".":
            out.append(c)
        elif c == "^":
            literal = not extended and not was_start
            out.append(r"\^" if literal else "^")
            start = not literal
        elif c == "$":
            at_end = i >= n or pattern.startswith(("\\)", "\\|"), i)
            out.append("$" if extended or at_end else r"\$")
        elif c in "(|" and extended:
            out.append(c)
            start = True
        elif c in "+?){}" and extended:
            out.append(c)
        else:
            out.append(re.escape(c))
    return "".join(out)


def _bracket(pattern: str, i: int) -> tuple[str, int]:
    """Translate the bracket expression starting at ``pattern[i] == '['``."""
    j = i + 1
    negate = pattern[j : j + 1] == "^"
    j += negate
    parts: list[str] = []
    first = True
    while j < len(pattern):
        c = pattern[j]
        if c == "]" and not first:
            return "[" + ("^" if negate else "") + "".join(parts) + "]", j + 1
        first = False
        if c == "[" and pattern[j + 1 : j + 2] in (":", "=", "."):
            close = pattern.find(pattern[j + 1] + "]", j + 2)
            if close < 0:
                raise ValueError("grep: unterminated character class")
            name = pattern[j + 2 : close]
            if pattern[j + 1] == ":":
                if name not in _POSIX_CLASSES:
                    raise ValueError(f"grep: unknown character class [:{name}:]")
                parts.append(_POSIX_CLASSES[name])
            else:
                parts.append(re.escape(name))
            j = close + 2
        elif c == "-" and parts and pattern[j + 1 : j + 2] not in ("]", ""):
            parts.append("-")
            j += 1
        else:
            parts.append(re.escape(c))
            j += 1
    raise ValueError("grep: unmatched [")


def parse_pipe(words: list[Word]) -> Pipe:
    head = words[0]
    parsers: dict[str, Callable[[list[Word]], Pipe]] = {
        "grep": _parse_grep,
        "head": _parse_head,
        "tail": _parse_tail,
        "wc": _parse_wc,
    }
    if head.value not in parsers:
        raise CommandError(f"unsupported pipe command {head.value!r}", offset=head.offset,
                           hint="pipes may use grep [-v] [-i] [-E] [-c], head [-n N], tail [-n N], wc -l")
    return parsers[head.value](words)


_GREP_FLAGS = {
    "v": "invert", "i": "ignore_case", "E": "extended", "c": "count",
    "-invert-match": "invert", "-ignore-case": "ignore_case",
    "-extended-regexp": "extended", "-count": "count",
}


def _parse_grep(words: list[Word]) -> GrepPipe:
    opts: dict[str, bool] = {}
    args: list[Word] = []
    rest = iter(words[1:])
    for word in rest:
        text = word.value
        if text == "--":
            args.extend(rest)
        elif text.startswith("--") or (text.startswith("-") and len(text) > 1):
            names = [text[1:]] if text.startswith("--") else list(text[1:])
            for name in names:
                if name not in _GREP_FLAGS:
                    raise CommandError(f"unsupported grep option -{name}", offset=word.offset,
                                       hint="grep supports -v, -i, -E and -c")
                opts[_GREP_FLAGS[name]] = True
        else:
            args.append(word)
    if len(args) != 1:
        where = args[1].offset if len(args) > 1 else words[0].offset
        raise CommandError("grep takes exactly one pattern", offset=where,
                           hint="grep reads the command's output; quote a pattern that has spaces")
    pipe = GrepPipe(args[0].value, **opts)
    try:
        _compile_grep(pipe.pattern, extended=pipe.extended, ignore_case=pipe.ignore_case)
    except ValueError as exc:
        raise CommandError(str(exc), offset=args[0].offset, hint="check the regular expression") from None
    return pipe


def _count_option(words: list[Word], tool: str, *, signs: str) -> tuple[int, str]:
    """Parse ``-n N``, ``-nN``, ``--lines=N`` or ``-N``; return (N, sign written)."""
    hint = f"{tool} -n N (or {tool} -N)"
    if len(words) == 1:
        return 10, ""
    args = [w.value for w in words[1:]]
    text = None
    if len(args) == 2 and args[0] in ("-n", "--lines"):
        text = args[1]
    elif len(args) == 1 and args[0].startswith(("-n", "--lines=")):
        text = args[0].removeprefix("--lines=").removeprefix("-n")
    elif len(args) == 1 and re.fullmatch(r"-\d+", args[0]):
        text = args[0][1:]
    sign = text[:1] if text and text[0] in signs else ""
    digits = text[len(sign) :] if text is not None else ""
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 9:
        raise CommandError(f"unsupported {tool} arguments", offset=words[1].offset, hint=hint)
    return int(digits), sign


def _parse_head(words: list[Word]) -> HeadPipe:
    count, sign = _count_option(words, "head", signs="-")
    return HeadPipe(count, all_but_last=bool(sign))


def _parse_tail(words: list[Word]) -> TailPipe:
    count, sign = _count_option(words, "tail", signs="+")
    return TailPipe(count, from_start=bool(sign))


def _parse_wc(words: list[Word]) -> WcPipe:
    if [w.value for w in words[1:]] not in (["-l"], ["--lines"]):
        where = words[1].offset if len(words) > 1 else words[0].offset
        raise CommandError("only wc -l is supported", offset=where, hint="count lines with wc -l")
    return WcPipe()
