"""One report template, one catalog per language: every catalog has every key, and the words reach the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from reportgen._catalog import languages, load_catalog, reason
from reportgen._checks import evaluate_section
from reportgen._evidence import Bundle
from reportgen._render import render_report

ROOT = Path(__file__).resolve().parent.parent
LAB_BUNDLE = ROOT / "tests" / "fixtures" / "bundles" / "services.lab.json"


def _keys(value, prefix=""):
    if isinstance(value, dict):
        return {k for key, item in value.items() for k in _keys(item, f"{prefix}{key}.")} | {prefix.rstrip(".")}
    return {prefix.rstrip(".")}


def test_the_languages_are_the_catalogs():
    assert languages() == ["en", "ko"]


@pytest.mark.parametrize("language", languages())
def test_every_catalog_has_every_key(language: str) -> None:
    reference = _keys(load_catalog("ko"))
    assert _keys(load_catalog(language)) == reference
    months = load_catalog(language)["month_names"]
    assert len(months) == 12


def test_the_template_uses_only_catalog_keys():
    template = (ROOT / "templates" / "report.md.j2").read_text(encoding="utf-8")
    template += (ROOT / "templates" / "_macros.md.j2").read_text(encoding="utf-8")
    import re
    used = set(re.findall(r"\bt\.([a-z_]+)", template))
    assert used and used <= set(load_catalog("ko")), used - set(load_catalog("ko"))


def test_the_korean_report_words_its_reasons_in_korean():
    bundle = Bundle.from_dict(json.loads(LAB_BUNDLE.read_text(encoding="utf-8")))
    for spec, record in zip(bundle.scenario["sections"], bundle.sections):  # judged again by today's checks
        record.checks = evaluate_section(spec, bundle)
    korean = render_report(bundle, language="ko")
    english = render_report(bundle, language="en")
    assert "상위 DNS이(가) 필요하지만 이 클러스터에는 없음 (CoreDNS에 forward가 없음)" in korean
    assert "인터넷으로의 송신(egress)이(가) 필요하지만 이 클러스터에는 없음" in korean
    assert "which this cluster does not have" not in korean
    assert "needs upstream DNS, which this cluster does not have (CoreDNS has no forward)" in english


def test_an_unknown_reason_key_falls_back_to_the_english_text():
    assert reason(load_catalog("ko"), "no_such_key", {}, "the English") == "the English"
    assert reason(load_catalog("ko"), "parts", {"parts": [{"key": "nope"}]}, "the English") == "the English"


def test_a_user_catalog_overrides_one_word(tmp_path: Path) -> None:
    (tmp_path / "lang").mkdir()
    (tmp_path / "lang" / "en.yaml").write_text(yaml.safe_dump({"h_overview": "What this lab is"}), encoding="utf-8")
    text = render_report(Bundle.from_dict(json.loads(LAB_BUNDLE.read_text(encoding="utf-8"))), language="en",
                         template_dir=tmp_path)
    assert "## What this lab is\n" in text and "## 📋 Metadata\n" in text


def test_a_user_template_overrides_one_block(tmp_path: Path) -> None:
    (tmp_path / "report.md.j2").write_text(
        '{% extends "reportgen/report.md.j2" %}{% block overview %}## 🎯 Mine\n\nMy words.\n\n{% endblock %}',
        encoding="utf-8")
    text = render_report(Bundle.from_dict(json.loads(LAB_BUNDLE.read_text(encoding="utf-8"))), language="en",
                         template_dir=tmp_path)
    assert "## 🎯 Mine\n\nMy words.\n" in text and "## 📋 Metadata\n" in text


def test_a_user_catalog_that_breaks_a_word_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "lang").mkdir()
    (tmp_path / "lang" / "ko.yaml").write_text("date_long: '{nope}'\n", encoding="utf-8")
    from reportgen._exceptions import TemplateError

    with pytest.raises(TemplateError) as caught:
        render_report(Bundle.from_dict(json.loads(LAB_BUNDLE.read_text(encoding="utf-8"))), template_dir=tmp_path)
    assert caught.value.exit_code == 2
