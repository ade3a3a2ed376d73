"""``reportgen._kubectl._describe``: replayed lab fixtures against kubectl's own output, and the ported helpers.

The ``lab-*.json`` fixtures are recorded by ``scripts/record_describe_fixtures.py``:
the API JSON ``describe_text`` read and what kubectl v1.34 printed at the same
moment. They are replayed here, byte for byte, with only ages masked. The
``go-*.txt`` files hold what the Go code itself printed (see the README there).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from record_describe_fixtures import cases, mask_ages, synthetic_cases  # noqa: E402

from reportgen._kubectl._describe import DescribeArgs, DescribeNotPorted, DescribeOutput, describe_text  # noqa: E402
from reportgen._kubectl._describe._clock import Clock, human_duration  # noqa: E402
from reportgen._kubectl._describe._containers import describe_probe  # noqa: E402
from reportgen._kubectl._describe._generic import camelcase_split, smart_label  # noqa: E402
from reportgen._kubectl._describe._goformat import go_quote, url_string  # noqa: E402
from reportgen._kubectl._describe._gosort import go_sort  # noqa: E402
from reportgen._kubectl._describe._podresources import pod_qos, pod_requests_and_limits  # noqa: E402
from reportgen._kubectl._describe._quantity import parse_quantity  # noqa: E402
from reportgen._kubectl._describe._selectors import format_label_selector, labels_string  # noqa: E402
from reportgen._kubectl._describe._writer import (  # noqa: E402
    describe_events,
    print_annotations,
    print_taints,
    print_tolerations,
    tabbed_string,
)
from reportgen._kubectl._discovery import Discovery, discover  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "describe"
LAB_CASES = sorted(p for p in FIXTURES.glob("lab-*.json") if p.name != "lab-discovery.json")
SYNTHETIC_CASES = sorted(p for p in FIXTURES.glob("synthetic-*.json") if p.name != "synthetic-discovery.json")


# --------------------------------------------------------------------------- replaying recorded exchanges


class _Headers:
    def __init__(self, warnings: list[str]) -> None:
        self.warnings = warnings

    def getlist(self, name: str) -> list[str]:
        return self.warnings if name == "Warning" else []


class Replay:
    """A ``fetch`` answering from recorded exchanges, keeping the URLs asked for."""

    def __init__(self, exchanges: list[dict[str, Any]]) -> None:
        self.exchanges = {e["url"]: e for e in exchanges}
        self.asked: list[str] = []

    def __call__(self, path: str, query: list[tuple[str, str]], accept: str) -> tuple[int, bytes | str, Any]:
        url = path + (f"?{urlencode(query)}" if query else "")
        self.asked.append(url)
        exchange = self.exchanges.get(url)
        assert exchange is not None, f"unrecorded request {url}"
        body = exchange["body"]
        text = body if isinstance(body, str) else json.dumps(body)
        return exchange["status"], text, _Headers(exchange.get("warnings") or [])


def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


@pytest.fixture(scope="module")
def lab_discovery() -> Discovery:
    return discover(Replay(_load(FIXTURES / "lab-discovery.json")["exchanges"]))


@pytest.fixture(scope="module")
def synthetic_discovery() -> Discovery:
    return discover(Replay(_load(FIXTURES / "synthetic-discovery.json")["exchanges"]))


def _replayed(case: Path, discovery: Discovery) -> tuple[dict[str, Any], DescribeOutput, Replay]:
    fixture = _load(case)
    replay = Replay(fixture["exchanges"])
    args = DescribeArgs(**fixture["args"])
    now = datetime.fromisoformat(fixture["now"])
    return fixture, describe_text(replay, args, discovery=discovery, now=now, zone=ZoneInfo(fixture["zone"])), replay


def test_lab_fixtures_were_recorded() -> None:
    recorded = {p.name.removeprefix("lab-").removesuffix(".json") for p in LAB_CASES}
    assert recorded == set(cases())
    assert len(recorded) >= 30


def test_synthetic_fixtures_were_recorded() -> None:
    assert {p.stem for p in SYNTHETIC_CASES} == set(synthetic_cases())


def _assert_matches(case: Path, discovery: Discovery) -> None:
    fixture, ours, replay = _replayed(case, discovery)
    assert mask_ages(ours.stdout) == mask_ages(fixture["stdout"]), " ".join(fixture["argv"])
    assert (ours.stderr, ours.exit_code) == (fixture["stderr"], fixture["exit_code"])
    assert sorted(replay.asked) == sorted(e["url"] for e in fixture["exchanges"])


@pytest.mark.parametrize("case", LAB_CASES, ids=lambda p: p.stem)
def test_describe_matches_kubectl(case: Path, lab_discovery: Discovery) -> None:
    _assert_matches(case, lab_discovery)


@pytest.mark.parametrize("case", SYNTHETIC_CASES, ids=lambda p: p.stem)
def test_edge_cases_match_kubectl(case: Path, synthetic_discovery: Discovery) -> None:
    """Objects no lab holds (terminating pods, taints, load balancers...), described by kubectl from a fake server."""
    _assert_matches(case, synthetic_discovery)


def test_fixture_outputs_are_not_trivial(lab_discovery: Discovery) -> None:
    """The replayed cases cover every ported kind with real content."""
    outputs = "".join(_load(p)["stdout"] for p in LAB_CASES)
    for marker in ("Containers:", "Endpoints:", "OldReplicaSets:", "Volume Claims:", "Rules:", "Spec:",
                   "BinaryData", "Data\n====", "Used By:", "Non-terminated Pods:", "Resource Quotas",
                   "Resource Limits", "AddressType:", "Subsets:", "Events:\n  Type"):
        assert marker in outputs


def test_ages_are_the_only_masked_difference(lab_discovery: Discovery) -> None:
    """Replaying at a later moment changes ages, and nothing the mask does not hide."""
    fixture, _, _ = _replayed(FIXTURES / "lab-pod-tools.json", lab_discovery)
    later = datetime.fromisoformat(fixture["now"]) + timedelta(days=3)
    ours = describe_text(Replay(fixture["exchanges"]), DescribeArgs(**fixture["args"]), discovery=lab_discovery,
                         now=later, zone=UTC)
    assert ours.stdout != fixture["stdout"]
    assert mask_ages(ours.stdout) == mask_ages(fixture["stdout"])


def test_masking_hides_ages_only() -> None:
    text = ("Events:\n  Type    Reason  Age   From     Message\n  ----    ------  ----  ----     -------\n"
            "  Normal  Pulled  5s    kubelet  done\n")
    wider = text.replace("Age   From", "Age                From").replace("----  ----", "----               ----")
    wider = wider.replace("5s    kubelet", "3m (x2 over 10m)   kubelet")
    assert mask_ages(text) == mask_ages(wider)
    assert mask_ages(text) != mask_ages(text.replace("kubelet  done", "kubelet  other"))


def test_unported_kinds_are_refused(lab_discovery: Discovery) -> None:
    replay = Replay([{"url": "/apis/batch/v1/namespaces/default/jobs?limit=500", "status": 200,
                      "body": {"kind": "JobList", "items": [{"metadata": {"name": "j", "namespace": "default"}}],
                               "metadata": {}}}])
    with pytest.raises(DescribeNotPorted, match=r"Job\.batch"):
        describe_text(replay, DescribeArgs(["jobs"]), discovery=lab_discovery)


def test_args_round_trip_to_kubectl_argv() -> None:
    assert DescribeArgs(["pods"], ["web"], namespace="ns", selector=None).kubectl_argv() == [
        "describe", "pods", "web", "-n", "ns"]
    assert DescribeArgs(["svc", "deploy"], ["a", "b"], paired=True, all_namespaces=True).kubectl_argv() == [
        "describe", "svc/a", "deploy/b", "-A"]
    assert DescribeArgs(["pods", "svc"], selector="app=x").positional() == ["pods,svc"]


# --------------------------------------------------------------------------- Go's own output


def test_quantities_as_go_prints_them() -> None:
    """go-quantities.txt: String, Value, MilliValue and Format of apimachinery's Quantity; sums."""
    for line in (FIXTURES / "go-quantities.txt").read_text().splitlines():
        cells = line.split("\t")
        if len(cells) == 2:
            left, right = cells[0].split("+")
            assert parse_quantity(left).add(parse_quantity(right)).string() == cells[1], line
            continue
        text, shown, value, milli, fmt = cells
        quantity = parse_quantity(text)
        assert (quantity.string(), str(quantity.value()), quantity.format) == (shown, value, fmt), line
        if abs(quantity.milli_value()) < 2**63:  # Go's MilliValue overflows past int64
            assert str(quantity.milli_value()) == milli, line


def test_sort_is_gos_unstable_sort() -> None:
    """go-sort-slice.txt: sort.Slice on keys with many ties, as Go 1.26 orders them."""
    for line in (FIXTURES / "go-sort-slice.txt").read_text().splitlines():
        size, seed, order = line.split(" ", 2)
        n, x = int(size), (int(seed) * 7919 + int(size)) & 0xFFFFFFFF
        items = []
        for i in range(n):
            x = (x * 1103515245 + 12345) & 0xFFFFFFFF
            items.append(((x >> 16) % 7, i))
        go_sort(items, lambda a, b: a[0] < b[0])
        assert "[" + " ".join(str(i) for _, i in items) + "]" == order, line
        assert [k for k, _ in items] == sorted(k for k, _ in items)


@pytest.mark.parametrize(("seconds", "expected"), [
    (1, "1s"), (70, "70s"), (190, "3m10s"), (70 * 60, "70m"), (47 * 3600, "47h"), (49 * 3600, "2d1h"),
    ((8 * 24 + 2) * 3600, "8d"), (367 * 24 * 3600, "367d"), ((365 * 2 * 24 + 25) * 3600, "2y1d"),
    ((365 * 8 * 24 + 2) * 3600, "8y"), (-2, "<invalid>"), (0, "0s"), (120, "2m"), (600, "10m"),
    (3 * 3600 + 60, "3h1m"), (8 * 3600, "8h"), (2 * 24 * 3600, "2d"), (2 * 365 * 24 * 3600, "2y"),
])
def test_human_duration_matches_go_tests(seconds: int, expected: str) -> None:
    """Cases of apimachinery's duration_test.go."""
    assert human_duration(seconds * 10**9) == expected


def test_human_duration_boundaries() -> None:
    assert human_duration(-2 * 10**9 + 1) == "0s"
    assert human_duration(2 * 60 * 10**9 - 10**6) == "119s"
    assert human_duration(3 * 3600 * 10**9 - 10**6) == "179m"
    assert human_duration(8 * 24 * 3600 * 10**9 - 10**6) == "7d23h"


# --------------------------------------------------------------------------- describe's helpers


NOW = datetime(2026, 1, 10, 12, 0, 0, tzinfo=UTC)
CLOCK = Clock(NOW, UTC)


def _event(reason: str, last: str, **extra: Any) -> dict[str, Any]:
    return {"type": "Normal", "reason": reason, "lastTimestamp": last, "firstTimestamp": last, "count": 1,
            "source": {"component": "kubelet"}, "message": f" {reason} happened \n", **extra}


def test_events_table() -> None:
    events = [
        _event("Later", "2026-01-10T11:59:00Z"),
        _event("Counted", "2026-01-10T11:50:00Z", count=3, firstTimestamp="2026-01-10T10:00:00Z"),
        _event("Series", "2026-01-10T11:00:00Z", eventTime="2026-01-10T10:30:00.000000Z", source={},
               reportingComponent="controller", series={"count": 4, "lastObservedTime": "2026-01-10T11:58:00Z"}),
        _event("Unknown", "", firstTimestamp=None),
    ]
    text = tabbed_string(lambda w: describe_events(w, events, CLOCK))
    assert text == (
        "Events:\n"
        "  Type    Reason   Age                 From        Message\n"
        "  ----    ------   ----                ----        -------\n"
        "  Normal  Unknown  <unknown>           kubelet     Unknown happened\n"
        "  Normal  Series   2m (x4 over 90m)    controller  Series happened\n"
        "  Normal  Counted  10m (x3 over 120m)  kubelet     Counted happened\n"
        "  Normal  Later    60s                 kubelet     Later happened\n")
    assert tabbed_string(lambda w: describe_events(w, [], CLOCK)) == "Events:  <none>\n"


def test_events_with_equal_times_keep_gos_order() -> None:
    """More than 12 events at one second: Go's pdqsort, not a stable sort, decides their order."""
    events = [_event(f"E{i:02d}", "2026-01-10T11:00:00Z" if i % 3 else "2026-01-10T10:00:00Z") for i in range(20)]
    expected = list(events)
    go_sort(expected, lambda a, b: a["lastTimestamp"] < b["lastTimestamp"])
    lines = tabbed_string(lambda w: describe_events(w, events, CLOCK)).splitlines()[3:]
    assert [line.split()[1] for line in lines] == [e["reason"] for e in expected]
    assert [line.split()[1] for line in lines] != sorted((e["reason"] for e in events),
                                                         key=lambda r: (int(r[1:]) % 3 != 0, r))


def test_annotations_fold_long_and_multiline_values() -> None:
    annotations = {"short": "v", "long": "x" * 150, "multi": "a\nb\n",
                   "kubectl.kubernetes.io/last-applied-configuration": "{}"}
    text = tabbed_string(lambda w: print_annotations(w, "Annotations", annotations))
    assert text == ("Annotations:  long:\n"
                    f"                {'x' * 138}...\n"
                    "              multi:\n"
                    "                a\n"
                    "                b\n"
                    "              short: v\n")
    assert tabbed_string(lambda w: print_annotations(w, "Annotations", {})) == "Annotations:  <none>\n"


def test_tolerations_and_taints() -> None:
    tolerations: list[dict[str, Any]] = [{"key": "b", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                   {"operator": "Exists"}, {"key": "a", "value": "1", "effect": "NoSchedule"}]
    text = tabbed_string(lambda w: print_tolerations(w, "Tolerations", tolerations))
    assert text == "Tolerations:  op=Exists\n              a=1:NoSchedule\n              b:NoExecute op=Exists for 300s\n"
    taints = [{"key": "z", "effect": "NoSchedule"}, {"key": "a", "value": "v", "effect": "NoSchedule"},
              {"key": "k", "effect": "NoExecute"}, {"key": "bare"}]
    text = tabbed_string(lambda w: print_taints(w, "Taints", taints))
    assert text == "Taints:  bare\n         k:NoExecute\n         a=v:NoSchedule\n         z:NoSchedule\n"


def test_sections_align_separately_after_a_single_cell_line() -> None:
    """Go's text/tabwriter forgets column widths at every flush (kubectl get's remembers them)."""
    def body(w: Any) -> None:
        w.write(0, "Name:\tx\nA-much-longer-label:\ty\n")
        w.write(0, "Section:\n")
        w.write(1, "k:\tv\n")

    assert tabbed_string(body) == f"Name:{' ' * 17}x\nA-much-longer-label:  y\nSection:\n  k:  v\n"


def test_terminal_escapes_are_neutralised() -> None:
    assert tabbed_string(lambda w: w.write(0, "Name:\t\x1b[31mred\r\n")) == "Name:  ^[[31mred\\r\n"


def test_label_selectors() -> None:
    selector = {"matchLabels": {"b": "2", "a": "1"},
                "matchExpressions": [{"key": "c", "operator": "In", "values": ["y", "x"]},
                                     {"key": "a", "operator": "Exists"},
                                     {"key": "d", "operator": "DoesNotExist"},
                                     {"key": "e", "operator": "NotIn", "values": ["z"]}]}
    assert format_label_selector(selector) == "a=1,a,b=2,c in (x,y),!d,e notin (z)"
    assert format_label_selector({}) == "<none>"
    assert format_label_selector({"matchExpressions": [{"key": "a", "operator": "Near"}]}) == "<error>"
    assert labels_string({"z": "1", "a": ""}) == "a=,z=1"


def test_probes() -> None:
    timing = {"initialDelaySeconds": 1, "timeoutSeconds": 2, "periodSeconds": 3, "successThreshold": 1,
              "failureThreshold": 4}
    attrs = "delay=1s timeout=2s period=3s #success=1 #failure=4"
    assert describe_probe({"exec": {"command": ["cat", "/tmp/ok"]}, **timing}) == f"exec [cat /tmp/ok] {attrs}"
    assert describe_probe({"httpGet": {"path": "/a b?", "port": 8080, "scheme": "HTTPS", "host": "::1"},
                           **timing}) == f"http-get https://[::1]:8080/a%20b%3F {attrs}"
    assert describe_probe({"tcpSocket": {"port": "db"}, **timing}) == f"tcp-socket :db {attrs}"
    assert describe_probe({"grpc": {"port": 9000, "service": ""}, **timing}) == f"grpc <pod>:9000  {attrs}"
    assert describe_probe(timing) == f"unknown {attrs}"


def test_go_formatting() -> None:
    assert go_quote('a"b\\c\n\x01é') == '"a\\"b\\\\c\\n\\x01é"'
    assert url_string("http", ":http", "/") == "http://:http/"
    assert url_string("", "", "a:b/c") == "./a:b/c"
    assert camelcase_split("PDFLoader2go") == ["PDF", "Loader", "2", "go"]
    assert [smart_label(f) for f in ("podIP", "apiVersion", "x_y", "foo-bar")] == [
        "Pod IP", "API Version", "x_y", "Foo - Bar"]


def _container(name: str, requests: dict[str, str], limits: dict[str, str] | None = None,
               **extra: Any) -> dict[str, Any]:
    return {"name": name, "resources": {"requests": requests, "limits": limits or {}}, **extra}


def test_pod_requests_count_init_containers_by_their_peak_and_sidecars_in_full() -> None:
    pod = {"spec": {
        "containers": [_container("a", {"cpu": "100m", "memory": "64Mi"}), _container("b", {"cpu": "200m"})],
        "initContainers": [_container("init", {"cpu": "1", "memory": "16Mi"}),
                           _container("sidecar", {"cpu": "50m"}, {"cpu": "100m"}, restartPolicy="Always")],
        "overhead": {"cpu": "10m"}}}
    requests, limits = pod_requests_and_limits(pod)
    assert {k: v.string() for k, v in requests.items()} == {"cpu": "1010m", "memory": "64Mi"}
    assert {k: v.string() for k, v in limits.items()} == {"cpu": "110m"}


def test_pod_requests_follow_the_resources_a_running_container_reports() -> None:
    pod = {"spec": {"containers": [_container("a", {"cpu": "100m"})]},
           "status": {"containerStatuses": [{"name": "a", "resources": {"requests": {"cpu": "300m"}},
                                             "allocatedResources": {"cpu": "200m"}}]}}
    assert pod_requests_and_limits(pod)[0]["cpu"].string() == "300m"


def test_qos_classes() -> None:
    guaranteed: dict[str, Any] = {"spec": {"containers": [_container("a", {"cpu": "1", "memory": "1Gi"},
                                                                     {"cpu": "1000m", "memory": "1Gi"})]}}
    burstable: dict[str, Any] = {"spec": {"containers": [_container("a", {"cpu": "1"})]}}
    empty: dict[str, Any] = {"spec": {"containers": [{}]}}
    assert [pod_qos(p) for p in (guaranteed, burstable, empty)] == [
        "Guaranteed", "Burstable", "BestEffort"]
    assert pod_qos({"status": {"qosClass": "Burstable"}, **guaranteed}) == "Burstable"


def test_times_print_in_the_given_zone() -> None:
    clock = Clock(NOW, ZoneInfo("Europe/Paris"))
    assert clock.rfc1123z("2026-07-01T10:00:00Z") == "Wed, 01 Jul 2026 12:00:00 +0200"
    assert clock.go_string("2026-01-01T10:00:00Z") == "2026-01-01 11:00:00 +0100 CET"
    assert CLOCK.rfc1123z(None) == "Mon, 01 Jan 0001 00:00:00 +0000"
