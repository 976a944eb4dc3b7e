"""The sending side: decide what is due, write it to the outbox, and send it exactly once.

Outbox states: queued -> sending -> sent | failed | unknown. A row is claimed with a conditional
UPDATE before any network I/O and committed, so a crash mid-send leaves it in ``sending``; the
next run turns that into ``unknown`` (it may have gone out) instead of sending it again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import jinja2
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from .compose import compose_inquiry
from .config import Settings, password
from .errors import SendError
from .models import Dealership, Inquiry, InquiryState, ShopperAccount
from .send import deliver
from .store import session_scope

__all__ = ("SendSummary", "queue_due", "send_queued")

MAX_ATTEMPTS = 5
_PENDING = (InquiryState.queued, InquiryState.sending, InquiryState.unknown)


def queue_due(
    engine: Engine, settings: Settings, env: jinja2.Environment, now: datetime
) -> list[Inquiry]:
    """Compose and queue one inquiry for every dealership that is due one.

    Due: no inquiry pending, and none created within ``inquiries.every_days``. The shopper is one
    with no open inquiry to that dealership (one open per pair keeps replies matchable), least
    used first.
    """
    window = timedelta(hours=float(settings.inquiries.observation_window_hours))
    every = timedelta(days=float(settings.inquiries.every_days))
    queued: list[Inquiry] = []
    with session_scope(engine) as session:
        accounts = {a.name: a for a in session.exec(select(ShopperAccount)).all()}
        for dcfg in settings.dealerships:
            dealer = session.exec(select(Dealership).where(Dealership.slug == dcfg.slug)).one()
            past = session.exec(select(Inquiry).where(Inquiry.dealership_id == dealer.id)).all()
            if any(i.state in _PENDING or i.created_at > now - every for i in past):
                continue
            busy = {
                i.shopper_id
                for i in past
                if i.state in _PENDING or (i.sent_at and i.sent_at + window > now)
            }
            free = [s for s in settings.shoppers if accounts[s.name].id not in busy]
            if not free:
                continue
            used = {s.name: 0 for s in free}
            for row in session.exec(select(Inquiry.shopper_id)).all():
                for s in free:
                    used[s.name] += accounts[s.name].id == row
            shopper = min(free, key=lambda s: used[s.name])
            n = len(past)
            scenario = settings.inquiries.scenarios[n % len(settings.inquiries.scenarios)]
            vehicle = dcfg.vehicles[n % len(dcfg.vehicles)] if dcfg.vehicles else None
            composed = compose_inquiry(
                env, scenario=scenario, shopper=shopper, dealership=dcfg, vehicle=vehicle, now=now
            )
            assert dealer.id is not None
            inquiry = Inquiry(
                dealership_id=dealer.id,
                shopper_id=accounts[shopper.name].id or 0,
                scenario=scenario,
                subject=composed.subject,
                message_id=composed.message_id,
                created_at=now,
                raw=composed.message.as_bytes(),
            )
            session.add(inquiry)
            queued.append(inquiry)
    return queued


@dataclass
class SendSummary:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _claim(engine: Engine, inquiry_id: int) -> bool:
    with session_scope(engine) as session:
        result = session.exec(
            update(Inquiry)
            .where(col(Inquiry.id) == inquiry_id, col(Inquiry.state) == InquiryState.queued.value)
            .values(state=InquiryState.sending.value, attempts=Inquiry.attempts + 1)
        )
        return bool(result.rowcount == 1)


def _recover_interrupted(engine: Engine) -> list[int]:
    # A row left in `sending` means a run died mid-send: the server may have the message.
    with session_scope(engine) as session:
        rows = session.exec(select(Inquiry).where(Inquiry.state == InquiryState.sending)).all()
        for row in rows:
            row.state = InquiryState.unknown
            row.last_error = "interrupted while sending; not resent until reconciled"
            session.add(row)
        return [r.id for r in rows if r.id is not None]


def send_queued(engine: Engine, settings: Settings, clock: Callable[[], datetime]) -> SendSummary:
    """Send queued inquiries, at most ``inquiries.batch_size`` of them."""
    summary = SendSummary(unknown=_recover_interrupted(engine))
    with session_scope(engine) as session:
        rows = session.exec(
            select(Inquiry, Dealership, ShopperAccount)
            .join(Dealership, col(Dealership.id) == Inquiry.dealership_id)
            .join(ShopperAccount, col(ShopperAccount.id) == Inquiry.shopper_id)
            .where(Inquiry.state == InquiryState.queued)
            .order_by(col(Inquiry.id))
            .limit(settings.inquiries.batch_size)
        ).all()
    known = {s.name for s in settings.shoppers}
    for inquiry, dealer, account in rows:
        assert inquiry.id is not None
        if account.name not in known or not _claim(engine, inquiry.id):
            continue
        shopper = settings.shopper(account.name)
        try:
            result = asyncio.run(
                deliver(
                    inquiry.raw,
                    sender=shopper.address,
                    recipient=dealer.inquiry_address,
                    server=shopper.smtp,
                    username=shopper.smtp.username or shopper.address,
                    password=password(shopper.smtp),
                    account=shopper.name,
                    clock=clock,
                )
            )
        except SendError as exc:
            _finish(engine, inquiry.id, InquiryState.queued, error=str(exc))
            summary.errors.append(str(exc))
            continue
        state = result.state
        if state == InquiryState.queued and inquiry.attempts + 1 >= MAX_ATTEMPTS:
            state = InquiryState.failed
        _finish(engine, inquiry.id, state, result.sent_at, result.reply, result.error)
        bucket = {
            InquiryState.sent: summary.sent,
            InquiryState.failed: summary.failed,
            InquiryState.unknown: summary.unknown,
            InquiryState.queued: summary.retry,
        }[state]
        bucket.append(inquiry.id)
    return summary


def _finish(
    engine: Engine,
    inquiry_id: int,
    state: InquiryState,
    sent_at: datetime | None = None,
    reply: str | None = None,
    error: str | None = None,
) -> None:
    with session_scope(engine) as session:
        row = session.get(Inquiry, inquiry_id)
        assert row is not None
        row.state, row.sent_at, row.smtp_reply, row.last_error = state, sent_at, reply, error
        session.add(row)
