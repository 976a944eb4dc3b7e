"""Hand one inquiry to the shopper's SMTP server (the only user of aiosmtplib).

The result says exactly what is known: ``sent`` only after the server accepted the message
(``sent_at`` is that moment); ``unknown`` when the connection broke or timed out after DATA began,
so the server may have it and it must never be resent blindly; ``queued`` for a transient refusal
before that point; ``failed`` for a permanent (5xx) refusal, with the server's reply.

Every inquiry gets a fresh connection (STARTTLS or implicit TLS, certificates and host names
always checked, ``timeout`` on every step), so a batch never reuses a connection that went stale.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import aiosmtplib

from .auth import Credentials
from .config import SmtpConfig
from .errors import SendError
from .models import InquiryState

__all__ = ("Delivery", "check_login", "deliver", "tls_context")


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """Certificate and host name checks always on; ``ca_file`` adds a CA to trust."""
    return ssl.create_default_context(cafile=ca_file)


@dataclass(frozen=True, slots=True)
class Delivery:
    state: InquiryState
    sent_at: datetime | None = None
    reply: str | None = None
    error: str | None = None


def _refused(exc: aiosmtplib.SMTPResponseException, stage: str) -> Delivery:
    reply = f"{exc.code} {exc.message}"
    if 400 <= exc.code < 500:
        return Delivery(InquiryState.queued, reply=reply, error=f"{stage}: temporary refusal")
    return Delivery(InquiryState.failed, reply=reply, error=f"{stage}: refused")


def _client(server: SmtpConfig) -> aiosmtplib.SMTP:
    return aiosmtplib.SMTP(
        hostname=server.host,
        port=server.effective_port,
        use_tls=server.security == "tls",
        start_tls=server.security == "starttls",
        tls_context=tls_context(server.ca_file) if server.security != "none" else None,
        timeout=float(server.timeout),
    )


def _certificate_error(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _permanent(exc: BaseException) -> bool:
    """Whether retrying the connection cannot help."""
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return exc.code >= 500
    transient = (
        aiosmtplib.SMTPConnectError,
        aiosmtplib.SMTPServerDisconnected,
        aiosmtplib.SMTPTimeoutError,
        OSError,
    )
    # What is left is a protocol refusal, e.g. STARTTLS not offered: never fall back to clear.
    return not isinstance(exc, transient)


async def _open(
    smtp: aiosmtplib.SMTP, server: SmtpConfig, creds: Credentials | None, account: str
) -> None:
    """Connect and log in.

    :raises SendError: permanent for an untrusted certificate or a refused login (retrying
        cannot help until the config changes); transient when the server cannot be reached.
    """
    where = f"{server.host}:{server.effective_port}"
    try:
        await smtp.connect()
    except (aiosmtplib.SMTPException, OSError) as exc:
        bad_cert = _certificate_error(exc)
        if bad_cert is not None:
            raise SendError(
                f"shopper {account!r}: TLS certificate of SMTP {where} not trusted "
                f"({bad_cert.verify_message}); set ca_file to trust a private CA",
                permanent=True,
            ) from exc
        raise SendError(
            f"shopper {account!r}: cannot connect to SMTP {where}: {exc}",
            permanent=_permanent(exc),
        ) from exc
    if creds is None:
        return
    try:
        if creds.token is not None:
            await smtp.auth_xoauth2(creds.username, creds.token)
        else:
            await smtp.login(creds.username, creds.password or "")
    except aiosmtplib.SMTPAuthenticationError as exc:
        raise SendError(
            f"shopper {account!r}: SMTP login as {creds.username!r} refused by {where}: "
            f"{exc.code} {exc.message}",
            permanent=True,
            code=exc.code,
        ) from exc
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise SendError(f"shopper {account!r}: SMTP login at {where} failed: {exc}") from exc


async def _close(smtp: aiosmtplib.SMTP) -> None:
    if smtp.is_connected:
        try:
            await smtp.quit()
        except (aiosmtplib.SMTPException, OSError):
            smtp.close()


async def deliver(
    raw: bytes,
    /,
    *,
    sender: str,
    recipient: str,
    server: SmtpConfig,
    creds: Credentials | None,
    account: str,
    clock: Callable[[], datetime],
) -> Delivery:
    """Send ``raw`` from ``sender`` to ``recipient`` over a fresh connection.

    ``creds`` None: no login (a relay that needs none).

    :raises SendError: when the connection or login fails before anything was sent.
    """
    smtp = _client(server)
    try:
        await _open(smtp, server, creds, account)
        try:
            await smtp.mail(sender)
            await smtp.rcpt(recipient)
        except aiosmtplib.SMTPResponseException as exc:
            return _refused(exc, "envelope")
        except (aiosmtplib.SMTPException, OSError) as exc:
            return Delivery(InquiryState.queued, error=f"connection lost before DATA: {exc}")
        try:
            response = await smtp.data(raw)
        except aiosmtplib.SMTPResponseException as exc:
            return _refused(exc, "DATA")
        except (aiosmtplib.SMTPException, OSError) as exc:
            # The server may have received the whole message: only reconciliation can tell.
            return Delivery(InquiryState.unknown, error=f"connection lost during DATA: {exc}")
        return Delivery(
            InquiryState.sent, sent_at=clock(), reply=f"{response.code} {response.message}"
        )
    finally:
        await _close(smtp)


async def check_login(server: SmtpConfig, *, creds: Credentials | None, account: str) -> None:
    """Connect (and log in, when the account has a login) without sending anything.

    :raises SendError: with the server's answer when that fails.
    """
    smtp = _client(server)
    try:
        await _open(smtp, server, creds, account)
    finally:
        await _close(smtp)
