#!/usr/bin/env python3
"""Record server-side Table fixtures and kubectl's golden output.

Each fixture under ``tests/fixtures/tables/`` holds one ``kubectl get`` case:
the arguments, every HTTP exchange reportgen made for it (discovery aside),
the Tables with their REST mappings, and what the real kubectl v1.34 printed
(stdout, stderr, exit code) for the same request at the same moment.

Usage (from the repository root):

    python scripts/record_table_fixtures.py lab        # the lab cluster (must be up)
    python scripts/record_table_fixtures.py synthetic  # edge cases, local fake API server

``lab`` creates the namespace ``reportgen-tables`` with
``tests/fixtures/tables/workload.yaml`` and deletes it afterwards.
``synthetic`` serves hand-made discovery and Tables on 127.0.0.1 and points
the lab's kubectl binary at it, so no cluster is needed, only the binary.
A case is kept only when kubectl printed the same text before and after
reportgen's requests, so AGE cells in the Tables match the golden text.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reportgen._cluster._http import fetcher  # noqa: E402
from reportgen._kubectl._discovery import Discovery, discover  # noqa: E402
from reportgen._kubectl._get import GetArgs, get_text  # noqa: E402

LABCLUSTER = REPO / "hack" / "labcluster"
FIXTURES = REPO / "tests" / "fixtures" / "tables"
WORKLOAD = FIXTURES / "workload.yaml"
LAB_NAMESPACE = "reportgen-tables"
ATTEMPTS = 10


# --------------------------------------------------------------------------- lab access


def lab_status() -> tuple[bool, str]:
    """Run ``hack/labcluster status``; return (up, what it said)."""
    if not LABCLUSTER.exists():
        return False, f"{LABCLUSTER} does not exist"
    try:
        done = subprocess.run([str(LABCLUSTER), "status"], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return False, "hack/labcluster status timed out"
    said = (done.stdout + done.stderr).strip()
    return done.returncode == 0, f"hack/labcluster status exited {done.returncode}: {said}"


def kubeconfig_path() -> str:
    """Return the lab's admin kubeconfig path (``hack/labcluster kubeconfig``)."""
    done = subprocess.run([str(LABCLUSTER), "kubeconfig"], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def kubectl(*argv: str, stdin: str | None = None, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the lab's kubectl (``hack/labcluster kubectl ARGV``)."""
    return subprocess.run(
        [str(LABCLUSTER), "kubectl", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        check=check,
        timeout=600,
    )


def lab_api_client() -> Any:
    """Return an ApiClient for the lab's admin kubeconfig."""
    from kubernetes import config

    return config.new_client_from_config(config_file=kubeconfig_path())


def create_workload(namespace: str) -> None:
    """Create ``namespace`` with the workload manifest and wait for rollouts."""
    kubectl("create", "namespace", namespace, check=True)
    kubectl("apply", "-n", namespace, "-f", str(WORKLOAD), check=True)
    for target in ("deployment/web", "statefulset/db"):
        kubectl("rollout", "status", "-n", namespace, target, "--timeout=300s", check=True)


def delete_namespace(namespace: str) -> None:
    """Delete ``namespace`` and wait for it to go away."""
    kubectl("delete", "namespace", namespace, "--ignore-not-found", "--wait=true", "--timeout=300s")


def lab_cases(namespace: str) -> dict[str, GetArgs]:
    """The ``kubectl get`` cases recorded from, and compared against, the lab."""
    ns = namespace
    cases = {
        "pods": GetArgs(["pods"], namespace=ns),
        "services": GetArgs(["svc"], namespace=ns),
        "endpoints": GetArgs(["ep"], namespace=ns),
        "deployments": GetArgs(["deploy"], namespace=ns),
        "replicasets": GetArgs(["rs"], namespace=ns),
        "statefulsets": GetArgs(["sts"], namespace=ns),
        "nodes": GetArgs(["no"], namespace=ns),
        "namespaces": GetArgs(["namespaces"], namespace=ns),
    }
    for name, args in list(cases.items()):
        cases[f"{name}-wide"] = GetArgs(args.resources, namespace=ns, wide=True)
    cases.update(
        {
            "pods-all-namespaces": GetArgs(["po"], all_namespaces=True),
            "services-all-namespaces-wide": GetArgs(["services"], all_namespaces=True, wide=True),
            "deployments-all-namespaces": GetArgs(["deployments.apps"], all_namespaces=True),
            "nodes-all-namespaces": GetArgs(["nodes"], all_namespaces=True),
            "pods-selector": GetArgs(["pods"], namespace=ns, selector="app=web"),
            "services-selector-wide": GetArgs(["svc"], namespace=ns, selector="app=db", wide=True),
            "pods-selector-none": GetArgs(["pods"], namespace=ns, selector="app=none"),
            "nodes-selector-none": GetArgs(["nodes"], selector="app=none"),
            "pods-services": GetArgs(["pods,svc"], namespace=ns),
            "pods-services-wide": GetArgs(["pods,svc"], namespace=ns, wide=True),
            "pods-services-all-namespaces": GetArgs(["pods,svc"], all_namespaces=True),
            "services-by-name": GetArgs(["svc"], names=["web", "db"], namespace=ns),
            "services-not-found": GetArgs(["service"], names=["web", "nope"], namespace=ns),
            "type-slash-name": GetArgs(["svc/web", "deploy/web", "sts/db", "svc/db"], namespace=ns),
            "all": GetArgs(["all"], namespace=ns),
            "by-name-all-namespaces": GetArgs(["deploy"], names=["web"], all_namespaces=True),
            "unknown-type": GetArgs(["widgets"], namespace=ns),
        }
    )
    return cases


# --------------------------------------------------------------------------- recording


class Recorder:
    """Wrap an ApiClient's REST client and keep every exchange it makes."""

    def __init__(self, api_client: Any) -> None:
        self.api_client = api_client
        self.host = api_client.configuration.host
        self.exchanges: list[dict[str, Any]] = []
        self._request = api_client.rest_client.request
        api_client.rest_client.request = self.request

    def request(self, method: str, url: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        """Forward a request and record URL, status, body and Warning headers."""
        response = self._request(method, url, headers=headers, **kwargs)
        body = response.read()
        self.exchanges.append(
            {
                "url": url[len(self.host) :],
                "accept": (headers or {}).get("Accept", ""),
                "status": response.status,
                "body": _decode_body(body),
                "warnings": response.getheaders().getlist("Warning"),
            }
        )
        return response


def _decode_body(body: bytes) -> Any:
    """Keep JSON bodies as JSON (readable fixtures), anything else as text."""
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")


def capture(api_client: Any, discovery: Discovery, args: GetArgs,
            run_kubectl: Callable[[GetArgs], Any]) -> dict[str, Any]:
    """Record one case: kubectl, reportgen's requests, kubectl again, until stable."""
    for _ in range(ATTEMPTS):
        before = run_kubectl(args)
        recorder = Recorder(api_client)
        try:
            output = get_text(fetcher(api_client), args, discovery=discovery)
        finally:
            api_client.rest_client.request = recorder._request
        after = run_kubectl(args)
        if _same(before, after):
            return _fixture(args, recorder.exchanges, output, before)
    raise RuntimeError(f"kubectl output kept changing for {args.kubectl_argv()}")


def _same(a: subprocess.CompletedProcess[str], b: subprocess.CompletedProcess[str]) -> bool:
    return (a.stdout, a.stderr, a.returncode) == (b.stdout, b.stderr, b.returncode)


def _fixture(args: GetArgs, exchanges: list[dict[str, Any]], output: Any, golden: Any) -> dict[str, Any]:
    return {
        "argv": ["kubectl", *args.kubectl_argv()],
        "args": asdict(args),
        "tables": _table_refs([asdict(source) for source in output.sources], exchanges),
        "exchanges": exchanges,
        "stdout": golden.stdout,
        "stderr": golden.stderr,
        "exit_code": golden.returncode,
    }


def _table_refs(tables: list[dict[str, Any]], exchanges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Point each table at the exchange whose body it is instead of copying it."""
    refs, start = [], 0
    for table in tables:
        body = table.pop("table")
        start = next(i for i in range(start, len(exchanges)) if exchanges[i]["body"] == body)
        refs.append({**table, "exchange": start})
        start += 1
    return refs


def record_discovery(api_client: Any) -> dict[str, Any]:
    """Record the two aggregated discovery documents get_text starts with."""
    recorder = Recorder(api_client)
    try:
        discover(fetcher(api_client))
    finally:
        api_client.rest_client.request = recorder._request
    return {"exchanges": recorder.exchanges}


def write_json(path: Path, data: Any) -> None:
    """Write pretty, stable JSON, without the bulky ``metadata.managedFields``.

    kubectl never prints managed fields, so dropping them from the rows'
    objects changes nothing the tests look at.
    """
    text = json.dumps(_without_managed_fields(data), indent=1, sort_keys=True, ensure_ascii=False)
    path.write_text(text + "\n")


def _without_managed_fields(data: Any) -> Any:
    if isinstance(data, list):
        return [_without_managed_fields(v) for v in data]
    if isinstance(data, dict):
        return {k: _without_managed_fields(v) for k, v in data.items() if k != "managedFields"}
    return data


def record_all(api_client: Any, cases: dict[str, GetArgs], prefix: str, run_kubectl: Callable[[GetArgs], Any]) -> None:
    """Record the discovery file and one fixture file per case."""
    write_json(FIXTURES / f"{prefix}discovery.json", record_discovery(api_client))
    discovery = discover(fetcher(api_client))
    for name, args in cases.items():
        write_json(FIXTURES / f"{prefix}{name}.json", capture(api_client, discovery, args, run_kubectl))
        print(f"recorded {prefix}{name}")


def record_lab() -> None:
    """Record the lab cases (the workload namespace is created and deleted)."""
    up, said = lab_status()
    if not up:
        raise SystemExit(f"the lab cluster is not up ({said}); run hack/labcluster up")
    delete_namespace(LAB_NAMESPACE)
    create_workload(LAB_NAMESPACE)
    try:
        record_all(lab_api_client(), lab_cases(LAB_NAMESPACE), "lab-", lambda a: kubectl(*a.kubectl_argv()))
    finally:
        delete_namespace(LAB_NAMESPACE)


# --------------------------------------------------------------------------- AGE masking


_COLUMN_START = re.compile(r"(?:^|(?<=   ))(\S)")


def mask_age(text: str) -> str:
    """Replace AGE cells by ``<age>``, keeping every other byte as it was.

    Blocks are separated by blank lines; each starts with a header row whose
    ``AGE`` column span (padding included) is rewritten in every row below.
    """
    return "\n\n".join(_mask_block(block) for block in text.split("\n\n"))


def _mask_block(block: str) -> str:
    lines = block.split("\n")
    starts = [m.start() for m in _COLUMN_START.finditer(lines[0])]
    span = next(((s, e) for s, e in zip(starts, [*starts[1:], None]) if lines[0][s:].startswith("AGE")), None)
    if span is None or not lines[0][span[0] :].split("   ")[0].strip() == "AGE":
        return block
    start, end = span
    for index in range(1, len(lines)):
        line = lines[index]
        if len(line) > start:
            width = (end - start) if end is not None else 0
            rest = line[end:] if end is not None else ""
            lines[index] = line[:start] + "<age>".ljust(width) + rest
    return "\n".join(lines)


# --------------------------------------------------------------------------- synthetic server


def _column(name: str, kind: str = "string", priority: int = 0, fmt: str = "") -> dict[str, Any]:
    return {"name": name, "type": kind, "format": fmt, "description": "", "priority": priority}


def _row(cells: list[Any], namespace: str | None = "default", name: str = "x") -> dict[str, Any]:
    row: dict[str, Any] = {"cells": cells}
    if namespace is not None:
        meta = {"name": name, "namespace": namespace} if namespace else {"name": name}
        row["object"] = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": meta}
    return row


def _table(columns: list[dict[str, Any]], rows: list[dict[str, Any]], token: str = "") -> dict[str, Any]:
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": "1", **({"continue": token} if token else {})},
        "columnDefinitions": columns,
        "rows": rows,
    }


def _status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


def _resource(name: str, kind: str, scope: str, short: list[str], categories: list[str]) -> dict[str, Any]:
    return {"resource": name, "responseKind": {"group": "", "version": "", "kind": kind}, "scope": scope,
            "singularResource": kind.lower(), "verbs": ["get", "list"], "shortNames": short,
            "categories": categories}


def synthetic_discovery() -> dict[str, Any]:
    """Discovery documents of the fake server: core pods/nodes, example.com widgets/gadgets."""
    def group(name: str, resources: list[dict[str, Any]]) -> dict[str, Any]:
        return {"metadata": {"name": name}, "versions": [{"version": "v1", "resources": resources, "freshness": "Current"}]}

    core = [_resource("pods", "Pod", "Namespaced", ["po"], ["all"]),
            _resource("nodes", "Node", "Cluster", ["no"], [])]
    example = [_resource("widgets", "Widget", "Namespaced", ["wd"], ["all"]),
               _resource("gadgets", "Gadget", "Cluster", ["gd"], []),
               _resource("gizmos", "Gizmo", "Namespaced", ["po", "gz"], [])]  # "po" is ambiguous
    wrap = {"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {}}
    return {"/api": {**wrap, "items": [group("", core)]}, "/apis": {**wrap, "items": [group("example.com", example)]}}


_NAME = _column("Name", fmt="name")
_AGE = _column("Age")

SYNTHETIC_TABLES: dict[str, dict[str, Any] | tuple[int, dict[str, Any], list[str]]] = {
    # Cell values of every JSON type, line breaks, terminal escapes, wide runes.
    "/apis/example.com/v1/namespaces/default/widgets": _table(
        [_NAME, _column("Count", "integer"), _column("Ratio", "number"), _column("Ok", "boolean"),
         _column("Note"), _column("Detail", priority=1), _AGE],
        [
            _row(["alpha", 3, 1.5, True, "two\nlines", {"b": 1, "a": [1, "x", None]}, "5m"], name="alpha"),
            _row(["béta-日本", 1000000, 100.0, False, "\x1b[31mred\x1b[0m", [], "10d"], name="béta-日本"),
            _row(["gamma", None, 1e-05, None, "tab\there", None, "2y"], name="gamma"),
            _row(["delta", -7, 123456.7, True, "carriage\rreturn", "", "<invalid>"], name="delta"),
            _row(["short-row", 1]),
        ],
    ),
    # Chunked list: two pages, the second with other columns (a new header, same alignment).
    "/apis/example.com/v1/namespaces/paged/widgets": _table(
        [_NAME, _column("Phase"), _AGE],
        [_row(["p1", "Ready", "1s"], "paged"), _row(["p2-longer-name", "Pending", "2s"], "paged")],
        token="page2",
    ),
    "/apis/example.com/v1/namespaces/paged/widgets?continue=page2": _table(
        [_NAME, _column("Phase"), _column("Extra", priority=1), _AGE],
        [_row(["p3", "Ready", "e", "3s"], "paged")],
    ),
    "/apis/example.com/v1/widgets": _table(
        [_NAME, _column("Phase"), _AGE],
        [_row(["w1", "Ready", "1m"], "ns-one"), _row(["w2", "Ready", "2m"], None),
         _row(["w3-with-a-long-name", "Ready", "3h"], "a-much-longer-namespace")],
    ),
    "/apis/example.com/v1/gadgets": _table([_NAME, _column("Size", "integer"), _AGE],
                                           [_row([f"g{i}", i * 1000, "1h"], "") for i in range(3)]),
    "/api/v1/namespaces/default/pods": _table(
        [_NAME, _column("Ready"), _column("Status"), _column("Nominated Node", priority=1), _AGE],
        [_row(["web-0", "1/1", "Running", "<none>", "3d4h"]), _row(["web-1", "0/1", "Pending", "node-a", "40s"])],
    ),
    "/api/v1/pods": _table([_NAME, _column("Ready"), _AGE], [_row(["web-0", "1/1", "3d4h"], "default")]),
    "/api/v1/namespaces/empty/pods": _table([_NAME, _AGE], []),
    "/apis/example.com/v1/namespaces/empty/widgets": _table([_NAME, _AGE], []),
    "/api/v1/nodes": _table([_NAME, _column("Status"), _AGE], [_row(["node-a", "Ready", "9d"], "")]),
    "/api/v1/namespaces/default/pods/web-0": _table(
        [_NAME, _column("Ready"), _column("Status"), _column("Nominated Node", priority=1), _AGE],
        [_row(["web-0", "1/1", "Running", "<none>", "3d4h"])],
    ),
    "/apis/example.com/v1/namespaces/default/widgets/alpha": _table([_NAME, _AGE], [_row(["alpha", "5m"])]),
    "/api/v1/namespaces/default/pods/missing": (404, _status(404, "NotFound", 'pods "missing" not found'), []),
    "/apis/example.com/v1/namespaces/warned/widgets": (
        200,
        _table([_NAME, _AGE], [_row(["old", "1d"], "warned")]),
        ['299 - "example.com/v1 Widget is deprecated", 299 - "use \\"gizmos\\" instead"',
         '299 - "example.com/v1 Widget is deprecated"'],
    ),
    "/api/v1/namespaces/secret/pods": (403, _status(403, "Forbidden", 'pods is forbidden: User "x" cannot list'), []),
}

SYNTHETIC_CASES: dict[str, GetArgs] = {
    "cells": GetArgs(["widgets"]),
    "cells-wide": GetArgs(["wd"], wide=True),
    "chunked": GetArgs(["widgets.example.com"], namespace="paged"),
    "chunked-wide": GetArgs(["widgets"], namespace="paged", wide=True),
    "no-object-all-namespaces": GetArgs(["widgets"], all_namespaces=True),
    "cluster-scoped-all-namespaces": GetArgs(["gadgets,nodes"], all_namespaces=True),
    "multi-type-empty-middle": GetArgs(["widgets,gadgets,pods"], namespace="empty"),
    "multi-type-empty-first": GetArgs(["pods,gadgets"], namespace="empty"),
    "multi-type-wide": GetArgs(["pods,widgets"], wide=True),
    "category-all": GetArgs(["all"]),
    "names-with-missing": GetArgs(["pods"], names=["web-0", "missing", "web-0"]),
    "type-slash-name": GetArgs(["po/web-0", "wd/alpha", "po/missing"]),
    "empty-namespaced": GetArgs(["pods,widgets"], namespace="empty"),
    "warnings": GetArgs(["widgets"], namespace="warned"),
    "forbidden": GetArgs(["pods,widgets"], namespace="secret"),
    "selector-with-name": GetArgs(["pods"], names=["web-0"], selector="a=b"),
    "selector-not-found": GetArgs(["nodes,widgets"], namespace="secret", selector="a=b"),
    "mixed-forms": GetArgs(["pods", "wd/alpha"]),
    "ambiguous-short-name": GetArgs(["po,gz"], namespace="empty"),
}


class _FakeApiHandler(BaseHTTPRequestHandler):
    """Serve synthetic discovery and Tables; ``includeObject``/``limit`` are ignored."""

    documents: dict[str, Any] = {}

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        params = [p for p in query.split("&") if p and not p.startswith(("includeObject=", "limit=", "timeout="))]
        key = path + (f"?{'&'.join(params)}" if params else "")
        status, body, warnings = self._lookup(key)
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", self._content_type(path, body))
        for warning in warnings:
            self.send_header("Warning", warning)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _lookup(self, key: str) -> tuple[int, Any, list[str]]:
        found = self.documents.get(key)
        if found is None:
            return 404, _status(404, "NotFound", "the server could not find the requested resource"), []
        if isinstance(found, tuple):
            return found
        return 200, found, []

    @staticmethod
    def _content_type(path: str, body: Any) -> str:
        if path in ("/api", "/apis"):
            return "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
        if isinstance(body, dict) and body.get("kind") == "Table":
            return "application/json;as=Table;v=v1;g=meta.k8s.io"
        return "application/json"

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


@contextmanager
def fake_api_server() -> Iterator[str]:
    """Serve the synthetic documents on 127.0.0.1; yield the server URL."""
    _FakeApiHandler.documents = {**synthetic_discovery(), **SYNTHETIC_TABLES}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeApiHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _fake_kubeconfig(url: str, directory: Path) -> Path:
    path = directory / "kubeconfig"
    path.write_text(
        "apiVersion: v1\nkind: Config\n"
        f"clusters: [{{name: fake, cluster: {{server: '{url}'}}}}]\n"
        "users: [{name: fake, user: {}}]\n"
        "contexts: [{name: fake, context: {cluster: fake, user: fake}}]\n"
        "current-context: fake\n"
    )
    return path


def record_synthetic() -> None:
    """Record the synthetic cases against the local fake API server."""
    from kubernetes import client

    with fake_api_server() as url, tempfile.TemporaryDirectory() as tmp:
        config = _fake_kubeconfig(url, Path(tmp))
        cache = str(Path(tmp) / "cache")

        def run_kubectl(args: GetArgs) -> subprocess.CompletedProcess[str]:
            return kubectl("--kubeconfig", str(config), "--cache-dir", cache, *args.kubectl_argv())

        configuration = client.Configuration(host=url)
        record_all(client.ApiClient(configuration), SYNTHETIC_CASES, "synthetic-", run_kubectl)


def main() -> None:
    """Parse the command line and record."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", choices=["lab", "synthetic"])
    source = parser.parse_args().source
    FIXTURES.mkdir(parents=True, exist_ok=True)
    record_lab() if source == "lab" else record_synthetic()


if __name__ == "__main__":
    main()
