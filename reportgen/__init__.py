"""reportgen: Obsidian lab reports built from live Kubernetes evidence.

    scenario YAML ─▶ runner (cluster API) ─▶ evidence Bundle ─▶ Jinja ─▶ lint ─▶ note
"""

from __future__ import annotations

__version__ = "0.1.0"

from ._evidence import Bundle, Capture, CheckResult, ClusterFacts, SectionRecord, WaitRecord
from ._exceptions import (
    ClusterError,
    ReportError,
    ReportgenError,
    RunInterrupted,
    ScenarioError,
)

__all__ = [
    "__version__",
    "Bundle",
    "Capture",
    "CheckResult",
    "ClusterFacts",
    "SectionRecord",
    "WaitRecord",
    "ReportgenError",
    "ScenarioError",
    "ClusterError",
    "RunInterrupted",
    "ReportError",
]
