"""The kubectl port: command lines, pipes, discovery, ``get`` and its printers, as kubectl v1.34 behaves.

Nothing here talks to a cluster by itself: requests go through a ``fetch``
function the caller passes (the cluster client's), so this package never
imports :mod:`reportgen._cluster`.
"""

from ._commands import (
    SUPPORTED,
    VARIABLES,
    Command,
    ExecCommand,
    GetArgs,
    GetCommand,
    PortForwardCommand,
    parse_command,
)
from ._pipes import GrepPipe, HeadPipe, Pipe, TailPipe, WcPipe, apply_pipes
from ._resources import check_selector, resource_kind, resource_name
from ._words import CommandError

__all__ = [
    "SUPPORTED",
    "VARIABLES",
    "Command",
    "CommandError",
    "ExecCommand",
    "GetArgs",
    "GetCommand",
    "GrepPipe",
    "HeadPipe",
    "Pipe",
    "PortForwardCommand",
    "TailPipe",
    "WcPipe",
    "apply_pipes",
    "check_selector",
    "parse_command",
    "resource_kind",
    "resource_name",
]
