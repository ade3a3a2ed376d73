"""Which files in a folder are scenarios: pure logic of reportgen._batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen._batch import find_scenarios, is_scenario

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("text", "expected"), [
    ("report: {title: T}\nsections: []\n", True),
    ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n", False),
    ("apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Service\n", False),  # several manifests
    ("apiVersion: v1\nkind: Pod\n---\n{ broken\n", False),  # a manifest with a broken later document
    ("report: {title: T}\nsections: []\n---\nreport: {title: U}\nsections: []\n", False),
    ("notes: [a, b]\n", False),
    ("report: [\n", True),  # broken: validation says why
])
def test_a_scenario_is_one_document_with_report_and_sections(tmp_path: Path, text: str, expected: bool) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text)
    assert is_scenario(path) is expected


def test_the_shipped_scenarios_are_found_and_their_manifests_are_not() -> None:
    found = sorted(str(item.path.relative_to(ROOT)) for item in find_scenarios([ROOT / "scenarios"]))
    assert found == sorted(str(p.relative_to(ROOT)) for p in (ROOT / "scenarios").glob("*.yaml"))
