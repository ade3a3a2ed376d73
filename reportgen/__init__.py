"""reportgen: Obsidian lab reports built from live Kubernetes evidence.

    scenario YAML ─▶ runner (cluster API) ─▶ evidence Bundle ─▶ Jinja ─▶ lint ─▶ note
"""

from __future__ import annotations

__version__ = "0.1.0"

from ._build import BuildResult, build, render, validate
from ._cluster import Cluster, connect
from ._evidence import Bundle, Capture, CheckResult, ClusterFacts, SectionRecord, WaitRecord
from ._exceptions import (
    ClusterError,
    ReportError,
    ReportgenError,
    RunInterrupted,
    ScenarioError,
)
from ._scenario import Scenario, load_scenario

__all__ = [
    "__version__",
    "validate",
    "build",
    "render",
    "BuildResult",
    "load_scenario",
    "Scenario",
    "connect",
    "Cluster",
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
