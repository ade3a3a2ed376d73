"""The NetworkPolicy lab (scenarios/networkpolicy.yaml) with the lab's enforcer, and without it.

With part netpol (kube-router) every check is decided and holds. With the enforcer
stopped while the node still says it has one, the default-deny never takes: the wait
for it times out, saying the pod still answered, and no "denied" check is ticked.
"""

from __future__ import annotations

from pathlib import Path

import lab
import pytest

from reportgen._build import build

pytestmark = pytest.mark.cluster
ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "networkpolicy.yaml"
DENY_CHECKS = ("deny-blocks-labelled", "deny-blocks-unlabelled", "label-still-denies", "namespace-unlabelled-denies")


def statuses(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {c.id: c.status for c in result.bundle.all_checks()}


@pytest.fixture
def enforcer() -> None:
    state = lab.labcluster("status", timeout=60)
    if "part netpol: kube-router" not in state.stdout:
        pytest.skip(f"the lab runs without part netpol: {state.stdout.strip()}")
    assert "KUBE-ROUTER-FORWARD" in lab.run(["iptables", "-S"], check=True).stdout


def test_with_the_enforcer_every_check_is_decided_and_holds(enforcer: None, lab_kubeconfig: str,
                                                            tmp_path: Path) -> None:
    result = build(SCENARIO, out_dir=tmp_path, kubeconfig=lab_kubeconfig)
    assert set(statuses(result).values()) == {"passed"}, statuses(result)
    for step in ("allowed-denied", "denied-denied", "denied-after", "denied-unlabelled-ns"):
        denied = result.bundle.capture(step)
        # kube-router REJECTs (pkg/controllers/netpol/pod.go): refused at once, not timed out
        assert denied.exit_code == 1 and "Connection refused" in denied.stderr, (step, denied.exit_code, denied.stderr)
    # what the steps applied counts as applied, and is drawn as the run read it back
    assert [s.applied for s in result.bundle.sections] == [
        ["pod/web", "service/web", "pod/allowed", "pod/denied", "networkpolicy/default-deny-ingress"],
        ["networkpolicy/web-allow-access"], ["networkpolicy/web-allow-labelled-namespace"], []]
    policy = result.bundle.objects["networkpolicy/web-allow-access"]
    assert policy["spec"]["podSelector"] == {"matchLabels": {"app": "web"}}
    assert sorted(p["metadata"]["name"] for p in result.bundle.objects["pods:"]) == ["allowed", "denied", "web"]
    report = result.report.path.read_text(encoding="utf-8")
    assert report.count('--x|"deny"|') == 3 and '["pods access=true<br/>Pod allowed"]' in report


def test_without_the_enforcer_the_deny_check_is_not_ticked(enforcer: None, lab_kubeconfig: str,
                                                           tmp_path: Path) -> None:
    lab.labcluster("stop-part", "netpol", timeout=120, check=True)
    try:
        assert "KUBE-ROUTER-FORWARD" not in lab.run(["iptables", "-S"], check=True).stdout
        result = build(SCENARIO, out_dir=tmp_path, kubeconfig=lab_kubeconfig)
    finally:
        lab.labcluster("up", "--with", "netpol", timeout=600, check=True)
    for check in DENY_CHECKS:
        assert statuses(result)[check] != "passed", statuses(result)
    assert result.exit_code != 0
    wait = result.bundle.sections[1].waits[0]
    assert wait.status == "timeout" and "still answered" in wait.last_state, wait
    report = result.report.path.read_text(encoding="utf-8")
    assert "- [x] 기본 거부 뒤에는 레이블 없는 파드도 차단됨" not in report
    assert "- [ ] 기본 거부 뒤에는 레이블 없는 파드도 차단됨" in report
