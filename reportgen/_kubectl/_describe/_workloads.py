"""``kubectl describe`` for deployments, replica sets, stateful sets and daemon sets.

Ports ``DeploymentDescriber``, ``ReplicaSetDescriber``, ``StatefulSetDescriber``,
``DaemonSetDescriber`` and ``getPodStatusForController`` (k8s.io/kubectl v0.34.4
``pkg/describe/describe.go``), with ``GetAllReplicaSetsInChunks`` from
``pkg/util/deployment/deployment.go`` (the deployment's old and new ReplicaSets).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._discovery import ApiError
from ._api import Context, controller_uid, error_text, meta
from ._clock import parse_time
from ._containers import describe_pod_template
from ._goformat import int_or_string_pointer
from ._gosort import go_sort
from ._pods import controlled_by
from ._quantity import quantity_of
from ._selectors import SelectorError, format_label_selector, format_labels, label_selector_string
from ._storage import claim_class
from ._writer import PrefixWriter, describe_events, print_labels, print_metadata, print_name, tabbed_string

__all__ = ["describe_daemon_set", "describe_deployment", "describe_replica_set", "describe_stateful_set"]

_HASH_LABEL = "pod-template-hash"
_PHASES = ("Running", "Pending", "Succeeded", "Failed")
_MAP_FIELDS = frozenset({"labels", "annotations", "nodeSelector", "limits", "requests", "overhead"})


def _selector(obj: Mapping[str, Any]) -> str:
    selector = label_selector_string((obj.get("spec") or {}).get("selector"))
    if selector is None:
        raise SelectorError("invalid label selector operator")
    return selector


def _pod_phases(ctx: Context, obj: Mapping[str, Any], selector: str) -> tuple[int, int, int, int]:
    """``getPodStatusForController``: running, waiting, succeeded and failed pods the object controls.

    Raises:
        ApiError: When the pods cannot be listed.
    """
    counts = dict.fromkeys(_PHASES, 0)
    for pod in ctx.pods(meta(obj).get("namespace") or None, labels=selector):
        phase = (pod.get("status") or {}).get("phase", "")
        if controller_uid(pod) == meta(obj).get("uid") and phase in counts:
            counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


def _phases_text(phases: tuple[int, int, int, int]) -> str:
    running, waiting, succeeded, failed = phases
    return f"{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed"


def _conditions(w: PrefixWriter, obj: Mapping[str, Any]) -> None:
    conditions = (obj.get("status") or {}).get("conditions") or []
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')}\t{c.get('reason', '')}\n")


def describe_replica_set(ctx: Context, rs: dict[str, Any]) -> str:
    """``ReplicaSetDescriber.Describe``: a failed pod list is shown, not returned."""
    selector = _selector(rs)
    try:
        phases: tuple[int, int, int, int] | str = _pod_phases(ctx, rs, selector)
    except ApiError as exc:
        phases = f"error in fetching pods: {error_text(exc)}"
    events = ctx.events_or_empty(rs, "ReplicaSet")
    spec, status = rs.get("spec") or {}, rs.get("status") or {}

    def body(w: PrefixWriter) -> None:
        print_name(w, rs)
        w.write(0, f"Selector:\t{format_label_selector(spec.get('selector'))}\n")
        print_metadata(w, rs)
        if controlled_by(rs):
            w.write(0, f"Controlled By:\t{controlled_by(rs)}\n")
        w.write(0, f"Replicas:\t{status.get('replicas', 0)} current / {spec.get('replicas', 0)} desired\n")
        w.write(0, "Pods Status:\t")
        w.write(0, (phases if isinstance(phases, str) else _phases_text(phases)) + "\n")
        describe_pod_template(w, spec.get("template") or {}, ctx.clock)
        _conditions(w, rs)
        describe_events(w, events, ctx.clock)

    return tabbed_string(body)


def describe_daemon_set(ctx: Context, ds: dict[str, Any]) -> str:
    """``DaemonSetDescriber.Describe``."""
    selector = _selector(ds)
    phases = _pod_phases(ctx, ds, selector)
    events = ctx.events_or_empty(ds, "DaemonSet")
    spec, status = ds.get("spec") or {}, ds.get("status") or {}
    template = spec.get("template") or {}

    def body(w: PrefixWriter) -> None:
        print_name(w, ds)
        w.write(0, f"Selector:\t{selector}\n")
        w.write(0, f"Node-Selector:\t{format_labels((template.get('spec') or {}).get('nodeSelector'))}\n")
        print_metadata(w, ds)
        for key, title in (("desiredNumberScheduled", "Desired Number of Nodes Scheduled"),
                           ("currentNumberScheduled", "Current Number of Nodes Scheduled"),
                           ("updatedNumberScheduled", "Number of Nodes Scheduled with Up-to-date Pods"),
                           ("numberAvailable", "Number of Nodes Scheduled with Available Pods"),
                           ("numberMisscheduled", "Number of Nodes Misscheduled")):
            w.write(0, f"{title}: {status.get(key, 0)}\n")
        w.write(0, f"Pods Status:\t{_phases_text(phases)}\n")
        describe_pod_template(w, template, ctx.clock)
        describe_events(w, events, ctx.clock)

    return tabbed_string(body)


def describe_stateful_set(ctx: Context, sts: dict[str, Any]) -> str:
    """``StatefulSetDescriber.Describe``."""
    selector = _selector(sts)
    phases = _pod_phases(ctx, sts, selector)
    events = ctx.events_or_empty(sts, "StatefulSet")
    spec, status = sts.get("spec") or {}, sts.get("status") or {}

    def body(w: PrefixWriter) -> None:
        print_name(w, sts)
        w.write(0, f"CreationTimestamp:\t{ctx.clock.rfc1123z(meta(sts).get('creationTimestamp'))}\n")
        w.write(0, f"Selector:\t{selector}\n")
        print_metadata(w, sts)
        w.write(0, f"Replicas:\t{spec.get('replicas', 0)} desired | {status.get('replicas', 0)} total\n")
        strategy = spec.get("updateStrategy") or {}
        w.write(0, f"Update Strategy:\t{strategy.get('type', '')}\n")
        rolling = strategy.get("rollingUpdate")
        if rolling is not None and rolling.get("partition") is not None:
            w.write(1, f"Partition:\t{rolling['partition']}\n")
            if rolling.get("maxUnavailable") is not None:
                w.write(1, f"MaxUnavailable:\t{rolling['maxUnavailable']}\n")
        w.write(0, f"Pods Status:\t{_phases_text(phases)}\n")
        describe_pod_template(w, spec.get("template") or {}, ctx.clock)
        _claim_templates(w, spec.get("volumeClaimTemplates") or [])
        describe_events(w, events, ctx.clock)

    return tabbed_string(body)


def _claim_templates(w: PrefixWriter, templates: list[dict[str, Any]]) -> None:
    """``describeVolumeClaimTemplates``."""
    if not templates:
        w.write(0, "Volume Claims:\t<none>\n")
        return
    w.write(0, "Volume Claims:\n")
    for claim in templates:
        w.write(1, f"Name:\t{meta(claim).get('name', '')}\n")
        w.write(1, f"StorageClass:\t{claim_class(claim)}\n")
        print_labels(w, "Labels", meta(claim).get("labels"), initial="  ")
        print_labels(w, "Annotations", meta(claim).get("annotations"), initial="  ")
        requests = ((claim.get("spec") or {}).get("resources") or {}).get("requests") or {}
        capacity = quantity_of(requests["storage"]).string() if "storage" in requests else "<default>"
        w.write(1, f"Capacity:\t{capacity}\n")
        w.write(1, f"Access Modes:\t[{' '.join((claim.get('spec') or {}).get('accessModes') or [])}]\n")


def describe_deployment(ctx: Context, deployment: dict[str, Any]) -> str:
    """``DeploymentDescriber.Describe``: with its old and new ReplicaSets."""
    selector = _selector(deployment)
    events = ctx.events_or_empty(deployment, "Deployment")
    try:
        old, new = _replica_sets(ctx, deployment, selector)
    except ApiError:
        old, new = [], []
    spec, status = deployment.get("spec") or {}, deployment.get("status") or {}

    def body(w: PrefixWriter) -> None:
        print_name(w, deployment)
        w.write(0, f"CreationTimestamp:\t{ctx.clock.rfc1123z(meta(deployment).get('creationTimestamp'))}\n")
        print_metadata(w, deployment)
        w.write(0, f"Selector:\t{selector}\n")
        counts = [status.get(k, 0) for k in ("updatedReplicas", "replicas", "availableReplicas", "unavailableReplicas")]
        w.write(0, f"Replicas:\t{spec.get('replicas', 0)} desired | {counts[0]} updated | {counts[1]} total | "
                   f"{counts[2]} available | {counts[3]} unavailable\n")
        strategy = spec.get("strategy") or {}
        w.write(0, f"StrategyType:\t{strategy.get('type', '')}\n")
        w.write(0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
        rolling = strategy.get("rollingUpdate")
        if rolling is not None:
            w.write(0, f"RollingUpdateStrategy:\t{int_or_string_pointer(rolling.get('maxUnavailable'))} max "
                       f"unavailable, {int_or_string_pointer(rolling.get('maxSurge'))} max surge\n")
        describe_pod_template(w, spec.get("template") or {}, ctx.clock)
        _conditions(w, deployment)
        if old or new:
            w.write(0, f"OldReplicaSets:\t{_replica_set_list(old)}\n")
            w.write(0, f"NewReplicaSet:\t{_replica_set_list(new)}\n")
        describe_events(w, events, ctx.clock)

    return tabbed_string(body)


def _replica_set_list(sets: list[dict[str, Any]]) -> str:
    """``printReplicaSetsByLabels``."""
    return ", ".join(f"{meta(rs).get('name', '')} ({(rs.get('status') or {}).get('replicas', 0)}/"
                     f"{(rs.get('spec') or {}).get('replicas', 0)} replicas created)" for rs in sets) or "<none>"


def _replica_sets(ctx: Context, deployment: Mapping[str, Any],
                  selector: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``GetAllReplicaSetsInChunks``: every old ReplicaSet (oldest first) and the new one, if any."""
    uid = meta(deployment).get("uid")
    owned = [rs for rs in ctx.list_all("apps", "v1", "replicasets", meta(deployment).get("namespace") or None,
                                   labels=selector) if controller_uid(rs) == uid]
    go_sort(owned, _older)
    template = (deployment.get("spec") or {}).get("template") or {}
    new = next((rs for rs in owned if _same_template((rs.get("spec") or {}).get("template") or {}, template)), None)
    old = [rs for rs in owned if new is None or meta(rs).get("uid") != meta(new).get("uid")]
    return old, [new] if new is not None else []


def _older(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """``replicaSetsByCreationTimestamp``: creation time, then name."""
    created_a, created_b = parse_time(meta(a).get("creationTimestamp")), parse_time(meta(b).get("creationTimestamp"))
    if created_a == created_b:
        return str(meta(a).get("name", "")) < str(meta(b).get("name", ""))
    return created_a < created_b


def _same_template(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """``EqualIgnoreHash``: Semantic.DeepEqual without the ``pod-template-hash`` label."""
    return bool(_comparable(a) == _comparable(b))


def _comparable(value: Any, path: tuple[str, ...] = ()) -> Any:
    """JSON as ``Semantic.DeepEqual`` sees it: zero values and empty maps as absent, quantities by value."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if path == ("metadata", "labels") and key == _HASH_LABEL:
                continue
            item = _comparable(item, (*path, key))
            if not (item in (None, "", 0, False, []) or (item == {} and key in _MAP_FIELDS)):
                out[key] = item
        return out
    if isinstance(value, list):
        return [_comparable(v, path) for v in value]
    if isinstance(value, str) and path[-2:-1] in (("limits",), ("requests",)):
        return quantity_of(value).nanos
    return value
