"""Configuration of the shopper accounts: their mail servers, logins and personas.

Kept apart from config.py, which imports these models into ``Settings``. Passwords never live
in the file: a server names the environment variable that holds its password (``password_env``)
or how to get an OAuth2 token (``token_env``, ``token_command``).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

__all__ = ("ImapConfig", "ShopperConfig", "SmtpConfig", "check_address")

Security = Literal["starttls", "tls", "none"]
AuthMethod = Literal["password", "xoauth2"]
Number = StrictInt | StrictFloat
_ADDRESS_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_ENV_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def check_address(value: str) -> str:
    if not _ADDRESS_RE.match(value):
        raise ValueError(f"not an e-mail address: {value!r}")
    return value


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host.lower() == "localhost"


class _Server(_Model):
    host: StrictStr = Field(min_length=1)
    port: StrictInt | None = Field(default=None, ge=1, le=65535)
    security: Security
    username: StrictStr | None = None
    password_env: StrictStr | None = None
    ca_file: StrictStr | None = None
    timeout: Number = Field(default=30, gt=0)
    # xoauth2: an OAuth2 access token (Gmail, Microsoft 365), from token_env or token_command.
    auth: AuthMethod = "password"
    token_env: StrictStr | None = None
    # Run (no shell) to print a fresh access token on stdout, e.g. a refresh-token helper.
    token_command: tuple[StrictStr, ...] | None = Field(default=None, min_length=1)
    # security = "none" with a login is refused unless the host is loopback or this is set.
    allow_plaintext_login: StrictBool = False

    @model_validator(mode="before")
    @classmethod
    def _no_password(cls, data: Any) -> Any:
        if isinstance(data, dict) and "password" in data:
            raise ValueError(
                "password: not read from the config file; put it in an environment variable "
                "and name that variable in password_env"
            )
        return data

    @field_validator("password_env", "token_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        if value is not None and not _ENV_RE.match(value):
            raise ValueError(f"not an environment variable name: {value!r}")
        return value

    @model_validator(mode="after")
    def _auth_source(self) -> _Server:
        if self.auth == "xoauth2":
            if self.password_env is not None:
                raise ValueError('password_env: not used with auth = "xoauth2"')
            if (self.token_env is None) == (self.token_command is None):
                raise ValueError('auth = "xoauth2" needs exactly one of token_env, token_command')
        elif self.token_env is not None or self.token_command is not None:
            raise ValueError('token_env/token_command: only used with auth = "xoauth2"')
        if (
            self.security == "none"
            and self.needs_login
            and not self.allow_plaintext_login
            and not _is_loopback(self.host)
        ):
            raise ValueError(
                f'security = "none" would send the login to {self.host} unencrypted; '
                'use "starttls" or "tls" (or set allow_plaintext_login = true)'
            )
        return self

    @property
    def needs_login(self) -> bool:
        return self.auth == "xoauth2" or self.password_env is not None


class SmtpConfig(_Server):
    """Outgoing server of a shopper account. ``password_env`` may be omitted for open relays."""

    security: Security = "starttls"

    @property
    def effective_port(self) -> int:
        return self.port or {"starttls": 587, "tls": 465, "none": 25}[self.security]


class ImapConfig(_Server):
    """Incoming server of a shopper account; a login is always needed."""

    security: Security = "tls"

    @model_validator(mode="after")
    def _login_needed(self) -> ImapConfig:
        if self.auth == "password" and not self.password_env:
            raise ValueError("password_env: missing required key")
        return self

    @property
    def effective_port(self) -> int:
        return self.port or {"starttls": 143, "tls": 993, "none": 143}[self.security]


class ShopperConfig(_Model):
    """A non-dealer mailbox that sends inquiries and receives the replies."""

    name: StrictStr = Field(min_length=1)
    address: StrictStr
    display_name: StrictStr = Field(min_length=1)
    smtp: SmtpConfig
    imap: ImapConfig
    # Special-use folders are written with their flag (``\\Junk``) and found with LIST.
    folders: tuple[StrictStr, ...] = ("INBOX", "\\Junk")
    # The persona behind the mailbox, used by the templates: optional phone, home town and
    # the car a trade-in scenario asks about.
    phone: StrictStr | None = None
    town: StrictStr | None = None
    trade_in: StrictStr | None = None
    # Copy each sent inquiry into the Sent folder over IMAP, as a mail client does. Turn off for
    # providers that file SMTP submissions themselves (Gmail, Microsoft 365).
    save_to_sent: StrictBool = True
    # The Sent folder: a special-use flag found with LIST, or a folder name.
    sent_folder: StrictStr = "\\Sent"
    # Send a multipart/alternative with an HTML part too, as webmail clients do.
    html: StrictBool = False

    @field_validator("address")
    @classmethod
    def _check_address(cls, value: str) -> str:
        return check_address(value)

    @property
    def domain(self) -> str:
        return self.address.rsplit("@", 1)[1].lower()
