"""The mid-lab changes scenario (scenarios/rollouts.yaml) against the lab: scale, self-healing,
a rollout and its undo, apply -f, and a StatefulSet watched until its last pod runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen._build import build
from reportgen._cleanup import Cleanup
from reportgen._cluster import ObjectRef, connect

pytestmark = pytest.mark.cluster
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def kept(lab_kubeconfig: str, tmp_path_factory: pytest.TempPathFactory):
    """Build rollouts.yaml with --keep, so the cluster can be read back; clean up after."""
    result = build(ROOT / "scenarios" / "rollouts.yaml", out_dir=tmp_path_factory.mktemp("out"),
                   kubeconfig=lab_kubeconfig, keep=True)
    cluster = connect(lab_kubeconfig)
    yield result, cluster
    cleanup = Cleanup(cluster, result.bundle.run_id)
    cleanup.created(ObjectRef("v1", "Namespace", result.bundle.namespace), owns_namespace=True)
    assert cleanup.run() == []


def test_every_check_passes(kept) -> None:
    result, _ = kept
    assert {c.id: c.status for c in result.bundle.all_checks()} == {
        c.id: "passed" for c in result.bundle.all_checks()}
    assert result.exit_code == 0


def test_the_changes_reached_the_cluster(kept) -> None:
    result, cluster = kept
    ns = result.bundle.namespace
    web = cluster.read("apps/v1", "Deployment", "web", ns)
    assert web is not None
    assert web["spec"]["replicas"] == 3
    assert web["metadata"]["labels"]["tier"] == "frontend"
    assert web["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"  # set image, then undo
    settings = cluster.read("v1", "ConfigMap", "web-settings", ns)
    assert settings is not None and settings["metadata"]["labels"]["reportgen.dev/run-id"] == result.bundle.run_id


def test_the_watch_saw_each_pod_run_before_the_next_began(kept) -> None:
    result, _ = kept
    rows = [line.split() for line in result.bundle.capture("db-watch").stdout.splitlines()[1:]]
    first_seen = {name: i for i, (name, *_rest) in reversed(list(enumerate(rows)))}
    running = {name: i for i, (name, _ready, status, *_rest) in enumerate(rows) if status == "Running"}
    assert running["db-0"] < first_seen["db-1"] and running["db-1"] < first_seen["db-2"], rows
    assert rows[-1][:3] == ["db-2", "1/1", "Running"]  # the watch stopped at its `until:` line
