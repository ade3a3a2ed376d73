"""``kubectl top pod|node`` without a cluster: parsing, quantities, sorting, printing and the verb's error paths.

Cases marked "kubectl:" are taken from k8s.io/kubectl v0.34.4 ``pkg/metricsutil/metrics_printer_test.go``
(outputs byte for byte) and ``pkg/cmd/top/top_pod_test.go``/``top_node_test.go``/``top_test.go`` (their
metrics data and the orders they expect).
"""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from reportgen._cli_kubectl import PREVIEW_VERBS
from reportgen._kubectl import CommandError, TopCommand, parse_command
from reportgen._kubectl import _top as top_module
from reportgen._kubectl._api import Api, Output
from reportgen._kubectl._describe._quantity import parse_quantity
from reportgen._kubectl._discovery import Discovery, ResourceType
from reportgen._kubectl._metrics_printer import (
    NodeMetrics,
    PodMetrics,
    percent_text,
    pod_usage,
    print_node_metrics,
    print_pod_metrics,
    usage_text,
)
from reportgen._kubectl._run import run_command, runs_here
from reportgen._kubectl._top import go_duration, metrics_api_available, top

MI = 1024 * 1024

# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(("line", "fields"), [
    ("kubectl top pod", {"resource": "pods", "name": None, "namespace": None}),
    ("kubectl top pods -A --sort-by=memory", {"resource": "pods", "all_namespaces": True, "sort_by": "memory"}),
    ("kubectl top po web --containers --no-headers", {"name": "web", "containers": True, "no_headers": True}),
    ("kubectl top pod -n kube-system -l 'k8s-app in (kube-dns)' --sum",
     {"namespace": "kube-system", "selector": "k8s-app in (kube-dns)", "sum": True}),
    ("kubectl top pod --field-selector=status.phase=Running", {"field_selector": "status.phase=Running"}),
    ("kubectl -n x top pod", {"namespace": "x"}),
    ("kubectl top -n x pod", {"namespace": "x", "resource": "pods"}),
    ("kubectl top node", {"resource": "nodes", "name": None, "show_capacity": False}),
    ("kubectl top nodes lab-node --show-capacity", {"resource": "nodes", "name": "lab-node", "show_capacity": True}),
    ("kubectl top no -l kubernetes.io/os=linux --sort-by cpu",
     {"resource": "nodes", "selector": "kubernetes.io/os=linux", "sort_by": "cpu"}),
    ("kubectl top pod --sort-by=", {"sort_by": ""}),
])
def test_top_forms(line: str, fields: dict[str, Any]) -> None:
    command = parse_command(line)
    assert isinstance(command, TopCommand)
    assert command.verb == "top" and not command.mutates and runs_here(command)
    for name, value in fields.items():
        assert getattr(command, name) == value, name


@pytest.mark.parametrize(("line", "message"), [
    ("kubectl top", "kubectl top needs pod or node"),
    ("kubectl top services", "kubectl top needs pod or node"),
    ("kubectl top pod --sort-by=cpu,memory", "--sort-by accepts only cpu or memory"),
    ("kubectl top node --sort-by=name", "--sort-by accepts only cpu or memory"),
    ("kubectl top pod web --field-selector=a=b", "only one of NAME or selector can be provided"),
    ("kubectl top node n -l a=b", "only one of NAME or --selector can be provided"),
    ("kubectl top pod a b", "takes one NAME at most"),
    ("kubectl top node -A", "unsupported flag -A for top"),
    ("kubectl top node --sum", "unsupported flag --sum for top"),
    ("kubectl top pod --show-capacity", "unsupported flag --show-capacity for top"),
    ("kubectl top pod --show-swap", "unsupported flag --show-swap for top"),
    ("kubectl top pod -l 'a in (b'", "not a label requirement"),
])
def test_top_rejections(line: str, message: str) -> None:
    with pytest.raises(CommandError) as info:
        parse_command(line)
    assert message in info.value.message
    assert info.value.hint


def test_top_is_a_preview_verb() -> None:
    from reportgen.cli import main

    assert "top" in PREVIEW_VERBS
    assert "top" in main.commands


# --------------------------------------------------------------------------- quantities


@pytest.mark.parametrize(("resource", "text", "shown"), [
    ("cpu", "1", "1000m"),
    ("cpu", "0.2", "200m"),
    ("cpu", "250m", "250m"),
    ("cpu", "1234567n", "2m"),  # MilliValue rounds up
    ("cpu", "1n", "1m"),
    ("cpu", "0", "0m"),
    ("memory", "1Gi", "1024Mi"),
    ("memory", "1536Ki", "1Mi"),  # Value() / 2^20, Go's integer division
    ("memory", "1048575", "0Mi"),
    ("memory", str(2 * MI), "2Mi"),
    ("memory", "100M", "95Mi"),
    ("swap", "3Mi", "3Mi"),
    ("storage", "1k", "1000"),
])
def test_usage_is_printed_as_kubectl_prints_it(resource: str, text: str, shown: str) -> None:
    assert usage_text(resource, parse_quantity(text)) == shown


@pytest.mark.parametrize(("used", "available", "shown"), [
    ("1", "10", "10%"),
    ("1Gi", "10Gi", "10%"),
    ("5Gi", "10Gi", "50%"),
    ("999m", "10", "9%"),  # truncated, not rounded
    ("3", "2", "150%"),
    ("1", "0", "0%"),
    ("1m", "3", "0%"),
    ("200m", "3", "6%"),
])
def test_percentages_truncate_as_int64_does(used: str, available: str, shown: str) -> None:
    assert percent_text(parse_quantity(used), parse_quantity(available)) == shown


def test_pod_usage_adds_exactly_before_rounding() -> None:
    pod = _pod("p", ("a", "400000n", "1Ki"), ("b", "400000n", "1Ki"))
    usage = pod_usage(pod)
    assert usage_text("cpu", usage["cpu"]) == "1m"  # 0.8m in all, rounded up once
    assert usage["memory"].value() == 2048


@pytest.mark.parametrize(("nanoseconds", "text"), [  # Go's time.Duration String tests
    (0, "0s"), (1, "1ns"), (1100, "1.1µs"), (2_200_000, "2.2ms"), (3_300_000_000, "3.3s"),
    (4 * 60 * 10**9 + 5 * 10**9, "4m5s"), (4 * 60 * 10**9 + 5_001_000_000, "4m5.001s"),
    (5 * 3600 * 10**9 + 6 * 60 * 10**9 + 7_001_000_000, "5h6m7.001s"), (8 * 60 * 10**9 + 1, "8m0.000000001s"),
    (3600 * 10**9, "1h0m0s"), (-1_500_000_000, "-1.5s"), (2**63 - 1, "2562047h47m16.854775807s"),
])
def test_go_duration(nanoseconds: int, text: str) -> None:
    assert go_duration(nanoseconds) == text


# --------------------------------------------------------------------------- printers (kubectl's own cases)


def _quantities(raw: dict[str, str]) -> dict[str, Any]:
    return {name: parse_quantity(value) for name, value in raw.items()}


def _capacity() -> dict[str, Any]:
    return _quantities({"cpu": "10", "memory": "10Gi"})


def test_kubectl_single_node_with_default_header() -> None:
    out = print_node_metrics([NodeMetrics("node1", _quantities({"cpu": "1", "memory": "1Gi"}))], {"node1": _capacity()})
    assert out == (
        "NAME    CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \n"
        "node1   1000m        10%      1024Mi          10%         \n"
    )


def test_kubectl_single_node_without_header() -> None:
    out = print_node_metrics([NodeMetrics("node1", _quantities({"cpu": "1", "memory": "1Gi"}))],
                             {"node1": _capacity()}, no_headers=True)
    assert out == "node1   1000m   10%   1024Mi   10%   \n"


def test_kubectl_multiple_nodes_with_one_missing_metrics() -> None:
    out = print_node_metrics([NodeMetrics("node1", _quantities({"cpu": "1", "memory": "1Gi"}))],
                             {"node1": _capacity(), "node2": _capacity()})
    assert out == (
        "NAME    CPU(cores)   CPU(%)      MEMORY(bytes)   MEMORY(%)   \n"
        "node1   1000m        10%         1024Mi          10%         \n"
        "node2   <unknown>    <unknown>   <unknown>       <unknown>   \n"
    )


def test_kubectl_multiple_nodes_sorted_by_memory() -> None:
    metrics = [NodeMetrics("node1", _quantities({"cpu": "1", "memory": "1Gi"})),
               NodeMetrics("node2", _quantities({"cpu": "2", "memory": "5Gi"}))]
    out = print_node_metrics(metrics, {"node1": _capacity(), "node2": _capacity()}, sort_by="memory")
    assert out == (
        "NAME    CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \n"
        "node2   2000m        20%      5120Mi          50%         \n"
        "node1   1000m        10%      1024Mi          10%         \n"
    )


def test_a_node_without_allocatable_has_no_percentages() -> None:
    out = print_node_metrics([NodeMetrics("n", _quantities({"cpu": "1", "memory": "1Gi"}))], {"n": {}})
    assert out.splitlines()[1] == "n      1000m        1024Mi   "


def test_no_metrics_print_nothing() -> None:
    assert print_node_metrics([], {"n": _capacity()}) == ""
    assert print_pod_metrics([]) == ""


def _pod(name: str, *containers: tuple[str, str, str], namespace: str = "default") -> PodMetrics:
    return PodMetrics(namespace, name, tuple((c, _quantities({"cpu": cpu, "memory": memory}))
                                            for c, cpu, memory in containers))


def _two_pods() -> list[PodMetrics]:
    return [_pod("test", ("container1", "0.2", "1Gi"), ("container2", "0.2", "1Gi")),
            _pod("test-1", ("container1", "0.2", "3Gi"), ("container2", "0.2", "2Gi"))]


def test_kubectl_single_pod_with_multiple_containers() -> None:
    out = print_pod_metrics(_two_pods()[:1])
    assert out == "NAME   CPU(cores)   MEMORY(bytes)   \ntest   400m         2048Mi          \n"


def test_kubectl_single_pod_print_containers() -> None:
    out = print_pod_metrics(_two_pods()[:1], containers=True)
    assert out == (
        "POD    NAME         CPU(cores)   MEMORY(bytes)   \n"
        "test   container1   200m         1024Mi          \n"
        "test   container2   200m         1024Mi          \n"
    )


def test_kubectl_single_pod_without_header() -> None:
    assert print_pod_metrics(_two_pods()[:1], no_headers=True) == "test   400m   2048Mi   \n"


def test_kubectl_pods_sorted_by_memory() -> None:
    out = print_pod_metrics(_two_pods(), sort_by="memory")
    assert out == (
        "NAME     CPU(cores)   MEMORY(bytes)   \n"
        "test-1   400m         5120Mi          \n"
        "test     400m         2048Mi          \n"
    )


def test_kubectl_pods_total_resource_usage() -> None:
    out = print_pod_metrics(_two_pods(), total=True)
    assert out == (
        "NAME     CPU(cores)   MEMORY(bytes)   \n"
        "test     400m         2048Mi          \n"
        "test-1   400m         5120Mi          \n"
        "         ________     ________        \n"
        "         800m         7168Mi          \n"
    )


# What the Go code printed (k8s.io/kubectl v0.34.4 metricsutil, built from the module cache, Go 1.26):
# kubectl counts the sum's extra columns only when it printed their headers, a quirk kept.
GO_SUMS = {
    (True, True, False): (
        "NAMESPACE   POD      NAME         CPU(cores)   MEMORY(bytes)   \n"
        "default     test     container1   200m         1024Mi          \n"
        "default     test     container2   200m         1024Mi          \n"
        "default     test-1   container1   200m         3072Mi          \n"
        "default     test-1   container2   200m         2048Mi          \n"
        "                                  ________     ________        \n"
        "                                  800m         7168Mi          \n"),
    (False, True, True): (
        "default   test       400m       2048Mi   \n"
        "default   test-1     400m       5120Mi   \n"
        "          ________   ________   \n"
        "          800m       7168Mi     \n"),
    (True, False, True): (
        "test     container1   200m       1024Mi   \n"
        "test     container2   200m       1024Mi   \n"
        "test-1   container1   200m       3072Mi   \n"
        "test-1   container2   200m       2048Mi   \n"
        "         ________     ________   \n"
        "         800m         7168Mi     \n"),
    (True, True, True): (
        "default   test       container1   200m   1024Mi   \n"
        "default   test       container2   200m   1024Mi   \n"
        "default   test-1     container1   200m   3072Mi   \n"
        "default   test-1     container2   200m   2048Mi   \n"
        "          ________   ________     \n"
        "          800m       7168Mi       \n"),
}


@pytest.mark.parametrize(("containers", "with_namespace", "no_headers"), list(GO_SUMS))
def test_the_sum_rows_as_go_prints_them(containers: bool, with_namespace: bool, no_headers: bool) -> None:
    out = print_pod_metrics(_two_pods(), containers=containers, with_namespace=with_namespace,
                            no_headers=no_headers, total=True)
    assert out == GO_SUMS[containers, with_namespace, no_headers]


def _tied() -> list[PodMetrics]:
    return [_pod(f"p{i * 7 % 20:02d}", ("c", "1m", "2Mi" if i % 3 == 0 else "1Mi")) for i in range(20)]


@pytest.mark.parametrize(("sort_by", "order"), [  # what Go's sort.Sort gave (see GO_SUMS)
    ("cpu", "00 07 14 01 08 15 02 09 16 03 10 17 04 11 18 05 12 19 06 13"),
    ("memory", "03 06 05 01 04 00 02 15 16 09 10 17 08 11 18 14 12 19 07 13"),
])
def test_ties_in_long_lists_come_out_as_gos_unstable_sort_leaves_them(sort_by: str, order: str) -> None:
    rows = print_pod_metrics(_tied(), sort_by=sort_by, no_headers=True).splitlines()
    assert " ".join(row.split()[0][1:] for row in rows) == order


def test_all_namespaces_sorts_by_namespace_then_name() -> None:
    pods = [_pod("a", ("c", "1m", "1Mi"), namespace="zz"), _pod("b", ("c", "1m", "1Mi"), namespace="aa"),
            _pod("a", ("c", "1m", "1Mi"), namespace="aa")]
    out = print_pod_metrics(pods, with_namespace=True)
    assert [line.split()[:2] for line in out.splitlines()] == [
        ["NAMESPACE", "NAME"], ["aa", "a"], ["aa", "b"], ["zz", "a"]]


# kubectl: testV1beta1PodMetricsData (top_pod_test.go)
def _kubectl_pods(namespace: str = "test") -> list[dict[str, Any]]:
    def pod(name: str, *containers: tuple[str, int, int]) -> dict[str, Any]:
        return {"metadata": {"name": name, "namespace": namespace},
                "containers": [{"name": c, "usage": {"cpu": f"{cpu}m", "memory": str(memory * MI)}}
                               for c, cpu, memory in containers]}
    return [pod("pod1", ("container1-1", 1, 2), ("container1-2", 4, 5)),
            pod("pod2", ("container2-1", 7, 8), ("container2-2", 10, 11), ("container2-3", 13, 14)),
            pod("pod3", ("container3-1", 7, 8))]


@pytest.mark.parametrize("sort_by", ["cpu", "memory"])
def test_kubectl_pod_and_container_orders(sort_by: str) -> None:
    pods = [PodMetrics.from_json(item) for item in _kubectl_pods()]
    rows = print_pod_metrics(pods, sort_by=sort_by).splitlines()[1:]
    assert [row.split()[0] for row in rows] == ["pod2", "pod3", "pod1"]
    rows = print_pod_metrics(pods, sort_by=sort_by, containers=True).splitlines()[1:]
    assert [row.split()[1] for row in rows] == ["container2-3", "container2-2", "container2-1", "container3-1",
                                                 "container1-2", "container1-1"]


def test_ties_keep_the_server_order_in_short_lists() -> None:
    """Go's sort.Sort is an insertion sort up to 12 elements: ties stay in the order the server sent."""
    pods = [_pod(name, ("c", "1m", "1Mi")) for name in ("c", "a", "b")]
    rows = print_pod_metrics(pods, sort_by="cpu", no_headers=True).splitlines()
    assert [row.split()[0] for row in rows] == ["c", "a", "b"]


# --------------------------------------------------------------------------- the verb, on a fake API

# kubectl: testNodeV1beta1MetricsData (top_test.go)
NODE_METRICS = [
    {"metadata": {"name": "node1"}, "usage": {"cpu": "1m", "memory": str(2 * MI)}},
    {"metadata": {"name": "node2"}, "usage": {"cpu": "5m", "memory": str(6 * MI)}},
    {"metadata": {"name": "node3"}, "usage": {"cpu": "3m", "memory": str(4 * MI)}},
]
NODES = [
    {"metadata": {"name": "node1"}, "status": {"allocatable": {"cpu": "10m", "memory": str(20 * MI)},
                                               "capacity": {"cpu": "20m", "memory": str(40 * MI)}}},
    {"metadata": {"name": "node2"}, "status": {"allocatable": {"cpu": "50m", "memory": str(60 * MI)}}},
    {"metadata": {"name": "node3"}, "status": {"allocatable": {"cpu": "30m", "memory": str(40 * MI)}}},
]
NOW = datetime(2026, 12, 2, 12, 0, 0, tzinfo=UTC)
M = "/apis/metrics.k8s.io/v1beta1"


def _discovery(with_metrics: bool = True) -> Discovery:
    core = (ResourceType("", "v1", "pods", True, "Pod"), ResourceType("", "v1", "nodes", False, "Node"))
    metrics = (ResourceType("metrics.k8s.io", "v1beta1", "nodes", False, "NodeMetrics"),
               ResourceType("metrics.k8s.io", "v1beta1", "pods", True, "PodMetrics"))
    return Discovery(core + metrics * with_metrics)


class FakeApi:
    """Answers GETs from a path -> object table; records (path, query) asked for."""

    def __init__(self, answers: dict[str, Any], *, namespace: str = "testns", metrics: bool = True) -> None:
        self.answers = answers
        self.asked: list[tuple[str, list[tuple[str, str]]]] = []
        self.api = Api(fetch=self.fetch, send=self.send, namespace=namespace, discovery=_discovery(metrics))

    def fetch(self, path: str, query: list[tuple[str, str]], accept: str) -> tuple[int, bytes, Any]:
        self.asked.append((path, query))
        if path not in self.answers:
            name = path.rsplit("/", 1)[1]
            kind = "nodemetrics" if "/nodes/" in path else "podmetrics"
            status = {"kind": "Status", "status": "Failure", "reason": "NotFound", "code": 404,
                      "message": f'{kind}.metrics.k8s.io "{name}" not found'}
            return 404, json.dumps(status).encode(), None
        return 200, json.dumps(self.answers[path]).encode(), None

    def send(self, *args: Any) -> Any:
        raise AssertionError("top only reads")

    def run(self, line: str) -> Output:
        command = parse_command(line)
        assert isinstance(command, TopCommand)
        if command.namespace:
            self.api.namespace = command.namespace
        return run_command(self.api, command)


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pod ages are measured at NOW."""
    monkeypatch.setattr(top_module, "top", functools.partial(top, now=lambda: NOW))


def _listed(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"kind": "List", "items": items}


def test_no_metrics_api_is_kubectls_error() -> None:
    fake = FakeApi({}, metrics=False)
    for line in ("kubectl top pod", "kubectl top node"):
        out = fake.run(line)
        assert (out.stdout, out.stderr, out.exit_code) == ("", "error: Metrics API not available\n", 1)
    assert fake.asked == []
    assert not metrics_api_available(_discovery(False)) and metrics_api_available(_discovery())


def test_top_nodes_use_allocatable() -> None:
    fake = FakeApi({f"{M}/nodes": _listed(NODE_METRICS), "/api/v1/nodes": _listed(NODES)})
    out = fake.run("kubectl top nodes")
    assert out.stdout == (
        "NAME    CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \n"
        "node1   1m           10%      2Mi             10%         \n"
        "node2   5m           10%      6Mi             10%         \n"
        "node3   3m           10%      4Mi             10%         \n"
    )
    assert (out.stderr, out.exit_code) == ("", 0)
    assert fake.asked == [(f"{M}/nodes", []), ("/api/v1/nodes", [])]


def test_top_nodes_show_capacity_sort_and_selector() -> None:
    fake = FakeApi({f"{M}/nodes": _listed(NODE_METRICS), "/api/v1/nodes": _listed(NODES)})
    out = fake.run("kubectl top node --show-capacity --sort-by=cpu -l key=value --no-headers")
    assert [line.split() for line in out.stdout.splitlines()] == [
        ["node2", "5m", "6Mi"], ["node3", "3m", "4Mi"], ["node1", "1m", "5%", "2Mi", "5%"]]  # only node1 has a capacity
    assert fake.asked[0] == (f"{M}/nodes", [("labelSelector", "key=value")])
    assert fake.asked[1] == ("/api/v1/nodes", [("labelSelector", "key=value")])


def test_top_node_by_name_and_not_found() -> None:
    fake = FakeApi({f"{M}/nodes/node1": NODE_METRICS[0], "/api/v1/nodes/node1": NODES[0]})
    assert fake.run("kubectl top node node1 --no-headers").stdout == "node1   1m    10%   2Mi   10%   \n"
    out = fake.run("kubectl top node nope")
    assert (out.stdout, out.stderr, out.exit_code) == (
        "", 'Error from server (NotFound): nodemetrics.metrics.k8s.io "nope" not found\n', 1)


def test_top_nodes_without_metrics_yet() -> None:
    out = FakeApi({f"{M}/nodes": _listed([]), "/api/v1/nodes": _listed(NODES)}).run("kubectl top node")
    assert (out.stdout, out.stderr, out.exit_code) == ("", "error: metrics not available yet\n", 1)


def test_top_pods_in_the_namespace_with_selectors() -> None:
    fake = FakeApi({f"{M}/namespaces/testns/pods": _listed(_kubectl_pods("testns"))})
    out = fake.run("kubectl top pod -l key=value --field-selector=metadata.name!=x")
    assert out.stdout == (
        "NAME   CPU(cores)   MEMORY(bytes)   \n"
        "pod1   5m           7Mi             \n"
        "pod2   30m          33Mi            \n"
        "pod3   7m           8Mi             \n"
    )
    assert fake.asked == [(f"{M}/namespaces/testns/pods",
                           [("labelSelector", "key=value"), ("fieldSelector", "metadata.name!=x")])]


def test_top_pods_all_namespaces() -> None:
    items = _kubectl_pods("testns")
    items[1]["metadata"]["namespace"] = "secondtestns"
    fake = FakeApi({f"{M}/pods": _listed(items)})
    out = fake.run("kubectl top pods -A")
    assert [line.split()[:2] for line in out.stdout.splitlines()] == [
        ["NAMESPACE", "NAME"], ["secondtestns", "pod2"], ["testns", "pod1"], ["testns", "pod3"]]


def test_top_pod_by_name_with_containers() -> None:
    fake = FakeApi({f"{M}/namespaces/kube-system/pods/pod1": _kubectl_pods("kube-system")[0]})
    out = fake.run("kubectl top pod pod1 -n kube-system --containers")
    assert out.stdout == (
        "POD    NAME           CPU(cores)   MEMORY(bytes)   \n"
        "pod1   container1-1   1m           2Mi             \n"
        "pod1   container1-2   4m           5Mi             \n"
    )
    out = fake.run("kubectl top pod nope -n kube-system")
    assert out.stderr == 'Error from server (NotFound): podmetrics.metrics.k8s.io "nope" not found\n'


def _pod_object(name: str, created: str, namespace: str = "testns") -> dict[str, Any]:
    return {"metadata": {"name": name, "namespace": namespace, "creationTimestamp": created}}


@pytest.mark.parametrize(("line", "stderr"), [
    ("kubectl top pod", "No resources found in testns namespace.\n"),
    ("kubectl top pod -A", "No resources found\n"),
])
def test_kubectl_no_resources_found(line: str, stderr: str) -> None:
    """kubectl: TestTopPodNoResourcesFound. Even with -A, kubectl looks for pods in the namespace in effect."""
    fake = FakeApi({f"{M}/namespaces/testns/pods": _listed([]), f"{M}/pods": _listed([]),
                    "/api/v1/namespaces/testns/pods": _listed([])})
    out = fake.run(line)
    assert (out.stdout, out.stderr, out.exit_code) == ("", stderr, 0)
    assert fake.asked[-1] == ("/api/v1/namespaces/testns/pods", [])


def test_metrics_late_for_a_young_pod_or_missing_for_an_old_one() -> None:
    answers = {f"{M}/namespaces/testns/pods": _listed([]),
               "/api/v1/namespaces/testns/pods": _listed([_pod_object("young", "2026-12-02T11:59:00Z")])}
    out = FakeApi(answers).run("kubectl top pod -l app=x")
    assert (out.stderr, out.exit_code) == ("error: metrics not available yet\n", 1)
    answers["/api/v1/namespaces/testns/pods"]["items"].append(_pod_object("old", "2026-12-02T09:54:30Z"))
    fake = FakeApi(answers)
    out = fake.run("kubectl top pod -l app=x")
    assert out.stderr == "error: Metrics not available for pod testns/old, age: 2h5m30s\n"
    assert fake.asked[-1] == ("/api/v1/namespaces/testns/pods", [("labelSelector", "app=x")])
