#!/usr/bin/env python3
"""Record ``kubectl describe`` fixtures: the API JSON reportgen reads, and kubectl's output.

Each fixture under ``tests/fixtures/describe/`` holds one case: its arguments,
every HTTP exchange ``reportgen._kubectl._describe.describe_text`` made for it
(discovery aside, in ``lab-discovery.json``), the moment it ran, and what the
lab's own kubectl v1.34 printed (stdout, stderr, exit code) for the same request
at the same moment.

Usage (from the repository root):

    python scripts/record_describe_fixtures.py lab        # the lab cluster (must be up)
    python scripts/record_describe_fixtures.py synthetic  # edge cases, local fake API server

``lab``: the namespace ``describe-parity`` gets ``tests/fixtures/describe/workload.yaml``
and is deleted afterwards. ``synthetic``: the objects of
``tests/fixtures/describe/synthetic.yaml`` are served on 127.0.0.1 (with the lab's
recorded discovery) to the lab's kubectl binary, so only the binary is needed.
A case is kept only when kubectl printed the same text (ages masked) before
and after reportgen's requests.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
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
    """The lab's kubectl, on the lab."""
    return tables.kubectl(*args.kubectl_argv())


def _masked(done: subprocess.CompletedProcess[str]) -> tuple[str, str, int]:
    return mask_ages(done.stdout), done.stderr, done.returncode


def capture(api_client: Any, discovery: Discovery, args: DescribeArgs,
            golden: Callable[[DescribeArgs], subprocess.CompletedProcess[str]] = _golden) -> dict[str, Any]:
    """Record one case: kubectl, reportgen's requests, kubectl again, until kubectl printed the same."""
    for _ in range(ATTEMPTS):
        before = golden(args)
        now = datetime.now(UTC)
        recorder = tables.Recorder(api_client)
        try:
            describe_text(fetcher(api_client), args, discovery=discovery, now=now)
        finally:
            api_client.rest_client.request = recorder._request
        after = golden(args)
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


# --------------------------------------------------------------------------- synthetic objects


SYNTHETIC = FIXTURES / "synthetic.yaml"
SYNTHETIC_NAMESPACE = "synth"
_WIDGETS = {"resource": "widgets", "responseKind": {"group": "example.com", "version": "v1", "kind": "Widget"},
            "scope": "Namespaced", "singularResource": "widget", "verbs": ["get", "list"], "shortNames": ["wd"]}


def synthetic_cases() -> dict[str, DescribeArgs]:
    """The edge cases described from the fake API server."""
    ns = SYNTHETIC_NAMESPACE
    typed = {"pod-edge": ("pod", "edge"), "pod-mirror": ("pod", "mirror"), "node": ("node", "synth-node"),
             "service-loadbalancer": ("svc", "lb"), "endpoints": ("endpoints", "lb"),
             "ingress-resource-backend": ("ingress", "edge"), "ingress-routes": ("ingress", "routes"),
             "deployment-old-and-new": ("deploy", "api"), "replicaset-pods-forbidden": ("rs", "locked"),
             "statefulset-claims": ("sts", "db"), "daemonset": ("ds", "agent"), "pvc-bound": ("pvc", "bound"),
             "namespace-terminating": ("ns", ns), "configmap": ("cm", "cfg"), "secret-token": ("secret", "sa-token"),
             "widget-generic": ("widgets", "w1")}
    found = {f"synthetic-{name}": DescribeArgs([kind], [obj], namespace=ns) for name, (kind, obj) in typed.items()}
    for kind in ("pods", "endpointslices", "netpol", "rs", "quota", "limits"):
        found[f"synthetic-{kind}-all"] = DescribeArgs([kind], namespace=ns)
    found["synthetic-prefix"] = DescribeArgs(["pods"], ["db"], namespace=ns)
    return found


def _load_synthetic() -> list[dict[str, Any]]:
    import yaml

    objects: list[dict[str, Any]] = yaml.safe_load(SYNTHETIC.read_text())
    return objects


class _FakeApi:
    """The synthetic objects behind API paths, with label and field selectors as the API server applies them."""

    def __init__(self, discovery: list[dict[str, Any]], objects: list[dict[str, Any]]) -> None:
        self.documents = {e["url"]: json.loads(json.dumps(e["body"])) for e in discovery}
        self.documents["/apis"]["items"].append(
            {"metadata": {"name": "example.com"}, "versions": [{"version": "v1", "resources": [_WIDGETS],
                                                                 "freshness": "Current"}]})
        self.kinds = self._kinds()
        self.objects = objects

    def _kinds(self) -> dict[tuple[str, str], tuple[str, bool]]:
        """(apiVersion, kind) -> (plural, namespaced), from discovery."""
        kinds = {}
        for doc in (self.documents["/api"], self.documents["/apis"]):
            for group in doc["items"]:
                name = group["metadata"].get("name", "")
                for version in group["versions"]:
                    api_version = f"{name}/{version['version']}" if name else version["version"]
                    for r in version.get("resources") or []:
                        kinds[(api_version, r["responseKind"]["kind"])] = (r["resource"], r["scope"] == "Namespaced")
        return kinds

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """The status and JSON body for a GET."""
        if path in ("/api", "/apis"):
            return 200, self.documents[path]
        route = _route(path)
        if route is None:
            return 404, _status(404, "NotFound", "the server could not find the requested resource")
        api_version, namespace, plural, name = route
        if plural == "pods" and "app=forbidden" in query.get("labelSelector", ""):
            return 403, _status(403, "Forbidden", 'pods is forbidden: User "synthetic" cannot list resource "pods"')
        matches = [o for o in self.objects if self._where(o) == (api_version, plural)
                   and (namespace is None or o["metadata"].get("namespace", "") == namespace)]
        if name is not None:
            found = next((o for o in matches if o["metadata"]["name"] == name), None)
            if found is None:
                group = api_version.split("/")[0] if "/" in api_version else ""
                return 404, _status(404, "NotFound", f'{plural}{"." + group if group else ""} "{name}" not found')
            return 200, found
        items = [o for o in matches if _labels_match(o, query.get("labelSelector", ""))
                 and _fields_match(o, query.get("fieldSelector", ""))]
        kind = next((k for (v, k), (p, _) in self.kinds.items() if v == api_version and p == plural), "")
        return 200, {"kind": f"{kind}List", "apiVersion": api_version, "metadata": {"resourceVersion": "1"},
                     "items": items}

    def _where(self, obj: dict[str, Any]) -> tuple[str, str]:
        return obj["apiVersion"], self.kinds[(obj["apiVersion"], obj["kind"])][0]


def _status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": reason, "code": code}


def _route(path: str) -> tuple[str, str | None, str, str | None] | None:
    """(apiVersion, namespace, plural, name) of a resource path."""
    parts = path.strip("/").split("/")
    if parts[0] == "api" and len(parts) >= 3:
        api_version, rest = parts[1], parts[2:]
    elif parts[0] == "apis" and len(parts) >= 4:
        api_version, rest = f"{parts[1]}/{parts[2]}", parts[3:]
    else:
        return None
    if rest[0] == "namespaces" and len(rest) >= 3:
        return api_version, rest[1], rest[2], rest[3] if len(rest) > 3 else None
    return api_version, None, rest[0], rest[1] if len(rest) > 1 else None


def _split_unescaped(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current, depth, escaped = "", 0, False
    for ch in text:
        if escaped:
            current, escaped = current + "\\" + ch, False
        elif ch == "\\":
            escaped = True
        elif ch == separator and depth == 0:
            parts, current = [*parts, current], ""
        else:
            depth += (ch == "(") - (ch == ")")
            current += ch
    return [p for p in [*parts, current] if p]


def _labels_match(obj: dict[str, Any], selector: str) -> bool:
    labels = obj["metadata"].get("labels") or {}
    for term in _split_unescaped(selector, ","):
        term = term.strip()
        if " notin " in term or " in " in term:
            key, op, values = re.match(r"(\S+) (notin|in) \((.*)\)", term).groups()  # type: ignore[union-attr]
            inside = labels.get(key) in values.split(",")
            if (op == "in" and not inside) or (op == "notin" and inside):
                return False
        elif "!=" in term:
            key, value = term.split("!=", 1)
            if labels.get(key) == value:
                return False
        elif "=" in term:
            key, value = term.replace("==", "=").split("=", 1)
            if labels.get(key) != value:
                return False
        elif term.startswith("!") == (term.lstrip("!") in labels):
            return False
    return True


def _fields_match(obj: dict[str, Any], selector: str) -> bool:
    for term in _split_unescaped(selector, ","):
        negated = "!=" in term
        field, value = term.split("!=" if negated else "=", 1)
        actual: Any = obj
        for key in field.split("."):
            actual = actual.get(key, "") if isinstance(actual, dict) else ""
        value = re.sub(r"\\(.)", r"\1", value)
        if (str(actual or "") == value) == negated:
            return False
    return True


def _fake_server(api: _FakeApi) -> Any:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qsl, urlsplit

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            status, body = api.answer(url.path, dict(parse_qsl(url.query)))
            payload = json.dumps(body).encode()
            self.send_response(status)
            kind = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList" if url.path in (
                "/api", "/apis") else "application/json"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet."""

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


def record_synthetic() -> None:
    """Record the synthetic cases: kubectl and reportgen both read the fake API server."""
    import tempfile
    import threading

    from kubernetes import client

    discovery_exchanges = json.loads((FIXTURES / "lab-discovery.json").read_text())["exchanges"]
    api = _FakeApi(discovery_exchanges, _load_synthetic())
    server = _fake_server(api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = tables._fake_kubeconfig(url, Path(tmp))
            golden = _golden_from(["--kubeconfig", str(config), "--cache-dir", str(Path(tmp) / "cache")])
            api_client = client.ApiClient(client.Configuration(host=url))
            tables.write_json(FIXTURES / "synthetic-discovery.json", tables.record_discovery(api_client))
            discovery = discover(fetcher(api_client))
            for name, args in synthetic_cases().items():
                tables.write_json(FIXTURES / f"{name}.json", capture(api_client, discovery, args, golden))
                print(f"recorded {name}")
    finally:
        server.shutdown()
        server.server_close()


def _golden_from(flags: list[str]) -> Any:
    return lambda args: tables.kubectl(*flags, *args.kubectl_argv())


def main() -> None:
    """Parse the command line and record."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", choices=["lab", "synthetic"])
    source = parser.parse_args().source
    record_lab() if source == "lab" else record_synthetic()


if __name__ == "__main__":
    main()
