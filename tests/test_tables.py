"""``reportgen get`` text against kubectl's golden output, offline.

Fixtures under ``tests/fixtures/tables/`` were recorded by
``scripts/record_table_fixtures.py``: ``lab-*`` from the lab cluster,
``synthetic-*`` from a local fake API server, both printed by the real
kubectl v1.34. Each holds the Tables (for the pure layout) and every HTTP
exchange (replayed through a fake ApiClient for :func:`get_text`).
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st
from urllib3 import HTTPHeaderDict

from reportgen._cluster._http import fetcher
from reportgen._kubectl._discovery import Discovery, GetError, discover, parse_warning_headers
from reportgen._kubectl._get import GetArgs, get_text, plan_visits
from reportgen._kubectl._tables import (
    TableData,
    format_tables,
    go_sprint,
    multiple_kinds,
    no_resources_message,
)

FIXTURES = Path(__file__).parent / "fixtures" / "tables"
CASES = sorted(p for p in FIXTURES.glob("*.json") if not p.name.endswith("-discovery.json"))


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


class _ReplayResponse:
    """Just enough of the client's RESTResponse for reportgen."""

    def __init__(self, exchange: dict[str, Any]) -> None:
        self.status = exchange["status"]
        body = exchange["body"]
        self._data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self._headers = HTTPHeaderDict()
        for warning in exchange["warnings"]:
            self._headers.add("Warning", warning)

    def read(self) -> bytes:
        return self._data

    def getheaders(self) -> HTTPHeaderDict:
        return self._headers


class ReplayApiClient:
    """An ApiClient stand-in answering from recorded exchanges, by URL."""

    default_headers: ClassVar[dict[str, str]] = {}

    def __init__(self, exchanges: list[dict[str, Any]]) -> None:
        self.configuration = SimpleNamespace(host="https://replay.invalid")
        self.rest_client = self
        self.exchanges = {e["url"]: e for e in exchanges}
        self.requested: list[str] = []

    def update_params_for_auth(self, headers, queries, auth_settings, resource_path, method, body, request_auth=None):
        assert auth_settings == ["BearerToken"]

    def request(self, method: str, url: str, headers: dict[str, str] | None = None, **_: Any) -> _ReplayResponse:
        path = url.removeprefix(self.configuration.host)
        self.requested.append(path)
        assert path in self.exchanges, f"unrecorded request {path}"
        assert headers and headers["Accept"] == self.exchanges[path]["accept"]
        return _ReplayResponse(self.exchanges[path])


def _replay_client(case: Path) -> ReplayApiClient:
    prefix = case.name.split("-", 1)[0]
    discovery = _load(FIXTURES / f"{prefix}-discovery.json")["exchanges"]
    return ReplayApiClient([*discovery, *_load(case)["exchanges"]])


def _discovery(prefix: str) -> Discovery:
    return discover(fetcher(ReplayApiClient(_load(FIXTURES / f"{prefix}-discovery.json")["exchanges"])))


def _sources(fixture: dict[str, Any]) -> list[TableData]:
    """The fixture's Tables: recorded response bodies plus their REST mappings."""
    sources = []
    for ref in fixture["tables"]:
        meta = {k: v for k, v in ref.items() if k != "exchange"}
        sources.append(TableData(table=fixture["exchanges"][ref["exchange"]]["body"], **meta))
    return sources


def test_fixtures_were_recorded() -> None:
    assert any(p.name.startswith("lab-") for p in CASES), "run scripts/record_table_fixtures.py lab"
    assert any(p.name.startswith("synthetic-") for p in CASES), "run scripts/record_table_fixtures.py synthetic"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_layout_matches_kubectl(case: Path) -> None:
    fixture = _load(case)
    args = GetArgs(**fixture["args"])
    sources = _sources(fixture)
    stdout = format_tables(
        sources, wide=args.wide, all_namespaces=args.all_namespaces, show_kind=multiple_kinds(sources)
    )
    assert stdout == fixture["stdout"]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_get_text_matches_kubectl(case: Path) -> None:
    fixture = _load(case)
    client = _replay_client(case)
    output = get_text(fetcher(client), GetArgs(**fixture["args"]))
    assert output.stdout == fixture["stdout"]
    assert output.stderr == fixture["stderr"]
    assert output.exit_code == fixture["exit_code"]
    assert output.sources == _sources(fixture)
    recorded = [e["url"] for e in fixture["exchanges"]]
    assert client.requested[2:] == recorded  # after /api and /apis


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("po", ("", "v1", "pods")),
        ("pod", ("", "v1", "pods")),
        ("Pod", ("", "v1", "pods")),
        ("svc", ("", "v1", "services")),
        ("service", ("", "v1", "services")),
        ("ep", ("", "v1", "endpoints")),
        ("no", ("", "v1", "nodes")),
        ("ns", ("", "v1", "namespaces")),
        ("deploy", ("apps", "v1", "deployments")),
        ("deployments.apps", ("apps", "v1", "deployments")),
        ("deployment.v1.apps", ("apps", "v1", "deployments")),
        ("Deployment.apps", ("apps", "v1", "deployments")),
        ("sts", ("apps", "v1", "statefulsets")),
        ("rs", ("apps", "v1", "replicasets")),
        ("hpa", ("autoscaling", "v2", "horizontalpodautoscalers")),
        ("horizontalpodautoscalers.v1.autoscaling", ("autoscaling", "v1", "horizontalpodautoscalers")),
        ("events", ("", "v1", "events")),
        ("ev", ("", "v1", "events")),
        ("events.events.k8s.io", ("events.k8s.io", "v1", "events")),
        ("cj", ("batch", "v1", "cronjobs")),
    ],
)
def test_resolve_like_kubectl(typed: str, expected: tuple[str, str, str]) -> None:
    resource = _discovery("lab").resolve(typed)
    assert (resource.group, resource.version, resource.plural) == expected


@pytest.mark.parametrize("typed", ["SVC", "widgets", "deploy.core", "pods.v2"])
def test_resolve_unknown(typed: str) -> None:
    with pytest.raises(GetError, match="the server doesn't have a resource type"):
        _discovery("lab").resolve(typed)


def test_plan_orders_names_per_type_then_name() -> None:
    visits = plan_visits(_discovery("lab"), GetArgs(["pods,svc"], names=["a", "b"], namespace="x"))
    assert [(v.resource.plural, v.name, v.namespace) for v in visits] == [
        ("pods", "a", "x"),
        ("pods", "b", "x"),
        ("services", "a", "x"),
        ("services", "b", "x"),
    ]


def test_plan_deduplicates_types_by_kind() -> None:
    visits = plan_visits(_discovery("lab"), GetArgs(["po,pods,pod,svc"]))
    assert [(v.resource.plural, v.name, v.namespace) for v in visits] == [
        ("pods", None, "default"),
        ("services", None, "default"),
    ]


def test_plan_cluster_scoped_lists_have_no_namespace() -> None:
    visits = plan_visits(_discovery("lab"), GetArgs(["nodes"], namespace="x"))
    assert [v.namespace for v in visits] == [None]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (GetArgs(["pods"], names=["a"], all_namespaces=True), "cannot be retrieved by name across all namespaces"),
        (GetArgs(["pods"], names=["a"], selector="x=y"), "name cannot be provided when a selector is specified"),
        (GetArgs(["pods/a"], selector="x=y"), "selectors and the all flag cannot be used"),
        (GetArgs(["pods/a/b"]), "may not have more than one slash"),
        (GetArgs(["all"], names=["a"]), "you must specify only one resource"),
        (GetArgs([]), "Required resource not specified"),
    ],
)
def test_plan_errors(args: GetArgs, message: str) -> None:
    with pytest.raises(GetError, match=message):
        plan_visits(_discovery("lab"), args)


def test_no_resources_messages() -> None:
    assert no_resources_message("web", False) == "No resources found in web namespace.\n"
    assert no_resources_message(None, False) == "No resources found in default namespace.\n"
    assert no_resources_message("web", True) == "No resources found\n"
    assert no_resources_message("web", False, namespaced=False) == "No resources found\n"


@pytest.mark.parametrize(
    ("value", "expected"),
    [  # Printed by Go's fmt.Sprint for the same JSON-decoded values.
        (1e6, "1e+06"),
        (123456789.0, "1.23456789e+08"),
        (1e21, "1e+21"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (100.0, "100"),
        (123456.7, "123456.7"),
        (1234567.8, "1.2345678e+06"),
        (2.5e-7, "2.5e-07"),
        (3, "3"),
        (True, "true"),
        (None, "<nil>"),
        ([1, "a", None], "[1 a <nil>]"),
        ({"b": 1, "a": []}, "map[a:[] b:1]"),
    ],
)
def test_go_sprint(value: Any, expected: str) -> None:
    assert go_sprint(value) == expected


def test_warning_headers() -> None:
    headers = ['299 - "one", 299 - "say \\"two\\"" "Mon, 01 Jan 2024 00:00:00 GMT"', '199 - "misc"', "garbage"]
    assert parse_warning_headers(headers) == ["one", 'say "two"']


def _simple_table(rows: list[list[str]]) -> TableData:
    columns = [{"name": f"c{i}", "type": "string", "format": "name" if i == 0 else ""} for i in range(len(rows[0]))]
    return TableData({"columnDefinitions": columns, "rows": [{"cells": r} for r in rows]}, kind="Thing")


def _reference_layout(lines: list[list[str]]) -> str:
    """Plain-text model of kubectl's tabwriter for uniform rows without control characters."""
    widths = [max(6, *(len(line[i]) + 3 for line in lines)) for i in range(len(lines[0]) - 1)]
    return "".join("".join(c.ljust(w) for c, w in zip(line, widths)) + line[-1] + "\n" for line in lines)


_CELL = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)


@given(st.integers(1, 5).flatmap(lambda n: st.lists(st.lists(_CELL, min_size=n, max_size=n), min_size=1, max_size=6)))
def test_layout_agrees_with_column_model(rows: list[list[str]]) -> None:
    header = [f"C{i}" for i in range(len(rows[0]))]
    assert format_tables([_simple_table(rows)]) == _reference_layout([header, *rows])


def test_empty_group_does_not_add_blank_lines() -> None:
    full = _simple_table([["a", "b"]])
    empty = TableData({"columnDefinitions": full.table["columnDefinitions"], "rows": []}, kind="Other")
    assert format_tables([empty, full, empty, full]) == "C0    C1\na     b\n\nC0    C1\na     b\n"
