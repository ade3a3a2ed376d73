"""Golden reports rendered from a bundle recorded on the lab (scripts/record_lab_bundle.sh)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportgen._build import report_text
from reportgen._evidence import Bundle
from reportgen._lint import lint_report

HERE = Path(__file__).parent
BUNDLE = HERE / "fixtures" / "bundles" / "services.lab.json"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_lab_bundle_renders_to_its_golden(language: str) -> None:
    text = report_text(Bundle.read(BUNDLE), language=language)
    golden = HERE / "golden" / f"services.lab.{language}.md"
    if os.environ.get("REPORTGEN_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert lint_report(text) == []
    assert text == golden.read_text(encoding="utf-8")


def test_lab_bundle_checks_tick_only_what_held() -> None:
    bundle = Bundle.read(BUNDLE)
    text = report_text(bundle, language="ko")
    for check in bundle.all_checks():
        box = "- [x]" if check.status == "passed" else "- [ ]"
        assert any(line.startswith(box) and check.title.split("`")[0] in line for line in text.splitlines()), check
