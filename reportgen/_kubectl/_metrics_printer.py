"""``kubectl top``'s tables, ported from k8s.io/kubectl v0.34.4 ``pkg/metricsutil/metrics_printer.go``,
``metrics_sorter.go`` and ``metrics_resource_adder.go``.

CPU prints as ``MilliValue()`` with ``m``, memory as ``Value() / 2^20`` with
``Mi`` (Go integer division), a node's percentage as
``int64(float64(used milli) / float64(available milli) * 100)``. Every cell
ends with a tab, so every line ends with a padded column, as kubectl's do.
Rows are ordered by Go's ``sort.Sort``, which is not stable: pods that tie on
``--sort-by`` come out in the order only that algorithm gives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._describe._gosort import go_sort
from ._describe._podresources import resource_list
from ._describe._quantity import ZERO, Quantity
from ._tabwriter import TabWriter

__all__ = [
    "NodeMetrics",
    "PodMetrics",
    "ResourceList",
    "percent_text",
    "pod_usage",
    "print_node_metrics",
    "print_pod_metrics",
    "usage_text",
]

ResourceList = dict[str, Quantity]
MEASURED = ("cpu", "memory")
NODE_COLUMNS = ("NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)")
POD_COLUMNS = ("NAME", "CPU(cores)", "MEMORY(bytes)")
_UNKNOWN = "<unknown>"
_MEBI = 1024 * 1024


@dataclass(frozen=True)
class NodeMetrics:
    """One ``NodeMetrics`` object: the node's name and its usage."""

    name: str
    usage: ResourceList

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> NodeMetrics:
        """Decode a ``metrics.k8s.io/v1beta1`` NodeMetrics."""
        return cls((item.get("metadata") or {}).get("name", ""), resource_list(item.get("usage")))


@dataclass(frozen=True)
class PodMetrics:
    """One ``PodMetrics`` object: the pod, and each container's name and usage in the server's order."""

    namespace: str
    name: str
    containers: tuple[tuple[str, ResourceList], ...]

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> PodMetrics:
        """Decode a ``metrics.k8s.io/v1beta1`` PodMetrics."""
        meta = item.get("metadata") or {}
        containers = tuple((c.get("name", ""), resource_list(c.get("usage"))) for c in item.get("containers") or [])
        return cls(meta.get("namespace", ""), meta.get("name", ""), containers)


def usage_text(resource: str, quantity: Quantity) -> str:
    """``printSingleResourceUsage``: ``250m`` for cpu, ``64Mi`` for memory (and swap), else the value."""
    if resource == "cpu":
        return f"{quantity.milli_value()}m"
    if resource in ("memory", "swap"):
        value = quantity.value()
        return f"{value // _MEBI if value >= 0 else -(-value // _MEBI)}Mi"
    return str(quantity.value())


def percent_text(used: Quantity, available: Quantity) -> str:
    """``int64(fraction)%``: the share of ``available`` in use, 0 when nothing is available."""
    fraction = 0.0 if available.is_zero else float(used.milli_value()) / float(available.milli_value()) * 100
    return f"{int(fraction)}%"


def pod_usage(pod: PodMetrics) -> ResourceList:
    """``getPodMetrics``: the sum of the containers' usage, for each measured resource (exactly, as Go adds)."""
    return {res: Quantity(sum(usage.get(res, ZERO).nanos for _, usage in pod.containers)) for res in MEASURED}


Less = Callable[[Any, Any], bool]


def _by_usage(sort_by: str, usage: Callable[[Any], ResourceList], name: Callable[[Any], Any]) -> Less:
    """The ``Less`` of kubectl's sorters: most cpu or memory first, else by name."""
    if sort_by == "cpu":
        return lambda a, b: usage(a).get("cpu", ZERO).milli_value() > usage(b).get("cpu", ZERO).milli_value()
    if sort_by == "memory":
        return lambda a, b: usage(a).get("memory", ZERO).value() > usage(b).get("memory", ZERO).value()
    return lambda a, b: bool(name(a) < name(b))


def _line(name: str, usage: Mapping[str, Quantity], available: Mapping[str, Quantity]) -> str:
    """``printMetricsLine``: the name, then each measured usage and, where available is known, its percentage."""
    cells = [name]
    for res in MEASURED:
        used = usage.get(res, ZERO)
        cells.append(usage_text(res, used))
        if res in available:
            cells.append(percent_text(used, available[res]))
    return "".join(f"{cell}\t" for cell in cells) + "\n"


def _columns(names: Sequence[str]) -> str:
    return "".join(f"{name}\t" for name in names) + "\n"


def print_node_metrics(metrics: list[NodeMetrics], available: Mapping[str, ResourceList], *,
                       no_headers: bool = False, sort_by: str = "") -> str:
    """``PrintNodeMetrics``: one row per node with metrics, then ``<unknown>`` rows for the nodes without.

    ``available`` maps node names to their allocatable (or capacity), in the
    nodes' list order; kubectl prints the nodes without metrics in Go map
    order, which varies, so this keeps the list order.
    """
    if not metrics:
        return ""
    writer = TabWriter()
    rows = list(metrics)
    go_sort(rows, _by_usage(sort_by, lambda m: m.usage, lambda m: m.name))
    if not no_headers:
        writer.write(_columns(NODE_COLUMNS))
    missing = dict(available)
    for node in rows:
        writer.write(_line(node.name, node.usage, missing.pop(node.name, {})))
    for name in missing:
        writer.write(f"{name}\t" + f"{_UNKNOWN}\t" * (2 * len(MEASURED)) + "\n")
    return writer.flush()


def _pod_less(sort_by: str, with_namespace: bool) -> Less:
    """``PodMetricsSorter.Less`` on (pod, its summed usage) pairs."""
    if sort_by:
        return _by_usage(sort_by, lambda row: row[1], lambda row: row[0].name)
    if with_namespace:
        return lambda a, b: bool((a[0].namespace, a[0].name) < (b[0].namespace, b[0].name))
    return lambda a, b: bool(a[0].name < b[0].name)


def print_pod_metrics(metrics: list[PodMetrics], *, containers: bool = False, with_namespace: bool = False,
                      no_headers: bool = False, sort_by: str = "", total: bool = False) -> str:
    """``PrintPodMetrics``: one row per pod (or per container with ``containers``), then the ``--sum`` rows."""
    if not metrics:
        return ""
    writer = TabWriter()
    width = len(POD_COLUMNS)
    if not no_headers:  # kubectl counts the extra columns only when it prints their headers
        extra = ["NAMESPACE"] * with_namespace + ["POD"] * containers
        width += len(extra)
        writer.write(_columns([*extra, *POD_COLUMNS]))
    rows = [(pod, pod_usage(pod)) for pod in metrics]
    go_sort(rows, _pod_less(sort_by, with_namespace))
    for pod, usage in rows:
        prefix = f"{pod.namespace}\t" if with_namespace else ""
        if not containers:
            writer.write(prefix + _line(pod.name, usage, {}))
            continue
        listed = list(pod.containers)
        go_sort(listed, _by_usage(sort_by, lambda c: c[1], lambda c: c[0]))
        for name, container_usage in listed:
            writer.write(f"{prefix}{pod.name}\t" + _line(name, container_usage, {}))
    if total:
        writer.write(_sum_lines([usage for _, usage in rows], width))
    return writer.flush()


def _sum_lines(usages: list[ResourceList], width: int) -> str:
    """``printPodResourcesSum``: a rule under the usage columns, then the totals (``ResourceAdder``)."""
    summed = {res: Quantity(sum(u[res].nanos for u in usages)) for res in MEASURED}
    return "\t" * (width - 2) + "________\t________\t\n" + "\t" * (width - 3) + _line("", summed, {})
