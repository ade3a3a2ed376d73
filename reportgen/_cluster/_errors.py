"""Turn client exceptions into one-line, actionable ClusterErrors."""

from __future__ import annotations

import json
from typing import Any

from kubernetes.client.exceptions import ApiException

from .._exceptions import ClusterError


def api_message(exc: ApiException) -> str:
    """The server's own message from an ApiException, else its reason."""
    try:
        body = json.loads(exc.body or "{}")
    except (TypeError, ValueError):
        body = {}
    return str(body.get("message") or exc.reason or exc)


def rejected_field(exc: ApiException) -> str | None:
    """The first field an API rejection names (``spec.ports[0].port``), if any."""
    try:
        causes = (json.loads(exc.body or "{}").get("details") or {}).get("causes") or []
    except (TypeError, ValueError):
        return None
    return next((c["field"] for c in causes if c.get("field")), None)


def forbidden(exc: ApiException, verb: str, resource: str, namespace: str | None) -> ClusterError:
    """A ClusterError naming what RBAC refused, and the fix."""
    where = f" in namespace {namespace!r}" if namespace else " (cluster scope)"
    return ClusterError(
        f"forbidden: cannot {verb} {resource}{where}: {api_message(exc)}\n"
        "  hint: grant the Role in docs/rbac.yaml, or use a context with more rights"
    )


def cluster_error(exc: Exception, verb: str, resource: str, namespace: str | None = None) -> ClusterError:
    """Map any client exception for VERB on RESOURCE to a ClusterError."""
    if isinstance(exc, ApiException):
        if exc.status == 403:
            return forbidden(exc, verb, resource, namespace)
        return ClusterError(f"{verb} {resource}: {exc.status} {api_message(exc)}")
    return ClusterError(f"{verb} {resource}: {type(exc).__name__}: {exc}")


def status_of(exc: Any) -> int | None:
    """The HTTP status of an ApiException, None for anything else."""
    return exc.status if isinstance(exc, ApiException) else None
