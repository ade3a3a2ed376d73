"""The kubectl port: command lines, pipes, discovery, ``get`` and its printers, as kubectl v1.34 behaves.

Nothing here talks to a cluster by itself: requests go through a ``fetch``
function the caller passes (the cluster client's), so this package never
imports :mod:`reportgen._cluster`.
"""

from ._commands import (
    VARIABLES,
    ApplyCommand,
    Command,
    DeleteCommand,
    DescribeCommand,
    EventsCommand,
    ExecCommand,
    GetArgs,
    GetCommand,
    LogsCommand,
    MetadataCommand,
    PatchCommand,
    PortForwardCommand,
    RolloutCommand,
    ScaleCommand,
    SetImageCommand,
    Target,
    TopCommand,
    WaitCommand,
)
from ._parser import SUPPORTED, changes_cluster, parse_command
from ._pipes import GrepPipe, HeadPipe, Pipe, TailPipe, WcPipe, apply_pipes
from ._resources import check_selector, resource_kind, resource_name
from ._words import CommandError

__all__ = [
    "SUPPORTED",
    "VARIABLES",
    "ApplyCommand",
    "Command",
    "CommandError",
    "DeleteCommand",
    "DescribeCommand",
    "EventsCommand",
    "ExecCommand",
    "GetArgs",
    "GetCommand",
    "GrepPipe",
    "HeadPipe",
    "LogsCommand",
    "MetadataCommand",
    "PatchCommand",
    "Pipe",
    "PortForwardCommand",
    "RolloutCommand",
    "ScaleCommand",
    "SetImageCommand",
    "TailPipe",
    "Target",
    "TopCommand",
    "WaitCommand",
    "WcPipe",
    "apply_pipes",
    "changes_cluster",
    "check_selector",
    "parse_command",
    "resource_kind",
    "resource_name",
]
