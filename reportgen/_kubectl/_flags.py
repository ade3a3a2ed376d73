"""kubectl's flag syntax, as pflag parses it: ``-n NS``, ``-nNS``, ``-n=NS``, ``--namespace=NS``, ``-it``.

A verb passes a spec of the flags it accepts; anything else is a
:class:`CommandError` pointing at the flag, with the verb's usage as the hint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ._usage import USAGE
from ._words import CommandError, Word

__all__ = ["FlagSpec", "Parsed", "flag", "parse_flags", "take_flag"]

FlagSpec = dict[str, tuple[str, bool]]
"""flag name -> (destination, takes a value)."""

_BOOLEAN_VALUES = {"true": True, "false": False}


@dataclass
class Parsed:
    """What :func:`parse_flags` found: flags by destination, positional words, and what follows ``--``."""

    flags: dict[str, tuple[str | bool, int]] = field(default_factory=dict)
    args: list[Word] = field(default_factory=list)
    rest: list[Word] | None = None  # after "--"
    repeated: dict[str, list[str]] = field(default_factory=dict)

    def has(self, dest: str) -> bool:
        """Whether a boolean flag was given (and not ``=false``)."""
        return self.flags.get(dest, (False, 0))[0] is True

    def offset(self, dest: str, default: int = 0) -> int:
        """Where the flag for ``dest`` was written."""
        return self.flags.get(dest, ("", default))[1]


def flag(parsed: Parsed, dest: str) -> str | None:
    """The value of a value flag, or None."""
    value = parsed.flags.get(dest)
    return value[0] if value and isinstance(value[0], str) else None


def parse_flags(words: list[Word], spec: FlagSpec, verb: str, pre: Parsed, *, dashdash: bool) -> Parsed:
    """Split words into flags (per ``spec``), positional args and what follows ``--``."""
    parsed = Parsed(flags=dict(pre.flags))
    i = 0
    while i < len(words):
        word = words[i]
        if word.value == "--" and dashdash:
            parsed.rest = words[i + 1 :]
            return parsed
        if word.value.startswith("-") and word.value != "-":
            i = take_flag(words, i, spec, parsed, verb)
        else:
            parsed.args.append(word)
            i += 1
    return parsed


def take_flag(words: list[Word], i: int, spec: FlagSpec, parsed: Parsed, verb: str) -> int:
    """Record the flag at ``words[i]``; return the index of the next word."""
    word = words[i]
    text = word.value
    if text.startswith("--"):
        name, eq, value = text.partition("=")
        return _store(words, i, spec, parsed, verb, name, value if eq else None)
    for k in range(1, len(text)):
        name = "-" + text[k]
        if name not in spec:
            _unknown_flag(word, name, verb)
        if spec[name][1]:
            attached = text[k + 1 :].removeprefix("=") if k + 1 < len(text) else None
            return _store(words, i, spec, parsed, verb, name, attached)
        if text[k + 1 : k + 2] == "=":
            raise CommandError(f"{name} takes no value", offset=word.offset, hint=USAGE[verb])
        parsed.flags[spec[name][0]] = (True, word.offset)
    return i + 1


def _store(words: list[Word], i: int, spec: FlagSpec, parsed: Parsed, verb: str,
           name: str, value: str | None) -> int:
    word = words[i]
    if name not in spec:
        _unknown_flag(word, name, verb)
    dest, takes_value = spec[name]
    if not takes_value:
        if value is not None and value not in _BOOLEAN_VALUES:
            raise CommandError(f"{name} takes no value (or =true, =false)", offset=word.offset, hint=USAGE[verb])
        parsed.flags[dest] = (_BOOLEAN_VALUES.get(value or "true", True), word.offset)
        return i + 1
    if value is None:
        if i + 1 >= len(words):
            raise CommandError(f"{name} needs a value", offset=word.offset, hint=USAGE[verb])
        value, at, step = words[i + 1].value, words[i + 1].offset, 2
    else:
        at, step = word.offset, 1
    parsed.flags[dest] = (value, at)
    parsed.repeated.setdefault(dest, []).append(value)
    return i + step


_FLAG_HINTS = {
    "--context": "steps run against the cluster reportgen connects to",
    "--kubeconfig": "steps run against the cluster reportgen connects to",
}


def _unknown_flag(word: Word, name: str, verb: str) -> None:
    raise CommandError(f"unsupported flag {name} for {verb}", offset=word.offset,
                       hint=_FLAG_HINTS.get(name, USAGE[verb]))
