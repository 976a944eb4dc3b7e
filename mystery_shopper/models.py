"""Database tables (SQLModel). Times are stored as UTC and always come back timezone-aware."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, LargeBinary, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

__all__ = (
    "Alert",
    "Dealership",
    "Inquiry",
    "InquiryState",
    "MailboxState",
    "ReceivedMessage",
    "ShopperAccount",
    "UTCDateTime",
    "utcnow",
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime column that refuses naive values and returns aware UTC ones.

    SQLite keeps no time zone, so values are stored as naive UTC and marked UTC on the way out.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store aware UTC times only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class InquiryState(StrEnum):
    """Outbox states. ``unknown``: the connection broke after DATA, so it may have been sent."""

    queued = "queued"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    unknown = "unknown"


class Dealership(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    name: str
    inquiry_address: str
    timezone: str


class ShopperAccount(SQLModel, table=True):
    __tablename__ = "shopper_account"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    address: str


class Inquiry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    dealership_id: int = Field(foreign_key="dealership.id", index=True)
    shopper_id: int = Field(foreign_key="shopper_account.id", index=True)
    scenario: str
    subject: str
    # Our own Message-ID, written before the first SMTP attempt: the key for matching replies
    # and for reconciling a send whose outcome is unknown.
    message_id: str = Field(unique=True, index=True)
    state: str = Field(default=InquiryState.queued.value, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = 0
    smtp_reply: str | None = None
    last_error: str | None = None
    raw: bytes = Field(sa_type=LargeBinary)
    # A 4xx reply: not retried before this time (bounded, jittered backoff).
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # While ``sending``: the claim's lease; past it, the run that claimed the row is dead.
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The campaign slot this inquiry fills ("<period>#<n>"), so a slot is never queued twice.
    campaign_slot: str | None = Field(default=None, index=True)
    # Where sent_at comes from: "smtp" (the server's acceptance) or "sent_folder" (reconciled
    # from the Sent copy's INTERNALDATE after an unknown outcome).
    sent_at_source: str | None = None
    # No Sent-folder copy is owed any more: written (IMAP APPEND), found there by reconciling,
    # or sent before copies were made.
    saved_to_sent: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # The wording choices of the rendered template: two inquiries to one group never share it.
    phrasing: str | None = None


class ReceivedMessage(SQLModel, table=True):
    """Every message seen in a watched folder, once, with its raw bytes."""

    __tablename__ = "received_message"
    __table_args__ = (
        UniqueConstraint("shopper_id", "folder", "uidvalidity", "uid", name="uq_received_uid"),
        # The same message delivered twice, or seen again under a new UIDVALIDITY, is one row
        # per folder: the database enforces what store_batch checks.
        UniqueConstraint(
            "shopper_id", "folder", "message_id", "content_hash", name="uq_received_content"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    shopper_id: int = Field(foreign_key="shopper_account.id", index=True)
    folder: str
    junk: bool = False
    uidvalidity: int = Field(sa_type=BigInteger)
    uid: int = Field(sa_type=BigInteger)
    message_id: str = Field(index=True)
    content_hash: str
    size: int
    raw: bytes = Field(sa_type=LargeBinary)
    # received_at: the server's INTERNALDATE; the Received: time and our detection are kept beside.
    received_at: datetime = Field(sa_type=UTCDateTime)
    received_header_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The sender's own Date: header (the dealer's clock): evidence only, never a measurement.
    date_header_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    detected_at: datetime = Field(sa_type=UTCDateTime)
    from_address: str = ""
    subject: str = ""
    parse_error: str | None = None
    inquiry_id: int | None = Field(default=None, foreign_key="inquiry.id", index=True)
    match_method: str | None = None
    match_confidence: float | None = None
    # kind is NULL until the message has been matched and classified.
    kind: str | None = Field(default=None, index=True)
    subkind: str | None = None
    confidence: float | None = None
    reasons: list[str] = Field(default_factory=list, sa_type=JSON)
    processed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Hash of the reply's normalised wording: the same text for other inquiries means a template.
    body_fingerprint: str | None = Field(default=None, index=True)
    # Quality rubric of a personal reply (classify.quality): score 0-100 and each check's evidence.
    quality_score: int | None = None
    quality: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class MailboxState(SQLModel, table=True):
    """Where incremental sync of one folder stands: advanced with the messages it covers."""

    __tablename__ = "mailbox_state"
    __table_args__ = (UniqueConstraint("shopper_id", "folder", name="uq_mailbox_folder"),)

    id: int | None = Field(default=None, primary_key=True)
    shopper_id: int = Field(foreign_key="shopper_account.id")
    folder: str
    uidvalidity: int = Field(sa_type=BigInteger)
    last_uid: int = Field(default=0, sa_type=BigInteger)
    # UIDNEXT seen at the last sync: a STATUS answer equal to it means nothing new.
    uidnext: int | None = Field(default=None, sa_type=BigInteger)
    # How often the server changed UIDVALIDITY under us (each change forces a rescan).
    uidvalidity_changes: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    uidvalidity_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Alert(SQLModel, table=True):
    """A finding worth telling someone about; one per (inquiry, kind)."""

    __table_args__ = (UniqueConstraint("inquiry_id", "kind", name="uq_alert_inquiry_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    inquiry_id: int = Field(foreign_key="inquiry.id", index=True)
    dealership_id: int = Field(foreign_key="dealership.id", index=True)
    kind: str
    message: str
    created_at: datetime = Field(sa_type=UTCDateTime)
