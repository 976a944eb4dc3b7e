"""Credentials for a shopper's SMTP or IMAP login, fetched at the moment they are needed.

A password comes from the environment variable the config names; an OAuth2 access token
(XOAUTH2, for Gmail and Microsoft 365) from an environment variable or a token command whose
stdout is the token. Neither is ever logged, stored or put in an error message.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field

from .config import ImapConfig, ShopperConfig, SmtpConfig
from .errors import AuthError

__all__ = (
    "TOKEN_COMMAND_TIMEOUT",
    "Credentials",
    "credentials",
    "oauth_token",
    "smtp_credentials",
)

TOKEN_COMMAND_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a login needs. ``repr`` hides the secrets so a traceback cannot show them."""

    username: str
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)


def oauth_token(server: SmtpConfig | ImapConfig, account: str) -> str:
    """A current access token for ``server``.

    :raises AuthError: naming the account and the source (never the token) when none is had.
    """
    if server.token_env:
        token = os.environ.get(server.token_env, "").strip()
        if not token:
            raise AuthError(
                f"shopper {account!r}: environment variable {server.token_env} is empty"
            )
        return token
    if not server.token_command:
        raise AuthError(f"shopper {account!r}: no token_env or token_command configured")
    cmd = list(server.token_command)
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=TOKEN_COMMAND_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AuthError(f"shopper {account!r}: token command {cmd[0]!r} failed: {exc}") from None
    token = proc.stdout.strip()
    if proc.returncode != 0 or not token:
        # Neither stream is quoted: this message reaches the database (last_error), and a
        # helper may print a token or refresh token on stdout or stderr alike.
        what = "printed no token" if proc.returncode == 0 else f"exited with {proc.returncode}"
        raise AuthError(
            f"shopper {account!r}: token command {cmd[0]!r} {what} "
            "(run it by hand to see its output)"
        )
    return token


def credentials(server: SmtpConfig | ImapConfig, *, account: str, address: str) -> Credentials:
    """The login for ``server``: a token for XOAUTH2, else the password from the environment."""
    username = server.username or address
    if server.auth == "xoauth2":
        return Credentials(username, token=oauth_token(server, account))
    password = os.environ.get(server.password_env) if server.password_env else None
    return Credentials(username, password=password)


def smtp_credentials(shopper: ShopperConfig) -> Credentials | None:
    """The shopper's SMTP login; None for a server that needs none (an open relay).

    :raises AuthError: when the account's token cannot be had.
    """
    if not shopper.smtp.needs_login:
        return None
    return credentials(shopper.smtp, account=shopper.name, address=shopper.address)
