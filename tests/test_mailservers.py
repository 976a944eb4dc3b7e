"""The test mail servers themselves work, against the real Dovecot and aiosmtpd."""

from __future__ import annotations

import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest
import trustme
from imapclient.exceptions import LoginError
from imapclient.imapclient import JUNK, SENT
from mailservers import Dovecot, ReceivedMail, SmtpSink, free_port

SHOPPER = "shopper@test.local"
PASSWORD = "secret"


def make_mail(subject: str, msgid: str, body: str = "Hello from the dealership.\n") -> bytes:
    msg = EmailMessage()
    msg["From"] = "Sales <sales@dealer.test>"
    msg["To"] = SHOPPER
    msg["Subject"] = subject
    msg["Message-ID"] = msgid
    msg.set_content(body)
    return msg.as_bytes()


def fetch_inbox(dovecot: Dovecot, folder: str = "INBOX") -> dict[int, dict[bytes, object]]:
    with dovecot.connect(SHOPPER, PASSWORD) as client:
        client.select_folder(folder, readonly=True)
        uids = client.search(["ALL"])
        if not uids:
            return {}
        result: dict[int, dict[bytes, object]] = client.fetch(
            uids, ["BODY.PEEK[]", "INTERNALDATE", "FLAGS"]
        )
        return result


def test_free_port_is_bindable() -> None:
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


# -- Dovecot ---------------------------------------------------------------------------------


def test_lmtp_delivery_shows_up_over_imap(dovecot: Dovecot) -> None:
    dovecot.add_user(SHOPPER, PASSWORD)
    before = datetime.now(UTC).replace(microsecond=0)
    dovecot.deliver(SHOPPER, make_mail("Re: your inquiry", "<reply-1@dealer.test>"))
    after = datetime.now(UTC)

    messages = fetch_inbox(dovecot)
    assert len(messages) == 1
    (data,) = messages.values()
    raw = data[b"BODY[]"]
    assert isinstance(raw, bytes)
    # Dovecot's LMTP prepends a real Received header.
    assert raw.startswith(b"Return-Path: <sender@dealer.test>\r\n")
    assert b"\r\nReceived: from " in raw
    assert b"Message-ID: <reply-1@dealer.test>" in raw
    assert b"Hello from the dealership." in raw
    internaldate = data[b"INTERNALDATE"]
    assert isinstance(internaldate, datetime)
    assert internaldate.tzinfo is not None  # normalise_times = False
    assert before <= internaldate <= after
    assert b"\\Seen" not in data[b"FLAGS"]  # type: ignore[operator]


def test_special_use_folders(dovecot: Dovecot) -> None:
    dovecot.add_user(SHOPPER, PASSWORD)
    with dovecot.connect(SHOPPER, PASSWORD) as client:
        assert client.find_special_folder(JUNK) == "Junk"
        assert client.find_special_folder(SENT) == "Sent"
        subscribed = {name for _flags, _delim, name in client.list_sub_folders()}
        assert {"Junk", "Sent"} <= subscribed
        capabilities = set(client.capabilities())
        assert {b"IDLE", b"UIDPLUS", b"MOVE", b"SPECIAL-USE", b"CONDSTORE"} <= capabilities


def test_append_sets_internaldate_and_returns_uid(dovecot: Dovecot) -> None:
    dovecot.add_user(SHOPPER, PASSWORD)
    when = datetime(2024, 3, 4, 5, 6, 7, tzinfo=timezone(timedelta(hours=2)))
    first = dovecot.append(SHOPPER, PASSWORD, "Junk", make_mail("Deal!", "<junk-1@x>"), when)
    second = dovecot.append(SHOPPER, PASSWORD, "Junk", make_mail("Deal 2", "<junk-2@x>"))
    assert second == first + 1

    messages = fetch_inbox(dovecot, "Junk")
    assert sorted(messages) == [first, second]
    assert messages[first][b"INTERNALDATE"] == when


def test_set_uidvalidity(dovecot: Dovecot) -> None:
    dovecot.add_user(SHOPPER, PASSWORD)
    with dovecot.connect(SHOPPER, PASSWORD) as client:
        old = client.select_folder("INBOX", readonly=True)[b"UIDVALIDITY"]
    dovecot.set_uidvalidity(SHOPPER, "INBOX", old + 1000)
    with dovecot.connect(SHOPPER, PASSWORD) as client:
        assert client.select_folder("INBOX", readonly=True)[b"UIDVALIDITY"] == old + 1000


def test_add_user_while_running_and_wrong_password(dovecot: Dovecot) -> None:
    # Started means running: add_user() waits for a changed password only on a running one.
    assert dovecot.running
    # The fixture started Dovecot without users; each new one must be usable at once.
    for i in range(3):
        dovecot.add_user(f"user{i}@test.local", f"pw{i}")
        with dovecot.connect(f"user{i}@test.local", f"pw{i}") as client:
            client.select_folder("INBOX", readonly=True)
    with pytest.raises(LoginError):
        dovecot.connect("user0@test.local", "wrong")
    dovecot.add_user("user0@test.local", "new")  # a changed password, too
    dovecot.connect("user0@test.local", "new").logout()


def test_restart_keeps_mail_uids_and_ports(dovecot: Dovecot) -> None:
    dovecot.add_user(SHOPPER, PASSWORD)
    dovecot.deliver(SHOPPER, make_mail("one", "<one@dealer.test>"))
    ports = (dovecot.imap_port, dovecot.lmtp_port)
    before = fetch_inbox(dovecot)

    dovecot.restart()
    assert (dovecot.imap_port, dovecot.lmtp_port) == ports
    after = fetch_inbox(dovecot)
    assert after.keys() == before.keys()
    assert [m[b"BODY[]"] for m in after.values()] == [m[b"BODY[]"] for m in before.values()]
    dovecot.deliver(SHOPPER, make_mail("two", "<two@dealer.test>"))
    assert len(fetch_inbox(dovecot)) == 2

    dovecot.stop(graceful=False)
    for port in ports:
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
    dovecot.stop()  # idempotent


def test_long_root_gets_short_socket_dir(dovecot: Dovecot) -> None:
    # Unix socket paths must fit in 108 bytes, so base_dir moves to a short temporary dir.
    server = Dovecot(dovecot.root / ("long-" * 20) / "dovecot")
    server.add_user(SHOPPER, PASSWORD)
    with server:
        base_dir = server.base_dir
        assert base_dir is not None and not base_dir.is_relative_to(server.root)
        assert len(str(base_dir)) < 40
        server.deliver(SHOPPER, make_mail("hi", "<long@dealer.test>"))
        assert len(fetch_inbox(server)) == 1
        server.stop(graceful=False)
    assert not base_dir.exists()


@pytest.mark.usefixtures("dovecot_available")
def test_root_the_dovecot_user_cannot_enter_is_refused(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    with pytest.raises(RuntimeError, match="cannot enter"):
        Dovecot(private / "dovecot")


def test_doveadm_errors_carry_stderr(dovecot: Dovecot) -> None:
    dovecot.add_user(SHOPPER, PASSWORD)
    assert "INBOX" in dovecot.doveadm("mailbox", "list", "-u", SHOPPER)
    with pytest.raises(RuntimeError, match="NoSuchFolder|doesn't exist|not found"):
        dovecot.doveadm("mailbox", "status", "-u", SHOPPER, "messages", "NoSuchFolder")


# -- SMTP sink -------------------------------------------------------------------------------


def send(sink: SmtpSink, subject: str = "Inquiry", **login: str) -> None:
    with smtplib.SMTP(sink.host, sink.port, timeout=5) as smtp:
        if login:
            smtp.login(login["user"], login["password"])
        smtp.sendmail(
            "shopper@test.local", ["sales@dealer.test"], make_mail(subject, "<q@test.local>")
        )


def test_smtp_sink_records_messages(smtp_sink: SmtpSink) -> None:
    before = datetime.now(UTC)
    send(smtp_sink)
    (mail,) = smtp_sink.wait_for(1)
    assert mail.mail_from == "shopper@test.local"
    assert mail.rcpt_tos == ["sales@dealer.test"]
    assert mail.message["Subject"] == "Inquiry"
    assert b"Hello from the dealership." in mail.data
    assert mail.received_at.tzinfo is UTC and mail.received_at >= before
    assert mail.auth_login is None


def test_smtp_sink_injected_replies(smtp_sink: SmtpSink) -> None:
    smtp_sink.data_replies = ["451 4.3.0 try later", "550 5.1.1 no such user"]
    with pytest.raises(smtplib.SMTPDataError) as temporary:
        send(smtp_sink, "first")
    assert temporary.value.smtp_code == 451
    with pytest.raises(smtplib.SMTPDataError) as permanent:
        send(smtp_sink, "second")
    assert permanent.value.smtp_code == 550
    send(smtp_sink, "third")
    assert [m.message["Subject"] for m in smtp_sink.messages] == ["third"]

    smtp_sink.data_reply = "452 4.2.2 mailbox full"
    with pytest.raises(smtplib.SMTPDataError):
        send(smtp_sink, "fourth")
    assert len(smtp_sink.messages) == 1


def test_smtp_sink_drop_after_data(smtp_sink: SmtpSink) -> None:
    smtp_sink.drop_after_data = True
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send(smtp_sink, "lost reply")
    # The server did get it, only the client never heard back.
    assert [m.message["Subject"] for m in smtp_sink.wait_for(1)] == ["lost reply"]


def test_smtp_sink_auth() -> None:
    with SmtpSink(auth={"shopper": "s3cret"}) as sink:
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            send(sink)  # no AUTH at all
        assert refused.value.smtp_code == 530
        with pytest.raises(smtplib.SMTPAuthenticationError):
            send(sink, user="shopper", password="wrong")
        send(sink, user="shopper", password="s3cret")
        (mail,) = sink.wait_for(1)
        assert mail.auth_login == "shopper"


@pytest.fixture(scope="module")
def tls() -> Iterator[tuple[ssl.SSLContext, ssl.SSLContext]]:
    """(server context, client context trusting it) for 127.0.0.1."""
    ca = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(server)
    client = ssl.create_default_context()
    ca.configure_trust(client)
    yield server, client


def test_smtp_sink_starttls_auth(tls: tuple[ssl.SSLContext, ssl.SSLContext]) -> None:
    server_ctx, client_ctx = tls
    with SmtpSink(auth={"u": "p"}, tls_context=server_ctx) as sink:
        with smtplib.SMTP(sink.host, sink.port, timeout=5) as smtp:
            smtp.ehlo()
            assert smtp.has_extn("starttls") and not smtp.has_extn("auth")
            smtp.starttls(context=client_ctx)
            smtp.ehlo()
            assert smtp.has_extn("auth")
            smtp.login("u", "p")
            smtp.sendmail("a@test.local", ["b@dealer.test"], b"Subject: tls\r\n\r\nhi\r\n")
        assert sink.wait_for(1)[0].auth_login == "u"


def test_smtp_sink_implicit_tls(tls: tuple[ssl.SSLContext, ssl.SSLContext]) -> None:
    server_ctx, client_ctx = tls
    with SmtpSink(auth={"u": "p"}, tls_context=server_ctx, implicit_tls=True) as sink:
        with smtplib.SMTP_SSL(sink.host, sink.port, timeout=5, context=client_ctx) as smtp:
            smtp.login("u", "p")
            smtp.sendmail("a@test.local", ["b@dealer.test"], b"Subject: 465\r\n\r\nhi\r\n")
        assert sink.wait_for(1)[0].message["Subject"] == "465"


def test_autoresponder_via_on_message(dovecot: Dovecot, smtp_sink: SmtpSink) -> None:
    """The end-to-end pattern: the dealership answers by LMTP into the shopper's mailbox."""
    dovecot.add_user(SHOPPER, PASSWORD)
    seen = threading.Event()

    def autorespond(mail: ReceivedMail) -> None:
        reply = make_mail("Automatic reply: " + str(mail.message["Subject"]), "<auto@dealer.test>")
        dovecot.deliver(mail.mail_from, reply, sender="")
        seen.set()

    smtp_sink.on_message = autorespond
    send(smtp_sink, "Price of the blue car?")
    assert seen.wait(5)
    deadline = time.monotonic() + 5
    while not (messages := fetch_inbox(dovecot)) and time.monotonic() < deadline:
        time.sleep(0.05)
    (data,) = messages.values()
    assert b"Subject: Automatic reply: Price of the blue car?" in data[b"BODY[]"]  # type: ignore[operator]
    assert b"Return-Path: <>" in data[b"BODY[]"]  # type: ignore[operator]


def test_smtp_sink_callback_errors_surface_on_stop() -> None:
    def broken(mail: ReceivedMail) -> None:
        raise ValueError("boom")

    sink = SmtpSink(broken)
    sink.start()
    send(sink)
    with pytest.raises(RuntimeError, match="on_message failed") as excinfo:
        sink.stop()
    assert isinstance(excinfo.value.__cause__, ValueError)
