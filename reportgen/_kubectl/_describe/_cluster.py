"""``kubectl describe`` for nodes and namespaces.

Ports ``NodeDescriber`` (with ``describeNodeLease``, ``describeNodeResource``,
``findNodeRoles``) and ``NamespaceDescriber`` (with ``DescribeResourceQuotas``
and ``DescribeLimitRanges``) from k8s.io/kubectl v0.34.4 ``pkg/describe/describe.go``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._discovery import ApiError
from ._api import Context, error_text, meta
from ._clock import Clock
from ._gosort import go_sort
from ._podresources import ResourceList, pod_requests_and_limits, resource_list, sum_resource_lists
from ._quantity import ZERO, Quantity
from ._writer import PrefixWriter, describe_events, print_metadata, print_name, print_taints, tabbed_string

__all__ = ["describe_limit_range", "describe_namespace", "describe_node", "describe_resource_quota"]

_ROLE_PREFIX = "node-role.kubernetes.io/"
_INT64_MIN = -(2**63)
_SYSTEM_INFO = (("machineID", "Machine ID"), ("systemUUID", "System UUID"), ("bootID", "Boot ID"),
                ("kernelVersion", "Kernel Version"), ("osImage", "OS Image"),
                ("operatingSystem", "Operating System"), ("architecture", "Architecture"),
                ("containerRuntimeVersion", "Container Runtime Version"), ("kubeletVersion", "Kubelet Version"),
                ("kubeProxyVersion", "Kube-Proxy Version"))
_QUOTA_SCOPE_HELP = {
    "Terminating": "Matches all pods that have an active deadline. These pods have a limited lifespan on a node "
                   "before being actively terminated by the system.",
    "NotTerminating": "Matches all pods that do not have an active deadline. These pods usually include long "
                      "running pods whose container command is not expected to terminate.",
    "BestEffort": "Matches all pods that do not have resource requirements set. These pods have a best effort "
                  "quality of service.",
    "NotBestEffort": "Matches all pods that have at least one resource requirement set. These pods have a "
                     "burstable or guaranteed quality of service.",
}


def node_roles(node: Mapping[str, Any]) -> list[str]:
    """``findNodeRoles``: ``node-role.kubernetes.io/<role>`` labels and ``kubernetes.io/role``."""
    roles = set()
    for key, value in (meta(node).get("labels") or {}).items():
        if key.startswith(_ROLE_PREFIX) and key[len(_ROLE_PREFIX):]:
            roles.add(key[len(_ROLE_PREFIX):])
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return sorted(roles)


def describe_node(ctx: Context, node: dict[str, Any]) -> str:
    """``NodeDescriber.Describe``: the node, its lease, its non-terminated pods and what they request.

    Raises:
        ApiError: When its pods cannot be listed for a reason other than Forbidden.
    """
    name = meta(node).get("name", "")
    selector = f"spec.nodeName={name},status.phase!=Succeeded,status.phase!=Failed"
    pods: list[dict[str, Any]] | None
    try:
        pods = ctx.pods(None, fields=selector)
    except ApiError as exc:
        if exc.reason != "Forbidden":
            raise
        pods = None
    events = ctx.events_or_empty(node, "Node") + ctx.events_or_empty(node, "Node", uid=name)
    try:
        lease: dict[str, Any] | str = ctx.get("coordination.k8s.io", "v1", "leases", "kube-node-lease", name)
    except ApiError as exc:
        lease = error_text(exc)

    def body(w: PrefixWriter) -> None:
        _node_header(w, node, lease, ctx.clock)
        _node_status(w, node, ctx.clock)
        if pods is None:
            w.write(0, "Pods:\tnot authorized\n")
        else:
            _node_resources(w, node, pods, ctx.clock)
        describe_events(w, events, ctx.clock)

    return tabbed_string(body)


def _node_header(w: PrefixWriter, node: Mapping[str, Any], lease: Mapping[str, Any] | str, clock: Clock) -> None:
    metadata, spec = meta(node), node.get("spec") or {}
    print_name(w, node, namespace=False)
    w.write(0, f"Roles:\t{','.join(node_roles(node)) or '<none>'}\n")
    print_metadata(w, node)
    w.write(0, f"CreationTimestamp:\t{clock.rfc1123z(metadata.get('creationTimestamp'))}\n")
    print_taints(w, "Taints", spec.get("taints"))
    w.write(0, f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}\n")
    if isinstance(lease, str):
        w.write(0, f"Lease:\tFailed to get lease: {lease}\n")
        return
    lease_spec = lease.get("spec") or {}
    w.write(0, "Lease:\n")
    holder = lease_spec.get("holderIdentity")
    w.write(1, f"HolderIdentity:\t{'<unset>' if holder is None else holder}\n")
    for key, title in (("acquireTime", "AcquireTime"), ("renewTime", "RenewTime")):
        value = lease_spec.get(key)
        w.write(1, f"{title}:\t{clock.rfc1123z(value) if value else '<unset>'}\n")


def _node_status(w: PrefixWriter, node: Mapping[str, Any], clock: Clock) -> None:
    """Conditions, addresses, capacity, allocatable, system info and pod CIDRs."""
    spec, status = node.get("spec") or {}, node.get("status") or {}
    conditions = status.get("conditions") or []
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            beat, moved = clock.rfc1123z(c.get("lastHeartbeatTime")), clock.rfc1123z(c.get("lastTransitionTime"))
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')} \t{beat} \t{moved} \t{c.get('reason', '')} "
                       f"\t{c.get('message', '')}\n")
    w.write(0, "Addresses:\n")
    for address in status.get("addresses") or []:
        w.write(1, f"{address.get('type', '')}:\t{address.get('address', '')}\n")
    for key, title in (("capacity", "Capacity"), ("allocatable", "Allocatable")):
        resources = resource_list(status.get(key))
        if resources:
            w.write(0, f"{title}:\n")
            for name in sorted(resources):
                w.write(0, f"  {name}:\t{resources[name].string()}\n")
    info = status.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for key, title in _SYSTEM_INFO:
        w.write(0, f"  {title}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{spec['providerID']}\n")


def _percent(part: Quantity, whole: Quantity, milli: bool) -> int:
    """``int64(float64(part) / float64(whole) * 100)``; Go on amd64 turns NaN and infinities into int64's minimum."""
    numerator = part.milli_value() if milli else part.value()
    denominator = whole.milli_value() if milli else whole.value()
    if denominator == 0:
        return _INT64_MIN
    return int(numerator / denominator * 100)


def _guarded_percent(part: Quantity, whole: Quantity, milli: bool) -> int:
    """The totals' percentages, 0 when nothing is allocatable."""
    denominator = whole.milli_value() if milli else whole.value()
    return _percent(part, whole, milli) if denominator else 0


def _node_resources(w: PrefixWriter, node: Mapping[str, Any], pods: list[dict[str, Any]], clock: Clock) -> None:
    """``describeNodeResource``: each non-terminated pod's cpu and memory, then the node's totals."""
    status = node.get("status") or {}
    allocatable = resource_list(status.get("allocatable")) or resource_list(status.get("capacity"))
    cpu, memory = allocatable.get("cpu", ZERO), allocatable.get("memory", ZERO)
    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    totals: tuple[list[ResourceList], list[ResourceList]] = ([], [])
    for pod in pods:
        requests, limits = pod_requests_and_limits(pod)
        totals[0].append(requests)
        totals[1].append(limits)
        cells = [f"{q.string()} ({_percent(q, whole, milli)}%)" for q, whole, milli in (
            (requests.get("cpu", ZERO), cpu, True), (limits.get("cpu", ZERO), cpu, True),
            (requests.get("memory", ZERO), memory, False), (limits.get("memory", ZERO), memory, False))]
        w.write(1, f"{meta(pod).get('namespace', '')}\t{meta(pod).get('name', '')}\t\t{chr(9).join(cells)}"
                   f"\t{clock.since(meta(pod).get('creationTimestamp'))}\n")
    _allocated(w, allocatable, sum_resource_lists(totals[0]), sum_resource_lists(totals[1]))


def _allocated(w: PrefixWriter, allocatable: ResourceList, requests: ResourceList, limits: ResourceList) -> None:
    w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    huge = sorted(n for n in allocatable if n.startswith("hugepages-"))
    for name in ["cpu", "memory", "ephemeral-storage", *huge]:
        whole, milli = allocatable.get(name, ZERO), name == "cpu"
        used, cap = requests.get(name, ZERO), limits.get(name, ZERO)
        w.write(1, f"{name}\t{used.string()} ({_guarded_percent(used, whole, milli)}%)\t"
                   f"{cap.string()} ({_guarded_percent(cap, whole, milli)}%)\n")
    standard = {"cpu", "memory", "ephemeral-storage", "pods"}
    for name in sorted(n for n in allocatable if n not in standard and not n.startswith("hugepages-")):
        w.write(1, f"{name}\t{requests.get(name, ZERO).string()}\t{limits.get(name, ZERO).string()}\n")


def describe_namespace(ctx: Context, namespace: dict[str, Any]) -> str:
    """``NamespaceDescriber.Describe``: with its resource quotas and limit ranges.

    Raises:
        ApiError: When quotas or limit ranges cannot be listed (NotFound only hides them).
    """
    name = meta(namespace).get("name", "")
    quotas = _optional_list(ctx, "resourcequotas", name)
    limit_ranges = _optional_list(ctx, "limitranges", name)

    def body(w: PrefixWriter) -> None:
        print_name(w, namespace, namespace=False)
        print_metadata(w, namespace)
        status = namespace.get("status") or {}
        w.write(0, f"Status:\t{status.get('phase', '')}\n")
        if status.get("conditions"):
            w.write(0, "Conditions:\n")
            w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
            w.write(1, "----\t------\t------------------\t------\t-------\n")
            for c in status["conditions"]:
                moved = ctx.clock.rfc1123z(c.get("lastTransitionTime"))
                w.write(1, f"{c.get('type', '')}\t{c.get('status', '')}\t{moved}\t{c.get('reason', '')}"
                           f"\t{c.get('message', '')}\n")
        if quotas is not None:
            w.write(0, "\n")
            _resource_quotas(w, quotas)
        if limit_ranges is not None:
            w.write(0, "\n")
            _limit_ranges(w, limit_ranges)

    return tabbed_string(body)


def _optional_list(ctx: Context, plural: str, namespace: str) -> list[dict[str, Any]] | None:
    """A namespace's quotas or limit ranges; None when the server does not serve them."""
    try:
        return ctx.list_all("", "v1", plural, namespace or None)
    except ApiError as exc:
        if exc.reason == "NotFound":
            return None
        raise


def _resource_quotas(w: PrefixWriter, quotas: list[dict[str, Any]]) -> None:
    """``DescribeResourceQuotas``."""
    if not quotas:
        w.write(0, "No resource quota.\n")
        return
    ordered = list(quotas)
    go_sort(ordered, lambda a, b: meta(a).get("name", "") < meta(b).get("name", ""))
    w.write(0, "Resource Quotas\n")
    for quota in ordered:
        w.write(1, f"Name:\t{meta(quota).get('name', '')}\n")
        scopes = sorted((quota.get("spec") or {}).get("scopes") or [])
        if scopes:
            w.write(1, f"Scopes:\t{', '.join(scopes)}\n")
            for scope in scopes:
                if scope in _QUOTA_SCOPE_HELP:
                    w.write(1, f"* {_QUOTA_SCOPE_HELP[scope]}\n")
        w.write(1, "Resource\tUsed\tHard\n")
        w.write(1, "--------\t---\t---\n")
        status = quota.get("status") or {}
        hard, used = resource_list(status.get("hard")), resource_list(status.get("used"))
        for resource in sorted(hard):
            w.write(1, f"{resource}\t{used.get(resource, ZERO).string()}\t{hard[resource].string()}\n")


def _limit_ranges(w: PrefixWriter, limit_ranges: list[dict[str, Any]]) -> None:
    """``DescribeLimitRanges`` (resources in name order: Go's map order is random)."""
    if not limit_ranges:
        w.write(0, "No LimitRange resource.\n")
        return
    w.write(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
    w.write(0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
    for limit_range in limit_ranges:
        _limit_rows(w, limit_range, " ")


def _limit_rows(w: PrefixWriter, limit_range: Mapping[str, Any], prefix: str) -> None:
    """``describeLimitRangeSpec`` (resources in name order: Go's map order is random)."""
    for item in (limit_range.get("spec") or {}).get("limits") or []:
        columns = [resource_list(item.get(k)) for k in ("min", "max", "defaultRequest", "default",
                                                        "maxLimitRequestRatio")]
        for name in sorted(set().union(*columns)):
            cells = "\t".join(c[name].string() if name in c else "-" for c in columns)
            w.write(0, f"{prefix}{item.get('type', '')}\t{name}\t{cells}\n")


def describe_limit_range(ctx: Context, limit_range: dict[str, Any]) -> str:
    """``LimitRangeDescriber.Describe``."""

    def body(w: PrefixWriter) -> None:
        print_name(w, limit_range)
        w.write(0, "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
        w.write(0, "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
        _limit_rows(w, limit_range, "")

    return tabbed_string(body)


def describe_resource_quota(ctx: Context, quota: dict[str, Any]) -> str:
    """``ResourceQuotaDescriber.Describe`` (``describeQuota``): used values shown in the hard value's format."""

    def body(w: PrefixWriter) -> None:
        print_name(w, quota)
        scopes = sorted((quota.get("spec") or {}).get("scopes") or [])
        if scopes:
            w.write(0, f"Scopes:\t{', '.join(scopes)}\n")
            for scope in scopes:
                if scope in _QUOTA_SCOPE_HELP:
                    w.write(0, f" * {_QUOTA_SCOPE_HELP[scope]}\n")
        w.write(0, "Resource\tUsed\tHard\n")
        w.write(0, "--------\t----\t----\n")
        status = quota.get("status") or {}
        hard, used = resource_list(status.get("hard")), resource_list(status.get("used"))
        for resource in sorted(hard):
            value = used.get(resource, ZERO)
            if value.format != hard[resource].format:
                value = Quantity(value.value() * 10**9, hard[resource].format)
            w.write(0, f"{resource}\t{value.string()}\t{hard[resource].string()}\n")

    return tabbed_string(body)
