"""reportgen as a user installs it: a wheel in a clean venv, run from outside the checkout.

Every other test imports the editable checkout, so a package missing from the
wheel would go unnoticed without this one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "tests" / "fixtures" / "bundles" / "services.lab.json"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding only the built wheel (and its dependencies); its bin/ folder."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"  # a copy, so that no stale build/ or egg-info of the checkout takes part
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns("build", "*.egg-info", ".venv", ".git", "out",
                                                                 "__pycache__", ".pytest_cache", ".hypothesis"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work / "dist"), str(source)],
                   check=True, capture_output=True, cwd=work)
    wheel = next((work / "dist").glob("reportgen-*.whl"))
    venv.create(work / "venv", with_pip=True)
    pip = work / "venv" / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", "--disable-pip-version-check", str(wheel)], check=True,
                   capture_output=True)
    return work / "venv" / "bin"


def _run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run([str(bin_dir / "reportgen"), *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_the_wheel_imports_nothing_from_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run([str(installed / "python"), "-c", "import reportgen, sys; print(reportgen.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    assert str(ROOT / "reportgen") not in where and "site-packages" in where, where


def test_installed_reportgen_validates_and_renders(installed: Path, tmp_path: Path) -> None:
    assert _run(installed, "--version", cwd=tmp_path).stdout.startswith("reportgen, version ")
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    ok = _run(installed, "validate", "scenarios/services.yaml", cwd=tmp_path)
    assert ok.returncode == 0 and ": ok (" in ok.stdout, ok
    shutil.copy(BUNDLE, tmp_path / "services.evidence.json")
    rendered = _run(installed, "render", "services.evidence.json", cwd=tmp_path)
    assert rendered.returncode in (0, 1) and "Traceback" not in rendered.stderr, rendered
    assert (tmp_path / "services.md").read_text().startswith("---\n")
