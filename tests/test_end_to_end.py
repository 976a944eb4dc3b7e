"""End to end against real servers: aiosmtpd plays the dealerships' mail server, Dovecot holds
the shopper's mailbox. Acme answers with an autoresponder at once and a person 25 minutes later;
Bolt never answers."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import write_config
from mailservers import Dovecot, ReceivedMail, SmtpSink

from mystery_shopper.cli import cli

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SHOPPER = "alex@shopper.test"
PASSWORD = "imap-secret-1"
PERSONAL_DELAY_S = 25 * 60
ALL_WEEK = "{ " + ", ".join(f'{d} = "00:00-24:00"' for d in DAYS) + " }"


def config_text(dovecot: Dovecot, sink: SmtpSink, database_url: str) -> str:
    return f"""
[database]
url = "{database_url}"

[[shoppers]]
name = "alex"
address = "{SHOPPER}"
display_name = "Alex Jordan"
[shoppers.smtp]
host = "127.0.0.1"
port = {sink.port}
security = "none"
[shoppers.imap]
host = "127.0.0.1"
port = {dovecot.imap_port}
security = "none"
password_env = "TEST_IMAP_PASSWORD"

[[dealerships]]
slug = "acme"
name = "Acme Motors"
inquiry_address = "sales@acme.test"
timezone = "America/Chicago"
vehicles = ["2025 Toyota RAV4 XLE"]
hours = {ALL_WEEK}

[[dealerships]]
slug = "bolt"
name = "Bolt Cars"
inquiry_address = "leads@bolt.test"
timezone = "Europe/Berlin"
"""


def reply(inquiry: EmailMessage, *, sender: str, body: str, auto: bool) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = SHOPPER
    msg["Subject"] = "Re: " + str(inquiry["Subject"])
    msg["Message-ID"] = f"<{'auto' if auto else 'sam'}.1@acme.test>"
    msg["In-Reply-To"] = str(inquiry["Message-ID"])
    msg["Date"] = format_datetime(datetime.now().astimezone())
    if auto:
        msg["Auto-Submitted"] = "auto-replied"
    msg.set_content(body)
    return msg.as_bytes()


def test_two_dealerships_end_to_end(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    dovecot.add_user(SHOPPER, PASSWORD)
    monkeypatch.setenv("TEST_IMAP_PASSWORD", PASSWORD)

    answered = threading.Event()

    def dealership_server(mail: ReceivedMail) -> None:
        # Acme's mail system answers every inquiry at once with an autoresponder.
        if mail.rcpt_tos == ["sales@acme.test"]:
            text = "Thank you for your inquiry. A representative will contact you shortly."
            dovecot.deliver(
                SHOPPER,
                reply(mail.message, sender="sales@acme.test", body=text, auto=True),
                sender="sales@acme.test",
            )
            answered.set()

    sink = SmtpSink(on_message=dealership_server)
    sink.start()
    try:
        config = write_config(tmp_path, config_text(dovecot, sink, database_url))
        runner = CliRunner()

        first = runner.invoke(cli, ["-c", str(config), "send"])
        assert first.exit_code == 0, first.output + first.stderr
        assert "sent 2" in first.stdout
        sent = {m.rcpt_tos[0]: m for m in sink.wait_for(2)}
        assert set(sent) == {"sales@acme.test", "leads@bolt.test"}
        assert answered.wait(10), "the autoresponder was not delivered"

        report = json.loads(
            runner.invoke(cli, ["-c", str(config), "report", "--format", "json"]).stdout
        )
        acme_sent_at = datetime.fromisoformat(
            next(i for i in report["inquiries"] if i["dealership"] == "acme")["sent_at"]
        )
        # A person at Acme answers 25 minutes after the inquiry was accepted.
        personal = reply(
            sent["sales@acme.test"].message,
            sender="Sam Lee <sam@acme.test>",
            body="Hi Alex, the RAV4 XLE is $31,480 out the door. Sam Lee, 555-0100",
            auto=False,
        )
        dovecot.append(
            SHOPPER,
            PASSWORD,
            "INBOX",
            personal,
            msg_time=acme_sent_at + timedelta(seconds=PERSONAL_DELAY_S),
        )

        second = runner.invoke(cli, ["-c", str(config), "run"])
        assert second.exit_code == 0, second.output + second.stderr
        assert "sent 0" in second.stdout  # nothing is sent twice
        assert "stored 2" in second.stdout
        assert len(sink.messages) == 2

        as_of = (acme_sent_at + timedelta(hours=73)).isoformat()
        out = runner.invoke(
            cli, ["-c", str(config), "report", "--format", "json", "--as-of", as_of]
        )
        assert out.exit_code == 0, out.output
    finally:
        sink.stop()

    data = json.loads(out.stdout)
    rows = {i["dealership"]: i for i in data["inquiries"]}
    acme, bolt = rows["acme"], rows["bolt"]
    assert acme["outcome"] == "personal"
    assert bolt["outcome"] == "no_response"
    assert acme["first_response_s"] == pytest.approx(0, abs=1)
    assert acme["first_personal_s"] == pytest.approx(PERSONAL_DELAY_S, abs=1)
    assert acme["replies"] == {"auto": 1, "personal": 1}
    assert bolt["first_response_s"] is None and bolt["replies"] == {}
    # Open all week: business time equals wall-clock time.
    assert acme["first_personal_business_s"] == pytest.approx(PERSONAL_DELAY_S, abs=1)
    summary = {d["dealership"]: d for d in data["dealerships"]}
    assert summary["acme"]["outcomes"]["personal"] == 1
    assert summary["bolt"]["outcomes"]["no_response"] == 1

    table = CliRunner().invoke(cli, ["-c", str(config), "report", "--as-of", as_of])
    assert table.exit_code == 0 and "Acme" in table.stdout and "Bolt" in table.stdout
