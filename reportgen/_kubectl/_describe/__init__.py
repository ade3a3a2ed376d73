"""``kubectl describe`` as text, without running kubectl (k8s.io/kubectl v0.34.4): the describers are in
:mod:`._text`, which loads on first use, so that ``top`` and ``events``, which share this package's clock,
quantities and sorting, do not load every describer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._text import DESCRIBERS, NOT_PORTED, DescribeArgs, DescribeNotPorted, DescribeOutput, describe_text

__all__ = ["DESCRIBERS", "NOT_PORTED", "DescribeArgs", "DescribeNotPorted", "DescribeOutput", "describe_text"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module("._text", __name__), name)
