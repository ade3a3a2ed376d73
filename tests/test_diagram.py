"""The per-section Mermaid topology: drawn from objects, escaped, stable, and only what the evidence holds."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from reportgen._diagram import diagram_objects, escape_label, section_diagram, spec_diagram, spec_objects

SERVICE = {"kind": "Service", "name": "web", "body": {"metadata": {"name": "web"}, "spec": {"selector": {"a": "b"}}}}


def _objects(*pods: tuple[str, str, bool], hostname: bool = False) -> dict[str, Any]:
    addresses = [{"ip": ip, "targetRef": {"kind": "Pod", "name": name}, **({"hostname": name} if hostname else {})}
                 for name, ip, _ready in pods]
    ready = [a for a, (_n, _i, r) in zip(addresses, pods) if r]
    waiting = [a for a, (_n, _i, r) in zip(addresses, pods) if not r]
    return {
        "service/web": {"metadata": {"name": "web"}, "spec": {"clusterIP": "10.96.0.9", "ports": [{"port": 80}]}},
        "endpoints/web": {"subsets": [{"addresses": ready, "notReadyAddresses": waiting,
                                       "ports": [{"port": 8080, "protocol": "TCP"}]}]},
    }


def _nodes(text: str) -> list[str]:
    return re.findall(r'^  (n\d+)\["', text, re.M)


def test_a_service_points_at_each_endpoint_pod_with_ip_and_port() -> None:
    text = section_diagram([SERVICE], _objects(("web-1", "10.244.0.5", True), ("web-2", "10.244.0.6", False)), "ns")
    assert text is not None and text.startswith("flowchart LR\n")
    assert len(_nodes(text)) == 3  # the Service and two pods
    assert 'n1 -->|"8080/TCP"| n2' in text and 'n1 -.->|"8080/TCP"| n3' in text  # not ready: dashed
    assert "Pod web-1<br/>10.244.0.5" in text


def test_headless_pods_show_their_dns_names_and_a_pod_is_drawn_once() -> None:
    other = {"kind": "Service", "name": "web2", "body": {"metadata": {"name": "web2"}}}
    objects = _objects(("db-0", "10.244.0.7", True), hostname=True)
    objects["service/web2"] = {"metadata": {"name": "web2"}, "spec": {"clusterIP": "10.96.0.10"}}
    objects["endpoints/web2"] = objects["endpoints/web"]
    text = section_diagram([SERVICE, other], objects, "lab")
    assert text is not None and len(_nodes(text)) == 3
    assert "db-0.web.lab.svc" in text


def test_externalname_points_at_its_cname_and_no_service_means_no_diagram() -> None:
    external = {"metadata": {"name": "db"}, "spec": {"type": "ExternalName", "externalName": "db.example.com"}}
    manifest = {"kind": "Service", "name": "db", "body": external}
    text = section_diagram([manifest], {"service/db": external}, "ns")
    assert text is not None and "-. CNAME .->" in text and "db.example.com (CNAME)" in text
    assert diagram_objects([manifest]) == {"service/db"}
    assert section_diagram([{"kind": "Pod", "name": "p"}], {}, "ns") is None
    assert section_diagram([SERVICE], {"service/web": None}, "ns") is None  # the run could not read it


@given(st.text(min_size=1, max_size=40))
def test_no_captured_name_can_break_out_of_a_label(name: str) -> None:
    label = escape_label(name)
    assert not set(label) & set('"<>|`\n\r')
    text = section_diagram([SERVICE], _objects((name, "10.0.0.1", True)), "ns")
    assert text is not None
    assert all(re.fullmatch(r'  n\d+\["[^"]*"\]|  n\d+ -->\|"[^"]*"\| n\d+|flowchart LR', line)
               for line in text.splitlines()), text


def test_the_same_topology_draws_the_same_text() -> None:
    pods = [("web-a", "10.244.0.5", True), ("web-b", "10.244.0.6", True)]
    assert section_diagram([SERVICE], _objects(*pods), "ns") == section_diagram([SERVICE], _objects(*pods[::-1]), "ns")


APPLE = {"metadata": {"name": "apple"}, "spec": {"clusterIP": "10.96.0.7", "ports": [{"port": 80}]}}
INGRESS = {"metadata": {"name": "fruit"}, "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.240"}]}},
           "spec": {"ingressClassName": "traefik", "rules": [
               {"host": "fruit.example", "http": {"paths": [
                   {"path": "/apple", "backend": {"service": {"name": "apple", "port": {"number": 80}}}},
                   {"path": "/banana", "backend": {"service": {"name": "banana", "port": {"number": 80}}}}]}}]}}


def test_an_ingress_routes_by_host_and_path_to_its_services_and_their_pods() -> None:
    objects = {"ingress/fruit": INGRESS, "service/apple": APPLE,
               "endpoints/apple": {"subsets": [{"addresses": [{"ip": "10.244.0.3", "targetRef": {"name": "apple-1"}}],
                                                "ports": [{"port": 8080}]}]}}
    text = section_diagram([], objects, "ns", ["ingress/fruit"])
    assert text is not None
    assert 'n1["Ingress fruit<br/>class traefik<br/>203.0.113.240"]' in text
    assert 'n1 -->|"fruit.example/apple → :80"| n2' in text and 'n2 -->|"8080/TCP"| n3' in text
    assert 'Pod apple-1<br/>10.244.0.3' in text
    assert 'n1 -->|"fruit.example/banana → :80"| n4' in text and 'n4["Service banana"]' in text  # not read: by name
    assert len(_nodes(text)) == 4


def test_a_gateway_leads_to_its_route_and_the_route_to_its_backends() -> None:
    gateway = {"metadata": {"name": "gw"}, "spec": {"gatewayClassName": "traefik",
                                                     "listeners": [{"protocol": "HTTP", "port": 8000}]}}
    route = {"metadata": {"name": "r"}, "spec": {"parentRefs": [{"name": "gw"}], "hostnames": ["gw.example"],
                                                  "rules": [{"matches": [{"path": {"value": "/apple"}}],
                                                             "backendRefs": [{"name": "apple", "port": 80}]}]}}
    objects = {"gateway/gw": gateway, "httproute/r": route, "service/apple": APPLE}
    text = section_diagram([], objects, "ns", ["httproute/r", "gateway/gw"])
    assert text is not None
    assert 'n1["Gateway gw<br/>class traefik<br/>HTTP :8000"]' in text
    assert 'n2["HTTPRoute r<br/>gw.example"]' in text
    assert "  n1 --> n2" in text and 'n2 -->|"/apple → :80"| n3' in text
    assert 'n3 -.- n4' in text  # apple's endpoints were not read: no pods, said so


def _pod(name: str, **labels: str) -> dict[str, Any]:
    return {"metadata": {"name": name, "labels": labels}, "status": {"podIP": f"10.244.0.{len(name)}"}}


PODS = {"pods:": [_pod("web", app="web"), _pod("allowed", access="true"), _pod("denied")]}


def test_a_default_deny_policy_crosses_out_every_source_and_selects_every_pod() -> None:
    deny = {"metadata": {"name": "deny"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}
    text = section_diagram([], {"networkpolicy/deny": deny, **PODS}, "ns", ["networkpolicy/deny"])
    assert text is not None
    assert 'n1["NetworkPolicy deny<br/>pods (all)"]' in text
    assert sum('-->|"applies to"|' in line for line in text.splitlines()) == 3
    assert re.search(r'^  (n\d+) --x\|"deny"\| n1$', text, re.M)
    assert '["any source"]' in text


def test_an_allow_rule_draws_its_peers_with_the_pods_they_match_and_its_ports() -> None:
    allow = {"metadata": {"name": "allow"}, "spec": {
        "podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress", "Egress"],
        "ingress": [{"from": [{"podSelector": {"matchLabels": {"access": "true"}}},
                              {"namespaceSelector": {"matchExpressions": [{"key": "lab", "operator": "Exists"}]}}],
                     "ports": [{"protocol": "TCP", "port": 80}]}]}}
    text = section_diagram([], {"networkpolicy/allow": allow, **PODS}, "ns", ["networkpolicy/allow"])
    assert text is not None
    assert 'n1["NetworkPolicy allow<br/>pods app=web"]' in text
    assert re.search(r'n1 -->\|"applies to"\| n\d+', text) and text.count('"applies to"') == 1
    assert '["pods access=true<br/>Pod allowed"]' in text and '["namespaces lab"]' in text
    assert text.count('-->|"allow TCP/80"| n1') == 2
    assert re.search(r'^  n1 --x\|"deny egress"\| n\d+$', text, re.M) and '["any destination"]' in text


def test_a_scenario_can_choose_which_of_its_objects_the_diagram_shows() -> None:
    deny = {"metadata": {"name": "deny"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}
    objects = {**_objects(("web-1", "10.244.0.5", True)), "networkpolicy/deny": deny, **PODS}
    both = spec_diagram({"manifests": [SERVICE]}, ["service/web", "networkpolicy/deny"], objects, "ns")
    policy = spec_diagram({"manifests": [SERVICE], "diagram": ["networkpolicy/deny"]},
                          ["service/web", "networkpolicy/deny"], objects, "ns")
    assert both and policy and "Service web" in both and "NetworkPolicy deny" in both
    assert "Service web" not in policy and "NetworkPolicy deny" in policy
    assert spec_diagram({"manifests": [SERVICE], "diagram": False}, [], objects, "ns") is None


def test_a_section_reads_what_it_applied_and_the_pods_a_policy_selects() -> None:
    assert diagram_objects([SERVICE], ["service/web", "pod/x", "ingress/fruit", "networkpolicy/deny"]) == {
        "service/web", "endpoints/web", "ingress/fruit", "networkpolicy/deny", "pods:"}
    assert diagram_objects([], ["httproute/r", "gateway/gw"]) == {"httproute/r", "gateway/gw"}


def test_a_diagram_list_may_name_what_an_earlier_section_applied_and_is_read_for_it() -> None:
    spec = {"manifests": [], "diagram": ["networkpolicy/deny", "service/web"]}
    assert spec_objects(spec, []) == {"networkpolicy/deny", "service/web", "endpoints/web", "pods:"}
    assert spec_objects({"manifests": [SERVICE], "diagram": False}, ["ingress/x"]) == set()
    deny = {"metadata": {"name": "deny"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}
    text = spec_diagram(spec, [], {**_objects(("web-1", "10.244.0.5", True)), "networkpolicy/deny": deny}, "ns")
    assert text is not None and text.index("NetworkPolicy deny") < text.index("Service web")  # in the order given
