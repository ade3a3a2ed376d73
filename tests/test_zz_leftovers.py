"""After every other test: no object carrying a reportgen run label is left anywhere."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from reportgen._cleanup import RUN_LABEL

LAB = str(Path(__file__).resolve().parent.parent / "hack" / "labcluster")


@pytest.mark.cluster
@pytest.mark.final
def test_no_run_labelled_object_is_left(lab_kubeconfig: str) -> None:
    kinds = "all,namespaces,secrets,configmaps,serviceaccounts,roles,rolebindings"
    out = subprocess.run([LAB, "kubectl", "get", kinds, "-A", "-l", RUN_LABEL, "-o", "json"],
                         capture_output=True, text=True, check=True).stdout
    left = [f"{i['kind']}/{i['metadata']['name']}" for i in json.loads(out)["items"]]
    assert left == []
