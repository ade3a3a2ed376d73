"""The one gate to the API: authenticated requests through the official client's REST layer.

The cluster client sends every request this way, and hands the kubectl port a
``fetch`` built on it, so that auth, headers, URLs and the client's exceptions
are dealt with in one place.
"""

from __future__ import annotations

import inspect
import json
import math
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from kubernetes.client.exceptions import ApiException

from .._kubectl._api import Send, Watch
from .._kubectl._discovery import Fetch


def send_request(api_client: Any, method: str, path: str, *, query: list[tuple[str, Any]] | None = None,
         accept: str = "application/json", content_type: str | None = None, body: Any = None,
         timeout: Any = None) -> Any:
    """Send ``method path`` with the client's credentials; return the RESTResponse unread.

    Non-2xx answers are returned, not raised (older clients raise ApiException).
    """
    headers = {**api_client.default_headers, "Accept": accept}
    if content_type:
        headers["Content-Type"] = content_type
    query = list(query or [])
    auth_args: tuple[Any, ...] = (headers, query, ["BearerToken"])
    if "resource_path" in inspect.signature(api_client.update_params_for_auth).parameters:
        auth_args += (path, method, body)
    api_client.update_params_for_auth(*auth_args)
    url = api_client.configuration.host + path + (f"?{urlencode(query)}" if query else "")
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None:
        kwargs["body"] = body
    if timeout is not None:
        kwargs["_request_timeout"] = timeout
    return api_client.rest_client.request(method, url, **kwargs)


def fetcher(api_client: Any) -> Fetch:
    """The ``fetch`` the kubectl port is given: a GET answering ``(status, body, headers)``, never raising."""

    def fetch(path: str, query: list[tuple[str, str]], accept: str) -> tuple[int, bytes | str, Any]:
        try:
            response = send_request(api_client, "GET", path, query=query, accept=accept)
        except ApiException as exc:  # older clients raise on non-2xx
            return exc.status or 0, exc.body or b"", exc.headers
        body = response.read() if hasattr(response, "read") else response.data
        return response.status, body, response.getheaders()

    return fetch


def sender(api_client: Any) -> Send:
    """The ``send`` the kubectl port's changing verbs are given: any method, answering like ``fetch``."""

    def send(method: str, path: str, query: list[tuple[str, str]], content_type: str | None,
             body: bytes | None) -> tuple[int, bytes | str, Any]:
        try:
            data = None if body is None else json.loads(body)  # the client serializes JSON bodies itself
            response = send_request(api_client, method, path, query=query, content_type=content_type, body=data)
        except ApiException as exc:
            return exc.status or 0, exc.body or b"", exc.headers
        answer = response.read() if hasattr(response, "read") else response.data
        return response.status, answer, response.getheaders()

    return send


def watcher(api_client: Any) -> Watch:
    """The ``watch`` the kubectl port's ``get --watch`` is given: a watch stream's lines, for ``seconds`` at most.

    The server ends the stream (``timeoutSeconds``); a read timeout a little later
    ends it if the server does not. A failed request yields its body as one line.
    """

    def watch(path: str, query: list[tuple[str, str]], accept: str, seconds: float) -> Iterator[bytes]:
        query = [*query, ("watch", "true"), ("timeoutSeconds", str(max(1, math.ceil(seconds))))]
        try:
            response = send_request(api_client, "GET", path, query=query, accept=accept,
                                    timeout=(10, seconds + 10))
        except ApiException as exc:
            yield exc.body if isinstance(exc.body, bytes) else str(exc.body or "").encode()
            return
        raw = getattr(response, "response", response)
        try:
            yield from _lines(raw.stream(4096, decode_content=True))
        finally:
            raw.release_conn()

    return watch


def _lines(chunks: Iterator[bytes]) -> Iterator[bytes]:
    pending = b""
    for chunk in chunks:
        pending += chunk
        *whole, pending = pending.split(b"\n")
        yield from (line for line in whole if line.strip())
    if pending.strip():
        yield pending
