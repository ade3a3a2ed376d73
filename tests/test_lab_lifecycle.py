"""`hack/labcluster down` leaves nothing behind, and `up` brings the lab back.

DESTRUCTIVE: this stops the shared lab cluster (everyone's pods go) and starts
a fresh one. It only runs when asked for by marker or environment:

    python -m pytest tests/test_lab_lifecycle.py -m lifecycle
    REPORTGEN_LAB_LIFECYCLE=1 python -m pytest tests/test_lab_lifecycle.py

`-m cluster` alone, or a plain `pytest`, skips it. Needs root (as the lab does).
Whatever `down` leaves, the test still runs `up` before it asserts anything,
so the lab is back up (if `up` works) even when the test fails.
"""
from __future__ import annotations

import glob
import os
import re

import pytest

try:  # tests/ as a package, or (pytest's default) as a rootdir on sys.path
    from . import lab
except ImportError:
    import lab

pytestmark = [pytest.mark.cluster, pytest.mark.lifecycle]

DOWN_TIMEOUT = 300
UP_TIMEOUT = 1800  # a missing build cache means building Kubernetes first
# Ports the lab's components listen on: etcd, API server, kubelet, kube-proxy,
# controller-manager, scheduler.
LAB_PORTS = {2379, 2380, 2381, 6443, 10248, 10249, 10250, 10256, 10257, 10259}
RULE_PATTERN = re.compile(r"KUBE-|CNI-|REPORTGEN-")


@pytest.fixture
def opted_in(request):
    markexpr = request.config.getoption("markexpr") or ""
    asked = re.search(r"(?<!not )\blifecycle\b", markexpr) or os.environ.get("REPORTGEN_LAB_LIFECYCLE") == "1"
    if not asked:
        pytest.skip("stops and restarts the shared lab: run with `-m lifecycle` or REPORTGEN_LAB_LIFECYCLE=1")
    if os.geteuid() != 0:
        pytest.skip("hack/labcluster up/down need root")


# --------------------------------------------------------------------------- leftovers

def _read(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return fh.read().decode(errors="replace")
    except OSError:
        return ""


def _under(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def leftover_processes() -> list[str]:
    cache, state, run = str(lab.CACHE_ROOT), str(lab.STATE_DIR), str(lab.RUN_DIR)
    found = []
    for proc in glob.glob("/proc/[0-9]*"):
        pid = int(proc.rsplit("/", 1)[1])
        if pid == os.getpid():
            continue
        stat = _read(f"{proc}/stat")
        if not stat or stat.rsplit(")", 1)[-1].split()[0] == "Z":  # gone, or a zombie
            continue
        cmdline = _read(f"{proc}/cmdline").replace("\0", " ").strip()
        try:
            exe = os.readlink(f"{proc}/exe")
        except OSError:
            exe = ""
        if os.path.basename(exe) == "kubectl":
            continue  # someone's `hack/labcluster kubectl`: a client, not part of the lab
        why = None
        if cache in cmdline or exe.startswith(cache + "/"):
            why = "runs from the lab cache"
        elif "containerd-shim" in cmdline or "containerd-shim" in exe:
            why = "a containerd shim"
        elif run in cmdline or (os.path.basename(exe).startswith("containerd") and state in cmdline):
            why = "uses the lab's containerd"  # (clients name the lab's kubeconfig: not counted)
        elif "kubepods" in _read(f"{proc}/cgroup"):
            why = "a container of a lab pod (kubepods cgroup)"
        if why:
            found.append(f"process {pid} ({why}): {cmdline or exe}")
    return found


def leftover_mounts() -> list[str]:
    roots = [str(lab.STATE_DIR), str(lab.RUN_DIR)]
    found = set()
    for table in ("/proc/self/mountinfo", "/proc/1/mountinfo"):
        for line in _read(table).splitlines():
            fields = line.split()
            if len(fields) < 5:
                continue
            point = fields[4].replace("\\040", " ")
            if _under(point, roots) or re.match(r"^/(var/)?run/netns/cni-", point):
                found.add(f"mount {point}")
    return sorted(found)


def leftover_files() -> list[str]:
    found = [f"state directory {d}" for d in (lab.STATE_DIR, lab.RUN_DIR) if d.exists()]
    found += [f"network namespace {p}" for p in sorted(set(glob.glob("/var/run/netns/cni-*") + glob.glob("/run/netns/cni-*")))]
    # libcni's result cache: entries for the lab's network and containerd's loopback.
    found += [f"CNI cache {p}" for p in sorted(glob.glob("/var/lib/cni/results/reportgen-lab-*")
                                            + glob.glob("/var/lib/cni/results/cni-loopback-*"))]
    found += [f"cgroup {p}" for p in sorted(glob.glob("/sys/fs/cgroup/*/kubepods*") + glob.glob("/sys/fs/cgroup/kubepods*"))]
    return found


def leftover_network() -> list[str]:
    found = []
    links = lab.run(["ip", "-o", "link", "show"], check=True).stdout
    for line in links.splitlines():
        name = line.split(": ", 2)[1].split("@")[0]
        if name == "cni0" or name.startswith("veth"):
            found.append(f"interface {name}")
    routes = lab.run(["ip", "-4", "route", "show"], check=True).stdout
    found += [f"route {r}" for r in routes.splitlines() if r.startswith(("10.244.", "10.96.")) or " dev cni0 " in r]
    for save in ("iptables-save", "ip6tables-save"):
        try:
            out = lab.run([save], timeout=60).stdout
        except (FileNotFoundError, lab.CommandError) as exc:
            found.append(f"{save} did not run: {exc}")
            continue
        found += [f"{save}: {rule}" for rule in out.splitlines() if RULE_PATTERN.search(rule)]
    try:  # part netpol's (kube-router's) sets
        found += [f"ipset {name}" for name in lab.run(["ipset", "list", "-n"], timeout=30).stdout.split()
                  if name.startswith("KUBE-")]
    except (FileNotFoundError, lab.CommandError) as exc:
        found.append(f"ipset did not run: {exc}")
    return found


def leftover_listeners() -> list[str]:
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in _read(table).splitlines()[1:]:
            fields = line.split()
            if len(fields) > 3 and fields[3] == "0A":  # LISTEN
                port = int(fields[1].rsplit(":", 1)[1], 16)
                if port in LAB_PORTS:
                    found.append(f"listener on port {port} ({table})")
    return found


def leftovers() -> list[str]:
    return (leftover_processes() + leftover_mounts() + leftover_files()
            + leftover_network() + leftover_listeners())


# --------------------------------------------------------------------------- the test

def _start_some_pods() -> str | None:
    """Give `down` something real to clean: pods with veths, netns, mounts, service rules."""
    ok, _ = lab.status()
    if not ok:
        return None
    ns = lab.create_namespace()
    # Slow to stop (30 s grace; busybox sleep ignores SIGTERM): `down` must neither wait nor leak.
    lab.apply([
        lab.deployment("web", 2, lab.pod_spec("nginx:alpine", grace=30, ports=[{"containerPort": 80}])),
        lab.service("web", "web", 8080, 80),
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "sleeper"},
         "spec": lab.pod_spec("busybox:1.36", grace=30, command=["sleep", "3600"])},
    ], ns)
    lab.kubectl("rollout", "status", "deployment/web", "--timeout=120s", namespace=ns, timeout=130)
    lab.kubectl("wait", "pod/sleeper", "--for=condition=Ready", "--timeout=120s", namespace=ns, timeout=130)
    return ns


def _pid(name: str) -> str:
    return _read(str(lab.RUN_DIR / f"{name}.pid")).strip()


def test_down_leaves_nothing_and_up_comes_back(opted_in):
    ns = _start_some_pods()
    before = leftovers()
    had_netpol = "part netpol" in lab.labcluster("status", timeout=60).stdout

    down = lab.labcluster("down", timeout=DOWN_TIMEOUT)
    after_down = leftovers()
    down_again = lab.labcluster("down", timeout=DOWN_TIMEOUT)  # `down` of a stopped lab
    after_down_again = leftovers()

    # Bring the lab back before judging, so a failure does not leave it down.
    up = lab.labcluster("up", "--with", "all", timeout=UP_TIMEOUT)  # every part, warm
    status = lab.labcluster("status", timeout=60)
    apiserver_pid = _pid("kube-apiserver")
    up_again = lab.labcluster("up", timeout=120)  # already up: nothing restarts

    if ns:  # the checks do see a running lab, so an empty list below means something
        kinds = {item.split()[0] for item in before}
        assert {"process", "mount", "interface", "iptables-save:"} <= kinds, before
        if had_netpol:  # kube-router's chains (its ipsets exist only while policies do)
            assert any("KUBE-ROUTER-" in item for item in before), before
    assert down.returncode == 0, down.stdout + down.stderr
    assert after_down == [], "left behind by `down`:\n" + "\n".join(after_down)
    assert down_again.returncode == 0, down_again.stdout + down_again.stderr
    assert after_down_again == [], "\n".join(after_down_again)

    assert up.returncode == 0, up.stdout + up.stderr
    assert status.returncode == 0, status.stdout + status.stderr
    assert "node labnode Ready" in status.stdout, status.stdout
    assert up_again.returncode == 0, up_again.stdout + up_again.stderr
    assert apiserver_pid and _pid("kube-apiserver") == apiserver_pid

    node = lab.kubectl_json("get", "node", lab.NODE_NAME)
    assert any(c["type"] == "Ready" and c["status"] == "True" for c in node["status"]["conditions"])
    lab.kubectl("-n", "kube-system", "rollout", "status", "deployment/coredns", "--timeout=60s", timeout=70)
    # The fresh lab has none of the old state.
    if ns:
        names = {n["metadata"]["name"] for n in lab.kubectl_json("get", "namespaces")["items"]}
        assert ns not in names, names
