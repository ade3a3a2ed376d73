"""Which files in a folder are scenarios, and the summaries CI reads: pure logic of reportgen._batch."""

from __future__ import annotations

from pathlib import Path

import junitparser
import pytest

from reportgen._batch import Outcome, find_scenarios, is_scenario, write_junit

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


def test_the_junit_summary_reads_in_a_junit_library_with_each_outcome_as_ci_shows_it(tmp_path: Path) -> None:
    outcomes = [Outcome("a.yaml", 0, "passed", passed=3, duration_s=1.5),
                Outcome("b.yaml", 1, "failed", passed=1, failed=1, duration_s=2.0),
                Outcome("f.yaml", 1, "failed", failed=2),
                Outcome("c & <d>.yaml", 2, "invalid", message='c.yaml:3: "sections" is required'),
                Outcome("e.yaml", 0, "undecided", undecided=1)]
    write_junit(tmp_path / "junit.xml", outcomes)
    (suite,) = junitparser.JUnitXml.fromfile(str(tmp_path / "junit.xml"))  # one suite, named reportgen
    assert suite.name == "reportgen"
    assert (suite.tests, suite.failures, suite.errors, suite.time) == (5, 2, 1, 3.5)
    results = {case.name: [(type(r).__name__, r.message, r.type) for r in case.result] for case in suite}
    assert results == {"a.yaml": [], "b.yaml": [("Failure", "1 passed, 1 failed, 0 undecided", None)],
                       "f.yaml": [("Failure", "0 passed, 2 failed, 0 undecided", None)],
                       "c & <d>.yaml": [("Error", 'c.yaml:3: "sections" is required', "invalid")], "e.yaml": []}
