"""``kubectl get -o name`` (kubectl v1.34.4): one ``kind.group/name`` line per object.

Port of k8s.io/cli-runtime v0.34.4 ``pkg/printers/name.go`` (``NamePrinter``,
``GetObjectGroupKind``, ``printObj``) for unstructured objects, whose group
and kind come from ``apiVersion`` and ``kind`` as apimachinery's
``ParseGroupVersion`` reads them. The kind is lower-cased; the core group adds
no suffix; an object without a name prints as ``<unknown>``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._jsonpath import PrintError

__all__ = ["object_name", "print_names"]

_MISSING_KIND = "missing apiVersion or kind; try GetObjectKind().SetGroupVersionKind() if you know the type"


def _string(obj: Mapping[str, Any], *path: str) -> str:
    """A nested string field, ``""`` when absent or not a string (unstructured's accessors)."""
    value: Any = obj
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value if isinstance(value, str) else ""


def _group_kind(obj: Mapping[str, Any]) -> tuple[str, str, str]:
    """(group, version, kind) as ``Unstructured.GroupVersionKind`` returns them; all empty when unparsable."""
    api_version, kind = _string(obj, "apiVersion"), _string(obj, "kind")
    if api_version in ("", "/"):
        return "", "", kind
    if api_version.count("/") > 1:
        return "", "", ""
    group, _, version = api_version.rpartition("/")
    return group, version, kind


def _go_lower(text: str) -> str:
    """Go's ``strings.ToLower``, rune by rune."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def object_name(obj: Mapping[str, Any]) -> str:
    """One object's line without its newline, e.g. ``deployment.apps/web``.

    Raises:
        PrintError: kubectl's error for an object with neither apiVersion nor kind.
    """
    group, version, kind = _group_kind(obj)
    if not (group or version or kind):
        raise PrintError(_MISSING_KIND)
    name = _string(obj, "metadata", "name") or "<unknown>"
    if not kind:  # GetObjectGroupKind: no kind, no group either
        return f"<unknown>/{name}"
    if not group:
        return f"{_go_lower(kind)}/{name}"
    return f"{_go_lower(kind)}.{group}/{name}"


def print_names(obj: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> str:
    """What ``kubectl get -o name`` writes for ``obj``: a list's items one per line, or the object.

    Args:
        obj: The object kubectl prints (one object, or the ``List`` wrapper), or a sequence of objects.

    Raises:
        PrintError: As :func:`object_name`; ``stdout`` holds the lines printed before.
    """
    if isinstance(obj, Mapping):
        items = obj.get("items")
        objects = list(items) if isinstance(items, list) else [obj]
    else:
        objects = list(obj)
    lines: list[str] = []
    for item in objects:
        try:
            lines.append(object_name(item) + "\n")
        except PrintError as exc:
            raise PrintError(exc.message, "".join(lines)) from None
    return "".join(lines)
