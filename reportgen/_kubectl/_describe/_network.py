"""``kubectl describe`` for services, endpoints, endpoint slices, ingresses and network policies.

Ports ``ServiceDescriber``, ``EndpointsDescriber``, ``EndpointSliceDescriber``
(discovery.k8s.io/v1), ``IngressDescriber`` (networking.k8s.io/v1),
``NetworkPolicyDescriber`` and ``formatEndpointSlices`` from k8s.io/kubectl
v0.34.4 ``pkg/describe/describe.go``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._discovery import ApiError
from ._api import Context, error_text, meta
from ._goformat import int_or_string, int_or_string_pointer, join_host_port
from ._selectors import format_label_selector, format_labels
from ._writer import (
    PrefixWriter,
    describe_events,
    print_annotations,
    print_labels,
    print_metadata,
    print_name,
    string_or_none,
    tabbed_string,
)

__all__ = ["describe_endpoint_slice", "describe_endpoints", "describe_ingress", "describe_network_policy",
           "describe_service"]

_MAX_ENDPOINTS = 3


def _header(w: PrefixWriter, obj: Mapping[str, Any]) -> None:
    print_name(w, obj)
    print_metadata(w, obj)


def _service_slices(ctx: Context, namespace: str, service: str) -> list[dict[str, Any]]:
    """The EndpointSlices of a service (one unchunked list, as kubectl asks)."""
    return ctx.list_all("discovery.k8s.io", "v1", "endpointslices", namespace or None,
                    labels=f"kubernetes.io/service-name={service}", chunked=False)


def format_endpoint_slices(slices: list[dict[str, Any]], ports: set[str] | None) -> str:
    """``formatEndpointSlices``: ready addresses (with the named ports), the first three, then a count."""
    if not slices:
        return "<none>"
    shown: list[str] = []
    more, count = False, 0
    for eps in slices:
        targets = [(None, "")] if not eps.get("ports") else [
            (p, str(p.get("port", 0))) for p in eps["ports"] if ports is None or (p.get("name") or "") in ports]
        for port, number in targets:
            for endpoint in eps.get("endpoints") or []:
                if len(shown) == _MAX_ENDPOINTS:
                    more = True
                if (endpoint.get("conditions") or {}).get("ready") is False:
                    continue
                address = (endpoint.get("addresses") or [""])[0]
                if not more:
                    shown.append(address if port is None else join_host_port(address, number))
                count += 1
    text = ",".join(shown)
    return f"{text} + {count - _MAX_ENDPOINTS} more..." if more else text


def describe_service(ctx: Context, service: dict[str, Any]) -> str:
    """``ServiceDescriber.Describe``: with each port's endpoints from the service's EndpointSlices."""
    metadata = meta(service)
    try:
        slices = _service_slices(ctx, metadata.get("namespace", ""), metadata.get("name", ""))
    except ApiError:
        slices = []
    events = ctx.events_or_empty(service, "Service")

    def body(w: PrefixWriter) -> None:
        _header(w, service)
        _service_addresses(w, service)
        _service_ports(w, service, slices)
        _service_policies(w, service)
        describe_events(w, events, ctx.clock)

    return tabbed_string(body)


def _service_addresses(w: PrefixWriter, service: Mapping[str, Any]) -> None:
    spec = service.get("spec") or {}
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{spec.get('type', '')}\n")
    if spec.get("ipFamilyPolicy") is not None:
        w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    w.write(0, f"IP Families:\t{','.join(spec.get('ipFamilies') or []) or '<none>'}\n")
    w.write(0, f"IP:\t{spec.get('clusterIP', '')}\n")
    w.write(0, f"IPs:\t{','.join(spec.get('clusterIPs') or []) or '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(0, f"External Name:\t{spec['externalName']}\n")
    ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        w.write(0, f"LoadBalancer Ingress:\t{', '.join(_lb_ingress(i) for i in ingress)}\n")


def _lb_ingress(ingress: Mapping[str, Any]) -> str:
    """One entry of ``buildIngressString``."""
    if ingress.get("ip"):
        return f"{ingress['ip']} ({ingress['ipMode']})" if ingress.get("ipMode") is not None else ingress["ip"]
    return str(ingress.get("hostname", ""))


def _service_ports(w: PrefixWriter, service: Mapping[str, Any], slices: list[dict[str, Any]]) -> None:
    for port in (service.get("spec") or {}).get("ports") or []:
        name, protocol = port.get("name") or "<unset>", port.get("protocol", "")
        w.write(0, f"Port:\t{name}\t{port.get('port', 0)}/{protocol}\n")
        w.write(0, f"TargetPort:\t{int_or_string(port.get('targetPort'))}/{protocol}\n")
        if port.get("nodePort"):
            w.write(0, f"NodePort:\t{name}\t{port['nodePort']}/{protocol}\n")
        w.write(0, f"Endpoints:\t{format_endpoint_slices(slices, {port.get('name') or ''})}\n")


def _service_policies(w: PrefixWriter, service: Mapping[str, Any]) -> None:
    spec = service.get("spec") or {}
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity', '')}\n")
    for key, title in (("externalTrafficPolicy", "External Traffic Policy"),
                       ("internalTrafficPolicy", "Internal Traffic Policy"),
                       ("healthCheckNodePort", "HealthCheck NodePort")):
        if spec.get(key):
            w.write(0, f"{title}:\t{spec[key]}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n")
    if spec.get("trafficDistribution") is not None:
        w.write(0, f"Traffic Distribution:\t{spec['trafficDistribution']}\n")


def describe_endpoints(ctx: Context, endpoints: dict[str, Any]) -> str:
    """``EndpointsDescriber.Describe``."""
    events = ctx.events_or_empty(endpoints, "Endpoints")

    def body(w: PrefixWriter) -> None:
        _header(w, endpoints)
        w.write(0, "Subsets:\n")
        for subset in endpoints.get("subsets") or []:
            for key, title in (("addresses", "Addresses"), ("notReadyAddresses", "NotReadyAddresses")):
                ips = ",".join(a.get("ip", "") for a in subset.get(key) or [])
                w.write(1, f"{title}:\t{ips or '<none>'}\n")
            if subset.get("ports"):
                w.write(1, "Ports:\n")
                w.write(2, "Name\tPort\tProtocol\n")
                w.write(2, "----\t----\t--------\n")
                for port in subset["ports"]:
                    w.write(2, f"{port.get('name') or '<unset>'}\t{port.get('port', 0)}\t{port.get('protocol', '')}\n")
            w.write(0, "\n")
        describe_events(w, events, ctx.clock)

    return tabbed_string(body)


def describe_endpoint_slice(ctx: Context, eps: dict[str, Any]) -> str:
    """``EndpointSliceDescriber.Describe`` (``describeEndpointSliceV1``)."""
    events = ctx.events_or_empty(eps, "EndpointSlice")

    def body(w: PrefixWriter) -> None:
        _header(w, eps)
        w.write(0, f"AddressType:\t{eps.get('addressType', '')}\n")
        _slice_ports(w, eps.get("ports") or [])
        endpoints = eps.get("endpoints") or []
        w.write(0, "Endpoints:\n" if endpoints else "Endpoints: <none>\n")
        for endpoint in endpoints:
            _slice_endpoint(w, endpoint)
        describe_events(w, events, ctx.clock)

    return tabbed_string(body)


def _slice_ports(w: PrefixWriter, ports: list[dict[str, Any]]) -> None:
    if not ports:
        w.write(0, "Ports: <unset>\n")
        return
    w.write(0, "Ports:\n")
    w.write(1, "Name\tPort\tProtocol\n")
    w.write(1, "----\t----\t--------\n")
    for port in ports:
        number = "<unset>" if port.get("port") is None else str(port["port"])
        w.write(1, f"{port.get('name') or '<unset>'}\t{number}\t{port.get('protocol', '')}\n")


def _slice_endpoint(w: PrefixWriter, endpoint: Mapping[str, Any]) -> None:
    w.write(1, f"- Addresses:\t{', '.join(endpoint.get('addresses') or []) or '<none>'}\n")
    w.write(2, "Conditions:\n")
    ready = (endpoint.get("conditions") or {}).get("ready")
    w.write(3, f"Ready:\t{'<unset>' if ready is None else str(ready).lower()}\n")
    w.write(2, f"Hostname:\t{_or_unset(endpoint.get('hostname'))}\n")
    if endpoint.get("targetRef") is not None:
        ref = endpoint["targetRef"]
        w.write(2, f"TargetRef:\t{ref.get('kind', '')}/{ref.get('name', '')}\n")
    w.write(2, f"NodeName:\t{_or_unset(endpoint.get('nodeName'))}\n")
    w.write(2, f"Zone:\t{_or_unset(endpoint.get('zone'))}\n")


def _or_unset(value: object) -> str:
    return "<unset>" if value is None else str(value)


def describe_ingress(ctx: Context, ingress: dict[str, Any]) -> str:
    """``IngressDescriber.Describe`` (``describeIngressV1``): each backend with its endpoints."""
    metadata, spec = meta(ingress), ingress.get("spec") or {}
    namespace = metadata.get("namespace", "")
    events = ctx.events_or_empty(ingress, "Ingress")
    default = _backend(ctx, namespace, spec["defaultBackend"]) if spec.get("defaultBackend") else "<default>"
    rules = [(r.get("host") or "*", [(p.get("path", ""), _backend(ctx, namespace, p.get("backend") or {}))
                                     for p in r["http"].get("paths") or []])
             for r in spec.get("rules") or [] if r.get("http") is not None]

    def body(w: PrefixWriter) -> None:
        print_name(w, ingress, namespace=False)
        print_labels(w, "Labels", metadata.get("labels"))
        w.write(0, f"Namespace:\t{namespace}\n")
        w.write(0, f"Address:\t{_ingress_address(ingress)}\n")
        class_name = spec["ingressClassName"] if spec.get("ingressClassName") is not None else "<none>"
        w.write(0, f"Ingress Class:\t{class_name}\n")
        w.write(0, f"Default backend:\t{default}\n")
        _ingress_tls(w, spec.get("tls") or [])
        w.write(0, "Rules:\n  Host\tPath\tBackends\n")
        w.write(1, "----\t----\t--------\n")
        for host, paths in rules:
            w.write(1, f"{host}\t\n")
            for path, backend in paths:
                w.write(2, f"\t{path} \t{backend}\n")
        if not rules:
            w.write(1, f"*\t*\t{default}\n")
        print_annotations(w, "Annotations", metadata.get("annotations"))
        describe_events(w, events, ctx.clock)

    return tabbed_string(body)


def _ingress_address(ingress: Mapping[str, Any]) -> str:
    """``ingressLoadBalancerStatusStringerV1`` (wide): IPs or hostnames, sorted, unique."""
    entries = ((ingress.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    return ",".join(sorted({e.get("ip") or e.get("hostname") for e in entries if e.get("ip") or e.get("hostname")}))


def _ingress_tls(w: PrefixWriter, tls: list[dict[str, Any]]) -> None:
    if not tls:
        return
    w.write(0, "TLS:\n")
    for entry in tls:
        hosts = ",".join(entry.get("hosts") or [])
        if entry.get("secretName"):
            w.write(1, f"{entry['secretName']} terminates {hosts}\n")
        else:
            w.write(1, f"SNI routes {hosts}\n")


def _backend(ctx: Context, namespace: str, backend: Mapping[str, Any]) -> str:
    """``describeBackendV1``: ``service:port (endpoints)``, or the resource it names."""
    if backend.get("service") is not None:
        service = backend["service"]
        port = service.get("port") or {}
        label = f"{service.get('name', '')}:{port['number'] if port.get('number') else port.get('name', '')}"
        try:
            slices = _service_slices(ctx, namespace, service.get("name", ""))
            found = ctx.get("", "v1", "services", namespace or None, service.get("name", ""))
        except ApiError as exc:
            return f"{label} (<error: {error_text(exc)}>)"
        name = ""
        for sp in (found.get("spec") or {}).get("ports") or []:
            if (port.get("number") and port["number"] == sp.get("port")) or (
                    port.get("name") and port["name"] == sp.get("name")):
                name = sp.get("name", "")
        return f"{label} ({format_endpoint_slices(slices, {name})})"
    if backend.get("resource") is not None:
        resource = backend["resource"]
        group = "<none>" if resource.get("apiGroup") is None else resource["apiGroup"]
        return f"APIGroup: {group}, Kind: {resource.get('kind', '')}, Name: {resource.get('name', '')}"
    return ""


def describe_network_policy(ctx: Context, policy: dict[str, Any]) -> str:
    """``NetworkPolicyDescriber.Describe``."""
    metadata, spec = meta(policy), policy.get("spec") or {}

    def body(w: PrefixWriter) -> None:
        print_name(w, policy)
        w.write(0, f"Created on:\t{ctx.clock.go_string(metadata.get('creationTimestamp'))}\n")
        print_metadata(w, policy)
        w.write(0, "Spec:\n")
        w.write(1, "PodSelector: ")
        selector = spec.get("podSelector") or {}
        if not selector.get("matchLabels") and not selector.get("matchExpressions"):
            w.write(2, "<none> (Allowing the specific traffic to all pods in this namespace)\n")
        else:
            w.write(2, f"{format_label_selector(selector)}\n")
        types = spec.get("policyTypes")
        for kind, peers, title in (("Ingress", "from", "ingress"), ("Egress", "to", "egress")):
            if kind in (types or []):
                w.write(1, f"Allowing {title} traffic:\n")
                _policy_rules(w, spec.get(title) or [], peers)
            else:
                w.write(1, f"Not affecting {title} traffic\n")
        w.write(1, f"Policy Types: {string_or_none(', '.join(types) if types is not None else '')}\n")

    return tabbed_string(body)


_PEER_TEXT = {"from": ("From", "source", "ingress"), "to": ("To", "destination", "egress")}


def _policy_rules(w: PrefixWriter, rules: list[dict[str, Any]], peers: str) -> None:
    """``printNetworkPolicySpecIngressFrom`` / ``printNetworkPolicySpecEgressTo``."""
    title, what, direction = _PEER_TEXT[peers]
    indent = "    "
    if not rules:
        w.write(0, f"{indent}<none> (Selected pods are isolated for {direction} connectivity)\n")
        return
    for index, rule in enumerate(rules):
        if not rule.get("ports"):
            w.write(0, f"{indent}To Port: <any> (traffic allowed to all ports)\n")
        for port in rule.get("ports") or []:
            protocol = port["protocol"] if port.get("protocol") is not None else "TCP"
            number = int_or_string_pointer(port.get("port"))
            if port.get("endPort") is None:
                w.write(0, f"{indent}To Port: {number}/{protocol}\n")
            else:
                w.write(0, f"{indent}To Port Range: {number}-{port['endPort']}/{protocol}\n")
        if not rule.get(peers):
            w.write(0, f"{indent}{title}: <any> (traffic not restricted by {what})\n")
        for peer in rule.get(peers) or []:
            w.write(0, f"{indent}{title}:\n")
            _policy_peer(w, peer, indent)
        if index != len(rules) - 1:
            w.write(0, f"{indent}----------\n")


def _policy_peer(w: PrefixWriter, peer: Mapping[str, Any], indent: str) -> None:
    pods, namespaces = peer.get("podSelector"), peer.get("namespaceSelector")
    if namespaces is not None:
        w.write(1, f"{indent}NamespaceSelector: {format_label_selector(namespaces)}\n")
    if pods is not None:
        w.write(1, f"{indent}PodSelector: {format_label_selector(pods)}\n")
    if pods is None and namespaces is None and peer.get("ipBlock") is not None:
        block = peer["ipBlock"]
        w.write(1, f"{indent}IPBlock:\n")
        w.write(2, f"{indent}CIDR: {block.get('cidr', '')}\n")
        w.write(2, f"{indent}Except: {', '.join(block.get('except') or [])}\n")
