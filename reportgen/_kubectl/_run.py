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
    EventsCommand,
    LogsCommand,
    MetadataCommand,
    PatchCommand,
    RolloutCommand,
    ScaleCommand,
    SetImageCommand,
    WaitCommand,
)
from ._discovery import ApiError, GetError
from ._events import events
from ._logs import logs
from ._rollout import rollout, wait

__all__ = ["run_command", "runs_here"]

_VERBS: dict[type[Any], Callable[[Api, Any], Output]] = {
    LogsCommand: logs,
    EventsCommand: events,
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
    """Whether :func:`run_command` runs this command (get and describe have their own entry points)."""
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
