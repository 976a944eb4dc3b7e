"""Open and close one authenticated IMAP connection to a shopper's mailbox.

TLS is verified unless the account says ``security = "none"`` (refused off loopback); the
password or OAuth2 token comes from :mod:`.auth`, never from the config file.
"""

from __future__ import annotations

import ssl

import imapclient
from imapclient.exceptions import IMAPClientError

from .auth import credentials
from .config import ShopperConfig
from .errors import MailboxError
from .send import tls_context

__all__ = ("connect", "find_folder", "logout")


def connect(shopper: ShopperConfig) -> imapclient.IMAPClient:
    """Log in to the shopper's IMAP server (password or XOAUTH2, see auth.py).

    :raises MailboxError: naming the account when connecting or logging in fails.
    :raises AuthError: when the account's token or password cannot be had.
    """
    cfg = shopper.imap
    where = f"{cfg.host}:{cfg.effective_port}"
    creds = credentials(cfg, account=shopper.name, address=shopper.address)
    ctx = tls_context(cfg.ca_file) if cfg.security != "none" else None
    try:
        client = imapclient.IMAPClient(
            cfg.host,
            port=cfg.effective_port,
            ssl=cfg.security == "tls",
            ssl_context=ctx,
            timeout=imapclient.SocketTimeout(connect=float(cfg.timeout), read=float(cfg.timeout)),
        )
        if cfg.security == "starttls":
            client.starttls(ctx)
    except (OSError, ssl.SSLError, IMAPClientError) as exc:
        raise MailboxError(
            f"shopper {shopper.name!r}: cannot connect to IMAP {where}: {exc}", account=shopper.name
        ) from exc
    try:
        if creds.token is not None:
            client.oauth2_login(creds.username, creds.token)
        else:
            client.login(creds.username, creds.password or "")
    except (OSError, IMAPClientError) as exc:
        logout(client)
        raise MailboxError(
            f"shopper {shopper.name!r}: IMAP login refused by {where}: {exc}", account=shopper.name
        ) from exc
    # Aware datetimes: INTERNALDATE keeps the server's offset instead of becoming naive local time.
    client.normalise_times = False
    return client


def find_folder(client: imapclient.IMAPClient, wanted: str) -> str | None:
    """The folder a config names: a name as given, or the one LIST marks with a special-use
    flag such as ``\\Junk`` (RFC 6154); None when no folder has that flag."""
    if not wanted.startswith("\\"):
        return wanted
    name = client.find_special_folder(wanted.encode())
    return str(name) if name else None


def logout(client: imapclient.IMAPClient) -> None:
    """Log out, or just drop the connection when the server no longer answers."""
    try:
        client.logout()
    except (OSError, IMAPClientError):
        try:
            client.shutdown()
        except OSError:
            pass
