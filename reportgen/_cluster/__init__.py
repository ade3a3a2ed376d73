"""The cluster client: connect, apply, wait, exec, port-forward, and the ``fetch`` the kubectl port is given.

Everything reportgen asks of Kubernetes goes through :class:`Cluster`, or, for a
preview command that only reads, through the lighter :func:`light_reader`.
The official client loads on first use of a name from :mod:`._client`, so that
a light preview never imports it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._light import LightReader, light_reader

if TYPE_CHECKING:
    from ._client import Cluster, ObjectRef, connect, context_namespace
    from ._exec import ExecResult
    from ._streams import ForwardResult

__all__ = ["Cluster", "ExecResult", "ForwardResult", "LightReader", "ObjectRef", "connect", "context_namespace",
           "light_reader"]

_LAZY = {"Cluster": "_client", "ObjectRef": "_client", "connect": "_client", "context_namespace": "_client",
         "ExecResult": "_exec", "ForwardResult": "_streams"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
