"""The cluster client: connect, apply, wait, get-as-table, exec, port-forward.

Everything reportgen asks of Kubernetes goes through :class:`Cluster`.
"""

from __future__ import annotations

from ._client import Cluster, ObjectRef, connect
from ._streams import ExecResult, ForwardResult

__all__ = ["Cluster", "ObjectRef", "connect", "ExecResult", "ForwardResult"]
