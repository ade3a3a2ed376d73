"""``kubectl top pod|node`` against the lab's kubectl, byte for byte (stdout, stderr, exit code).

Needs the lab with its metrics part (``hack/labcluster up --with metrics``). Usage
changes between any two reads, so each comparison reads reportgen, kubectl, then
reportgen again, and passes when kubectl's output equals either of reportgen's:
metrics-server refreshes every 10 s (``--metric-resolution 10s``), so reads a
moment apart almost always see the same sample. A comparison that still differs
is retried a few times, a few seconds apart, before it fails. Without the metrics
API the tests skip (the ``metrics`` capability, as reports decide it), except
under ``REPORTGEN_REQUIRE_LAB=1`` (``hack/test``), which brings the lab up with
every part: there a missing metrics API fails.
"""

from __future__ import annotations

import os
import secrets
import shlex
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reportgen._cluster import Cluster, connect, context_namespace
from reportgen._cluster._facts import capabilities, read_facts
from reportgen._kubectl import TopCommand, parse_command
from reportgen._kubectl._api import Api
from reportgen._kubectl._run import run_command

pytestmark = pytest.mark.cluster

ROOT = Path(__file__).resolve().parent.parent
KUBECTL = [str(ROOT / "hack" / "labcluster"), "kubectl"]
REPORTGEN = [str(ROOT / ".venv" / "bin" / "reportgen")]
EMPTY = f"top-empty-{secrets.token_hex(3)}"
ATTEMPTS = 5

Result = tuple[str, str, int]

LINES = [
    "top nodes",
    "top node",
    "top nodes --no-headers",
    "top nodes --sort-by=memory",
    "top nodes --sort-by=cpu --show-capacity",
    "top node lab-node",  # the lab's one node (hack/lab/common.sh NODE_NAME)
    "top node nope",
    "top pods -A",
    "top pods -A --no-headers",
    "top pods -A --sort-by=memory",
    "top pods -A --sort-by=cpu",
    "top pods -A --sum",
    "top pods -n kube-system --containers",
    "top pods -n kube-system --containers --sort-by=memory --no-headers",
    "top pods -n kube-system -l k8s-app=kube-dns",
    "top pods -n kube-system --field-selector=metadata.namespace=kube-system --sum --no-headers",
    "top pod nope -n kube-system",
    f"top pods -n {EMPTY}",
]


@pytest.fixture(scope="module")
def cluster(lab_kubeconfig: str) -> Iterator[Cluster]:
    """The lab, once its metrics API is known to serve; an empty namespace for "No resources found"."""
    cluster = connect(lab_kubeconfig)
    if not capabilities(read_facts(cluster)).get("metrics"):
        message = "the lab has no metrics API (capability `metrics`; run hack/labcluster up --with metrics)"
        if os.environ.get("REPORTGEN_REQUIRE_LAB"):
            pytest.fail(message)
        pytest.skip(message)
    subprocess.run([*KUBECTL, "create", "namespace", EMPTY], capture_output=True, check=True)
    try:
        yield cluster
    finally:
        subprocess.run([*KUBECTL, "delete", "namespace", EMPTY, "--wait=false"], capture_output=True)


def _node_name(line: str, cluster: Cluster) -> str:
    names = [n["metadata"]["name"] for n in cluster.list("nodes", None)]
    return line.replace("lab-node", names[0])


def _theirs(line: str) -> Result:
    done = subprocess.run([*KUBECTL, *shlex.split(line)], capture_output=True, text=True)
    return done.stdout, done.stderr, done.returncode


def _port(cluster: Cluster, kubeconfig: str) -> Callable[[str], Result]:
    default = context_namespace(kubeconfig, None)

    def ours(line: str) -> Result:
        command = parse_command(f"kubectl {line}")
        assert isinstance(command, TopCommand)
        api = Api(fetch=cluster.fetch, send=cluster.send, discovery=cluster.discovery,
                  namespace=command.namespace or default)
        out = run_command(api, command)
        return out.stdout, out.stderr, out.exit_code
    return ours


def _compare(line: str, ours: Callable[[str], Result]) -> None:
    """kubectl's read sandwiched between two of ours, retried: usage moves between samples."""
    seen: list[tuple[Result, Result, Result]] = []
    for attempt in range(ATTEMPTS):
        time.sleep(3 * attempt)
        before, theirs, after = ours(line), _theirs(line), ours(line)
        if theirs in (before, after):
            return
        seen.append((before, theirs, after))
    before, theirs, after = seen[-1]
    assert before == theirs, f"kubectl {line}: no read of {ATTEMPTS} agreed\n  after: {after!r}"


@pytest.mark.parametrize("line", LINES)
def test_top_matches_kubectl(cluster: Cluster, lab_kubeconfig: str, line: str) -> None:
    _compare(_node_name(line, cluster), _port(cluster, lab_kubeconfig))


@pytest.mark.parametrize("line", ["top nodes", "top pods -n kube-system --containers"])
def test_the_preview_command_matches_kubectl(cluster: Cluster, lab_kubeconfig: str, line: str) -> None:
    """``reportgen top ...`` (the CLI preview) prints what kubectl prints, with its exit code."""
    def ours(text: str) -> Result:
        done = subprocess.run([*REPORTGEN, *shlex.split(text), "--kubeconfig", lab_kubeconfig],
                              capture_output=True, text=True)
        return done.stdout, done.stderr, done.returncode
    _compare(line, ours)
