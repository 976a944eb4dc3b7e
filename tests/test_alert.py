from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpers import write_config
from sqlmodel import Session, select

from mystery_shopper.alert import Finding, findings, record_alerts
from mystery_shopper.config import load_settings
from mystery_shopper.models import Alert, Dealership, Inquiry, ShopperAccount
from mystery_shopper.report import InquiryRow, aggregate
from mystery_shopper.store import open_engine, sync_config

SENT = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)


def row(n: int, first_s: float | None, personal_s: float | None, **replies: int) -> InquiryRow:
    return InquiryRow(
        id=n,
        dealership="acme",
        shopper="alex",
        scenario="price_quote",
        state="sent",
        sent_at=SENT,
        outcome="open",
        first_response_s=first_s,
        first_personal_s=personal_s,
        first_response_business_s=first_s,
        first_personal_business_s=personal_s,
        replies=dict(replies),
        replies_in_junk=0,
    )


def test_findings(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path))
    rows = [
        row(1, 30, None, auto=1),  # autoresponder only
        row(2, 600, 600, personal=1),  # a person within 10 minutes
        row(3, None, None, bounce=1),  # bounced
        row(4, 100, 5000, auto=1, personal=1),  # person, but after 83 minutes
    ]
    early = {(f.inquiry_id, f.kind) for f in findings(rows, settings, SENT + timedelta(minutes=5))}
    assert early == {(1, "auto_only"), (3, "bounced"), (4, "no_personal")}
    late = {(f.inquiry_id, f.kind) for f in findings(rows, settings, SENT + timedelta(hours=2))}
    assert late == early | {(1, "no_personal"), (3, "no_personal")}


def test_an_answer_in_the_first_second_is_not_a_bounce(tmp_path: Path) -> None:
    # first_response_s == 0.0 (INTERNALDATE's one-second resolution) is still a response.
    settings = load_settings(write_config(tmp_path))
    rows = [row(5, 0.0, None, auto=1, bounce=1)]
    kinds = {f.kind for f in findings(rows, settings, SENT + timedelta(minutes=5))}
    assert kinds == {"auto_only"}


def test_aggregate_medians_and_outcomes() -> None:
    rows = [
        row(1, 30, None, auto=1),
        row(2, 600, 600, personal=1),
        row(3, 90, 1200, personal=1),
    ]
    (summary,) = aggregate(rows, {"acme": "Acme"})
    assert summary.inquiries == 3
    assert summary.outcomes["open"] == 3
    assert summary.median_first_response_s == 90
    assert summary.median_first_personal_s == 900


def test_each_finding_is_recorded_and_announced_once(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path))
    engine = open_engine(settings.database.url)
    sync_config(engine, settings)
    with Session(engine) as session:
        dealer = session.exec(select(Dealership)).one()
        account = session.exec(select(ShopperAccount)).one()
        for n in (1, 2):
            session.add(
                Inquiry(
                    id=n,
                    dealership_id=dealer.id,
                    shopper_id=account.id,
                    scenario="price_quote",
                    subject="s",
                    message_id=f"<{n}@shopper.test>",
                    created_at=SENT,
                    raw=b"",
                )
            )
        session.commit()
    first = [Finding(1, "acme", "auto_only", "m"), Finding(1, "acme", "junk", "m")]
    assert record_alerts(engine, first, SENT) == first
    again = [*first, Finding(2, "acme", "auto_only", "m"), Finding(1, "nope", "bounced", "m")]
    assert record_alerts(engine, again, SENT) == [Finding(2, "acme", "auto_only", "m")]
    with Session(engine) as session:
        stored = {(a.inquiry_id, a.kind) for a in session.exec(select(Alert)).all()}
    assert stored == {(1, "auto_only"), (1, "junk"), (2, "auto_only")}
