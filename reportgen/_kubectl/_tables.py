"""Lay out server-side Tables exactly as ``kubectl get`` (v1.34) prints them.

Pure functions, no I/O. The logic mirrors kubectl's human-readable path:
``kubectl/pkg/cmd/get/get.go`` (grouping by resource, blank line between
groups, "No resources found"), ``cli-runtime/pkg/printers/tableprinter.go``
(headers, priority columns, NAMESPACE column, ``kind/name`` prefix, cell
formatting) and :mod:`._tabwriter` with kubectl's settings.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ._tabwriter import TabWriter

__all__ = [
    "TableData",
    "TableOptions",
    "TablePrinter",
    "escape_terminal",
    "format_labels",
    "format_tables",
    "go_sprint",
    "kind_prefix",
    "multiple_kinds",
    "no_resources_message",
]

_TRUNCATE_AT = re.compile(r"[\f\n\r]")
_INT64 = range(-(2**63), 2**63)


@dataclass(frozen=True)
class TableData:
    """One server-side Table plus the REST mapping it was fetched for.

    Attributes:
        table: The meta.k8s.io/v1 Table JSON as returned by the API server.
        kind: The resource's kind, e.g. ``Deployment``.
        group: The API group, ``""`` for the core group.
        version: The API version the table was fetched from.
        resource: The plural resource name, e.g. ``deployments``.
        namespaced: Whether the resource lives in namespaces.
    """

    table: dict[str, Any]
    kind: str
    group: str = ""
    version: str = "v1"
    resource: str = ""
    namespaced: bool = True

    @property
    def mapping_key(self) -> tuple[str, str, str]:
        """The group/version/resource kubectl compares to start a new group."""
        return (self.group, self.version, self.resource or self.kind)


@dataclass(frozen=True)
class TableOptions:
    """cli-runtime's ``PrintOptions`` for server-side Tables.

    Attributes:
        wide: ``-o wide``: also show columns with priority > 0.
        all_namespaces: ``-A``: prepend NAMESPACE for namespaced resources.
        show_kind: Prefix NAME cells with ``kind.group/``.
        no_headers: ``--no-headers``.
        label_columns: ``-L`` keys, a column each (header: the key's last segment, uppercased).
        show_labels: ``--show-labels``: a LABELS column, always last.
    """

    wide: bool = False
    all_namespaces: bool = False
    show_kind: bool = False
    no_headers: bool = False
    label_columns: tuple[str, ...] = ()
    show_labels: bool = False


def format_tables(tables: Sequence[TableData], options: TableOptions | None = None, **flags: Any) -> str:
    """Render tables the way ``kubectl get`` writes them to stdout.

    Consecutive tables of the same resource share one header and one
    alignment; a blank line separates resource groups that printed anything.

    Args:
        tables: Tables in the order kubectl would visit them.
        options: How to print them; ``flags`` are :class:`TableOptions` fields, as a shorthand.

    Returns:
        The stdout text; empty when nothing would be printed.
    """
    options = options or TableOptions(**flags)
    out: list[str] = []
    separator_ready = False
    groups = _group_by_mapping(tables)
    for index, group in enumerate(groups):
        if index > 0 and out:
            separator_ready = True
        text = _format_group(group, options)
        if text:
            if separator_ready:
                out.append("\n")
                separator_ready = False
            out.append(text)
    return "".join(out)


def multiple_kinds(tables: Iterable[TableData]) -> bool:
    """Tell whether kubectl would prefix names with their kind.

    kubectl shows kinds when the visited objects span several
    group/version/kinds (``multipleGVKsRequested``).
    """
    seen = {(t.group, t.version, t.kind) for t in tables}
    return len(seen) > 1


def no_resources_message(
    namespace: str | None, all_namespaces: bool, *, namespaced: bool = True
) -> str:
    """Return what kubectl writes to stderr when a get printed nothing.

    Args:
        namespace: The namespace in effect (``None`` means ``default``).
        all_namespaces: Whether ``-A`` was given.
        namespaced: False when any requested resource is cluster-scoped.

    Returns:
        The message, newline included.
    """
    if namespaced and not all_namespaces:
        return f"No resources found in {namespace or 'default'} namespace.\n"
    return "No resources found\n"


def kind_prefix(kind: str, group: str) -> str:
    """Return the lowercased ``Kind.group`` kubectl puts before names."""
    text = f"{kind}.{group}" if group else kind
    return _go_lower(text)


def go_sprint(value: Any) -> str:
    """Format a JSON-decoded value like Go's ``fmt.Sprint`` on unstructured data.

    Args:
        value: A value decoded from JSON (str, int, float, bool, None, list, dict).

    Returns:
        The text Go would print for it.
    """
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value in _INT64 else _go_float(float(value))
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, list):
        return "[" + " ".join(go_sprint(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{k}:{go_sprint(value[k])}" for k in sorted(value))
        return "map[" + " ".join(items) + "]"
    return str(value)


def _go_float(value: float) -> str:
    """Format a float like Go's ``%v``: shortest digits, exponent form past 1e6."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    digits, exponent = _shortest_digits(abs(value))
    if exponent < -4 or exponent >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    point = exponent + 1
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


def _shortest_digits(value: float) -> tuple[str, int]:
    """Return the shortest round-trip digits of ``value`` and its decimal exponent."""
    if value == 0:
        return "0", 0
    decimal = Decimal(repr(value)).normalize()
    _, digit_tuple, exp = decimal.as_tuple()
    digits = "".join(map(str, digit_tuple))
    return digits, len(digits) + int(exp) - 1


def _go_lower(text: str) -> str:
    """Lowercase rune by rune like Go's ``strings.ToLower``."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _go_upper(text: str) -> str:
    """Uppercase rune by rune like Go's ``strings.ToUpper``."""
    return "".join(c.upper() if len(c.upper()) == 1 else c for c in text)


def _group_by_mapping(tables: Sequence[TableData]) -> list[list[TableData]]:
    """Split tables into runs that share a REST mapping (one printer each)."""
    groups: list[list[TableData]] = []
    for table in tables:
        if groups and groups[-1][-1].mapping_key == table.mapping_key:
            groups[-1].append(table)
        else:
            groups.append([table])
    return groups


def _format_group(group: list[TableData], options: TableOptions) -> str:
    """Print one resource group through a fresh printer and tabwriter."""
    printer = TablePrinter(options)
    writer = TabWriter()
    for data in group:
        writer.write(printer.print_table(data))
    return writer.flush()


class TablePrinter:
    """State of cli-runtime's HumanReadablePrinter across the tables of one group (or one watch)."""

    def __init__(self, options: TableOptions) -> None:
        self.options = options
        self.printed_headers = False
        self.last_keys: list[tuple[Any, ...]] | None = None
        self.last_columns: list[dict[str, Any]] = []

    def print_table(self, data: TableData, event: str = "") -> str:
        """Return the tab-separated text kubectl feeds its tabwriter for a table; ``event`` adds an EVENT column."""
        table, options = data.table, self.options
        kind = kind_prefix(data.kind, data.group) if options.show_kind else ""
        columns = list(table.get("columnDefinitions") or [])
        rows = list(table.get("rows") or [])
        keys = [_column_key(c) for c in columns]
        no_headers = options.no_headers or (self.printed_headers and (not columns or keys == self.last_keys))
        if not columns:
            columns = self.last_columns
        elif keys != self.last_keys:
            self.last_keys, self.last_columns = keys, columns
            self.printed_headers = False
        if rows:
            self.printed_headers = True
        columns, cells = _decorate(columns, rows, options.all_namespaces and data.namespaced, kind, options)
        if event:
            columns = [{"name": "Event", "type": "string"}, *columns]
            cells = [[_WATCH_EVENTS.get(event, event), *row] for row in cells]
        return _print_table(columns, cells, options.wide, no_headers)


_WATCH_EVENTS = {"ADDED": "ADDED   ", "MODIFIED": "MODIFIED", "DELETED": "DELETED ", "ERROR": "ERROR   "}


def _column_key(column: dict[str, Any]) -> tuple[Any, ...]:
    """Comparable form of a column definition (Go's reflect.DeepEqual)."""
    return (
        column.get("name", ""),
        column.get("type", ""),
        column.get("format", ""),
        column.get("description", ""),
        column.get("priority", 0),
    )


def _decorate(
    columns: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    with_namespace: bool,
    kind: str,
    options: TableOptions,
) -> tuple[list[dict[str, Any]], list[list[Any]]]:
    """Port of kubectl's ``decorateTable``: kind prefix, NAMESPACE column, label columns."""
    name_column = _name_column(columns) if kind else -1
    labelled = bool(options.label_columns) or options.show_labels
    width = len(columns) + len(options.label_columns) + with_namespace + options.show_labels
    cells = [list(row.get("cells") or []) for row in rows]
    if with_namespace or name_column != -1 or labelled:
        cells = [
            _decorate_row(row, row_cells, name_column, with_namespace, kind, width, options)
            for row, row_cells in zip(rows, cells)
        ]
    added = [{"name": key.split("/")[-1].upper(), "type": "string"} for key in options.label_columns]
    added += [{"name": "Labels", "type": "string"}] * options.show_labels
    columns = [*columns, *added]
    if with_namespace:
        columns = [{"name": "Namespace", "type": "string"}, *columns]
    return columns, cells


def format_labels(labels: dict[str, str]) -> str:
    """apimachinery's ``labels.FormatLabels``: ``k=v,...`` sorted by key, ``<none>`` when empty."""
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels)) or "<none>"


def _decorate_row(
    row: dict[str, Any],
    cells: list[Any],
    name_column: int,
    with_namespace: bool,
    kind: str,
    width: int,
    options: TableOptions,
) -> list[Any]:
    """Decorate one row's cells; rows without an object get nil padding."""
    if 0 <= name_column < len(cells):
        cells[name_column] = f"{kind}/{_go_s(cells[name_column])}"
    namespace = _row_namespace(row)
    if namespace is None:
        if with_namespace:
            cells.insert(0, None)
        missing = 0
        while missing < width - len(cells):  # kubectl's loop re-reads len()
            cells.append(None)
            missing += 1
        return cells
    cells = [namespace, *cells] if with_namespace else cells
    if options.label_columns or options.show_labels:
        labels = _row_labels(row)
        cells += [labels.get(key, "") for key in options.label_columns]
        cells += [format_labels(labels)] * options.show_labels
    return cells


def _row_labels(row: dict[str, Any]) -> dict[str, str]:
    metadata = (row.get("object") or {}).get("metadata") or {}
    return dict(metadata.get("labels") or {})


def _name_column(columns: list[dict[str, Any]]) -> int:
    """Index of the first ``string`` column with format ``name``, else -1."""
    for index, column in enumerate(columns):
        if column.get("format") == "name" and column.get("type") == "string":
            return index
    return -1


def _row_namespace(row: dict[str, Any]) -> str | None:
    """Namespace of a row's embedded object; None when there is no object."""
    obj = row.get("object")
    if not isinstance(obj, dict):
        return None
    metadata = obj.get("metadata")
    namespace = metadata.get("namespace") if isinstance(metadata, dict) else None
    return namespace if isinstance(namespace, str) else ""


def _go_s(value: Any) -> str:
    """Format a value with Go's ``%s`` verb."""
    if isinstance(value, str):
        return value
    if value is None:
        return "%!s(<nil>)"
    return go_sprint(value)


def _print_table(
    columns: list[dict[str, Any]], rows: list[list[Any]], wide: bool, no_headers: bool
) -> str:
    """Port of cli-runtime's ``printTable``: header plus one line per row."""
    visible = [wide or not c.get("priority", 0) for c in columns]
    lines: list[str] = []
    if not no_headers:
        if not rows:
            return ""
        names = [_go_upper(c.get("name", "")) for c, v in zip(columns, visible) if v]
        lines.append("\t".join(names) + "\n")
    for row in rows:
        shown = [_format_cell(cell) for cell, v in zip(row, visible) if v]
        lines.append("\t".join(shown) + "\n")
    return "".join(lines)


def _format_cell(cell: Any) -> str:
    """Format one cell: nil is empty, strings cut at a line break, escaped."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        cut = _TRUNCATE_AT.search(cell)
        text = cell[: cut.start()] if cut else cell
        return escape_terminal(text) + ("..." if cut else "")
    return escape_terminal(go_sprint(cell))


def escape_terminal(text: str) -> str:
    """Replace terminal control characters as kubectl's ``WriteEscaped`` does."""
    return text.replace("\x1b", "^[").replace("\r", "\\r")
