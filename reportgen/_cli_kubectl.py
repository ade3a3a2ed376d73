"""``reportgen get``, ``exec``, ``describe``, ``logs``, ``top``... and ``gc``: the capture, as authors preview it.

Each preview verb parses ``kubectl VERB ARGS`` exactly as a scenario step is
parsed, and runs it through the same kubectl port, against the current
kubeconfig context (or ``--kubeconfig``/``--context``). The work is in
:mod:`reportgen._previews`; here are the click commands around it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import click

from ._cli_common import cluster_options, errors_to_exit
from ._exceptions import ClusterError
from ._kubectl import Command, CommandError, ExecCommand, GetCommand
from ._previews import EXEC_TIMEOUT_S, global_flags, parse_line, preview, preview_exec, preview_get

if TYPE_CHECKING:  # the cluster client (and the kubernetes package) load only when a command connects
    from ._cluster import Cluster

_PASS_THROUGH = {"ignore_unknown_options": True, "allow_interspersed_args": False,
                 "help_option_names": ["--rg-help"]}


_C = TypeVar("_C", GetCommand, ExecCommand)


def _parse_line(verb: str, args: tuple[str, ...]) -> Command:
    """Parse ``kubectl VERB ARGS``; a line kubectl would not take is a usage error."""
    try:
        return parse_line(verb, args)
    except CommandError as exc:
        raise click.UsageError(exc.message + (f" (hint: {exc.hint})" if exc.hint else "")) from exc


def _parse(kind: type[_C], args: tuple[str, ...]) -> _C:
    """Parse ``kubectl VERB ARGS`` for ``kind``'s verb; anything else is a usage error."""
    command = _parse_line(kind.verb, args)
    if not isinstance(command, kind):
        raise click.UsageError(f"expected a `kubectl {kind.verb}` command, got `kubectl {command.verb}`")
    return command


def _cluster(kubeconfig: str | None, context: str | None) -> Cluster:
    from ._cluster import connect

    with errors_to_exit():
        return connect(kubeconfig, context)


@click.command(context_settings=_PASS_THROUGH)
@cluster_options
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def get(kubeconfig: str | None, context: str | None, args: tuple[str, ...]) -> None:
    """Print what `kubectl get ARGS` would, through the API's server-side tables."""
    args, kubeconfig, context = global_flags(args, kubeconfig, context)
    preview_get(_parse(GetCommand, args), kubeconfig, context)


@click.command("exec", context_settings=_PASS_THROUGH)
@cluster_options
@click.option("--timeout", default=EXEC_TIMEOUT_S, show_default=True, help="Seconds the command may run.")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def exec_command(kubeconfig: str | None, context: str | None, timeout: float, args: tuple[str, ...]) -> None:
    """Run `kubectl exec ARGS` through the API; stdout, stderr and exit code pass through."""
    args, kubeconfig, context = global_flags(args, kubeconfig, context)
    preview_exec(_parse(ExecCommand, args), kubeconfig, context, timeout)


@click.command()
@cluster_options
@click.option("--dry-run", is_flag=True, help="List what would be deleted.")
@click.option("--include-live", is_flag=True, help="Also delete objects of runs still alive on this machine.")
def gc(kubeconfig: str | None, context: str | None, dry_run: bool, include_live: bool) -> None:
    """Delete what crashed runs left behind (objects with a reportgen run label)."""
    from ._cleanup import collect, find_leftovers

    cluster = _cluster(kubeconfig, context)
    refs = find_leftovers(cluster, include_live=include_live)
    for ref in refs:
        where = f" -n {ref.namespace}" if ref.namespace else ""
        click.echo(f"{'would delete' if dry_run else 'deleting'} {ref}{where}")
    if dry_run or not refs:
        click.echo(f"{len(refs)} leftover object(s)")
        return
    left = collect(cluster, refs, say=lambda t: click.echo(f"  {t}", err=True))
    if left:
        with errors_to_exit():
            raise ClusterError(f"still there after cleanup: {', '.join(left)}")
    click.echo(f"deleted {len(refs)} object(s)")


PREVIEW_VERBS = ("describe", "logs", "events", "top", "scale", "delete", "apply", "label", "annotate", "patch",
                 "set", "rollout", "wait")
"""Verbs previewed through :func:`reportgen._kubectl._run.run_command` (``get`` and ``exec`` have their own)."""


def preview_command(verb: str) -> click.Command:
    """The ``reportgen VERB`` command: what ``kubectl VERB ARGS`` would print, through the kubectl port."""

    @click.command(verb, context_settings=_PASS_THROUGH, help=f"Print what `kubectl {verb} ARGS` would, "
                   "through the API (the same code a scenario step runs).")
    @cluster_options
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def command(kubeconfig: str | None, context: str | None, args: tuple[str, ...]) -> None:
        args, kubeconfig, context = global_flags(args, kubeconfig, context)
        preview(_parse_line(verb, args), kubeconfig, context)

    return command
