"""Loading, validating and normalizing scenarios (no cluster needed)."""

from __future__ import annotations

import copy
import json
import re
import tempfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen._exceptions import ScenarioError
from reportgen._kubectl import ExecCommand, GetCommand, PortForwardCommand
from reportgen._scenario import (
    InvalidScenario,
    Scenario,
    load_scenario,
    parse_duration,
    schema,
)

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ROOT / "scenarios" / "services.yaml"


def line_of(text: str) -> int:
    """The 1-based line of the first line of services.yaml containing ``text``."""
    lines = SERVICES.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)
FIXTURES = ROOT / "tests" / "fixtures" / "scenarios"
BAD = sorted((FIXTURES / "bad").glob("*.yaml"))


def _errors(path: Path) -> list[ScenarioError]:
    with pytest.raises(InvalidScenario) as info:
        load_scenario(path)
    return info.value.errors


# --------------------------------------------------------------------------- the real scenario


@pytest.fixture(scope="module")
def services() -> Scenario:
    return load_scenario(SERVICES)


def test_services_loads(services: Scenario) -> None:
    assert [s.id for s in services.sections] == ["externalname", "clusterip", "headless"]
    assert services.report.language == "ko"
    assert services.report.date is None  # the report is dated by its run
    assert services.report.related == ["04_00_kubernetes-service-types-guide"]
    assert len(services.steps()) == 15
    assert len(services.checks()) == 14


def test_services_manifests_keep_their_source(services: Scenario) -> None:
    externalname = services.sections[0].manifests
    assert [(m.kind, m.name) for m in externalname] == [
        ("Service", "mysql-external"), ("Service", "github-api-external"), ("Pod", "test-pod")]
    assert externalname[0].source == f"{SERVICES.parent / 'services' / 'externalname.yaml'}:1"
    assert externalname[1].line == 11
    inline = externalname[2]
    assert inline.inline and inline.file == str(SERVICES) and inline.line == line_of("apiVersion: v1")
    statefulset = services.sections[2].manifests[1]
    assert statefulset.kind == "StatefulSet"
    assert statefulset.locate("spec.template.spec.containers[0].image") == 29
    assert statefulset.locate("spec.template.spec.containers[0].nope") == 28
    assert statefulset.locate("nothing.here") == statefulset.line == 12


def test_services_steps_parse(services: Scenario) -> None:
    assert isinstance(services.step("backend-forward").command, PortForwardCommand)
    assert services.step("backend-forward").request == "http://127.0.0.1:8080/"
    svcs = services.step("mongo-svcs").command
    assert isinstance(svcs, GetCommand) and svcs.pipes[0].pattern == "mongodb"
    lookup = services.step("github-lookup")
    assert lookup.command_for("lab-7") == (
        "kubectl exec test-pod -- nslookup github-api-external.lab-7.svc.cluster.local")
    parsed = lookup.parsed_for("lab-7")
    assert isinstance(parsed, ExecCommand)
    assert parsed.argv == ["nslookup", "github-api-external.lab-7.svc.cluster.local"]
    assert lookup.line == line_of("- id: github-lookup") and lookup.section == "externalname"


def test_services_defaults_and_derived_ids(services: Scenario) -> None:
    assert [c.id for c in services.sections[0].checks] == [
        "externalname-check-1", "externalname-check-2", "externalname-check-3"]
    assert services.check("externalname-check-3").requires == ["upstream_dns", "egress"]
    waits = services.sections[1].waits
    assert [(w.kind, w.target, w.timeout, w.count) for w in waits] == [
        ("rollout", "deployment/backend-app", 180.0, None), ("endpoints", "service/backend-service", 120.0, 3),
        ("reachable", "service/backend-service", 120.0, None)]
    assert (waits[2].port, waits[2].source) == (8080, "pod/test-pod")
    assert waits[0].target_kind == "Deployment" and waits[0].target_name == "backend-app"
    assert services.step("mysql-svc").timeout == 30.0
    both = services.check("headless-check-3")
    assert both.kind == "all" and [p.id for p in both.parts] == [
        "headless-check-3.1", "headless-check-3.2", "headless-check-3.3"]
    assert both.parts[0].spec == {"dns": "mongo-0-lookup",
                                  "addresses_equal_pods": "statefulset.kubernetes.io/pod-name=mongodb-0"}


def test_services_to_data_is_plain_json(services: Scenario) -> None:
    data = services.to_data()
    assert json.loads(json.dumps(data)) == data
    section = data["sections"][1]
    assert section["wait"][0] == {"kind": "rollout", "target": "deployment/backend-app", "timeout": 180.0,
                                  "count": None}
    step = section["blocks"][3]["steps"][0]
    assert step["id"] == "backend-forward" and step["verb"] == "port-forward" and step["timeout"] == 30.0
    check = section["checks"][0]
    assert check == {"id": "clusterip-check-1", "title": "ClusterIP가 정상 할당됨 (`{observed}`)",
                     "kind": "object", "requires": [], "object": "service/backend-service",
                     "path": "spec.clusterIP", "matches": r"^\d+\.\d+\.\d+\.\d+$"}
    assert data["sections"][2]["checks"][3]["all"][1] == {
        "kind": "object", "object": "statefulset/mongodb", "path": "status.readyReplicas", "equals": 3}
    assert data["sections"][0]["manifests"][2]["body"]["metadata"]["name"] == "test-pod"
    assert data["report"]["date"] is None and data["namespace"] is None


# --------------------------------------------------------------------------- good fixtures


def test_minimal_fills_defaults() -> None:
    scenario = load_scenario(FIXTURES / "good" / "minimal.yaml")
    data = scenario.to_data()
    assert data["report"] == {
        "title": "Minimal", "icon": None, "language": "ko", "date": None, "author": None, "tags": [],
        "aliases": [], "related": [], "series": None, "internal_links": [], "external_links": [],
        "next_steps": []}
    assert [s.id for s in scenario.steps()] == ["pods-step-1", "pods-step-2"]
    assert scenario.checks()[0].id == "pods-check-1"
    assert data["comparison"] is None and data["findings"] == []
    assert scenario.sections[0].waits[0].timeout == 120.0


def test_full_fixture() -> None:
    scenario = load_scenario(FIXTURES / "good" / "full.yaml")
    assert scenario.namespace == "lab-pinned" and scenario.report.related == ["a", "b"]
    waits = scenario.sections[0].waits
    assert [w.timeout for w in waits] == [90.0, 90.0] and waits[1].count == 2
    svc, again = scenario.step("svc"), scenario.step("svc-again")
    assert svc.timeout == again.timeout == 0.5 and again.run == svc.run
    assert svc.parsed_for("lab-pinned").namespace == "lab-pinned"
    assert scenario.step("forward").requires == ["egress"]
    assert [m.name for m in scenario.sections[0].manifests] == ["web", "web", "client"]
    assert scenario.comparison[0].service == "web" and scenario.findings[0].check == "all-of-them"


# --------------------------------------------------------------------------- bad fixtures

_CARET = re.compile(r"^(\s*)#(\s*)\^ (.*)$")
_EXPLICIT = re.compile(r"^\s*# error (\d+):(\d+) (.*)$")


def _expectations(path: Path) -> list[tuple[str, int, int, str, str | None]]:
    """``# ^ message | hint`` under a line (caret at the column), or ``# error L:C message | hint``."""
    out = []
    last = 0
    for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        caret, explicit = _CARET.match(text), _EXPLICIT.match(text)
        if caret:
            column, rest = text.index("^") + 1, caret.group(3)
            line = last
        elif explicit:
            line, column, rest = int(explicit.group(1)), int(explicit.group(2)), explicit.group(3)
        else:
            if not text.lstrip().startswith("#"):
                last = number
            continue
        message, _, hint = rest.partition(" | ")
        out.append((path.name, line, column, message.strip(), hint.strip() or None))
    return out


def _fixture_files(scenario: Path) -> list[Path]:
    named = re.findall(r"file: (\S+)", scenario.read_text(encoding="utf-8"))
    return [scenario] + [scenario.parent / n for n in named if (scenario.parent / n).is_file()]


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_fixture_reports_every_problem_where_it_is(path: Path) -> None:
    expected = [e for f in _fixture_files(path) for e in _expectations(f)]
    assert expected, f"{path.name} states no expected error"
    errors = _errors(path)
    actual = [(Path(e.file or "").name, e.line, e.column) for e in errors]
    assert sorted(actual) == sorted((f, line, col) for f, line, col, _, _ in expected), "\n".join(map(str, errors))
    for error in errors:
        for name, line, column, message, hint in expected:
            if (Path(error.file or "").name, error.line, error.column) == (name, line, column):
                assert message in error.message, str(error)
                if hint:
                    assert error.hint and hint in error.hint, str(error)


def test_errors_are_listed_in_one_scenario_error() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(FIXTURES / "bad" / "duplicates.yaml")
    error = info.value
    assert isinstance(error, InvalidScenario) and len(error.errors) == 6
    lines = str(error).splitlines()
    assert lines[0] == "6 problems:"
    assert lines[1].startswith(f"{FIXTURES / 'bad' / 'duplicates.yaml'}:4:3: duplicate key 'title'")
    assert (error.line, error.column) == (4, 3)


def test_manifest_yaml_error_points_into_the_manifest() -> None:
    errors = _errors(FIXTURES / "bad" / "manifests.yaml")
    broken = [e for e in errors if e.file and e.file.endswith("broken.yaml")]
    assert len(broken) == 1
    assert broken[0].file == str(FIXTURES / "bad" / "manifests" / "broken.yaml")
    assert (broken[0].line, broken[0].column) == (5, 21)


def test_unknown_key_points_at_the_key(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("report: {title: T}\nsections:\n  - id: a\n    title: A\n    blocs: []\n", encoding="utf-8")
    [error] = _errors(path)
    assert (error.file, error.line, error.column) == (str(path), 5, 5)
    assert error.message == "unknown key 'blocs' in section 1"
    assert error.hint == "did you mean 'blocks'?"


def test_missing_scenario_file(tmp_path: Path) -> None:
    [error] = _errors(tmp_path / "nope.yaml")
    assert error.message == "scenario file not found"


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"report:\n  title: \xff\n")
    [error] = _errors(path)
    assert "not UTF-8" in error.message and error.line == 2


def test_control_character(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("report:\n  title: a\x07b\n", encoding="utf-8")
    [error] = _errors(path)
    assert (error.line, error.column) == (2, 11) and "invalid character" in error.message


def test_recursive_alias_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("report: &r {title: T, x: *r}\nsections: []\n", encoding="utf-8")
    messages = [e.message for e in _errors(path)]
    assert any("alias" in m for m in messages)


def test_alias_bomb_is_an_error(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    path = tmp_path / "s.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [error] = _errors(path)
    assert "more than 100,000 values" in error.message and "anchors" in error.hint


# --------------------------------------------------------------------------- durations, schema


@pytest.mark.parametrize(("text", "seconds"), [
    ("180s", 180.0), ("2m", 120.0), ("1m30s", 90.0), ("500ms", 0.5), ("1h", 3600.0), (5, 5.0), (0.25, 0.25)])
def test_parse_duration(text: str | float, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "3 minutes", "0s", "-1s", "1d", True, 0, -3, "s", float("inf")])
def test_parse_duration_rejects(text: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)  # type: ignore[arg-type]


def test_schema_is_valid_and_closed() -> None:
    document = schema()
    jsonschema.Draft202012Validator.check_schema(document)

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            if "properties" in node and node.get("$id") is None and where != "/inline":
                assert node.get("additionalProperties") is False, where
                assert all("description" in p for p in node["properties"].values()), where
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(document, "")
    assert document["additionalProperties"] is False


def test_schema_accepts_services_as_written() -> None:
    text = SERVICES.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../reportgen/schema/scenario.schema.json")
    data = json.loads(json.dumps(yaml.safe_load(text), default=str))  # the date as an editor sees it
    assert list(jsonschema.Draft202012Validator(schema()).iter_errors(data)) == []


def test_docs_example_loads(tmp_path: Path) -> None:
    docs = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", docs, re.S)
    assert example
    path = tmp_path / "example.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.steps() and scenario.checks()


# --------------------------------------------------------------------------- fuzzing

_YAMLISH = st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#%@`,?\n\t 0123456789\\$<=.~")), max_size=120)


def _load_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_scenario(path)
        except ScenarioError as exc:
            assert str(exc)


@settings(max_examples=300, deadline=None)
@given(_YAMLISH)
def test_random_text_only_raises_scenario_errors(text: str) -> None:
    _load_text(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_random_unicode_only_raises_scenario_errors(text: str) -> None:
    _load_text(text)


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**20), st.floats(allow_nan=True),
                     st.text(max_size=30), st.sampled_from(["kubectl get svc", "180s", "pod/x", "${x}", "a=b"]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)), max_leaves=8)


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


_SERVICES_DATA = yaml.safe_load(SERVICES.read_text(encoding="utf-8"))
_SERVICES_PATHS = _paths(_SERVICES_DATA)[1:]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_SERVICES_PATHS), _VALUES, st.booleans()), min_size=1, max_size=3))
def test_mutated_services_only_raise_scenario_errors(mutations: list[tuple[tuple, object, bool]]) -> None:
    data = copy.deepcopy(_SERVICES_DATA)
    for path, value, delete in mutations:
        parent = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            if delete:
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "services.yaml"
        (Path(folder) / "services").symlink_to(SERVICES.parent / "services")
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        try:
            load_scenario(path)
        except ScenarioError as exc:
            errors = exc.errors if isinstance(exc, InvalidScenario) else [exc]
            assert all(e.line for e in errors if e.file == str(path)), str(exc)
