"""Classification in context, through the real store: timing, repetition and quality are read
from SQLite, written back on the message and shown in the report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from helpers import write_config
from sqlalchemy.engine import Engine
from sqlmodel import select

from mystery_shopper.config import Settings, load_settings
from mystery_shopper.inbox import process_new, store_batch
from mystery_shopper.mailbox import FetchedMessage, FolderBatch
from mystery_shopper.models import Dealership, Inquiry, ReceivedMessage, ShopperAccount
from mystery_shopper.report import build_report
from mystery_shopper.store import open_engine, session_scope, sync_config

SENT = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
CONFIG = """
[database]
url = "sqlite:///shop.db"
{shoppers}
[[dealerships]]
slug = "acme"
name = "Acme Toyota"
inquiry_address = "sales@acme.test"
timezone = "UTC"
vehicles = ["2025 Toyota RAV4 XLE", "2024 Toyota Camry SE"]

[[dealerships]]
slug = "bolt"
name = "Bolt Cars"
inquiry_address = "leads@bolt.test"
timezone = "UTC"
"""
SHOPPER = """
[[shoppers]]
name = "{name}"
address = "{name}@shopper.test"
display_name = "{display}"
[shoppers.smtp]
host = "127.0.0.1"
security = "none"
[shoppers.imap]
host = "127.0.0.1"
security = "none"
password_env = "TEST_IMAP_PASSWORD"
"""
TEMPLATE = (
    "Hello {name},\n\nGreat choice! Everyone here loves the {vehicle} and we would be happy to "
    "show it to you. Let us know a time that suits you and we will have it ready.\n\nAcme Toyota"
)


def _setup(tmp_path: Path) -> tuple[Settings, Engine]:
    shoppers = SHOPPER.format(name="alex", display="Alex Jordan") + SHOPPER.format(
        name="bea", display="Bea Quinn"
    )
    settings = load_settings(write_config(tmp_path, CONFIG.format(shoppers=shoppers)))
    engine = open_engine(settings.database.url)
    sync_config(engine, settings)
    return settings, engine


def _inquiry(engine: Engine, shopper: str, dealer: str, vehicle: str) -> str:
    with session_scope(engine) as session:
        acct = session.exec(select(ShopperAccount).where(ShopperAccount.name == shopper)).one()
        dealership = session.exec(select(Dealership).where(Dealership.slug == dealer)).one()
        msg = EmailMessage()
        msg["From"] = f"{shopper} <{acct.address}>"
        msg["To"] = dealership.inquiry_address
        msg["Subject"] = f"Price on the {vehicle}"
        msg["Message-ID"] = f"<{shopper}.{dealer}@shopper.test>"
        msg.set_content(f"I saw the {vehicle} on your website. What is the out-the-door price?")
        assert acct.id is not None and dealership.id is not None
        session.add(
            Inquiry(
                dealership_id=dealership.id,
                shopper_id=acct.id,
                scenario="price_quote",
                subject=str(msg["Subject"]),
                message_id=str(msg["Message-ID"]),
                state="sent",
                created_at=SENT,
                sent_at=SENT,
                raw=msg.as_bytes(),
            )
        )
        return str(msg["Message-ID"])


def _deliver(
    engine: Engine, shopper: str, uid: int, *, after_s: float, sender: str, ref: str, body: str
) -> None:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = f"{shopper}@shopper.test"
    msg["Subject"] = "Re: your inquiry"
    msg["Message-ID"] = f"<reply.{shopper}.{uid}@dealer.test>"
    msg["In-Reply-To"] = ref
    msg.set_content(body)
    at = SENT + timedelta(seconds=after_s)
    with session_scope(engine) as session:
        sid = session.exec(select(ShopperAccount.id).where(ShopperAccount.name == shopper)).one()
    assert sid is not None
    store_batch(
        engine,
        sid,
        FolderBatch("INBOX", False, 1, uid, [FetchedMessage(uid, msg.as_bytes(), at, at)]),
    )


def _rows(engine: Engine) -> dict[str, ReceivedMessage]:
    with session_scope(engine) as session:
        rows = session.exec(select(ReceivedMessage)).all()
        for r in rows:
            session.expunge(r)
    return {r.message_id: r for r in rows}


def test_template_timing_and_quality_in_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings, engine = _setup(tmp_path)
    alex_acme = _inquiry(engine, "alex", "acme", "2025 Toyota RAV4 XLE")
    bea_acme = _inquiry(engine, "bea", "acme", "2024 Toyota Camry SE")
    alex_bolt = _inquiry(engine, "alex", "bolt", "2025 Toyota RAV4 XLE")

    # A canned template with no automatic header: looks personal the first time.
    body = TEMPLATE.format(name="Alex", vehicle="2025 Toyota RAV4 XLE")
    _deliver(
        engine, "alex", 1, after_s=1800, sender="Acme <sales@acme.test>", ref=alex_acme, body=body
    )
    assert process_new(engine, settings) == 1
    first = _rows(engine)["<reply.alex.1@dealer.test>"]
    assert first.kind == "personal" and first.body_fingerprint and first.quality_score is not None

    # The same wording for another buyer of the same dealership: a template, and so was the first.
    body = TEMPLATE.format(name="Bea", vehicle="2024 Toyota Camry SE")
    _deliver(
        engine, "bea", 1, after_s=2400, sender="Acme <sales@acme.test>", ref=bea_acme, body=body
    )
    # Bolt answers within seconds; a person answers Alex properly later.
    _deliver(
        engine,
        "alex",
        2,
        after_s=9,
        sender="Bolt <leads@bolt.test>",
        ref=alex_bolt,
        body="Hi, noted.",
    )
    personal = (
        "Hi Alex,\n\nThanks for asking! The 2025 Toyota RAV4 XLE is $31,200 out the door. "
        "Can you come in Thursday for a test drive?\n\nBest,\nSam Lee\nDirect: 555-201-3344"
    )
    _deliver(
        engine,
        "alex",
        3,
        after_s=3600,
        sender="Sam Lee <sam@acme.test>",
        ref=alex_acme,
        body=personal,
    )
    assert process_new(engine, settings) == 3

    rows = _rows(engine)
    second = rows["<reply.bea.1@dealer.test>"]
    assert (second.kind, second.subkind) == ("auto", "crm_template")
    assert any("another inquiry of this dealership" in r for r in second.reasons)
    first = rows["<reply.alex.1@dealer.test>"]
    assert (first.kind, first.subkind, first.quality_score) == ("auto", "crm_template", None)
    assert any("reclassified as a template" in r for r in first.reasons)

    fast = rows["<reply.alex.2@dealer.test>"]
    assert (fast.kind, fast.subkind) == ("auto", "autoresponder")
    assert any(r.startswith("fast_reply: arrived 9 s after") for r in fast.reasons)

    sam = rows["<reply.alex.3@dealer.test>"]
    assert (sam.kind, sam.quality_score) == ("personal", 100)
    assert sam.quality and sam.quality["checks"]["vehicle_named"]["passed"] is True

    report = build_report(engine, settings, SENT + timedelta(days=4))
    by_id = {(r.dealership, r.shopper): r for r in report.inquiries}
    assert by_id[("acme", "alex")].first_personal_quality == sam.quality
    assert by_id[("acme", "bea")].first_personal_quality is None
    assert by_id[("acme", "alex")].outcome == "personal"
    assert by_id[("acme", "bea")].outcome == "auto_only"
