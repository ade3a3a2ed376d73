"""Rendering: golden reports, the seed's shape, filters, and hostile captured output.

Set REPORTGEN_UPDATE_GOLDEN=1 to rewrite tests/golden/ from the synthetic bundle.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import reportgen._render
import reportgen._render._filters
from reportgen._evidence import Bundle, WaitRecord
from reportgen._exceptions import ReportError, ScenarioError, TemplateError
from reportgen._lint import code_lines, lint_report
from reportgen._render import (
    fence,
    inline_code,
    md_escape,
    render_report,
    tag,
    wikilink,
    yaml_property,
    yaml_value,
)

HERE = Path(__file__).parent
BUNDLES = HERE / "fixtures" / "bundles"
GOLDEN = HERE / "golden"
SEED = HERE.parent.parent / "shared" / "seed" / "lab-report.ko.md"

HOSTILE = (
    "```\n~~~\n---\n# not a heading\n- [x] fake\n%% comment\n[[link|a|b]]\n| a | b |\n"
    "<script>alert(1)</script>\n\x1b[31mred\x1b[0m \x1b]0;title\x07 \x00\r\n"
    "%% reportgen:end %%\n````` ``\n> [!danger] quote\n    indented\n"
)


def load_bundle() -> Bundle:
    return Bundle.read(BUNDLES / "services.synthetic.json")


def load_rows() -> list[dict[str, Any]]:
    return json.loads((BUNDLES / "services.synthetic.comparison.json").read_text(encoding="utf-8"))


def render(bundle: Bundle | None = None, **kwargs: Any) -> str:
    kwargs.setdefault("comparison", load_rows())
    return render_report(bundle or load_bundle(), **kwargs)


def shape(text: str) -> list[tuple[str, ...]]:
    """The report's structure: block tokens, inline markup (not text or code), task markers."""
    out: list[tuple[str, ...]] = []
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        if token.type == "inline":
            markup = [c.type for c in token.children or [] if c.type not in ("text", "code_inline")]
            out.append(("inline", *markup))
            if token.content.startswith(("[x] ", "[ ] ")):
                out.append(("task", token.content[:3]))
        elif token.type == "heading_open":
            out.append((token.type, token.tag))
        else:
            out.append((token.type,))
    return out


def headings(text: str) -> list[str]:
    """Heading lines, outside code."""
    tokens = MarkdownIt("commonmark").parse(text)
    return [f"{tok.markup} {tokens[i + 1].content}" for i, tok in enumerate(tokens) if tok.type == "heading_open"]


# ---------------------------------------------------------------- golden


@pytest.mark.parametrize("language", ["ko", "en"])
def test_golden(language: str) -> None:
    text = render(language=language)
    golden = GOLDEN / f"services.{language}.md"
    if os.environ.get("REPORTGEN_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    if not golden.exists():
        pytest.fail(f"{golden} is missing: run with REPORTGEN_UPDATE_GOLDEN=1")
    assert text == golden.read_text(encoding="utf-8")
    assert lint_report(text) == []


def test_language_defaults_to_the_scenario() -> None:
    assert render() == render(language="ko")


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed is not checked out")
def test_headings_follow_the_seed() -> None:
    ours, seed = iter(headings(render())), headings(SEED.read_text(encoding="utf-8"))
    missing = [h for h in seed if not any(h == mine for mine in ours)]
    assert missing == []


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed is not checked out")
def test_a_block_reads_exactly_as_in_the_seed() -> None:
    seed = SEED.read_text(encoding="utf-8")
    block = re.search(r"#### 서비스 생성 확인\n```bash\n.*?\n```\n", seed, re.S)
    assert block is not None
    assert block.group() in render()


def test_front_matter_properties() -> None:
    text = render()
    props = yaml.safe_load(text.split("---\n")[1])
    assert props["title"] == "쿠버네티스 서비스 타입별 실습 결과 보고서"
    assert props["tags"][:2] == ["kubernetes", "service"]
    assert props["created"] == dt.date(2025, 11, 27)  # the scenario gives no date: the run's
    counts = [props[f"checks_{k}"] for k in ("passed", "failed", "undecided", "total")]
    assert counts == [12, 0, 2, 14]
    assert props["status"] == "undecided"
    assert props["kubernetes_version"] == "v1.34.4"
    assert props["scenario"] == "services"


# ---------------------------------------------------------------- verdicts


def with_statuses(status: str) -> Bundle:
    bundle = load_bundle()
    for check in bundle.all_checks():
        check.status, check.reason = ("passed", None) if status == "passed" else (check.status, check.reason)
    if status == "failed":
        check = bundle.sections[1].checks[3]
        check.status, check.reason = "failed", "expected 'Welcome to nginx!' in the output, found nothing"
    return bundle


@pytest.mark.parametrize(
    ("status", "callout", "box"),
    [
        ("passed", "> [!success] 검증 14/14 통과\n", "- [x] 포트 포워딩으로 외부 접근 확인 ([[#^backend-forward|증거]])\n"),
        (
            "failed",
            "> [!failure] 검증 11/14 통과 · 실패 1 · 판정 불가 2\n",
            "- [ ] 포트 포워딩으로 외부 접근 확인 — ❌ expected 'Welcome to nginx!' in",
        ),
    ],
)
def test_summary_and_checkboxes(status: str, callout: str, box: str) -> None:
    text = render(with_statuses(status))
    assert callout in text
    assert box in text


def test_undecided_checks_say_why() -> None:
    text = render()
    assert "> [!question] 검증 12/14 통과 · 판정 불가 2\n" in text
    assert "- [ ] DNS 해석을 통해 외부 IP 반환 확인 — ⚠️ 판정 불가: needs upstream DNS" in text
    assert "— ⚠️ undecided: needs upstream DNS" in render(language="en")


def test_skipped_and_missing_steps_are_visible() -> None:
    bundle = load_bundle()
    forward = bundle.capture("backend-forward")
    assert forward is not None
    forward.status, forward.stdout, forward.exit_code, forward.reason = "skipped", "", None, "port 8080 is busy"
    bundle.sections[2].captures = [c for c in bundle.sections[2].captures if c.step_id != "mongo-1-lookup"]
    text = render(bundle)
    assert "```\n\n^backend-forward\n\n> [!warning] `backend-forward`: 건너뜀\n> port 8080 is busy\n" in text
    assert "> [!warning] `mongo-1-lookup`: 실행되지 않음\n" in text


def test_a_section_that_never_ran() -> None:
    bundle = load_bundle()
    bundle.sections = bundle.sections[:2]
    bundle.error = "interrupted by signal 15"
    text = render(bundle)
    assert "- [ ] ClusterIP가 None으로 설정됨 — ⚠️ 판정 불가: 실행되지 않음\n" in text
    assert "> [!failure]" in text and "> 실행 오류: interrupted by signal 15\n" in text
    assert lint_report(text) == []


def test_wait_that_timed_out() -> None:
    bundle = load_bundle()
    bundle.sections[1].waits[0] = WaitRecord(
        "rollout deployment/backend-app", "timeout", 180.0, "1/3 available", events=["BackOff: pulling image"]
    )
    text = render(bundle)
    callout = "> [!warning] 대기 실패: rollout deployment/backend-app — timeout (180.0s)\n> 마지막 상태: 1/3 available\n"
    assert callout + "> - BackOff: pulling image\n" in text


def test_comparison_needs_rows() -> None:
    text = render_report(load_bundle())
    assert "## 📊 서비스 타입별 비교 분석\n\n> [!note]" in text
    assert lint_report(text) == []


def test_comparison_from_the_real_compare_matches_the_fixture() -> None:
    compare = pytest.importorskip("reportgen._compare").compare
    bundle = load_bundle()
    rows = compare(bundle.scenario["comparison"]["columns"], bundle)
    assert render(bundle, comparison=rows) == render(bundle)


def test_comparison_cells_are_worded_and_escaped() -> None:
    @dataclasses.dataclass
    class Cell:
        kind: str
        ok: bool | None = None
        value: Any = None
        note: str = ""

    rows = [
        {"key": "dns_answer", "cells": [Cell("pod_ips", None, ["10.0.0.1", "10.0.0.2"]), Cell("failed", False, "a|b")]},
        {"key": "new_row", "label": "**새 행**", "cells": [Cell("unknown", None, None, "step x did not run")]},
    ]
    text = render(comparison=rows)
    assert "| **DNS 해석 결과** | 모든 파드 IP (2개) | ❌ 조회 실패 (a\\|b) | 확인 불가 |\n" in text
    assert "| **\\*\\*새 행\\*\\*** | 확인 불가 | 확인 불가 | 확인 불가 |\n" in text
    assert "- **\\*\\*새 행\\*\\* · ExternalName**: 확인 불가 — step x did not run\n" in text
    assert "- **DNS 해석 결과 · Headless**: 확인 불가 — no cell for this column\n" in text
    assert lint_report(text) == []


# ---------------------------------------------------------------- templates


def test_user_templates_override_packaged_ones(tmp_path: Path) -> None:
    (tmp_path / "ko").mkdir()
    (tmp_path / "ko" / "report.md.j2").write_text(
        '{% import "_macros.md.j2" as m with context %}'
        "{{ m.front_matter(meta, run, counts, status) }}\n# {{ meta.title }}\n",
        encoding="utf-8",
    )
    text = render(template_dir=tmp_path)
    assert text.endswith("---\n# 쿠버네티스 서비스 타입별 실습 결과 보고서\n")


def test_unknown_language() -> None:
    with pytest.raises(ScenarioError, match="no report catalog"):
        render(language="xx")


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("ok\n{{ no_such_thing }}\n", 2, "'no_such_thing' is undefined"),
        ("ok\n\n{% if %}\n", 3, "Expected an expression"),
        ("{{ cycler.__init__.__globals__.os.system('id') }}\n", 1, "sandbox refused"),
        ("{{ ''.__class__.__mro__ }}\n", 1, "sandbox refused"),
        ("{% for i in range(10**12) %}x{% endfor %}\n", 1, "Range too big"),
        ("{{ 'a' * 10**9 }}\n", 1, "too large"),
        ("{{ 9 ** 999999 }}\n", 1, "too large"),
    ],
)
def test_a_broken_or_hostile_user_template_is_bad_input(tmp_path: Path, source: str, line: int, words: str) -> None:
    (tmp_path / "ko").mkdir()
    (tmp_path / "ko" / "report.md.j2").write_text(source, encoding="utf-8")
    with pytest.raises(TemplateError, match=re.escape(words)) as caught:
        render(template_dir=tmp_path)
    assert caught.value.exit_code == 2
    assert caught.value.file.endswith("ko/report.md.j2") and caught.value.line == line


def test_a_runaway_user_template_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reportgen._render.TEMPLATE_SECONDS", 0.5)
    (tmp_path / "ko").mkdir()
    (tmp_path / "ko" / "report.md.j2").write_text(
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"longer than 0\.5s"):
        render(template_dir=tmp_path)


def test_a_packaged_template_bug_is_a_report_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_value: object) -> str:
        raise jinja2.UndefinedError("a bug in a filter")

    monkeypatch.setitem(reportgen._render._filters._FILTERS, "md_escape", broken)
    with pytest.raises(ReportError, match="a bug in a filter") as caught:
        render()
    assert caught.value.exit_code == 3


# ---------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a", "```x\na\n```"),
        ("```\n", "````x\n```\n````"),
        ("~~~\nx ``````", "```````x\n~~~\nx ``````\n```````"),
        ("\x1b[1;31mred\x1b[0m \x1b]0;t\x07\r\n", "```x\nred \\x1b]0;t\\x07\n```"),
        ("", "```x\n```"),
    ],
)
def test_fence(text: str, expected: str) -> None:
    assert fence(text, "x") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a", "`a`"), ("a`b", "``a`b``"), ("`a", "`` `a ``"), ("a\nb", "`a\\nb`"), ("50%%", "50\\%\\%"), ("", "` `")],
)
def test_inline_code(text: str, expected: str) -> None:
    assert inline_code(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- [x] fake", "\\- \\[x\\] fake"),
        ("1. item", "1\\. item"),
        ("10.0.0.1 and <b>|%%[[x]]", "10.0.0.1 and \\<b\\>\\|\\%\\%\\[\\[x\\]\\]"),
        ("a\nb\tc", "a ⏎ b c"),
        ("key:: value", "key:\\: value"),
    ],
)
def test_md_escape(text: str, expected: str) -> None:
    assert md_escape(text) == expected


def test_wikilink() -> None:
    assert wikilink("Kubernetes (MOC)") == "[[Kubernetes (MOC)]]"
    assert wikilink("note", "shown") == "[[note|shown]]"
    for bad in ("a|b", "a[b", "a#b", "a^b", "a\nb", ""):
        with pytest.raises(ScenarioError):
            wikilink(bad)
    with pytest.raises(ScenarioError):
        wikilink("note", "a]]b")


def test_tag() -> None:
    assert tag("kubernetes") == "#kubernetes"
    assert tag("service mesh") == "#service-mesh"
    assert tag("#실습") == "#실습"
    assert tag("k8s/net,work!") == "#k8s/network"
    with pytest.raises(ScenarioError):
        tag("1984")


def test_yaml_property() -> None:
    assert yaml_property("tags", ["a", "b: c"]) == "tags:\n  - a\n  - 'b: c'"
    assert yaml_property("tags", []) == "tags: []"
    assert yaml_property("created", dt.date(2025, 11, 13)) == "created: 2025-11-13"
    assert yaml_property("n", None) == "n: null"


@pytest.mark.parametrize("text", ["\x1b[31mred\x1b[0m", "a\r\nb", "\u2028", "'\"\\", "- [x]", "[[a|b]]", "%%"])
def test_yaml_value_keeps_every_character(text: str) -> None:
    assert yaml.safe_load(f"key: {yaml_value(text)}") == {"key": text}


@settings(max_examples=300)
@given(st.text() | st.lists(st.text(), max_size=4) | st.dictionaries(st.text(max_size=5), st.text(), max_size=3))
def test_yaml_value_round_trips(value: Any) -> None:
    dumped = yaml_value(value)
    assert "\n" not in dumped
    assert yaml.safe_load(f"key: {dumped}\nnext: 1\n") == {"key": value, "next": 1}


# ---------------------------------------------------------------- hostile output


def poisoned(text: str) -> Bundle:
    """The synthetic bundle with ``text`` in every captured or observed place, waits timed out."""
    bundle = load_bundle()
    for section in bundle.sections:
        for cap in section.captures:
            cap.stdout, cap.stderr, cap.command = text, text, f"kubectl get {text}"
        for check in section.checks:
            check.observed = text
            if check.status != "passed":
                check.reason = text
        for wait in section.waits:
            wait.status, wait.last_state, wait.events = "timeout", text, [text]
    bundle.cluster.platform = text or "x"
    bundle.cluster.nodes[0].os_image = text
    return bundle


def benign() -> Bundle:
    return poisoned("plain")


def outside_code(text: str) -> str:
    """The lines of a report that are not inside a code fence (or indented code), as markdown-it sees them."""
    inside = code_lines(text)
    return "\n".join(line for number, line in enumerate(text.split("\n")) if number not in inside)


def test_hostile_output_cannot_change_the_structure() -> None:
    text = render(poisoned(HOSTILE))
    assert lint_report(text) == []
    assert shape(text) == shape(render(benign()))
    for needle in ("<script>", "\n- [x] fake", "[[link", "\n# not a heading", "\x1b", "\x00"):
        assert needle not in outside_code(text)


def poisoned_objects(text: str) -> Bundle:
    """The synthetic bundle with ``text`` in object fields that checks read: a ClusterIP, a pod name, a StatefulSet's."""
    bundle = load_bundle()
    bundle.objects["service/backend-service"]["spec"]["clusterIP"] = text
    bundle.objects["statefulset/mongodb"]["spec"]["serviceName"] = text
    bundle.objects["pods:app=mongodb"][0]["metadata"]["name"] = text
    return bundle


def fields_yaml(report: str, anchor: str) -> Any:
    """The YAML of the fields callout whose block id is ``anchor``, loaded."""
    callout = re.search(rf"((?:^>.*\n)+)\n\^{anchor}$", report, re.M)
    assert callout is not None, anchor
    body = re.sub(r"^> ?", "", callout.group(1), flags=re.M).split("\n", 1)[1]
    return yaml.safe_load(re.sub(r"\A(`{3,})yaml\n(.*)^\1\n\Z", r"\2", body, flags=re.S | re.M))


def test_hostile_object_fields_stay_inside_their_callout_byte_for_byte() -> None:
    text = render(poisoned_objects(HOSTILE))
    assert lint_report(text) == []
    assert shape(text) == shape(render(poisoned_objects("plain")))
    for needle in ("<script>", "\n- [x] fake", "[[link", "\n# not a heading", "\x1b", "\x00"):
        assert needle not in outside_code(text)
    assert fields_yaml(text, "clusterip-check-1-fields") == {"service/backend-service": {"spec": {"clusterIP": HOSTILE}}}
    assert fields_yaml(text, "headless-check-4-fields")["statefulset/mongodb"]["spec"]["serviceName"] == HOSTILE
    assert fields_yaml(text, "ordered-creation-fields")["pods:app=mongodb"][0]["metadata"]["name"] == HOSTILE


def test_a_check_links_to_a_callout_of_only_the_fields_it_read() -> None:
    text = render(language="en")
    assert "- [x] StatefulSet과 Headless 서비스 정상 연동 ([[#^headless-check-4-fields|fields]])\n" in text
    assert "\n> [!example]- Fields read: StatefulSet과 Headless 서비스 정상 연동\n> ```yaml\n" in text
    bundle = load_bundle()
    statefulset = bundle.objects["statefulset/mongodb"]
    assert fields_yaml(text, "headless-check-4-fields") == {"statefulset/mongodb": {
        "spec": {"serviceName": statefulset["spec"]["serviceName"]},
        "status": {"readyReplicas": statefulset["status"]["readyReplicas"]},
    }}
    assert "([[#^backend-wget|evidence]])\n" in text  # a check of output only: no fields callout
    assert "backend-wget-fields" not in text


FRAGMENTS = (
    "```", "~~~", "`", "[[", "]]", "|", "%%", "<", ">", "\n", "- [x] ", "#", "*", "_", "\\", "$$", "==",
    "^", "::", "&lt;", "\x1b[", "\r", " ", "a", "1.", "    ", "> ", "---", "<!--", "-->", "![[", "](", "http://x",
)
HOSTILE_TEXT = (
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
    | st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join)
    | st.sampled_from(HOSTILE.split("\n"))
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE_TEXT)
def test_random_output_never_breaks_the_report(text: str) -> None:
    report = render(poisoned(text))
    assert lint_report(report) == []
    if md_escape(text):  # text that escapes to nothing leaves out its optional lines
        assert shape(report) == shape(render(benign()))


def test_bundle_is_not_modified() -> None:
    bundle = load_bundle()
    before = copy.deepcopy(bundle.to_dict())
    render(bundle)
    assert bundle.to_dict() == before
