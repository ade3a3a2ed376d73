"""What an exec showed, however it ran: the output kept per stream, in arrival order, and its exit status.

Shared by the official client's exec (:mod:`._streams`) and the light one
(:mod:`._light`); nothing here talks to a cluster.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml

from .._evidence import interleave

__all__ = ["OUTPUT_LIMIT", "ExecResult", "Sink", "exec_refusal", "exit_status", "stream_pieces"]

OUTPUT_LIMIT = 1 << 20  # bytes kept per stream; the rest is counted, not stored


@dataclass
class ExecResult:
    """What ``kubectl exec`` showed.

    Attributes:
        stdout: The command's standard output (UTF-8, invalid bytes replaced).
        stderr: The command's standard error.
        exit_code: The exit code; None when it never ran or timed out.
        error: Why the command could not run (pod missing, timeout), else None.
        truncated: Output went past the size limit and was cut.
        timed_out: The command was still running at the deadline.
        streams: ``[stream, text]`` pieces in the order they arrived (within one
            read of the socket, stdout first).
    """

    stdout: str = ""
    stderr: str = ""
    exit_code: int | None = None
    error: str | None = None
    truncated: bool = False
    timed_out: bool = False
    streams: list[list[str]] | None = None


class Sink:
    """Collect bytes up to a limit; ``order`` notes which stream each kept chunk came from."""

    def __init__(self, name: str, order: list[tuple[str, int]], limit: int = OUTPUT_LIMIT) -> None:
        self.name = name
        self.order = order
        self.data = bytearray()
        self.limit = limit
        self.dropped = 0

    def add(self, chunk: bytes | str) -> None:
        raw = chunk.encode() if isinstance(chunk, str) else chunk
        room = self.limit - len(self.data)
        kept = raw[: max(room, 0)]
        self.data += kept
        self.dropped += len(raw) - len(kept)
        if kept:
            self.order.append((self.name, len(self.data)))

    def text(self) -> str:
        return self.data.decode("utf-8", "replace")


def stream_pieces(order: list[tuple[str, int]], out: Sink, err: Sink) -> list[list[str]]:
    """The pieces of both sinks in arrival order (split on chunk ends, decoded per stream)."""
    sinks, start = {"stdout": out, "stderr": err}, {"stdout": 0, "stderr": 0}
    pieces: list[tuple[str, str]] = []
    for name, end in order:
        raw = bytes(sinks[name].data[start[name]:end])
        start[name] = end
        pieces.append((name, raw.decode("utf-8", "replace")))
    merged = interleave(*pieces)
    for name, sink in sinks.items():  # a character split across chunks: keep the streams whole
        if "".join(text for s, text in merged if s == name) != sink.text():
            return interleave(("stdout", out.text()), ("stderr", err.text()))
    return merged


def exec_refusal(code: int | None, text: str, namespace: str, pod: str, fallback: str) -> str:
    """kubectl's words for an exec the server refused with HTTP ``code`` and ``text`` (reason and body)."""
    status = _embedded_status(text)
    code = status.get("code") or code
    if code == 404 or (not status and "404" in text):
        return f'Error from server (NotFound): pods "{pod}" not found'
    if code == 403 or (not status and "403" in text):
        return f"Error from server (Forbidden): cannot create pods/exec in namespace {namespace!r}"
    if status.get("message"):
        return f"Error from server ({status.get('reason') or 'Error'}): {status['message']}"
    return f"Error from server: {fallback}"


def _embedded_status(text: str) -> dict[str, Any]:
    """The metav1.Status JSON a failed websocket handshake carries, if any."""
    start = text.find('{"kind":"Status"')
    if start < 0:
        return {}
    try:
        doc, _ = json.JSONDecoder().raw_decode(text[start:].encode().decode("unicode_escape"))
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def exit_status(status: bytes | str) -> tuple[int | None, str | None]:
    """Decode the error channel: (exit code, error message)."""
    if isinstance(status, bytes):
        status = status.decode("utf-8", "replace")
    if not status:
        return None, "the exec stream closed without a status"
    try:
        doc = yaml.safe_load(status) or {}
    except yaml.YAMLError:
        return None, status.strip()
    if doc.get("status") == "Success":
        return 0, None
    for cause in (doc.get("details") or {}).get("causes") or []:
        if cause.get("reason") == "ExitCode":
            return int(cause.get("message", 1)), None
    return 1, str(doc.get("message", status)).strip()
