"""The report lint: a good report passes, each kind of breakage is caught with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen._exceptions import ReportError
from reportgen._lint import check_report, code_lines, lint_report

GOLDEN = Path(__file__).parent / "golden"
FRONT = "---\ntitle: x\n---\n"


@pytest.mark.parametrize("name", ["services.ko.md", "services.en.md"])
def test_golden_reports_pass(name: str) -> None:
    text = (GOLDEN / name).read_text(encoding="utf-8")
    assert lint_report(text) == []
    check_report(text)


def problems(text: str) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in lint_report(text)]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("# no front matter\n", 1, "missing"),
        ("---\ntitle: x\n# never closed\n", 1, "not closed"),
        ("---\ntitle: [x\n---\n", 2, "not valid YAML"),
        ("---\n- a list\n---\n", 1, "not a mapping"),
        ("---\n---\n", 1, "not a mapping"),
    ],
)
def test_front_matter(text: str, line: int, words: str) -> None:
    found = problems(text)
    assert len(found) == 1 and found[0][0] == line and words in found[0][1]


def test_fence_running_to_the_end() -> None:
    assert problems(FRONT + "text\n\n```bash\n$ kubectl get pods\n") == [(6, "code fence ``` is not closed")]


def test_fence_left_open_swallows_the_next_one() -> None:
    text = FRONT + "```bash\nout\n\n## heading\n```bash\nmore\n```\n"
    assert problems(text) == [(8, "code fence ``` holds a fence line: a fence before it was left open")]


def test_longer_fences_may_hold_shorter_ones() -> None:
    assert problems(FRONT + "````\n```\n~~~\n````\n\n~~~\n```\n~~~\n") == []


def test_fence_closed_inside_a_callout() -> None:
    assert problems(FRONT + "> ```\n> x\n> ```\n") == []
    assert problems(FRONT + "> ```\n> x\n\nafter\n") == [(4, "code fence ``` is not closed")]


@pytest.mark.parametrize(
    ("link", "words"),
    [
        ("[[a|b|c]]", "more than one |"),
        ("[[a[b]]", "brackets inside"),
        ("[[unclosed", "not closed"),
        ("[[|alias]]", "no target"),
    ],
)
def test_bad_wikilinks(link: str, words: str) -> None:
    found = problems(FRONT + f"- see {link} here\n")
    assert len(found) == 1 and found[0][0] == 4 and words in found[0][1]


def test_wikilink_broken_across_lines() -> None:
    assert problems(FRONT + "see [[a\nb]] here\n") == [(4, "wikilink spans a line break")]


def test_good_and_escaped_wikilinks_pass() -> None:
    text = FRONT + "[[a]] [[b|c]] ![[d]] `[[code` \\[\\[escaped\n\n```\n[[in a fence\n```\n"
    assert problems(text) == []


def test_raw_html_is_caught() -> None:
    found = problems(FRONT + "<script>alert(1)</script>\n\ntext <b>bold</b>\n")
    assert [line for line, _ in found] == [4, 6, 6]
    assert "raw HTML block" in found[0][1]


def test_lines_that_look_like_tasks_must_be_list_items() -> None:
    assert problems(FRONT + "- [x] done\n- [ ] open\n  - [x] nested\n- [[note]] - link\n") == []
    found = problems(FRONT + "para\n    - [x] lazy continuation\n")
    assert found == [(5, "line starts with '- [' but is not a list item")]


def test_comments_and_keep_markers() -> None:
    good = FRONT + "%% reportgen:keep notes %%\n\nmine %%hidden%%\n\n%% reportgen:end %%\n"
    assert problems(good) == []
    assert problems(FRONT + "a %% b\n") == [(4, "%% comment is not closed (odd number of %% outside code)")]
    assert problems(FRONT + "`%%` and \\%\\%\n") == []
    unclosed = problems(FRONT + "%% reportgen:keep a %%\n")
    assert [m for _, m in unclosed] == ["keep region 'a' is not closed by %% reportgen:end %%"]
    assert [m for _, m in problems(FRONT + "%% reportgen:end %%\n")] == ["reportgen:end without a reportgen:keep"]
    twice = FRONT + ("%% reportgen:keep a %%\n\n%% reportgen:end %%\n\n" * 2)
    assert [m for _, m in problems(twice)] == ["keep region 'a' appears twice"]


def test_code_lines() -> None:
    text = FRONT + "x\n\n```\na\nb\n```\n"
    assert code_lines(text) == {5, 6, 7, 8}


def test_check_report_lists_problems_with_lines() -> None:
    with pytest.raises(ReportError) as caught:
        check_report("# title\n\n```\n")
    message = str(caught.value)
    assert "line 1: front matter (---) is missing" in message
    assert "line 3: code fence ``` is not closed" in message


def test_every_proof_link_must_name_a_block_of_the_note():
    ok = "---\na: 1\n---\n\n```bash\n$ x\n```\n\n^step-x\n\n- [x] held ([[#^step-x|evidence]])\n"
    assert lint_report(ok) == []
    broken = ok.replace("[[#^step-x|", "[[#^step-y|")
    assert [p.message for p in lint_report(broken)] == ["link to block ^step-y that this note does not have"]
    in_code = "---\na: 1\n---\n\n```\n^step-y\n```\n\n[[#^step-y]]\n"
    assert [p.message for p in lint_report(in_code)] == ["link to block ^step-y that this note does not have"]


def test_a_proof_link_may_name_a_callout_whose_id_follows_it_after_a_blank_line():
    callout = "> [!example]- Fields read: ready\n> ```yaml\n> deployment/web:\n>   status:\n>     readyReplicas: 2\n> ```\n"
    ok = f"---\na: 1\n---\n\n- [x] ready ([[#^ready-fields|fields]])\n\n{callout}\n^ready-fields\n"
    assert lint_report(ok) == []
    glued = ok.replace("```\n\n^ready-fields", "```\n^ready-fields")  # lazy text of the callout, no id
    assert [p.message for p in lint_report(glued)] == [
        "link to block ^ready-fields, whose id is not a line of its own after a blank line"]
    inside = ok.replace("\n^ready-fields", "> ^ready-fields")
    assert [p.message for p in lint_report(inside)] == ["link to block ^ready-fields that this note does not have"]


def test_the_seed_report_links_each_output_check_to_its_evidence():
    from pathlib import Path

    text = (Path(__file__).parent / "golden" / "services.ko.md").read_text(encoding="utf-8")
    assert lint_report(text) == []
    assert "- [x] 3개 파드가 엔드포인트에 등록됨" in text
    assert "([[#^backend-wget|증거]])" in text and "\n\n^backend-wget\n\n" in text
    assert "- [x] 3개 파드가 엔드포인트에 등록됨 ([[#^clusterip-check-2-fields|필드]])" in text
    assert "\n> ```\n\n^clusterip-check-2-fields\n\n" in text
