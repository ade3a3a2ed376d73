"""A Mermaid flowchart per section, drawn from the objects the run read back (never from scenario prose).

Service → its endpoints' pods (with IPs and ports, not-ready ones dashed),
ExternalName → its CNAME target, a headless Service's StatefulSet pods with
their per-pod DNS names; Ingress → its backend Services by host and path;
Gateway → HTTPRoute → backend Services by path; NetworkPolicy: its allowed
peers → the policy → the pods it selects, and a crossed edge for what it
denies. A section draws the objects it applied (manifests and ``apply -f``
steps), or those its ``diagram:`` list names. Labels are escaped for Mermaid,
node ids are derived from positions, and objects are drawn in sorted order, so
the same topology draws the same text; IPs and pod-name suffixes are masked by
the nightly comparison like every other line of the note.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

from ._checks import pods_key
from ._kubectl._describe._selectors import label_selector_string

__all__ = ["DRAWN_KINDS", "diagram_objects", "escape_label", "section_diagram", "spec_diagram", "spec_objects"]

DRAWN_KINDS = ("service", "ingress", "gateway", "httproute", "networkpolicy")
"""The kinds a diagram starts from (``diagram: [KIND/NAME, …]`` names these)."""

_ESCAPES = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;", "&": "#amp;", "`": "#96;", "|": "#124;",
            "\n": " ", "\r": " "}


def escape_label(text: str) -> str:
    """Text safe inside a quoted Mermaid label: quotes, angle brackets, pipes and entities escaped,
    line breaks and control characters (every one ``str.splitlines`` breaks at) as spaces."""
    return "".join(_ESCAPES.get(c, " " if not c.isprintable() else c) for c in text)


def diagram_objects(manifests: Iterable[dict[str, Any]], applied: Iterable[str] = (),
                    only: Collection[str] | None = None) -> set[str]:
    """The ``bundle.objects`` keys a section's diagram reads: its Services and their Endpoints and the
    Ingresses, Gateways, HTTPRoutes and NetworkPolicies it applied (or the objects ``only`` names), and its
    namespace's pods when it draws a policy."""
    keys: set[str] = set()
    for manifest in manifests if only is None else ():
        body = manifest.get("body") or {}
        name = (body.get("metadata") or {}).get("name")
        if manifest.get("kind") == "Service" and name:
            keys.add(f"service/{name}")
            if (body.get("spec") or {}).get("type") != "ExternalName":
                keys.add(f"endpoints/{name}")
    roots = _routes(applied) if only is None else set(only)
    keys |= roots | {f"endpoints/{ref.partition('/')[2]}" for ref in roots if ref.startswith("service/")}
    if any(ref.startswith("networkpolicy/") for ref in roots):
        keys.add(pods_key(""))
    return keys


def _routes(applied: Iterable[str]) -> set[str]:
    """What a section applied that a diagram starts from, besides its Services."""
    return {ref for ref in applied if ref.partition("/")[0] in DRAWN_KINDS[1:]}


def section_diagram(manifests: list[dict[str, Any]], objects: dict[str, Any], namespace: str,
                    applied: Collection[str] = (), only: Collection[str] | None = None) -> str | None:
    """The flowchart's Mermaid source for one section, or None when it has nothing to draw.

    ``applied`` is the section's ``SectionRecord.applied``; ``only``, its ``diagram:`` list, if any: the
    objects to start from instead of the section's own (any the run read back, in the order given).
    """
    graph = _Graph(namespace, objects)
    services = sorted(f"service/{m.get('name')}" for m in manifests if m.get("kind") == "Service")
    for ref in services + sorted(_routes(applied)) if only is None else only:
        obj = objects.get(ref)
        if isinstance(obj, dict):
            graph.draw(ref.partition("/")[0], obj)
    return graph.mermaid() if graph.edges else None


def spec_diagram(spec: dict[str, Any], applied: Collection[str], objects: dict[str, Any], namespace: str) -> str | None:
    """A section's diagram as its scenario asks (``diagram: false``, or a list of ``KIND/NAME``)."""
    shown = spec.get("diagram", True)
    if shown is False:
        return None
    return section_diagram(list(spec.get("manifests") or []), objects, namespace, applied,
                           only=shown if isinstance(shown, list) else None)


def spec_objects(spec: dict[str, Any], applied: Collection[str]) -> set[str]:
    """The objects :func:`spec_diagram` reads, for the runner to read back."""
    shown = spec.get("diagram", True)
    if shown is False:
        return set()
    return diagram_objects(spec.get("manifests") or [], applied, only=shown if isinstance(shown, list) else None)


class _Graph:
    """Nodes by identity (a Service, a pod, a host name), each drawn once; edges in the order found."""

    def __init__(self, namespace: str, objects: dict[str, Any]) -> None:
        self.namespace = namespace
        self.objects = objects
        self.labels: dict[str, list[str]] = {}
        self.edges: list[str] = []
        self.drawn: set[str] = set()

    def node(self, key: str, *lines: str) -> str:
        """The node id for ``key``; its label lines are added once each."""
        label = self.labels.setdefault(key, [])
        label += [line for line in lines if line and line not in label]
        return f"n{list(self.labels).index(key) + 1}"

    def edge(self, source: str, arrow: str, target: str, text: str = "") -> None:
        self.edges.append(f'  {source} {arrow}|"{escape_label(text)}"| {target}' if text else
                          f"  {source} {arrow} {target}")

    def mermaid(self) -> str:
        nodes = [f'  n{i}["{"<br/>".join(escape_label(line) for line in lines)}"]'
                 for i, lines in enumerate(self.labels.values(), start=1)]
        return "\n".join(["flowchart LR", *nodes, *self.edges])

    def draw(self, kind: str, obj: dict[str, Any]) -> str:
        """Draw an object (once) and what it leads to; its node id."""
        key = f"{kind}/{obj['metadata']['name']}"
        if key not in self.drawn:
            self.drawn.add(key)
            _DRAW[kind](self, obj)
        return self.node(key)

    def named(self, kind: str, name: str) -> str:
        """An object another one names (a route's Service, its Gateway): drawn in full when the run read it,
        else by name."""
        obj = self.objects.get(f"{kind}/{name}")
        return self.draw(kind, obj) if isinstance(obj, dict) else self.node(f"{kind}/{name}",
                                                                            f"{_TITLES[kind]} {name}")


def _service(graph: _Graph, service: dict[str, Any]) -> None:
    name, spec = service["metadata"]["name"], service.get("spec") or {}
    if spec.get("type") == "ExternalName":
        svc = graph.node(f"service/{name}", f"Service {name}", "ExternalName")
        target = graph.node(f"host/{spec.get('externalName')}", f"{spec.get('externalName', '')} (CNAME)")
        graph.edges.append(f"  {svc} -. CNAME .-> {target}")
        return
    cluster_ip = spec.get("clusterIP") or "None"
    kind = "headless" if cluster_ip == "None" else spec.get("type", "ClusterIP")
    ports = ", ".join(str(p.get("port")) for p in spec.get("ports") or [])
    svc = graph.node(f"service/{name}", f"Service {name}", f"{kind} {cluster_ip} :{ports}")
    found = _addresses(graph.objects.get(f"endpoints/{name}"))
    for address, port, ready in found:
        pod = address.get("targetRef", {}).get("name") or address.get("ip", "")
        hostname = address.get("hostname")
        dns = f"{hostname}.{name}.{graph.namespace}.svc" if hostname else ""
        target = graph.node(f"pod/{pod}", f"Pod {pod}", address.get("ip", ""), dns)
        graph.edge(svc, "-->" if ready else "-.->", target, port)
    if not found:
        graph.edges.append(f"  {svc} -.- {graph.node(f'none/{name}', 'no endpoints')}")


def _ingress(graph: _Graph, ingress: dict[str, Any]) -> None:
    name, spec = ingress["metadata"]["name"], ingress.get("spec") or {}
    node = graph.node(f"ingress/{name}", f"Ingress {name}", f"class {spec.get('ingressClassName') or '<none>'}",
                      *_addresses_of(ingress))
    default = (spec.get("defaultBackend") or {}).get("service")
    if default:
        graph.edge(node, "-->", graph.named("service", str(default.get("name"))), f"default → :{_port(default)}")
    for rule in spec.get("rules") or []:
        for path in (rule.get("http") or {}).get("paths") or []:
            service = (path.get("backend") or {}).get("service") or {}
            text = f"{rule.get('host') or '*'}{path.get('path') or '/'} → :{_port(service)}"
            graph.edge(node, "-->", graph.named("service", str(service.get("name"))), text)


def _port(backend: dict[str, Any]) -> str:
    port = backend.get("port") or {}
    return str(port.get("number") or port.get("name") or "")


def _addresses_of(obj: dict[str, Any]) -> list[str]:
    """An Ingress's or a Gateway's addresses, as its status gives them."""
    status = obj.get("status") or {}
    found = [i.get("ip") or i.get("hostname") for i in (status.get("loadBalancer") or {}).get("ingress") or []]
    found += [a.get("value") for a in status.get("addresses") or []]
    return [str(address) for address in found if address]


def _gateway(graph: _Graph, gateway: dict[str, Any]) -> None:
    spec = gateway.get("spec") or {}
    listeners = ", ".join(f"{lst.get('protocol')} :{lst.get('port')}" for lst in spec.get("listeners") or [])
    graph.node(f"gateway/{gateway['metadata']['name']}", f"Gateway {gateway['metadata']['name']}",
               f"class {spec.get('gatewayClassName', '')}", listeners, *_addresses_of(gateway))


def _http_route(graph: _Graph, route: dict[str, Any]) -> None:
    name, spec = route["metadata"]["name"], route.get("spec") or {}
    node = graph.node(f"httproute/{name}", f"HTTPRoute {name}", ", ".join(spec.get("hostnames") or []))
    for parent in spec.get("parentRefs") or []:
        graph.edge(graph.named("gateway", str(parent.get("name"))), "-->", node)
    for rule in spec.get("rules") or []:
        paths = ", ".join(str((m.get("path") or {}).get("value", "/")) for m in rule.get("matches") or []) or "/"
        for ref in rule.get("backendRefs") or []:
            graph.edge(node, "-->", graph.named("service", str(ref.get("name"))), f"{paths} → :{ref.get('port', '')}")


def _network_policy(graph: _Graph, policy: dict[str, Any]) -> None:
    name, spec = policy["metadata"]["name"], policy.get("spec") or {}
    selector = spec.get("podSelector") or {}
    node = graph.node(f"networkpolicy/{name}", f"NetworkPolicy {name}", f"pods {_selector(selector)}")
    for pod in _selected(graph, selector):
        graph.edge(node, "-->", graph.node(f"pod/{pod['metadata']['name']}", f"Pod {pod['metadata']['name']}",
                                           (pod.get("status") or {}).get("podIP", "")), "applies to")
    types = spec.get("policyTypes") or ["Ingress"]
    if "Ingress" in types:
        _rules(graph, node, spec.get("ingress") or [], inbound=True)
    if "Egress" in types:
        _rules(graph, node, spec.get("egress") or [], inbound=False)


def _rules(graph: _Graph, node: str, rules: list[dict[str, Any]], *, inbound: bool) -> None:
    """A policy's ingress (peers → policy) or egress (policy → peers) rules; none denies that direction."""
    word, side = ("", "from") if inbound else (" egress", "to")

    def link(peer: dict[str, Any], arrow: str, text: str) -> None:
        other = _peer(graph, peer, inbound)
        graph.edge(*((other, arrow, node) if inbound else (node, arrow, other)), text)

    if not rules:
        link({}, "--x", f"deny{word}")
    for rule in rules:
        ports = ", ".join(f"{p.get('protocol', 'TCP')}/{p.get('port', '*')}" + (f"-{p['endPort']}" if p.get(
            "endPort") else "") for p in rule.get("ports") or []) or "all ports"
        for peer in rule.get(side) or [{}]:
            link(peer, "-->", f"allow{word} {ports}")


def _peer(graph: _Graph, peer: dict[str, Any], inbound: bool) -> str:
    """A policy's peer: an IP block, namespaces, pods (with the pods of this namespace it matches), or anything."""
    lines = []
    if "ipBlock" in peer:
        block = peer["ipBlock"] or {}
        lines += [f"ipBlock {block.get('cidr', '')}", *(f"except {e}" for e in block.get("except") or [])]
    if "namespaceSelector" in peer:
        lines.append(f"namespaces {_selector(peer['namespaceSelector'] or {})}")
    if "podSelector" in peer:
        lines.append(f"pods {_selector(peer['podSelector'] or {})}")
    if not lines:
        return graph.node(f"any/{inbound}", "any source" if inbound else "any destination")
    pods = [] if "namespaceSelector" in peer or "podSelector" not in peer else _selected(graph, peer["podSelector"])
    return graph.node("peer/" + "|".join(lines), *lines, *(f"Pod {p['metadata']['name']}" for p in pods))


def _selector(selector: dict[str, Any]) -> str:
    return label_selector_string(selector) or "(all)"


def _selected(graph: _Graph, selector: dict[str, Any]) -> list[dict[str, Any]]:
    """The namespace's pods (as the run listed them) that a label selector matches, by name."""
    pods = graph.objects.get(pods_key("")) or []
    found = [p for p in pods if isinstance(p, dict) and _selects(selector, (p.get("metadata") or {}).get("labels"))]
    return sorted(found, key=lambda p: str(p["metadata"].get("name")))


def _selects(selector: dict[str, Any], labels: dict[str, str] | None) -> bool:
    """``metav1.LabelSelectorAsSelector(selector).Matches(labels)``: an empty selector matches every pod."""
    labels = labels or {}
    if any(labels.get(key) != value for key, value in (selector.get("matchLabels") or {}).items()):
        return False
    tests: dict[str, Callable[[str, list[str]], bool]] = {
        "In": lambda key, values: labels.get(key) in values,
        "NotIn": lambda key, values: labels.get(key) not in values,
        "Exists": lambda key, _values: key in labels,
        "DoesNotExist": lambda key, _values: key not in labels,
    }
    return all(e.get("operator") in tests and tests[e["operator"]](e.get("key", ""), list(e.get("values") or []))
               for e in selector.get("matchExpressions") or [])


_TITLES = {"service": "Service", "gateway": "Gateway"}
"""How an object another one names is titled when the run did not read it."""

_DRAW: dict[str, Callable[[_Graph, dict[str, Any]], None]] = {
    "service": _service, "ingress": _ingress, "gateway": _gateway, "httproute": _http_route,
    "networkpolicy": _network_policy,
}


def _addresses(endpoints: Any) -> list[tuple[dict[str, Any], str, bool]]:
    """(address, ports, ready) for every address of an Endpoints object, sorted by pod name."""
    found = []
    for subset in (endpoints or {}).get("subsets") or [] if isinstance(endpoints, dict) else []:
        ports = ",".join(f"{p.get('port')}/{p.get('protocol', 'TCP')}" for p in subset.get("ports") or [])
        found += [(a, ports, True) for a in subset.get("addresses") or []]
        found += [(a, ports, False) for a in subset.get("notReadyAddresses") or []]
    return sorted(found, key=lambda item: (item[0].get("targetRef", {}).get("name", ""), item[0].get("ip", "")))
