"""Ages as kubectl prints them: port of k8s.io/apimachinery v0.34.4 ``pkg/util/duration/duration.go`` ``HumanDuration``
and kubectl's ``translateTimestampSince`` (``<unknown>`` for a missing time)."""

from __future__ import annotations

from datetime import datetime

__all__ = ["human_duration", "parse_time", "since"]


def parse_time(text: str | None) -> datetime | None:
    """An RFC 3339 API time (``2026-12-02T13:00:00Z``, fractions allowed), or None."""
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def since(text: str | None, now: datetime) -> str:
    """``translateTimestampSince``: the age of an API timestamp, ``<unknown>`` when there is none."""
    then = parse_time(text)
    return "<unknown>" if then is None else human_duration((now - then).total_seconds())


def human_duration(seconds_total: float) -> str:
    """``duration.HumanDuration``: 59s, 2m5s, 15m, 5h3m, 10h, 3d4h, 20d, 2y100d..."""
    seconds = int(seconds_total)
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 120:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        return f"{minutes}m" if seconds % 60 == 0 else f"{minutes}m{seconds % 60}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        return f"{hours}h" if minutes % 60 == 0 else f"{hours}h{minutes % 60}m"
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if hours < 24 * 8:
        return f"{days}d" if hours % 24 == 0 else f"{days}d{hours % 24}h"
    if hours < 24 * 365 * 2:
        return f"{days}d"
    if hours < 24 * 365 * 8:
        return f"{days // 365}y" if days % 365 == 0 else f"{days // 365}y{days % 365}d"
    return f"{days // 365}y"
