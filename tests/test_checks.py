"""Judging checks on hand-built evidence: passed, failed and undecided for each kind."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_dns import recording

from reportgen._checks import (
    evaluate,
    evaluate_section,
    format_observed,
    referenced_objects,
    referenced_pod_selectors,
    resolve_path,
)
from reportgen._evidence import Bundle, Capture, ClusterFacts, SectionRecord

SCENARIO = Path(__file__).parent.parent / "scenarios" / "services.yaml"
POD_NAME = "statefulset.kubernetes.io/pod-name"


def pod(name: str, ip: str | None, created: str, ready: str | None = None) -> dict[str, Any]:
    """A pod object as the API returns it, trimmed to what checks read."""
    status: dict[str, Any] = {"phase": "Running"}
    if ip:
        status |= {"podIP": ip, "podIPs": [{"ip": ip}]}
    if ready:
        status["conditions"] = [{"type": "Ready", "status": "True", "lastTransitionTime": ready}]
    return {"metadata": {"name": name, "creationTimestamp": created, "labels": {"app": "mongodb"}}, "status": status}


def text_capture(step_id: str, stdout: str, exit_code: int = 0, **extra: Any) -> Capture:
    status = "ok" if exit_code == 0 else "failed"
    return Capture(
        step_id=step_id, command=f"run {step_id}", stdout=stdout, exit_code=exit_code, status=status, **extra
    )


def make_bundle(
    captures: Iterable[Capture] = (),
    objects: dict[str, Any] | None = None,
    capabilities: dict[str, bool] | None = None,
) -> Bundle:
    return Bundle(
        run_id="run-1",
        scenario={},
        sections=[SectionRecord(id="s", captures=list(captures))],
        objects=objects or {},
        capabilities=capabilities or {},
        cluster=ClusterFacts(dns_provider="CoreDNS", dns_upstream=False),
    )


MONGO_PODS = [
    pod("mongodb-0", "10.244.0.8", "2025-11-13T05:00:00Z", ready="2025-11-13T05:00:19Z"),
    pod("mongodb-1", "10.244.0.9", "2025-11-13T05:00:19Z", ready="2025-11-13T05:00:20Z"),
    pod("mongodb-2", "10.244.0.10", "2025-11-13T05:00:20Z", ready="2025-11-13T05:00:21Z"),
]

SEED_OBJECTS: dict[str, Any] = {
    "service/github-api-external": {"spec": {"type": "ExternalName", "externalName": "api.github.com"}},
    "service/backend-service": {"spec": {"type": "ClusterIP", "clusterIP": "10.100.38.243"}},
    "endpoints/backend-service": {
        "subsets": [{"addresses": [{"ip": "10.244.0.4"}, {"ip": "10.244.0.5"}, {"ip": "10.244.0.6"}]}]
    },
    "service/mongodb-headless": {"spec": {"type": "ClusterIP", "clusterIP": "None"}},
    "endpoints/mongodb-headless": {
        "subsets": [{"addresses": [{"ip": "10.244.0.8"}, {"ip": "10.244.0.9"}, {"ip": "10.244.0.10"}]}]
    },
    "service/mongodb-clusterip": {"spec": {"type": "ClusterIP", "clusterIP": "10.97.68.182"}},
    "statefulset/mongodb": {"spec": {"serviceName": "mongodb-headless", "replicas": 3}, "status": {"readyReplicas": 3}},
    "pods:app=mongodb": MONGO_PODS,
    **{f"pods:{POD_NAME}=mongodb-{i}": [p] for i, p in enumerate(MONGO_PODS)},
}

WELCOME = "<h1>Welcome to nginx!</h1>\n"
FORWARDING = "Forwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\nHandling connection for 8080\n"


def pod_lookup(i: int, ip: str) -> Capture:
    name = f"mongodb-{i}.mongodb-headless.default.svc.cluster.local"
    stdout = f"Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\t{name}\nAddress: {ip}\n\n"
    return text_capture(f"mongo-{i}-lookup", stdout)


def seed_captures() -> list[Capture]:
    """The evidence the seed report shows, as captures of the scenario's steps."""
    short = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find mongodb-headless: NXDOMAIN\n\n"
    return [
        recording("seed-cname", "github-lookup"),
        text_capture("backend-wget", WELCOME * 5),
        text_capture("backend-forward", FORWARDING, response=f"HTTP/1.1 200 OK\n\n<html>\n{WELCOME}</html>\n"),
        recording("seed-headless", "headless-lookup"),
        recording("busybox-clusterip", "clusterip-lookup"),
        pod_lookup(0, "10.244.0.8"),
        pod_lookup(1, "10.244.0.9"),
        pod_lookup(2, "10.244.0.10"),
        text_capture("short-name-lookup", short, exit_code=1),
    ]


def seed_bundle(**capabilities: bool) -> Bundle:
    """A bundle holding the seed report's evidence."""
    return make_bundle(seed_captures(), copy.deepcopy(SEED_OBJECTS), capabilities)


def scenario() -> dict[str, Any]:
    return yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))


def judge(check: dict[str, Any], bundle: Bundle) -> tuple[str, str | None, Any]:
    result = evaluate({"title": "t", **check}, bundle, index=0, section_id="s")
    return result.status, result.reason, result.observed


# ---------------------------------------------------------------- the seed


def test_the_seed_checklists_come_out_as_the_seed_report_says() -> None:
    bundle = seed_bundle(upstream_dns=True, egress=True)
    results = [r for section in scenario()["sections"] for r in evaluate_section(section, bundle)]
    assert [(r.id, r.status) for r in results if r.status != "passed"] == []
    assert results[3].title == "ClusterIP가 정상 할당됨 (`10.100.38.243`)"
    assert [r.id for r in results][:3] == ["externalname-check-1", "externalname-check-2", "externalname-check-3"]
    assert {"single-vip", "short-name-fails", "ordered-creation"} <= {r.id for r in results}


def test_without_upstream_dns_the_external_checks_are_undecided() -> None:
    section = scenario()["sections"][0]
    results = evaluate_section(section, seed_bundle(upstream_dns=False, egress=False))
    assert [r.status for r in results] == ["passed", "undecided", "undecided"]
    assert results[1].reason == "needs upstream DNS, which this cluster does not have (CoreDNS has no forward)"
    assert results[2].reason.endswith("; needs egress to the internet, which this cluster does not have")


def test_a_capability_nobody_determined_is_undecided() -> None:
    status, reason, _ = judge({"requires": ["egress"], "output": "backend-wget", "exit_code": 0}, seed_bundle())
    assert (status, reason) == ("undecided", "needs egress to the internet, which was not determined for this cluster")


# ---------------------------------------------------------------- object


def test_object_matches_fills_the_title() -> None:
    check = {
        "title": "ClusterIP (`{observed}`)",
        "object": "service/backend-service",
        "path": "spec.clusterIP",
        "matches": r"^\d+\.\d+\.\d+\.\d+$",
    }
    result = evaluate(check, seed_bundle(), index=4, section_id="clusterip")
    assert (result.id, result.title, result.status, result.observed) == (
        "clusterip-check-5",
        "ClusterIP (`10.100.38.243`)",
        "passed",
        "10.100.38.243",
    )


def test_object_matches_fails_on_none() -> None:
    check = {"object": "service/mongodb-headless", "path": "spec.clusterIP", "matches": r"^\d+\.\d+\.\d+\.\d+$"}
    status, reason, observed = judge(check, seed_bundle())
    assert (status, observed) == ("failed", "None")
    assert reason == (
        r"service/mongodb-headless spec.clusterIP: expected a value to match '^\d+\.\d+\.\d+\.\d+$', found None"
    )


def test_equals_none_is_the_literal_kubernetes_prints() -> None:
    check = {"object": "service/mongodb-headless", "path": "spec.clusterIP", "equals": "None"}
    assert judge(check, seed_bundle())[0] == "passed"
    check["object"] = "service/github-api-external"
    assert judge(check, seed_bundle())[:2] == (
        "failed",
        "service/github-api-external spec.clusterIP: expected None, but it is not set",
    )


@pytest.mark.parametrize(("expected", "status"), [(3, "passed"), ("3", "passed"), (2, "failed"), (3.0, "passed")])
def test_equals_forgives_yaml_typing(expected: Any, status: str) -> None:
    check = {"object": "statefulset/mongodb", "path": "status.readyReplicas", "equals": expected}
    assert judge(check, seed_bundle())[0] == status


def test_equals_on_a_field_kubernetes_omits_fails() -> None:
    bundle = seed_bundle()
    del bundle.objects["statefulset/mongodb"]["status"]["readyReplicas"]
    check = {"object": "statefulset/mongodb", "path": "status.readyReplicas", "equals": 3}
    reason = "statefulset/mongodb status.readyReplicas: expected 3, but it is not set"
    assert judge(check, bundle) == ("failed", reason, None)


def test_equals_true_matches_a_json_boolean_only() -> None:
    bundle = make_bundle(objects={"pod/p": {"spec": {"hostNetwork": True, "name": "true"}}})
    assert judge({"object": "pod/p", "path": "spec.hostNetwork", "equals": "true"}, bundle)[0] == "passed"
    assert judge({"object": "pod/p", "path": "spec.hostNetwork", "equals": False}, bundle)[0] == "failed"
    assert judge({"object": "pod/p", "path": "spec.hostNetwork", "equals": 1}, bundle)[0] == "failed"


def test_count_passes_and_names_what_it_found_when_it_fails() -> None:
    check = {"object": "endpoints/backend-service", "path": "subsets[*].addresses[*].ip", "count": 3}
    assert judge(check, seed_bundle())[0] == "passed"
    bundle = seed_bundle()
    bundle.objects["endpoints/backend-service"]["subsets"][0]["addresses"].pop()
    assert judge(check, bundle) == (
        "failed",
        "endpoints/backend-service subsets[*].addresses[*].ip: expected 3 values, found 2: 10.244.0.4, 10.244.0.5",
        ["10.244.0.4", "10.244.0.5"],
    )


def test_count_of_endpoints_without_subsets_is_zero() -> None:
    bundle = make_bundle(objects={"endpoints/e": {"metadata": {"name": "e"}}})
    check = {"object": "endpoints/e", "path": "subsets[*].addresses[*].ip", "count": 3}
    assert judge(check, bundle) == ("failed", "endpoints/e subsets[*].addresses[*].ip: expected 3 values, found 0", [])


def test_wildcard_equals_a_scalar_means_every_value() -> None:
    bundle = make_bundle(objects={"deployment/d": {"spec": {"containers": [{"image": "a"}, {"image": "b"}]}}})
    check = {"object": "deployment/d", "path": "spec.containers[*].image", "equals": "a"}
    assert judge(check, bundle)[:2] == (
        "failed",
        "deployment/d spec.containers[*].image: expected every value to be a, found a, b",
    )
    check["equals"] = ["b", "a"]
    assert judge(check, bundle)[0] == "passed"


def test_contains() -> None:
    check = {"object": "endpoints/mongodb-headless", "path": "subsets[*].addresses[*].ip", "contains": "10.244.0.9"}
    assert judge(check, seed_bundle())[0] == "passed"
    check["contains"] = "10.244.0.99"
    assert judge(check, seed_bundle())[0] == "failed"


def test_a_missing_snapshot_is_undecided() -> None:
    check = {"object": "service/nope", "path": "spec.clusterIP", "equals": "None"}
    assert judge(check, seed_bundle())[:2] == ("undecided", "service/nope was not snapshotted by this run")
    bundle = make_bundle(objects={"service/nope": None})
    assert judge(check, bundle)[:2] == ("undecided", "service/nope did not exist when the run snapshotted it")


def test_an_object_key_is_found_whatever_the_kind_case() -> None:
    check = {"object": "Service/backend-service", "path": "spec.clusterIP", "equals": "10.100.38.243"}
    assert judge(check, seed_bundle())[0] == "passed"


@pytest.mark.parametrize("check", [{"path": "spec..x", "equals": 1}, {"path": "spec", "matches": "("}])
def test_a_malformed_check_is_undecided_not_a_crash(check: dict[str, Any]) -> None:
    status, reason, _ = judge({"object": "service/backend-service", **check}, seed_bundle())
    assert status == "undecided" and reason


# ---------------------------------------------------------------- output


WGET = {"output": "backend-wget", "exit_code": 0, "lines": 5, "every_line_contains": "Welcome to nginx!"}


def test_output_all_matchers_hold() -> None:
    status, reason, observed = judge(WGET, seed_bundle())
    assert (status, reason) == ("passed", None)
    assert observed["exit_code"] == 0 and len(observed["lines"]) == 5


def test_output_names_every_matcher_that_failed() -> None:
    stdout = WELCOME * 3 + "wget: can't connect to remote host: Connection refused\n"
    bundle = make_bundle([text_capture("backend-wget", stdout, exit_code=1)])
    status, reason, _ = judge(WGET, bundle)
    assert status == "failed"
    assert reason == (
        "step backend-wget: expected exit code 0, got 1; expected 5 lines of output, got 4; "
        "expected every line to contain 'Welcome to nginx!'; 1 of 4 did not, "
        "first: \"wget: can't connect to remote host: Connection refused\""
    )


def test_output_contains_looks_at_stderr_too() -> None:
    capture = text_capture("f", "", exit_code=1, stderr="error: lost connection to pod\n")
    bundle = make_bundle([capture])
    assert judge({"output": "f", "contains": "lost connection"}, bundle)[0] == "passed"
    status, reason, observed = judge({"output": "f", "contains": "Welcome to nginx!"}, bundle)
    assert (status, observed) == ("failed", [])
    assert reason == (
        "step f: expected the output to contain 'Welcome to nginx!'; "
        "it did not (first line: 'error: lost connection to pod')"
    )


def test_output_matches() -> None:
    bundle = seed_bundle()
    assert judge({"output": "backend-forward", "matches": r"^<h1>.*nginx"}, bundle)[:2] == ("passed", None)
    assert judge({"output": "backend-forward", "matches": r"^Apache"}, bundle)[0] == "failed"


def test_output_of_a_port_forward_is_its_response() -> None:
    bundle = seed_bundle()
    assert judge({"output": "backend-forward", "contains": "Welcome to nginx!"}, bundle)[:2] == ("passed", None)
    assert judge({"output": "backend-forward", "lines": 4}, bundle)[:2] == ("passed", None)
    bundle.sections[0].captures[2].response = "HTTP/1.1 502 Bad Gateway\n"
    assert judge({"output": "backend-forward", "contains": "Welcome to nginx!"}, bundle)[:2] == (
        "failed",
        "step backend-forward: expected the output to contain 'Welcome to nginx!'; "
        "it did not (first line: 'HTTP/1.1 502 Bad Gateway')",
    )


def test_checks_in_the_loaders_plain_data_form() -> None:
    """Check.to_data() adds kind, and kind on each item of all."""
    check = {
        "id": "sts",
        "title": "t",
        "kind": "all",
        "requires": [],
        "all": [
            {"kind": "object", "object": "statefulset/mongodb", "path": "spec.replicas", "equals": 3},
            {"kind": "dns", "dns": "headless-lookup", "addresses_equal_pods": "app=mongodb"},
        ],
    }
    result = evaluate(check, seed_bundle(), index=0, section_id="headless")
    assert (result.id, result.status) == ("sts", "passed")
    check["all"][1]["kind"] = "object"
    assert judge(check, seed_bundle())[0] == "undecided"


def test_a_failed_command_is_evidence_not_undecided() -> None:
    bundle = make_bundle([text_capture("x", "", exit_code=2)])
    assert judge({"output": "x", "exit_code": 0}, bundle) == ("failed", "step x: expected exit code 0, got 2", 2)
    assert judge({"output": "x", "exit_code": 2}, bundle) == ("passed", None, 2)


@pytest.mark.parametrize(
    ("capture", "reason"),
    [
        (Capture("backend-forward", "c", status="skipped", reason="port 8080 is busy"),
         "step backend-forward did not run: port 8080 is busy"),
        (Capture("backend-forward", "c", status="error", reason="pod not found"),
         "step backend-forward could not run (the note under its output says why)"),
        (Capture("backend-forward", "c", status="timeout", reason="after 30s"),
         "step backend-forward timed out (the note under its output says why)"),
    ],
)
def test_a_step_that_did_not_run_is_undecided(capture: Capture, reason: str) -> None:
    check = {"output": "backend-forward", "contains": "Welcome to nginx!"}
    assert judge(check, make_bundle([capture])) == ("undecided", reason, None)


def test_a_step_without_a_capture_is_undecided() -> None:
    assert judge({"output": "nope", "exit_code": 0}, make_bundle())[:2] == (
        "undecided",
        "step nope has no capture in this run",
    )


def test_truncated_output_cannot_prove_absence() -> None:
    bundle = make_bundle([text_capture("big", "x\n" * 10, truncated=True)])
    assert judge({"output": "big", "contains": "x"}, bundle)[0] == "passed"
    status, reason, _ = judge({"output": "big", "contains": "needle"}, bundle)
    assert status == "undecided" and reason.startswith("step big's output was cut at the size limit")


def test_exit_code_without_one_is_undecided() -> None:
    bundle = make_bundle([Capture("x", "c", status="ok", exit_code=None)])
    assert judge({"output": "x", "exit_code": 0}, bundle)[:2] == ("undecided", "step x has no exit code")


# ---------------------------------------------------------------- dns


def test_cname_passed_failed_undecided() -> None:
    bundle = make_bundle(
        [
            recording("busybox-cname", "github-lookup"),
            recording("busybox-headless", "headless-lookup"),
            recording("busybox-legacy-cname", "legacy-lookup"),
            recording("bind-cname", "bind-lookup"),
        ]
    )
    assert judge({"dns": "github-lookup", "cname": "api.github.com"}, bundle) == ("passed", None, ["api.github.com"])
    assert judge({"dns": "bind-lookup", "cname": "API.github.com."}, bundle)[0] == "passed"
    assert judge({"dns": "github-lookup", "cname": "db.example.com"}, bundle)[:2] == (
        "failed",
        "expected a CNAME to db.example.com, found api.github.com",
    )
    assert judge({"dns": "headless-lookup", "cname": "api.github.com"}, bundle)[:2] == (
        "failed",
        "expected a CNAME to api.github.com; the answer had none (it answered 10.244.0.8, 10.244.0.10, 10.244.0.9)",
    )
    assert judge({"dns": "legacy-lookup", "cname": "api.github.com"}, bundle)[:2] == (
        "undecided",
        "this nslookup (busybox before 1.28) never prints CNAME records",
    )


def test_resolves() -> None:
    bundle = make_bundle(
        [recording("busybox-cname", "up"), recording("busybox-cname-no-upstream", "down")],
        capabilities={"upstream_dns": True},
    )
    assert judge({"dns": "up", "resolves": True}, bundle) == ("passed", None, ["20.200.245.245"])
    assert judge({"dns": "down", "resolves": True}, bundle) == (
        "failed",
        "expected an address; the lookup got none (no answer, CNAME to api.github.com)",
        [],
    )
    assert judge({"dns": "down", "resolves": True, "requires": ["upstream_dns"]}, bundle)[0] == "failed"


def test_fails() -> None:
    bundle = make_bundle(
        [
            recording("busybox-nxdomain", "nx"),
            recording("busybox-servfail", "servfail"),
            recording("busybox-short-name", "short"),
        ]
    )
    assert judge({"dns": "nx", "fails": True}, bundle) == ("passed", None, "NXDOMAIN")
    assert judge({"dns": "nx", "fails": "NXDOMAIN"}, bundle)[0] == "passed"
    assert judge({"dns": "servfail", "fails": "NXDOMAIN"}, bundle)[:2] == (
        "failed",
        "expected the lookup to fail with NXDOMAIN; it failed with SERVFAIL",
    )
    assert judge({"dns": "short", "fails": True}, bundle)[:2] == (
        "failed",
        "expected the lookup to fail; it resolved to 10.244.0.8, 10.244.0.10, 10.244.0.9 (exit code 1)",
    )


def test_a_kubectl_error_is_not_a_dns_failure() -> None:
    error = 'Error from server (NotFound): pods "dns-test" not found'
    capture = Capture("short", "c", stderr=f"{error}\n", exit_code=1, status="failed")
    status, reason, _ = judge({"dns": "short", "fails": True}, make_bundle([capture]))
    assert status == "undecided"
    assert reason == f"step short did not print nslookup output (first line: '{error}')"


def test_addresses_equal_pods() -> None:
    check = {"dns": "headless-lookup", "addresses_equal_pods": "app=mongodb"}
    assert judge(check, seed_bundle()) == ("passed", None, ["10.244.0.8", "10.244.0.10", "10.244.0.9"])
    bundle = seed_bundle()
    bundle.objects["pods:app=mongodb"] = MONGO_PODS[:2] + [pod("mongodb-2", "10.244.0.11", "2025-11-13T05:00:20Z")]
    assert judge(check, bundle)[:2] == (
        "failed",
        "expected the IPs of pods app=mongodb (10.244.0.8, 10.244.0.9, 10.244.0.11); "
        "DNS answered 10.244.0.8, 10.244.0.10, 10.244.0.9 (missing 10.244.0.11; not expected 10.244.0.10)",
    )
    bundle.objects["pods:app=mongodb"] = []
    assert judge(check, bundle)[:2] == ("failed", "no pods match app=mongodb, so there are no pod IPs to compare")
    del bundle.objects["pods:app=mongodb"]
    assert judge(check, bundle)[:2] == ("undecided", "the pods app=mongodb were not snapshotted by this run")


def test_addresses_equal_pods_when_dns_has_nothing() -> None:
    bundle = seed_bundle()
    bundle.sections[0].captures.append(recording("busybox-nxdomain", "nx"))
    assert judge({"dns": "nx", "addresses_equal_pods": "app=mongodb"}, bundle)[:2] == (
        "failed",
        "expected the IPs of pods app=mongodb (10.244.0.8, 10.244.0.9, 10.244.0.10); the lookup got none (NXDOMAIN)",
    )


def test_addresses_equal_object() -> None:
    target = {"object": "service/mongodb-clusterip", "path": "spec.clusterIP"}
    check = {"dns": "clusterip-lookup", "addresses_equal_object": target}
    assert judge(check, seed_bundle()) == ("passed", None, ["10.97.68.182"])
    bundle = seed_bundle()
    bundle.objects["service/mongodb-clusterip"]["spec"]["clusterIP"] = "10.97.0.1"
    assert judge(check, bundle)[0] == "failed"
    bundle.objects["service/mongodb-clusterip"]["spec"]["clusterIP"] = "None"
    assert judge(check, bundle)[:2] == ("failed", "service/mongodb-clusterip spec.clusterIP is None, not an IP address")
    del bundle.objects["service/mongodb-clusterip"]
    assert judge(check, bundle)[:2] == ("undecided", "service/mongodb-clusterip was not snapshotted by this run")


# ---------------------------------------------------------------- pods in order


def test_pods_created_in_order_sorts_by_ordinal() -> None:
    pods = [pod(f"web-{i}", None, f"2025-11-13T05:00:{i:02d}Z") for i in (10, 2, 0, 1)]
    bundle = make_bundle(objects={"pods:app=web": pods})
    status, _, observed = judge({"pods_created_in_order": "app=web"}, bundle)
    assert status == "passed"
    assert [o["name"] for o in observed] == ["web-0", "web-1", "web-2", "web-10"]
    assert observed[0] == {"name": "web-0", "created": "2025-11-13T05:00:00Z"}


def test_pods_created_before_the_previous_was_ready_fail() -> None:
    bundle = seed_bundle()
    bundle.objects["pods:app=mongodb"][1]["metadata"]["creationTimestamp"] = "2025-11-13T05:00:05Z"
    assert judge({"pods_created_in_order": "app=mongodb"}, bundle)[:2] == (
        "failed",
        "mongodb-1 was created at 2025-11-13T05:00:05Z, before mongodb-0 was Ready at 2025-11-13T05:00:19Z",
    )


def test_pods_created_out_of_order_fail() -> None:
    pods = [pod("web-0", None, "2025-11-13T05:00:09Z"), pod("web-1", None, "2025-11-13T05:00:01Z")]
    assert judge({"pods_created_in_order": "app=web"}, make_bundle(objects={"pods:app=web": pods}))[:2] == (
        "failed",
        "web-1 was created at 2025-11-13T05:00:01Z, before web-0 (2025-11-13T05:00:09Z)",
    )


@pytest.mark.parametrize(
    ("objects", "reason"),
    [
        ({}, "the pods app=web were not snapshotted by this run"),
        (
            {"pods:app=web": [pod("web", None, "2025-11-13T05:00:00Z")]},
            "pod web has no StatefulSet ordinal (-N suffix)",
        ),
        ({"pods:app=web": [{"metadata": {"name": "web-0"}}, pod("web-1", None, "2025-11-13T05:00:00Z")]},
         "pod web-0 has no creationTimestamp"),
    ],
)
def test_pods_in_order_undecided(objects: dict[str, Any], reason: str) -> None:
    assert judge({"pods_created_in_order": "app=web"}, make_bundle(objects=objects))[:2] == ("undecided", reason)


def test_pods_in_order_reads_a_pod_list_object() -> None:
    bundle = make_bundle(objects={"pods:app=mongodb": {"kind": "PodList", "items": MONGO_PODS}})
    assert judge({"pods_created_in_order": "app=mongodb"}, bundle)[0] == "passed"


# ---------------------------------------------------------------- all


def test_all_passes_fails_or_is_undecided() -> None:
    bodies = [{"dns": f"mongo-{i}-lookup", "addresses_equal_pods": f"{POD_NAME}=mongodb-{i}"} for i in range(3)]
    bundle = seed_bundle()
    status, reason, observed = judge({"title": "per pod: {observed}", "all": bodies}, bundle)
    assert (status, reason, observed) == ("passed", None, [["10.244.0.8"], ["10.244.0.9"], ["10.244.0.10"]])

    bundle.objects[f"pods:{POD_NAME}=mongodb-1"] = [pod("mongodb-1", "10.244.0.42", "2025-11-13T05:00:19Z")]
    del bundle.objects[f"pods:{POD_NAME}=mongodb-2"]
    status, reason, _ = judge({"all": bodies}, bundle)
    assert status == "failed"
    assert reason == (
        f"1 of 3 failed: mongo-1-lookup: expected the IPs of pods {POD_NAME}=mongodb-1 (10.244.0.42); "
        "DNS answered 10.244.0.9 (missing 10.244.0.42; not expected 10.244.0.9)"
    )

    bundle.objects[f"pods:{POD_NAME}=mongodb-1"] = [MONGO_PODS[1]]
    assert judge({"all": bodies}, bundle)[:2] == (
        "undecided",
        f"1 of 3 undecided: mongo-2-lookup: the pods {POD_NAME}=mongodb-2 were not snapshotted by this run",
    )


def test_all_title_joins_observed_values() -> None:
    bodies = [{"object": "statefulset/mongodb", "path": p, "equals": v} for p, v in
              [("spec.serviceName", "mongodb-headless"), ("status.readyReplicas", 3)]]
    result = evaluate({"title": "sts: {observed}", "all": bodies}, seed_bundle(), index=1, section_id="h")
    assert (result.status, result.title) == ("passed", "sts: mongodb-headless, 3")


def test_requires_on_all_makes_it_undecided() -> None:
    check = {"requires": ["upstream_dns"], "all": [{"output": "backend-wget", "exit_code": 0}]}
    assert judge(check, seed_bundle(upstream_dns=False))[0] == "undecided"


def test_a_check_of_no_known_kind_is_undecided() -> None:
    reason = "the check names no known kind (keys: frobnicate, title)"
    assert judge({"frobnicate": 1}, seed_bundle())[:2] == ("undecided", reason)


# ---------------------------------------------------------------- helpers


def test_referenced_objects_and_pods_of_the_seed_scenario() -> None:
    doc = scenario()
    checks = [c for s in doc["sections"] for c in s.get("checks", [])]
    assert referenced_objects(checks, doc["comparison"]["columns"]) == {
        "service/backend-service",
        "endpoints/backend-service",
        "service/mongodb-headless",
        "endpoints/mongodb-headless",
        "statefulset/mongodb",
        "service/mongodb-clusterip",
        "endpoints/mongodb-clusterip",
        "service/github-api-external",
        "endpoints/github-api-external",
    }
    assert referenced_pod_selectors(checks) == {"app=mongodb"} | {f"{POD_NAME}=mongodb-{i}" for i in range(3)}


@pytest.mark.parametrize(
    ("path", "values", "many"),
    [
        ("spec.clusterIP", ["10.0.0.1"], False),
        ("spec.ports[*].port", [80, 443], True),
        ("spec.ports[1].port", [443], False),
        ("spec.ports[5].port", [], False),
        ("metadata.labels['app.kubernetes.io/name']", ["web"], False),
        ("metadata.labels[*]", ["web"], True),
        ("spec.nothing.deeper", [], False),
    ],
)
def test_resolve_path(path: str, values: list[Any], many: bool) -> None:
    obj = {
        "metadata": {"labels": {"app.kubernetes.io/name": "web"}},
        "spec": {"clusterIP": "10.0.0.1", "ports": [{"port": 80}, {"port": 443}]},
    }
    assert resolve_path(obj, path) == (values, many)


@pytest.mark.parametrize("path", ["", ".spec", "spec..x", "spec[", "spec[x]"])
def test_resolve_path_rejects_bad_paths(path: str) -> None:
    with pytest.raises(ValueError):
        resolve_path({}, path)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "?"),
        (["a", 1], "a, 1"),
        (True, "true"),
        ([{"name": "p-0", "created": "t"}], "p-0"),
        ({"a": [1, 2]}, "a: 1, 2"),
    ],
)
def test_format_observed(value: Any, text: str) -> None:
    assert format_observed(value) == text


def test_a_broken_step_error_is_shown_once_in_the_report():
    import json
    from pathlib import Path

    from reportgen._render import render_report

    data = json.loads((Path(__file__).parent / "fixtures" / "bundles" / "services.lab.json").read_text())
    error = 'exec failed: unable to start container process: exec: "printenv": executable file not found in $PATH'
    data["sections"][1]["captures"][3].update(status="error", exit_code=None, stdout="", stderr="", reason=error)
    bundle = Bundle.from_dict(data)
    for spec, record in zip(bundle.scenario["sections"], bundle.sections):
        record.checks = evaluate_section(spec, bundle)
    for language in ("ko", "en"):
        text = render_report(bundle, language=language)
        assert text.count("executable file not found") == 1, language
