"""The receiving side: sync mailboxes into the store, then match and classify what is new.

Syncing and processing are separate steps over the database, so a message is stored (with its
raw bytes) before anything interprets it, and a failure to interpret it loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from .classify import Verdict, classify, reply_fingerprint
from .config import Settings
from .correlate import InquiryIndex, InquiryRef, match_reply
from .errors import MailboxError, StoreError
from .mailbox import FetchedMessage, FolderBatch, FolderState, sync_account
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
from .store import session_scope, unloaded

__all__ = (
    "PollSummary",
    "account_ids",
    "load_states",
    "poll",
    "process_new",
    "store_batch",
    "uidvalidity_warning",
)

log = logging.getLogger(__name__)

# This many UIDVALIDITY changes of one folder make the warning say the server is flapping.
UIDVALIDITY_FLAPPING = 5


@dataclass
class PollSummary:
    fetched: int = 0
    stored: int = 0
    processed: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def store_batch(engine: Engine, shopper_id: int, batch: FolderBatch) -> int:
    """Store a fetched batch and advance the folder's watermark in one transaction.

    A message already stored for this folder (same UID, or same Message-ID and content after a
    UIDVALIDITY change or a second delivery) is skipped, so nothing is stored twice. A
    UIDVALIDITY change is counted on the folder's state.

    :raises StoreError: when the database refuses the batch; nothing of it was written.
    """
    try:
        return _store_batch(engine, shopper_id, batch)
    except SQLAlchemyError as exc:
        # E.g. another process stored the same message a moment ago (the unique constraints):
        # nothing was written, the watermark did not move, the next sync repeats the batch.
        raise StoreError(
            f"cannot store messages of folder {batch.folder!r} (will be retried): {exc}"
        ) from exc


def _store_batch(engine: Engine, shopper_id: int, batch: FolderBatch) -> int:
    stored = 0
    with session_scope(engine) as session:
        parsed = [(fetched, parse_mail(fetched.raw)) for fetched in batch.messages]
        seen_uids, seen_content = _already_stored(session, shopper_id, batch, parsed)
        for fetched, mail in parsed:
            content = (mail.message_id, mail.content_hash)
            if fetched.uid in seen_uids or content in seen_content:
                continue
            seen_uids.add(fetched.uid)
            seen_content.add(content)
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
                    # DESIGN: INTERNALDATE, else the top Received: time; never the poll time,
                    # unless the message offers no server time at all.
                    received_at=fetched.internal_date
                    or mail.received_header_at
                    or fetched.detected_at,
                    received_header_at=mail.received_header_at,
                    date_header_at=mail.date_header_at,
                    detected_at=fetched.detected_at,
                    from_address=mail.from_address[:998],
                    subject=mail.subject[:998],
                    parse_error=mail.parse_error,
                )
            )
            stored += 1
        _advance(session, shopper_id, batch)
    return stored


def _folder_state(session: Session, shopper_id: int, folder: str) -> MailboxState | None:
    return session.exec(
        select(MailboxState).where(
            MailboxState.shopper_id == shopper_id, MailboxState.folder == folder
        )
    ).first()


def _advance(session: Session, shopper_id: int, batch: FolderBatch) -> None:
    """Move the folder's watermark past the batch (in the batch's transaction)."""
    state = _folder_state(session, shopper_id, batch.folder) or MailboxState(
        shopper_id=shopper_id,
        folder=batch.folder,
        uidvalidity=batch.uidvalidity,
        updated_at=utcnow(),
    )
    now = utcnow()
    if batch.uidvalidity_changed:
        state.uidvalidity_changes += 1
        state.uidvalidity_changed_at = now
        # The old UIDNEXT belongs to the old UID space.
        state.uidnext = None
    state.uidvalidity, state.updated_at = batch.uidvalidity, now
    state.last_uid = batch.last_uid
    if batch.uidnext is not None:
        state.uidnext = batch.uidnext
    session.add(state)


def _already_stored(
    session: Session,
    shopper_id: int,
    batch: FolderBatch,
    parsed: Sequence[tuple[FetchedMessage, ParsedMail]],
) -> tuple[set[int], set[tuple[str, str]]]:
    """UIDs (under this UIDVALIDITY) and (Message-ID, content hash) pairs this folder already
    holds, among the batch's: two queries per batch, not per message."""
    mine = (ReceivedMessage.shopper_id == shopper_id, ReceivedMessage.folder == batch.folder)
    uids = session.exec(
        select(ReceivedMessage.uid).where(
            *mine,
            ReceivedMessage.uidvalidity == batch.uidvalidity,
            col(ReceivedMessage.uid).in_([f.uid for f, _ in parsed]),
        )
    ).all()
    pairs = session.exec(
        select(ReceivedMessage.message_id, ReceivedMessage.content_hash).where(
            *mine, col(ReceivedMessage.message_id).in_({m.message_id for _, m in parsed})
        )
    ).all()
    return set(uids), {(mid, digest) for mid, digest in pairs}


def load_states(engine: Engine, shopper_id: int) -> dict[str, FolderState]:
    """The stored sync position of each of the shopper's folders, by folder name."""
    with session_scope(engine) as session:
        rows = session.exec(select(MailboxState).where(MailboxState.shopper_id == shopper_id)).all()
        return {s.folder: FolderState(s.uidvalidity, s.last_uid, s.uidnext) for s in rows}


def account_ids(engine: Engine) -> dict[str, int]:
    """Shopper account name -> database id (accounts come from the config via sync_config)."""
    with session_scope(engine) as session:
        return {a.name: a.id for a in session.exec(select(ShopperAccount)).all() if a.id}


def uidvalidity_warning(engine: Engine, shopper_id: int, shopper: str, batch: FolderBatch) -> str:
    """A line for the operator; it says so when the value keeps changing (Nylas gives up after
    5 resyncs in a row): then the server's UIDs cannot be trusted and the account needs a look."""
    with session_scope(engine) as session:
        state = _folder_state(session, shopper_id, batch.folder)
    changes = state.uidvalidity_changes if state else 1
    text = (
        f"shopper {shopper!r}: folder {batch.folder!r} changed UIDVALIDITY to "
        f"{batch.uidvalidity} ({changes} change{'s' if changes != 1 else ''} so far); rescanned "
        "it, and messages already stored were not stored again"
    )
    if changes >= UIDVALIDITY_FLAPPING:
        text += "; it keeps changing: check the account, its UIDs cannot be trusted"
    return text


def poll(engine: Engine, settings: Settings) -> PollSummary:
    """One pass over every shopper account, then match and classify what arrived."""
    summary = PollSummary()
    ids = account_ids(engine)
    for shopper in settings.shoppers:
        acct_id = ids[shopper.name]

        def on_batch(batch: FolderBatch, acct_id: int = acct_id, name: str = shopper.name) -> None:
            summary.fetched += len(batch.messages)
            summary.stored += store_batch(engine, acct_id, batch)
            if batch.uidvalidity_changed:
                summary.warnings.append(uidvalidity_warning(engine, acct_id, name, batch))

        try:
            sync_account(shopper, load_states(engine, acct_id), on_batch)
        except (MailboxError, StoreError) as exc:
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
        .options(unloaded(Inquiry.raw))
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
    # Inquiries do not change while replies are processed: read them once, not per batch.
    with session_scope(engine) as session:
        refs = InquiryIndex(_inquiry_refs(session, settings))
    facts: dict[int, InquiryFacts | None] = {}
    while True:
        with session_scope(engine) as session:
            rows: Sequence[ReceivedMessage] = session.exec(
                select(ReceivedMessage)
                .where(col(ReceivedMessage.kind).is_(None))
                .order_by(col(ReceivedMessage.id))
                .limit(limit)
            ).all()
            for row in rows:
                try:
                    _process_one(session, settings, row, refs, utcnow(), facts)
                except Exception as exc:  # a poison message must not block every later one
                    log.exception("message %s could not be matched or classified", row.id)
                    _park(row, exc, utcnow())
                session.add(row)
                session.flush()  # later rows of this batch see this one's fingerprint
            done += len(rows)
        if len(rows) < limit:
            return done


def _park(row: ReceivedMessage, exc: Exception, now: datetime) -> None:
    """Keep a message that crashed matching or classification, marked for a person to review."""
    row.processed_at = now
    row.kind, row.subkind, row.confidence = "needs_review", None, 0.0
    row.reasons = [f"processing failed: {type(exc).__name__}: {exc}"[:500]]


def _process_one(
    session: Session,
    settings: Settings,
    row: ReceivedMessage,
    refs: InquiryIndex,
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
