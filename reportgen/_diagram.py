"""A Mermaid flowchart per section, drawn from the objects the run read back (never from scenario prose).

Service → its endpoints' pods (with IPs and ports, not-ready ones dashed),
ExternalName → its CNAME target, a headless Service's StatefulSet pods with
their per-pod DNS names. Labels are escaped for Mermaid, node ids are derived
from positions, and nodes are sorted, so the same topology draws the same
text; IPs and pod-name suffixes are masked by the nightly comparison like
every other line of the note.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["diagram_objects", "escape_label", "section_diagram"]

_ESCAPES = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;", "&": "#amp;", "`": "#96;", "|": "#124;",
            "\n": " ", "\r": " "}


def escape_label(text: str) -> str:
    """Text safe inside a quoted Mermaid label: quotes, angle brackets, pipes and entities escaped,
    line breaks and control characters (every one ``str.splitlines`` breaks at) as spaces."""
    return "".join(_ESCAPES.get(c, " " if not c.isprintable() else c) for c in text)


def diagram_objects(manifests: Iterable[dict[str, Any]]) -> set[str]:
    """The ``bundle.objects`` keys a section's diagram reads: its Services and their Endpoints."""
    keys: set[str] = set()
    for manifest in manifests:
        body = manifest.get("body") or {}
        name = (body.get("metadata") or {}).get("name")
        if manifest.get("kind") == "Service" and name:
            keys.add(f"service/{name}")
            if (body.get("spec") or {}).get("type") != "ExternalName":
                keys.add(f"endpoints/{name}")
    return keys


def section_diagram(manifests: list[dict[str, Any]], objects: dict[str, Any], namespace: str) -> str | None:
    """The flowchart's Mermaid source for one section, or None when it has no Service to draw."""
    graph = _Graph(namespace)
    services = [m for m in manifests if m.get("kind") == "Service"]
    for manifest in sorted(services, key=lambda m: str(m.get("name"))):
        service = objects.get(f"service/{manifest.get('name')}")
        if isinstance(service, dict):
            graph.service(service, objects.get(f"endpoints/{manifest.get('name')}"))
    return graph.mermaid() if graph.edges else None


class _Graph:
    """Nodes by identity (a Service, a pod, a host name), each drawn once; edges in the order found."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self.labels: dict[str, list[str]] = {}
        self.edges: list[str] = []

    def node(self, key: str, *lines: str) -> str:
        """The node id for ``key``; its label lines are added once each."""
        label = self.labels.setdefault(key, [])
        label += [line for line in lines if line and line not in label]
        return f"n{list(self.labels).index(key) + 1}"

    def mermaid(self) -> str:
        nodes = [f'  n{i}["{"<br/>".join(escape_label(line) for line in lines)}"]'
                 for i, lines in enumerate(self.labels.values(), start=1)]
        return "\n".join(["flowchart LR", *nodes, *self.edges])

    def service(self, service: dict[str, Any], endpoints: Any) -> None:
        name, spec = service["metadata"]["name"], service.get("spec") or {}
        if spec.get("type") == "ExternalName":
            svc = self.node(f"service/{name}", f"Service {name}", "ExternalName")
            target = self.node(f"host/{spec.get('externalName')}", f"{spec.get('externalName', '')} (CNAME)")
            self.edges.append(f"  {svc} -. CNAME .-> {target}")
            return
        cluster_ip = spec.get("clusterIP") or "None"
        kind = "headless" if cluster_ip == "None" else spec.get("type", "ClusterIP")
        ports = ", ".join(str(p.get("port")) for p in spec.get("ports") or [])
        svc = self.node(f"service/{name}", f"Service {name}", f"{kind} {cluster_ip} :{ports}")
        found = _addresses(endpoints)
        for address, port, ready in found:
            pod = address.get("targetRef", {}).get("name") or address.get("ip", "")
            hostname = address.get("hostname")
            dns = f"{hostname}.{name}.{self.namespace}.svc" if hostname else ""
            target = self.node(f"pod/{pod}", f"Pod {pod}", address.get("ip", ""), dns)
            self.edges.append(f'  {svc} {"-->" if ready else "-.->"}|"{escape_label(port)}"| {target}')
        if not found:
            self.edges.append(f"  {svc} -.- {self.node(f'none/{name}', 'no endpoints')}")


def _addresses(endpoints: Any) -> list[tuple[dict[str, Any], str, bool]]:
    """(address, ports, ready) for every address of an Endpoints object, sorted by pod name."""
    found = []
    for subset in (endpoints or {}).get("subsets") or [] if isinstance(endpoints, dict) else []:
        ports = ",".join(f"{p.get('port')}/{p.get('protocol', 'TCP')}" for p in subset.get("ports") or [])
        found += [(a, ports, True) for a in subset.get("addresses") or []]
        found += [(a, ports, False) for a in subset.get("notReadyAddresses") or []]
    return sorted(found, key=lambda item: (item[0].get("targetRef", {}).get("name", ""), item[0].get("ip", "")))
