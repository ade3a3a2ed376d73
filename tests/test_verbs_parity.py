"""The verbs beyond ``get`` (logs, events, scale, label, patch, rollout, wait, delete, apply) against the lab's kubectl.

Two namespaces get the same objects (``tests/fixtures/verbs/workload.yaml``).
Each command line runs twice, in the same order: with the lab's kubectl in
one namespace, then through reportgen's port in the other, so both see the same
history. stdout, stderr and the exit code must match byte for byte once the
namespace names, pod-name suffixes and ages are masked. A ``rollout status``
compares its last line: the lines before it depend on timing, for kubectl too.
``logs --all-containers`` compares its lines in any order: kubectl ranges over
a Go map of requests, so its own order varies from run to run.
"""

from __future__ import annotations

import dataclasses
import json
import re
import secrets
import shlex
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reportgen._cluster import connect
from reportgen._kubectl import GetCommand, parse_command
from reportgen._kubectl._api import Api
from reportgen._kubectl._get_objects import get_output
from reportgen._kubectl._run import run_command
from reportgen._kubectl._watch import watch_text

pytestmark = pytest.mark.cluster

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "verbs"
KUBECTL = [str(ROOT / "hack" / "labcluster"), "kubectl"]
RUN = secrets.token_hex(3)
THEIRS, OURS = f"verbs-kubectl-{RUN}", f"verbs-ours-{RUN}"

# (command line after `kubectl -n NS`, how to compare)
SEQUENCE = [
    ("rollout status deploy/web --timeout=90s", "last"),
    ("wait --for=condition=Ready pod/duo --timeout=60s", "exact"),
    ("scale deploy/web --replicas=3", "exact"),
    ("scale deployment web --replicas=3", "exact"),
    ("scale deploy/nope --replicas=1", "exact"),
    ("rollout status deploy/web --timeout=90s", "last"),
    ("label deploy/web tier=front", "exact"),
    ("label deploy/web tier=back", "exact"),
    ("label deploy/web tier=back --overwrite", "exact"),
    ("label deploy/web tier=back", "exact"),
    ("label deploy/web missing-", "exact"),
    ("label deploy/web tier- extra=yes", "exact"),
    ("label pod/duo deploy/web shared=1", "exact"),
    ("label deploy/nope a=b", "exact"),
    ("annotate deploy/web note=hello", "exact"),
    ("annotate deploy/web note=again", "exact"),
    ("annotate deploy/web note-", "exact"),
    ("annotate deploy/web note-", "exact"),
    ("patch deploy/web --type merge -p '{\"metadata\":{\"labels\":{\"p\":\"q\"}}}'", "exact"),
    ("patch deploy/web --type merge -p '{\"metadata\":{\"labels\":{\"p\":\"q\"}}}'", "exact"),
    ("patch deploy/web --type json -p '[{\"op\":\"add\",\"path\":\"/metadata/labels/j\",\"value\":\"k\"}]'", "exact"),
    ("patch deploy/web -p '{\"metadata\":{\"annotations\":{\"s\":\"t\"}}}'", "exact"),
    ("patch deploy/nope -p '{}'", "exact"),
    ("set image deploy/web web=busybox:1.36", "exact"),
    ("set image deploy/web nope=busybox:1.36", "exact"),
    ("set image deploy/web web=docker.io/library/busybox:1.36", "exact"),
    ("rollout status deploy/web --timeout=90s", "last"),
    ("rollout history deploy/web", "exact"),
    ("rollout undo deploy/web --to-revision=9", "exact"),
    ("rollout undo deploy/web", "exact"),
    ("rollout status deploy/web --timeout=90s", "last"),
    ("rollout history deploy/web", "exact"),
    ("rollout pause deploy/web", "exact"),
    ("rollout pause deploy/web", "exact"),
    ("rollout undo deploy/web", "exact"),
    ("rollout restart deploy/web", "exact"),
    ("rollout resume deploy/web", "exact"),
    ("rollout resume deploy/web", "exact"),
    ("rollout status deploy/nope", "exact"),
    ("logs duo -c a", "exact"),
    ("logs duo", "exact"),
    ("logs pod/duo --all-containers", "lines"),  # kubectl ranges over a Go map: any container order
    ("logs duo -c b --prefix", "exact"),
    ("logs duo -c a --tail 1", "exact"),
    ("logs duo -c a --tail=0", "exact"),
    ("logs duo -c nope", "exact"),
    ("logs nope", "exact"),
    ("logs -l app=duo -c a", "exact"),
    ("logs -l app=nomatch", "exact"),
    ("logs duo -c a --since 1h", "exact"),
    ("wait --for=condition=Ready pod/nope --timeout=2s", "exact"),
    ("wait --for=condition=Ready=False pod/duo --timeout=2s", "exact"),
    ("wait --for=condition=Ready=False pod/duo deploy/web --timeout=2s", "exact"),
    ("wait --for=delete pod/nope --timeout=2s", "exact"),
    ("wait --for=condition=Available deploy/web --timeout=60s", "exact"),
    ("wait --for=jsonpath='{.status.phase}'=Running pod/duo --timeout=30s", "exact"),
    ("wait --for=jsonpath='{.status.phase}'=Failed pod/duo --timeout=2s", "exact"),
    ("wait --for=jsonpath='{.status.podIP}' pod/duo --timeout=10s", "exact"),
    ("events --for deploy/nope", "exact"),
    ("events --for pod/duo --types Warning", "ours"),
    ("events --for pod/duo --types Normal", "ours"),  # event times differ between the twins: read ours
    ("apply -f {fixtures}/extra.yaml", "exact"),
    ("apply -f {fixtures}/extra.yaml", "exact"),
    ("apply -f {fixtures}/extra-changed.yaml", "exact"),
    ("delete pod nope", "exact"),
    ("delete svc nope pod nope2", "exact"),
    ("delete pods -l app=nomatch", "exact"),
    ("delete configmap/settings svc/web", "exact"),
    ("delete pod/duo", "exact"),
]


def _kubectl(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KUBECTL, *args], capture_output=True, text=True, check=check)


@pytest.fixture(scope="module")
def api(lab_kubeconfig: str) -> Iterator[Api]:
    """Both namespaces with the workload, and the port's view of ours; deleted afterwards."""
    try:
        for namespace in (THEIRS, OURS):
            _kubectl("create", "namespace", namespace, check=True)
            _kubectl("-n", namespace, "apply", "-f", str(FIXTURES / "workload.yaml"), check=True)
        cluster = connect(lab_kubeconfig)
        _kubectl("-n", THEIRS, "rollout", "status", "deploy/web", "--timeout=90s")
        _kubectl("-n", OURS, "rollout", "status", "deploy/web", "--timeout=90s")
        yield Api(fetch=cluster.fetch, send=cluster.send, namespace=OURS, discovery=cluster.discovery,
                  watch=cluster.watch,
                  read_file=lambda name: Path(name).read_text(encoding="utf-8"), timeout=90)
    finally:
        for namespace in (THEIRS, OURS):
            _kubectl("delete", "namespace", namespace, "--wait=false")


def _mask(text: str, namespace: str) -> str:
    text = text.replace(namespace, "NS")
    text = re.sub(r"\bweb-[a-z0-9]{8,10}-[a-z0-9]{5}\b", "web-<pod>", text)
    text = re.sub(r"(?<= )\d+(?:[smhdy]\d*)+$", "<age>", text, flags=re.M)  # a table's last column, AGE
    return re.sub(r"^\d+[smhd]\S*( \(x\d+ over \S+\))?(?= {3})", "<age>", text, flags=re.M)


def _last_line(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return lines[-1] if lines else ""


def _theirs(line: str, namespace: str = THEIRS) -> tuple[str, str, int]:
    done = subprocess.run([*KUBECTL, "-n", namespace, *_argv(line)], capture_output=True, text=True)
    return done.stdout, done.stderr, done.returncode


def _argv(line: str) -> list[str]:
    return shlex.split(line)


def _ours(api: Any, line: str) -> tuple[str, str, int]:
    out = run_command(api, parse_command(f"kubectl {line}"))
    return out.stdout, out.stderr, out.exit_code


READS = [
    "get pods -o name",
    "get pods,deploy -o name",
    "get pods -o yaml",
    "get deploy web -o yaml",
    "get deploy/web pod/duo -o json",
    "get pods -o json -l app=duo",
    "get pods -o jsonpath='{.items[*].metadata.name}'",
    "get pods -o jsonpath='{range .items[*]}{.metadata.name}{\"\\t\"}{.status.phase}{\"\\n\"}{end}'",
    "get pod duo -o jsonpath='{.spec.containers[*].name}'",
    "get pods -o custom-columns=NAME:.metadata.name,PHASE:.status.phase,NODE:.spec.nodeName",
    "get pods -o custom-columns=NAME:.metadata.name --no-headers",
    "get pods --sort-by=.metadata.name",
    "get pods --sort-by=.metadata.name -o name",
    "get pods --show-labels",
    "get pods -L app -L pod-template-hash",
    "get pods --no-headers",
    "get pods --field-selector=status.phase=Running",
    "get pods --field-selector=metadata.name=duo -o name",
    "get svc -n kube-system -o yaml",
    "get nodes -o name",
    "get namespace kube-system -o json",
    "get configmap -n kube-system coredns -o yaml",
    "get deploy -n kube-system coredns -o jsonpath='{.spec.template.spec.containers[0].image}'",
    "get pods -o jsonpath='{.items[0].metadata.nope}'",
    "get pods -o jsonpath='{.items[0'",
    "get pods nope -o yaml",
    "get events --field-selector involvedObject.name=duo -o custom-columns=REASON:.reason,MESSAGE:.message",
    "get pod duo -o jsonpath='{.metadata.managedFields[0].manager}'",
]


@pytest.mark.parametrize("line", READS)
def test_get_output_formats_match_kubectl(api: Api, line: str) -> None:
    command = parse_command(f"kubectl {line}")
    assert isinstance(command, GetCommand)
    args = dataclasses.replace(command, namespace=command.namespace or OURS)
    for attempt in range(3):  # another test's cluster churn may land between the two reads
        time.sleep(attempt)
        done = subprocess.run([*KUBECTL, "-n", OURS, *_argv(line)], capture_output=True, text=True)
        out = get_output(api.fetch, args, discovery=api.discovery)
        ours, theirs = (out.stdout, out.stderr, out.exit_code), (done.stdout, done.stderr, done.returncode)
        if ours == theirs:
            break
    assert ours == theirs


WATCHES = [
    "get pods -w",
    "get deploy web -w --output-watch-events",
    "get pods -l app=duo --watch-only",
    "get pods,svc -w",
    "get pods nope -w",
]


@pytest.mark.parametrize("line", WATCHES)
def test_a_quiet_watch_matches_kubectl(api: Api, line: str) -> None:
    done = subprocess.run(["timeout", "3", *KUBECTL, "-n", THEIRS, *_argv(line)], capture_output=True, text=True)
    theirs = (_mask(done.stdout, THEIRS), _mask(done.stderr, THEIRS), 0 if done.returncode == 124 else 1)
    command = parse_command(f"kubectl {line}")
    assert isinstance(command, GetCommand)
    out = watch_text(api, dataclasses.replace(command, namespace=OURS), 3.0)
    assert (_mask(out.stdout, OURS), _mask(out.stderr, OURS), out.exit_code) == theirs


def test_a_watch_shows_a_pod_coming_up_and_stops_when_it_runs(api: Api) -> None:
    started = time.monotonic()
    threading.Timer(0.5, _kubectl, ["-n", OURS, "run", "late", "--image=busybox:1.36", "--", "sleep", "3600"]).start()
    command = parse_command("kubectl get pods -l run=late --watch")
    assert isinstance(command, GetCommand)
    out = watch_text(api, dataclasses.replace(command, namespace=OURS), 60.0, until=r"^late +1/1 +Running")
    rows = [line.split()[2] for line in out.stdout.splitlines()]
    assert rows[0] == "STATUS" and rows[-1] == "Running" and "ContainerCreating" in rows, out.stdout
    assert time.monotonic() - started < 50
    _kubectl("-n", OURS, "delete", "pod", "late", "--wait=false")


def test_every_verb_matches_kubectl(api: Api) -> None:
    mismatches = []
    for template, how in SEQUENCE:
        line = template.replace("{fixtures}", str(FIXTURES))
        theirs, ours = _theirs(line, OURS if how == "ours" else THEIRS), _ours(api, line)
        t_out, t_err = (_mask(text, OURS if how == "ours" else THEIRS) for text in theirs[:2])
        o_out, o_err = (_mask(text, OURS) for text in ours[:2])
        if how == "last":
            t_out, o_out = _last_line(t_out), _last_line(o_out)
        if how == "lines":
            t_out, o_out = "".join(sorted(t_out.splitlines(True))), "".join(sorted(o_out.splitlines(True)))
        if (t_out, t_err, theirs[2]) != (o_out, o_err, ours[2]):
            mismatches.append(f"kubectl {line}\n  kubectl:   {(t_out, t_err, theirs[2])!r}\n"
                              f"  reportgen: {(o_out, o_err, ours[2])!r}")
    assert not mismatches, "\n".join(mismatches)
    assert len(SEQUENCE) >= 60


def test_a_scenario_step_changes_no_cluster_scoped_object_but_its_own_namespace(api: Api) -> None:
    confined = dataclasses.replace(api, confined=True)
    node = run_command(confined, parse_command("kubectl label node labnode reportgen.dev/touched=yes", variables=()))
    assert node.exit_code == 1 and "is cluster-scoped" in node.stderr, node.stderr
    labels = json.loads(_kubectl("get", "node", "labnode", "-o", "json").stdout)["metadata"]["labels"]
    assert "reportgen.dev/touched" not in labels
    own = run_command(confined, parse_command(f"kubectl label namespace {OURS} lab-access=true", variables=()))
    assert (own.exit_code, own.stdout) == (0, f"namespace/{OURS} labeled\n"), own.stderr
    other = run_command(confined, parse_command(f"kubectl annotate namespace {THEIRS} a=b", variables=()))
    assert other.exit_code == 1 and "is cluster-scoped" in other.stderr, other.stderr
