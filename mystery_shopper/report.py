"""Response-time reports: load the facts, aggregate them (pure), render them."""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from .config import Settings
from .models import Dealership, Inquiry, InquiryState, ReceivedMessage, ShopperAccount
from .store import session_scope, unloaded
from .timing import BusinessCalendar, ReplyFact, time_inquiry

__all__ = (
    "DealershipSummary",
    "InquiryRow",
    "Report",
    "aggregate",
    "build_report",
    "render_json",
    "render_table",
)

OUTCOMES = ("personal", "auto_only", "no_response", "bounced", "open")


@dataclass(frozen=True, slots=True)
class InquiryRow:
    id: int
    dealership: str
    shopper: str
    scenario: str
    state: str
    sent_at: datetime | None
    outcome: str | None
    first_response_s: float | None
    first_personal_s: float | None
    first_response_business_s: float | None
    first_personal_business_s: float | None
    replies: dict[str, int]
    replies_in_junk: int
    # Quality rubric of the first personal reply (score, version, each check with evidence).
    first_personal_quality: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class DealershipSummary:
    dealership: str
    name: str
    inquiries: int
    outcomes: dict[str, int]
    median_first_response_s: float | None
    median_first_personal_s: float | None
    median_first_personal_business_s: float | None


@dataclass(frozen=True, slots=True)
class Report:
    as_of: datetime
    dealerships: list[DealershipSummary] = field(default_factory=list)
    inquiries: list[InquiryRow] = field(default_factory=list)


def _median(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def aggregate(rows: Sequence[InquiryRow], names: dict[str, str]) -> list[DealershipSummary]:
    """Per-dealership figures from per-inquiry rows (sent inquiries only)."""
    by_dealer: dict[str, list[InquiryRow]] = defaultdict(list)
    for row in rows:
        if row.outcome is not None:
            by_dealer[row.dealership].append(row)
    out = []
    for slug in sorted(names):
        mine = by_dealer.get(slug, [])
        counts = Counter(r.outcome for r in mine)
        out.append(
            DealershipSummary(
                dealership=slug,
                name=names[slug],
                inquiries=len(mine),
                outcomes={o: counts.get(o, 0) for o in OUTCOMES},
                median_first_response_s=_median([r.first_response_s for r in mine]),
                median_first_personal_s=_median([r.first_personal_s for r in mine]),
                median_first_personal_business_s=_median(
                    [r.first_personal_business_s for r in mine]
                ),
            )
        )
    return out


def build_report(engine: Engine, settings: Settings, now: datetime) -> Report:
    """Time every inquiry in the database as of ``now`` and aggregate per dealership."""
    with session_scope(engine) as session:
        inquiries = session.exec(
            select(Inquiry, Dealership, ShopperAccount)
            .join(Dealership, col(Dealership.id) == Inquiry.dealership_id)
            .join(ShopperAccount, col(ShopperAccount.id) == Inquiry.shopper_id)
            .order_by(col(Inquiry.id))
            .options(unloaded(Inquiry.raw))
        ).all()
        replies = session.exec(
            select(ReceivedMessage)
            .where(col(ReceivedMessage.inquiry_id).is_not(None))
            .options(unloaded(ReceivedMessage.raw))
        ).all()
        names = {d.slug: d.name for d in session.exec(select(Dealership)).all()}
    by_inquiry = _replies_by_inquiry(replies)
    calendars = {
        d.slug: BusinessCalendar(d.zone, d.hours, d.holidays) for d in settings.dealerships
    }
    window = timedelta(hours=float(settings.inquiries.observation_window_hours))
    rows = [
        _inquiry_row(
            inquiry,
            dealer.slug,
            account.name,
            by_inquiry[inquiry.id],
            # A dealership no longer in the config has no known opening hours.
            calendar=calendars.get(dealer.slug),
            window=window,
            now=now,
        )
        for inquiry, dealer, account in inquiries
        if inquiry.id is not None
    ]
    return Report(as_of=now, dealerships=aggregate(rows, names), inquiries=rows)


def _replies_by_inquiry(
    replies: Sequence[ReceivedMessage],
) -> dict[int | None, list[ReceivedMessage]]:
    """Each inquiry's replies, a message in INBOX and Junk (or delivered twice) counted once:
    the earliest copy is kept."""
    earliest: dict[tuple[int | None, str, str], ReceivedMessage] = {}
    for r in replies:
        key = (r.inquiry_id, r.message_id, r.content_hash)
        seen = earliest.get(key)
        if seen is None or r.received_at < seen.received_at:
            earliest[key] = r
    out: dict[int | None, list[ReceivedMessage]] = defaultdict(list)
    for r in earliest.values():
        out[r.inquiry_id].append(r)
    return out


def _inquiry_row(
    inquiry: Inquiry,
    slug: str,
    shopper: str,
    mine: Sequence[ReceivedMessage],
    *,
    calendar: BusinessCalendar | None,
    window: timedelta,
    now: datetime,
) -> InquiryRow:
    assert inquiry.id is not None
    timing = None
    if inquiry.state == InquiryState.sent and inquiry.sent_at is not None:
        facts = [ReplyFact(r.received_at, r.kind or "") for r in mine]
        timing = time_inquiry(inquiry.sent_at, facts, window=window, calendar=calendar, now=now)
    return InquiryRow(
        id=inquiry.id,
        dealership=slug,
        shopper=shopper,
        scenario=inquiry.scenario,
        state=inquiry.state,
        sent_at=inquiry.sent_at,
        outcome=timing.outcome if timing else None,
        first_response_s=timing.first_response_s if timing else None,
        first_personal_s=timing.first_personal_s if timing else None,
        first_response_business_s=timing.first_response_business_s if timing else None,
        first_personal_business_s=timing.first_personal_business_s if timing else None,
        replies=dict(Counter(r.kind or "" for r in mine)),
        replies_in_junk=sum(1 for r in mine if r.junk),
        first_personal_quality=_first_personal_quality(mine),
    )


def _first_personal_quality(replies: Sequence[ReceivedMessage]) -> dict[str, Any] | None:
    personal = [r for r in replies if r.kind == "personal"]
    if not personal:
        return None
    return min(personal, key=lambda r: r.received_at).quality


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def render_json(report: Report) -> str:
    return json.dumps(asdict(report), default=_json_default, indent=2)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(round(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m {s % 60:02d}s"
    return f"{s // 3600}h {s % 3600 // 60:02d}m"


def render_table(report: Report, console: Console) -> None:
    summary = Table(title=f"Dealerships as of {report.as_of:%Y-%m-%d %H:%M} UTC")
    for heading in ("dealership", "inquiries", *OUTCOMES, "median first", "median personal"):
        summary.add_column(heading)
    for d in report.dealerships:
        summary.add_row(
            Text(d.name),
            str(d.inquiries),
            *(str(d.outcomes[o]) for o in OUTCOMES),
            _duration(d.median_first_response_s),
            _duration(d.median_first_personal_s),
        )
    console.print(summary)
    detail = Table(title="Inquiries")
    for heading in (
        "id",
        "dealership",
        "shopper",
        "scenario",
        "sent",
        "outcome",
        "first",
        "personal",
        "personal (business)",
    ):
        detail.add_column(heading)
    for r in report.inquiries:
        detail.add_row(
            str(r.id),
            Text(r.dealership),
            Text(r.shopper),
            Text(r.scenario),
            f"{r.sent_at:%Y-%m-%d %H:%M:%S}" if r.sent_at else r.state,
            r.outcome or r.state,
            _duration(r.first_response_s),
            _duration(r.first_personal_s),
            _duration(r.first_personal_business_s),
        )
    console.print(detail)
