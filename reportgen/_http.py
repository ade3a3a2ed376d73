"""One authenticated request through the official client's REST layer.

Both the table fetcher and the cluster client send requests this way, so that
auth, headers and URLs are built in one place.
"""

from __future__ import annotations

import inspect
from typing import Any
from urllib.parse import urlencode


def send(api_client: Any, method: str, path: str, *, query: list[tuple[str, Any]] | None = None,
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
