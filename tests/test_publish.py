"""Publishing: lint first, keep hand-written regions, atomic writes, vault file names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportgen._exceptions import ReportError
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
    assert path.read_text(encoding="utf-8") == report()
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
    path.write_text(edit_reflections(report(), MINE).replace("\n", "\r\n"), encoding="utf-8", newline="")
    publish(report(), path)
    assert MINE in path.read_text(encoding="utf-8")


def test_lost_markers_leave_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "lab.md"
    path.write_text("---\ntitle: x\n---\n\nmy own note without markers\n", encoding="utf-8")
    result = publish(report(), path)
    assert result.backup is not None and result.backup.name.startswith("lab.md.")
    assert "my own note without markers" in result.backup.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8") == report()


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
    path.write_text(edit_reflections(report(), "see [[a|b|c]]"), encoding="utf-8")
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
