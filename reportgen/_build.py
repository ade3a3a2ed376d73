"""The pipeline as three calls: validate, build and render.

    validate(path)                 -> Scenario
    build(path, ...)               -> BuildResult   (cluster: apply, capture, check, clean up)
    render(bundle_path, ...)       -> Path          (no cluster)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ._cluster import connect
from ._compare import compare
from ._evidence import Bundle
from ._typed import TypeMismatch
from ._exceptions import EXIT_CHECK_FAILED, EXIT_OK, BundleError, VaultError
from ._inputs import ensure_not_same, read_bundle_data
from ._publish import PublishResult, check_vault_target, publish, vault_path, write_atomic
from ._render import render_report
from ._runner import RunOptions, run
from ._scenario import Scenario, load_scenario

BUNDLE_SUFFIX = ".evidence.json"


@dataclass
class BuildResult:
    """What one build produced.

    Attributes:
        bundle: The evidence.
        report: Where the report was written, and what was kept from the old one.
        bundle_path: Where the evidence bundle was written.
        exit_code: 0 when every check held (undecided ones aside), else 1.
        vault_note: The copy published into an Obsidian vault, if one was given.
    """

    bundle: Bundle
    report: PublishResult
    bundle_path: Path
    exit_code: int
    vault_note: PublishResult | None = None


def validate(path: str | Path) -> Scenario:
    """Load and validate a scenario; raise ScenarioError with file:line:column."""
    return load_scenario(Path(path))


def build(
    path: str | Path,
    *,
    out_dir: Path = Path("out"),
    kubeconfig: str | None = None,
    context: str | None = None,
    language: str | None = None,
    template_dir: Path | None = None,
    keep: bool = False,
    keep_on_failure: bool = False,
    progress: Callable[[str], None] | None = None,
    vault: Path | None = None,
) -> BuildResult:
    """Run a scenario on a live cluster and write its report and evidence bundle.

    With ``vault``, the note is also published into that Obsidian vault folder,
    keeping what the user wrote by hand in its keep-regions.
    """
    scenario = validate(path)
    stem = Path(path).stem
    _writable(out_dir)
    if vault:  # where the note goes is known now: refuse it before any cluster work
        _writable(vault)
        check_vault_target(vault, vault_path(vault, scenario.to_data()), stem)
    cluster = connect(kubeconfig, context)
    bundle = run(scenario, cluster, RunOptions(keep=keep, keep_on_failure=keep_on_failure, progress=progress))
    bundle_path = out_dir / f"{stem}{BUNDLE_SUFFIX}"
    write_atomic(bundle_path, bundle.to_json())
    text = report_text(bundle, language=language, template_dir=template_dir)
    report = publish_at(text, out_dir / f"{stem}.md")
    note = None
    if vault:
        target = vault_path(vault, bundle.scenario)
        check_vault_target(vault, target, stem)
        note = publish_at(text, target)
    return BuildResult(bundle, report, bundle_path, exit_code_for(bundle), note)


def _writable(folder: Path) -> None:
    """VaultError unless ``folder`` is, or can become, a folder we may write (nothing is created)."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        if existing.is_symlink():
            break
        existing = existing.parent
    if not existing.is_dir():
        raise VaultError("cannot write here: a part of the path is not a folder", file=str(folder),
                         hint=f"{existing} is a file; choose another folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise VaultError("cannot write into the folder: permission denied", file=str(folder),
                         hint="choose a folder you own, or fix its permissions")


def render(
    bundle_path: str | Path,
    *,
    out: Path | None = None,
    language: str | None = None,
    template_dir: Path | None = None,
) -> PublishResult:
    """Re-render a report from an evidence bundle, without a cluster."""
    bundle_path = Path(bundle_path)
    bundle = read_bundle(bundle_path)
    name = bundle_path.name.removesuffix(BUNDLE_SUFFIX).removesuffix(".json")
    target = out or bundle_path.with_name(f"{name}.md")
    ensure_not_same(target, bundle_path, "evidence bundle", BundleError)
    return publish_at(report_text(bundle, language=language, template_dir=template_dir), target)


def read_bundle(path: Path) -> Bundle:
    """A bundle from a file the user gave: refused with exit 2 and the JSON path of what is wrong."""
    data = read_bundle_data(path, BundleError)
    try:
        return Bundle.from_dict(data)
    except TypeMismatch as exc:
        raise BundleError(f"{exc.path}: {exc.message}", file=str(path),
                          hint="this is not a bundle reportgen wrote, or it was edited; rebuild it") from None


def report_text(bundle: Bundle, *, language: str | None = None, template_dir: Path | None = None) -> str:
    """A bundle's report as Markdown, comparison table included."""
    columns = (bundle.scenario.get("comparison") or {}).get("columns") or []
    return render_report(bundle, language=language, template_dir=template_dir,
                         comparison=compare(columns, bundle) if columns else None)


def publish_at(text: str, path: Path) -> PublishResult:
    """Lint and publish ``text`` at ``path``, creating its folder."""
    return publish(text, path)


def exit_code_for(bundle: Bundle) -> int:
    """0 when nothing failed; 1 when a check failed or the run broke."""
    return EXIT_CHECK_FAILED if bundle.status == "failed" else EXIT_OK
