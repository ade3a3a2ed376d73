"""Run a parsed kubectl command through the port: one function per verb, chosen by the command's type.

``exec`` and ``port-forward`` are not here: they need the cluster client's
streams, and the runner drives them itself.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from ._api import Api, Output, VerbError
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
from ._discovery import ApiError, GetError

__all__ = ["run_command", "runs_here"]

def describe(api: Api, command: DescribeCommand) -> Output:
    """``kubectl describe``, through :mod:`._describe`."""
    from ._describe import DescribeArgs, DescribeNotPorted, describe_text

    args = DescribeArgs(list(command.resources), list(command.names), namespace=command.namespace or api.namespace,
                        all_namespaces=command.all_namespaces, selector=command.selector, paired=command.paired)
    try:
        described = describe_text(api.fetch, args, discovery=api.discovery)
    except DescribeNotPorted as exc:
        raise VerbError(str(exc)) from None
    out = Output(chunks=[(stream, text) for stream, text in described.streams() if text])
    out.exit_code = described.exit_code
    return out


_VERBS: dict[type[Any], str] = {
    DescribeCommand: "._run:describe",
    LogsCommand: "._logs:logs",
    EventsCommand: "._events:events",
    TopCommand: "._top:top",
    ScaleCommand: "._changes:scale",
    DeleteCommand: "._changes:delete",
    ApplyCommand: "._apply:apply",
    MetadataCommand: "._changes:label_or_annotate",
    PatchCommand: "._changes:patch",
    SetImageCommand: "._changes:set_image",
    RolloutCommand: "._rollout:rollout",
    WaitCommand: "._rollout:wait",
}
"""Each verb's function, as module:name: a preview imports only its own verb's code."""


def _verb(command: Command) -> Callable[[Api, Any], Output]:
    module, name = _VERBS[type(command)].split(":")
    return getattr(importlib.import_module(module, __package__), name)  # type: ignore[no-any-return]


def runs_here(command: Command) -> bool:
    """Whether :func:`run_command` runs this command (get has its own entry point)."""
    return type(command) in _VERBS


def run_command(api: Api, command: Command) -> Output:
    """Run ``command`` against ``api`` and return what kubectl would have written.

    A failure a verb did not report itself ends the output with kubectl's error line.
    """
    try:
        return _verb(command)(api, command)
    except ApiError as exc:
        failed = Output()
        failed.err(exc.kubectl_message())
    except (GetError, VerbError) as exc:
        failed = Output()
        failed.err(f"error: {exc}")
    return failed
