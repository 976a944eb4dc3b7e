"""The receiving side: sync mailboxes into the store, then match and classify what is new.

Syncing and processing are separate steps over the database, so a message is stored (with its
raw bytes) before anything interprets it, and a failure to interpret it loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from .classify import Verdict, classify, reply_fingerprint
from .config import Settings
from .correlate import InquiryRef, match_reply
from .errors import MailboxError
from .mailbox import FolderBatch, FolderState, sync_account
from .models import (
    Dealership,
    Inquiry,
    InquiryState,
    MailboxState,
    ReceivedMessage,
    ShopperAccount,
    utcnow,
)
from .parsing import ParsedMail, parse_mail
from .reply_context import InquiryFacts, context_for, inquiry_facts, seen_fingerprints
from .store import session_scope

__all__ = ("PollSummary", "poll", "process_new", "store_batch")


@dataclass
class PollSummary:
    fetched: int = 0
    stored: int = 0
    processed: int = 0
    errors: list[str] = field(default_factory=list)


def store_batch(engine: Engine, shopper_id: int, batch: FolderBatch) -> int:
    """Store a fetched batch and advance the folder's watermark in one transaction.

    A message already stored for this folder (same UID, or same Message-ID and content after a
    UIDVALIDITY change or a second delivery) is skipped, so nothing is stored twice.
    """
    stored = 0
    with session_scope(engine) as session:
        for fetched in batch.messages:
            mail = parse_mail(fetched.raw)
            if _already_stored(
                session, shopper_id, batch, fetched.uid, mail.message_id, mail.content_hash
            ):
                continue
            session.add(
                ReceivedMessage(
                    shopper_id=shopper_id,
                    folder=batch.folder,
                    junk=batch.junk,
                    uidvalidity=batch.uidvalidity,
                    uid=fetched.uid,
                    message_id=mail.message_id,
                    content_hash=mail.content_hash,
                    size=len(fetched.raw),
                    raw=fetched.raw,
                    received_at=fetched.internal_date,
                    received_header_at=mail.received_header_at,
                    detected_at=fetched.detected_at,
                    from_address=mail.from_address,
                    subject=mail.subject[:998],
                    parse_error=mail.parse_error,
                )
            )
            session.flush()
            stored += 1
        state = session.exec(
            select(MailboxState).where(
                MailboxState.shopper_id == shopper_id, MailboxState.folder == batch.folder
            )
        ).first() or MailboxState(
            shopper_id=shopper_id,
            folder=batch.folder,
            uidvalidity=batch.uidvalidity,
            updated_at=utcnow(),
        )
        state.uidvalidity, state.updated_at = batch.uidvalidity, utcnow()
        state.last_uid = batch.last_uid
        session.add(state)
    return stored


def _already_stored(
    session: Session, shopper_id: int, batch: FolderBatch, uid: int, message_id: str, digest: str
) -> bool:
    same_uid = select(ReceivedMessage.id).where(
        ReceivedMessage.shopper_id == shopper_id,
        ReceivedMessage.folder == batch.folder,
        ReceivedMessage.uidvalidity == batch.uidvalidity,
        ReceivedMessage.uid == uid,
    )
    same_content = select(ReceivedMessage.id).where(
        ReceivedMessage.shopper_id == shopper_id,
        ReceivedMessage.folder == batch.folder,
        ReceivedMessage.message_id == message_id,
        ReceivedMessage.content_hash == digest,
    )
    return (
        session.exec(same_uid).first() is not None or session.exec(same_content).first() is not None
    )


def poll(engine: Engine, settings: Settings) -> PollSummary:
    """One pass over every shopper account, then match and classify what arrived."""
    summary = PollSummary()
    with session_scope(engine) as session:
        accounts = {a.name: a for a in session.exec(select(ShopperAccount)).all()}
        states = {
            (s.shopper_id, s.folder): FolderState(s.uidvalidity, s.last_uid)
            for s in session.exec(select(MailboxState)).all()
        }
    for shopper in settings.shoppers:
        acct_id = accounts[shopper.name].id
        assert acct_id is not None
        mine = {folder: st for (sid, folder), st in states.items() if sid == acct_id}

        def on_batch(batch: FolderBatch, acct_id: int = acct_id) -> None:
            summary.fetched += len(batch.messages)
            summary.stored += store_batch(engine, acct_id, batch)

        try:
            sync_account(shopper, mine, on_batch)
        except MailboxError as exc:
            summary.errors.append(str(exc))
    summary.processed = process_new(engine, settings)
    return summary


def _inquiry_refs(session: Session, settings: Settings) -> list[InquiryRef]:
    window = timedelta(hours=float(settings.inquiries.observation_window_hours))
    refs = []
    rows = session.exec(
        select(Inquiry, Dealership)
        .join(Dealership, col(Dealership.id) == Inquiry.dealership_id)
        .where(col(Inquiry.state).in_([InquiryState.sent.value, InquiryState.unknown.value]))
    ).all()
    known = {d.slug: d for d in settings.dealerships}
    for inquiry, dealer in rows:
        assert inquiry.id is not None
        cfg = known.get(dealer.slug)
        domains = {dealer.inquiry_address.rsplit("@", 1)[1].lower()}
        if cfg:
            domains.update(cfg.sender_domains)
        sent = inquiry.sent_at or inquiry.created_at
        refs.append(
            InquiryRef(
                id=inquiry.id,
                shopper_id=inquiry.shopper_id,
                message_id=inquiry.message_id,
                subject=inquiry.subject,
                domains=frozenset(domains),
                sent_at=sent,
                window_end=sent + window,
            )
        )
    return refs


def process_new(engine: Engine, settings: Settings, *, limit: int = 500) -> int:
    """Match and classify stored messages that have not been processed yet."""
    done = 0
    while True:
        with session_scope(engine) as session:
            refs = _inquiry_refs(session, settings)
            facts: dict[int, InquiryFacts | None] = {}
            rows: Sequence[ReceivedMessage] = session.exec(
                select(ReceivedMessage)
                .where(col(ReceivedMessage.kind).is_(None))
                .order_by(col(ReceivedMessage.id))
                .limit(limit)
            ).all()
            for row in rows:
                _process_one(session, settings, row, refs, utcnow(), facts)
                session.add(row)
                session.flush()  # later rows of this batch see this one's fingerprint
            done += len(rows)
        if len(rows) < limit:
            return done


def _process_one(
    session: Session,
    settings: Settings,
    row: ReceivedMessage,
    refs: Sequence[InquiryRef],
    now: datetime,
    facts: dict[int, InquiryFacts | None],
) -> None:
    mail = parse_mail(row.raw)
    match = match_reply(mail, row.received_at, row.shopper_id, refs, row.raw)
    row.processed_at = now
    if match is None:
        verdict = classify(mail)
        row.kind, row.subkind = "unrelated", None
        row.reasons = ["matched no inquiry", f"looks {verdict.kind}", *verdict.reasons]
        row.confidence = verdict.confidence
        return
    row.inquiry_id, row.match_method, row.match_confidence = (
        match.inquiry_id,
        match.method,
        match.confidence,
    )
    if match.inquiry_id not in facts:
        facts[match.inquiry_id] = inquiry_facts(session, settings, match.inquiry_id)
    verdict = _classify_in_context(session, mail, row, facts[match.inquiry_id])
    row.kind, row.subkind = verdict.kind, verdict.subkind
    row.reasons, row.confidence = list(verdict.reasons), verdict.confidence
    row.body_fingerprint = verdict.fingerprint
    if verdict.quality is not None:
        row.quality_score, row.quality = verdict.quality.score, verdict.quality.as_dict()
    if any(f.rule == "repetition" and f.decisive for f in verdict.findings):
        _mark_earlier_templates(session, row)


def _classify_in_context(
    session: Session, mail: ParsedMail, row: ReceivedMessage, facts: InquiryFacts | None
) -> Verdict:
    if facts is None:
        return classify(mail)
    ctx = context_for(facts, row.received_at)
    fingerprint = reply_fingerprint(mail, ctx)
    if fingerprint is not None:
        same, others = seen_fingerprints(session, fingerprint, facts, row.id)
        ctx = context_for(facts, row.received_at, same, others)
    return classify(mail, ctx)


def _mark_earlier_templates(session: Session, row: ReceivedMessage) -> None:
    """The first copy of a template looked personal until its twin arrived: correct it."""
    earlier = session.exec(
        select(ReceivedMessage).where(
            ReceivedMessage.body_fingerprint == row.body_fingerprint,
            ReceivedMessage.kind == "personal",
            col(ReceivedMessage.id) != row.id,
            col(ReceivedMessage.inquiry_id).is_not(None),
        )
    ).all()
    for other in earlier:
        other.kind, other.subkind = "auto", "crm_template"
        other.reasons = [
            *other.reasons,
            f"repetition: the same wording later answered inquiry {row.inquiry_id} "
            f"(message {row.id}); reclassified as a template",
        ]
        other.quality_score, other.quality = None, None
        session.add(other)
