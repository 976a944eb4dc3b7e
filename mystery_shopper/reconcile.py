"""After sending: file copies in the Sent folders, and settle sends whose outcome is unknown.

An ``unknown`` inquiry (the connection broke after DATA, or a run died while sending) is never
resent automatically: the dealership may already have it, and a second copy would give the shop
away. Instead its Message-ID is looked for in the shopper's Sent folder, where providers such as
Gmail and Microsoft 365 file every message their SMTP server accepted. Found: it was sent, and
``sent_at`` is the copy's INTERNALDATE (the provider's clock; ``sent_at_source`` says so). Not
found after ``reconcile_grace_hours``: it is reported as unresolved, for a person to decide.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from .config import Settings
from .errors import MysteryShopperError
from .models import Inquiry, InquiryState, ShopperAccount
from .sentbox import find_in_sent, save_copies
from .store import session_scope

__all__ = ("ReconcileSummary", "reconcile_unknown", "save_sent_copies")


@dataclass
class ReconcileSummary:
    found: list[int] = field(default_factory=list)
    unresolved: list[int] = field(default_factory=list)
    copied: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _rows(engine: Engine, *where: object) -> list[tuple[Inquiry, str]]:
    with session_scope(engine) as session:
        return [
            (inq, name)
            for inq, name in session.exec(
                select(Inquiry, ShopperAccount.name)
                .join(ShopperAccount, col(ShopperAccount.id) == Inquiry.shopper_id)
                .where(*where)  # type: ignore[arg-type]
                .order_by(col(Inquiry.id))
            ).all()
        ]


def reconcile_unknown(engine: Engine, settings: Settings, now: datetime) -> ReconcileSummary:
    """Look for every ``unknown`` inquiry in its shopper's Sent folder (one login per shopper)."""
    summary = ReconcileSummary()
    grace = timedelta(hours=float(settings.inquiries.reconcile_grace_hours))
    by_shopper: dict[str, list[Inquiry]] = defaultdict(list)
    for inq, name in _rows(engine, Inquiry.state == InquiryState.unknown):
        by_shopper[name].append(inq)
    known = {s.name for s in settings.shoppers}
    for name, inquiries in by_shopper.items():
        if name not in known:
            continue
        try:
            found = find_in_sent(settings.shopper(name), [i.message_id for i in inquiries])
        except MysteryShopperError as exc:
            summary.errors.append(str(exc))
            found = {}
        with session_scope(engine) as session:
            for inq in inquiries:
                assert inq.id is not None
                when = found.get(inq.message_id)
                if when is None:
                    if inq.created_at + grace <= now:
                        summary.unresolved.append(inq.id)
                    continue
                row = session.get(Inquiry, inq.id)
                if row is None or row.state != InquiryState.unknown:
                    continue
                row.state, row.sent_at, row.sent_at_source = InquiryState.sent, when, "sent_folder"
                row.saved_to_sent = True
                row.last_error = "outcome was unknown; found in the Sent folder"
                session.add(row)
                summary.found.append(inq.id)
    return summary


def save_sent_copies(engine: Engine, settings: Settings) -> ReconcileSummary:
    """File every sent inquiry not yet copied into its shopper's Sent folder (``save_to_sent``),
    over one IMAP login per shopper.

    Copies that fail are retried on the next run; one failure stops that shopper for this run.
    """
    summary = ReconcileSummary()
    wanted = {s.name for s in settings.shoppers if s.save_to_sent}
    by_shopper: dict[str, dict[str, tuple[int, bytes, datetime]]] = defaultdict(dict)
    pending = _rows(
        engine, Inquiry.state == InquiryState.sent, col(Inquiry.saved_to_sent).is_(False)
    )
    for inq, name in pending:
        if name in wanted and inq.sent_at is not None and inq.id is not None:
            by_shopper[name][inq.message_id] = (inq.id, inq.raw, inq.sent_at)
    for name, owed in by_shopper.items():
        copies = [(raw, mid, when) for mid, (_, raw, when) in owed.items()]
        try:
            for mid in save_copies(settings.shopper(name), copies):
                inquiry_id = owed[mid][0]
                _mark_saved(engine, inquiry_id)
                summary.copied.append(inquiry_id)
        except MysteryShopperError as exc:
            summary.errors.append(str(exc))
    return summary


def _mark_saved(engine: Engine, inquiry_id: int) -> None:
    with session_scope(engine) as session:
        row = session.get(Inquiry, inquiry_id)
        if row is not None:
            row.saved_to_sent = True
            session.add(row)
