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
from typing import Any

from ._evidence import Bundle
from ._exceptions import EXIT_CHECK_FAILED, EXIT_OK, BundleError, VaultError
from ._index import update_index, with_index_link
from ._inputs import ensure_not_same, read_bundle_data
from ._normalize import comparable, drift
from ._publish import PublishResult, check_vault_target, publish, vault_path, write_atomic
from ._scenario import Scenario, load_scenario
from ._typed import TypeMismatch

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
    subdir: Path = Path(),
    kubeconfig: str | None = None,
    context: str | None = None,
    language: str | None = None,
    template_dir: Path | None = None,
    keep: bool = False,
    keep_on_failure: bool = False,
    progress: Callable[[str], None] | None = None,
    vault: Path | None = None,
    folder: str | Path = "",
) -> BuildResult:
    """Run a scenario on a live cluster and write its report and evidence bundle.

    The report is written as soon as the evidence is complete, before cleanup
    (which still finishes before this returns). With ``vault``, the note is also
    published into ``vault/folder/subdir``, keeping what the user wrote. A note
    whose evidence did not change in meaning (:mod:`reportgen._normalize`) is
    left byte for byte as it is, with the bundle of the run that wrote it.
    """
    from ._cluster import connect  # the cluster client and the runner load only for a build
    from ._runner import RunOptions, run

    scenario = validate(path)
    stem = Path(path).stem
    outputs = _Outputs(out_dir / subdir, stem, language, template_dir)
    _writable(outputs.folder)
    if vault:  # where the note goes is known now: refuse it before any cluster work
        _writable(vault)
        outputs.vault, outputs.folder_in_vault = vault, folder
        outputs.note_path = vault_path(Path(vault) / folder / subdir, scenario.to_data())
        check_vault_target(vault, outputs.note_path, stem)
    cluster = connect(kubeconfig, context)

    def evidence_ready(bundle: Bundle) -> None:
        outputs.write(bundle)
        if progress:
            progress(f"report ready: {outputs.report_path}; cleaning up")

    bundle = run(scenario, cluster, RunOptions(keep=keep, keep_on_failure=keep_on_failure, progress=progress,
                                               on_evidence=evidence_ready))
    assert outputs.report is not None  # written by evidence_ready before cleanup
    return BuildResult(bundle, outputs.report, outputs.bundle_path, exit_code_for(bundle), outputs.note)


@dataclass
class _Outputs:
    """Where one build's files go, and how they are written."""

    folder: Path
    stem: str
    language: str | None
    template_dir: Path | None
    vault: Path | None = None
    folder_in_vault: str | Path = ""
    note_path: Path | None = None
    report: PublishResult | None = None
    note: PublishResult | None = None

    @property
    def bundle_path(self) -> Path:
        return self.folder / f"{self.stem}{BUNDLE_SUFFIX}"

    @property
    def report_path(self) -> Path:
        return self.folder / f"{self.stem}.md"

    def write(self, bundle: Bundle) -> None:
        previous = _previous_bundle(self.bundle_path)
        text = report_text(bundle, language=self.language, template_dir=self.template_dir,
                           changes=drift(previous, bundle))
        self.report = publish(text, self.report_path, equivalent=comparable)
        if self.report.written or previous is None:
            if previous is not None:
                os.replace(self.bundle_path, self.folder / f"{self.stem}.previous{BUNDLE_SUFFIX}")
            write_atomic(self.bundle_path, bundle.to_json())
        if self.vault is not None and self.note_path is not None:
            check_vault_target(self.vault, self.note_path, self.stem)
            self.note = publish(with_index_link(text), self.note_path, equivalent=comparable)
            title = str((bundle.scenario.get("report") or {}).get("title") or self.stem)
            update_index(self.vault, Path(self.folder_in_vault), self.note_path, title, bundle.status,
                         bundle.counts())


def _previous_bundle(path: Path) -> Bundle | None:
    """The bundle behind the note already there, if it can be read (else the note is rebuilt)."""
    try:
        return read_bundle(path) if path.is_file() else None
    except BundleError:
        return None


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
    return publish(report_text(bundle, language=language, template_dir=template_dir), target)


def read_bundle(path: Path) -> Bundle:
    """A bundle from a file the user gave: refused with exit 2 and the JSON path of what is wrong."""
    data = read_bundle_data(path, BundleError)
    try:
        return Bundle.from_dict(data)
    except TypeMismatch as exc:
        raise BundleError(f"{exc.path}: {exc.message}", file=str(path),
                          hint="this is not a bundle reportgen wrote, or it was edited; rebuild it") from None


def report_text(bundle: Bundle, *, language: str | None = None, template_dir: Path | None = None,
                changes: dict[str, Any] | None = None) -> str:
    """A bundle's report as Markdown, comparison table and changes since the last run included."""
    from ._compare import compare  # Jinja loads only when a report is rendered
    from ._render import render_report

    columns = (bundle.scenario.get("comparison") or {}).get("columns") or []
    return render_report(bundle, language=language, template_dir=template_dir,
                         comparison=compare(columns, bundle) if columns else None, changes=changes)


def exit_code_for(bundle: Bundle) -> int:
    """0 when nothing failed; 1 when a check failed or the run broke."""
    return EXIT_CHECK_FAILED if bundle.status == "failed" else EXIT_OK
