"""An object snapshot cut down to the fields a check read, so a report can show them as the proof.

Values are the snapshot's own, never reworded; only keys and list items that
no read path leads to are left out. A path's last step keeps its whole value
(``status.conditions`` keeps every condition). List items keep their order;
a list read at an index (``[2]``) keeps every item up to that index so the
index still names the same item, those not read standing in as ``{}``/``[]``.
"""

from __future__ import annotations

from typing import Any

from ._verdict import _path_steps

__all__ = ["prune"]

_Steps = list[str | int]
_NOTHING = object()  # no read path found anything here


def prune(value: Any, paths: list[str]) -> Any:
    """``value`` with only what ``paths`` lead to (an empty mapping when they lead nowhere).

    Raises:
        ValueError: A path is not of the form :func:`reportgen._checks.resolve_path` reads.
    """
    kept = _prune(value, [_path_steps(path) for path in paths])
    if kept is _NOTHING:
        return [] if isinstance(value, list) else {}
    return kept


def _prune(value: Any, paths: list[_Steps]) -> Any:
    if any(not steps for steps in paths):
        return value
    if isinstance(value, dict):
        return _prune_mapping(value, paths)
    if isinstance(value, list):
        return _prune_list(value, paths)
    return _NOTHING


def _prune_mapping(value: dict[str, Any], paths: list[_Steps]) -> Any:
    kept: dict[str, Any] = {}
    for key, item in value.items():
        rest = [steps[1:] for steps in paths if steps[0] == "*" or steps[0] == key]
        found = _prune(item, rest) if rest else _NOTHING
        if found is not _NOTHING:
            kept[key] = found
    return kept if kept else _NOTHING


def _prune_list(value: list[Any], paths: list[_Steps]) -> Any:
    indexes = [steps[0] for steps in paths if isinstance(steps[0], int)]
    last = len(value) - 1 if any(steps[0] == "*" for steps in paths) else max(indexes, default=-1)
    kept: list[Any] = []
    for index, item in enumerate(value[: last + 1]):
        rest = [steps[1:] for steps in paths if steps[0] == "*" or steps[0] == index]
        found = _prune(item, rest) if rest else _NOTHING
        if found is not _NOTHING:
            kept.append(found)
        elif indexes:  # keep positions, so that an index still names its item
            kept.append({} if isinstance(item, dict) else [] if isinstance(item, list) else item)
    return kept if kept else _NOTHING
