"""Preview commands (``reportgen get|describe|top|…``) without click: what runs before a person sees output.

A read-only preview is the command an author runs most, so the ``reportgen``
entry point (:func:`main`) runs it from here, importing only the verb's own code
and the light reader; every other command, and any preview whose line is not
kubectl's, goes to :mod:`reportgen.cli`, which calls the same functions.
"""

from __future__ import annotations

import dataclasses
import shlex
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn, TypeVar

from ._cli_common import errors_to_exit
from ._kubectl import Command, CommandError, ExecCommand, GetCommand, apply_pipes, parse_command

if TYPE_CHECKING:
    from ._cluster import ExecResult, LightReader
    from ._kubectl._api import Output, Send
    from ._kubectl._discovery import Discovery, Fetch
    from ._kubectl._get import GetOutput

__all__ = ["EXEC_TIMEOUT_S", "READ_ONLY_VERBS", "default_namespace", "emit", "global_flags", "main", "parse_line",
           "preview", "preview_exec", "preview_get"]

READ_ONLY_VERBS = frozenset({"get", "describe", "top", "logs", "events"})
"""Verbs :func:`main` runs itself when the line parses (and ``exec``, without ``--timeout``)."""

EXEC_TIMEOUT_S = 60.0

_GLOBAL_FLAGS = ("--kubeconfig", "--context")


def main() -> None:
    """The ``reportgen`` command: a read-only preview (or an exec) runs here, everything else in
    :mod:`reportgen.cli`."""
    argv = sys.argv[1:]
    if argv and _runs_here(argv):
        args, kubeconfig, context = global_flags(tuple(argv[1:]), None, None)
        try:
            command = parse_line(argv[0], args)
        except CommandError:
            pass  # the CLI says why, as a usage error
        else:
            _run(command, kubeconfig, context)
    from .cli import main as cli_main

    cli_main()


def _runs_here(argv: list[str]) -> bool:
    own = argv[: argv.index("--")] if "--" in argv else argv  # reportgen's words, not the command's
    if "--rg-help" in own:
        return False
    return argv[0] in READ_ONLY_VERBS or (argv[0] == "exec" and not any(w.startswith("--timeout") for w in own))


def _run(command: Command, kubeconfig: str | None, context: str | None) -> NoReturn:
    if isinstance(command, GetCommand):
        preview_get(command, kubeconfig, context)
    if isinstance(command, ExecCommand):
        preview_exec(command, kubeconfig, context, EXEC_TIMEOUT_S)
    preview(command, kubeconfig, context)


def parse_line(verb: str, args: tuple[str, ...]) -> Command:
    """Parse ``kubectl VERB ARGS`` (:class:`CommandError` for a line kubectl would not take)."""
    return parse_command(shlex.join(["kubectl", verb, *args]), variables=())


def global_flags(args: tuple[str, ...], kubeconfig: str | None,
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


@dataclasses.dataclass
class _Reader:
    """Where a preview's requests go, chosen once: the light reader when the command only reads and the
    kubeconfig allows (:mod:`reportgen._cluster._light`), else the official client."""

    fetch: Fetch
    send: Send
    namespace: str
    read_discovery: Callable[[], Discovery]
    light: LightReader | None = None


def _reader(command: Command, kubeconfig: str | None, context: str | None) -> _Reader:
    from ._cluster import light_reader

    with errors_to_exit():
        light = None if command.mutates or getattr(command, "watch", False) else light_reader(kubeconfig, context)
        if light is not None:
            return _Reader(light.fetch, _refused, light.namespace, lambda: light.discovery, light)
        from ._cluster import connect  # the official client, and the kubernetes package with it

        cluster = connect(kubeconfig, context)
    return _Reader(cluster.fetch, cluster.send, default_namespace(kubeconfig, context), lambda: cluster.discovery)


def _refused(*_args: object) -> tuple[int, bytes, None]:
    raise AssertionError("a command that only reads asked to change the cluster")


def default_namespace(kubeconfig: str | None, context: str | None) -> str:
    from ._cluster import context_namespace

    try:
        return context_namespace(kubeconfig, context)
    except Exception:  # noqa: BLE001 - kubectl falls back to default too
        return "default"


_O = TypeVar("_O", "GetOutput", "Output")

_STALE_DISCOVERY = ("the server doesn't have a resource type", "error: Metrics API not available")
"""What a command says when cached discovery may lack a type or an API group added since."""


def _fresh_discovery_retry(reader: _Reader, run: Callable[[], _O]) -> _O:
    """Run; when cached discovery lacked a type or API, once more with discovery read afresh.

    kubectl resets its RESTMapper on an unknown kind; for ``top`` it would trust a stale cache,
    which reportgen does not.
    """
    out = run()
    if reader.light and out.exit_code and any(sign in out.stderr for sign in _STALE_DISCOVERY):
        reader.light.forget_discovery()
        out = run()
    return out


def preview_get(command: GetCommand, kubeconfig: str | None, context: str | None) -> NoReturn:
    """Print what ``kubectl get`` would, through the API's server-side tables, and exit with its code."""
    from ._kubectl._get_objects import get_output

    reader = _reader(command, kubeconfig, context)
    command = dataclasses.replace(command, namespace=command.namespace or reader.namespace)

    def run() -> GetOutput:
        with errors_to_exit():
            return get_output(reader.fetch, command, discovery=reader.read_discovery())

    out = _fresh_discovery_retry(reader, run)
    stdout, code = apply_pipes(out.stdout, command.pipes, out.exit_code)
    emit(stdout, out.stderr, code, out.leading)


def preview(command: Command, kubeconfig: str | None, context: str | None) -> NoReturn:
    """Print what ``kubectl VERB …`` would, through the kubectl port, and exit with its code."""
    from ._kubectl._api import Api
    from ._kubectl._run import run_command

    reader = _reader(command, kubeconfig, context)

    def run() -> Output:
        with errors_to_exit():
            api = Api(fetch=reader.fetch, send=reader.send, discovery=reader.read_discovery(),
                      read_file=_read_local, namespace=getattr(command, "namespace", None) or reader.namespace)
            return run_command(api, command)

    out = _fresh_discovery_retry(reader, run)
    for stream, text in out.streams():
        target = sys.stdout if stream == "stdout" else sys.stderr
        target.write(text)
        target.flush()
    sys.exit(out.exit_code)


def preview_exec(command: ExecCommand, kubeconfig: str | None, context: str | None, timeout: float) -> NoReturn:
    """Run ``kubectl exec`` through the API; stdout, stderr and exit code pass through, as kubectl's do."""
    from ._cluster import light_reader

    with errors_to_exit():
        light = light_reader(kubeconfig, context)
    if light is not None:
        res = light.exec(command.namespace or light.namespace, command.pod, command.argv,
                         container=command.container, timeout=timeout)
    else:
        from ._cluster import connect

        with errors_to_exit():
            cluster = connect(kubeconfig, context)
        res = cluster.exec(command.namespace or default_namespace(kubeconfig, context), command.pod, command.argv,
                           container=command.container, timeout=timeout)
    emit(res.stdout, _exec_stderr(res), res.exit_code if res.exit_code is not None else 1)


def _exec_stderr(res: ExecResult) -> str:
    """The command's stderr, then what kubectl adds: a cut, an error, or the exit code."""
    stderr = res.stderr + ("reportgen: output cut at 1 MiB per stream\n" if res.truncated else "")
    if res.error:
        return stderr + f"{res.error}\n"
    return stderr + (f"command terminated with exit code {res.exit_code}\n" if res.exit_code else "")


def _read_local(name: str) -> str:
    from ._inputs import read_text

    return read_text(name, f"file {name}")


def emit(stdout: str, stderr: str, code: int, leading: int = 0) -> NoReturn:
    """Write as kubectl does: the first ``leading`` characters of stderr (warnings) before stdout; exit."""
    for stream, text in ((sys.stderr, stderr[:leading]), (sys.stdout, stdout), (sys.stderr, stderr[leading:])):
        stream.write(text)
        stream.flush()
    sys.exit(code)
