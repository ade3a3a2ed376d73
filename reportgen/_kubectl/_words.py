"""A command line split into words as POSIX ``sh`` would split it, refusing what a shell would expand.

Only quoting and ``${namespace}``-style variables are understood; every shell
operator, expansion and unquoted glob is a :class:`CommandError` with the
offset of the offending character.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

__all__ = ["CommandError", "Word", "split_line"]


class CommandError(ValueError):
    """A command line that reportgen cannot run.

    Args:
        message: What is wrong.
        offset: 0-based offset in the line of the offending character.
        hint: What to do about it.
    """

    def __init__(self, message: str, *, offset: int = 0, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


@dataclass(frozen=True)
class Word:
    value: str
    offset: int


_SHELL_HINT = "a step runs one kubectl command, optionally piped into grep, head, tail or wc -l"
_QUOTE_HINT = "quote it ('...') so that it reaches the command as it is"
_OPERATORS = {
    ";": "';' (command list)",
    "&": "'&' (background or '&&')",
    ">": "'>' (redirection)",
    "<": "'<' (redirection)",
    "(": "'(' (subshell)",
    ")": "')' (subshell)",
    "`": "'`' (command substitution)",
}
_GLOBS = {"*", "?", "[", "{", "}", "!"}


class _Scanner:
    """Splits a line into pipe segments of words, with POSIX sh quoting."""

    def __init__(self, line: str, variables: Collection[str]) -> None:
        self.line = line
        self.variables = variables
        self.segments: list[list[Word]] = [[]]
        self.chars: list[str] | None = None
        self.start = 0
        self.bar = 0

    def scan(self) -> list[list[Word]]:
        i = 0
        while i < len(self.line):
            i = self._step(i)
        self._end_word()
        if not self.segments[-1]:
            where = self.bar if len(self.segments) > 1 else 0
            raise CommandError("nothing after '|'" if where else "empty command", offset=where, hint=_SHELL_HINT)
        return self.segments

    def _step(self, i: int) -> int:
        c = self.line[i]
        if c in " \t":
            self._end_word()
            return i + 1
        if c in "\n\r":
            raise CommandError("a line break ends the command", offset=i, hint=_SHELL_HINT)
        if c == "|":
            return self._pipe(i)
        if c in _OPERATORS:
            raise CommandError(f"unsupported shell operator {_OPERATORS[c]}", offset=i, hint=_SHELL_HINT)
        if self.chars is None and c in "#~":
            what = "a comment" if c == "#" else "home directory expansion"
            raise CommandError(f"unquoted {c!r} starts {what}", offset=i, hint=_QUOTE_HINT)
        if c in _GLOBS and not (c == "!" and self.line[i + 1 : i + 2] in ("", "=", " ", "\t")):
            raise CommandError(f"unquoted {c!r} is expanded by the shell", offset=i, hint=_QUOTE_HINT)
        if self.chars is None:
            self.chars, self.start = [], i
        if c == "\\":
            return self._escape(i)
        if c == "'":
            return self._single(i)
        if c == '"':
            return self._double(i)
        if c == "$":
            return self._dollar(i, quoted=False)
        self.chars.append(c)
        return i + 1

    def _end_word(self) -> None:
        if self.chars is not None:
            self.segments[-1].append(Word("".join(self.chars), self.start))
            self.chars = None

    def _pipe(self, i: int) -> int:
        nxt = self.line[i + 1 : i + 2]
        if nxt in ("|", "&"):
            raise CommandError(f"unsupported shell operator '|{nxt}'", offset=i, hint=_SHELL_HINT)
        self._end_word()
        if not self.segments[-1]:
            raise CommandError("nothing before '|'", offset=i, hint=_SHELL_HINT)
        self.segments.append([])
        self.bar = i
        return i + 1

    def _escape(self, i: int) -> int:
        if i + 1 >= len(self.line) or self.line[i + 1] in "\n\r":
            raise CommandError("a trailing backslash continues the command", offset=i, hint=_SHELL_HINT)
        assert self.chars is not None
        self.chars.append(self.line[i + 1])
        return i + 2

    def _single(self, i: int) -> int:
        end = self.line.find("'", i + 1)
        if end < 0:
            raise CommandError("unterminated single quote", offset=i, hint="close it with '")
        assert self.chars is not None
        self.chars.append(self.line[i + 1 : end])
        return end + 1

    def _double(self, i: int) -> int:
        assert self.chars is not None
        j = i + 1
        while j < len(self.line):
            c = self.line[j]
            if c == '"':
                return j + 1
            if c == "\\" and self.line[j + 1 : j + 2] in ("$", "`", '"', "\\", "\n"):
                self.chars.append(self.line[j + 1].replace("\n", ""))
                j += 2
            elif c == "`":
                raise CommandError("'`' runs a command on your machine", offset=j, hint=_SINGLE_QUOTE_HINT)
            elif c == "$":
                j = self._dollar(j, quoted=True)
            else:
                self.chars.append(c)
                j += 1
        raise CommandError('unterminated double quote', offset=i, hint='close it with "')

    def _dollar(self, i: int, *, quoted: bool) -> int:
        assert self.chars is not None
        nxt = self.line[i + 1 : i + 2]
        hint = _SINGLE_QUOTE_HINT if quoted else _VARIABLE_HINT.format(", ".join(self.variables))
        if nxt == "{":
            end = self.line.find("}", i + 2)
            name = self.line[i + 2 : end] if end > 0 else ""
            if end < 0 or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise CommandError("unsupported parameter expansion", offset=i, hint=hint)
            if name not in self.variables:
                known = ", ".join(f"${{{v}}}" for v in self.variables)
                raise CommandError(f"unknown variable ${{{name}}}", offset=i, hint=f"available: {known}")
            self.chars.append(self.line[i : end + 1])
            return end + 1
        if nxt == "(":
            raise CommandError("'$(' runs a command on your machine", offset=i, hint=hint)
        if nxt in ("'", '"') and not quoted:
            raise CommandError(f"${nxt}...{nxt} quoting means something else in bash than in sh", offset=i,
                               hint="write the characters themselves, in plain single quotes")
        if nxt and (nxt.isalnum() or nxt in "_?#@*!-$"):
            shown = re.match(r"[A-Za-z_][A-Za-z0-9_]*|.", self.line[i + 1 :], re.S)
            assert shown is not None
            raise CommandError(f"'${shown.group()}' is expanded by your shell", offset=i, hint=hint)
        self.chars.append("$")
        return i + 1


_SINGLE_QUOTE_HINT = "single-quote it ('...') to pass it to the container as it is"
_VARIABLE_HINT = "variables are written ${{name}} with name one of: {}; single-quote a literal '$'"


def split_line(line: str, variables: Collection[str]) -> list[list[Word]]:
    """Split ``line`` into pipe segments of words."""
    return _Scanner(line, variables).scan()
