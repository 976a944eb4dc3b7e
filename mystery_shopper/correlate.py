"""Match a received message to the inquiry it answers (pure logic, no I/O).

A ladder, tried in order; the rung that matched is recorded with its confidence:

1. ``message_id`` -- our inquiry's Message-ID is in In-Reply-To or References (1.0);
   ``quoted_message_id`` -- our Message-ID appears in the body, as in a bounce that returns the
   original headers (0.95);
2. ``sender_domain`` -- the sender's domain is the dealership's (its inquiry address or a known
   sender domain) and that shopper has an inquiry open to it (0.8). The rule of one open inquiry
   per (shopper, dealership) makes this unambiguous even when a CRM drops In-Reply-To;
3. ``subject`` -- the normalised subject equals the inquiry's, within its window (0.5).

No rung matched: the message is ``unrelated`` (stored, never dropped).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .parsing import ParsedMail

__all__ = ("InquiryRef", "Match", "match_reply", "normalise_subject")

# INTERNALDATE has 1-second resolution and comes from another clock than sent_at: a machine's
# reply in the same second can look a fraction of a second older than the inquiry.
CLOCK_SLACK = timedelta(seconds=2)
_PREFIX = re.compile(r"^\s*((re|aw|sv|vs|antw|fwd?|wg|tr|rv)\s*(\[\d+\])?\s*:\s*)+", re.I)


@dataclass(frozen=True, slots=True)
class InquiryRef:
    id: int
    shopper_id: int
    message_id: str
    subject: str
    domains: frozenset[str]
    sent_at: datetime
    window_end: datetime


@dataclass(frozen=True, slots=True)
class Match:
    inquiry_id: int
    method: str
    confidence: float


def normalise_subject(subject: str) -> str:
    return " ".join(_PREFIX.sub("", subject).lower().split())


def _domain_matches(domain: str, known: frozenset[str]) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in known)


def match_reply(
    mail: ParsedMail,
    received_at: datetime,
    shopper_id: int,
    inquiries: Sequence[InquiryRef],
    raw: bytes = b"",
) -> Match | None:
    """Find the inquiry ``mail`` answers among the shopper's sent ``inquiries``."""
    referenced = set(mail.in_reply_to) | set(mail.references)
    for inq in inquiries:
        if inq.message_id.lower() in referenced:
            return Match(inq.id, "message_id", 1.0)
    lowered = raw.lower()
    for inq in inquiries:
        if inq.shopper_id == shopper_id and inq.message_id.lower().encode() in lowered:
            return Match(inq.id, "quoted_message_id", 0.95)
    # Only inquiries of this shopper, sent before the reply and still in their window.
    live = [
        i
        for i in inquiries
        if i.shopper_id == shopper_id and i.sent_at - CLOCK_SLACK <= received_at <= i.window_end
    ]
    domain = mail.from_address.rpartition("@")[2]
    if domain:
        by_domain = [i for i in live if _domain_matches(domain, i.domains)]
        if by_domain:
            latest = max(by_domain, key=lambda i: i.sent_at)
            return Match(latest.id, "sender_domain", 0.8)
    subject = normalise_subject(mail.subject)
    if subject:
        by_subject = [i for i in live if normalise_subject(i.subject) == subject]
        if by_subject:
            return Match(max(by_subject, key=lambda i: i.sent_at).id, "subject", 0.5)
    return None
