"""The CLI, through click's CliRunner: arguments in, library calls, exit codes out."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ROOT / "scenarios" / "services.yaml"
BUNDLE = Path(__file__).parent / "fixtures" / "bundles" / "services.synthetic.json"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_validate_counts_what_it_read() -> None:
    result = invoke("validate", str(SERVICES))
    assert result.exit_code == 0
    assert "3 sections, 15 steps, 14 checks" in result.output


def test_validate_reports_file_line_column_and_hint(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("report:\n  title: x\nsections:\n  - id: a\n    title: A\n    manifestz: []\n")
    result = invoke("validate", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:6:5:" in result.output
    assert "manifests" in result.output and "hint:" in result.output
    assert "Traceback" not in result.output


def test_render_rewrites_a_report_from_a_bundle_without_a_cluster(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    result = invoke("render", str(BUNDLE), "--out", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("---\n")
    again = invoke("render", str(BUNDLE), "--out", str(out), "--lang", "en")
    assert "unchanged" in again.output


def test_unsupported_flag_is_a_usage_error_with_a_hint() -> None:
    result = invoke("get", "--kubeconfig", "/nonexistent", "pods", "-o", "toml")
    assert result.exit_code == 2
    assert "toml" in result.output and "hint:" in result.output


@pytest.mark.cluster
def test_get_matches_the_lab_kubectl(lab_kubeconfig: str) -> None:
    ours = invoke("get", "--kubeconfig", lab_kubeconfig, "svc", "-n", "kube-system")
    theirs = subprocess.run([str(ROOT / "hack" / "labcluster"), "kubectl", "get", "svc", "-n", "kube-system"],
                            capture_output=True, text=True, check=True).stdout
    age = re.compile(r"\d+[smhd]\S*$", re.M)
    assert ours.exit_code == 0
    assert age.sub("AGE", ours.output) == age.sub("AGE", theirs)


@pytest.mark.cluster
def test_exec_passes_exit_code_and_streams(lab_kubeconfig: str) -> None:
    pod = subprocess.run([str(ROOT / "hack" / "labcluster"), "kubectl", "-n", "kube-system", "get", "pods",
                          "-l", "k8s-app=kube-dns", "-o", "jsonpath={.items[0].metadata.name}"],
                         capture_output=True, text=True, check=True).stdout
    result = CliRunner().invoke(main, ["exec", "--kubeconfig", lab_kubeconfig, "-n", "kube-system", pod,
                                       "--", "/coredns", "-version"])
    assert result.exit_code == 0, result.output
    assert "CoreDNS-1.12.1" in result.output
    missing = CliRunner().invoke(main, ["exec", "--kubeconfig", lab_kubeconfig, "-n", "kube-system", "nope",
                                        "--", "true"])
    assert missing.exit_code == 1
    assert 'pods "nope" not found' in missing.output


@pytest.mark.cluster
def test_build_into_a_vault_keeps_what_the_user_wrote(lab_kubeconfig: str, tmp_path: Path) -> None:
    scenario = tmp_path / "slow.yaml"
    shutil.copy(Path(__file__).parent / "data" / "slow.yaml", scenario)
    vault = tmp_path / "vault"
    args = ["build", str(scenario), "--kubeconfig", lab_kubeconfig, "--out", str(tmp_path / "out"),
            "--vault", str(vault), "-q"]
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    note = next(p for p in vault.glob("*.md") if p.name != "Lab reports.md")
    text = note.read_text(encoding="utf-8")
    assert "%% reportgen:keep reflections %%" in text
    edited = text.replace("%% reportgen:keep reflections %%\n", "%% reportgen:keep reflections %%\nMy own notes.\n")
    note.write_text(edited, encoding="utf-8")
    second = invoke(*args)
    assert second.exit_code == 0, second.output
    assert "My own notes." in note.read_text(encoding="utf-8")
