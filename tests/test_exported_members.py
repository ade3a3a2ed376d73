"""The public surface, pinned (as httpx pins its own): adding or removing a name is a decision."""

from __future__ import annotations

import reportgen

PUBLIC = [
    "__version__",
    "validate", "build", "render", "BuildResult",
    "load_scenario", "Scenario",
    "connect", "Cluster",
    "Bundle", "Capture", "CheckResult", "ClusterFacts", "SectionRecord", "WaitRecord",
    "ReportgenError", "InputError", "ScenarioError", "BundleError", "TemplateError", "VaultError",
    "ClusterError", "RunInterrupted", "ReportError",
]


def test_all_is_pinned():
    assert reportgen.__all__ == PUBLIC


def test_every_exported_name_resolves_and_classes_show_as_reportgen():
    for name in PUBLIC:
        value = getattr(reportgen, name)
        if isinstance(value, type):
            assert value.__module__ == "reportgen", name
            assert repr(value) == f"<class 'reportgen.{name}'>"


def test_no_private_module_is_reachable_as_a_public_name():
    assert all(not name.startswith("_") or name == "__version__" for name in reportgen.__all__)
    assert sorted(dir(reportgen)) == sorted(PUBLIC)
