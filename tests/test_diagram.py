"""The per-section Mermaid topology: drawn from objects, escaped, stable, and only what the evidence holds."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from reportgen._diagram import diagram_objects, escape_label, section_diagram

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
