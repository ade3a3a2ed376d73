"""Nightly regeneration on the lab: no churn, drift shown, the user's text kept, many scenarios at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import junitparser
import lab
import pytest
import yaml

pytestmark = pytest.mark.cluster
ROOT = Path(__file__).resolve().parent.parent


def lab_scenario(replicas: int = 2, *, title: str = "Nightly lab", name: str = "web") -> str:
    return yaml.safe_dump({
        "report": {"title": title, "language": "en"},
        "sections": [{
            "id": "web", "title": "Web",
            "manifests": [
                {"inline": {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
                            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                                     "template": {"metadata": {"labels": {"app": name}}, "spec": {
                                         "containers": [{"name": "nginx", "image": "nginx:alpine",
                                                         "readinessProbe": {"tcpSocket": {"port": 80},
                                                                            "periodSeconds": 1}}]}}}}},
            ],
            "wait": [{"rollout": f"deployment/{name}"}],
            "blocks": [{"steps": [{"id": "pods", "run": f"kubectl get deploy {name}"}]}],
            "checks": [{"title": "two replicas are ready", "object": f"deployment/{name}",
                        "path": "status.readyReplicas", "equals": 2}],
        }],
        "reflections": "Written by hand at first.",
    }, sort_keys=False)


def reportgen(*args: str, kubeconfig: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reportgen", *args, "--kubeconfig", kubeconfig, "-q"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)


def files(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


def test_an_unchanged_lab_rebuilt_writes_no_file(lab_kubeconfig: str, tmp_path: Path) -> None:
    scenario = tmp_path / "lab" / "nightly.yaml"
    scenario.parent.mkdir()
    scenario.write_text(lab_scenario(), encoding="utf-8")
    args = ["build", str(scenario), "--out", str(tmp_path / "out"), "--vault", str(tmp_path / "vault")]
    first = reportgen(*args, kubeconfig=lab_kubeconfig)
    assert first.returncode == 0, first.stderr
    before = files(tmp_path / "out") | {f"vault/{k}": v for k, v in files(tmp_path / "vault").items()}
    second = reportgen(*args, kubeconfig=lab_kubeconfig)
    assert second.returncode == 0, second.stderr
    after = files(tmp_path / "out") | {f"vault/{k}": v for k, v in files(tmp_path / "vault").items()}
    assert after == before, sorted(set(after.items()) ^ set(before.items()))
    assert "unchanged" in second.stdout


def test_a_real_change_rewrites_the_note_with_its_drift_and_keeps_the_users_text(lab_kubeconfig: str,
                                                                              tmp_path: Path) -> None:
    scenario = tmp_path / "nightly.yaml"
    scenario.write_text(lab_scenario(2), encoding="utf-8")
    vault = tmp_path / "vault"
    args = ["build", str(scenario), "--out", str(tmp_path / "out"), "--vault", str(vault)]
    assert reportgen(*args, kubeconfig=lab_kubeconfig).returncode == 0
    note = vault / "Nightly lab.md"
    text = note.read_text(encoding="utf-8")
    mine = text.replace("Written by hand at first.", "My own words.").replace("\n---\n", "\nrating: 5\n---\n", 1)
    note.write_text(mine, encoding="utf-8")
    scenario.write_text(lab_scenario(3), encoding="utf-8")  # one replica more: the check flips
    for _ in range(3):
        result = reportgen(*args, kubeconfig=lab_kubeconfig)
        assert result.returncode == 1, result.stderr
        assert "edited outside" not in result.stderr, result.stderr
    text = note.read_text(encoding="utf-8")
    assert "My own words." in text and "\nrating: 5\n" in text
    assert (tmp_path / "out" / "nightly.previous.evidence.json").exists()


def test_the_first_changed_rebuild_names_what_changed(lab_kubeconfig: str, tmp_path: Path) -> None:
    scenario = tmp_path / "nightly.yaml"
    scenario.write_text(lab_scenario(2), encoding="utf-8")
    args = ["build", str(scenario), "--out", str(tmp_path / "out")]
    assert reportgen(*args, kubeconfig=lab_kubeconfig).returncode == 0
    scenario.write_text(lab_scenario(3), encoding="utf-8")
    assert reportgen(*args, kubeconfig=lab_kubeconfig).returncode == 1
    text = (tmp_path / "out" / "nightly.md").read_text(encoding="utf-8")
    callout = text[text.index("> [!abstract]- Changes since the last run"):]
    callout = callout[: callout.index("\n\n")]
    assert "Check that flipped: two replicas are ready (passed → failed)" in callout, callout
    assert "Output that changed in step `pods`" in callout and "3/3" in callout, callout


def test_many_scenarios_at_once_one_failing_one_invalid(lab_kubeconfig: str, tmp_path: Path) -> None:
    labs = tmp_path / "labs"
    for i in range(4):
        (labs / f"team{i % 2}").mkdir(parents=True, exist_ok=True)
        (labs / f"team{i % 2}" / f"lab{i}.yaml").write_text(lab_scenario(2, title=f"Lab {i}", name=f"web{i}"))
    (labs / "team0" / "lab0.yaml").rename(labs / "team1" / "same.yaml")
    (labs / "team0" / "same.yaml").write_text(lab_scenario(2, title="Same name", name="same"))
    (labs / "failing.yaml").write_text(lab_scenario(3, title="Failing lab", name="failing"))
    (labs / "invalid.yaml").write_text("report: {title: Broken}\nsections: [{id: x}]\n")
    (labs / "team0" / "manifest.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: not-a-lab}\n")
    junit, summary = tmp_path / "junit.xml", tmp_path / "summary.json"
    vault = tmp_path / "vault"
    result = reportgen("build", str(labs), "--jobs", "4", "--out", str(tmp_path / "out"), "--junit", str(junit),
                       "--json", str(summary), "--vault", str(vault), "--folder", "Labs", kubeconfig=lab_kubeconfig)
    assert result.returncode == 2, (result.stdout, result.stderr)
    reports = {str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*.md")}
    assert reports == {"failing.md", "team0/same.md", "team0/lab2.md", "team1/lab1.md", "team1/lab3.md",
                       "team1/same.md"}, reports
    (suite,) = junitparser.JUnitXml.fromfile(str(junit))
    assert (suite.tests, suite.failures, suite.errors) == (7, 1, 1)
    failing = {case.name: type(case.result[0]).__name__ for case in suite if case.result}
    assert failing == {str(labs / "failing.yaml"): "Failure", str(labs / "invalid.yaml"): "Error"}, failing
    data = json.loads(summary.read_text())
    assert data["exit_code"] == 2 and len(data["scenarios"]) == 7
    assert "scenario" in result.stdout.splitlines()[0]  # the summary table
    # Obsidian's view of the vault: the index links every note, every note points up to the index.
    import obsidiantools.api as obsidian

    graph = obsidian.Vault(vault).connect().gather()
    notes = set(graph.md_file_index) - {"Lab reports"}
    assert len(notes) == 6, notes
    assert set(graph.wikilinks_index["Lab reports"]) == notes
    assert not set(graph.nonexistent_notes) & set(graph.wikilinks_index["Lab reports"])
    assert all(graph.front_matter_index[n].get("up") == "[[Lab reports]]" for n in notes)
    assert (vault / "Labs" / "team0" / "Same name.md").is_file()


def test_a_symlinked_note_pointing_outside_the_vault_is_refused(lab_kubeconfig: str, tmp_path: Path) -> None:
    scenario = tmp_path / "nightly.yaml"
    scenario.write_text(lab_scenario(), encoding="utf-8")
    vault = tmp_path / "vault"
    vault.mkdir()
    outside = tmp_path / "outside.md"
    os.symlink(outside, vault / "Nightly lab.md")
    result = reportgen("build", str(scenario), "--out", str(tmp_path / "out"), "--vault", str(vault),
                       kubeconfig=lab_kubeconfig)
    assert result.returncode == 2 and "symlink" in result.stderr, result.stderr
    assert not outside.exists() and not (tmp_path / "out").exists()


@pytest.mark.parametrize("title", ["../../x", 'a*b"c\\d/e> f < g:h|i?j#k^l[m]n'])
def test_a_title_that_is_no_note_name_is_refused(lab_kubeconfig: str, tmp_path: Path, title: str) -> None:
    scenario = tmp_path / "labs" / "nightly.yaml"
    scenario.parent.mkdir()
    scenario.write_text(lab_scenario(title=title), encoding="utf-8")
    vault = tmp_path / "labs" / "vault"
    result = reportgen("build", str(scenario), "--out", str(tmp_path / "out"), "--vault", str(vault),
                       kubeconfig=lab_kubeconfig)
    assert result.returncode == 2, result.stderr
    assert f"{scenario}:2:" in result.stderr and "note name cannot contain" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["labs", "nightly.yaml"]


def test_the_cronjob_and_its_role_are_accepted_by_the_server(lab_kubeconfig: str, tmp_path: Path) -> None:
    docs = [*yaml.safe_load_all((ROOT / "docs" / "nightly" / "cronjob.yaml").read_text()),
            *yaml.safe_load_all((ROOT / "docs" / "rbac.yaml").read_text())]
    for doc in (d for d in docs if d and d["kind"] != "Namespace"):
        doc["metadata"].pop("namespace", None)  # the dry run needs an existing namespace
        path = tmp_path / f"{doc['kind']}.yaml"
        path.write_text(yaml.safe_dump(doc))
        lab = subprocess.run([str(ROOT / "hack" / "labcluster"), "kubectl", "apply", "--dry-run=server", "-n",
                              "default", "-f", str(path)], capture_output=True, text=True, timeout=60)
        assert lab.returncode == 0, (doc["kind"], lab.stderr)


def test_the_nightly_units_and_workflow_parse() -> None:
    nightly = ROOT / "docs" / "nightly"
    workflow = yaml.safe_load((nightly / "github-actions.yml").read_text())
    assert "reportgen build" in json.dumps(workflow)
    for unit in ("reportgen-nightly.service", "reportgen-nightly.timer"):
        sections = [line for line in (nightly / unit).read_text().splitlines() if line.startswith("[")]
        assert sections and sections[0] == "[Unit]", unit
    assert "reportgen build" in (nightly / "crontab.txt").read_text()


def lab_kubectl(*args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ROOT / "hack" / "labcluster"), "kubectl", *args], capture_output=True, text=True,
                          timeout=timeout)


def notes_volume(path: Path) -> dict[str, object]:
    """A PersistentVolume on the lab node's disk, reserved for the CronJob's claim."""
    return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "reportgen-test-notes"},
            "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                     "persistentVolumeReclaimPolicy": "Retain",
                     "claimRef": {"namespace": "reportgen", "name": "lab-notes"},
                     "hostPath": {"path": str(path), "type": "DirectoryOrCreate"}}}


@pytest.fixture
def nightly_in_the_lab(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The CronJob, its role and a volume for its notes, applied as shipped; all removed afterwards."""
    image = subprocess.run([str(ROOT / "hack" / "labcluster"), "image"], capture_output=True, text=True,
                           timeout=900)
    assert image.returncode == 0, image.stderr
    volume = tmp_path / "volume.yaml"
    volume.write_text(yaml.safe_dump(notes_volume(tmp_path / "notes")))
    files = [ROOT / "docs" / "rbac.yaml", ROOT / "docs" / "nightly" / "cronjob.yaml", volume]
    applied = lab_kubectl("apply", *(f"-f={f}" for f in files))
    assert applied.returncode == 0, applied.stderr
    yield tmp_path / "notes", image.stdout.split()[-1]
    lab_kubectl("delete", "--ignore-not-found", "--wait=true", *(f"-f={f}" for f in files), timeout=300)


def test_the_cronjob_runs_in_the_lab_and_writes_its_notes(nightly_in_the_lab: tuple[Path, str]) -> None:
    notes, image = nightly_in_the_lab
    cronjob = yaml.safe_load_all((ROOT / "docs" / "nightly" / "cronjob.yaml").read_text())
    shipped = next(d for d in cronjob if d["kind"] == "CronJob")["spec"]["jobTemplate"]["spec"]["template"]
    assert image.endswith(shipped["spec"]["containers"][0]["image"])  # the recipe names the image we build
    created = lab_kubectl("-n", "reportgen", "create", "job", "--from=cronjob/lab-reports", "lab-reports-now")
    assert created.returncode == 0, created.stderr
    ended = lab.wait_until(lambda: lab_kubectl("-n", "reportgen", "get", "job/lab-reports-now", "-o",
                                               "jsonpath={.status.conditions[?(@.status=='True')].type}").stdout,
                           ok=lambda types: {"Complete", "Failed"} & set(types.split()), timeout=900, interval=2,
                           what="the Job to end")
    logs = lab_kubectl("-n", "reportgen", "logs", "job/lab-reports-now").stdout
    assert "Complete" in ended.split(), logs
    summary = json.loads((notes / "summary.json").read_text())
    scenarios = sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))
    assert sorted(Path(r["scenario"]).name for r in summary["scenarios"]) == scenarios, summary
    assert [r["failed"] for r in summary["scenarios"]] == [0] * len(scenarios), logs  # the role suffices
    note = notes / "vault" / "쿠버네티스 서비스 타입별 실습 결과 보고서.md"
    assert "- [x] " in note.read_text(encoding="utf-8"), logs
    assert (notes / "vault" / "Lab reports.md").is_file()
