"""The command line: a thin layer over the library.

Exit codes: 0 every check held · 1 a check failed · 2 the scenario or cluster
could not be used · 3 a generated report failed its lint (a bug) ·
130/143 interrupted (cleanup ran).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ._catalog import languages
from ._cli_common import cluster_options, err_console, errors_to_exit
from ._cli_kubectl import PREVIEW_VERBS, exec_command, gc, get, preview_command
from ._version import __version__

if TYPE_CHECKING:  # the pipeline is imported when a command runs, so `--help` and previews stay light
    from ._build import BuildResult


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str], None]]:
    """A spinner line on stderr while a run works; a no-op when not a terminal."""
    if not enabled or not err_console.is_terminal:
        yield lambda text: err_console.print(f"  {text}", markup=False, highlight=False) if enabled else None
        return
    with err_console.status("starting") as status:
        yield lambda text: status.update(text)


@click.group()
@click.version_option(__version__, prog_name="reportgen")
def main() -> None:
    """Build Obsidian lab reports from YAML scenarios and a live Kubernetes cluster."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Where reports and evidence bundles go (default: out).")
@cluster_options
@click.option("--lang", type=click.Choice(languages()), help="Report language (default: the scenario's).")
@click.option("--templates", "template_dir", type=click.Path(file_okay=False, exists=True),
              help="A template directory overriding the packaged templates.")
@click.option("--vault", type=click.Path(file_okay=False), help="Also publish the notes into this Obsidian vault.")
@click.option("--folder", help="The folder inside the vault (the scenarios' own folders are kept below it).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Scenarios to run at once (default 1).")
@click.option("--junit", type=click.Path(dir_okay=False), help="Write a JUnit XML summary here.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write a JSON summary here.")
@click.option("--keep", is_flag=True, help="Keep everything the run created.")
@click.option("--keep-on-failure", is_flag=True, help="Keep it only when a check failed.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@click.option("--subdir", default="", hidden=True)
@click.option("--result-json", type=click.Path(dir_okay=False), hidden=True)
def build(paths: tuple[str, ...], **options: Any) -> None:
    """Apply scenarios to the cluster, capture evidence, check it, write reports.

    PATHS are scenario files and folders (every scenario below a folder). With
    none, the scenarios of the project file (reportgen.toml, or [tool.reportgen]
    in pyproject.toml) are built: a nightly job is a bare `reportgen build`.
    """
    with errors_to_exit():
        settings = _settings(paths, options)
        from ._batch import find_scenarios

        items = find_scenarios(settings["scenarios"])
    if not items:
        raise click.UsageError("no scenarios found in " + ", ".join(settings["scenarios"]))
    if len(items) == 1 and settings["jobs"] == 1 and not (options["junit"] or options["json_path"]):
        sys.exit(_build_one(str(items[0].path), Path(options["subdir"] or items[0].subdir), settings))
    sys.exit(_build_many(items, settings))


def _settings(paths: tuple[str, ...], options: dict[str, Any]) -> dict[str, Any]:
    """Command-line options over the project file's settings."""
    from ._project import load_project

    project, _file = load_project()
    chosen = {k: v for k, v in options.items() if v not in (None, False, "")}
    settings: dict[str, Any] = {"out": "out", "jobs": 1, **project, **_renamed(chosen)}
    settings["scenarios"] = list(paths) or project.get("scenarios") or []
    if not settings["scenarios"]:
        raise click.UsageError("give scenario files or folders, or list them in reportgen.toml")
    return settings


def _renamed(options: dict[str, Any]) -> dict[str, Any]:
    names = {"out_dir": "out", "lang": "lang", "template_dir": "templates", "json_path": "json"}
    return {names.get(k, k): v for k, v in options.items()}


def _build_one(path: str, subdir: Path, settings: dict[str, Any]) -> int:
    with errors_to_exit(), _progress(not settings.get("quiet")) as progress:
        from ._build import build as build_scenario

        result = build_scenario(
            path, out_dir=Path(settings["out"]), subdir=subdir, kubeconfig=settings.get("kubeconfig"),
            context=settings.get("context"), language=settings.get("lang"),
            template_dir=Path(settings["templates"]) if settings.get("templates") else None,
            keep=bool(settings.get("keep")), keep_on_failure=bool(settings.get("keep_on_failure")),
            progress=progress, vault=Path(settings["vault"]).expanduser() if settings.get("vault") else None,
            folder=settings.get("folder") or "",
        )
    _say_result(result)
    if settings.get("result_json"):
        _write_result(Path(settings["result_json"]), result)
    return result.exit_code


def _say_result(result: BuildResult) -> None:
    counts = result.bundle.counts()
    state = "written" if result.report.written else "unchanged (evidence the same in meaning)"
    click.echo(f"{result.report.path}: {counts['passed']} passed, {counts['failed']} failed, "
               f"{counts['undecided']} undecided; {state} (evidence: {result.bundle_path})")
    if result.vault_note:
        click.echo(f"  vault: {result.vault_note.path} ({'written' if result.vault_note.written else 'unchanged'})")
    for notice in (*result.report.notices, *(result.vault_note.notices if result.vault_note else ())):
        click.echo(f"  note: {notice}", err=True)
    if result.bundle.error:
        click.echo(f"  run error: {result.bundle.error}", err=True)


def _write_result(path: Path, result: BuildResult) -> None:
    counts = result.bundle.counts()
    data = {"status": result.bundle.status, **counts, "report": str(result.report.path),
            "written": result.report.written, "run_id": result.bundle.run_id,
            "vault_note": str(result.vault_note.path) if result.vault_note else None,
            "notices": [*result.report.notices, *(result.vault_note.notices if result.vault_note else ())]}
    path.write_text(json.dumps(data), encoding="utf-8")


def _build_many(items: list[Any], settings: dict[str, Any]) -> int:
    from ._batch import run_all, summary_table, worst, write_json, write_junit

    outcomes = run_all(items, _child_args(settings), settings["jobs"])
    click.echo(summary_table(outcomes), nl=False)
    if settings.get("junit"):
        write_junit(Path(settings["junit"]), outcomes)
    if settings.get("json"):
        write_json(Path(settings["json"]), outcomes)
    return worst(outcomes)


def _child_args(settings: dict[str, Any]) -> list[str]:
    """The options each scenario's own `reportgen build` process gets."""
    args = ["--out", str(settings["out"])]
    for key in ("kubeconfig", "context", "lang", "templates", "vault", "folder"):
        if settings.get(key):
            args += [f"--{key}", str(settings[key])]
    args += [f"--{flag.replace('_', '-')}" for flag in ("keep", "keep_on_failure") if settings.get(flag)]
    return args


@main.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(scenarios: tuple[str, ...]) -> None:
    """Check SCENARIOS without touching any cluster."""
    for path in scenarios:
        with errors_to_exit():
            from ._build import validate as validate_scenario

            scenario = validate_scenario(path)
        click.echo(f"{path}: ok ({len(scenario.sections)} sections, {len(scenario.steps())} steps, "
                   f"{len(scenario.checks())} checks)")


@main.command()
@click.argument("bundle", type=click.Path(dir_okay=False, exists=True))
@click.option("--out", type=click.Path(dir_okay=False), help="Report path (default: next to the bundle).")
@click.option("--lang", type=click.Choice(languages()))
@click.option("--templates", "template_dir", type=click.Path(file_okay=False, exists=True))
def render(bundle: str, out: str | None, lang: str | None, template_dir: str | None) -> None:
    """Re-render a report from an evidence BUNDLE, without a cluster."""
    with errors_to_exit():
        from ._build import render as render_bundle

        result = render_bundle(bundle, out=Path(out) if out else None, language=lang,
                               template_dir=Path(template_dir) if template_dir else None)
    click.echo(f"{result.path}: {'written' if result.written else 'unchanged'}")
    for notice in result.notices:
        click.echo(f"  note: {notice}", err=True)


main.add_command(get)
main.add_command(exec_command)
main.add_command(gc)
for _verb in PREVIEW_VERBS:
    main.add_command(preview_command(_verb))
