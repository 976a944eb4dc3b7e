"""Hand one inquiry to the shopper's SMTP server (the only user of aiosmtplib).

The result says exactly what is known: ``sent`` only after the server accepted the message
(``sent_at`` is that moment); ``unknown`` when the connection broke or timed out after DATA began,
so the server may have it and it must never be resent blindly; ``queued`` for a transient refusal
before that point; ``failed`` for a permanent (5xx) refusal, with the server's reply.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import aiosmtplib

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


async def deliver(
    raw: bytes,
    /,
    *,
    sender: str,
    recipient: str,
    server: SmtpConfig,
    username: str,
    password: str | None,
    account: str,
    clock: Callable[[], datetime],
) -> Delivery:
    """Send ``raw`` from ``sender`` to ``recipient`` over a fresh connection.

    :raises SendError: (permanent) when the server refuses the account's login.
    """
    smtp = aiosmtplib.SMTP(
        hostname=server.host,
        port=server.effective_port,
        use_tls=server.security == "tls",
        start_tls=server.security == "starttls",
        tls_context=tls_context(server.ca_file) if server.security != "none" else None,
        timeout=float(server.timeout),
    )
    where = f"{server.host}:{server.effective_port}"
    try:
        await smtp.connect()
    except (aiosmtplib.SMTPException, OSError) as exc:
        return Delivery(InquiryState.queued, error=f"cannot connect to {where}: {exc}")
    try:
        if password is not None:
            try:
                await smtp.login(username, password)
            except aiosmtplib.SMTPAuthenticationError as exc:
                raise SendError(
                    f"shopper {account!r}: SMTP login refused by {where}: {exc.code} {exc.message}",
                    permanent=True,
                    code=exc.code,
                ) from exc
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
        if smtp.is_connected:
            try:
                await smtp.quit()
            except (aiosmtplib.SMTPException, OSError):
                smtp.close()


async def check_login(server: SmtpConfig, *, username: str, password: str | None) -> None:
    """Connect (and log in, when a password is configured) without sending anything.

    :raises SendError: with the server's answer when that fails.
    """
    smtp = aiosmtplib.SMTP(
        hostname=server.host,
        port=server.effective_port,
        use_tls=server.security == "tls",
        start_tls=server.security == "starttls",
        tls_context=tls_context(server.ca_file) if server.security != "none" else None,
        timeout=float(server.timeout),
    )
    where = f"SMTP {server.host}:{server.effective_port}"
    try:
        await smtp.connect()
        if password is not None:
            await smtp.login(username, password)
    except aiosmtplib.SMTPException as exc:
        raise SendError(f"{where}: {exc}", permanent=True) from exc
    except OSError as exc:
        raise SendError(f"{where}: {exc}") from exc
    finally:
        if smtp.is_connected:
            smtp.close()
