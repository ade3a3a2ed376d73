"""``kubectl describe pod``.

Port of ``PodDescriber`` and ``describePod`` (k8s.io/kubectl v0.34.4
``pkg/describe/describe.go``): the pod, its containers and volumes, then the
events about it (a mirror pod's events are found by its config UID).
"""

from __future__ import annotations

from typing import Any

from ._api import Context, controller_of, meta
from ._clock import Clock
from ._containers import describe_containers, describe_resources, describe_topology_spread, env_resolver
from ._podresources import pod_qos
from ._volumes import describe_volumes
from ._writer import (
    PrefixWriter,
    describe_events,
    print_labels,
    print_metadata,
    print_name,
    print_tolerations,
    tabbed_string,
)

__all__ = ["controlled_by", "describe_pod"]

_MIRROR_ANNOTATION = "kubernetes.io/config.mirror"


def controlled_by(obj: dict[str, Any]) -> str:
    """``printController``: ``Kind/name`` of the controlling owner, or ``""``."""
    owner = controller_of(obj)
    return f"{owner.get('kind', '')}/{owner.get('name', '')}" if owner else ""


def describe_pod(ctx: Context, pod: dict[str, Any]) -> str:
    """``PodDescriber.Describe``: the pod and the events whose involvedObject it is (any kind)."""
    annotations = meta(pod).get("annotations") or {}
    uid = annotations.get(_MIRROR_ANNOTATION)
    events = ctx.events_or_empty(pod, None, uid)

    def body(w: PrefixWriter) -> None:
        _header(w, pod, ctx.clock)
        _containers(w, pod, ctx.clock)
        _gates_and_conditions(w, pod)
        spec = pod.get("spec") or {}
        describe_volumes(w, spec.get("volumes"), "")
        w.write(0, f"QoS Class:\t{pod_qos(pod)}\n")
        print_labels(w, "Node-Selectors", spec.get("nodeSelector"))
        print_tolerations(w, "Tolerations", spec.get("tolerations"))
        describe_topology_spread(w, spec.get("topologySpreadConstraints"), "")
        describe_events(w, events, ctx.clock)

    return tabbed_string(body)


def _header(w: PrefixWriter, pod: dict[str, Any], clock: Clock) -> None:
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    print_name(w, pod)
    if spec.get("priority") is not None:
        w.write(0, f"Priority:\t{spec['priority']}\n")
    for key, title in (("priorityClassName", "Priority Class Name"), ("runtimeClassName", "Runtime Class Name"),
                       ("serviceAccountName", "Service Account")):
        if spec.get(key):
            w.write(0, f"{title}:\t{spec[key]}\n")
    node = f"{spec['nodeName']}/{status.get('hostIP', '')}" if spec.get("nodeName") else "<none>"
    w.write(0, f"Node:\t{node}\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{clock.rfc1123z(status['startTime'])}\n")
    print_metadata(w, pod)
    _status(w, pod, clock)
    w.write(0, f"IP:\t{status.get('podIP', '')}\n")
    ips = status.get("podIPs") or []
    w.write(0, "IPs:\n" if ips else "IPs:\t<none>\n")
    for ip in ips:
        w.write(1, f"IP:\t{ip.get('ip', '')}\n")
    if controlled_by(pod):
        w.write(0, f"Controlled By:\t{controlled_by(pod)}\n")
    if status.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("resources") is not None:
        w.write(0, "Resources:\n")
        describe_resources(w, spec["resources"], 1)


def _status(w: PrefixWriter, pod: dict[str, Any], clock: Clock) -> None:
    metadata, spec, status = meta(pod), pod.get("spec") or {}, pod.get("status") or {}
    phase = status.get("phase", "")
    if metadata.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        w.write(0, f"Status:\tTerminating (lasts {clock.since(metadata['deletionTimestamp'])})\n")
        w.write(0, f"Termination Grace Period:\t{metadata.get('deletionGracePeriodSeconds', 0)}s\n")
    else:
        w.write(0, f"Status:\t{phase}\n")
    for key, title in (("reason", "Reason"), ("message", "Message")):
        if status.get(key):
            w.write(0, f"{title}:\t{status[key]}\n")
    seccomp = (spec.get("securityContext") or {}).get("seccompProfile")
    if seccomp is not None:
        w.write(0, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
        if seccomp.get("type") == "Localhost":
            w.write(0, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")


def _containers(w: PrefixWriter, pod: dict[str, Any], clock: Clock) -> None:
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    resolver = env_resolver(pod)
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"], status.get("initContainerStatuses"),
                            resolver, "", clock)
    describe_containers(w, "Containers", spec.get("containers") or [], status.get("containerStatuses"),
                        resolver, "", clock)
    if spec.get("ephemeralContainers"):
        describe_containers(w, "Ephemeral Containers", spec["ephemeralContainers"],
                            status.get("ephemeralContainerStatuses"), resolver, "", clock)


def _gates_and_conditions(w: PrefixWriter, pod: dict[str, Any]) -> None:
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    conditions = status.get("conditions") or []
    if spec.get("readinessGates"):
        w.write(0, "Readiness Gates:\n  Type\tStatus\n")
        for gate in spec["readinessGates"]:
            found = next((c for c in conditions if c.get("type") == gate.get("conditionType")), None)
            w.write(1, f"{gate.get('conditionType', '')} \t{found.get('status', '') if found else '<none>'} \n")
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for condition in conditions:
            w.write(1, f"{condition.get('type', '')} \t{condition.get('status', '')} \n")
