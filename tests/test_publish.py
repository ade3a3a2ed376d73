"""Publishing: lint first, keep hand-written regions, atomic writes, vault file names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportgen._exceptions import ReportError, VaultError
from reportgen._lint import lint_report
from reportgen._merge import with_digest
from reportgen._publish import keep_regions, publish, safe_filename, vault_path

GOLDEN = Path(__file__).parent / "golden"
# Hand-written reflections, with a fenced marker look-alike that must not end the region.
MINE = "### ✍️ 직접 쓴 후기\n손으로 쓴 문장, [[내 노트]] 와 함께.\n\n```bash\n$ echo %% reportgen:end %%\n```\n"


def report() -> str:
    return (GOLDEN / "services.ko.md").read_text(encoding="utf-8")


def edit_reflections(text: str, body: str) -> str:
    regions, sound = keep_regions(text)
    assert sound
    lines = text.split("\n")
    (region,) = [r for r in regions if r.name == "reflections"]
    lines[region.start + 1 : region.end] = body.rstrip("\n").split("\n")
    return "\n".join(lines)


def test_first_publish_writes_the_report(tmp_path: Path) -> None:
    path = tmp_path / "vault" / "lab.md"
    result = publish(report(), path)
    assert result.written and result.kept == () and result.backup is None
    assert path.read_text(encoding="utf-8") == with_digest(report())
    assert os.stat(path).st_mode & 0o777 == 0o644


def test_hand_written_reflections_survive_regeneration(tmp_path: Path) -> None:
    path = tmp_path / "lab.md"
    publish(report(), path)
    path.write_text(edit_reflections(path.read_text(encoding="utf-8"), MINE), encoding="utf-8")
    regenerated = report().replace("rg-synth-7f3k2q", "rg-synth-next")
    result = publish(regenerated, path)
    text = path.read_text(encoding="utf-8")
    assert result.kept == ("reflections",) and result.backup is None and result.problems == ()
    assert MINE in text and "rg-synth-next" in text
    assert "이론과 실제의 차이" not in text
    again = publish(regenerated, path)
    assert not again.written and path.read_text(encoding="utf-8") == text


def test_region_with_crlf_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "lab.md"
    path.write_text(edit_reflections(with_digest(report()), MINE).replace("\n", "\r\n"), encoding="utf-8",
                    newline="")
    publish(report(), path)
    assert MINE in path.read_text(encoding="utf-8")


def published(tmp_path: Path) -> Path:
    path = tmp_path / "lab.md"
    publish(report(), path)
    return path


def rewrite(path: Path, change) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def test_an_edit_outside_the_regions_leaves_a_backup_and_a_notice(tmp_path: Path) -> None:
    path = published(tmp_path)
    rewrite(path, lambda text: text.replace("## 🎯", "my own line\n\n## 🎯", 1))
    result = publish(report(), path)
    assert result.backup is not None and "my own line" in result.backup.read_text(encoding="utf-8")
    assert "my own line" not in path.read_text(encoding="utf-8")
    assert any(str(result.backup) in notice for notice in result.notices), result.notices


def test_an_unchanged_note_is_not_rewritten_and_needs_no_backup(tmp_path: Path) -> None:
    path = published(tmp_path)
    rewrite(path, lambda text: edit_reflections(text, MINE))
    first = publish(report(), path)
    assert not first.written and first.backup is None and first.notices == ()


def replace_last(text: str, old: str, new: str) -> str:
    head, _, tail = text.rpartition(old)
    return head + new + tail


END = "%% reportgen:end %%"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda text: replace_last(text, END, ""), id="end-marker-deleted"),
        pytest.param(lambda text: text.replace("reportgen:keep reflections", "reportgen:keep mine", 1), id="renamed"),
        pytest.param(lambda text: replace_last(text, END, f"{END}\n\n%% reportgen:keep reflections %%\n"
                                               f"second copy\n{END}"), id="duplicated"),
    ],
)
def test_text_whose_region_is_gone_moves_to_the_recovered_section(tmp_path: Path, damage) -> None:
    path = published(tmp_path)
    rewrite(path, lambda text: damage(edit_reflections(text, MINE)))
    result = publish(report(), path)
    text = path.read_text(encoding="utf-8")
    assert "직접 쓴 후기" in text and "Recovered text" in text, text[-800:]
    assert result.notices and "Recovered text" in result.notices[0]
    assert lint_report(text) == [] or all("wikilink" not in p.message for p in lint_report(text))
    again = publish(report(), path)
    assert not again.written, "a second rebuild changes nothing"
    assert path.read_text(encoding="utf-8").count("직접 쓴 후기") == text.count("직접 쓴 후기")


def test_a_note_without_markers_is_backed_up_and_said(tmp_path: Path) -> None:
    path = published(tmp_path)
    rewrite(path, lambda text: edit_reflections(text, MINE).replace("%% reportgen:keep reflections %%", "")
            .replace("%% reportgen:end %%", ""))
    result = publish(report(), path)
    assert result.backup is not None and "직접 쓴 후기" in result.backup.read_text(encoding="utf-8")
    assert result.notices


def test_properties_the_user_added_survive_rebuilds(tmp_path: Path) -> None:
    path = published(tmp_path)
    rewrite(path, lambda text: text.replace("\n---\n", "\nrating: 5\nmy_list:\n  - a\n  - b\n---\n", 1))
    for _ in range(3):
        result = publish(report().replace("rg-synth-7f3k2q", f"rg-{_}"), path)
        assert result.backup is None, result.notices
    text = path.read_text(encoding="utf-8")
    assert "rating: 5\nmy_list:\n  - a\n  - b\n---\n" in text


def test_a_note_reportgen_did_not_write_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "lab.md"
    path.write_text("---\ntitle: x\n---\n\nmy own note\n", encoding="utf-8")
    with pytest.raises(VaultError, match="did not write"):
        publish(report(), path)
    assert path.read_text(encoding="utf-8") == "---\ntitle: x\n---\n\nmy own note\n"


def test_an_unreadable_or_unwritable_place_is_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(with_digest(report()).encode() + b"\xff\n")
    with pytest.raises(VaultError, match="not UTF-8") as caught:
        publish(report(), bad)
    assert caught.value.line is not None
    (tmp_path / "file").write_text("x")
    with pytest.raises(VaultError, match="cannot write"):
        publish(report(), tmp_path / "file" / "lab.md")


def test_a_report_that_fails_lint_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "lab.md"
    path.write_text("old", encoding="utf-8")
    broken = report() + "\n```bash\n$ unclosed\n"
    with pytest.raises(ReportError, match="not closed"):
        publish(broken, path)
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lab.md"]


def test_trailing_newline_and_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "lab.md"
    publish(report().rstrip("\n") + "\n\n\n", path)
    assert path.read_text(encoding="utf-8").endswith("*\n")
    assert [p.name for p in tmp_path.iterdir()] == ["lab.md"]


def test_problems_from_hand_written_regions_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "lab.md"
    path.write_text(edit_reflections(with_digest(report()), "see [[a|b|c]]"), encoding="utf-8")
    result = publish(report(), path)
    assert "see [[a|b|c]]" in path.read_text(encoding="utf-8")
    assert [p.message for p in result.problems] == ["wikilink [[a|b|c]] has more than one |"]


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("쿠버네티스 서비스 타입별 실습 결과 보고서", "쿠버네티스 서비스 타입별 실습 결과 보고서"),
        ('a/b\\c:d*e?f"g<h>i|j#k^l[m]n', "a b c d e f g h i j k l m n"),
        ("  .hidden. ", "hidden"),
        ("CON", "_CON"),
        ("\x00\n", "report"),
        ("가" * 100, "가" * 66),
    ],
)
def test_safe_filename(title: str, name: str) -> None:
    assert safe_filename(title) == name


def test_vault_path(tmp_path: Path) -> None:
    scenario = {"report": {"title": "Lab: Services / DNS"}}
    assert vault_path(tmp_path, scenario) == tmp_path / "Lab Services DNS.md"
