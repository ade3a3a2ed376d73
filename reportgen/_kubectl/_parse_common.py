"""What the verbs' parsers share: ``-n``, resource types, ``TYPE/NAME`` targets, selectors, counts."""

from __future__ import annotations

from ._commands import Target
from ._flags import FlagSpec, Parsed, flag
from ._resources import _ALIASES, check_selector, resource_name
from ._usage import USAGE
from ._words import CommandError, Word

__all__ = ["NAMESPACE", "USAGE", "check_selector_flag", "non_negative", "resource", "targets"]

NAMESPACE: FlagSpec = {"-n": ("namespace", True), "--namespace": ("namespace", True)}
_PAIR_HINT = "write every argument as TYPE/NAME, or TYPE NAME..."


def resource(text: str, offset: int) -> str:
    """The API plural for a type as typed, or a :class:`CommandError` listing the known ones."""
    plural = resource_name(text)
    if plural is None:
        known = ", ".join(sorted(_ALIASES))
        raise CommandError(f"unsupported resource type {text!r}", offset=offset, hint=f"supported: {known}")
    return plural


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
