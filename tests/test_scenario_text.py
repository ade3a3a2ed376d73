"""No validated scenario can fail at render time: every text field, fuzzed.

Each example puts generated text into one text field of the seed scenario. If
`validate` accepts it, the report rendered from the seed's real evidence with
that text must pass the report's own lint; if it refuses, the message names
the field's file:line:col.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reportgen._evidence import Bundle
from reportgen._lint import check_report
from reportgen._render import render_report
from reportgen._scenario import InvalidScenario, load_scenario
from reportgen._scenario_text import TEXT_FIELDS, _kind, _strings, text_problems

ROOT = Path(__file__).resolve().parent.parent
SEED = yaml.safe_load((ROOT / "scenarios" / "services.yaml").read_text(encoding="utf-8"))
EVIDENCE = json.loads((ROOT / "out" / "services.evidence.json").read_text(encoding="utf-8"))


TEXT_PATHS = [path for path, _text in _strings(SEED, ()) if _kind(path) is not None]
PIECES = st.sampled_from(["%%", "<b>", "</div>", "<!--", "[[", "]]", "[[a|b]]", "[[x]]", "|", "#", "^", "```",
                          "~~~", "\n", "\r", "\u2028", "- [ ] ", "> ", "---", "`", "*", "_", "\\", "<", ">",
                          "&amp;", "{{ x }}", "$", "\u202e", "\t", " ", "a", "한"])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=8).map("".join)


def test_every_text_kind_is_present_in_the_seed():
    assert {_kind(p) for p in TEXT_PATHS} == set(TEXT_FIELDS.values())


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "scenarios" / "services", root / "services")
    return root


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(TEXT_PATHS), text=TEXT)
@example(path=("report", "series"), text="]]")  # found by CI: the series is a link target
@example(path=("report", "icon"), text="\t<b>")  # found by a longer run: alone, a tab made it a code block
@example(path=("sections", 1, "summary", 0), text="<!--")  # and a list item's text starts a block
def test_validated_text_always_renders(folder: Path, path, text: str) -> None:
    data = copy.deepcopy(SEED)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = text
    file = folder / "services.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        scenario = load_scenario(file)
    except InvalidScenario as refused:
        assert all(e.file == str(file) and e.line for e in refused.errors), refused
        return
    # PyYAML does not round-trip every character (a NEL dumps raw and loads as a space): judge what was read
    assert not list(text_problems(yaml.safe_load(file.read_text(encoding="utf-8"))))
    evidence = {**EVIDENCE, "scenario": scenario.to_data()}
    check_report(render_report(Bundle.from_dict(evidence)))
