"""Findings worth an alert, derived from the report and recorded once per (inquiry, kind).

- ``auto_only``: the first response was automatic and no person has answered yet;
- ``no_personal``: no personal reply within ``alerts.personal_within_minutes``;
- ``bounced``: the inquiry address bounced;
- ``junk``: a reply landed in the shopper's junk folder (the dealer's mail is being filtered).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from .config import Settings
from .models import Alert, Dealership
from .report import InquiryRow
from .store import session_scope

__all__ = ("Finding", "findings", "record_alerts")


@dataclass(frozen=True, slots=True)
class Finding:
    inquiry_id: int
    dealership: str
    kind: str
    message: str


def findings(rows: Sequence[InquiryRow], settings: Settings, now: datetime) -> list[Finding]:
    """Pure: what the current facts say is wrong, per inquiry."""
    limit = timedelta(minutes=float(settings.alerts.personal_within_minutes))
    names = {d.slug: d.name for d in settings.dealerships}
    out = []
    for r in rows:
        if r.sent_at is None:
            continue
        name = names.get(r.dealership, r.dealership)
        if r.replies.get("bounce") and r.first_response_s is None:
            out.append(
                Finding(
                    r.id,
                    r.dealership,
                    "bounced",
                    f"{name}: the inquiry address bounced (inquiry {r.id})",
                )
            )
        if r.first_response_s is not None and r.first_personal_s is None and r.replies.get("auto"):
            out.append(
                Finding(
                    r.id,
                    r.dealership,
                    "auto_only",
                    f"{name} answered inquiry {r.id} with an automatic reply only",
                )
            )
        if r.replies_in_junk:
            out.append(
                Finding(
                    r.id,
                    r.dealership,
                    "junk",
                    f"{name}: {r.replies_in_junk} repl{'y' if r.replies_in_junk == 1 else 'ies'} "
                    f"to inquiry {r.id} landed in the shopper's junk folder",
                )
            )
        late = (r.first_personal_s is None and now - r.sent_at >= limit) or (
            r.first_personal_s is not None and r.first_personal_s > limit.total_seconds()
        )
        if late:
            out.append(
                Finding(
                    r.id,
                    r.dealership,
                    "no_personal",
                    f"{name}: no person answered inquiry {r.id} within "
                    f"{settings.alerts.personal_within_minutes:g} minutes",
                )
            )
    return out


def record_alerts(engine: Engine, found: Sequence[Finding], now: datetime) -> list[Finding]:
    """Store findings not yet recorded; returns the new ones (to be announced once)."""
    new = []
    with session_scope(engine) as session:
        dealers = {d.slug: d.id for d in session.exec(select(Dealership)).all()}
        # Only the pairs of the inquiries at hand, not every alert ever recorded.
        existing = set(
            session.exec(
                select(Alert.inquiry_id, Alert.kind).where(
                    col(Alert.inquiry_id).in_({f.inquiry_id for f in found})
                )
            ).all()
        )
        for f in found:
            if (f.inquiry_id, f.kind) in existing or f.dealership not in dealers:
                continue
            session.add(
                Alert(
                    inquiry_id=f.inquiry_id,
                    dealership_id=dealers[f.dealership] or 0,
                    kind=f.kind,
                    message=f.message,
                    created_at=now,
                )
            )
            new.append(f)
    return new
