"""When each dealership gets its next inquiry, from whom, about what (pure: ``now`` is a parameter).

A campaign gives a dealership N inquiries per period (quarter, month or ISO week). The period is
cut into N equal slices; slot *i* falls in slice *i*, in one of the campaign's time bands taken in
turn (business hours, weekday evening, weekend, in the dealership's own time zone), at a random
minute of that band. Every random choice is drawn from ``seed`` + dealership + period + slot, so
the plan is the same on every run and a run can be replayed; nothing about the plan is stored
except, on each inquiry, the slot it filled.

Rules applied when a slot is due: at most one inquiry per dealership per run and at least 24 h
since its last one (a due slot simply waits); the shopper is one without an open inquiry to that
dealership (so replies stay matchable), least used there first, then least used overall.
Slots of the previous period are still honoured for ``CATCH_UP`` after their time (but not on
a dealership's first run, so installing mid-period starts no burst); older missed slots are
dropped rather than sent in a burst.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from .campaign_config import CampaignConfig, VehicleConfig
from .config import WEEKDAYS, DealershipConfig, Settings, ShopperConfig

__all__ = (
    "CATCH_UP",
    "MIN_GAP",
    "Due",
    "PastInquiry",
    "Slot",
    "due_inquiries",
    "is_open",
    "period_of",
    "plan_period",
)

MIN_GAP = timedelta(hours=24)
CATCH_UP = timedelta(days=7)
_EVENING = (time(19, 0), time(22, 30))
_WEEKEND = (time(9, 30), time(19, 0))


@dataclass(frozen=True, slots=True)
class PastInquiry:
    """What the schedule needs to know about an inquiry already in the outbox."""

    dealership: str
    shopper: str
    created_at: datetime
    campaign_slot: str | None
    # Pending, or sent and its observation window not yet closed.
    open: bool
    # Not yet sent or failed: queued, sending or unknown.
    pending: bool = False


@dataclass(frozen=True, slots=True)
class Slot:
    key: str  # "<period label>#<n>", e.g. "2026Q4#2"
    due_at: datetime  # UTC
    band: str


@dataclass(frozen=True, slots=True)
class Due:
    """One inquiry to queue now."""

    dealership: DealershipConfig
    shopper: ShopperConfig
    scenario: str
    vehicle: VehicleConfig | None
    moment: str  # business | morning | evening | weekend: the local time it is sent at
    seed: str
    slot: str | None


def period_of(period: str, day: date) -> tuple[str, date, date]:
    """(label, first day, first day after) of the period containing ``day``."""
    if period == "week":
        start = day - timedelta(days=day.weekday())
        year, week, _ = start.isocalendar()
        return f"{year}W{week:02d}", start, start + timedelta(days=7)
    if period == "month":
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
        return f"{start:%Y-%m}", start, end
    q = (day.month - 1) // 3
    start = date(day.year, 3 * q + 1, 1)
    end = (start + timedelta(days=95)).replace(day=1)
    return f"{day.year}Q{q + 1}", start, end


def is_open(dealer: DealershipConfig, local: datetime) -> bool:
    """Whether ``local`` (in the dealership's zone) falls inside its opening hours."""
    hours = dealer.hours.get(WEEKDAYS[local.weekday()])
    if hours is None or local.date() in dealer.holidays:
        return False
    return hours.open <= local.time() < hours.close


def _window(dealer: DealershipConfig, day: date, band: str) -> tuple[time, time] | None:
    weekend = day.weekday() >= 5
    if band == "weekend":
        return _WEEKEND if weekend else None
    if band == "evening":
        return _EVENING if not weekend else None
    hours = dealer.hours.get(WEEKDAYS[day.weekday()])
    if hours is None or day in dealer.holidays:
        return None
    close = time(23, 59) if hours.close == time.max else hours.close
    return hours.open, close


def _slot(
    dealer: DealershipConfig, days: list[date], bands: Sequence[str], rng: random.Random
) -> tuple[datetime, str]:
    for band in bands:
        fits = [(d, w) for d in days if (w := _window(dealer, d, band)) is not None]
        if fits:
            day, (lo, hi) = rng.choice(fits)
            span = (hi.hour * 60 + hi.minute) - (lo.hour * 60 + lo.minute)
            minute = lo.hour * 60 + lo.minute + rng.randrange(max(span, 1))
            local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=dealer.zone)
            return local.astimezone(UTC), band
    # No day of the slice fits any configured band (e.g. weekend-only and a weekday slice).
    local = datetime.combine(days[0], time(12, 0), tzinfo=dealer.zone)
    return local.astimezone(UTC), bands[0]


def plan_period(
    campaign: CampaignConfig, dealer: DealershipConfig, seed: int, day: date
) -> list[Slot]:
    """The slots of the period containing ``day``, earliest first."""
    label, start, end = period_of(campaign.period, day)
    length = (end - start).days
    slots = []
    for i in range(campaign.inquiries):
        rng = random.Random(f"{seed}:{dealer.slug}:{label}:{i}")
        lo, hi = (
            start + timedelta(days=length * i // campaign.inquiries),
            start + timedelta(days=length * (i + 1) // campaign.inquiries),
        )
        days = [lo + timedelta(days=k) for k in range((hi - lo).days)]
        # Rotate the bands, starting at a dealership-specific offset.
        offset = random.Random(f"{seed}:{dealer.slug}:{label}").randrange(len(campaign.bands))
        k = (offset + i) % len(campaign.bands)
        bands = campaign.bands[k:] + campaign.bands[:k]
        due_at, band = _slot(dealer, days, bands, rng)
        slots.append(Slot(f"{label}#{i + 1}", due_at, band))
    return sorted(slots, key=lambda s: s.due_at)


def _moment(dealer: DealershipConfig, at: datetime) -> str:
    """business (open), weekend, or when closed on a weekday: morning (before noon) or evening."""
    local = at.astimezone(dealer.zone)
    if is_open(dealer, local):
        return "business"
    if local.weekday() >= 5:
        return "weekend"
    return "morning" if 4 <= local.hour < 12 else "evening"


def _due_slot(
    campaign: CampaignConfig,
    dealer: DealershipConfig,
    seed: int,
    taken: set[str],
    now: datetime,
) -> Slot | None:
    today = now.astimezone(dealer.zone).date()
    _, start, _ = period_of(campaign.period, today)
    slots = []
    if any(taken):
        # Catch up a slot the last period missed, but never on a first run: no burst at install.
        slots = plan_period(campaign, dealer, seed, start - timedelta(days=1))
        slots = [s for s in slots if s.due_at > now - CATCH_UP]
    slots += plan_period(campaign, dealer, seed, today)
    return next((s for s in slots if s.key not in taken and s.due_at <= now), None)


def _shopper(
    settings: Settings, slug: str, history: Sequence[PastInquiry], rng: random.Random
) -> ShopperConfig | None:
    busy = {p.shopper for p in history if p.dealership == slug and p.open}
    free = [s for s in settings.shoppers if s.name not in busy]
    if not free:
        return None
    here = {s.name: 0 for s in free}
    overall = dict(here)
    for p in history:
        if p.shopper in here:
            overall[p.shopper] += 1
            here[p.shopper] += p.dealership == slug
    mine = [p.shopper for p in history if p.dealership == slug]
    previous = mine[-1] if mine else None
    tiebreak = {s.name: rng.random() for s in free}
    # Least used here; never the same shopper twice in a row if another is free; then overall.
    return min(
        free,
        key=lambda s: (here[s.name], s.name == previous, overall[s.name], tiebreak[s.name]),
    )


def _scenario(scenarios: Sequence[str], moment: str, last: str | None, rng: random.Random) -> str:
    # The after-hours question only makes sense when the dealership is closed.
    eligible = [s for s in scenarios if s != "after_hours" or moment != "business"]
    fresh = [s for s in eligible if s != last] or eligible or list(scenarios)
    return rng.choice(fresh)


def _due_for(
    settings: Settings,
    dealer: DealershipConfig,
    history: Sequence[PastInquiry],
    last_scenario: str | None,
    now: datetime,
) -> Due | None:
    inq = settings.inquiries
    past = [p for p in history if p.dealership == dealer.slug]
    campaign = settings.campaign_for(dealer.slug)
    slot: Slot | None = None
    if campaign is None:
        every = timedelta(days=float(inq.every_days))
        if any(p.pending or p.created_at > now - every for p in past):
            return None
    else:
        if any(p.created_at > now - MIN_GAP for p in past):
            return None
        taken = {p.campaign_slot for p in past if p.campaign_slot}
        slot = _due_slot(campaign, dealer, inq.seed, taken, now)
        if slot is None:
            return None
    seed = f"{inq.seed}:{dealer.slug}:{slot.key if slot else f'n{len(past)}'}"
    rng = random.Random(seed)
    shopper = _shopper(settings, dealer.slug, history, rng)
    if shopper is None:
        return None
    moment = _moment(dealer, now)
    if campaign is None:
        scenario = inq.scenarios[len(past) % len(inq.scenarios)]
        if scenario == "after_hours" and moment == "business":
            return None  # it waits for the dealership to close
    else:
        scenario = _scenario(campaign.scenarios, moment, last_scenario, rng)
    vehicle = rng.choice(dealer.vehicles) if dealer.vehicles else None
    return Due(dealer, shopper, scenario, vehicle, moment, seed, slot.key if slot else None)


def due_inquiries(
    settings: Settings,
    history: Sequence[PastInquiry],
    last_scenarios: dict[str, str],
    now: datetime,
) -> list[Due]:
    """Inquiries to queue at ``now``: at most one per dealership.

    Dealerships without a campaign follow ``inquiries.every_days``: due at once when nothing is
    pending and none was created within that many days.
    """
    out = []
    # Picks made in this call count as history, so one run also rotates shoppers.
    history = list(history)
    for dealer in settings.dealerships:
        due = _due_for(settings, dealer, history, last_scenarios.get(dealer.slug), now)
        if due is not None:
            out.append(due)
            history.append(PastInquiry(dealer.slug, due.shopper.name, now, due.slot, True, True))
    return out
