"""What the kubectl port's verbs are given to reach a cluster, and what they give back.

:class:`Api` bundles the cluster client's functions (``fetch`` for GETs, ``send``
for changes, ``watch`` for event streams) with the namespace in effect, so no
verb imports the cluster client. :class:`Output` records what a verb writes,
stdout and stderr interleaved in the order a terminal shows them.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ._discovery import ApiError, Discovery, Fetch, Requester, ResourceType
from ._tables import kind_prefix

__all__ = ["Api", "Output", "Send", "VerbError", "Watch", "object_name", "seconds"]

Send = Callable[[str, str, list[tuple[str, str]], "str | None", "bytes | None"], tuple[int, "bytes | str", Any]]
"""``send(method, path, query, content_type, body)``: answer ``(status, body, headers)``, never raise on non-2xx."""

Watch = Callable[[str, list[tuple[str, str]], str, float], Iterator[bytes]]
"""``watch(path, query, accept, seconds)``: the lines of a watch stream, ending when ``seconds`` have passed."""


class VerbError(Exception):
    """kubectl's own ``error: ...`` line, before or instead of a request."""


@dataclass
class Output:
    """What a verb wrote: ``chunks`` of (stream, text) in terminal order, and kubectl's exit code."""

    chunks: list[tuple[str, str]] = field(default_factory=list)
    exit_code: int = 0

    def out(self, text: str) -> None:
        """Write to stdout."""
        self.chunks.append(("stdout", text))

    def err(self, text: str, *, fail: bool = True) -> None:
        """Write a line to stderr; ``fail`` makes the exit code 1."""
        self.chunks.append(("stderr", text if text.endswith("\n") else text + "\n"))
        self.exit_code = 1 if fail else self.exit_code

    @property
    def stdout(self) -> str:
        """Everything written to stdout."""
        return "".join(text for stream, text in self.chunks if stream == "stdout")

    @property
    def stderr(self) -> str:
        """Everything written to stderr."""
        return "".join(text for stream, text in self.chunks if stream == "stderr")

    def streams(self) -> list[tuple[str, str]]:
        """What was written, in order, as (stream, text)."""
        return list(self.chunks)


@dataclass
class Api:
    """A cluster as the verbs see it.

    Attributes:
        fetch: GET (the cluster client's ``fetch``).
        send: Any other method.
        namespace: The namespace in effect (``-n`` or the run's).
        discovery: The server's resources.
        watch: Event streams; None where the caller cannot stream.
        read_file: Reads a file a step names (``apply -f``), relative to the scenario.
        prepare: Adjusts an object ``apply -f`` creates (the run's labels).
        timeout: How long a verb that waits may wait, unless its own ``--timeout`` says otherwise.
        clock: Seconds, for timeouts and polling.
        confined: A scenario step's changes stay in ``namespace``: a cluster-scoped object may only be
            patched (labelled, annotated) when it is that Namespace itself.
    """

    fetch: Fetch
    send: Send
    namespace: str
    discovery: Discovery
    watch: Watch | None = None
    read_file: Callable[[str], str] | None = None
    prepare: Callable[[dict[str, Any]], dict[str, Any]] = lambda obj: obj
    timeout: float = 60.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    confined: bool = False

    def resolve(self, typed: str) -> ResourceType:
        """A type as written (``deploy``) to its resource; unknown types are kubectl's error."""
        return self.discovery.resolve(typed)

    def get(self, resource: ResourceType, name: str | None = None, query: list[tuple[str, str]] | None = None,
            namespace: str | None = None) -> dict[str, Any]:
        """GET an object (or a list) as JSON; ``ApiError`` on failure."""
        path = resource.path(namespace or self.namespace, name)
        return Requester(self.fetch).get_json(path, query or [], accept="application/json")

    def labelled(self, typed: str, selector: str) -> tuple[ResourceType, list[str]]:
        """The resource for ``typed`` and the names of its objects a label selector matches."""
        resource = self.resolve(typed)
        listed = self.get(resource, query=[("labelSelector", selector)])
        return resource, [item["metadata"]["name"] for item in listed.get("items", [])]

    def call(self, method: str, resource: ResourceType, name: str | None, body: Any,
             content_type: str = "application/json", subresource: str = "",
             query: list[tuple[str, str]] | None = None) -> dict[str, Any]:
        """Send ``method`` to an object (or a subresource); ``ApiError`` on failure."""
        own_namespace = resource.kind == "Namespace" and name == self.namespace and method == "PATCH"
        if self.confined and not resource.namespaced and not own_namespace:
            raise VerbError(f"{object_name(resource, name or '')} is cluster-scoped, and a scenario step changes "
                            f"only its run's namespace {self.namespace}")
        path = resource.path(self.namespace, name) + (f"/{subresource}" if subresource else "")
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        status, answer, _headers = self.send(method, path, query or [], content_type, data)
        if not 200 <= status <= 299:
            raise ApiError(status, answer)
        decoded: dict[str, Any] = json.loads(answer) if answer else {}
        return decoded


def object_name(resource: ResourceType, name: str) -> str:
    """``deployment.apps/web``: how kubectl names an object in its one-line messages."""
    return f"{kind_prefix(resource.kind, resource.group)}/{name}"


def seconds(text: str | None, default: float) -> float:
    """A Go duration (``90s``, ``1m30s``) in seconds; ``0`` or absent means ``default``."""
    if not text:
        return default
    units = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
    seconds = sum(float(n) * units[u] for n, u in re.findall(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)", text))
    return seconds or default
