"""The describer kubectl falls back on for kinds without their own (custom resources, leases...).

Port of ``genericDescriber``, ``printUnstructuredContent`` and ``smartLabelFor``
(k8s.io/kubectl v0.34.4 ``pkg/describe/describe.go``), with
``github.com/fatih/camelcase`` v1.0.0 ``Split``: every field of the object,
sorted, nested by indentation, labels made of its camel-cased name.
"""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal
from typing import Any

from .._discovery import ResourceType
from ._api import Context, meta
from ._writer import PrefixWriter, describe_events, print_metadata, print_name, tabbed_string

__all__ = ["camelcase_split", "describe_generic", "smart_label"]

_SKIPPED = frozenset({".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels",
                      ".metadata.annotations"})
_ACRONYMS = frozenset({"API", "URL", "UID", "OSB", "GUID"})


def _char_class(ch: str) -> int:
    category = unicodedata.category(ch)
    if category == "Ll":
        return 1
    if category in ("Lu", "Lt"):
        return 2
    return 3 if category == "Nd" else 4


def camelcase_split(text: str) -> list[str]:
    """``camelcase.Split``: runs of lower, upper, digits and others; ``PDFLoader`` is ``PDF``, ``Loader``."""
    runs: list[list[str]] = []
    last = 0
    for ch in text:
        kind = _char_class(ch)
        if kind == last:
            runs[-1].append(ch)
        else:
            runs.append([ch])
        last = kind
    for i in range(len(runs) - 1):
        if _char_class(runs[i][0]) == 2 and _char_class(runs[i + 1][0]) == 1:
            runs[i + 1].insert(0, runs[i].pop())
    return ["".join(run) for run in runs if run]


def smart_label(field: str) -> str:
    """``smartLabelFor``: ``podIP`` becomes ``Pod IP``; names with other than letters and ``-`` stay."""
    if any(not (ch.isalpha() or ch == "-") for ch in field):
        return field
    parts = [p for p in camelcase_split(field) if p != "_"]
    return " ".join(p.upper() if p.upper() in _ACRONYMS else _title(p) for p in parts)


def _title(word: str) -> str:
    """``strings.Title`` of one camel-case part: its first letter upper-cased."""
    return word[:1].upper() + word[1:] if word[:1].isalpha() else word


def _go_value(value: Any) -> str:
    """Go's ``%v`` of a value decoded by ``encoding/json`` into ``interface{}``."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, list):
        return "[" + " ".join(_go_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{_go_value(value[k])}" for k in sorted(value)) + "]"
    return str(value)


def _go_float(value: float) -> str:
    """``%v`` of a float64 (``strconv`` 'g', shortest): exponent form below 1e-4 and from 1e6."""
    if math.isinf(value) or math.isnan(value):
        return "NaN" if math.isnan(value) else ("+Inf" if value > 0 else "-Inf")
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    _, digit_tuple, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    point = len(digits) + int(exponent)
    text = _scientific(digits, point - 1) if not -4 <= point - 1 < 6 else _fixed(digits, point)
    return ("-" if value < 0 else "") + text


def _scientific(digits: str, exponent: int) -> str:
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"


def _fixed(digits: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * -point + digits
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return digits[:point] + "." + digits[point:]


def _print_content(w: PrefixWriter, level: int, content: dict[str, Any], prefix: str) -> None:
    """``printUnstructuredContent``."""
    for field in sorted(content):
        value, path = content[field], f"{prefix}.{field}"
        if path in _SKIPPED:
            continue
        if isinstance(value, dict):
            w.write(level, f"{smart_label(field)}:\n")
            _print_content(w, level + 1, value, path)
        elif isinstance(value, list):
            w.write(level, f"{smart_label(field)}:\n")
            for child in value:
                if isinstance(child, dict):
                    _print_content(w, level + 1, child, path)
                else:
                    w.write(level + 1, f"{_go_value(child)}\n")
        else:
            w.write(level, f"{smart_label(field)}:\t{_go_value(value)}\n")


def describe_generic(ctx: Context, resource: ResourceType, obj: dict[str, Any]) -> str:
    """``genericDescriber.Describe``: GET the object again (with its kind), print every field, then events.

    Raises:
        ApiError: When the object cannot be read.
    """
    metadata = meta(obj)
    full = ctx.get(resource.group, resource.version, resource.plural, metadata.get("namespace") or None,
                   metadata.get("name", ""))
    events = ctx.events_or_empty(full, str(full.get("kind", "")))

    def body(w: PrefixWriter) -> None:
        print_name(w, full)
        print_metadata(w, full)
        _print_content(w, 0, full, "")
        describe_events(w, events, ctx.clock)

    return tabbed_string(body)
