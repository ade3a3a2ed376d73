"""The lab cluster behaves like a real cluster, for the things reports show.

Runs against the lab that is already up (`hack/labcluster up`); every object
lives in one throwaway namespace `labtest-<hex>`, deleted at the end. The fake
"outside" host is a network namespace on this machine (TEST-NET-3 address on a
veth pair), so no test sends a packet off the machine.

    python -m pytest tests/test_lab.py -q -m cluster
"""
from __future__ import annotations

import ipaddress
import json
import os
import re
import secrets
import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

try:  # tests/ as a package, or (pytest's default) as a rootdir on sys.path
    from . import lab
except ImportError:
    import lab

pytestmark = pytest.mark.cluster

_up, _why = lab.status()
if not _up:
    pytest.skip(f"lab cluster is not up (`hack/labcluster status`: {_why}); "
                "start it with `hack/labcluster up`", allow_module_level=True)

WAIT = 120  # seconds: the most any object gets to become ready
NGINX_PAGE = "Welcome to nginx!"
EXTERNAL_NAME = "api.github.com"


# --------------------------------------------------------------------------- workload

def _workload() -> list[dict]:
    web_pod = lab.pod_spec("nginx:alpine", ports=[{"containerPort": 80}],
                           readinessProbe={"httpGet": {"path": "/", "port": 80}, "periodSeconds": 1})
    # The stand-in mongo:7 listens on 27017 from the start; the readiness delay
    # spaces the pods out, so ordered creation is visible in creationTimestamps.
    mongo_pod = lab.pod_spec("mongo:7", ports=[{"containerPort": 27017}],
                             readinessProbe={"tcpSocket": {"port": 27017},
                                             "initialDelaySeconds": 2, "periodSeconds": 1})
    return [
        lab.deployment("web", 3, web_pod),
        lab.service("web", "web", 8080, 80),
        lab.service("mongodb-headless", "mongodb", 27017, clusterIP="None"),
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "mongodb"},
         "spec": {"replicas": 3, "serviceName": "mongodb-headless", "podManagementPolicy": "OrderedReady",
                  "selector": {"matchLabels": {"app": "mongodb"}},
                  "template": {"metadata": {"labels": {"app": "mongodb"}}, "spec": mongo_pod}}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "github-api"},
         "spec": {"type": "ExternalName", "externalName": EXTERNAL_NAME}},
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "client"},
         "spec": lab.pod_spec("busybox:1.36", command=["sleep", "3600"])},
    ]


@pytest.fixture(scope="module")
def ns():
    """A fresh namespace holding the whole workload; deleted afterwards."""
    name = lab.create_namespace()
    try:
        lab.apply(_workload(), name)
        lab.kubectl("wait", "pod/client", "--for=condition=Ready", f"--timeout={WAIT}s",
                    namespace=name, timeout=WAIT + 10)
        yield name
    finally:
        lab.delete_namespace(name)


def fqdn(service: str, namespace: str) -> str:
    return f"{service}.{namespace}.svc.{lab.CLUSTER_DOMAIN}"


def rollout(kind_name: str, namespace: str) -> None:
    lab.kubectl("rollout", "status", kind_name, f"--timeout={WAIT}s", namespace=namespace, timeout=WAIT + 10)


def pods(namespace: str, selector: str) -> list[dict]:
    return lab.kubectl_json("get", "pods", "-l", selector, namespace=namespace)["items"]


def ready_endpoint_ips(namespace: str, service: str) -> set[str]:
    slices = lab.kubectl_json("get", "endpointslices", "-l", f"kubernetes.io/service-name={service}",
                              namespace=namespace)["items"]
    return {addr for s in slices for ep in s.get("endpoints") or []
            if (ep.get("conditions") or {}).get("ready") for addr in ep["addresses"]}


def all_pod_ips() -> set[str]:
    items = lab.kubectl_json("get", "pods", "--all-namespaces")["items"]
    return {ip["ip"] for p in items for ip in p["status"].get("podIPs") or []}


def nslookup(namespace: str, name: str) -> lab.NsLookup:
    proc = lab.exec_in(namespace, "client", "nslookup", name, timeout=30)
    return lab.parse_nslookup(proc.stdout, proc.stderr)


def pod_wget(namespace: str, url: str, seconds: int = 5):
    """busybox wget from the client pod, killed (exit 143) after SECONDS.

    Not `wget -T`: Debian's busybox-static 1.35 wget segfaults (exit 139) with -T.
    """
    return lab.exec_in(namespace, "client", "timeout", str(seconds), "wget", "-q", "-O-", url,
                       timeout=seconds + 25)


def nat_rules() -> list[str]:
    return lab.run(["iptables-save", "-t", "nat"], check=True, timeout=30).stdout.splitlines()


def kube_proxy_backends(cluster_ip: str, port: int) -> set[str]:
    """The DNAT targets kube-proxy programmed for CLUSTER_IP:PORT (empty if none yet)."""
    rules = nat_rules()
    svc_chains = [m.group(1) for r in rules if r.startswith("-A KUBE-SERVICES ")
                  and f"-d {cluster_ip}/32" in r and f"--dport {port} " in r
                  for m in [re.search(r"-j (KUBE-SVC-\S+)", r)] if m]
    seps = {m.group(1) for r in rules for c in svc_chains if r.startswith(f"-A {c} ")
            for m in [re.search(r"-j (KUBE-SEP-\S+)", r)] if m}
    return {m.group(1) for r in rules for s in seps if r.startswith(f"-A {s} ")
            for m in [re.search(r"--to-destination (\S+)", r)] if m}


def timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def ready_since(pod: dict) -> datetime | None:
    for cond in pod["status"].get("conditions") or []:
        if cond["type"] == "Ready" and cond["status"] == "True":
            return timestamp(cond["lastTransitionTime"])
    return None


# --------------------------------------------------------------------------- tests

def test_node_ready_and_versions():
    node = lab.kubectl_json("get", "node", lab.NODE_NAME)
    ready = [c for c in node["status"]["conditions"] if c["type"] == "Ready"]
    assert ready and ready[0]["status"] == "True", ready
    assert node["status"]["nodeInfo"]["kubeletVersion"].startswith("v1.34."), node["status"]["nodeInfo"]

    version = json.loads(lab.kubectl("version", "-o", "json").stdout)
    assert version["clientVersion"]["gitVersion"].startswith("v1.34."), version
    assert version["serverVersion"]["gitVersion"].startswith("v1.34."), version
    assert (version["clientVersion"]["major"], version["serverVersion"]["minor"]) == ("1", "34"), version


def test_deployment_ready_and_service_has_three_endpoints(ns):
    rollout("deployment/web", ns)
    deploy = lab.kubectl_json("get", "deployment", "web", namespace=ns)
    assert deploy["status"].get("readyReplicas") == 3, deploy["status"]

    svc = lab.kubectl_json("get", "service", "web", namespace=ns)
    cluster_ip = svc["spec"]["clusterIP"]
    assert ipaddress.ip_address(cluster_ip) in ipaddress.ip_network(lab.SERVICE_CIDR), cluster_ip
    assert [(p["port"], p["targetPort"]) for p in svc["spec"]["ports"]] == [(8080, 80)]

    web_ips = {p["status"]["podIP"] for p in pods(ns, "app=web")}
    assert len(web_ips) == 3, web_ips
    endpoints = lab.wait_until(lambda: ready_endpoint_ips(ns, "web"), ok=lambda eps: eps == web_ips,
                               timeout=30, what="3 ready endpoints for service web")
    assert endpoints == web_ips


def test_service_answers_through_kube_proxy(ns):
    rollout("deployment/web", ns)
    cluster_ip = lab.kubectl_json("get", "service", "web", namespace=ns)["spec"]["clusterIP"]
    web_ips = {p["status"]["podIP"] for p in pods(ns, "app=web")}

    # The ClusterIP is virtual: no pod has it, and it is outside the pod network.
    assert cluster_ip not in all_pod_ips()
    assert ipaddress.ip_address(cluster_ip) not in ipaddress.ip_network(lab.POD_CIDR)
    # kube-proxy turned it into DNAT rules, one per ready pod, to port 80.
    backends = lab.wait_until(lambda: kube_proxy_backends(cluster_ip, 8080),
                              ok=lambda b: b == {f"{ip}:80" for ip in web_ips},
                              timeout=30, what=f"kube-proxy DNAT rules for {cluster_ip}:8080")
    assert backends == {f"{ip}:80" for ip in web_ips}

    for target in ("web:8080", f"{fqdn('web', ns)}:8080", f"{cluster_ip}:8080"):
        proc = pod_wget(ns, f"http://{target}/")
        assert proc.returncode == 0, (target, proc.returncode, proc.stderr)
        assert NGINX_PAGE in proc.stdout, (target, proc.stdout[:300])


def test_dns_headless_service_lists_every_pod(ns):
    rollout("statefulset/mongodb", ns)
    pod_ips = {p["status"]["podIP"] for p in pods(ns, "app=mongodb")}
    assert len(pod_ips) == 3, pod_ips
    name = fqdn("mongodb-headless", ns)
    # Answers may lag the endpoints by CoreDNS's cache TTL (30 s).
    answer = lab.wait_until(lambda: nslookup(ns, name), ok=lambda a: set(a.ips) == pod_ips,
                            timeout=45, what=f"{name} to resolve to {sorted(pod_ips)}")
    assert answer.server == lab.DNS_IP
    assert sorted(answer.ips) == sorted(pod_ips)  # each pod exactly once
    assert {n for n, _ in answer.addresses} == {name}
    assert not answer.cnames


def test_dns_clusterip_service_is_its_one_virtual_ip(ns):
    cluster_ip = lab.kubectl_json("get", "service", "web", namespace=ns)["spec"]["clusterIP"]
    name = fqdn("web", ns)
    answer = lab.wait_until(lambda: nslookup(ns, name), ok=lambda a: a.ips, timeout=45, what=f"{name} to resolve")
    assert answer.server == lab.DNS_IP
    assert answer.addresses == [(name, cluster_ip)]
    assert cluster_ip not in all_pod_ips()


def test_dns_external_name_is_a_cname_that_never_resolves_further(ns):
    name = fqdn("github-api", ns)
    answer = nslookup(ns, name)
    assert answer.server == lab.DNS_IP
    assert (name, EXTERNAL_NAME) in answer.cnames, answer
    # The lab's DNS has no upstream: the CNAME is all there is, no address for it.
    assert answer.addresses == [], answer

    direct = lab.exec_in(ns, "client", "nslookup", EXTERNAL_NAME, timeout=30)
    lookup = lab.parse_nslookup(direct.stdout, direct.stderr)
    assert direct.returncode != 0 and lookup.addresses == [], direct.stdout
    assert any("can't find" in e for e in lookup.errors), lookup.errors

    corefile = lab.kubectl_json("get", "configmap", "coredns", namespace="kube-system")["data"]["Corefile"]
    assert not re.search(r"^\s*(forward|proxy)\b", corefile, re.M), corefile


def test_statefulset_pods_created_in_order_and_resolvable(ns):
    rollout("statefulset/mongodb", ns)
    by_ordinal = {int(p["metadata"]["name"].rsplit("-", 1)[1]): p for p in pods(ns, "app=mongodb")}
    assert sorted(by_ordinal) == [0, 1, 2], sorted(by_ordinal)
    for i in (1, 2):
        prev, cur = by_ordinal[i - 1], by_ordinal[i]
        created, prev_created = timestamp(cur["metadata"]["creationTimestamp"]), timestamp(prev["metadata"]["creationTimestamp"])
        prev_ready = ready_since(prev)
        assert prev_ready is not None, prev["status"]
        # OrderedReady: mongodb-i is only created once mongodb-(i-1) is Ready,
        # which takes >= 2 s (the readiness delay), so creations are seconds apart.
        assert created >= prev_ready, (cur["metadata"]["name"], created, prev_ready)
        assert (created - prev_created).total_seconds() >= 1, (created, prev_created)
        assert cur["metadata"]["labels"].get("apps.kubernetes.io/pod-index") == str(i)

    for i, pod in sorted(by_ordinal.items()):
        name = f"mongodb-{i}.{fqdn('mongodb-headless', ns)}"
        answer = lab.wait_until(lambda: nslookup(ns, name), ok=lambda a: a.ips, timeout=45,
                                what=f"{name} to resolve")
        assert answer.addresses == [(name, pod["status"]["podIP"])], answer


def test_exec_passes_stdout_stderr_and_exit_code(ns):
    proc = lab.exec_in(ns, "client", "sh", "-c", "echo out; echo err >&2; exit 3", timeout=30)
    assert proc.returncode == 3, proc
    assert proc.stdout == "out\n"
    assert proc.stderr.splitlines()[0] == "err", proc.stderr
    assert "out" not in proc.stderr

    ok = lab.exec_in(ns, "client", "sh", "-c", "printf 'a b\\n'; exit 0", timeout=30)
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "a b\n", "")


# --------------------------------------------------------------------------- egress

@dataclass
class OutsideHost:
    netns: str
    host_if: str
    host_ip: str
    ip: str
    port: int
    token: str
    log: Path

    def requested_paths(self) -> list[str]:
        return re.findall(r'"GET (\S+) HTTP', self.log.read_text(errors="replace"))


def _free_slash30() -> ipaddress.IPv4Network:
    """A /30 of TEST-NET-3 that nothing on this machine uses yet."""
    used = lab.run(["ip", "-4", "-o", "addr", "show"], check=True).stdout
    used += lab.run(["ip", "-4", "route", "show", "table", "all"], check=True).stdout
    for net in ipaddress.ip_network("203.0.113.0/24").subnets(new_prefix=30):
        if not any(str(ip) in used for ip in net):
            return net
    raise RuntimeError("no free /30 in 203.0.113.0/24")


@pytest.fixture(scope="module")
def outside_host(tmp_path_factory):
    """A fake host "outside" the cluster: an HTTP server in its own network
    namespace, on 203.0.113.x (TEST-NET-3) behind a veth pair on this machine."""
    if os.geteuid() != 0:
        pytest.skip("creating a network namespace and veth needs root")
    if not shutil.which("ip"):
        pytest.skip("iproute2 `ip` is missing")
    suffix = secrets.token_hex(3)
    netns, host_if, peer_if = f"labtest-{suffix}", f"labtest{suffix}h", f"labtest{suffix}n"
    net = _free_slash30()
    host_ip, ip = (str(a) for a in list(net.hosts())[:2])
    root = tmp_path_factory.mktemp("outside")
    token = f"outside-host-{secrets.token_hex(8)}"
    for path in ("from-host", "from-pod", "from-service"):
        (root / path).write_text(token + "\n")
    log = root / "http.log"
    server = None
    sh = lambda *a: lab.run(list(a), check=True, timeout=30)  # noqa: E731
    try:
        sh("ip", "netns", "add", netns)
        sh("ip", "link", "add", host_if, "type", "veth", "peer", "name", peer_if)
        sh("ip", "link", "set", peer_if, "netns", netns)
        sh("ip", "addr", "add", f"{host_ip}/30", "dev", host_if)
        sh("ip", "link", "set", host_if, "up")
        sh("ip", "-n", netns, "addr", "add", f"{ip}/30", "dev", peer_if)
        sh("ip", "-n", netns, "link", "set", peer_if, "up")
        sh("ip", "-n", netns, "link", "set", "lo", "up")
        sh("ip", "route", "replace", f"{ip}/32", "dev", host_if, "src", host_ip)
        # Never send anything unless the kernel keeps it on our veth.
        route = sh("ip", "-4", "-o", "route", "get", ip).stdout
        assert f" dev {host_if} " in route, f"refusing to continue: {ip} routes via {route!r}"
        with log.open("w") as log_file:
            server = subprocess.Popen(
                ["ip", "netns", "exec", netns, "python3", "-u", "-m", "http.server", "8080",
                 "--bind", ip, "--directory", str(root)],
                stdout=log_file, stderr=subprocess.STDOUT)
        host = OutsideHost(netns, host_if, host_ip, ip, 8080, token, log)
        lab.wait_until(lambda: server.poll() is None and "Serving HTTP" in log.read_text(),
                       timeout=15, what="the outside host's HTTP server")
        yield host
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
        lab.run(["ip", "netns", "del", netns], timeout=30)  # takes the veth pair with it
        lab.run(["ip", "link", "del", host_if], timeout=30)


def _host_get(url: str) -> str:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    with opener.open(url, timeout=5) as resp:
        return resp.read().decode()


def _assert_blocked(proc, what: str, token: str) -> None:
    # 143: `timeout` killed wget because no answer ever came (dropped, not
    # refused); anything else (e.g. 139, a crash) would prove nothing.
    assert proc.returncode == 143, f"{what}: expected a silent drop (143), got {proc.returncode}: {proc.stderr}"
    assert token not in proc.stdout


def test_pod_cannot_reach_outside_host_but_host_can(ns, outside_host):
    host = outside_host
    base = f"http://{host.ip}:{host.port}"

    # This machine reaches the outside host...
    assert _host_get(f"{base}/from-host").strip() == host.token
    # ...and the same pod command reaches things inside the cluster...
    rollout("deployment/web", ns)
    inside = pod_wget(ns, "http://web:8080/", seconds=3)
    assert inside.returncode == 0 and NGINX_PAGE in inside.stdout, (inside.returncode, inside.stderr)

    # ...but not the outside host: REPORTGEN-LAB-EGRESS drops it in mangle FORWARD.
    _assert_blocked(pod_wget(ns, f"{base}/from-pod", seconds=3), "pod -> outside host", host.token)

    # Nor through a Service whose endpoint is the outside host (kube-proxy's
    # DNAT comes before POSTROUTING, so the rule sees the real destination).
    lab.apply([
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "outside"},
         "spec": {"ports": [{"name": "http", "port": 8080, "targetPort": host.port}]}},
        {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
         "metadata": {"name": "outside-1", "labels": {"kubernetes.io/service-name": "outside"}},
         "addressType": "IPv4", "ports": [{"name": "http", "port": host.port, "protocol": "TCP"}],
         "endpoints": [{"addresses": [host.ip], "conditions": {"ready": True}}]},
    ], ns)
    svc_ip = lab.kubectl_json("get", "service", "outside", namespace=ns)["spec"]["clusterIP"]
    lab.wait_until(lambda: kube_proxy_backends(svc_ip, 8080), ok=lambda b: b == {f"{host.ip}:{host.port}"},
                   timeout=30, what=f"kube-proxy rules for {svc_ip}:8080 -> {host.ip}")
    _assert_blocked(pod_wget(ns, f"http://{svc_ip}:8080/from-service", seconds=3),
                    "pod -> service -> outside host", host.token)

    # The drop happened on this machine: the outside host only ever saw the host's request.
    time.sleep(0.5)
    assert host.requested_paths() == ["/from-host"], host.log.read_text()
    rules = lab.run(["iptables", "-t", "mangle", "-S", "REPORTGEN-LAB-EGRESS"], check=True).stdout
    assert "-j DROP" in rules, rules


# --------------------------------------------------------------------------- containment

SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")
POD_CIDR = ipaddress.ip_network("10.244.0.0/16")
NODE_POD_CIDR = ipaddress.ip_network("10.244.0.0/24")


def _unallocated_cluster_ip() -> str:
    """An address in the service network that no Service holds."""
    taken = {s["spec"].get("clusterIP") for s in lab.kubectl_json("get", "services", "-A")["items"]}
    for offset in range(0x4000, 0x5000, 7):
        candidate = str(SERVICE_CIDR[offset])
        if candidate not in taken:
            return candidate
    raise RuntimeError("no free ClusterIP")


def _contain_drops() -> dict[str, int]:
    """Packets dropped so far by REPORTGEN-LAB-CONTAIN, by destination network."""
    out = lab.run(["iptables", "-w", "-t", "mangle", "-L", "REPORTGEN-LAB-CONTAIN", "-v", "-x", "-n"],
                  check=True).stdout
    drops = {}
    for line in out.splitlines()[2:]:
        fields = line.split()
        if len(fields) >= 9 and fields[2] == "DROP":
            drops[fields[8]] = int(fields[0])
    return drops


def _route(*args: str) -> str:
    return lab.run(["ip", "-4", "-o", "route", "get", *args], check=True).stdout


def _host_connect(ip: str, port: int = 80) -> str:
    """A TCP connect from this machine; the errno name it ended with."""
    import socket
    sock = socket.socket()
    sock.settimeout(2)
    try:
        sock.connect((ip, port))
        return "connected"
    except OSError as err:
        return type(err).__name__ if err.errno is None else os.strerror(err.errno)
    finally:
        sock.close()


def test_unprogrammed_service_and_pod_addresses_are_dropped_on_this_machine(ns):
    cluster_ip = _unallocated_cluster_ip()
    off_node_pod = str(POD_CIDR[77 * 256 + 5])
    client_ip = lab.kubectl_json("get", "pod", "client", namespace=ns)["status"]["podIP"]
    assert ipaddress.ip_address(client_ip) in NODE_POD_CIDR
    # Prove every route stays on this machine before anything is sent.
    for target in (cluster_ip, off_node_pod):
        host_route = _route(target)
        pod_route = _route(target, "from", client_ip, "iif", "cni0")
        for route in (host_route, pod_route):
            assert " dev cni0 " in route and " via " not in route, f"refusing to send: {route!r}"

    before = _contain_drops()
    for target in (cluster_ip, off_node_pod):
        # From the host: POSTROUTING drops the SYN (and its retries); connect() never completes.
        assert _host_connect(target) in (os.strerror(1), "TimeoutError"), target  # EPERM or no answer
        # From a pod: the same chain drops it; wget gets no answer at all.
        proc = pod_wget(ns, f"http://{target}/", seconds=2)
        assert proc.returncode == 143, (target, proc.returncode, proc.stderr)
    after = _contain_drops()
    # Each connect retries its SYN; at least one from the host and one from the pod, per network.
    assert after[str(SERVICE_CIDR)] - before[str(SERVICE_CIDR)] >= 2, (before, after)
    assert after[str(POD_CIDR)] - before[str(POD_CIDR)] >= 2, (before, after)


def test_host_and_pods_still_reach_cluster_ips(ns):
    # The apiserver Service, from this machine and from a pod (TLS answers: the port is open).
    assert _host_connect("10.96.0.1", 443) == "connected"
    proc = lab.exec_in(ns, "client", "timeout", "5", "nc", "-z", "10.96.0.1", "443", timeout=30)
    assert proc.returncode == 0, proc
    # Cluster DNS from this machine, as `hack/labcluster status` asks it.
    dns = lab.run(["busybox", "nslookup", "kubernetes.default.svc.cluster.local", "10.96.0.10"], timeout=20)
    assert dns.returncode == 0 and "10.96.0.1" in dns.stdout, dns


# --------------------------------------------------------------------------- stand-in images

REAL_BUSYBOX_APPLETS = Path(__file__).parent / "fixtures" / "busybox-1.36-applets.txt"


def test_busybox_stand_in_has_every_applet_of_the_real_image(ns):
    real = {line for line in REAL_BUSYBOX_APPLETS.read_text().splitlines() if line and not line.startswith("#")}
    listed = lab.exec_in(ns, "client", "busybox", "--list", timeout=30)
    assert listed.returncode == 0, listed
    missing = real - set(listed.stdout.split())
    assert missing == set(), f"applets busybox:1.36 has and the lab's stand-in lacks: {sorted(missing)}"
    # Linked, not only compiled in: each one runs by its own name, as in the real image.
    linked = lab.exec_in(ns, "client", "sh", "-c", 'for a in $(busybox --list); do command -v "$a" >/dev/null '
                         '|| echo "$a"; done', timeout=30)
    assert linked.stdout == "", f"applets without a link: {linked.stdout.split()}"
    env = lab.exec_in(ns, "client", "printenv", "HOME", timeout=30)
    assert (env.returncode, env.stdout) == (0, "/root\n"), env
