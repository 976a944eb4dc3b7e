"""Builders for the mailbox sync and watch tests: a config pointing at a test Dovecot, inquiries
written straight into the store, replies, and a wait loop."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from helpers import write_config
from mailservers import Dovecot
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from mystery_shopper.config import Settings, load_settings
from mystery_shopper.models import Dealership, Inquiry, InquiryState, ReceivedMessage
from mystery_shopper.models import ShopperAccount as Account
from mystery_shopper.store import open_engine, session_scope, sync_config

PASSWORD = "imap-secret-1"
PASSWORD_ENV = "TEST_IMAP_PASSWORD"
DEALER_DOMAIN = "acme.test"


def shopper_address(i: int) -> str:
    return f"shopper{i}@shopper.test"


def config_text(
    dovecot: Dovecot,
    accounts: int = 1,
    watch: str = "",
    folders: str = "",
    imap_timeout: int = 5,
    db_url: str = "sqlite:///shop.db",
) -> str:
    shoppers = "".join(
        f"""
[[shoppers]]
name = "s{i}"
address = "{shopper_address(i)}"
display_name = "Shopper {i}"
{folders}
[shoppers.smtp]
host = "127.0.0.1"
port = 2525
security = "none"
[shoppers.imap]
host = "127.0.0.1"
port = {dovecot.imap_port}
security = "none"
password_env = "{PASSWORD_ENV}"
timeout = {imap_timeout}
"""
        for i in range(accounts)
    )
    return f"""
[database]
url = "{db_url}"

[watch]
{watch}
{shoppers}
[[dealerships]]
slug = "acme"
name = "Acme Motors"
inquiry_address = "sales@{DEALER_DOMAIN}"
timezone = "America/Chicago"
"""


# Engines setup() opened, for dispose_opened() to close: a PostgreSQL pool otherwise keeps its
# connections until the interpreter ends.
OPENED: list[Engine] = []


def dispose_opened() -> None:
    while OPENED:
        OPENED.pop().dispose()


def setup(
    dovecot: Dovecot,
    tmp_path: Path,
    accounts: int = 1,
    watch: str = "",
    folders: str = "",
    imap_timeout: int = 5,
    db_url: str = "sqlite:///shop.db",
) -> tuple[Path, Settings, Engine]:
    """Users in Dovecot, a config file, and a migrated database with the config synced."""
    for i in range(accounts):
        dovecot.add_user(shopper_address(i), PASSWORD)
    text = config_text(dovecot, accounts, watch, folders, imap_timeout, db_url)
    path = write_config(tmp_path, text)
    settings = load_settings(path)
    engine = open_engine(settings.database.url)
    OPENED.append(engine)
    sync_config(engine, settings)
    return path, settings, engine


def add_inquiry(engine: Engine, shopper: str, message_id: str, sent_at: datetime) -> int:
    """A sent inquiry from ``shopper`` to Acme, as the outbox would have left it."""
    with session_scope(engine) as session:
        acct = session.exec(select(Account).where(Account.name == shopper)).one()
        dealer = session.exec(select(Dealership).where(Dealership.slug == "acme")).one()
        assert acct.id is not None and dealer.id is not None
        inquiry = Inquiry(
            dealership_id=dealer.id,
            shopper_id=acct.id,
            scenario="price_quote",
            subject="Price of the RAV4",
            message_id=message_id,
            state=InquiryState.sent.value,
            created_at=sent_at,
            sent_at=sent_at,
            raw=b"",
        )
        session.add(inquiry)
        session.flush()
        assert inquiry.id is not None
        return inquiry.id


def reply(
    to: str,
    in_reply_to: str | None,
    *,
    message_id: str | None,
    body: str = "Hi, the RAV4 is $31,480. Sam Lee, 555-0100",
    sender: str = f"Sam Lee <sam@{DEALER_DOMAIN}>",
    subject: str = "Re: Price of the RAV4",
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    if message_id:
        msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg.set_content(body)
    return msg.as_bytes()


def stored(engine: Engine) -> list[ReceivedMessage]:
    with session_scope(engine) as session:
        return list(session.exec(select(ReceivedMessage).order_by(col(ReceivedMessage.id))).all())


def wait_until(what: str, check: Callable[[], bool], timeout: float = 15.0) -> None:
    """Poll ``check`` until true; a generous deadline, not a timing assertion."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def bulk_append(dovecot: Dovecot, user: str, folder: str, messages: Sequence[bytes]) -> None:
    """APPEND many messages quickly (MULTIAPPEND, a few hundred per command)."""
    with dovecot.connect(user, PASSWORD) as client:
        for start in range(0, len(messages), 500):
            client.multiappend(folder, list(messages[start : start + 500]))
