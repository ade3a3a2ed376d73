"""The non-table printers against the lab's own kubectl v1.34, live.

Needs the lab cluster (``hack/labcluster up``); skipped when it is down (the
``lab_kubeconfig`` fixture). The namespace ``printers-parity`` gets objects
with awkward text (multi-line strings, long lines, strings YAML would read as
something else, HTML and non-ASCII characters), and is deleted afterwards.

Each case fetches the raw JSON of what kubectl's ``get`` requests (``kubectl
get --raw PATH``), prints it with reportgen's printers, and compares stdout,
stderr and exit code byte for byte with ``kubectl get ... -o FORMAT``. The raw
JSON is fetched before and after kubectl runs; a case is retried when they
differ (the cluster changed in between).
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reportgen._kubectl._custom_columns import parse_custom_columns, print_custom_columns
from reportgen._kubectl._jsonpath import PrintError, print_jsonpath
from reportgen._kubectl._name import print_names
from reportgen._kubectl._serialize import list_items, output_object, print_json, print_yaml

pytestmark = pytest.mark.cluster

LABCLUSTER = Path(__file__).resolve().parent.parent / "hack" / "labcluster"
NS = "printers-parity"
ATTEMPTS = 5

LONG = ("This annotation is deliberately longer than eighty columns so that go-yaml has to fold it "
        "onto a continuation line, twice if it can, because the text keeps going and going.")

MULTILINE_DATA = {
    "plain": "value", "multi": "line one\nline two\n", "strip": "no trailing\nnewline", "keep": "keep\n\n",
    "leading": " leading space\nsecond", "trailing-space": "trailing space \nsecond", "tabs": "a\tb\nc",
    "long": LONG, "long-hash": "#" + LONG, "bool": "yes", "number": "1.5", "date": "2024-01-02", "empty": "",
    "colon": "a: b", "html": '<a href="x">&amp;</a>', "unicode": "é ü 😀 ✓", "octal": "0755", "tilde": "~",
    "dash": "- item", "json": '{"a": [1, 2]}', "a9": "nine", "a10": "ten", "Corefile": ".:53 {\n    errors\n    health\n}\n",
}

OBJECTS: list[dict[str, Any]] = [
    {"apiVersion": "v1", "kind": "ConfigMap",
     "metadata": {"name": "multiline", "labels": {"app": "parity", "tier": "1"},
                  "annotations": {"description": "First line of a description.\nSecond line, longer than the first.\n",
                                  "note": LONG, "quoted": "true"}},
     "data": MULTILINE_DATA},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "plain"}, "data": {"key": "value"}},
    {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds"}, "type": "Opaque",
     "stringData": {"user": "admin", "password": "s3cr3t"}},
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "labels": {"app": "parity"}},
     "spec": {"selector": {"app": "parity"}, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}},
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "idle"},
     "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "idle"}},
              "template": {"metadata": {"labels": {"app": "idle"}},
                           "spec": {"containers": [{"name": "main", "image": "busybox:1.36",
                                                    "imagePullPolicy": "Never", "command": ["sleep", "3600"]}]}}}},
    {"apiVersion": "v1", "kind": "Pod",
     "metadata": {"name": "sleeper", "labels": {"app": "parity", "role": "sleeper"},
                  "annotations": {"multi": "one\ntwo\n", "long": LONG}},
     "spec": {"terminationGracePeriodSeconds": 1,
              "containers": [{"name": "main", "image": "busybox:1.36", "imagePullPolicy": "Never",
                              "command": ["sleep", "3600"], "env": [{"name": "GREETING", "value": "hello: world"}],
                              "ports": [{"containerPort": 8080, "name": "http"}]},
                             {"name": "side", "image": "busybox:1.36", "imagePullPolicy": "Never",
                              "command": ["sleep", "3600"]}]}},
]


def kubectl(*args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The lab's own kubectl; never raises on a non-zero exit."""
    return subprocess.run([str(LABCLUSTER), "kubectl", *args], input=stdin, capture_output=True, text=True,
                          timeout=timeout)


def _must(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 0, f"{' '.join(map(str, proc.args))}: {proc.stderr}"


@pytest.fixture(scope="module")
def namespace(lab_kubeconfig: str) -> Iterator[str]:
    """``printers-parity`` with :data:`OBJECTS`, deleted after the module."""
    kubectl("delete", "namespace", NS, "--ignore-not-found", "--wait=true", "--timeout=180s", timeout=240)
    _must(kubectl("create", "namespace", NS))
    try:
        _must(kubectl("apply", "-n", NS, "-f", "-", stdin=json.dumps({"apiVersion": "v1", "kind": "List",
                                                                      "items": OBJECTS})))
        _must(kubectl("wait", "-n", NS, "--for=condition=Ready", "pod/sleeper", "--timeout=120s", timeout=180))
        _must(kubectl("rollout", "status", "-n", NS, "deployment/idle", "--timeout=60s", timeout=90))
        yield NS
    finally:
        kubectl("delete", "namespace", NS, "--ignore-not-found", "--wait=true", "--timeout=180s", timeout=240)


@dataclass(frozen=True)
class Case:
    """One ``kubectl get`` and the API paths its requests read.

    Attributes:
        args: The get arguments before ``-o``.
        output: The ``-o`` value.
        paths: What kubectl GETs, in the order it visits them.
        single: The request names exactly one object (kubectl prints it alone).
        flags: More flags after ``-o`` (``--no-headers``, ``--show-managed-fields``).
    """

    args: tuple[str, ...]
    output: str
    paths: tuple[str, ...]
    single: bool = False
    flags: tuple[str, ...] = ()

    def argv(self) -> list[str]:
        return ["get", *self.args, "-o", self.output, *self.flags]


def _ns(resource: str, name: str = "", group: str = "") -> str:
    base = f"/apis/{group}" if group else "/api/v1"
    return f"{base}/namespaces/{NS}/{resource}" + (f"/{name}" if name else "")


SYSTEM_PODS = "/api/v1/namespaces/kube-system/pods"
SYSTEM_CMS = "/api/v1/namespaces/kube-system/configmaps"
NODES = "/api/v1/nodes"
NAMESPACES = "/api/v1/namespaces"
DEPLOYMENTS = _ns("deployments", group="apps/v1")
CMS = _ns("configmaps")
PODS = _ns("pods")

CASES: dict[str, Case] = {
    # -o yaml / -o json, single objects
    "cm-yaml": Case(("-n", NS, "configmap", "multiline"), "yaml", (_ns("configmaps", "multiline"),), True),
    "cm-json": Case(("-n", NS, "configmap", "multiline"), "json", (_ns("configmaps", "multiline"),), True),
    "cm-slash-yaml": Case(("-n", NS, "cm/plain"), "yaml", (_ns("configmaps", "plain"),), True),
    "pod-yaml": Case(("-n", NS, "pod", "sleeper"), "yaml", (_ns("pods", "sleeper"),), True),
    "pod-json": Case(("-n", NS, "pod", "sleeper"), "json", (_ns("pods", "sleeper"),), True),
    "pod-managed-fields": Case(("-n", NS, "pod", "sleeper"), "yaml", (_ns("pods", "sleeper"),), True,
                               ("--show-managed-fields",)),
    "secret-yaml": Case(("-n", NS, "secret", "creds"), "yaml", (_ns("secrets", "creds"),), True),
    "svc-json": Case(("-n", NS, "service", "web"), "json", (_ns("services", "web"),), True),
    "deploy-yaml": Case(("-n", NS, "deployment", "idle"), "yaml", (_ns("deployments", "idle", "apps/v1"),), True),
    "node-yaml": Case(("node", "labnode"), "yaml", (f"{NODES}/labnode",), True),
    "node-json": Case(("node", "labnode"), "json", (f"{NODES}/labnode",), True),
    "ns-json": Case(("namespace", "kube-system"), "json", (f"{NAMESPACES}/kube-system",), True),
    "coredns-cm-yaml": Case(("-n", "kube-system", "cm", "coredns"), "yaml", (f"{SYSTEM_CMS}/coredns",), True),
    # lists
    "cms-yaml": Case(("-n", NS, "configmaps"), "yaml", (CMS,)),
    "cms-json": Case(("-n", NS, "configmaps"), "json", (CMS,)),
    "pods-yaml": Case(("-n", NS, "pods"), "yaml", (PODS,)),
    "deploys-json": Case(("-n", NS, "deployments"), "json", (DEPLOYMENTS,)),
    "system-pods-yaml": Case(("-n", "kube-system", "pods"), "yaml", (SYSTEM_PODS,)),
    "system-pods-json": Case(("-n", "kube-system", "pods"), "json", (SYSTEM_PODS,)),
    "system-cms-yaml": Case(("-n", "kube-system", "configmaps"), "yaml", (SYSTEM_CMS,)),
    "nodes-yaml": Case(("nodes",), "yaml", (NODES,)),
    "nodes-json": Case(("nodes",), "json", (NODES,)),
    "namespaces-yaml": Case(("namespaces", "default", "kube-system"), "yaml",
                            (f"{NAMESPACES}/default", f"{NAMESPACES}/kube-system")),
    "two-names-yaml": Case(("-n", NS, "configmap", "multiline", "plain"), "yaml",
                           (_ns("configmaps", "multiline"), _ns("configmaps", "plain"))),
    "two-slashes-json": Case(("-n", NS, "cm/plain", "svc/web"), "json",
                             (_ns("configmaps", "plain"), _ns("services", "web"))),
    "two-kinds-yaml": Case(("-n", NS, "configmaps,services"), "yaml", (CMS, _ns("services"))),
    "empty-json": Case(("-n", NS, "pods", "-l", "nothing=here"), "json", (PODS + "?labelSelector=nothing%3Dhere",)),
    "empty-yaml": Case(("-n", NS, "pods", "-l", "nothing=here"), "yaml", (PODS + "?labelSelector=nothing%3Dhere",)),
    # -o name
    "cms-name": Case(("-n", NS, "configmaps"), "name", (CMS,)),
    "deploy-name": Case(("-n", NS, "deployment", "idle"), "name", (_ns("deployments", "idle", "apps/v1"),), True),
    "nodes-name": Case(("nodes",), "name", (NODES,)),
    "two-kinds-name": Case(("-n", NS, "cm,svc,deploy"), "name", (CMS, _ns("services"), DEPLOYMENTS)),
    "clusterrole-name": Case(("clusterrole", "system:basic-user"), "name",
                             ("/apis/rbac.authorization.k8s.io/v1/clusterroles/system:basic-user",), True),
    # -o jsonpath
    "jp-names": Case(("-n", NS, "configmaps"), "jsonpath={.items[*].metadata.name}", (CMS,)),
    "jp-range": Case(("-n", NS, "pods"),
                     'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.spec.containers[*].name}{"\\n"}{end}', (PODS,)),
    "jp-filter": Case(("-n", NS, "configmaps"), 'jsonpath={.items[?(@.metadata.name=="multiline")].data.multi}', (CMS,)),
    "jp-map": Case(("-n", NS, "pod", "sleeper"), "jsonpath={.metadata.labels} {.spec.containers[0].ports}",
                   (_ns("pods", "sleeper"),), True),
    "jp-raw-text": Case(("-n", NS, "cm", "multiline"), "jsonpath={.data.keep}|{.data.html}|{.data.unicode}",
                        (_ns("configmaps", "multiline"),), True),
    "jp-numbers": Case(("node", "labnode"), "jsonpath={.status.nodeInfo.kubeletVersion} {.metadata.generation}"
                       " {.status.daemonEndpoints.kubeletEndpoint.Port} {.spec.unschedulable}",
                       (f"{NODES}/labnode",), True),
    "jp-missing": Case(("-n", NS, "pod", "sleeper"), "jsonpath=[{.metadata.nothing}]", (_ns("pods", "sleeper"),), True),
    "jp-union-slice": Case(("-n", NS, "pod", "sleeper"), "jsonpath={.spec.containers[-1:].name} "
                           "{.spec.containers[0]['name','image']}", (_ns("pods", "sleeper"),), True),
    "jp-recursive-one": Case(("-n", NS, "svc", "web"), "jsonpath={..targetPort}", (_ns("services", "web"),), True),
    "jp-as-json": Case(("-n", NS, "configmaps"), "jsonpath-as-json={.items[*].metadata.name}", (CMS,)),
    "jp-nodes": Case(("nodes",), 'jsonpath={range .items[*]}{.metadata.name}{":"}'
                     '{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}', (NODES,)),
    "jp-index-error": Case(("-n", NS, "configmaps"), "jsonpath={.items[5]}", (CMS,)),
    "jp-parse-error": Case(("-n", NS, "configmaps"), "jsonpath={.items[0].metadata.name", (CMS,)),
    # -o custom-columns
    "cc-pods": Case(("-n", NS, "pods"), "custom-columns=NAME:.metadata.name,IMAGES:.spec.containers[*].image,"
                    "PORTS:.spec.containers[*].ports[*].containerPort", (PODS,)),
    "cc-nodes": Case(("nodes",), "custom-columns=NAME:.metadata.name,KUBELET:.status.nodeInfo.kubeletVersion,"
                     "UNSCHEDULABLE:.spec.unschedulable", (NODES,)),
    "cc-map-values": Case(("-n", NS, "pod", "sleeper"), "custom-columns=LABELS:.metadata.labels,ENV:.spec.containers[0].env",
                          (_ns("pods", "sleeper"),), True),
    "cc-multiline": Case(("-n", NS, "cm", "multiline"), "custom-columns=NAME:.metadata.name,MULTI:.data.multi,T:.data.tabs",
                         (_ns("configmaps", "multiline"),), True),
    "cc-no-headers": Case(("-n", NS, "configmaps"), "custom-columns=N:metadata.name,NS:{.metadata.namespace}",
                          (CMS,), flags=("--no-headers",)),
    "cc-system-pods": Case(("-n", "kube-system", "pods"), "custom-columns=POD:.metadata.name,NODE:.spec.nodeName,"
                           "PHASE:.status.phase,IP:.status.podIP", (SYSTEM_PODS,)),
    "cc-empty": Case(("-n", NS, "pods", "-l", "nothing=here"), "custom-columns=NAME:.metadata.name",
                     (PODS + "?labelSelector=nothing%3Dhere",)),
    "cc-index-error": Case(("-n", NS, "pods"), "custom-columns=NAME:.metadata.name,X:.spec.containers[5].name", (PODS,)),
    "cc-spec-error": Case(("-n", NS, "pods"), "custom-columns=NAME", (PODS,)),
}


def _objects(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The objects kubectl's builder visits: list items flattened, single objects as they are."""
    objects: list[dict[str, Any]] = []
    for doc in docs:
        objects.extend(list_items(doc) if isinstance(doc.get("items"), list) else [doc])
    return objects


def _print(case: Case, obj: dict[str, Any]) -> str:
    """Our printer for the case's ``-o`` value."""
    fmt, _, argument = case.output.partition("=")
    if fmt in ("yaml", "json"):
        printer = print_yaml if fmt == "yaml" else print_json
        return printer(obj, show_managed_fields="--show-managed-fields" in case.flags)
    if fmt == "name":
        return print_names(obj)
    if fmt in ("jsonpath", "jsonpath-as-json"):
        return print_jsonpath(argument, obj, as_json=fmt == "jsonpath-as-json")
    assert fmt == "custom-columns", fmt
    columns = parse_custom_columns(argument)
    return print_custom_columns(columns, obj, no_headers="--no-headers" in case.flags)


def ours(case: Case, docs: list[dict[str, Any]]) -> tuple[str, str, int]:
    """What reportgen prints for the fetched documents: stdout, stderr, exit code."""
    obj = output_object(_objects(docs), single_item_implied=case.single)
    try:
        return _print(case, obj), "", 0
    except PrintError as exc:
        return exc.stdout, exc.stderr, 1


def _fetch(paths: tuple[str, ...]) -> list[dict[str, Any]]:
    docs = []
    for path in paths:
        proc = kubectl("get", "--raw", path)
        _must(proc)
        docs.append(json.loads(proc.stdout))
    return docs


@pytest.mark.parametrize("name", sorted(CASES))
def test_printer_matches_kubectl(name: str, namespace: str) -> None:
    case = CASES[name]
    for attempt in range(ATTEMPTS):
        time.sleep(attempt)  # let a changing object settle
        before = _fetch(case.paths)
        proc = kubectl(*case.argv())
        after = _fetch(case.paths)
        if before == after:
            break
    assert ours(case, after) == (proc.stdout, proc.stderr, proc.returncode), " ".join(["kubectl", *case.argv()])


def test_the_cases_cover_enough(namespace: str) -> None:
    outputs = {c.output.partition("=")[0] for c in CASES.values()}
    assert len(CASES) >= 40
    assert outputs == {"yaml", "json", "name", "jsonpath", "jsonpath-as-json", "custom-columns"}
