"""``reportgen get``, ``exec``, ``describe``, ``logs``, ``top``... and ``gc``: the capture, as authors preview it.

Each preview verb parses ``kubectl VERB ARGS`` exactly as a scenario step is
parsed, and runs it through the same kubectl port, against the current
kubeconfig context (or ``--kubeconfig``/``--context``).
"""

from __future__ import annotations

import dataclasses
import shlex
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import click

from ._cli_common import cluster_options, errors_to_exit
from ._exceptions import ClusterError
from ._inputs import read_text
from ._kubectl import Command, CommandError, ExecCommand, GetCommand, apply_pipes, parse_command
from ._kubectl._api import Api, Output, Send
from ._kubectl._discovery import Discovery, Fetch
from ._kubectl._get import GetOutput
from ._kubectl._get_objects import get_output
from ._kubectl._run import run_command

if TYPE_CHECKING:  # the cluster client (and the kubernetes package) load only when a command connects
    from ._cluster import Cluster

_PASS_THROUGH = {"ignore_unknown_options": True, "allow_interspersed_args": False,
                 "help_option_names": ["--rg-help"]}


_C = TypeVar("_C", GetCommand, ExecCommand)


def _parse_line(verb: str, args: tuple[str, ...]) -> Command:
    """Parse ``kubectl VERB ARGS``; a line kubectl would not take is a usage error."""
    line = shlex.join(["kubectl", verb, *args])
    try:
        return parse_command(line, variables=())
    except CommandError as exc:
        raise click.UsageError(exc.message + (f" (hint: {exc.hint})" if exc.hint else "")) from exc


def _parse(kind: type[_C], args: tuple[str, ...]) -> _C:
    """Parse ``kubectl VERB ARGS`` for ``kind``'s verb; anything else is a usage error."""
    command = _parse_line(kind.verb, args)
    if not isinstance(command, kind):
        raise click.UsageError(f"expected a `kubectl {kind.verb}` command, got `kubectl {command.verb}`")
    return command


_GLOBAL_FLAGS = ("--kubeconfig", "--context")


def _global_flags(args: tuple[str, ...], kubeconfig: str | None,
                  context: str | None) -> tuple[tuple[str, ...], str | None, str | None]:
    """Take ``--kubeconfig`` and ``--context`` from anywhere before ``--``, as kubectl does."""
    found: dict[str, str | None] = {"--kubeconfig": kubeconfig, "--context": context}
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        name, eq, value = arg.partition("=")
        if name in _GLOBAL_FLAGS and (eq or i + 1 < len(args)):
            found[name] = value if eq else args[i + 1]
            i += 1 if eq else 2
            continue
        rest.append(arg)
        i += 1
    return tuple(rest), found["--kubeconfig"], found["--context"]


def _cluster(kubeconfig: str | None, context: str | None) -> Cluster:
    from ._cluster import connect

    with errors_to_exit():
        return connect(kubeconfig, context)


class _Target:
    """Where a preview's requests go: the light reader when the command only reads and the kubeconfig allows
    (:mod:`reportgen._cluster._light`), else the official client."""

    def __init__(self, command: Command, kubeconfig: str | None, context: str | None) -> None:
        from ._cluster import light_reader

        reads = not command.mutates and not getattr(command, "watch", False)
        self.light = light_reader(kubeconfig, context) if reads else None
        self.cluster = None if self.light else _cluster(kubeconfig, context)
        self.namespace = self.light.namespace if self.light else _default_namespace(kubeconfig, context)

    @property
    def fetch(self) -> Fetch:
        return self.light.fetch if self.light else self._official().fetch

    @property
    def send(self) -> Send:
        if self.light is None:
            return self._official().send

        def refused(*_args: object) -> tuple[int, bytes, None]:
            raise AssertionError("a command that only reads asked to change the cluster")

        return refused

    @property
    def discovery(self) -> Discovery:
        return self.light.discovery if self.light else self._official().discovery

    def _official(self) -> Cluster:
        assert self.cluster is not None, "a command that only reads asked to change the cluster"
        return self.cluster


_O = TypeVar("_O", GetOutput, Output)


_STALE_DISCOVERY = ("the server doesn't have a resource type", "error: Metrics API not available")
"""What a command says when cached discovery may lack a type or an API group added since."""


def _fresh_discovery_retry(target: _Target, run: Callable[[], _O]) -> _O:
    """Run; when cached discovery lacked a type or API, once more with discovery read afresh.

    kubectl resets its RESTMapper on an unknown kind; for ``top`` it would trust a stale cache,
    which reportgen does not.
    """
    out = run()
    if target.light and out.exit_code and any(sign in out.stderr for sign in _STALE_DISCOVERY):
        target.light.forget_discovery()
        out = run()
    return out


def _default_namespace(kubeconfig: str | None, context: str | None) -> str:
    from ._cluster import context_namespace

    try:
        return context_namespace(kubeconfig, context)
    except Exception:  # noqa: BLE001 - kubectl falls back to default too
        return "default"


def _emit(stdout: str, stderr: str, code: int, leading: int = 0) -> None:
    """Write as kubectl does: the first ``leading`` characters of stderr (warnings) before stdout."""
    for stream, text in ((sys.stderr, stderr[:leading]), (sys.stdout, stdout), (sys.stderr, stderr[leading:])):
        stream.write(text)
        stream.flush()
    sys.exit(code)


@click.command(context_settings=_PASS_THROUGH)
@cluster_options
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def get(kubeconfig: str | None, context: str | None, args: tuple[str, ...]) -> None:
    """Print what `kubectl get ARGS` would, through the API's server-side tables."""
    args, kubeconfig, context = _global_flags(args, kubeconfig, context)
    command = _parse(GetCommand, args)
    where = _Target(command, kubeconfig, context)
    command = dataclasses.replace(command, namespace=command.namespace or where.namespace)

    def run() -> GetOutput:
        with errors_to_exit():
            return get_output(where.fetch, command, discovery=where.discovery)

    out = _fresh_discovery_retry(where, run)
    stdout, code = apply_pipes(out.stdout, command.pipes, out.exit_code)
    _emit(stdout, out.stderr, code, out.leading)


@click.command("exec", context_settings=_PASS_THROUGH)
@cluster_options
@click.option("--timeout", default=60.0, show_default=True, help="Seconds the command may run.")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def exec_command(kubeconfig: str | None, context: str | None, timeout: float, args: tuple[str, ...]) -> None:
    """Run `kubectl exec ARGS` through the API; stdout, stderr and exit code pass through."""
    args, kubeconfig, context = _global_flags(args, kubeconfig, context)
    command = _parse(ExecCommand, args)
    cluster = _cluster(kubeconfig, context)
    ns = command.namespace or _default_namespace(kubeconfig, context)
    res = cluster.exec(ns, command.pod, command.argv, container=command.container, timeout=timeout)
    stderr = res.stderr
    if res.truncated:
        stderr += "reportgen: output cut at 1 MiB per stream\n"
    if res.error:
        stderr += f"{res.error}\n"
    elif res.exit_code:
        stderr += f"command terminated with exit code {res.exit_code}\n"
    _emit(res.stdout, stderr, res.exit_code if res.exit_code is not None else 1)


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


def _read_local(name: str) -> str:
    return read_text(name, f"file {name}")


def preview_command(verb: str) -> click.Command:
    """The ``reportgen VERB`` command: what ``kubectl VERB ARGS`` would print, through the kubectl port."""

    @click.command(verb, context_settings=_PASS_THROUGH, help=f"Print what `kubectl {verb} ARGS` would, "
                   "through the API (the same code a scenario step runs).")
    @cluster_options
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def command(kubeconfig: str | None, context: str | None, args: tuple[str, ...]) -> None:
        args, kubeconfig, context = _global_flags(args, kubeconfig, context)
        parsed = _parse_line(verb, args)
        where = _Target(parsed, kubeconfig, context)

        def run() -> Output:
            with errors_to_exit():
                api = Api(fetch=where.fetch, send=where.send, discovery=where.discovery, read_file=_read_local,
                          namespace=parsed.namespace or where.namespace)
                return run_command(api, parsed)

        out = _fresh_discovery_retry(where, run)
        for stream, text in out.streams():
            target = sys.stdout if stream == "stdout" else sys.stderr
            target.write(text)
            target.flush()
        sys.exit(out.exit_code)

    return command
