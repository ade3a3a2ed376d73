"""Secrets never reach a bundle or a report."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from reportgen._build import build
from reportgen._redact import MARKER, scrub_object, scrub_text, secret_values

PLANTED = "pl4nted-s3cret-value-0042"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJlLWJ5dGVz"


def test_secret_values_decode_data_and_keep_string_data() -> None:
    encoded = base64.b64encode(b"hunter22").decode()
    values = secret_values({"data": {"a": encoded}, "stringData": {"b": "plain-value"}})
    assert {"hunter22", encoded, "plain-value"} <= values


def test_short_values_are_not_treated_as_secret() -> None:
    assert secret_values({"stringData": {"a": "ok"}}) == set()


def test_scrub_text_replaces_values_and_tokens() -> None:
    text = f"PASSWORD={PLANTED}\ntoken: {JWT}\n"
    assert scrub_text(text, {PLANTED}) == f"PASSWORD={MARKER}\ntoken: {MARKER}\n"


def test_scrub_object_masks_secret_payloads() -> None:
    secret = {"kind": "Secret", "data": {"k": "dmFsdWU="}, "metadata": {"name": "s"}}
    assert scrub_object(secret, [])["data"] == {"k": MARKER}


@pytest.mark.cluster
def test_planted_secret_appears_in_no_output(lab_kubeconfig: str, tmp_path: Path) -> None:
    scenario = Path(__file__).parent / "data" / "secret-scenario.yaml"
    result = build(scenario, out_dir=tmp_path, kubeconfig=lab_kubeconfig, language="en")
    assert result.bundle.all_checks()[0].status == "passed", result.bundle.all_checks()
    needles = [PLANTED, base64.b64encode(PLANTED.encode()).decode(), "eyJ"]
    for path in tmp_path.iterdir():
        text = path.read_text(encoding="utf-8")
        for needle in needles:
            assert needle not in text, f"{needle!r} leaked into {path.name}"
    assert MARKER in result.bundle.capture("env").stdout
