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
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .parsing import ParsedMail

__all__ = ("InquiryIndex", "InquiryRef", "Match", "match_reply", "normalise_subject")

# INTERNALDATE has 1-second resolution and comes from another clock than sent_at: a machine's
# reply in the same second can look a fraction of a second older than the inquiry.
CLOCK_SLACK = timedelta(seconds=2)
# Anything shaped like a Message-ID, to look quoted ones up instead of searching for each of ours.
_ANGLE_TOKEN = re.compile(rb"<[^<>\s]{1,250}>")
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


class InquiryIndex:
    """The inquiries a batch of messages is matched against, indexed once.

    Matching by Message-ID is a dictionary lookup rather than a scan, so its cost does not grow
    with the number of inquiries ever sent (a dealer group keeps every one of them).
    """

    def __init__(self, refs: Sequence[InquiryRef]):
        self.refs = refs
        self.by_message_id: dict[str, InquiryRef] = {}
        self.by_shopper: dict[int, list[InquiryRef]] = defaultdict(list)
        for ref in refs:
            # The first of two equal Message-IDs wins, as a scan in id order would find it.
            self.by_message_id.setdefault(ref.message_id.lower(), ref)
            self.by_shopper[ref.shopper_id].append(ref)

    def first_referenced(self, ids: set[str]) -> InquiryRef | None:
        found = [self.by_message_id[i] for i in ids if i in self.by_message_id]
        return min(found, key=self.refs.index) if len(found) > 1 else next(iter(found), None)


def match_reply(
    mail: ParsedMail,
    received_at: datetime,
    shopper_id: int,
    inquiries: Sequence[InquiryRef] | InquiryIndex,
    raw: bytes = b"",
) -> Match | None:
    """Find the inquiry ``mail`` answers among the shopper's sent ``inquiries``."""
    index = inquiries if isinstance(inquiries, InquiryIndex) else InquiryIndex(inquiries)
    inq = index.first_referenced(set(mail.in_reply_to) | set(mail.references))
    if inq is not None:
        return Match(inq.id, "message_id", 1.0)
    quoted = {t.decode("ascii", "replace") for t in _ANGLE_TOKEN.findall(raw.lower())}
    inq = index.first_referenced(
        {q for q in quoted if (r := index.by_message_id.get(q)) and r.shopper_id == shopper_id}
    )
    if inq is not None:
        return Match(inq.id, "quoted_message_id", 0.95)
    # Only inquiries of this shopper, sent before the reply and still in their window.
    live = [
        i
        for i in index.by_shopper.get(shopper_id, ())
        if i.sent_at - CLOCK_SLACK <= received_at <= i.window_end
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
