"""Committed notes looked at as a person would: in headless Chromium, diagrams drawn by Mermaid, proofs one click away.

Each note is rendered to HTML (tests/browser.py) and opened in Chromium. Every
diagram must have drawn as many nodes as the run's evidence has (the diagrams
are rebuilt from the note's evidence bundle), and every proof link must land
on an element of the page: a step's output block or a callout of fields read.
Chromium and Mermaid come from hack/browser/install.sh, which hack/test runs;
without them the test is skipped, except under hack/test (REPORTGEN_REQUIRE_LAB=1).
"""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

import browser
import pytest

from reportgen._diagram import spec_diagram
from reportgen._evidence import Bundle

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
NOTES = {  # a note reportgen wrote, and the evidence it was written from
    "seed": ("out/services.md", "out/services.evidence.json"),
    "lab-golden": ("tests/golden/services.lab.ko.md", "tests/fixtures/bundles/services.lab.json"),
    "ingress": ("out/ingress.md", "out/ingress.evidence.json"),  # Ingress, Gateway and HTTPRoute routes
    "networkpolicy": ("out/networkpolicy.en.md", "out/networkpolicy.evidence.json"),  # policies, crossed edges
}


@pytest.fixture(scope="module", autouse=True)
def _installed() -> None:
    """Skip without Chromium and Mermaid; fail instead under hack/test, which installs them."""
    problem = browser.missing()
    if problem and os.environ.get("REPORTGEN_REQUIRE_LAB"):
        pytest.fail(problem)
    if problem:
        pytest.skip(problem)


def evidence_diagrams(bundle: Bundle) -> list[str]:
    """Each section's diagram as the evidence draws it (what reportgen._render puts in the note)."""
    records = {record.id: record.applied for record in bundle.sections}
    drawn = [spec_diagram(spec, records.get(spec["id"], []), bundle.objects, bundle.namespace or "")
             for spec in bundle.scenario.get("sections") or []]
    return [f"{diagram}\n" for diagram in drawn if diagram]


def png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def proof_links(note: str) -> list[str]:
    """The ``#^id`` targets of the note's proof links, in order, as the note writes them."""
    return re.findall(r"\[\[(#\^[A-Za-z0-9-]+)\|", note)


def problems(note: str, seen: browser.Seen, diagrams: list[str]) -> list[str]:
    """What the page shows wrong: a diagram that is not the evidence's, or that drew other nodes than its
    source defines; a proof link that lands nowhere, or on something else than an output block or fields callout."""
    found = []
    sources = browser.mermaid_sources(note)
    if sources != diagrams:
        found.append("the note's diagrams are not the ones its evidence draws")
    if len(seen.diagrams) != len(sources):
        found.append(f"the page has {len(seen.diagrams)} diagrams, the note {len(sources)}")
    for number, (source, drawn) in enumerate(zip(sources, seen.diagrams), start=1):
        if not drawn["drawn"] or drawn["nodes"] != len(browser.mermaid_nodes(source)):
            found.append(f"diagram {number} drew {drawn['nodes']} nodes of {len(browser.mermaid_nodes(source))}")
    links = [link for link in seen.links if link["href"].startswith("#^")]
    if [link["href"] for link in links] != proof_links(note):
        found.append("the page's proof links are not the note's")
    for link in links:
        wanted = ("blockquote", "example") if link["href"].endswith("-fields") else ("code", None)
        if (link["target"], link["callout"]) != wanted:
            found.append(f"proof link {link['href']} lands on {link['target'] or 'nothing'}")
    return found


@pytest.mark.parametrize("name", list(NOTES))
def test_a_note_draws_its_diagrams_and_every_proof_link_lands(name: str, tmp_path: Path) -> None:
    note_path, bundle_path = NOTES[name]
    note = (ROOT / note_path).read_text(encoding="utf-8")
    shot = tmp_path / f"{name}.png"
    seen = browser.look(note, screenshot=shot)
    assert problems(note, seen, evidence_diagrams(Bundle.read(ROOT / bundle_path))) == []
    assert seen.diagrams and proof_links(note)
    if name == "lab-golden":  # written by today's reportgen: checks that read objects link to their fields
        assert sum(href.endswith("-fields") for href in proof_links(note)) == 8
    assert png_size(shot) == (1200, 3000) and shot.stat().st_size > 50_000  # a page, not a blank


def test_a_node_too_many_and_a_dangling_proof_link_are_seen() -> None:
    note = (ROOT / NOTES["lab-golden"][0]).read_text(encoding="utf-8")
    broken = note.replace("\n^backend-wget\n", "\n^backend-wgot\n", 1)  # the block the link names is gone
    broken = broken.replace('  n1 -->|"80/TCP"| n2\n', '  n1 -->|"80/TCP"| n2\n  n1 --> ghost\n', 1)  # a node no label defined
    assert broken.count("backend-wgot") == 1 and "ghost" in broken
    seen = browser.look(broken)
    assert problems(broken, seen, browser.mermaid_sources(broken)) == [
        "diagram 2 drew 5 nodes of 4", "proof link #^backend-wget lands on nothing"]
