"""Shared fixtures: the lab cluster, and test ordering."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LABCLUSTER = ROOT / "hack" / "labcluster"


def lab_is_up() -> bool:
    """True when `hack/labcluster status` says the lab answers."""
    return subprocess.run([str(LABCLUSTER), "status"], capture_output=True).returncode == 0


@pytest.fixture(scope="session")
def lab_kubeconfig() -> str:
    """The lab's admin kubeconfig; skip (or fail, under hack/test) when the lab is down."""
    if not lab_is_up():
        message = "the lab cluster is not up (run hack/labcluster up)"
        if os.environ.get("REPORTGEN_REQUIRE_LAB"):
            pytest.fail(message)
        pytest.skip(message)
    return subprocess.run([str(LABCLUSTER), "kubeconfig"], capture_output=True, text=True, check=True).stdout.strip()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the leftover sweep after every other test, then the lab lifecycle (down, up)."""
    def rank(item: pytest.Item) -> int:
        return 2 if item.get_closest_marker("lifecycle") else 1 if item.get_closest_marker("final") else 0

    items.sort(key=rank)
