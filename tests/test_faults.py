"""Fault injection against the lab: interrupts, an API server restart, a pod that
never becomes Ready, a forbidden verb, an unreachable cluster, bad input.

Every run must end with its documented exit code and leave nothing labelled.
"""

from __future__ import annotations

import base64
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reportgen._cleanup import RUN_LABEL
from reportgen._lint import code_lines, lint_report

pytestmark = pytest.mark.cluster
ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
LAB = str(ROOT / "hack" / "labcluster")
RUN_TIMEOUT_S = 300


def reportgen(*args: str, kubeconfig: str, **kwargs) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "reportgen", *args, "--kubeconfig", kubeconfig, "-q"]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=RUN_TIMEOUT_S)
    return proc.returncode, out, err


OUR_NAMESPACES = ("rg-slow-", "rg-never-ready-", "rg-rejected-")


def labelled_leftovers() -> str:
    """Objects of this module's runs still in the cluster (pods and namespaces included)."""
    result = subprocess.run([LAB, "kubectl", "get", "all,namespaces,secrets,configmaps", "-A",
                             "-l", RUN_LABEL, "-o", "json"], capture_output=True, text=True, check=True)
    left = [
        f"{item['kind']}/{item['metadata']['name']}"
        for item in json.loads(result.stdout)["items"]
        if (item["metadata"].get("namespace") or item["metadata"]["name"]).startswith(OUR_NAMESPACES)
    ]
    return " ".join(left)


@pytest.fixture(autouse=True)
def nothing_left_behind(lab_kubeconfig: str):
    yield
    assert labelled_leftovers() == ""


class Progress:
    """Reads a build's progress lines from its stderr as they come."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self.rest = ""
        self.thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self.thread.start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stderr:
            self.lines.append(line)

    def wait_for(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while len(self.lines) < count:
            assert time.monotonic() < deadline, f"only {len(self.lines)} progress lines: {self.lines}"
            time.sleep(0.02)

    def text(self) -> str:
        self.thread.join(timeout=30)
        return "".join(self.lines)


RUN_PHASES = 11  # progress lines of slow.yaml up to its 6 s exec step: facts, dry run, namespace, 3 applies, 3 waits, 2 steps


def test_interrupts_at_random_points_always_clean_up(lab_kubeconfig: str, tmp_path: Path) -> None:
    rng = random.Random(os.environ.get("REPORTGEN_FAULT_SEED", "4"))
    for attempt in range(5):
        phase, delay = rng.randrange(2, RUN_PHASES + 1), rng.uniform(0, 0.3)
        sig = rng.choice([signal.SIGINT, signal.SIGTERM])
        out = tmp_path / str(attempt)
        cmd = [sys.executable, "-m", "reportgen", "build", str(DATA / "slow.yaml"), "--out", str(out),
               "--kubeconfig", lab_kubeconfig]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        progress = Progress(proc)
        progress.wait_for(phase)
        time.sleep(delay)
        # Proof that the run had not finished: alive, not cleaning up, no report yet.
        seen = list(progress.lines)
        assert proc.poll() is None and not any("cleaning up" in line for line in seen), (attempt, seen)
        assert not (out / "slow.md").exists()
        proc.send_signal(sig)
        proc.wait(timeout=RUN_TIMEOUT_S)
        err = progress.text()
        where = (attempt, phase, seen[-1].strip(), sig)
        assert proc.returncode == 128 + sig, (*where, proc.returncode, err)
        assert "Traceback" not in err, err
        assert not (out / "slow.md").exists(), where
        assert labelled_leftovers() == "", where


def test_pod_that_never_becomes_ready(lab_kubeconfig: str, tmp_path: Path) -> None:
    code, _, err = finish(reportgen("build", str(DATA / "never-ready.yaml"), "--out", str(tmp_path),
                                    kubeconfig=lab_kubeconfig))
    assert code == 1, err
    bundle = json.loads((tmp_path / "never-ready.evidence.json").read_text())
    wait = bundle["sections"][0]["waits"][0]
    assert wait["status"] == "timeout"
    assert "ErrImagePull" in wait["last_state"] or "ImagePullBackOff" in wait["last_state"], wait
    assert any("Failed" in e or "BackOff" in e for e in wait["events"]), wait["events"]
    report = (tmp_path / "never-ready.md").read_text()
    assert "pod/stuck" in report and "ImagePull" in report


def test_api_server_restart_mid_run(lab_kubeconfig: str, tmp_path: Path) -> None:
    proc = reportgen("build", str(DATA / "slow.yaml"), "--out", str(tmp_path), kubeconfig=lab_kubeconfig)
    time.sleep(4)
    pid = int(Path("/run/reportgen-lab/kube-apiserver.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    time.sleep(3)
    subprocess.run([LAB, "up"], check=True, capture_output=True)
    code, _, err = finish(proc)  # never hangs: finish() would raise TimeoutExpired
    assert code in (0, 1), err
    assert "Traceback" not in err, err


def _limited_kubeconfig(lab_kubeconfig: str, tmp_path: Path, without: str) -> str:
    """A kubeconfig for a ServiceAccount bound to docs/rbac.yaml minus one resource."""
    role = (ROOT / "docs" / "rbac.yaml").read_text().replace("name: reportgen\n", "name: reportgen-limited\n")
    role = role.replace(f"{without}, ", "").replace(f", {without}", "")
    kubectl = [LAB, "kubectl"]
    subprocess.run([*kubectl, "apply", "-f", "-"], input=role, text=True, check=True, capture_output=True)
    for cmd in (["create", "namespace", "rg-test-rbac"],
                ["-n", "rg-test-rbac", "create", "serviceaccount", "limited"],
                ["create", "clusterrolebinding", "reportgen-limited", "--clusterrole=reportgen-limited",
                 "--serviceaccount=rg-test-rbac:limited"]):
        subprocess.run([*kubectl, *cmd], capture_output=True)
    token = subprocess.run([*kubectl, "-n", "rg-test-rbac", "create", "token", "limited"],
                           capture_output=True, text=True, check=True).stdout.strip()
    ca = base64.b64encode((Path(lab_kubeconfig).parent / "ca.crt").read_bytes()).decode()
    path = tmp_path / "limited.kubeconfig"
    path.write_text(json.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": "limited",
        "clusters": [{"name": "lab", "cluster": {"server": "https://127.0.0.1:6443",
                                                 "certificate-authority-data": ca}}],
        "users": [{"name": "limited", "user": {"token": token}}],
        "contexts": [{"name": "limited", "context": {"cluster": "lab", "user": "limited"}}],
    }))
    return str(path)


@pytest.fixture
def rbac_cleanup():
    yield
    for cmd in (["delete", "clusterrolebinding", "reportgen-limited"], ["delete", "clusterrole", "reportgen-limited"],
                ["delete", "namespace", "rg-test-rbac", "--wait=true"]):
        subprocess.run([LAB, "kubectl", *cmd], capture_output=True)


def test_forbidden_exec_is_named_in_the_evidence(lab_kubeconfig: str, tmp_path: Path, rbac_cleanup) -> None:
    limited = _limited_kubeconfig(lab_kubeconfig, tmp_path, without="pods/exec")
    code, _, err = finish(reportgen("build", str(DATA / "slow.yaml"), "--out", str(tmp_path), kubeconfig=limited))
    assert code == 1, err
    bundle = json.loads((tmp_path / "slow.evidence.json").read_text())
    loop = next(c for c in bundle["sections"][0]["captures"] if c["step_id"] == "loop")
    assert "Forbidden" in loop["reason"] and "pods/exec" in loop["reason"], loop
    assert bundle["namespace"] in loop["reason"]


def test_forbidden_namespace_creation_exits_2_before_any_work(lab_kubeconfig: str, tmp_path: Path,
                                                             rbac_cleanup) -> None:
    limited = _limited_kubeconfig(lab_kubeconfig, tmp_path, without="create")
    code, _, err = finish(reportgen("build", str(DATA / "slow.yaml"), "--out", str(tmp_path), kubeconfig=limited))
    assert code == 2, err
    assert "forbidden" in err.lower() and "Traceback" not in err, err
    assert not list(tmp_path.glob("*.md"))


def test_unreachable_cluster_exits_2_with_one_line(tmp_path: Path) -> None:
    dead = tmp_path / "dead.kubeconfig"
    dead.write_text(json.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": "dead",
        "clusters": [{"name": "dead", "cluster": {"server": "https://127.0.0.1:1"}}],
        "users": [{"name": "u", "user": {"token": "x"}}],
        "contexts": [{"name": "dead", "context": {"cluster": "dead", "user": "u"}}],
    }))
    started = time.monotonic()
    code, _, err = finish(reportgen("build", str(DATA / "slow.yaml"), kubeconfig=str(dead)))
    assert code == 2 and "unreachable" in err and "Traceback" not in err, err
    assert time.monotonic() - started < 30
    code, _, err = finish(reportgen("build", str(DATA / "slow.yaml"), "--context", "nope", kubeconfig=str(dead)))
    assert code == 2 and "nope" in err, err


def test_rejected_manifest_is_caught_by_the_dry_run(lab_kubeconfig: str, tmp_path: Path) -> None:
    code, _, err = finish(reportgen("build", str(DATA / "rejected.yaml"), "--out", str(tmp_path),
                                    kubeconfig=lab_kubeconfig))
    assert code == 2, err
    assert "rejected.yaml:" in err and "70000" in err and "hint:" in err, err


def test_exec_faults_are_recorded_and_bounded(lab_kubeconfig: str, tmp_path: Path) -> None:
    code, _, err = finish(reportgen("build", str(DATA / "exec-faults.yaml"), "--out", str(tmp_path),
                                    kubeconfig=lab_kubeconfig))
    assert code == 1, err  # a missing pod is a broken step
    bundle = json.loads((tmp_path / "exec-faults.evidence.json").read_text())
    caps = {c["step_id"]: c for c in bundle["sections"][0]["captures"]}
    assert caps["no-pod"]["status"] == "error" and 'pods "ghost" not found' in caps["no-pod"]["reason"]
    assert caps["no-container"]["status"] == "error" and "ghost" in caps["no-container"]["reason"]
    assert (caps["exit-3"]["exit_code"], caps["exit-3"]["stdout"], caps["exit-3"]["stderr"]) == (3, "out\n", "err\n")
    assert caps["binary"]["exit_code"] == 0 and caps["binary"]["stdout"]
    assert len(caps["large"]["stdout"]) == 900000 and not caps["large"]["truncated"]  # every byte arrives
    assert caps["huge"]["truncated"] and len(caps["huge"]["stdout"].encode()) == 1 << 20
    report = (tmp_path / "exec-faults.md").read_text()
    assert lint_report(report) == []
    tasks = [line for i, line in enumerate(report.splitlines(), 1)
             if line.startswith("- [") and i not in code_lines(report)]
    assert len(tasks) == len(bundle["sections"][0]["checks"]), tasks  # the fake "- [x]" stayed in its fence


def test_keep_on_failure_keeps_and_gc_collects(lab_kubeconfig: str, tmp_path: Path) -> None:
    code, _, err = finish(reportgen("build", str(DATA / "never-ready.yaml"), "--out", str(tmp_path),
                                    "--keep-on-failure", kubeconfig=lab_kubeconfig))
    assert code == 1, err
    namespace = json.loads((tmp_path / "never-ready.evidence.json").read_text())["namespace"]
    assert f"Namespace/{namespace}" in labelled_leftovers()  # kept for debugging
    gc = subprocess.run([sys.executable, "-m", "reportgen", "gc", "--kubeconfig", lab_kubeconfig],
                        cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert gc.returncode == 0, gc.stderr
    assert f"namespace/{namespace}" in gc.stdout
    assert labelled_leftovers() == ""
