"""The service-type comparison table, derived from hand-built evidence."""

from __future__ import annotations

from typing import Any

from test_checks import make_bundle, seed_bundle
from test_dns import recording

from reportgen._compare import ROW_KEYS, Cell, Row, compare
from reportgen._evidence import Capture

EXTERNAL = {"label": "ExternalName", "service": "github-api-external", "lookup": "github-lookup", "purpose": "외부"}
CLUSTER_IP = {"label": "ClusterIP", "service": "mongodb-clusterip", "lookup": "clusterip-lookup", "purpose": "내부"}
HEADLESS = {
    "label": "Headless",
    "service": "mongodb-headless",
    "lookup": "headless-lookup",
    "pod_lookup": "mongo-0-lookup",
    "purpose": "StatefulSet",
}


def table(columns: list[dict[str, Any]], bundle: Any = None) -> dict[str, tuple[Cell, ...]]:
    rows = compare(columns, bundle or seed_bundle())
    assert [r.key for r in rows] == list(ROW_KEYS)
    assert all(isinstance(r, Row) and len(r.cells) == len(columns) for r in rows)
    return {r.key: r.cells for r in rows}


def kinds(cells: tuple[Cell, ...]) -> list[tuple[str, bool | None, Any]]:
    return [(c.kind, c.ok, c.value) for c in cells]


def test_the_seed_table() -> None:
    rows = table([EXTERNAL, CLUSTER_IP, HEADLESS])
    assert kinds(rows["cluster_ip"]) == [
        ("none", False, "external_name"),
        ("virtual_ip", True, "10.97.68.182"),
        ("none", False, "headless"),
    ]
    assert kinds(rows["dns_answer"]) == [
        ("cname", None, "api.github.com"),
        ("single_ip", None, "10.97.68.182"),
        ("pod_ips", None, ["10.244.0.8", "10.244.0.10", "10.244.0.9"]),
    ]
    assert kinds(rows["load_balancing"]) == [
        ("none", False, None),
        ("kube_proxy", True, "10.97.68.182"),
        ("none", False, None),
    ]
    assert kinds(rows["pod_access"]) == [("no", False, None), ("no", False, None), ("yes", True, ["10.244.0.8"])]
    assert kinds(rows["purpose"]) == [("text", None, "외부"), ("text", None, "내부"), ("text", None, "StatefulSet")]
    assert rows["dns_answer"][2].note == "step headless-lookup: the 3 addresses of endpoints/mongodb-headless"


def test_a_lookup_of_another_service_is_not_called_its_single_ip() -> None:
    """A column that names backend-service but looks up mongodb-clusterip."""
    columns = [dict(CLUSTER_IP, service="backend-service")]
    cell = table(columns)["dns_answer"][0]
    assert (cell.kind, cell.value) == ("addresses", ["10.97.68.182"])
    assert cell.note == (
        "step clusterip-lookup answered 10.97.68.182; "
        "it asked for mongodb-clusterip.default.svc.cluster.local, not service backend-service; "
        "service/backend-service has cluster IP 10.100.38.243; "
        "endpoints/backend-service holds 10.244.0.4, 10.244.0.5, 10.244.0.6"
    )


def test_missing_evidence_makes_unknown_cells() -> None:
    bundle = seed_bundle()
    del bundle.objects["service/mongodb-clusterip"]
    bundle.sections[0].captures = [
        Capture("headless-lookup", "c", status="skipped", reason="dns-test never became Ready"),
    ]
    rows = table([CLUSTER_IP, HEADLESS], bundle)
    assert [c.kind for c in rows["cluster_ip"]] == ["unknown", "none"]
    assert rows["cluster_ip"][0].note == "service/mongodb-clusterip was not snapshotted by this run"
    assert [c.kind for c in rows["load_balancing"]] == ["unknown", "none"]
    assert [c.kind for c in rows["dns_answer"]] == ["unknown", "unknown"]
    assert rows["dns_answer"][0].note == "step clusterip-lookup has no capture in this run"
    assert rows["dns_answer"][1].note == "step headless-lookup did not run: dns-test never became Ready"
    assert [c.kind for c in rows["pod_access"]] == ["unknown", "unknown"]
    assert all(c.ok is None and c.value is None for c in rows["dns_answer"])


def test_headless_without_a_pod_lookup_is_not_assumed_reachable() -> None:
    column = {k: v for k, v in HEADLESS.items() if k != "pod_lookup"}
    cell = table([column])["pod_access"][0]
    assert (cell.kind, cell.ok) == ("unknown", None)


def test_failed_lookups_are_shown_as_failures() -> None:
    bundle = make_bundle(
        [recording("busybox-nxdomain", "headless-lookup"), recording("busybox-servfail", "mongo-0-lookup")],
        objects={"service/mongodb-headless": {"spec": {"clusterIP": "None"}}},
    )
    rows = table([HEADLESS], bundle)
    assert kinds(rows["dns_answer"]) == [("failed", None, "NXDOMAIN")]
    assert kinds(rows["pod_access"]) == [("no", False, "SERVFAIL")]


def test_pod_ips_need_the_endpoints_to_say_so() -> None:
    bundle = seed_bundle()
    del bundle.objects["endpoints/mongodb-headless"]
    cell = table([HEADLESS], bundle)["dns_answer"][0]
    assert cell.kind == "addresses"
    assert cell.note.endswith("endpoints/mongodb-headless was not snapshotted")


def test_an_externalname_without_upstream_dns_still_shows_its_cname() -> None:
    bundle = seed_bundle()
    bundle.sections[0].captures[0] = recording("busybox-cname-no-upstream", "github-lookup")
    assert kinds(table([EXTERNAL], bundle)["dns_answer"]) == [("cname", None, "api.github.com")]


def test_output_that_is_not_nslookup_is_unknown() -> None:
    bundle = seed_bundle()
    error = "error: unable to upgrade connection"
    bundle.sections[0].captures[0] = Capture("github-lookup", "c", stderr=error, exit_code=1, status="failed")
    cell = table([EXTERNAL], bundle)["dns_answer"][0]
    assert (cell.kind, cell.note) == ("unknown", "step github-lookup did not print nslookup output")


def test_a_column_without_purpose() -> None:
    cell = table([{k: v for k, v in EXTERNAL.items() if k != "purpose"}])["purpose"][0]
    assert (cell.kind, cell.note) == ("unknown", "the column gives no purpose")
