"""What the verbs' parsers share: ``-n``, resource types, ``TYPE/NAME`` targets, selectors, counts."""

from __future__ import annotations

import re

from ._commands import Target
from ._flags import FlagSpec, Parsed, flag
from ._resources import _ALIASES, check_selector, resource_name
from ._usage import USAGE
from ._words import CommandError, Word

__all__ = ["NAMESPACE", "USAGE", "check_selector_flag", "non_negative", "resource", "targets"]

NAMESPACE: FlagSpec = {"-n": ("namespace", True), "--namespace": ("namespace", True)}
_PAIR_HINT = "write every argument as TYPE/NAME, or TYPE NAME..."


_TYPE = re.compile(r"[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9.-]*)?")


def resource(text: str, offset: int) -> str:
    """The API plural for a type kubectl's short names know; any other type name as written, for the
    server's discovery to resolve at run time (CRDs: ``gateways``, ``ipaddresspools.metallb.io``).

    A name one typo away from a known one (``pdos``) is a :class:`CommandError` with the fix.
    """
    plural = resource_name(text)
    if plural is not None:
        return plural
    near = next((alias for alias in sorted(_ALIASES) if _one_typo(text.lower(), alias)), None)
    if near is not None or not _TYPE.fullmatch(text.lower()):
        hint = f"did you mean {near!r}?" if near else "a type is a name like pods, deploy or gateways.example.io"
        raise CommandError(f"unsupported resource type {text!r}", offset=offset, hint=hint)
    return text.lower()


def _one_typo(text: str, known: str) -> bool:
    """One letter changed, added, dropped, or two neighbours swapped (for names of 4 letters or more)."""
    if len(known) < 4 or abs(len(text) - len(known)) > 1 or text == known:
        return False
    if len(text) == len(known):
        diff = [i for i, (a, b) in enumerate(zip(text, known)) if a != b]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and text[diff[0]] == known[diff[1]] and text[diff[1]] == known[diff[0]])
    short, long = sorted((text, known), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def targets(words: list[Word]) -> list[Target]:
    """``TYPE/NAME`` words as targets; every word must have that form."""
    found = []
    for word in words:
        kind, slash, name = word.value.partition("/")
        if not slash or not name or "/" in name:
            raise CommandError("mixing TYPE/NAME with other arguments", offset=word.offset, hint=_PAIR_HINT)
        found.append(Target(resource(kind, word.offset), name, kind))
    return found


def typed_targets(words: list[Word]) -> tuple[list[Target], list[str]]:
    """``TYPE/NAME...`` or ``TYPE NAME...`` or a bare ``TYPE[,TYPE]``: (targets, types with no name)."""
    if not words or "/" in words[0].value:
        return targets(words), []
    kinds = words[0].value.split(",")
    plurals = [resource(kind, words[0].offset) for kind in kinds]
    if len(words) == 1:
        return [], plurals
    if len(plurals) > 1:
        raise CommandError("name several objects as TYPE/NAME when they are of several types",
                           offset=words[1].offset, hint=_PAIR_HINT)
    for word in words[1:]:
        if "/" in word.value:
            raise CommandError("a name cannot contain '/'", offset=word.offset, hint=_PAIR_HINT)
    return [Target(plurals[0], w.value, kinds[0]) for w in words[1:]], []


def check_selector_flag(parsed: Parsed, dest: str) -> None:
    """Refuse a ``-l`` value kubectl would refuse."""
    selector = flag(parsed, dest)
    if selector is not None and (problem := check_selector(selector)):
        raise CommandError(problem, offset=parsed.offset(dest), hint="see `kubectl get --help` for selector syntax")


def non_negative(text: str, offset: int, name: str, allow: tuple[int, ...] = ()) -> int:
    """A count flag's value (``--replicas``, ``--tail``): a non-negative integer, or one of ``allow``."""
    try:
        value = int(text)
    except ValueError:
        value = -2
    if (value < 0 and value not in allow) or not text.lstrip("-").isdigit():
        raise CommandError(f"{name} must be a non-negative integer, not {text!r}", offset=offset,
                           hint=f"write {name}=N")
    return value
