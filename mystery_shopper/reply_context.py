"""Build the plain-data context a reply is classified in, from the database.

This is the only place the classifier's inputs are read from the store: the inquiry the reply
answers (when it was sent, by which persona, about which vehicle and scenario, with what text)
and the fingerprints of earlier replies with the same wording.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from .classify import ReplyContext
from .config import Settings
from .models import Dealership, Inquiry, ReceivedMessage, ShopperAccount
from .parsing import body_text, parse_mail

__all__ = ("InquiryFacts", "context_for", "inquiry_facts", "seen_fingerprints")


@dataclass(frozen=True, slots=True)
class InquiryFacts:
    inquiry_id: int
    dealership_id: int
    base: ReplyContext


def inquiry_facts(session: Session, settings: Settings, inquiry_id: int) -> InquiryFacts | None:
    """What the inquiry said and to whom, as a context without received_at or fingerprints."""
    row = session.exec(
        select(Inquiry, ShopperAccount, Dealership)
        .join(ShopperAccount, col(ShopperAccount.id) == Inquiry.shopper_id)
        .join(Dealership, col(Dealership.id) == Inquiry.dealership_id)
        .where(Inquiry.id == inquiry_id)
    ).first()
    if row is None:
        return None
    inquiry, account, dealer = row
    sent = parse_mail(inquiry.raw)
    text = body_text(sent.message, limit=20_000)
    persona = next((s.display_name for s in settings.shoppers if s.name == account.name), "")
    vehicles = [
        v.description for d in settings.dealerships if d.slug == dealer.slug for v in d.vehicles
    ]
    vehicle = next((v for v in vehicles if v in inquiry.subject or v in text), "")
    base = ReplyContext(
        sent_at=inquiry.sent_at,
        persona_name=persona or sent.from_name,
        shopper_address=account.address,
        vehicle=vehicle,
        scenario=inquiry.scenario,
        inquiry_text=text,
    )
    return InquiryFacts(inquiry_id, inquiry.dealership_id, base)


def seen_fingerprints(
    session: Session, fingerprint: str, facts: InquiryFacts, exclude_id: int | None
) -> tuple[frozenset[str], dict[str, int]]:
    """Whether this wording already answered another inquiry, here or at other dealerships."""
    rows = session.exec(
        select(Inquiry.dealership_id)
        .join(ReceivedMessage, col(ReceivedMessage.inquiry_id) == Inquiry.id)
        .where(
            ReceivedMessage.body_fingerprint == fingerprint,
            col(ReceivedMessage.inquiry_id) != facts.inquiry_id,
            col(ReceivedMessage.id) != (exclude_id or -1),
        )
    ).all()
    dealers = set(rows)
    same = frozenset({fingerprint}) if facts.dealership_id in dealers else frozenset()
    others = len(dealers - {facts.dealership_id})
    return same, ({fingerprint: others} if others else {})


def context_for(
    facts: InquiryFacts,
    received_at: datetime,
    same: frozenset[str] = frozenset(),
    others: dict[str, int] | None = None,
) -> ReplyContext:
    return dataclasses.replace(
        facts.base,
        received_at=received_at,
        same_dealer_fingerprints=same,
        other_dealer_fingerprints=others or {},
    )
