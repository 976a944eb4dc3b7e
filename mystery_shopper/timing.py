"""Response times and outcomes of an inquiry (pure logic: the clock is a parameter).

- first_response_s: received_at - sent_at of the first non-bounce reply;
- first_personal_s: the same for the first personal reply;
- *_business_s: the same interval counted only inside the dealership's opening hours, in its own
  time zone, skipping its holidays;
- outcome: ``open`` until the observation window closes, then ``personal``, ``auto_only``,
  ``bounced`` or ``no_response``. Replies after the window are not counted.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .config import WEEKDAYS, OpeningHours

__all__ = ("BusinessCalendar", "InquiryTiming", "ReplyFact", "business_seconds", "time_inquiry")


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    zone: ZoneInfo
    hours: Mapping[str, OpeningHours | None]
    holidays: Collection[date] = ()


def _local(day: date, t: time, zone: ZoneInfo) -> datetime:
    if t == time.max:  # "24:00": the start of the next day
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return datetime.combine(day, t, tzinfo=zone)


def business_seconds(start: datetime, end: datetime, calendar: BusinessCalendar) -> float:
    """Seconds of ``[start, end)`` that fall inside opening hours."""
    if end <= start:
        return 0.0
    s_utc, e_utc = start.astimezone(UTC), end.astimezone(UTC)
    day = start.astimezone(calendar.zone).date() - timedelta(days=1)
    last = end.astimezone(calendar.zone).date()
    total = 0.0
    while day <= last:
        hours = calendar.hours.get(WEEKDAYS[day.weekday()])
        if hours is not None and day not in calendar.holidays:
            # Subtract in UTC: aware datetimes sharing a tzinfo subtract naively across DST.
            o = _local(day, hours.open, calendar.zone).astimezone(UTC)
            c = _local(day, hours.close, calendar.zone).astimezone(UTC)
            lo, hi = max(o, s_utc), min(c, e_utc)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return total


@dataclass(frozen=True, slots=True)
class ReplyFact:
    received_at: datetime
    kind: str  # personal | auto | bounce


@dataclass(frozen=True, slots=True)
class InquiryTiming:
    outcome: str
    first_response_at: datetime | None
    first_personal_at: datetime | None
    first_response_s: float | None
    first_personal_s: float | None
    first_response_business_s: float | None
    first_personal_business_s: float | None


def time_inquiry(
    sent_at: datetime,
    replies: Sequence[ReplyFact],
    *,
    window: timedelta,
    calendar: BusinessCalendar | None,
    now: datetime,
) -> InquiryTiming:
    """Time one sent inquiry from the replies matched to it, as of ``now``.

    ``calendar`` None: the opening hours are unknown, so business times are None, not 0.
    """
    end = sent_at + window
    counted = sorted((r for r in replies if r.received_at <= end), key=lambda r: r.received_at)
    responses = [r for r in counted if r.kind in ("personal", "auto")]
    personal = [r for r in counted if r.kind == "personal"]
    first = responses[0].received_at if responses else None
    first_p = personal[0].received_at if personal else None

    def secs(at: datetime | None) -> float | None:
        return None if at is None else max(0.0, (at - sent_at).total_seconds())

    def bsecs(at: datetime | None) -> float | None:
        if at is None or calendar is None:
            return None
        return business_seconds(sent_at, at, calendar)

    if now < end:
        outcome = "open"
    elif personal:
        outcome = "personal"
    elif responses:
        outcome = "auto_only"
    elif any(r.kind == "bounce" for r in counted):
        outcome = "bounced"
    else:
        outcome = "no_response"
    return InquiryTiming(
        outcome=outcome,
        first_response_at=first,
        first_personal_at=first_p,
        first_response_s=secs(first),
        first_personal_s=secs(first_p),
        first_response_business_s=bsecs(first),
        first_personal_business_s=bsecs(first_p),
    )
