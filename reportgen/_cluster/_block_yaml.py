"""The block YAML kubeconfigs are written in, read without importing PyYAML.

Importing PyYAML is an eighth of a preview command's time (its reader compiles
a large Unicode class at import). kubectl, kind, minikube and the lab write
kubeconfigs in a small part of YAML: block mappings and sequences, one-line
plain or quoted scalars, and one-line flow mappings or sequences such as
``preferences: {}``. :func:`parse_mapping` reads exactly that part, and returns
None for anything else (anchors, tags, block scalars, multi-line scalars,
comments after a value, a scalar PyYAML would resolve to a
number or a date): the caller then reads the file with PyYAML. Whenever it
returns a mapping, it is the one ``yaml.safe_load`` gives; a hypothesis test
(tests/test_block_yaml.py) holds it to that.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["parse_mapping"]


class _Declined(Exception):
    """The text is outside the part of YAML read here."""


_PLAIN = re.compile(r"[A-Za-z/][A-Za-z0-9_./:+=~@, -]*")
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_OTHER_BOOLEANS = {"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"}
_NULLS = {"null", "Null", "NULL", "~"}
_INTEGER = re.compile(r"0|[1-9][0-9]*")

_Line = tuple[int, str]


def parse_mapping(text: str) -> dict[str, Any] | None:
    """The mapping ``text`` holds, as ``yaml.safe_load`` reads it; None when it is not one read here."""
    try:
        lines = _lines(text)
        if not lines or lines[0][0] != 0:
            return None
        value, end = _node(lines, 0, 0)
        if end != len(lines) or not isinstance(value, dict):
            return None
        return value
    except _Declined:
        return None


_OUTSIDE = re.compile(r"[^\n\x20-\x7e]")
"""Tabs, other line breaks, control and non-ASCII characters: PyYAML weighs each, so they are declined."""


def _lines(text: str) -> list[_Line]:
    if _OUTSIDE.search(text):
        raise _Declined
    lines = []
    for raw in text.split("\n"):
        body = raw.rstrip(" ")
        if not body.strip() or body.lstrip().startswith("#"):
            continue
        if body.startswith(("---", "...", "%")):
            raise _Declined
        lines.append((len(body) - len(body.lstrip(" ")), body.lstrip(" ")))
    return lines


def _node(lines: list[_Line], i: int, indent: int) -> tuple[Any, int]:
    """The block node whose first line is ``lines[i]``, at ``indent``, and the index after it."""
    text = lines[i][1]
    if _is_item(text):
        return _sequence(lines, i, indent)
    if _key_end(text) is not None:
        return _mapping(lines, i, indent)
    return _value(text), i + 1


def _sequence(lines: list[_Line], i: int, indent: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    while i < len(lines) and lines[i][0] == indent and _is_item(lines[i][1]):
        rest = lines[i][1][1:]
        if not rest.strip():
            raise _Declined  # an item on the lines below its dash
        inner = indent + 1 + len(rest) - len(rest.lstrip(" "))
        lines[i] = (inner, rest.lstrip(" "))
        item, i = _node(lines, i, inner)
        items.append(item)
    return items, i


def _mapping(lines: list[_Line], i: int, indent: int) -> tuple[dict[str, Any], int]:
    mapping: dict[str, Any] = {}
    while i < len(lines) and lines[i][0] == indent and not _is_item(lines[i][1]):
        text = lines[i][1]
        end = _key_end(text)
        if end is None:
            raise _Declined
        key = _plain_key(text[:end])
        rest = text[end + 1:].strip(" ")
        i += 1
        if rest:
            mapping[key] = _value(rest)
        elif i < len(lines) and (lines[i][0] > indent or (lines[i][0] == indent and _is_item(lines[i][1]))):
            mapping[key], i = _node(lines, i, lines[i][0])
        else:
            mapping[key] = None
    return mapping, i


def _is_item(text: str) -> bool:
    """A block sequence's ``-`` starts the line."""
    return text == "-" or text.startswith("- ")


def _key_end(text: str) -> int | None:
    """Where the ``:`` after a block mapping's key is, if the line holds one."""
    if text.startswith(("'", '"', "{", "[")):
        return None
    at = text.find(": ")
    if at < 0 and text.endswith(":"):
        at = len(text) - 1
    return at if at > 0 else None


def _plain_key(text: str) -> str:
    key = _scalar(text)
    if ":" in text or text != text.strip(" ") or not isinstance(key, str) or key != text:
        raise _Declined
    return key


def _value(text: str) -> Any:
    if text.startswith("{") and text.endswith("}"):
        return dict(_flow_pair(piece) for piece in _flow_items(text[1:-1]))
    if text.startswith("[") and text.endswith("]"):
        return [_scalar(piece) for piece in _flow_items(text[1:-1])]
    return _scalar(text)


def _flow_items(inner: str) -> list[str]:
    if not inner.strip():
        return []
    return [piece.strip(" ") for piece in inner.split(",")]


def _flow_pair(piece: str) -> tuple[str, Any]:
    key, colon, value = piece.partition(": ")
    if not colon or ":" in key + value:
        raise _Declined
    return _plain_key(key), _scalar(value.strip(" "))


def _scalar(text: str) -> Any:
    if len(text) >= 2 and text[0] == text[-1] == "'" and "'" not in text[1:-1].replace("''", ""):
        return text[1:-1].replace("''", "'")
    if len(text) >= 2 and text[0] == text[-1] == '"' and not any(ch in text[1:-1] for ch in '"\\'):
        return text[1:-1]
    if " #" in text or ": " in text or text.endswith(":"):
        raise _Declined
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    if text in _NULLS:
        return None
    if _INTEGER.fullmatch(text):
        return int(text)
    if text in _OTHER_BOOLEANS or not _PLAIN.fullmatch(text):
        raise _Declined
    return text
