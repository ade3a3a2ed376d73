"""The object fields a check read: only those, values as captured, and enough to judge the check again."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

import pytest

from reportgen._checks import evaluate, fields_read
from reportgen._checks._fields import prune
from reportgen._evidence import Bundle

BUNDLES = Path(__file__).parent / "fixtures" / "bundles"
OBJ = {
    "metadata": {"name": "web", "labels": {"a": "1"}},
    "spec": {"clusterIP": "10.96.0.9", "ports": [{"port": 80, "name": "http"}, {"port": 443, "name": "https"}]},
    "status": {"readyReplicas": 2},
}


def test_only_the_fields_on_a_path_are_kept_with_their_values() -> None:
    assert prune(OBJ, ["status.readyReplicas"]) == {"status": {"readyReplicas": 2}}
    assert prune(OBJ, ["spec.ports[*].port", "metadata.name"]) == {
        "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}, {"port": 443}]}}
    assert prune(OBJ, ["metadata"]) == {"metadata": OBJ["metadata"]}  # a path's end keeps its whole value
    assert prune(OBJ, ["status.nothing", "spec.clusterIP.deeper"]) == {}  # led nowhere: nothing shown


def test_an_index_still_names_the_same_item() -> None:
    assert prune(OBJ, ["spec.ports[1].name"]) == {"spec": {"ports": [{}, {"name": "https"}]}}
    assert prune([1, 2, 3], ["[1]"]) == [1, 2]
    with pytest.raises(ValueError):
        prune(OBJ, [".bad"])


def _bundles() -> list[Bundle]:
    return [Bundle.read(BUNDLES / name) for name in ("services.lab.json", "services.synthetic.json")]


def _only_read(bundle: Bundle, check: dict[str, Any]) -> Bundle:
    """The bundle with every snapshot replaced by the fields ``check`` read (and the others dropped)."""
    return dataclasses.replace(bundle, objects=copy.deepcopy(fields_read(check, bundle)))


@pytest.mark.parametrize("bundle", _bundles(), ids=["lab", "synthetic"])
def test_the_fields_read_are_enough_to_judge_every_check_again(bundle: Bundle) -> None:
    judged = 0
    for spec in bundle.scenario["sections"]:
        for index, check in enumerate(spec.get("checks") or []):
            whole = evaluate(check, bundle, index=index, section_id=spec["id"])
            read = evaluate(check, _only_read(bundle, check), index=index, section_id=spec["id"])
            assert (read.status, read.observed) == (whole.status, whole.observed), check
            judged += bool(fields_read(check, bundle))
    assert judged >= 7  # the seed's object, pod and address checks


def test_a_check_that_read_no_snapshot_shows_none() -> None:
    bundle = _bundles()[0]
    assert fields_read({"output": "backend-wget", "exit_code": 0}, bundle) == {}
    assert fields_read({"object": "service/nope", "path": "spec", "equals": 1}, bundle) == {}  # undecided
    needs = {"object": "service/backend-service", "path": "spec.clusterIP", "equals": "x", "requires": ["egress"]}
    assert fields_read(needs, bundle) == {}  # undecided before any snapshot was read
    cased = fields_read({"object": "Service/backend-service", "path": "spec.type", "equals": "ClusterIP"}, bundle)
    assert cased == {"service/backend-service": {"spec": {"type": "ClusterIP"}}}
