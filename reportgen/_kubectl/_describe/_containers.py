"""Containers and pod templates, as pods and every workload describe them.

Ports ``describeContainers`` and its parts (ports, command, state, resources,
probes, environment, mounts), ``DescribeProbe``, ``EnvValueRetriever`` and
``DescribePodTemplate`` from k8s.io/kubectl v0.34.4 ``pkg/describe/describe.go``,
with ``ExtractContainerResourceValue`` (``pkg/util/resource/resource.go``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from ._clock import Clock
from ._goformat import go_quote, int_or_string, join_host_port, url_string
from ._gosort import go_sort
from ._podresources import resource_list
from ._quantity import ZERO, parse_quantity, quantity_of
from ._selectors import format_label_selector
from ._volumes import describe_volumes
from ._writer import PrefixWriter, print_annotations, print_labels, print_tolerations, string_or_none

__all__ = ["EnvResolver", "describe_containers", "describe_pod_template", "describe_probe",
           "describe_resources", "describe_topology_spread", "env_resolver"]

EnvResolver = Callable[[Mapping[str, Any]], str]
"""Resolves a ``fieldRef`` env var of a pod (``EnvValueRetriever``)."""


def env_resolver(pod: Mapping[str, Any]) -> EnvResolver:
    """``EnvValueRetriever``: only ``metadata.name`` and ``metadata.namespace`` resolve.

    kubectl's scheme has no pod field label conversions, so every other field
    path fails ``ConvertFieldLabel`` and shows as empty.
    """
    metadata = pod.get("metadata") or {}

    def resolve(env: Mapping[str, Any]) -> str:
        field_ref = (env.get("valueFrom") or {}).get("fieldRef") or {}
        if str(field_ref.get("apiVersion", "")).count("/") > 1:
            return ""
        path = field_ref.get("fieldPath", "")
        if path in ("metadata.name", "metadata.namespace"):
            return str(metadata.get(path.split(".")[1], ""))
        return ""

    return resolve


def describe_containers(w: PrefixWriter, label: str, containers: list[dict[str, Any]],
                        statuses: list[dict[str, Any]] | None, resolver: EnvResolver | None,
                        space: str, clock: Clock) -> None:
    """``describeContainers``: one block per container, with its status when there is one."""
    by_name = {s.get("name", ""): s for s in statuses or []}
    w.write(0, f"{space}{label}:{'' if containers else ' <none>'}\n")
    for container in containers:
        status = by_name.get(container.get("name", ""))
        _basic_info(w, container, status, space)
        _command(w, container)
        if status is not None:
            _state(w, status, clock)
        describe_resources(w, container.get("resources"), 2)
        for key, title in (("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"),
                           ("startupProbe", "Startup")):
            if container.get(key) is not None:
                w.write(2, f"{title}:\t{describe_probe(container[key])}\n")
        if container.get("envFrom"):
            _env_from(w, container)
        _env(w, container, resolver)
        _mounts(w, container)


def _basic_info(w: PrefixWriter, container: Mapping[str, Any], status: Mapping[str, Any] | None,
                space: str) -> None:
    w.write(1, f"{' ' if space else ''}{container.get('name', '')}:\n")
    if status is not None:
        w.write(2, f"Container ID:\t{status.get('containerID', '')}\n")
    w.write(2, f"Image:\t{container.get('image', '')}\n")
    if status is not None:
        w.write(2, f"Image ID:\t{status.get('imageID', '')}\n")
    ports = container.get("ports") or []
    for key, title, plural in (("containerPort", "Port", "Ports"), ("hostPort", "Host Port", "Host Ports")):
        text = ", ".join(_port_text(p, key) for p in ports)
        if "," in text:
            w.write(2, f"{plural}:\t{text}\n")
        else:
            w.write(2, f"{title}:\t{string_or_none(text)}\n")
    seccomp = (container.get("securityContext") or {}).get("seccompProfile")
    if seccomp is not None:
        w.write(2, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
        if seccomp.get("type") == "Localhost":
            w.write(3, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")


def _port_text(port: Mapping[str, Any], key: str) -> str:
    text = f"{port.get(key, 0)}/{port.get('protocol', '')}"
    return f"{text} ({port['name']})" if port.get("name") else text


def _command(w: PrefixWriter, container: Mapping[str, Any]) -> None:
    for key, title in (("command", "Command"), ("args", "Args")):
        if container.get(key):
            w.write(2, f"{title}:\n")
            for item in container[key]:
                for line in item.split("\n"):
                    w.write(3, f"{line}\n")


def describe_resources(w: PrefixWriter, resources: Mapping[str, Any] | None, level: int) -> None:
    """``describeResources``: limits, then requests, names sorted."""
    resources = resources or {}
    for key, title in (("limits", "Limits"), ("requests", "Requests")):
        quantities = resource_list(resources.get(key))
        if quantities:
            w.write(level, f"{title}:\n")
        for name in sorted(quantities):
            w.write(level + 1, f"{name}:\t{quantities[name].string()}\n")


def _state(w: PrefixWriter, status: Mapping[str, Any], clock: Clock) -> None:
    """``describeContainerState``."""
    _status_block(w, "State", status.get("state") or {}, clock)
    if (status.get("lastState") or {}).get("terminated") is not None:
        _status_block(w, "Last State", status["lastState"], clock)
    w.write(2, f"Ready:\t{'True' if status.get('ready') else 'False'}\n")
    w.write(2, f"Restart Count:\t{status.get('restartCount', 0)}\n")


def _status_block(w: PrefixWriter, title: str, state: Mapping[str, Any], clock: Clock) -> None:
    """``describeStatus``."""
    if state.get("running") is not None:
        w.write(2, f"{title}:\tRunning\n")
        w.write(3, f"Started:\t{clock.rfc1123z(state['running'].get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(2, f"{title}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        _terminated(w, title, state["terminated"], clock)
    else:
        w.write(2, f"{title}:\tWaiting\n")


def _terminated(w: PrefixWriter, title: str, terminated: Mapping[str, Any], clock: Clock) -> None:
    w.write(2, f"{title}:\tTerminated\n")
    for key, label in (("reason", "Reason"), ("message", "Message")):
        if terminated.get(key):
            w.write(3, f"{label}:\t{terminated[key]}\n")
    w.write(3, f"Exit Code:\t{terminated.get('exitCode', 0)}\n")
    if terminated.get("signal", 0) > 0:
        w.write(3, f"Signal:\t{terminated['signal']}\n")
    w.write(3, f"Started:\t{clock.rfc1123z(terminated.get('startedAt'))}\n")
    w.write(3, f"Finished:\t{clock.rfc1123z(terminated.get('finishedAt'))}\n")


def describe_probe(probe: Mapping[str, Any]) -> str:
    """``DescribeProbe``."""
    attrs = (f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 0)}s "
             f"period={probe.get('periodSeconds', 0)}s #success={probe.get('successThreshold', 0)} "
             f"#failure={probe.get('failureThreshold', 0)}")
    if probe.get("exec") is not None:
        return f"exec [{' '.join(probe['exec'].get('command') or [])}] {attrs}"
    if probe.get("httpGet") is not None:
        get = probe["httpGet"]
        port, host = int_or_string(get.get("port")), get.get("host", "")
        authority = join_host_port(host, port) if port else host
        return f"http-get {url_string(str(get.get('scheme', '')).lower(), authority, get.get('path', ''))} {attrs}"
    if probe.get("tcpSocket") is not None:
        socket = probe["tcpSocket"]
        return f"tcp-socket {socket.get('host', '')}:{int_or_string(socket.get('port'))} {attrs}"
    if probe.get("grpc") is not None:
        return f"grpc <pod>:{probe['grpc'].get('port', 0)} {probe['grpc'].get('service', '')} {attrs}"
    return f"unknown {attrs}"


def _env_from(w: PrefixWriter, container: Mapping[str, Any]) -> None:
    w.write(2, "Environment Variables from:\n")
    for source in container.get("envFrom") or []:
        kind, ref = _env_from_source(source)
        optional = "true" if ref.get("optional") else "false"
        name = ref.get("name", "")
        if source.get("prefix"):
            w.write(3, f"{name}\t{kind} with prefix '{source['prefix']}'\tOptional: {optional}\n")
        else:
            w.write(3, f"{name}\t{kind}\tOptional: {optional}\n")


def _env_from_source(source: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    """What an ``envFrom`` entry reads: a ConfigMap, a Secret, or (neither set) nothing."""
    if source.get("configMapRef") is not None:
        return "ConfigMap", source["configMapRef"]
    if source.get("secretRef") is not None:
        return "Secret", source["secretRef"]
    return "", {}


def _env(w: PrefixWriter, container: Mapping[str, Any], resolver: EnvResolver | None) -> None:
    env = container.get("env") or []
    w.write(2, f"Environment:{'' if env else chr(9) + '<none>'}\n")
    for var in env:
        name, source = var.get("name", ""), var.get("valueFrom")
        if source is None:
            for index, line in enumerate(str(var.get("value", "")).split("\n")):
                w.write(3, f"{name}:\t{line}\n" if index == 0 else f"\t{line}\n")
        else:
            described = _env_source(var, source, container, resolver)
            if described is not None:
                w.write(3, f"{name}:\t{described}\n")


def _env_source(var: Mapping[str, Any], source: Mapping[str, Any], container: Mapping[str, Any],
                resolver: EnvResolver | None) -> str | None:
    if source.get("fieldRef") is not None:
        ref = source["fieldRef"]
        value = resolver(var) if resolver else ""
        return f"{value} ({ref.get('apiVersion', '')}:{ref.get('fieldPath', '')})"
    if source.get("resourceFieldRef") is not None:
        ref = source["resourceFieldRef"]
        value = _resource_field_value(ref, container)
        if value == "0" and ref.get("resource") in ("limits.cpu", "limits.memory"):
            value = "node allocatable"
        return f"{value} ({ref.get('resource', '')})"
    for key, phrase in (("secretKeyRef", "in secret"), ("configMapKeyRef", "of config map")):
        if source.get(key) is not None:
            ref = source[key]
            optional = "true" if ref.get("optional") else "false"
            return f"<set to the key '{ref.get('key', '')}' {phrase} '{ref.get('name', '')}'>\tOptional: {optional}"
    return None


def _resource_field_value(ref: Mapping[str, Any], container: Mapping[str, Any]) -> str:
    """``ExtractContainerResourceValue``: the ceiling of the value in divisor units, or ``""``."""
    divisor = quantity_of(ref.get("divisor"))
    if divisor.cmp(ZERO) == 0:
        divisor = parse_quantity("1")
    which, _, name = str(ref.get("resource", "")).partition(".")
    if which not in ("limits", "requests") or not (
            name in ("cpu", "memory", "ephemeral-storage") or name.startswith("hugepages-")):
        return ""
    value = resource_list((container.get("resources") or {}).get(which)).get(name, ZERO)
    if name == "cpu":
        return str(math.ceil(value.milli_value() / divisor.milli_value()))
    return str(math.ceil(value.value() / divisor.value()))


def _mounts(w: PrefixWriter, container: Mapping[str, Any]) -> None:
    mounts = list(container.get("volumeMounts") or [])
    none = "" if mounts else "\t<none>"
    w.write(2, f"Mounts:{none}\n")
    go_sort(mounts, lambda a, b: a.get("mountPath", "") < b.get("mountPath", ""))
    for mount in mounts:
        flags = ["ro" if mount.get("readOnly") else "rw"]
        if mount.get("subPath"):
            flags.append(f"path={go_quote(mount['subPath'])}")
        w.write(3, f"{mount.get('mountPath', '')} from {mount.get('name', '')} ({','.join(flags)})\n")
    devices = list(container.get("volumeDevices") or [])
    if devices:
        w.write(2, f"Devices:{none}\n")
        go_sort(devices, lambda a, b: a.get("devicePath", "") < b.get("devicePath", ""))
        for device in devices:
            w.write(3, f"{device.get('devicePath', '')} from {device.get('name', '')}\n")


def describe_pod_template(w: PrefixWriter, template: Mapping[str, Any] | None, clock: Clock) -> None:
    """``DescribePodTemplate``."""
    w.write(0, "Pod Template:\n")
    if template is None:
        w.write(1, "<unset>")
        return
    metadata, spec = template.get("metadata") or {}, template.get("spec") or {}
    print_labels(w, "  Labels", metadata.get("labels"))
    if metadata.get("annotations"):
        print_annotations(w, "  Annotations", metadata["annotations"])
    if spec.get("serviceAccountName"):
        w.write(1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"], None, None, "  ", clock)
    describe_containers(w, "Containers", spec.get("containers") or [], None, None, "  ", clock)
    describe_volumes(w, spec.get("volumes"), "  ")
    describe_topology_spread(w, spec.get("topologySpreadConstraints"), "  ")
    if spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    print_labels(w, "  Node-Selectors", spec.get("nodeSelector"))
    print_tolerations(w, "  Tolerations", spec.get("tolerations"))


def describe_topology_spread(w: PrefixWriter, constraints: list[dict[str, Any]] | None, space: str) -> None:
    """``describeTopologySpreadConstraints``: sorted by topology key, one per line."""
    if not constraints:
        return
    ordered = list(constraints)
    go_sort(ordered, lambda a, b: a.get("topologyKey", "") < b.get("topologyKey", ""))
    w.write(0, f"{space}Topology Spread Constraints:\t")
    for index, constraint in enumerate(ordered):
        if index:
            w.write(0, space)
            w.write(0, "\t")
        text = (f"{constraint.get('topologyKey', '')}:{constraint.get('whenUnsatisfiable', '')}"
                f" when max skew {constraint.get('maxSkew', 0)} is exceeded")
        if constraint.get("labelSelector") is not None:
            text += f" for selector {format_label_selector(constraint['labelSelector'])}"
        w.write(0, text + "\n")
