"""``kubectl top pod`` and ``kubectl top node``, ported from k8s.io/kubectl v0.34.4 ``pkg/cmd/top/top.go``,
``top_pod.go`` and ``top_node.go``.

Both first check that discovery lists ``metrics.k8s.io/v1beta1``
(``SupportedMetricsAPIVersionAvailable``), then read ``PodMetrics`` or
``NodeMetrics`` from it (one GET, or a list with the selectors) and print them
with :mod:`._metrics_printer`. ``top node`` reads the nodes too, for their
allocatable (or, with ``--show-capacity``, capacity). When no pod has metrics,
``top pod`` lists the pods in the namespace in effect (kubectl does so even
with ``-A``) to tell "No resources found" from metrics that are late or
missing. kubectl reads the metrics API as protobuf; the same objects come as
JSON here. ``--show-swap`` and ``--use-protocol-buffers`` are not ported.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from ._api import Api, Output, VerbError
from ._commands import TopCommand
from ._describe._clock import parse_time
from ._describe._podresources import resource_list
from ._discovery import Discovery, Requester, ResourceType
from ._metrics_printer import NodeMetrics, PodMetrics, ResourceList, print_node_metrics, print_pod_metrics

__all__ = ["go_duration", "metrics_api_available", "top"]

METRICS_GROUP, METRICS_VERSIONS = "metrics.k8s.io", ("v1beta1",)
_POD_METRICS = ResourceType(METRICS_GROUP, "v1beta1", "pods", True, "PodMetrics")
_NODE_METRICS = ResourceType(METRICS_GROUP, "v1beta1", "nodes", False, "NodeMetrics")
_PODS = ResourceType("", "v1", "pods", True, "Pod")
_NODES = ResourceType("", "v1", "nodes", False, "Node")
_METRICS_CREATION_DELAY = timedelta(minutes=2)

Now = Callable[[], datetime]


def top(api: Api, command: TopCommand, now: Now = lambda: datetime.now(UTC)) -> Output:
    """What ``kubectl top pod|node`` prints for ``command``.

    Raises:
        VerbError: kubectl's ``error: ...`` (no metrics API, metrics not available yet...).
        ApiError: A request failed.
    """
    if not metrics_api_available(api.discovery):
        raise VerbError("Metrics API not available")
    if command.resource == "nodes":
        return _top_nodes(api, command)
    return _top_pods(api, command, now)


def metrics_api_available(discovery: Discovery) -> bool:
    """``SupportedMetricsAPIVersionAvailable``: discovery serves ``metrics.k8s.io`` in a version kubectl reads."""
    return any(r.group == METRICS_GROUP and r.version in METRICS_VERSIONS for r in discovery.resources)


def _read(api: Api, resource: ResourceType, namespace: str, name: str | None,
          query: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """One object (a GET by name) or a list's items; a namespace of ``""`` reads every namespace."""
    answer = Requester(api.fetch).get_json(resource.path(namespace or None, name), query, accept="application/json")
    return [answer] if name else list(answer.get("items") or [])


def _selectors(command: TopCommand) -> list[tuple[str, str]]:
    """``ListOptions`` as a query: empty selectors are left out, as client-go leaves them out."""
    pairs = [("labelSelector", command.selector), ("fieldSelector", command.field_selector)]
    return [(key, value) for key, value in pairs if value]


def _top_pods(api: Api, command: TopCommand, now: Now) -> Output:
    """``RunTopPod``."""
    namespace = "" if command.all_namespaces else api.namespace
    query = _selectors(command)
    items = _read(api, _POD_METRICS, namespace, command.name, query)
    out = Output()
    if not items:
        _why_no_metrics(api, command, query, now)
        out.err("No resources found" if command.all_namespaces else f"No resources found in {api.namespace} namespace.",
                fail=False)
        return out
    out.out(print_pod_metrics([PodMetrics.from_json(item) for item in items], containers=command.containers,
                              with_namespace=command.all_namespaces, no_headers=command.no_headers,
                              sort_by=command.sort_by, total=command.sum))
    return out


def _why_no_metrics(api: Api, command: TopCommand, query: list[tuple[str, str]], now: Now) -> None:
    """``verifyEmptyMetrics``: return when there is no pod at all, else raise why there are no metrics."""
    pods = _read(api, _PODS, api.namespace, command.name, query if not command.name else [])
    if not pods and not command.name:
        return
    moment = now()
    for pod in pods:
        meta = pod.get("metadata") or {}
        age = moment - parse_time(meta.get("creationTimestamp"))
        if age > _METRICS_CREATION_DELAY:
            nanoseconds = age // timedelta(microseconds=1) * 1000
            raise VerbError(f"Metrics not available for pod {meta.get('namespace', '')}/{meta.get('name', '')}, "
                            f"age: {go_duration(nanoseconds)}")
    raise VerbError("metrics not available yet")


def _top_nodes(api: Api, command: TopCommand) -> Output:
    """``RunTopNode``: the nodes' metrics, and their allocatable (or capacity) for the percentages."""
    query = [("labelSelector", command.selector)] if command.selector else []
    metrics = _read(api, _NODE_METRICS, "", command.name, query)
    if not metrics:
        raise VerbError("metrics not available yet")
    nodes = _read(api, _NODES, "", command.name, query)
    field = "capacity" if command.show_capacity else "allocatable"
    available: dict[str, ResourceList] = {
        (n.get("metadata") or {}).get("name", ""): resource_list((n.get("status") or {}).get(field)) for n in nodes
    }
    out = Output()
    out.out(print_node_metrics([NodeMetrics.from_json(m) for m in metrics], available,
                               no_headers=command.no_headers, sort_by=command.sort_by))
    return out


def go_duration(nanoseconds: int) -> str:
    """Go's ``time.Duration.String()``: ``72h3m0.5s``, ``1.5ms``, ``0s``."""
    if nanoseconds == 0:
        return "0s"
    sign, u = "-" * (nanoseconds < 0), abs(nanoseconds)
    if u < 10**9:
        unit, precision = ("ns", 0) if u < 10**3 else ("µs", 3) if u < 10**6 else ("ms", 6)
        return f"{sign}{_fraction(u, precision)}{unit}"
    seconds, minutes, hours = u // 10**9 % 60, u // (60 * 10**9) % 60, u // (3600 * 10**9)
    text = f"{_fraction(seconds * 10**9 + u % 10**9, 9)}s"
    if u >= 60 * 10**9:
        text = f"{minutes}m{text}"
    if hours:
        text = f"{hours}h{text}"
    return sign + text


def _fraction(value: int, precision: int) -> str:
    """``value / 10**precision`` with its fraction's trailing zeros (and a bare point) left out, as ``fmtFrac``."""
    whole, part = divmod(value, 10**precision)
    digits = str(part).zfill(precision).rstrip("0") if precision else ""
    return f"{whole}.{digits}" if digits else str(whole)
