"""``reportgen get`` against the lab's own kubectl v1.34, live.

Needs the lab cluster (``hack/labcluster up``); skipped when
``hack/labcluster status`` fails. A throwaway namespace gets the objects of
``tests/fixtures/tables/workload.yaml`` and is deleted afterwards. Only the
AGE column may differ: both sides are compared with AGE cells masked, and a
case is retried when the cluster changed between the two runs.
"""

from __future__ import annotations

import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import record_table_fixtures as lab  # noqa: E402

from reportgen._cluster._http import fetcher  # noqa: E402
from reportgen._kubectl._get import GetArgs, get_text  # noqa: E402

pytestmark = pytest.mark.cluster

NAMESPACE = f"reportgen-parity-{secrets.token_hex(3)}"
ATTEMPTS = 5


@pytest.fixture(scope="session")
def lab_client() -> Any:
    """An ApiClient for the lab, or a skip saying why there is none."""
    up, said = lab.lab_status()
    if not up:
        pytest.skip(f"lab cluster not available ({said}); bring it up with hack/labcluster up")
    return lab.lab_api_client()


@pytest.fixture(scope="session")
def namespace(lab_client: Any) -> Iterator[str]:
    """The parity namespace with its workload, deleted after the session."""
    try:
        lab.create_workload(NAMESPACE)
        yield NAMESPACE
    finally:
        lab.delete_namespace(NAMESPACE)


def _compare(client: Any, args: GetArgs) -> tuple[tuple[str, str, int], tuple[str, str, int]]:
    ours = get_text(fetcher(client), args)
    theirs = lab.kubectl(*args.kubectl_argv())
    return (
        (lab.mask_age(ours.stdout), ours.stderr, ours.exit_code),
        (lab.mask_age(theirs.stdout), theirs.stderr, theirs.returncode),
    )


@pytest.mark.parametrize("case", sorted(lab.lab_cases(NAMESPACE)))
def test_get_matches_kubectl(case: str, lab_client: Any, namespace: str) -> None:
    args = lab.lab_cases(namespace)[case]
    for attempt in range(ATTEMPTS):
        time.sleep(attempt)  # give a churning cluster (other namespaces) a moment
        ours, kubectl = _compare(lab_client, args)
        if ours == kubectl:
            break
    assert ours == kubectl, " ".join(["kubectl", *args.kubectl_argv()])


def test_mask_age_only_touches_the_age_column() -> None:
    text = "NAME   AGE   IP\na      5s    10.0.0.1\nb      10m   10.0.0.2\n\nNAME   AGE\nc      3d4h\n"
    assert lab.mask_age(text) == "NAME   AGE   IP\na      <age> 10.0.0.1\nb      <age> 10.0.0.2\n\nNAME   AGE\nc      <age>\n"
