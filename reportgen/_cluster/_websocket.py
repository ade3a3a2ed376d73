"""A WebSocket client, as much of RFC 6455 as a light ``exec`` needs: the opening handshake, reading
messages, answering ping and close.

Kubernetes' exec speaks ``v5.channel.k8s.io`` (or ``v4``) over it
(k8s.io/apimachinery v0.34 ``pkg/util/remotecommand``): each binary message's
first byte is its channel (1 stdout, 2 stderr, 3 the exit status as a
metav1.Status; v5 adds 255, closing a stream, which only a client with stdin
sends). This client sends nothing but control frames, so only those are
masked and written.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator

from ._http1 import Connection, Headers, ProtocolError

__all__ = ["handshake", "messages"]

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 section 1.3
_CLOSE, _PING, _PONG = 8, 9, 10


def handshake(connection: Connection, target: str, headers: dict[str, str],
              protocol: str) -> tuple[int, bytes, Headers]:
    """Ask ``target`` to switch to a WebSocket speaking ``protocol``: 101 (checked) or the refusal."""
    key = base64.b64encode(os.urandom(16)).decode()
    status, body, answer = connection.upgrade(target, {
        **headers, "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": key,
        "Sec-WebSocket-Version": "13", "Sec-WebSocket-Protocol": protocol})
    accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
    if status == 101 and answer.get("sec-websocket-accept") != accept:
        raise ProtocolError("the server's Sec-WebSocket-Accept does not answer our key")
    return status, body, answer


def messages(connection: Connection) -> Iterator[bytes]:
    """Each data message, until the server closes (its close is answered, as are pings)."""
    parts: list[bytes] = []
    while True:
        final, opcode, payload = _frame(connection)
        if opcode == _CLOSE:
            _send_control(connection, _CLOSE, payload[:2])
            return
        if opcode == _PING:
            _send_control(connection, _PONG, payload)
        elif opcode != _PONG:
            parts.append(payload)
            if final:
                yield b"".join(parts)
                parts = []


def _frame(connection: Connection) -> tuple[bool, int, bytes]:
    first, second = connection.read_exactly(2)
    length = second & 0x7F
    if length >= 126:
        length = int.from_bytes(connection.read_exactly(2 if length == 126 else 8), "big")
    mask = connection.read_exactly(4) if second & 0x80 else b""
    payload = connection.read_exactly(length)
    return bool(first & 0x80), first & 0x0F, _masked(payload, mask) if mask else payload


def _send_control(connection: Connection, opcode: int, payload: bytes) -> None:
    mask = os.urandom(4)  # a client masks every frame it sends; a control frame holds at most 125 bytes
    connection.send(bytes([0x80 | opcode, 0x80 | len(payload[:125])]) + mask + _masked(payload[:125], mask))


def _masked(data: bytes, mask: bytes) -> bytes:
    return bytes(b ^ mask[i % 4] for i, b in enumerate(data))
