"""Label and field selectors as strings, as k8s.io/apimachinery v0.34.4 writes them.

Ports ``metav1.LabelSelectorAsSelector`` / ``FormatLabelSelector``
(``pkg/apis/meta/v1/helpers.go``), ``labels.Selector.String`` and
``labels.FormatLabels`` (``pkg/labels``), and ``fields.Set.AsSelector``
with ``fields.EscapeValue`` (``pkg/fields``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._gosort import go_sort

__all__ = [
    "SelectorError",
    "field_selector",
    "format_label_selector",
    "format_labels",
    "label_selector_string",
    "labels_string",
]

class SelectorError(ValueError):
    """``LabelSelectorAsSelector`` failed (a bad operator): describers return this error."""


_OPERATORS = {"In": " in ", "NotIn": " notin ", "Exists": "", "DoesNotExist": ""}


def labels_string(labels: Mapping[str, str] | None) -> str:
    """``labels.Set(m).String()``: ``k=v`` pairs sorted by key, comma separated."""
    labels = labels or {}
    return ",".join(f"{key}={labels[key]}" for key in sorted(labels))


def format_labels(labels: Mapping[str, str] | None) -> str:
    """``labels.FormatLabels``: ``<none>`` for no labels."""
    return labels_string(labels) or "<none>"


def label_selector_string(selector: Mapping[str, Any] | None) -> str | None:
    """``LabelSelectorAsSelector(sel).String()``; None when Go would fail (a bad operator).

    A nil selector selects nothing and an empty one everything: both print ``""``.
    """
    if not selector:
        return ""
    requirements: list[tuple[str, str]] = [
        (key, f"{key}={value}") for key, value in sorted((selector.get("matchLabels") or {}).items())
    ]
    for expression in selector.get("matchExpressions") or []:
        text = _requirement(expression)
        if text is None:
            return None
        requirements.append((expression.get("key", ""), text))
    go_sort(requirements, lambda a, b: a[0] < b[0])
    return ",".join(text for _, text in requirements)


def _requirement(expression: Mapping[str, Any]) -> str | None:
    key, operator = str(expression.get("key", "")), expression.get("operator", "")
    if operator not in _OPERATORS:
        return None
    if operator == "Exists":
        return key
    if operator == "DoesNotExist":
        return f"!{key}"
    values = list(expression.get("values") or [])
    listed = values[0] if len(values) == 1 else ",".join(sorted(values))
    return f"{key}{_OPERATORS[operator]}({listed})"


def format_label_selector(selector: Mapping[str, Any] | None) -> str:
    """``metav1.FormatLabelSelector``: ``<none>`` when empty, ``<error>`` when invalid."""
    text = label_selector_string(selector) if selector is not None else ""
    if text is None:
        return "<error>"
    return text or "<none>"


def field_selector(terms: list[tuple[str, str]]) -> str:
    """``fields.Set{...}.AsSelector().String()``, terms in the order given (Go's map order is random)."""
    return ",".join(f"{field}={_escape(value)}" for field, value in terms)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")
