"""``kubectl get -o custom-columns=...`` (kubectl v1.34.4), byte for byte.

Ports k8s.io/kubectl v0.34.4 ``pkg/cmd/get/customcolumn.go`` (the spec, the
printer) and ``customcolumn_flags.go`` (its errors). Rows go through
:mod:`._tabwriter` with cli-runtime's ``GetNewTabWriter`` settings (minwidth
6, padding 3, RememberWidths); values are Go's ``fmt.Sprint`` of what
:mod:`._jsonpath` finds (maps as ``map[k:v]``, not JSON), terminal escapes
replaced, several values joined with commas, ``<none>`` when nothing matched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._jsonpath import PrintError, find_results, parse_jsonpath, relaxed_jsonpath_expression
from ._tables import go_sprint
from ._tabwriter import TabWriter

__all__ = ["Column", "parse_custom_columns", "print_custom_columns"]


@dataclass(frozen=True)
class Column:
    """One custom column.

    Attributes:
        header: The text above the column, as given (kubectl does not upper-case it).
        field_spec: The jsonpath template, already relaxed to ``{.a.b}`` form.
    """

    header: str
    field_spec: str


def parse_custom_columns(spec: str) -> list[Column]:
    """Parse ``NAME:.metadata.name,IMAGE:.spec.containers[*].image`` as ``NewCustomColumnsPrinterFromSpec``.

    Raises:
        PrintError: With kubectl's message for an empty spec, a part without
            ``:`` or a path RelaxedJSONPathExpression refuses.
    """
    if not spec:
        raise PrintError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, colon, path = part.partition(":")
        if not colon:
            raise PrintError(f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>")
        columns.append(Column(header, relaxed_jsonpath_expression(path)))
    return columns


def _items(obj: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The objects a printer prints a row for: a list's items, or the object itself."""
    if isinstance(obj, Mapping):
        items = obj.get("items")
        return list(items) if isinstance(items, list) else [obj]
    return list(obj)


def _cell(values: list[list[Any]]) -> str:
    """One cell: every value found, ``fmt.Sprint``-ed, escaped and comma-joined; ``<none>`` for nothing."""
    texts = [] if values and values[0] else ["<none>"]
    for group in values:
        texts.extend(_escape(go_sprint(int(v) if isinstance(v, int) and not isinstance(v, bool) else v))
                     for v in group)
    return ",".join(texts)


def _escape(text: str) -> str:
    """cli-runtime's ``EscapeTerminal``."""
    return text.replace("\x1b", "^[").replace("\r", "\\r")


def print_custom_columns(
    columns: Sequence[Column],
    obj: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    no_headers: bool = False,
) -> str:
    """What ``kubectl get -o custom-columns=...`` writes for ``obj``.

    Args:
        columns: From :func:`parse_custom_columns`.
        obj: The object kubectl prints (one object, or the ``List`` wrapper,
            whose items each get a row), or a sequence of objects.
        no_headers: ``--no-headers``.

    Raises:
        PrintError: A column's jsonpath error, unwrapped, as kubectl prints
            it; ``stdout`` holds the header and rows written before it.
    """
    writer = TabWriter(min_width=6, padding=3)
    if not no_headers:
        writer.write("\t".join(c.header for c in columns) + "\n")
    try:
        roots = [parse_jsonpath(c.field_spec) for c in columns]
        for item in _items(obj):
            cells = [_cell(find_results(root, item, allow_missing_keys=True)) for root in roots]
            writer.write("\t".join(cells) + "\n")
    except PrintError as exc:
        raise PrintError(exc.message, writer.flush()) from None
    return writer.flush()
