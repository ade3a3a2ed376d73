"""Cluster facts for the report's environment section, read from the API."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .._evidence import ClusterFacts, NodeFacts

if TYPE_CHECKING:
    from ._client import Cluster

LAB_LABEL = "reportgen.dev/lab"


def read_facts(cluster: Cluster) -> ClusterFacts:
    """Everything the API tells about the cluster; blanks where it does not."""
    nodes = _safe(lambda: cluster.list("nodes", None), [])
    facts = ClusterFacts(
        server_version=_safe(lambda: cluster.ping().get("gitVersion", ""), ""),
        context=cluster.context,
        nodes=[_node(n) for n in nodes],
        platform=_platform(nodes),
        cni=_label(nodes, "reportgen.dev/cni"),
        egress=_egress(nodes),
    )
    _dns(cluster, facts)
    _add_ons(cluster, facts, nodes)
    facts.service_cidr = _safe(lambda: _service_cidr(cluster), "")
    facts.pod_cidr = ", ".join(n.pod_cidr for n in facts.nodes if n.pod_cidr)
    return facts


def capabilities(facts: ClusterFacts) -> dict[str, bool]:
    """What the environment is known to offer; unknown ones are left out."""
    known = {"upstream_dns": facts.dns_upstream, "egress": facts.egress,
             "ingress": bool(facts.ingress_classes), "gateway": bool(facts.gateway_classes),
             "metrics": facts.metrics_api, "load_balancer": facts.load_balancer,
             "network_policy": facts.network_policy}
    return {name: value for name, value in known.items() if value is not None}


def _add_ons(cluster: Cluster, facts: ClusterFacts, nodes: list[dict[str, Any]]) -> None:
    """Ingress and Gateway classes and the metrics API from the API; a LoadBalancer implementation and
    NetworkPolicy enforcement from a lab node label, since no API object tells them apart."""
    facts.ingress_classes = sorted(_safe(lambda: _names(cluster, "ingressclasses.networking.k8s.io"), []))
    facts.gateway_classes = sorted(_safe(lambda: _names(cluster, "gatewayclasses.gateway.networking.k8s.io"), []))
    service = _safe(lambda: cluster.read("apiregistration.k8s.io/v1", "APIService", "v1beta1.metrics.k8s.io", None),
                    None)
    facts.metrics_api = any(c.get("type") == "Available" and c.get("status") == "True"
                            for c in ((service or {}).get("status") or {}).get("conditions") or [])
    for field_name, label in (("load_balancer", "reportgen.dev/load-balancer"),
                              ("network_policy", "reportgen.dev/network-policy")):
        value = _label(nodes, label)
        setattr(facts, field_name, None if not value else value != "none")


def _names(cluster: Cluster, typed: str) -> list[str]:
    return [item["metadata"]["name"] for item in cluster.list(typed, None)]


def _egress(nodes: list[dict[str, Any]]) -> bool | None:
    """False when a node says egress is blocked (the lab does); else unknown."""
    return False if _label(nodes, "reportgen.dev/egress") == "blocked" else None


def _safe(read: Any, default: Any) -> Any:
    try:
        return read()
    except Exception:  # noqa: BLE001 - a fact we cannot read stays blank
        return default


def _node(n: dict[str, Any]) -> NodeFacts:
    info = n.get("status", {}).get("nodeInfo", {})
    addresses = {a["type"]: a["address"] for a in n.get("status", {}).get("addresses") or []}
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in n["status"].get("conditions") or [])
    return NodeFacts(
        name=n["metadata"]["name"],
        ready=ready,
        kubelet_version=info.get("kubeletVersion", ""),
        os_image=info.get("osImage", ""),
        kernel_version=info.get("kernelVersion", ""),
        architecture=info.get("architecture", ""),
        container_runtime=info.get("containerRuntimeVersion", ""),
        internal_ip=addresses.get("InternalIP", ""),
        pod_cidr=n.get("spec", {}).get("podCIDR", ""),
    )


def _label(nodes: list[dict[str, Any]], key: str) -> str:
    for n in nodes:
        value: str | None = (n["metadata"].get("labels") or {}).get(key)
        if value:
            return value
    return ""


def _platform(nodes: list[dict[str, Any]]) -> str:
    """minikube, kind or the reportgen lab, told by node labels; else blank."""
    if _label(nodes, LAB_LABEL):
        return "reportgen lab (hack/labcluster)"
    if version := _label(nodes, "minikube.k8s.io/version"):
        return f"minikube {version}"
    if any((n.get("spec", {}).get("providerID") or "").startswith("kind://") for n in nodes):
        return "kind"
    return ""


def _dns(cluster: Cluster, facts: ClusterFacts) -> None:
    svc = _safe(lambda: cluster.read_typed("service", "kube-dns", "kube-system"), None)
    if svc:
        facts.dns_service_ip = svc.get("spec", {}).get("clusterIP", "")
    deploy = _safe(lambda: cluster.read_typed("deployment", "coredns", "kube-system"), None)
    if deploy:
        image = deploy["spec"]["template"]["spec"]["containers"][0].get("image", "")
        facts.dns_provider = "CoreDNS " + image.rpartition(":")[2] if ":" in image else "CoreDNS"
    corefile = _safe(lambda: cluster.read_typed("configmap", "coredns", "kube-system"), None)
    if corefile:
        text = (corefile.get("data") or {}).get("Corefile", "")
        facts.dns_upstream = bool(re.search(r"^\s*(forward|proxy)\s", text, re.M))


def _service_cidr(cluster: Cluster) -> str:
    """The default ServiceCIDR object's ranges (networking.k8s.io/v1, Kubernetes 1.33+)."""
    obj = cluster.read("networking.k8s.io/v1", "ServiceCIDR", "kubernetes", None)
    return ", ".join((obj or {}).get("spec", {}).get("cidrs") or [])
