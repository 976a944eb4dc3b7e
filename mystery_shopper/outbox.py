"""The sending side: decide what is due, write it to the outbox, and send it exactly once.

Outbox states: queued -> sending -> sent | failed | unknown. A row is claimed with a conditional
UPDATE before any network I/O and committed, so a crash mid-send leaves it in ``sending``; once
the claim's lease has run out, a later run turns that into ``unknown`` (it may have gone out)
instead of sending it again. The lease keeps an overlapping run from mislabelling a row that
another run is still sending. A 4xx
reply puts the row back to ``queued`` with ``next_attempt_at`` pushed out by a bounded, jittered
exponential backoff; after ``max_attempts`` it is ``failed``.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import jinja2
from sqlalchemy import or_, update
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from .auth import TOKEN_COMMAND_TIMEOUT, smtp_credentials
from .compose import Composed, compose_inquiry
from .config import Settings, ShopperConfig, SmtpConfig
from .errors import AuthError, ComposeError, SendError
from .models import Dealership, Inquiry, InquiryState, ShopperAccount
from .schedule import Due, PastInquiry, due_inquiries
from .send import Delivery, deliver
from .store import session_scope, sync_rows

__all__ = (
    "MAX_BACKOFF",
    "Planned",
    "SendSummary",
    "backoff",
    "claim_lease",
    "queue_due",
    "send_queued",
    "too_alike",
)

MAX_BACKOFF = timedelta(hours=6)
_PENDING = (InquiryState.queued, InquiryState.sending, InquiryState.unknown)
_VARIANT_TRIES = 50
# Two inquiries of one scenario must differ in at least this many wording choices.
MIN_DIFFERENT_CHOICES = 3


@dataclass(frozen=True, slots=True)
class Planned:
    """An inquiry queued (or, in a dry run, that would be)."""

    inquiry: Inquiry
    composed: Composed
    due: Due


def too_alike(a: str, b: str) -> bool:
    """Whether two phrasings (``scenario:c1.c2...``) would read alike."""
    sa, _, ca = a.partition(":")
    sb, _, cb = b.partition(":")
    if sa != sb:
        return False
    xa, xb = ca.split("."), cb.split(".")
    differ = sum(x != y for x, y in zip(xa, xb, strict=False)) + abs(len(xa) - len(xb))
    return differ < MIN_DIFFERENT_CHOICES


def _history(
    session: Session, settings: Settings, now: datetime
) -> tuple[list[PastInquiry], dict[str, str], dict[str, list[str]]]:
    window = timedelta(hours=float(settings.inquiries.observation_window_hours))
    groups = {d.slug: d.group or d.slug for d in settings.dealerships}
    # Plain SQLAlchemy select: sqlmodel's select() types at most four columns.
    rows = session.execute(
        sa_select(
            col(Dealership.slug),
            col(ShopperAccount.name),
            col(Inquiry.created_at),
            col(Inquiry.campaign_slot),
            col(Inquiry.state),
            col(Inquiry.sent_at),
            col(Inquiry.scenario),
            col(Inquiry.phrasing),
        )
        .select_from(Inquiry)
        .join(Dealership, col(Dealership.id) == Inquiry.dealership_id)
        .join(ShopperAccount, col(ShopperAccount.id) == Inquiry.shopper_id)
        .order_by(col(Inquiry.id))
    ).all()
    history: list[PastInquiry] = []
    last: dict[str, str] = {}
    phrasings: dict[str, list[str]] = {}
    for slug, shopper, created, slot, state, sent_at, scenario, phrasing in rows:
        pending = state in _PENDING
        is_open = pending or (sent_at is not None and sent_at + window > now)
        history.append(PastInquiry(slug, shopper, created, slot, is_open, pending))
        last[slug] = scenario
        if phrasing:
            phrasings.setdefault(groups.get(slug, slug), []).append(phrasing)
    return history, last, phrasings


def _compose_fresh(
    env: jinja2.Environment, due: Due, seen: list[str], now: datetime, typos: bool
) -> Composed:
    for variant in range(_VARIANT_TRIES):
        composed = compose_inquiry(
            env,
            scenario=due.scenario,
            shopper=due.shopper,
            dealership=due.dealership,
            vehicle=due.vehicle,
            now=now,
            seed=due.seed if variant == 0 else f"{due.seed}/v{variant}",
            moment=due.moment,
            typos=typos,
        )
        if not any(too_alike(composed.phrasing, p) for p in seen):
            return composed
    raise ComposeError(
        f"scenario {due.scenario!r}: no wording left that differs from earlier inquiries to "
        f"{due.dealership.group or due.dealership.slug!r}; add variants to the template"
    )


def queue_due(
    engine: Engine,
    settings: Settings,
    env: jinja2.Environment,
    now: datetime,
    *,
    dry_run: bool = False,
) -> list[Planned]:
    """Compose and queue the inquiries the schedule says are due (see schedule.py).

    ``dry_run``: compose them but write nothing.

    :raises ComposeError: when a template cannot be rendered; nothing is queued then.
    """
    planned: list[Planned] = []
    with session_scope(engine) as session:
        if dry_run:
            # A dry run may see a database that has not met this config yet: add its rows in
            # this session only (rolled back below) so new dealerships and shoppers are planned.
            sync_rows(session, settings)
            session.flush()
        history, last, phrasings = _history(session, settings, now)
        ids = {a.name: a.id for a in session.exec(select(ShopperAccount)).all()}
        dealers = {d.slug: d.id for d in session.exec(select(Dealership)).all()}
        for due in due_inquiries(settings, history, last, now):
            seen = phrasings.setdefault(due.dealership.group or due.dealership.slug, [])
            composed = _compose_fresh(env, due, seen, now, settings.inquiries.typos)
            seen.append(composed.phrasing)
            inquiry = Inquiry(
                dealership_id=dealers[due.dealership.slug] or 0,
                shopper_id=ids[due.shopper.name] or 0,
                scenario=due.scenario,
                subject=composed.subject,
                message_id=composed.message_id,
                created_at=now,
                raw=composed.message.as_bytes(),
                campaign_slot=due.slot,
                phrasing=composed.phrasing,
            )
            if not dry_run:
                session.add(inquiry)
            planned.append(Planned(inquiry, composed, due))
        if dry_run:
            session.rollback()
    return planned


@dataclass
class SendSummary:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int, base: timedelta, key: str) -> timedelta:
    """Wait before attempt ``attempts + 1``: base * 2^(attempts-1), capped, half of it jittered.

    The jitter is drawn from ``key`` (the Message-ID) so it is reproducible.
    """
    full = min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF)
    jitter = 0.5 + 0.5 * random.Random(f"{key}:{attempts}").random()
    return timedelta(seconds=full.total_seconds() * jitter)


def claim_lease(smtp: SmtpConfig) -> timedelta:
    """How long a claim on an inquiry may last: every SMTP step at its full timeout, plus
    running a token command. A ``sending`` row older than that belongs to a dead run."""
    steps = 12  # connect, EHLO, STARTTLS, EHLO, AUTH (2), MAIL, RCPT, DATA (2), QUIT, slack
    token = TOKEN_COMMAND_TIMEOUT if smtp.token_command else 0.0
    return timedelta(seconds=steps * float(smtp.timeout) + token)


def _claim(engine: Engine, inquiry_id: int, until: datetime) -> bool:
    with session_scope(engine) as session:
        result = session.exec(
            update(Inquiry)
            .where(col(Inquiry.id) == inquiry_id, col(Inquiry.state) == InquiryState.queued.value)
            .values(
                state=InquiryState.sending.value,
                attempts=Inquiry.attempts + 1,
                claimed_until=until,
            )
        )
        return bool(result.rowcount == 1)


def _recover_interrupted(engine: Engine, now: datetime) -> list[int]:
    # A row left in `sending` past its lease means a run died mid-send: the server may have
    # the message. A row still within its lease may be another run's, sending right now.
    with session_scope(engine) as session:
        rows = session.exec(
            select(Inquiry)
            .where(Inquiry.state == InquiryState.sending)
            .where(or_(col(Inquiry.claimed_until).is_(None), col(Inquiry.claimed_until) <= now))
        ).all()
        for row in rows:
            row.state = InquiryState.unknown
            row.last_error = "interrupted while sending; not resent until reconciled"
            session.add(row)
        return [r.id for r in rows if r.id is not None]


def _due_rows(
    engine: Engine, settings: Settings, now: datetime
) -> Sequence[tuple[Inquiry, Dealership, ShopperAccount]]:
    with session_scope(engine) as session:
        return session.exec(
            select(Inquiry, Dealership, ShopperAccount)
            .join(Dealership, col(Dealership.id) == Inquiry.dealership_id)
            .join(ShopperAccount, col(ShopperAccount.id) == Inquiry.shopper_id)
            .where(Inquiry.state == InquiryState.queued)
            .where(or_(col(Inquiry.next_attempt_at).is_(None), col(Inquiry.next_attempt_at) <= now))
            .order_by(col(Inquiry.id))
            .limit(settings.inquiries.batch_size)
        ).all()


def _hand_over(
    inquiry: Inquiry, address: str, shopper: ShopperConfig, clock: Callable[[], datetime]
) -> Delivery:
    """One SMTP delivery. :raises SendError, AuthError: when nothing was handed over."""
    return asyncio.run(
        deliver(
            inquiry.raw,
            sender=shopper.address,
            recipient=address,
            server=shopper.smtp,
            creds=smtp_credentials(shopper),
            account=shopper.name,
            clock=clock,
        )
    )


def _outcome(
    inquiry: Inquiry, result: Delivery, settings: Settings, now: datetime
) -> tuple[InquiryState, datetime | None]:
    """The state to record, and for a transient refusal when to try again."""
    if result.state != InquiryState.queued:
        return result.state, None
    if inquiry.attempts + 1 >= settings.inquiries.max_attempts:
        return InquiryState.failed, None
    base = timedelta(minutes=float(settings.inquiries.retry_base_minutes))
    return InquiryState.queued, now + backoff(inquiry.attempts + 1, base, inquiry.message_id)


def send_queued(engine: Engine, settings: Settings, clock: Callable[[], datetime]) -> SendSummary:
    """Send queued inquiries whose time has come, at most ``inquiries.batch_size`` of them.

    A login or certificate problem stops that account for the rest of the batch; its inquiry
    goes back to the queue unharmed.
    """
    summary = SendSummary(unknown=_recover_interrupted(engine, clock()))
    known = {s.name for s in settings.shoppers}
    broken: set[str] = set()
    for inquiry, dealer, account in _due_rows(engine, settings, clock()):
        assert inquiry.id is not None
        if account.name not in known or account.name in broken:
            continue
        shopper = settings.shopper(account.name)
        if not _claim(engine, inquiry.id, clock() + claim_lease(shopper.smtp)):
            continue
        try:
            result = _hand_over(inquiry, dealer.inquiry_address, shopper, clock)
        except (SendError, AuthError) as exc:
            # Nothing was handed over: back to the queue, and the attempt does not count.
            _finish(engine, inquiry.id, InquiryState.queued, error=str(exc), attempts=-1)
            summary.errors.append(str(exc))
            broken.add(account.name)
            continue
        state, retry_at = _outcome(inquiry, result, settings, clock())
        _finish(engine, inquiry.id, state, result.sent_at, result.reply, result.error, retry_at)
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
    retry_at: datetime | None = None,
    attempts: int = 0,
) -> None:
    with session_scope(engine) as session:
        row = session.get(Inquiry, inquiry_id)
        assert row is not None
        row.state, row.sent_at, row.smtp_reply, row.last_error = state, sent_at, reply, error
        row.next_attempt_at, row.claimed_until = retry_at, None
        row.attempts += attempts
        if sent_at is not None:
            row.sent_at_source = "smtp"
        session.add(row)
