#!/usr/bin/env python3
"""Record ``kubectl describe`` fixtures: the API JSON reportgen reads, and kubectl's output.

Each fixture under ``tests/fixtures/describe/`` holds one case: its arguments,
every HTTP exchange ``reportgen._kubectl._describe.describe_text`` made for it
(discovery aside, in ``lab-discovery.json``), the moment it ran, and what the
lab's own kubectl v1.34 printed (stdout, stderr, exit code) for the same request
at the same moment.

Usage (from the repository root, with the lab up):

    python scripts/record_describe_fixtures.py

The namespace ``describe-parity`` gets ``tests/fixtures/describe/workload.yaml``
and is deleted afterwards. A case is kept only when kubectl printed the same
text (ages masked) before and after reportgen's requests.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import record_table_fixtures as tables  # noqa: E402

from reportgen._cluster._http import fetcher  # noqa: E402
from reportgen._kubectl._describe import DescribeArgs, describe_text  # noqa: E402
from reportgen._kubectl._discovery import Discovery, discover  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "describe"
WORKLOAD = FIXTURES / "workload.yaml"
NAMESPACE = "describe-parity"
ATTEMPTS = 10
SIDECAR_DONE = "jsonpath={.status.containerStatuses[?(@.name==\"sidecar\")].state.terminated.exitCode}=3"


# --------------------------------------------------------------------------- the lab's objects


def create_workload(namespace: str = NAMESPACE) -> None:
    """Create ``namespace`` with the workload and wait until it has settled."""
    tables.kubectl("create", "namespace", namespace, check=True)
    tables.kubectl("apply", "-n", namespace, "-f", str(WORKLOAD), check=True)
    for target in ("deployment/web", "statefulset/db", "daemonset/agent"):
        tables.kubectl("rollout", "status", "-n", namespace, target, "--timeout=300s", check=True)
    tables.kubectl("wait", "-n", namespace, "pod/tools", f"--for={SIDECAR_DONE}", "--timeout=300s", check=True)
    tables.kubectl("wait", "-n", namespace, "pod/tools", "--for=condition=Initialized", "--timeout=300s", check=True)


def cases(namespace: str = NAMESPACE) -> dict[str, DescribeArgs]:
    """The describe cases recorded from, and compared against, the lab."""
    ns = namespace
    kinds = {
        "pods": "pods", "services": "svc", "endpoints": "endpoints", "endpointslices": "endpointslices",
        "deployments": "deploy", "replicasets": "rs", "statefulsets": "sts", "daemonsets": "ds",
        "configmaps": "cm", "secrets": "secret", "ingresses": "ing", "networkpolicies": "netpol",
        "persistentvolumeclaims": "pvc", "resourcequotas": "quota", "limitranges": "limits",
    }
    found = {f"{name}-all": DescribeArgs([typed], namespace=ns) for name, typed in kinds.items()}
    found.update({
        "pod-tools": DescribeArgs(["pod"], ["tools"], namespace=ns),
        "pod-claimer": DescribeArgs(["pod"], ["claimer"], namespace=ns),
        "service-clusterip": DescribeArgs(["service"], ["web"], namespace=ns),
        "service-nodeport": DescribeArgs(["svc"], ["web-nodeport"], namespace=ns),
        "service-externalname": DescribeArgs(["svc"], ["external"], namespace=ns),
        "service-headless": DescribeArgs(["svc"], ["db"], namespace=ns),
        "deployment-web": DescribeArgs(["deployment"], ["web"], namespace=ns),
        "statefulset-cache": DescribeArgs(["sts/cache"], namespace=ns),
        "daemonset-agent": DescribeArgs(["daemonsets.apps"], ["agent"], namespace=ns),
        "ingress-fallback": DescribeArgs(["ingress"], ["fallback"], namespace=ns),
        "networkpolicy-deny-all": DescribeArgs(["networkpolicy"], ["deny-all"], namespace=ns),
        "configmap-web-config": DescribeArgs(["configmap"], ["web-config"], namespace=ns),
        "secret-web-secret": DescribeArgs(["secret"], ["web-secret"], namespace=ns),
        "pvc-data": DescribeArgs(["pvc"], ["data"], namespace=ns),
        "namespace": DescribeArgs(["namespace"], [ns], namespace=ns),
        "node": DescribeArgs(["nodes"], namespace=ns),
        "lease-generic": DescribeArgs(["leases"], namespace="kube-node-lease"),
        "controllerrevisions-generic": DescribeArgs(["controllerrevisions"], namespace=ns),
    })
    found.update(error_cases(ns))
    return found


def error_cases(ns: str) -> dict[str, DescribeArgs]:
    """Name prefixes, selectors, several names, and what kubectl refuses."""
    return {
        "prefix-match": DescribeArgs(["pods"], ["web"], namespace=ns),
        "prefix-match-services": DescribeArgs(["svc"], ["web"], namespace=ns),
        "prefix-no-match": DescribeArgs(["pods"], ["nothing"], namespace=ns),
        "missing-name": DescribeArgs(["deployment"], ["nope"], namespace=ns),
        "several-names": DescribeArgs(["svc"], ["web", "db"], namespace=ns),
        "several-names-one-missing": DescribeArgs(["svc"], ["web", "nope", "db"], namespace=ns),
        "several-names-missing": DescribeArgs(["cm"], ["nope1", "nope2"], namespace=ns),
        "type-slash-name": DescribeArgs(["svc/db", "deploy/web"], namespace=ns),
        "type-slash-name-missing": DescribeArgs(["pod/tools", "pod/nope"], namespace=ns),
        "selector": DescribeArgs(["pods"], namespace=ns, selector="app=db"),
        "selector-several-types": DescribeArgs(["svc,sts"], namespace=ns, selector="app=db"),
        "selector-none": DescribeArgs(["pods"], namespace=ns, selector="app=none"),
        "selector-invalid": DescribeArgs(["pods"], namespace=ns, selector="=bad"),
        "selector-all-namespaces": DescribeArgs(["pods"], all_namespaces=True, selector="app=db"),
        "selector-with-name": DescribeArgs(["pods"], ["tools"], namespace=ns, selector="app=tools"),
        "unknown-type": DescribeArgs(["widgets"], namespace=ns),
        "unknown-type-with-name": DescribeArgs(["widgets"], ["x"], namespace=ns),
        "name-across-namespaces": DescribeArgs(["pod"], ["tools"], all_namespaces=True),
        "empty-namespace": DescribeArgs(["pods"], namespace="default"),
        "no-type": DescribeArgs([], namespace=ns),
        "prefix-several-types": DescribeArgs(["pods,svc"], ["web"], namespace=ns),
    }


# --------------------------------------------------------------------------- masking ages


_TERMINATING = re.compile(r"Terminating \(lasts [^)]*\)")


def mask_ages(text: str) -> str:
    """Replace relative ages by ``<age>``: the Age column of events and node pod tables, ``lasts ...``.

    An age's width changes the width of its column only: the column is cut out
    of every row of its table (header included) and replaced by a fixed cell.
    """
    lines = _TERMINATING.sub("Terminating (lasts <age>)", text).split("\n")
    index = 0
    while index < len(lines):
        span = _age_span(lines[index])
        if span is None:
            index += 1
            continue
        start, end = span
        indent = len(lines[index]) - len(lines[index].lstrip())
        row = index
        while row < len(lines) and lines[row].startswith(" " * indent) and len(lines[row]) > start:
            cell = "Age" if row == index else "<age>"
            lines[row] = lines[row][:start] + (cell.ljust(7) if end is not None else cell) + (
                lines[row][end:] if end is not None else "")
            row += 1
        index = row
    return "\n".join(lines)


def _age_span(line: str) -> tuple[int, int | None] | None:
    """Where the Age column of a table header starts and ends (None: it is the last column)."""
    stripped = line.strip()
    if stripped.startswith("Type") and " Reason " in line and " Age " in line and stripped.endswith("Message"):
        return line.index(" Age ") + 1, line.index(" From ") + 1
    if stripped.startswith("Namespace") and "CPU Requests" in line and stripped.endswith(" Age"):
        return line.rindex(" Age") + 1, None
    return None


# --------------------------------------------------------------------------- recording


def local_zone() -> str:
    """The IANA name of the zone kubectl prints times in (``TZ``, else ``/etc/localtime``)."""
    if os.environ.get("TZ"):
        return os.environ["TZ"].lstrip(":")
    target = os.path.realpath("/etc/localtime")
    return target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else "UTC"


def _golden(args: DescribeArgs) -> subprocess.CompletedProcess[str]:
    return tables.kubectl(*args.kubectl_argv())


def _masked(done: subprocess.CompletedProcess[str]) -> tuple[str, str, int]:
    return mask_ages(done.stdout), done.stderr, done.returncode


def capture(api_client: Any, discovery: Discovery, args: DescribeArgs) -> dict[str, Any]:
    """Record one case: kubectl, reportgen's requests, kubectl again, until kubectl printed the same."""
    for _ in range(ATTEMPTS):
        before = _golden(args)
        now = datetime.now(UTC)
        recorder = tables.Recorder(api_client)
        try:
            describe_text(fetcher(api_client), args, discovery=discovery, now=now)
        finally:
            api_client.rest_client.request = recorder._request
        after = _golden(args)
        if _masked(before) == _masked(after):
            return {
                "argv": ["kubectl", *args.kubectl_argv()], "args": asdict(args), "now": now.isoformat(),
                "zone": local_zone(), "exchanges": recorder.exchanges,
                "stdout": before.stdout, "stderr": before.stderr, "exit_code": before.returncode,
            }
    raise RuntimeError(f"kubectl output kept changing for {args.kubectl_argv()}")


def record_lab() -> None:
    """Record every case against the lab (the namespace is created and deleted)."""
    up, said = tables.lab_status()
    if not up:
        raise SystemExit(f"the lab cluster is not up ({said}); run hack/labcluster up")
    tables.delete_namespace(NAMESPACE)
    create_workload()
    try:
        api_client = tables.lab_api_client()
        tables.write_json(FIXTURES / "lab-discovery.json", tables.record_discovery(api_client))
        discovery = discover(fetcher(api_client))
        for name, args in cases().items():
            tables.write_json(FIXTURES / f"lab-{name}.json", capture(api_client, discovery, args))
            print(f"recorded lab-{name}")
    finally:
        tables.delete_namespace(NAMESPACE)


if __name__ == "__main__":
    record_lab()
