from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from mystery_shopper.config import OpeningHours
from mystery_shopper.timing import BusinessCalendar, ReplyFact, business_seconds, time_inquiry

CHI = ZoneInfo("America/Chicago")
NINE_TO_SIX = OpeningHours(open=time(9), close=time(18))
WEEKDAYS = {d: NINE_TO_SIX for d in ("mon", "tue", "wed", "thu", "fri")}
CAL = BusinessCalendar(zone=CHI, hours=WEEKDAYS, holidays=(date(2026, 12, 25),))


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHI)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(local(2026, 11, 24, 10), local(2026, 11, 24, 11), 3600, id="inside-hours"),
        pytest.param(local(2026, 11, 24, 20), local(2026, 11, 25, 10), 3600, id="overnight"),
        pytest.param(local(2026, 11, 27, 17), local(2026, 11, 30, 10), 7200, id="over-weekend"),
        pytest.param(local(2026, 12, 24, 17), local(2026, 12, 28, 9, 30), 5400, id="holiday"),
        pytest.param(local(2026, 11, 28, 10), local(2026, 11, 29, 10), 0, id="weekend-only"),
        pytest.param(local(2026, 11, 24, 11), local(2026, 11, 24, 10), 0, id="backwards"),
    ],
)
def test_business_seconds(start: datetime, end: datetime, expected: float) -> None:
    assert business_seconds(start, end, CAL) == expected


def test_business_seconds_across_dst_change() -> None:
    # 2026-11-01 02:00 CDT -> 01:00 CST; open all day Sunday: the day has 25 hours.
    cal = BusinessCalendar(zone=CHI, hours={"sun": OpeningHours(open=time(0), close=time.max)})
    assert business_seconds(local(2026, 11, 1, 0), local(2026, 11, 2, 0), cal) == 25 * 3600


def test_business_seconds_is_zone_independent_of_input() -> None:
    start = local(2026, 11, 24, 10).astimezone(UTC)
    assert business_seconds(start, start + timedelta(minutes=30), CAL) == 1800


SENT = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # 10:00 in Chicago
WINDOW = timedelta(hours=72)


def test_first_response_and_first_personal() -> None:
    replies = [
        ReplyFact(SENT + timedelta(seconds=40), "auto"),
        ReplyFact(SENT + timedelta(minutes=25), "personal"),
        ReplyFact(SENT + timedelta(hours=2), "personal"),
    ]
    t = time_inquiry(SENT, replies, window=WINDOW, calendar=CAL, now=SENT + timedelta(hours=1))
    assert t.outcome == "open"
    assert t.first_response_s == 40
    assert t.first_personal_s == 25 * 60
    assert t.first_personal_business_s == 25 * 60


@pytest.mark.parametrize(
    ("kinds", "outcome"),
    [
        (["auto", "personal"], "personal"),
        (["auto"], "auto_only"),
        (["bounce"], "bounced"),
        ([], "no_response"),
    ],
)
def test_outcome_after_window(kinds: list[str], outcome: str) -> None:
    replies = [ReplyFact(SENT + timedelta(minutes=i + 1), k) for i, k in enumerate(kinds)]
    t = time_inquiry(SENT, replies, window=WINDOW, calendar=CAL, now=SENT + WINDOW)
    assert t.outcome == outcome


def test_bounce_is_not_a_response_and_late_replies_do_not_count() -> None:
    replies = [
        ReplyFact(SENT + timedelta(seconds=5), "bounce"),
        ReplyFact(SENT + WINDOW + timedelta(seconds=1), "personal"),
    ]
    t = time_inquiry(SENT, replies, window=WINDOW, calendar=CAL, now=SENT + 2 * WINDOW)
    assert t.first_response_s is None
    assert t.first_personal_s is None
    assert t.outcome == "bounced"


def test_unknown_opening_hours_give_no_business_time() -> None:
    # A dealership removed from the config: its hours are unknown, which is not "0 s in hours".
    replies = [ReplyFact(SENT + timedelta(minutes=25), "personal")]
    t = time_inquiry(SENT, replies, window=WINDOW, calendar=None, now=SENT + WINDOW)
    assert t.first_personal_s == 25 * 60
    assert t.first_personal_business_s is None
    assert t.first_response_business_s is None
    assert t.outcome == "personal"
