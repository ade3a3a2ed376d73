"""Run a parsed kubectl command through the port: one function per verb, chosen by the command's type.

``exec`` and ``port-forward`` are not here: they need the cluster client's
streams, and the runner drives them itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._api import Api, Output, VerbError
from ._apply import apply
from ._changes import delete, label_or_annotate, patch, scale, set_image
from ._commands import (
    ApplyCommand,
    Command,
    DeleteCommand,
    DescribeCommand,
    EventsCommand,
    LogsCommand,
    MetadataCommand,
    PatchCommand,
    RolloutCommand,
    ScaleCommand,
    SetImageCommand,
    TopCommand,
    WaitCommand,
)
from ._describe import DescribeArgs, DescribeNotPorted, describe_text
from ._discovery import ApiError, GetError
from ._events import events
from ._logs import logs
from ._rollout import rollout, wait
from ._top import top

__all__ = ["run_command", "runs_here"]

def describe(api: Api, command: DescribeCommand) -> Output:
    """``kubectl describe``, through :mod:`._describe`."""
    args = DescribeArgs(list(command.resources), list(command.names), namespace=command.namespace or api.namespace,
                        all_namespaces=command.all_namespaces, selector=command.selector, paired=command.paired)
    try:
        described = describe_text(api.fetch, args, discovery=api.discovery)
    except DescribeNotPorted as exc:
        raise VerbError(str(exc)) from None
    out = Output(chunks=[(stream, text) for stream, text in described.streams() if text])
    out.exit_code = described.exit_code
    return out


_VERBS: dict[type[Any], Callable[[Api, Any], Output]] = {
    DescribeCommand: describe,
    LogsCommand: logs,
    EventsCommand: events,
    TopCommand: top,
    ScaleCommand: scale,
    DeleteCommand: delete,
    ApplyCommand: apply,
    MetadataCommand: label_or_annotate,
    PatchCommand: patch,
    SetImageCommand: set_image,
    RolloutCommand: rollout,
    WaitCommand: wait,
}


def runs_here(command: Command) -> bool:
    """Whether :func:`run_command` runs this command (get has its own entry point)."""
    return type(command) in _VERBS


def run_command(api: Api, command: Command) -> Output:
    """Run ``command`` against ``api`` and return what kubectl would have written.

    A failure a verb did not report itself ends the output with kubectl's error line.
    """
    try:
        return _VERBS[type(command)](api, command)
    except ApiError as exc:
        failed = Output()
        failed.err(exc.kubectl_message())
    except (GetError, VerbError) as exc:
        failed = Output()
        failed.err(f"error: {exc}")
    return failed
