"""A pod's summed requests and limits, and its QoS class.

Ports ``PodRequestsAndLimits`` (k8s.io/kubectl v0.34.4 ``pkg/util/resource/resource.go``,
with ``IsPodResizeInfeasible`` from k8s.io/component-helpers v0.34.4
``resource/helpers.go``) and ``GetPodQOS`` (k8s.io/kubectl v0.34.4
``pkg/util/qos/qos.go``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ._quantity import ZERO, Quantity, quantity_of

__all__ = ["ResourceList", "pod_qos", "pod_requests_and_limits", "resource_list", "sum_resource_lists"]

ResourceList = dict[str, Quantity]


def resource_list(raw: Mapping[str, Any] | None) -> ResourceList:
    """A JSON resource list (``{"cpu": "100m"}``) as quantities."""
    return {name: quantity_of(value) for name, value in (raw or {}).items()}


def _add(into: ResourceList, new: ResourceList) -> None:
    for name, quantity in new.items():
        into[name] = into[name].add(quantity) if name in into else quantity


def _max(into: ResourceList, new: ResourceList) -> None:
    for name, quantity in new.items():
        if name not in into or quantity.cmp(into[name]) > 0:
            into[name] = quantity


def sum_resource_lists(lists: Iterable[ResourceList]) -> ResourceList:
    """Add resource lists name by name (``getPodsTotalRequestsAndLimits``)."""
    total: ResourceList = {}
    for each in lists:
        _add(total, each)
    return total


def _resize_infeasible(pod: Mapping[str, Any]) -> bool:
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "PodResizePending":
            return bool(condition.get("reason") == "Infeasible")
    return False


def _container_requests(pod: Mapping[str, Any], container: Mapping[str, Any],
                        statuses: Mapping[str, Mapping[str, Any]]) -> ResourceList:
    """``determineContainerReqs`` when the container reports its resources, else its spec."""
    spec = resource_list((container.get("resources") or {}).get("requests"))
    status = statuses.get(container.get("name", ""))
    if status is None or status.get("resources") is None:
        return spec
    reported = resource_list((status.get("resources") or {}).get("requests"))
    allocated = resource_list(status.get("allocatedResources"))
    result = dict(reported) if _resize_infeasible(pod) else dict(spec)
    for other in ([allocated] if _resize_infeasible(pod) else [reported, allocated]):
        _max(result, other)
    return result


def _sum_with_init(main: list[ResourceList], init: list[tuple[ResourceList, bool]]) -> ResourceList:
    """Containers add up; init containers count by their peak, restartable ones (sidecars) add up too."""
    total = sum_resource_lists(main)
    sidecars: ResourceList = {}
    init_peak: ResourceList = {}
    for resources, restartable in init:
        if restartable:
            _add(total, resources)
            _add(sidecars, resources)
            candidate = dict(sidecars)
        else:
            candidate = sum_resource_lists([resources, sidecars])
        _max(init_peak, candidate)
    _max(total, init_peak)
    return total


def pod_requests_and_limits(pod: Mapping[str, Any]) -> tuple[ResourceList, ResourceList]:
    """``PodRequestsAndLimits``: requests and limits summed over the pod's containers, plus overhead."""
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    statuses = {s.get("name", ""): s for s in [*(status.get("containerStatuses") or []),
                                               *(status.get("initContainerStatuses") or [])]}
    containers, inits = spec.get("containers") or [], spec.get("initContainers") or []
    restartable = [c.get("restartPolicy") == "Always" for c in inits]
    requests = _sum_with_init([_container_requests(pod, c, statuses) for c in containers],
                              [(_container_requests(pod, c, statuses) if r else _spec(c, "requests"), r)
                               for c, r in zip(inits, restartable)])
    limits = _sum_with_init([_spec(c, "limits") for c in containers],
                            [(_spec(c, "limits"), r) for c, r in zip(inits, restartable)])
    overhead = resource_list(spec.get("overhead"))
    _add(requests, overhead)
    for name, quantity in overhead.items():
        if name in limits and not limits[name].is_zero:
            limits[name] = limits[name].add(quantity)
    return requests, limits


def _spec(container: Mapping[str, Any], which: str) -> ResourceList:
    return resource_list((container.get("resources") or {}).get(which))


def pod_qos(pod: Mapping[str, Any]) -> str:
    """``GetPodQOS``: ``status.qosClass``, else computed as ``ComputePodQOS`` does."""
    reported: str = (pod.get("status") or {}).get("qosClass") or ""
    return reported or _compute_qos(pod.get("spec") or {})


def _compute_qos(spec: Mapping[str, Any]) -> str:
    sources = [spec["resources"]] if spec.get("resources") is not None else [
        c.get("resources") or {} for c in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]]
    requests: ResourceList = {}
    limits: ResourceList = {}
    guaranteed = True
    for source in sources:
        _add(requests, _qos_resources(source.get("requests")))
        source_limits = _qos_resources(source.get("limits"))
        _add(limits, source_limits)
        if not {"cpu", "memory"} <= source_limits.keys():
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and all(n in limits and limits[n].cmp(q) == 0 for n, q in requests.items()) \
            and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


def _qos_resources(raw: Mapping[str, Any] | None) -> ResourceList:
    """The positive cpu and memory quantities of a resource list."""
    return {n: q for n, q in resource_list(raw).items() if n in ("cpu", "memory") and q.cmp(ZERO) > 0}
