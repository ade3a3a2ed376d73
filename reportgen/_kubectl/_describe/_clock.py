"""Timestamps and ages as kubectl describe prints them.

Ports ``duration.HumanDuration`` (k8s.io/apimachinery v0.34.4
``pkg/util/duration/duration.go``), ``translateTimestampSince`` (k8s.io/kubectl
v0.34.4 ``pkg/describe/describe.go``) and the Go layouts describe uses:
``time.RFC1123Z`` and ``Time.String()``. kubectl shows times in its local
time zone (``metav1.Time`` unmarshals with ``.Local()``); so do these, unless
given a zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

__all__ = ["ZERO_TIME", "Clock", "human_duration", "parse_time"]

ZERO_TIME = datetime(1, 1, 1, tzinfo=UTC)
"""Go's zero ``time.Time`` (what a JSON ``null`` timestamp decodes to)."""

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_time(value: object) -> datetime:
    """An RFC 3339 timestamp from the API, ``ZERO_TIME`` when absent."""
    if not isinstance(value, str) or not value:
        return ZERO_TIME
    return datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))


def human_duration(nanoseconds: int) -> str:
    """Port of ``duration.HumanDuration``: ~2-3 significant figures."""
    seconds = int(nanoseconds / 1e9)
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60 * 2:
        return f"{seconds}s"
    minutes = _go_div(nanoseconds, 60 * 10**9)
    if minutes < 10:
        rest = _go_div(nanoseconds, 10**9) % 60
        return f"{minutes}m{rest}s" if rest else f"{minutes}m"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = _go_div(nanoseconds, 3600 * 10**9)
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h{rest}m" if rest else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        return f"{hours // 24}d{hours % 24}h" if hours % 24 else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        years, days = hours // 24 // 365, (hours // 24) % 365
        return f"{years}y{days}d" if days else f"{years}y"
    return f"{hours // 24 // 365}y"


def _go_div(a: int, b: int) -> int:
    """Go's integer division (truncates toward zero)."""
    quotient = abs(a) // b
    return quotient if a >= 0 else -quotient


@dataclass(frozen=True)
class Clock:
    """``now`` for ages, and the zone timestamps print in (None: the machine's, as Go's ``Local``)."""

    now: datetime
    zone: tzinfo | None = None

    def since(self, value: object) -> str:
        """``translateTimestampSince``: the age of an API timestamp, ``<unknown>`` when absent."""
        moment = parse_time(value)
        if moment == ZERO_TIME:
            return "<unknown>"
        delta = self.now - moment
        return human_duration((delta // timedelta(microseconds=1)) * 1000)

    def local(self, value: object) -> datetime:
        """The timestamp in kubectl's zone; Go's zero time stays in UTC."""
        moment = parse_time(value)
        if moment == ZERO_TIME:
            return moment
        return moment.astimezone(self.zone) if self.zone else moment.astimezone()

    def rfc1123z(self, value: object) -> str:
        """``Time.Format(time.RFC1123Z)``: ``Mon, 02 Jan 2006 15:04:05 -0700``."""
        t = self.local(value)
        return (f"{_DAYS[t.weekday()]}, {t.day:02d} {_MONTHS[t.month - 1]} {t.year:04d} "
                f"{t.hour:02d}:{t.minute:02d}:{t.second:02d} {_offset(t)}")

    def go_string(self, value: object) -> str:
        """``Time.String()``: ``2006-01-02 15:04:05.999999999 -0700 MST``."""
        t = self.local(value)
        fraction = f".{t.microsecond:06d}".rstrip("0") if t.microsecond else ""
        zone = t.tzname() or _offset(t)
        return (f"{t.year:04d}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"
                f"{fraction} {_offset(t)} {zone}")


def _offset(t: datetime) -> str:
    offset = t.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
