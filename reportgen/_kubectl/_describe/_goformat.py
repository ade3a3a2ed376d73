"""Go formatting describers rely on: ``%q``, ``IntOrString.String``, ``url.URL.String``.

Ports Go's ``strconv.Quote`` (for the characters API strings hold),
k8s.io/apimachinery v0.34.4 ``pkg/util/intstr`` and the parts of Go's
``net/url`` (``URL.String``, ``escape``) that ``DescribeProbe`` uses.
"""

from __future__ import annotations

__all__ = ["go_quote", "int_or_string", "int_or_string_pointer", "join_host_port", "url_string"]

_QUOTE_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
                  "\\": "\\\\", '"': '\\"'}
_PATH_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~$&+,/:;=@")
_HOST_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!$&'()*+,;=:[]<>\"")


def go_quote(text: str) -> str:
    """``strconv.Quote``: a double-quoted Go string literal."""
    out = []
    for ch in text:
        if ch in _QUOTE_ESCAPES:
            out.append(_QUOTE_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def int_or_string(value: object) -> str:
    """``IntOrString.String()``; an absent value is Go's zero (the int 0)."""
    if value is None:
        return "0"
    return str(value)


def int_or_string_pointer(value: object) -> str:
    """``(*IntOrString).String()``: ``<nil>`` for an absent value."""
    return "<nil>" if value is None else str(value)


def join_host_port(host: str, port: str) -> str:
    """``net.JoinHostPort``: IPv6 hosts in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _escape(text: str, safe: frozenset[str]) -> str:
    return "".join(ch if ch in safe else "".join(f"%{b:02X}" for b in ch.encode()) for ch in text)


def url_string(scheme: str, host: str, path: str) -> str:
    """``(&url.URL{Scheme, Host, Path}).String()``."""
    out = f"{scheme}:" if scheme else ""
    if (scheme or host) and (host or path):
        out += "//"
    out += _escape(host, _HOST_SAFE)
    escaped = "*" if path == "*" else _escape(path, _PATH_SAFE)
    if escaped and not escaped.startswith("/") and host:
        out += "/"
    if not out and ":" in escaped.split("/", 1)[0]:
        out += "./"
    return out + escaped
