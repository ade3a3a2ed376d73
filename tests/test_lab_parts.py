"""The lab's optional parts, on the lab: a LoadBalancer address reached from this machine, and
what is still addressed to the pool after DNAT dropped here (proved by its route before any packet)."""

from __future__ import annotations

import ipaddress
import socket
import urllib.request

import lab
import pytest

pytestmark = pytest.mark.cluster
LB_POOL = ipaddress.ip_network("203.0.113.240/28")  # hack/lab/parts/lb.sh


@pytest.fixture
def ns():  # type: ignore[no-untyped-def]
    if "part lb:" not in lab.labcluster("status", timeout=60).stdout:
        pytest.skip("the lab runs without part lb")
    name = lab.create_namespace()
    yield name
    lab.delete_namespace(name)


def _route(ip: str) -> str:
    return lab.run(["ip", "-4", "-o", "route", "get", ip], check=True).stdout


def test_a_loadbalancer_address_is_reached_from_this_machine(ns: str) -> None:
    lab.apply([lab.deployment("web", 1, lab.pod_spec("nginx:alpine", ports=[{"containerPort": 80}])),
               lab.service("web", "web", 80, 80, type="LoadBalancer")], ns)
    lab.kubectl("rollout", "status", "deployment/web", "--timeout=90s", namespace=ns, timeout=100)
    ip = lab.wait_until(lambda: lab.kubectl_json("get", "service", "web", namespace=ns)["status"]
                        ["loadBalancer"]["ingress"][0]["ip"], timeout=60, what="a LoadBalancer address")
    assert ipaddress.ip_address(ip) in LB_POOL
    route = _route(ip)
    assert " dev cni0 " in route and " via " not in route, f"refusing to send: {route!r}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    page = lab.wait_until(lambda: opener.open(f"http://{ip}/", timeout=3).read().decode(), timeout=30,
                          what=f"http://{ip}/ from this machine")
    assert "Welcome to nginx" in page


def test_an_unassigned_pool_address_is_dropped_here() -> None:
    if "part lb:" not in lab.labcluster("status", timeout=60).stdout:
        pytest.skip("the lab runs without part lb")
    taken = {i.get("ip") for s in lab.kubectl_json("get", "services", "-A")["items"]
             for i in ((s.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []}
    free = next(str(a) for a in LB_POOL.hosts() if str(a) not in taken)
    route = _route(free)
    assert " dev cni0 " in route and " via " not in route, f"refusing to send: {route!r}"
    rules = lab.run(["iptables", "-t", "mangle", "-S", "REPORTGEN-LAB-CONTAIN"], check=True).stdout
    assert f"-d {LB_POOL} -j DROP" in rules, rules

    sock = socket.socket()
    sock.settimeout(2)
    try:
        with pytest.raises(OSError):
            sock.connect((free, 80))
    finally:
        sock.close()
