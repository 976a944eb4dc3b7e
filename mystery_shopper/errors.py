"""The one exception tree of mystery-shopper.

* MysteryShopperError
  + ConfigError        -- the configuration file or environment is wrong (CLI exit 2)
  + StoreError         -- the database cannot be opened or migrated
  + ComposeError       -- an inquiry template cannot be rendered
  + AuthError          -- a login credential (password or OAuth2 token) cannot be had
  + SendError          -- SMTP delivery failed; ``permanent`` says whether a retry can help
  + MailboxError       -- IMAP login, selection or fetch failed

Foreign exceptions (aiosmtplib, imapclient, SQLAlchemy, Jinja2) are caught only at the edge that
uses the library and re-raised as one of these, chained with ``from``.
"""

from __future__ import annotations

__all__ = (
    "AuthError",
    "ComposeError",
    "ConfigError",
    "MailboxError",
    "MysteryShopperError",
    "SendError",
    "StoreError",
)


class MysteryShopperError(Exception):
    """Root of every error this package raises on purpose."""


class ConfigError(MysteryShopperError):
    """The configuration is invalid. The message is one line naming file, key and problem."""


class StoreError(MysteryShopperError):
    """The database cannot be opened, migrated or written."""


class ComposeError(MysteryShopperError):
    """An inquiry could not be rendered from its template."""


class AuthError(MysteryShopperError):
    """A password or OAuth2 access token for a shopper account cannot be had."""


class SendError(MysteryShopperError):
    """An inquiry could not be handed to the SMTP server.

    ``permanent`` is True when retrying cannot help (a 5xx reply, a refused login).
    """

    def __init__(self, message: str, /, *, permanent: bool = False, code: int | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.code = code


class MailboxError(MysteryShopperError):
    """An IMAP operation on a shopper's mailbox failed."""

    def __init__(self, message: str, /, *, account: str = ""):
        super().__init__(message)
        self.account = account
