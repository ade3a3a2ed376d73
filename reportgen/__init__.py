"""reportgen: Obsidian lab reports built from live Kubernetes evidence.

    scenario YAML ─▶ runner (cluster API) ─▶ evidence Bundle ─▶ Jinja ─▶ lint ─▶ note

The public surface is below; everything else is private. Names load on first
use, so ``import reportgen`` (and ``reportgen validate``) never pays for the
Kubernetes client or Jinja.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

# name -> the private module that defines it
_EXPORTS = {
    "validate": "._build",
    "build": "._build",
    "render": "._build",
    "BuildResult": "._build",
    "load_scenario": "._scenario",
    "Scenario": "._scenario",
    "connect": "._cluster",
    "Cluster": "._cluster",
    "Bundle": "._evidence",
    "Capture": "._evidence",
    "CheckResult": "._evidence",
    "ClusterFacts": "._evidence",
    "SectionRecord": "._evidence",
    "WaitRecord": "._evidence",
    "ReportgenError": "._exceptions",
    "InputError": "._exceptions",
    "ScenarioError": "._exceptions",
    "BundleError": "._exceptions",
    "TemplateError": "._exceptions",
    "VaultError": "._exceptions",
    "ClusterError": "._exceptions",
    "RunInterrupted": "._exceptions",
    "ReportError": "._exceptions",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from ._build import BuildResult, build, render, validate
    from ._cluster import Cluster, connect
    from ._evidence import Bundle, Capture, CheckResult, ClusterFacts, SectionRecord, WaitRecord
    from ._exceptions import (
        BundleError,
        ClusterError,
        InputError,
        ReportError,
        ReportgenError,
        RunInterrupted,
        ScenarioError,
        TemplateError,
        VaultError,
    )
    from ._scenario import Scenario, load_scenario


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'reportgen' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    if isinstance(value, type):
        value.__module__ = "reportgen"  # shown as reportgen.X, as httpx does
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
