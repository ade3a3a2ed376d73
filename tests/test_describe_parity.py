"""``describe_text`` against the lab's own ``kubectl describe`` (v1.34), live.

Needs the lab cluster (``hack/labcluster up``); skipped when ``hack/labcluster
status`` fails. The namespace ``describe-parity`` gets every kind the port
describes (``tests/fixtures/describe/workload.yaml``) and is deleted afterwards.
Only ages may differ: both sides are compared with ages masked, and a case is
retried when the cluster changed between the two runs (events, lease renewals).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import record_describe_fixtures as recorder  # noqa: E402
import record_table_fixtures as lab  # noqa: E402

from reportgen._cluster._http import fetcher  # noqa: E402
from reportgen._kubectl._describe import DescribeArgs, describe_text  # noqa: E402
from reportgen._kubectl._discovery import Discovery, discover  # noqa: E402

pytestmark = pytest.mark.cluster

NAMESPACE = recorder.NAMESPACE
CASES = recorder.cases(NAMESPACE)
ATTEMPTS = 5


@pytest.fixture(scope="session")
def lab_client(lab_kubeconfig: str) -> Any:
    """An ApiClient for the lab (the conftest fixture skips when the lab is down)."""
    from kubernetes import config

    return config.new_client_from_config(config_file=lab_kubeconfig)  # type: ignore[no-untyped-call]


@pytest.fixture(scope="module")
def workload(lab_client: Any) -> Iterator[Discovery]:
    """The parity namespace with its objects, deleted after the module; yields the lab's discovery."""
    lab.delete_namespace(NAMESPACE)
    try:
        recorder.create_workload(NAMESPACE)
        yield discover(fetcher(lab_client))
    finally:
        lab.delete_namespace(NAMESPACE)


def _compare(client: Any, discovery: Discovery, args: DescribeArgs) -> tuple[tuple[str, str, int], ...]:
    ours = describe_text(fetcher(client), args, discovery=discovery)
    theirs = lab.kubectl(*args.kubectl_argv())
    return ((recorder.mask_ages(ours.stdout), ours.stderr, ours.exit_code),
            (recorder.mask_ages(theirs.stdout), theirs.stderr, theirs.returncode))


def test_enough_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", sorted(CASES))
def test_describe_matches_kubectl(case: str, lab_client: Any, workload: Discovery) -> None:
    args = CASES[case]
    for attempt in range(ATTEMPTS):
        time.sleep(attempt)  # events and lease renewals change between the two runs now and then
        ours, kubectl = _compare(lab_client, workload, args)
        if ours == kubectl:
            break
    assert ours == kubectl, " ".join(["kubectl", *args.kubectl_argv()])
