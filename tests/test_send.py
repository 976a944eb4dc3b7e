"""Sending against a real aiosmtpd: TLS, certificates, logins, XOAUTH2, 4xx/5xx, lost links."""

from __future__ import annotations

import ssl
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import trustme
from helpers import write_config
from mailservers import SmtpSink, free_port
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from mystery_shopper.auth import Credentials, credentials
from mystery_shopper.compose import template_environment
from mystery_shopper.config import Settings, SmtpConfig, load_settings
from mystery_shopper.errors import AuthError, SendError
from mystery_shopper.models import Inquiry, InquiryState
from mystery_shopper.outbox import MAX_BACKOFF, backoff, claim_lease, queue_due, send_queued
from mystery_shopper.send import Delivery, deliver
from mystery_shopper.store import open_engine, sync_config

T0 = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
SHOPPER = "alex@shopper.test"


async def deliver_plain(server: SmtpConfig) -> Delivery:
    """Hand a tiny message to ``server`` without a login."""
    return await deliver(
        b"Subject: x\r\n\r\nx\r\n",
        sender=SHOPPER,
        recipient="sales@d0.test",
        server=server,
        creds=None,
        account="alex",
        clock=lambda: T0,
    )


def config_text(port: int, smtp_extra: str = "", dealers: int = 1) -> str:
    dealerships = "".join(
        f"""
[[dealerships]]
slug = "d{i}"
name = "Dealer {i}"
inquiry_address = "sales@d{i}.test"
timezone = "America/Chicago"
vehicles = ["2025 Toyota RAV4 XLE"]
"""
        for i in range(dealers)
    )
    return f"""
[database]
url = "sqlite:///shop.db"

[inquiries]
retry_base_minutes = 10
max_attempts = 3

[[shoppers]]
name = "alex"
address = "{SHOPPER}"
display_name = "Alex Jordan"
save_to_sent = false
[shoppers.smtp]
host = "127.0.0.1"
port = {port}
{smtp_extra}
[shoppers.imap]
host = "127.0.0.1"
port = 1
security = "none"
password_env = "TEST_IMAP_PASSWORD"
{dealerships}
"""


def setup(tmp_path: Path, text: str) -> tuple[Settings, Engine]:
    settings = load_settings(write_config(tmp_path, text))
    engine = open_engine(settings.database.url)
    sync_config(engine, settings)
    return settings, engine


def rows(engine: Engine) -> list[Inquiry]:
    with Session(engine) as session:
        return list(session.exec(select(Inquiry).order_by(Inquiry.id)).all())  # type: ignore[arg-type]


def queue(settings: Settings, engine: Engine) -> None:
    assert queue_due(engine, settings, template_environment(), T0)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def server_ctx(ca: trustme.CA) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(ctx)
    return ctx


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as s:
        yield s


# -- TLS -------------------------------------------------------------------------------------


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_tls_with_a_trusted_test_certificate(
    security: str, server_ctx: ssl.SSLContext, ca_file: str, tmp_path: Path
) -> None:
    implicit = security == "tls"
    # require_starttls: the server refuses MAIL before STARTTLS, so plaintext cannot pass.
    sink = SmtpSink(tls_context=server_ctx, implicit_tls=implicit, require_starttls=not implicit)
    with sink:
        extra = f'security = "{security}"\nca_file = "{ca_file}"'
        settings, engine = setup(tmp_path, config_text(sink.port, extra))
        queue(settings, engine)
        summary = send_queued(engine, settings, lambda: T0)
        assert summary.sent == [1] and not summary.errors
        (mail,) = sink.wait_for(1)
        assert mail.message["Message-ID"] == rows(engine)[0].message_id


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_untrusted_certificate_is_refused(
    security: str, server_ctx: ssl.SSLContext, tmp_path: Path
) -> None:
    implicit = security == "tls"
    with SmtpSink(tls_context=server_ctx, implicit_tls=implicit) as sink:
        settings, engine = setup(tmp_path, config_text(sink.port, f'security = "{security}"'))
        queue(settings, engine)
        summary = send_queued(engine, settings, lambda: T0)
        assert summary.sent == [] and len(summary.errors) == 1
        assert "shopper 'alex'" in summary.errors[0]
        assert "not trusted" in summary.errors[0] and "ca_file" in summary.errors[0]
        assert sink.messages == []
        # Nothing went out: the inquiry waits in the queue, its attempt not counted.
        (row,) = rows(engine)
        assert row.state == InquiryState.queued and row.attempts == 0


async def test_certificate_for_another_host_is_refused(ca: trustme.CA, ca_file: str) -> None:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("mail.elsewhere.test").configure_cert(ctx)
    settings = load_settings(write_config(Path(ca_file).parent, config_text(1)))
    with SmtpSink(tls_context=ctx, implicit_tls=True) as sink:
        server = settings.shoppers[0].smtp.model_copy(
            update={"port": sink.port, "security": "tls", "ca_file": ca_file}
        )
        with pytest.raises(SendError, match="not trusted") as info:
            await deliver_plain(server)
        assert info.value.permanent


# -- logins ----------------------------------------------------------------------------------


def test_wrong_password_names_the_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEX_SMTP_PASSWORD", "wrong")
    with SmtpSink(auth={SHOPPER: "right"}) as sink:
        extra = 'security = "none"\npassword_env = "ALEX_SMTP_PASSWORD"'
        settings, engine = setup(tmp_path, config_text(sink.port, extra, dealers=2))
        queue(settings, engine)
        summary = send_queued(engine, settings, lambda: T0)
        # One clear error for the account, and its second inquiry is not even tried.
        assert len(summary.errors) == 1
        assert summary.errors[0].startswith(
            f"shopper 'alex': SMTP login as '{SHOPPER}' refused by 127.0.0.1:{sink.port}: 535"
        )
        assert "wrong" not in summary.errors[0]
        assert [r.state for r in rows(engine)] == [InquiryState.queued] * 2
        monkeypatch.setenv("ALEX_SMTP_PASSWORD", "right")
        assert send_queued(engine, settings, lambda: T0).sent == [1, 2]
        assert [m.auth_login for m in sink.wait_for(2)] == [SHOPPER, SHOPPER]


def test_xoauth2_token_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALEX_TOKEN", "ya29.good-token")
    with SmtpSink(oauth_tokens={SHOPPER: "ya29.good-token"}) as sink:
        extra = 'security = "none"\nauth = "xoauth2"\ntoken_env = "ALEX_TOKEN"'
        settings, engine = setup(tmp_path, config_text(sink.port, extra))
        queue(settings, engine)
        assert send_queued(engine, settings, lambda: T0).sent == [1]
        assert sink.oauth_logins == [SHOPPER]
        assert len(sink.wait_for(1)) == 1


def test_xoauth2_expired_token_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALEX_TOKEN", "ya29.expired")
    with SmtpSink(oauth_tokens={SHOPPER: "ya29.good-token"}) as sink:
        extra = 'security = "none"\nauth = "xoauth2"\ntoken_env = "ALEX_TOKEN"'
        settings, engine = setup(tmp_path, config_text(sink.port, extra))
        queue(settings, engine)
        summary = send_queued(engine, settings, lambda: T0)
        assert summary.sent == [] and sink.oauth_logins == []
        assert summary.errors[0].startswith("shopper 'alex': SMTP login as")
        assert "ya29" not in summary.errors[0]


def test_xoauth2_token_command(tmp_path: Path) -> None:
    script = tmp_path / "token.py"
    script.write_text("print('ya29.from-command')\n")
    with SmtpSink(oauth_tokens={SHOPPER: "ya29.from-command"}) as sink:
        extra = (
            f'security = "none"\nauth = "xoauth2"\ntoken_command = ["{sys.executable}", "{script}"]'
        )
        settings, engine = setup(tmp_path, config_text(sink.port, extra))
        queue(settings, engine)
        assert send_queued(engine, settings, lambda: T0).sent == [1]
        assert sink.oauth_logins == [SHOPPER]


def test_failing_token_command_never_shows_its_output(tmp_path: Path) -> None:
    script = tmp_path / "token.py"
    script.write_text(
        "import sys\nprint('ya29.half-written')\nprint('refresh token revoked', file=sys.stderr)\n"
        "sys.exit(3)\n"
    )
    settings = load_settings(
        write_config(
            tmp_path,
            config_text(1, f'auth = "xoauth2"\ntoken_command = ["{sys.executable}", "{script}"]'),
        )
    )
    with pytest.raises(AuthError) as info:
        credentials(settings.shoppers[0].smtp, account="alex", address=SHOPPER)
    message = str(info.value)
    assert "shopper 'alex'" in message and "exited with 3" in message
    assert "ya29" not in message and "refresh token" not in message


def test_credentials_repr_hides_secrets() -> None:
    text = repr(Credentials("u", password="hunter2", token="ya29.x"))
    assert "hunter2" not in text and "ya29" not in text


# -- replies ---------------------------------------------------------------------------------


def test_4xx_is_retried_after_backoff_and_sent_once(sink: SmtpSink, tmp_path: Path) -> None:
    sink.data_replies = ["451 4.3.0 Greylisted, try again later"]
    settings, engine = setup(tmp_path, config_text(sink.port, 'security = "none"'))
    queue(settings, engine)
    first = send_queued(engine, settings, lambda: T0)
    assert first.retry == [1] and sink.messages == []
    (row,) = rows(engine)
    assert row.state == InquiryState.queued and row.smtp_reply.startswith("451")
    assert row.next_attempt_at is not None
    wait = row.next_attempt_at - T0
    assert timedelta(minutes=5) <= wait <= timedelta(minutes=10)  # base 10 min, half jittered
    # Not due yet: a run before next_attempt_at sends nothing.
    assert send_queued(engine, settings, lambda: T0 + wait / 2).sent == []
    later = row.next_attempt_at
    assert send_queued(engine, settings, lambda: later).sent == [1]
    assert send_queued(engine, settings, lambda: later + timedelta(hours=1)).sent == []
    (mail,) = sink.wait_for(1)
    (row,) = rows(engine)
    assert row.state == InquiryState.sent and row.attempts == 2 and row.sent_at == later
    assert mail.message["Message-ID"] == row.message_id and len(sink.messages) == 1


def test_4xx_every_time_fails_after_max_attempts(sink: SmtpSink, tmp_path: Path) -> None:
    sink.data_reply = "452 4.2.2 Mailbox full"
    settings, engine = setup(tmp_path, config_text(sink.port, 'security = "none"'))
    queue(settings, engine)
    now = T0
    states = []
    for _ in range(3):
        send_queued(engine, settings, lambda now=now: now)  # type: ignore[misc]
        (row,) = rows(engine)
        states.append(row.state)
        now = (row.next_attempt_at or now) + timedelta(seconds=1)
    assert states == [InquiryState.queued, InquiryState.queued, InquiryState.failed]
    assert rows(engine)[0].smtp_reply == "452 4.2.2 Mailbox full"


def test_backoff_is_bounded_and_jittered() -> None:
    base = timedelta(minutes=5)
    waits = [backoff(n, base, "<m@x>") for n in range(1, 20)]
    assert all(w <= MAX_BACKOFF for w in waits)
    assert waits[0] >= base / 2 and waits[1] >= base
    assert backoff(3, base, "<a@x>") != backoff(3, base, "<b@x>")
    assert backoff(3, base, "<a@x>") == backoff(3, base, "<a@x>")


def test_5xx_fails_with_the_reply_stored(sink: SmtpSink, tmp_path: Path) -> None:
    sink.data_reply = "554 5.7.1 Message rejected as spam"
    settings, engine = setup(tmp_path, config_text(sink.port, 'security = "none"'))
    queue(settings, engine)
    assert send_queued(engine, settings, lambda: T0).failed == [1]
    (row,) = rows(engine)
    assert row.state == InquiryState.failed and row.sent_at is None
    assert row.smtp_reply == "554 5.7.1 Message rejected as spam"
    sink.data_reply = None
    assert send_queued(engine, settings, lambda: T0 + timedelta(days=1)).sent == []
    assert sink.messages == []


def test_disconnect_after_data_is_unknown_and_never_resent(sink: SmtpSink, tmp_path: Path) -> None:
    sink.drop_after_data = True
    settings, engine = setup(tmp_path, config_text(sink.port, 'security = "none"'))
    queue(settings, engine)
    assert send_queued(engine, settings, lambda: T0).unknown == [1]
    (row,) = rows(engine)
    assert row.state == InquiryState.unknown and row.sent_at is None
    assert len(sink.messages) == 1  # the server did get it
    sink.drop_after_data = False
    later = send_queued(engine, settings, lambda: T0 + timedelta(days=1))
    assert later.sent == [] and later.unknown == []
    assert len(sink.messages) == 1


def test_starttls_not_offered_is_refused_not_sent_in_clear(sink: SmtpSink, tmp_path: Path) -> None:
    settings, engine = setup(tmp_path, config_text(sink.port, 'security = "starttls"'))
    queue(settings, engine)
    summary = send_queued(engine, settings, lambda: T0)
    assert summary.sent == [] and sink.messages == []
    assert "STARTTLS" in summary.errors[0] and "shopper 'alex'" in summary.errors[0]


async def test_server_down_is_transient(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, config_text(free_port())))
    server = settings.shoppers[0].smtp.model_copy(update={"security": "none"})
    with pytest.raises(SendError, match="cannot connect to SMTP") as info:
        await deliver_plain(server)
    assert not info.value.permanent
    tls = settings.shoppers[0].smtp.model_copy(update={"security": "starttls"})
    with SmtpSink() as sink:
        with pytest.raises(SendError, match="STARTTLS") as refused:
            await deliver_plain(tls.model_copy(update={"port": sink.port}))
        assert refused.value.permanent and sink.messages == []


def test_a_row_another_run_is_sending_is_left_alone(sink: SmtpSink, tmp_path: Path) -> None:
    settings, engine = setup(tmp_path, config_text(sink.port, 'security = "none"'))
    queue(settings, engine)
    lease = claim_lease(settings.shoppers[0].smtp)
    with Session(engine) as session:
        row = session.exec(select(Inquiry)).one()
        # As another run leaves it while it waits for the server's reply.
        row.state, row.claimed_until = InquiryState.sending, T0 + lease
        session.add(row)
        session.commit()
    overlapping = send_queued(engine, settings, lambda: T0 + lease / 2)
    assert overlapping.unknown == [] and overlapping.sent == []
    assert rows(engine)[0].state == InquiryState.sending
    # Past the lease, the run that claimed it is dead: unknown, and never sent from here.
    expired = send_queued(engine, settings, lambda: T0 + lease)
    assert expired.unknown == [1] and rows(engine)[0].state == InquiryState.unknown
    assert sink.messages == []
