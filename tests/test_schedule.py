"""The schedule is pure: plain settings, a history and a clock, no waiting."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from helpers import write_config

from mystery_shopper.config import Settings, load_settings
from mystery_shopper.schedule import (
    MIN_GAP,
    PastInquiry,
    due_inquiries,
    is_open,
    period_of,
    plan_period,
)

SHOPPERS = "".join(
    f"""
[[shoppers]]
name = "{name}"
address = "{name}@shopper.test"
display_name = "{name.title()} Example"
[shoppers.smtp]
host = "127.0.0.1"
security = "none"
[shoppers.imap]
host = "127.0.0.1"
security = "none"
password_env = "TEST_IMAP_PASSWORD"
"""
    for name in ("alex", "sam", "kim")
)

DEALERS = """
[[dealerships]]
slug = "acme-toyota"
name = "Acme Toyota"
inquiry_address = "sales@acme-toyota.test"
timezone = "America/Chicago"
group = "Acme"
vehicles = ["2025 Toyota RAV4 XLE", "2024 Toyota Camry SE"]

[[dealerships]]
slug = "acme-honda"
name = "Acme Honda"
inquiry_address = "sales@acme-honda.test"
timezone = "America/Chicago"
group = "Acme"

[[dealerships]]
slug = "berlin"
name = "Berlin Autohaus"
inquiry_address = "info@berlin.test"
timezone = "Europe/Berlin"

[[dealerships]]
slug = "legacy"
name = "Legacy Motors"
inquiry_address = "sales@legacy.test"
timezone = "America/New_York"
"""


def settings(tmp_path: Path, campaigns: str, seed: int = 7) -> Settings:
    text = f"[inquiries]\nseed = {seed}\n" + SHOPPERS + DEALERS + campaigns
    return load_settings(write_config(tmp_path, text))


CAMPAIGNS = """
[[campaigns]]
group = "Acme"
inquiries = 3
period = "month"

[[campaigns]]
dealerships = ["berlin"]
inquiries = 6
period = "quarter"
bands = ["evening", "weekend"]
"""


@pytest.mark.parametrize(
    ("period", "day", "expected"),
    [
        ("quarter", date(2026, 11, 24), ("2026Q4", date(2026, 10, 1), date(2027, 1, 1))),
        ("quarter", date(2026, 1, 1), ("2026Q1", date(2026, 1, 1), date(2026, 4, 1))),
        ("month", date(2026, 2, 14), ("2026-02", date(2026, 2, 1), date(2026, 3, 1))),
        ("week", date(2026, 11, 26), ("2026W48", date(2026, 11, 23), date(2026, 11, 30))),
        ("week", date(2027, 1, 1), ("2026W53", date(2026, 12, 28), date(2027, 1, 4))),
    ],
)
def test_period_of(period: str, day: date, expected: tuple[str, date, date]) -> None:
    assert period_of(period, day) == expected


def test_plan_is_reproducible_spread_and_in_band(tmp_path: Path) -> None:
    s = settings(tmp_path, CAMPAIGNS)
    berlin = s.dealership("berlin")
    camp = s.campaign_for("berlin")
    assert camp is not None
    slots = plan_period(camp, berlin, 7, date(2026, 11, 1))
    assert slots == plan_period(camp, berlin, 7, date(2026, 12, 31))  # same quarter, same plan
    assert slots != plan_period(camp, berlin, 8, date(2026, 11, 1))  # another seed, another plan
    assert [s.key for s in sorted(slots, key=lambda s: s.key)] == [
        f"2026Q4#{i}" for i in range(1, 7)
    ]
    assert Counter(s.band for s in slots) == {"evening": 3, "weekend": 3}
    for slot in slots:
        local = slot.due_at.astimezone(berlin.zone)
        assert date(2026, 10, 1) <= local.date() < date(2027, 1, 1)
        if slot.band == "weekend":
            assert local.weekday() >= 5 and time(9, 30) <= local.time() < time(19)
        else:
            assert local.weekday() < 5 and time(19) <= local.time() < time(22, 30)
    gaps = [b.due_at - a.due_at for a, b in zip(slots, slots[1:], strict=False)]
    assert min(gaps) >= MIN_GAP


def test_business_band_falls_in_opening_hours(tmp_path: Path) -> None:
    s = settings(
        tmp_path,
        '[[campaigns]]\ndealerships = ["legacy"]\ninquiries = 12\nperiod = "quarter"\n'
        'bands = ["business"]\n',
    )
    dealer = s.dealership("legacy")
    camp = s.campaign_for("legacy")
    assert camp is not None
    for slot in plan_period(camp, dealer, 1, date(2026, 7, 1)):
        assert is_open(dealer, slot.due_at.astimezone(dealer.zone))


def simulate(s: Settings, start: datetime, end: datetime, step: timedelta) -> list[PastInquiry]:
    """Run the schedule every `step` like cron; each inquiry is sent at once and answered
    (closed) after two days."""
    history: list[PastInquiry] = []
    last: dict[str, str] = {}
    now = start
    while now < end:
        closed = [
            PastInquiry(p.dealership, p.shopper, p.created_at, p.campaign_slot, False)
            if p.created_at + timedelta(days=2) <= now
            else p
            for p in history
        ]
        history = closed
        for due in due_inquiries(s, history, last, now):
            history.append(PastInquiry(due.dealership.slug, due.shopper.name, now, due.slot, True))
            last[due.dealership.slug] = due.scenario
        now += step
    return history


def test_a_simulated_quarter(tmp_path: Path) -> None:
    s = settings(tmp_path, CAMPAIGNS)
    start = datetime(2026, 10, 1, 5, tzinfo=UTC)  # midnight in Chicago
    history = simulate(s, start, datetime(2027, 1, 1, 6, tzinfo=UTC), timedelta(minutes=30))
    per_dealer: dict[str, list[PastInquiry]] = defaultdict(list)
    for p in history:
        per_dealer[p.dealership].append(p)
    # Acme (group): 3 a month each; Berlin: 6 a quarter; Legacy (no campaign): every 90 days.
    assert len(per_dealer["acme-toyota"]) == 9 and len(per_dealer["acme-honda"]) == 9
    assert len(per_dealer["berlin"]) == 6
    assert len(per_dealer["legacy"]) == 2  # Oct 1 and 90 days later, Dec 30
    for slug, items in per_dealer.items():
        times = [p.created_at for p in items]
        assert all(b - a >= MIN_GAP for a, b in zip(times, times[1:], strict=False)), slug
        # Shoppers rotate: balanced per dealership at every point, never twice in a row.
        names = [p.shopper for p in items]
        for i in range(1, len(names) + 1):
            counts = Counter(names[:i])
            used = [counts[n] for n in ("alex", "sam", "kim")]
            assert max(used) - min(used) <= 1, (slug, names)
        assert all(a != b for a, b in zip(names, names[1:], strict=False)), (slug, names)
        slots = [p.campaign_slot for p in items if p.campaign_slot]
        assert len(slots) == len(set(slots))
    berlin = s.dealership("berlin")
    for p in per_dealer["berlin"]:
        # Evening and weekend bands only: a weekday evening (closed) or a Saturday or Sunday.
        local = p.created_at.astimezone(berlin.zone)
        assert local.weekday() >= 5 or not is_open(berlin, local)


def test_one_open_inquiry_per_shopper_and_dealership(tmp_path: Path) -> None:
    s = settings(tmp_path, "")
    now = datetime(2026, 11, 24, 15, tzinfo=UTC)
    # Every shopper has an open inquiry with acme-toyota: none can be given another.
    history = [
        PastInquiry("acme-toyota", name, now - timedelta(days=100), None, True)
        for name in ("alex", "sam", "kim")
    ]
    due = {d.dealership.slug: d for d in due_inquiries(s, history, {}, now)}
    assert "acme-toyota" not in due
    assert {"acme-honda", "berlin", "legacy"} <= set(due)


def test_nothing_within_24_hours_of_the_last_inquiry(tmp_path: Path) -> None:
    s = settings(tmp_path, CAMPAIGNS)
    now = datetime(2026, 11, 30, 23, tzinfo=UTC)  # late in the month: every Acme slot is due
    recent = [PastInquiry("acme-toyota", "alex", now - timedelta(hours=23), "x", False)]
    slugs = {d.dealership.slug for d in due_inquiries(s, recent, {}, now)}
    assert "acme-toyota" not in slugs and "acme-honda" in slugs
    later = {d.dealership.slug for d in due_inquiries(s, recent, {}, now + timedelta(hours=1))}
    assert "acme-toyota" in later


def test_after_hours_scenario_only_when_closed(tmp_path: Path) -> None:
    s = settings(
        tmp_path,
        '[[campaigns]]\ndealerships = ["legacy"]\ninquiries = 1\nperiod = "week"\n'
        'scenarios = ["after_hours", "price_quote"]\n',
    )
    # Tuesday 11:00 in New York: open. Tuesday 21:00: closed.
    open_time = datetime(2026, 11, 24, 16, tzinfo=UTC)
    closed_time = datetime(2026, 11, 25, 2, tzinfo=UTC)
    for now, allowed in ((open_time, {"price_quote"}), (closed_time, {"after_hours"})):
        seen = set()
        for seed in range(20):
            s2 = s.model_copy(update={"inquiries": s.inquiries.model_copy(update={"seed": seed})})
            for due in due_inquiries(s2, [], {"legacy": "price_quote"}, now):
                if due.dealership.slug == "legacy" and due.slot is not None:
                    seen.add(due.scenario)
                    assert due.moment == ("business" if now == open_time else "evening")
        assert seen and seen <= allowed


def test_same_seed_same_choices(tmp_path: Path) -> None:
    s = settings(tmp_path, CAMPAIGNS)
    now = datetime(2026, 11, 30, 23, tzinfo=UTC)
    a = due_inquiries(s, [], {}, now)
    b = due_inquiries(s, [], {}, now)
    assert [(d.shopper.name, d.scenario, d.vehicle, d.seed) for d in a] == [
        (d.shopper.name, d.scenario, d.vehicle, d.seed) for d in b
    ]


def test_after_hours_without_campaign_waits_for_closing(tmp_path: Path) -> None:
    s = settings(tmp_path, "")
    s = s.model_copy(
        update={"inquiries": s.inquiries.model_copy(update={"scenarios": ("after_hours",)})}
    )
    open_time = datetime(2026, 11, 24, 16, tzinfo=UTC)  # 11:00 in New York, 10:00 in Chicago
    assert "legacy" not in {d.dealership.slug for d in due_inquiries(s, [], {}, open_time)}
    closed_time = datetime(2026, 11, 25, 2, tzinfo=UTC)  # 21:00 in New York
    due = {d.dealership.slug: d for d in due_inquiries(s, [], {}, closed_time)}
    assert due["legacy"].scenario == "after_hours" and due["legacy"].moment == "evening"
