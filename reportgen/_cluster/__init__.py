"""The cluster client: connect, apply, wait, exec, port-forward, and the ``fetch`` the kubectl port is given.

Everything reportgen asks of Kubernetes goes through :class:`Cluster`.
"""

from __future__ import annotations

from ._client import Cluster, ObjectRef, connect, context_namespace
from ._streams import ExecResult, ForwardResult

__all__ = ["Cluster", "ExecResult", "ForwardResult", "ObjectRef", "connect", "context_namespace"]
