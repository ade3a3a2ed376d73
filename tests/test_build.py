"""The whole pipeline against the lab: build the seed report and check its evidence
against the cluster itself."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from reportgen._build import build
from reportgen._cleanup import RUN_LABEL, Cleanup
from reportgen._cluster import ObjectRef, connect
from reportgen._dns import parse_capture
from reportgen._lint import lint_report

pytestmark = pytest.mark.cluster
ROOT = Path(__file__).resolve().parent.parent
AGE = re.compile(r"\b\d+(s|m|h|d)(\d+(s|m))?\b")


@pytest.fixture(scope="module")
def kept_build(lab_kubeconfig: str, tmp_path_factory: pytest.TempPathFactory):
    """Build services.yaml with --keep, so its objects can be read back; clean up after."""
    out = tmp_path_factory.mktemp("out")
    result = build(ROOT / "scenarios" / "services.yaml", out_dir=out, kubeconfig=lab_kubeconfig, keep=True)
    cluster = connect(lab_kubeconfig)
    yield result, cluster
    cleanup = Cleanup(cluster, result.bundle.run_id)
    cleanup.created(ObjectRef("v1", "Namespace", result.bundle.namespace), owns_namespace=True)
    assert cleanup.run() == []


def lab_kubectl(*args: str) -> str:
    return subprocess.run([str(ROOT / "hack" / "labcluster"), "kubectl", *args],
                          capture_output=True, text=True, check=True).stdout


def test_every_check_decided_as_expected(kept_build) -> None:
    result, _ = kept_build
    statuses = {c.id: c.status for c in result.bundle.all_checks()}
    undecided = {i for i, s in statuses.items() if s == "undecided"}
    # The lab has no upstream DNS and no egress: exactly the checks that need them stay open.
    assert undecided == {"externalname-check-2", "externalname-check-3"}, statuses
    assert {i for i, s in statuses.items() if s == "failed"} == set(), statuses
    assert result.exit_code == 0


def test_every_met_wait_records_its_reaction(kept_build) -> None:
    """From the answer that met it to handing back: recorded, and inside the wait's own duration."""
    result, _ = kept_build
    waits = [w for s in result.bundle.sections for w in s.waits]
    assert len(waits) == 7 and all(w.status == "met" for w in waits), waits
    assert all(w.reaction_s is not None and 0 <= w.reaction_s <= w.duration_s + 0.01 for w in waits), waits


def test_headless_lookup_returns_the_statefulset_pod_ips(kept_build) -> None:
    result, cluster = kept_build
    pods = cluster.list("pods", result.bundle.namespace, "app=mongodb")
    lookup = parse_capture(result.bundle.capture("headless-lookup"))
    assert len(pods) == 3
    assert sorted(lookup.addresses) == sorted(p["status"]["podIP"] for p in pods)


def test_per_pod_records_match_each_pod(kept_build) -> None:
    result, cluster = kept_build
    for ordinal in range(3):
        pod = cluster.read_typed("pod", f"mongodb-{ordinal}", result.bundle.namespace)
        lookup = parse_capture(result.bundle.capture(f"mongo-{ordinal}-lookup"))
        assert lookup.addresses == [pod["status"]["podIP"]]


def test_clusterip_lookup_returns_the_service_vip(kept_build) -> None:
    result, cluster = kept_build
    svc = cluster.read_typed("service", "mongodb-clusterip", result.bundle.namespace)
    assert parse_capture(result.bundle.capture("clusterip-lookup")).addresses == [svc["spec"]["clusterIP"]]


def test_get_captures_equal_lab_kubectl(kept_build) -> None:
    result, _ = kept_build
    ns = result.bundle.namespace
    for step_id, argv in {
        "backend-pods": ["get", "pods", "-l", "app=backend", "-o", "wide"],
        "backend-svc": ["get", "svc", "backend-service"],
        "mongo-pods": ["get", "pods", "-l", "app=mongodb", "-o", "wide"],
    }.items():
        captured = result.bundle.capture(step_id).stdout
        assert AGE.sub("AGE", captured) == AGE.sub("AGE", lab_kubectl(*argv, "-n", ns)), step_id


def test_report_is_written_and_lints(kept_build) -> None:
    result, _ = kept_build
    text = result.report.path.read_text(encoding="utf-8")
    assert lint_report(text) == []
    counts = result.bundle.counts()
    assert text.count("- [x]") == counts["passed"]
    assert result.bundle.capture("github-lookup").stdout in text


def test_cleanup_leaves_nothing_labelled(lab_kubeconfig: str, tmp_path: Path) -> None:
    result = build(ROOT / "scenarios" / "services.yaml", out_dir=tmp_path, kubeconfig=lab_kubeconfig)
    left = lab_kubectl("get", "all,namespaces", "-A", "-l", f"{RUN_LABEL}={result.bundle.run_id}", "-o", "name")
    assert left == ""


def test_render_from_the_bundle_reproduces_the_report(kept_build, tmp_path: Path) -> None:
    from reportgen._build import render

    result, _ = kept_build
    again = render(result.bundle_path, out=tmp_path / "again.md")
    assert again.path.read_text(encoding="utf-8") == result.report.path.read_text(encoding="utf-8")
