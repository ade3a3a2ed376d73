"""Redaction: secret values never reach an evidence bundle or a report.

What counts as secret: the values of every Secret the run applied or found in
its namespace (decoded), values of env vars taken from a secretKeyRef, and
anything shaped like a service-account token (a JWT). Each is replaced by
:data:`MARKER` wherever it appears.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import re
from collections.abc import Iterable
from typing import Any

from ._evidence import Bundle, Capture, CheckResult, WaitRecord

MARKER = "‹redacted›"
MIN_SECRET_LEN = 4  # shorter values would scrub ordinary words
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\b")


def secret_values(secret: dict[str, Any]) -> set[str]:
    """The plain values a Secret object or manifest holds (data decoded, stringData as is)."""
    values = {str(v) for v in (secret.get("stringData") or {}).values()}
    for raw in (secret.get("data") or {}).values():
        values.add(str(raw))
        try:
            values.add(base64.b64decode(str(raw), validate=True).decode("utf-8"))
        except (binascii.Error, UnicodeDecodeError, ValueError):
            pass
    return {v for v in values if len(v) >= MIN_SECRET_LEN}


def scrub_text(text: str, values: Iterable[str]) -> str:
    """Replace every secret value and JWT-shaped token in ``text``."""
    for value in sorted(set(values), key=len, reverse=True):
        text = text.replace(value, MARKER)
        for line in value.splitlines():  # multi-line secrets may be printed a line at a time
            if len(line) >= MIN_SECRET_LEN * 2:
                text = text.replace(line, MARKER)
    return _JWT.sub(MARKER, text)


def scrub_object(obj: Any, values: Iterable[str]) -> Any:
    """A copy of ``obj`` (plain data) with Secret payloads masked and strings scrubbed."""
    values = list(values)
    if isinstance(obj, dict):
        if obj.get("kind") == "Secret":
            obj = {**obj, **{k: dict.fromkeys(obj[k], MARKER) for k in ("data", "stringData") if obj.get(k)}}
        return {k: scrub_object(v, values) for k, v in obj.items()}
    if isinstance(obj, list):
        return [scrub_object(v, values) for v in obj]
    if isinstance(obj, str):
        return scrub_text(obj, values)
    return obj


def redact_bundle(bundle: Bundle, values: Iterable[str]) -> None:
    """Scrub every captured text, snapshot and manifest in the bundle, in place.

    Every field of every capture, check and wait is scrubbed, whatever it is
    called, so that a field added later cannot leak a secret.
    """
    values = set(values)
    for section in bundle.sections:
        records: list[Capture | CheckResult | WaitRecord] = [*section.captures, *section.checks, *section.waits]
        for record in records:
            for item in dataclasses.fields(record):
                setattr(record, item.name, scrub_object(getattr(record, item.name), values))
    bundle.objects = scrub_object(bundle.objects, values)
    bundle.scenario = scrub_object(bundle.scenario, values)
    if bundle.error:
        bundle.error = scrub_text(bundle.error, values)
