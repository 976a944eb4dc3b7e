"""The outbox with the shopper's real mailbox (Dovecot) and a real SMTP server (aiosmtpd):
copies in the Sent folder, reconciling unknown sends, and SIGKILL in the middle of a batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import write_config
from mailservers import Dovecot, SmtpSink
from sqlmodel import Session, select

from mystery_shopper.cli import cli
from mystery_shopper.config import load_settings
from mystery_shopper.models import Inquiry, InquiryState
from mystery_shopper.outbox import claim_lease, send_queued
from mystery_shopper.store import open_engine

SHOPPER = "alex@shopper.test"
PASSWORD = "imap-secret-7"


def config_text(
    dovecot: Dovecot,
    sink: SmtpSink,
    *,
    dealers: int,
    save_to_sent: bool,
    database_url: str = "sqlite:///shop.db",
) -> str:
    dealerships = "".join(
        f"""
[[dealerships]]
slug = "d{i}"
name = "Dealer {i}"
inquiry_address = "sales@d{i}.test"
timezone = "Europe/Berlin"
"""
        for i in range(dealers)
    )
    return f"""
[database]
url = "{database_url}"

[inquiries]
batch_size = 50
reconcile_grace_hours = 1

[[shoppers]]
name = "alex"
address = "{SHOPPER}"
display_name = "Alex Jordan"
save_to_sent = {str(save_to_sent).lower()}
[shoppers.smtp]
host = "127.0.0.1"
port = {sink.port}
security = "none"
[shoppers.imap]
host = "127.0.0.1"
port = {dovecot.imap_port}
security = "none"
password_env = "TEST_IMAP_PASSWORD"
{dealerships}
"""


def inquiries(config: Path) -> list[Inquiry]:
    engine = open_engine(load_settings(config).database.url)
    try:
        with Session(engine) as session:
            return list(session.exec(select(Inquiry).order_by(Inquiry.id)).all())  # type: ignore[arg-type]
    finally:
        engine.dispose()


def sent_folder(dovecot: Dovecot) -> list[tuple[str, datetime, tuple[bytes, ...]]]:
    with dovecot.connect(SHOPPER, PASSWORD) as client:
        client.select_folder("Sent", readonly=True)
        uids = client.search(["ALL"])
        data = client.fetch(
            uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]", "INTERNALDATE", "FLAGS"]
        )
        return [
            (
                data[u][b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].decode().split(":", 1)[1].strip(),
                data[u][b"INTERNALDATE"],
                data[u][b"FLAGS"],
            )
            for u in uids
        ]


@pytest.fixture
def shopper_mailbox(dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> Dovecot:
    dovecot.add_user(SHOPPER, PASSWORD)
    monkeypatch.setenv("TEST_IMAP_PASSWORD", PASSWORD)
    return dovecot


def test_sent_inquiries_are_filed_in_the_sent_folder_once(
    shopper_mailbox: Dovecot, smtp_sink: SmtpSink, tmp_path: Path
) -> None:
    config = write_config(
        tmp_path, config_text(shopper_mailbox, smtp_sink, dealers=2, save_to_sent=True)
    )
    runner = CliRunner()
    log_start = shopper_mailbox.log_path.stat().st_size
    first = runner.invoke(cli, ["-c", str(config), "send"])
    assert first.exit_code == 0, first.output + first.stderr
    assert "sent 2" in first.stdout and "copied to Sent 2" in first.stdout
    # Both copies over one IMAP login.
    log = shopper_mailbox.log_tail(lines=10_000, offset=log_start)
    assert log.count(f"Login: user=<{SHOPPER}>") == 1, log
    rows = inquiries(config)
    filed = sent_folder(shopper_mailbox)
    assert sorted(m for m, _, _ in filed) == sorted(r.message_id for r in rows)
    assert all(b"\\Seen" in flags for _, _, flags in filed)
    # INTERNALDATE of the copy is the acceptance time (IMAP keeps whole seconds).
    by_id = {m: when for m, when, _ in filed}
    for r in rows:
        assert r.saved_to_sent and r.sent_at is not None
        assert abs((by_id[r.message_id] - r.sent_at).total_seconds()) < 1
    second = runner.invoke(cli, ["-c", str(config), "send"])
    assert second.exit_code == 0 and "copied to Sent 0" in second.stdout
    assert len(sent_folder(shopper_mailbox)) == 2


def test_unknown_send_is_never_resent_and_reconciled_from_the_sent_folder(
    shopper_mailbox: Dovecot, smtp_sink: SmtpSink, tmp_path: Path
) -> None:
    # A provider that files submissions itself (save_to_sent = false), like Gmail.
    config = write_config(
        tmp_path, config_text(shopper_mailbox, smtp_sink, dealers=1, save_to_sent=False)
    )
    smtp_sink.drop_after_data = True
    runner = CliRunner()
    first = runner.invoke(cli, ["-c", str(config), "run"])
    assert "unknown 1" in first.stdout, first.output + first.stderr
    smtp_sink.drop_after_data = False

    second = runner.invoke(cli, ["-c", str(config), "run"])
    assert second.exit_code == 0, second.output + second.stderr
    assert "sent 0" in second.stdout and "reconciled 0" in second.stdout
    assert len(smtp_sink.messages) == 1  # never sent again
    (row,) = inquiries(config)
    assert row.state == InquiryState.unknown

    # The provider's copy shows up in Sent: that settles it, with the provider's time.
    accepted = datetime(2026, 11, 24, 14, 3, 7, tzinfo=UTC)
    shopper_mailbox.append(SHOPPER, PASSWORD, "Sent", smtp_sink.messages[0].data, accepted)
    third = runner.invoke(cli, ["-c", str(config), "run"])
    assert third.exit_code == 0, third.output + third.stderr
    assert "reconciled 1" in third.stdout and "sent 0" in third.stdout
    (row,) = inquiries(config)
    assert row.state == InquiryState.sent and row.sent_at == accepted
    assert row.sent_at_source == "sent_folder"
    assert len(smtp_sink.messages) == 1


def test_unknown_send_not_found_is_reported_after_the_grace_period(
    shopper_mailbox: Dovecot, smtp_sink: SmtpSink, tmp_path: Path
) -> None:
    config = write_config(
        tmp_path, config_text(shopper_mailbox, smtp_sink, dealers=1, save_to_sent=False)
    )
    smtp_sink.drop_after_data = True
    runner = CliRunner()
    runner.invoke(cli, ["-c", str(config), "send"])
    smtp_sink.drop_after_data = False
    engine = open_engine(load_settings(config).database.url)
    with Session(engine) as session:
        row = session.exec(select(Inquiry)).one()
        row.created_at = datetime.now(UTC) - timedelta(hours=2)  # past the 1 h grace
        session.add(row)
        session.commit()
    out = runner.invoke(cli, ["-c", str(config), "send"])
    assert "warning: inquiry 1: outcome unknown and not in the Sent folder" in out.stderr
    assert len(smtp_sink.messages) == 1


def test_sigkill_mid_batch_sends_no_inquiry_twice(
    shopper_mailbox: Dovecot, tmp_path: Path, database_url: str
) -> None:
    dealers = 8
    with SmtpSink() as sink:
        sink.data_delay = 0.3
        text = config_text(
            shopper_mailbox, sink, dealers=dealers, save_to_sent=True, database_url=database_url
        )
        config = write_config(tmp_path, text)
        cmd = [sys.executable, "-m", "mystery_shopper", "-c", str(config), "send"]
        env = {**os.environ, "TEST_IMAP_PASSWORD": PASSWORD}
        # The context manager closes the pipes; a killed child leaves them to us.
        with subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
            try:
                sink.wait_for(3, timeout=30)
                # Mid-batch: more sent, others queued, one probably waiting for its DATA reply.
                proc.send_signal(signal.SIGKILL)
            finally:
                proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        time.sleep(2 * sink.data_delay)  # let the server finish the message it was holding
        at_kill = len(sink.messages)
        assert 3 <= at_kill < dealers

        sink.data_delay = 0
        again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        assert again.returncode == 0, again.stdout + again.stderr
        rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        assert rerun.returncode == 0 and "sent 0" in rerun.stdout

        counts = Counter(str(m.message["Message-ID"]) for m in sink.messages)
        assert max(counts.values()) == 1, counts
        # The row claimed when the process died stays `sending` while its lease runs (another
        # run might still be sending it); once the lease is over it becomes `unknown`.
        rows = inquiries(config)
        assert Counter(r.state for r in rows)[InquiryState.sending] <= 1
        settings = load_settings(config)
        engine = open_engine(settings.database.url)
        later = datetime.now(UTC) + claim_lease(settings.shoppers[0].smtp)
        try:
            after = send_queued(engine, settings, lambda: later)
        finally:
            engine.dispose()
        assert after.sent == [] and len(after.unknown) <= 1
        assert Counter(str(m.message["Message-ID"]) for m in sink.messages) == counts

    rows = inquiries(config)
    assert len(rows) == dealers
    states = Counter(r.state for r in rows)
    # Every inquiry is accounted for: sent, or unknown (claimed when the process died).
    assert set(states) <= {InquiryState.sent, InquiryState.unknown}
    assert states[InquiryState.unknown] <= 1
    received = set(counts)
    for r in rows:
        if r.state == InquiryState.sent:
            assert r.message_id in received
    print(f"sent before kill: {at_kill}; states after: {dict(states)}")


def test_xoauth2_on_imap_and_smtp(dovecot: Dovecot, tmp_path: Path) -> None:
    """The whole sending side with OAuth2 only: SMTP XOAUTH2 at aiosmtpd, IMAP XOAUTH2 at
    Dovecot (Sent copy, then poll). No password anywhere."""
    token = "ya29.imap-token-42"
    dovecot.add_user(SHOPPER, token)
    with SmtpSink(oauth_tokens={SHOPPER: "ya29.smtp-token-7"}) as sink:
        text = config_text(dovecot, sink, dealers=1, save_to_sent=True)
        text = text.replace(
            'security = "none"\n[shoppers.imap]',
            'security = "none"\nauth = "xoauth2"\ntoken_env = "SMTP_TOKEN"\n[shoppers.imap]',
        ).replace(
            'password_env = "TEST_IMAP_PASSWORD"', 'auth = "xoauth2"\ntoken_env = "IMAP_TOKEN"'
        )
        config = write_config(tmp_path, text)
        env = {"SMTP_TOKEN": "ya29.smtp-token-7", "IMAP_TOKEN": token}
        result = CliRunner(env=env).invoke(cli, ["-c", str(config), "run"])
        assert result.exit_code == 0, result.output + result.stderr
        assert "sent 1" in result.stdout and "copied to Sent 1" in result.stdout
        assert sink.oauth_logins == [SHOPPER]
        assert "method=XOAUTH2" in dovecot.log_tail(lines=200)
        assert token not in result.output + result.stderr

        env["IMAP_TOKEN"] = "ya29.expired"
        bad = CliRunner(env=env).invoke(cli, ["-c", str(config), "poll"])
        assert bad.exit_code == 1
        assert "shopper 'alex': IMAP login refused" in bad.stderr
        assert "ya29" not in bad.output + bad.stderr


def test_sent_folder_by_name_and_a_missing_special_use_folder(
    shopper_mailbox: Dovecot, smtp_sink: SmtpSink, tmp_path: Path
) -> None:
    text = config_text(shopper_mailbox, smtp_sink, dealers=1, save_to_sent=True)
    missing = text.replace(
        "save_to_sent = true", 'save_to_sent = true\nsent_folder = "\\\\Archive"'
    )
    config = write_config(tmp_path, missing)
    out = CliRunner().invoke(cli, ["-c", str(config), "send"])
    assert out.exit_code == 1 and "sent 1" in out.stdout
    assert "shopper 'alex': the IMAP server marks no folder \\Archive" in out.stderr
    # The copy is still owed: naming the folder fixes it on the next run, without resending.
    named = text.replace("save_to_sent = true", 'save_to_sent = true\nsent_folder = "Sent"')
    config.write_text(named)
    again = CliRunner().invoke(cli, ["-c", str(config), "send"])
    assert again.exit_code == 0 and "copied to Sent 1" in again.stdout and "sent 0" in again.stdout
    assert len(sent_folder(shopper_mailbox)) == 1 and len(smtp_sink.messages) == 1
