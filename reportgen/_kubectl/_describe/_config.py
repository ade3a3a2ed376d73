"""``kubectl describe`` for config maps and secrets.

Ports ``ConfigMapDescriber`` and ``SecretDescriber`` (k8s.io/kubectl v0.34.4
``pkg/describe/describe.go``). A secret's values are never printed, only their
sizes, except what kubectl itself prints: the ``token`` of a
``kubernetes.io/service-account-token`` secret.
"""

from __future__ import annotations

import base64
from typing import Any

from ._api import Context
from ._writer import PrefixWriter, describe_events, print_metadata, print_name, tabbed_string

__all__ = ["describe_config_map", "describe_secret"]

_TOKEN_TYPE = "kubernetes.io/service-account-token"


def _decoded(value: object) -> bytes:
    """A ``[]byte`` field's bytes (JSON carries them in base64)."""
    return base64.b64decode(value) if isinstance(value, str) else b""


def describe_config_map(ctx: Context, config_map: dict[str, Any]) -> str:
    """``ConfigMapDescriber.Describe``: every value in full, binary values by size.

    Raises:
        ApiError: When the events cannot be listed (kubectl fails the describe then).
    """
    events = ctx.events(config_map, "ConfigMap")
    data, binary = config_map.get("data") or {}, config_map.get("binaryData") or {}

    def body(w: PrefixWriter) -> None:
        print_name(w, config_map)
        print_metadata(w, config_map)
        w.write(0, "\nData\n====\n")
        for key in sorted(data):
            w.write(0, f"{key}:\n----\n")
            w.write(0, f"{data[key]}\n")
            w.write(0, "\n")
        w.write(0, "\nBinaryData\n====\n")
        for key in sorted(binary):
            w.write(0, f"{key}: {len(_decoded(binary[key]))} bytes\n")
        w.write(0, "\n")
        describe_events(w, events, ctx.clock)

    return tabbed_string(body)


def describe_secret(ctx: Context, secret: dict[str, Any]) -> str:
    """``SecretDescriber.Describe``: each key with its size in bytes."""
    data, kind = secret.get("data") or {}, secret.get("type", "")

    def body(w: PrefixWriter) -> None:
        print_name(w, secret)
        print_metadata(w, secret)
        w.write(0, f"\nType:\t{kind}\n")
        w.write(0, "\nData\n====\n")
        for key in sorted(data):
            value = _decoded(data[key])
            if key == "token" and kind == _TOKEN_TYPE:
                w.write(0, f"{key}:\t{value.decode(errors='replace')}\n")
            else:
                w.write(0, f"{key}:\t{len(value)} bytes\n")

    return tabbed_string(body)
