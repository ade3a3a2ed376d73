"""The command line: a thin layer over the library.

Exit codes: 0 every check held · 1 a check failed · 2 the scenario or cluster
could not be used · 3 a generated report failed its lint (a bug) ·
130/143 interrupted (cleanup ran).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from ._build import build as build_scenario
from ._catalog import languages
from ._build import render as render_bundle
from ._build import validate as validate_scenario
from ._cli_common import cluster_options, err_console, errors_to_exit
from ._cli_kubectl import exec_command, gc, get
from ._exceptions import EXIT_OK


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
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Where reports and evidence bundles go.")
@cluster_options
@click.option("--lang", type=click.Choice(languages()), help="Report language (default: the scenario's).")
@click.option("--templates", "template_dir", type=click.Path(file_okay=False, exists=True),
              help="A template directory overriding the packaged templates.")
@click.option("--vault", type=click.Path(file_okay=False),
              help="Also publish the note into this Obsidian vault folder.")
@click.option("--keep", is_flag=True, help="Keep everything the run created.")
@click.option("--keep-on-failure", is_flag=True, help="Keep it only when a check failed.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
def build(scenarios: tuple[str, ...], out_dir: str, kubeconfig: str | None, context: str | None,
          lang: str | None, template_dir: str | None, vault: str | None, keep: bool, keep_on_failure: bool,
          quiet: bool) -> None:
    """Apply SCENARIOS to the cluster, capture evidence, check it, write reports."""
    worst = EXIT_OK
    for path in scenarios:
        with errors_to_exit(), _progress(not quiet) as progress:
            result = build_scenario(
                path, out_dir=Path(out_dir), kubeconfig=kubeconfig, context=context, language=lang,
                template_dir=Path(template_dir) if template_dir else None, keep=keep,
                keep_on_failure=keep_on_failure, progress=progress, vault=Path(vault) if vault else None,
            )
        counts = result.bundle.counts()
        click.echo(
            f"{result.report.path}: {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['undecided']} undecided (evidence: {result.bundle_path})"
        )
        if result.vault_note:
            click.echo(f"  vault: {result.vault_note.path}")
        for notice in (*result.report.notices, *(result.vault_note.notices if result.vault_note else ())):
            click.echo(f"  note: {notice}", err=True)
        if result.bundle.error:
            click.echo(f"  run error: {result.bundle.error}", err=True)
        worst = max(worst, result.exit_code)
    sys.exit(worst)


@main.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(scenarios: tuple[str, ...]) -> None:
    """Check SCENARIOS without touching any cluster."""
    for path in scenarios:
        with errors_to_exit():
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
        result = render_bundle(bundle, out=Path(out) if out else None, language=lang,
                               template_dir=Path(template_dir) if template_dir else None)
    click.echo(f"{result.path}: {'written' if result.written else 'unchanged'}")
    for notice in result.notices:
        click.echo(f"  note: {notice}", err=True)


main.add_command(get)
main.add_command(exec_command)
main.add_command(gc)
