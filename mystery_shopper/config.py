"""Load and validate the TOML configuration once, into immutable typed objects.

Every problem is reported as one line naming the file, the key and what is wrong, e.g.
``shop.toml: dealerships[2].timezone: unknown time zone 'Mars/Base'``. Passwords never live in the
file: a server names the environment variable that holds its password (``password_env``).
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from .account_config import ImapConfig, ShopperConfig, SmtpConfig, check_address
from .campaign_config import CampaignConfig, VehicleConfig, read_inventory
from .errors import ConfigError

__all__ = (
    "AlertsConfig",
    "CampaignConfig",
    "DatabaseConfig",
    "DealershipConfig",
    "ImapConfig",
    "InquiriesConfig",
    "OpeningHours",
    "Settings",
    "ShopperConfig",
    "SmtpConfig",
    "VehicleConfig",
    "WatchConfig",
    "check_secrets",
    "load_settings",
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS_RE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
Number = StrictInt | StrictFloat


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OpeningHours(_Model):
    """Opening hours for one weekday: ``None`` when closed."""

    open: time
    close: time


def _parse_hours(day: str, value: object) -> OpeningHours | None:
    if not isinstance(value, str):
        raise ValueError(f'{day}: expected "HH:MM-HH:MM" or "closed", got {value!r}')
    if value.strip().lower() == "closed":
        return None
    m = _HOURS_RE.match(value.strip())
    if not m:
        raise ValueError(f'{day}: expected "HH:MM-HH:MM" or "closed", got {value!r}')
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        raise ValueError(f"{day}: not a time of day in {value!r}")
    close = time.max if h2 == 24 else time(h2, m2)
    if close <= time(h1, m1):
        raise ValueError(f"{day}: closing time is not after opening time in {value!r}")
    return OpeningHours(open=time(h1, m1), close=close)


_DEFAULT_HOURS = {d: "09:00-18:00" for d in WEEKDAYS[:5]} | {"sat": "09:00-17:00", "sun": "closed"}


class DealershipConfig(_Model):
    """A rooftop that is shopped: where inquiries go and how to recognise its replies."""

    slug: StrictStr
    name: StrictStr = Field(min_length=1)
    inquiry_address: StrictStr
    sender_domains: tuple[StrictStr, ...] = ()
    timezone: StrictStr
    group: StrictStr | None = None
    # Vehicles to ask about: "2025 Toyota RAV4 XLE" or a table with stock number and colour.
    vehicles: tuple[VehicleConfig, ...] = ()
    # A CSV inventory (columns: description, stock_number, colour); read at load time.
    inventory_csv: StrictStr | None = None
    # Weekday -> opening hours; a weekday that is missing is closed.
    hours: dict[str, OpeningHours | None] = Field(default_factory=dict)
    holidays: tuple[date, ...] = ()

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG_RE.match(value):
            raise ValueError(f"use lower-case letters, digits, '-' and '_': {value!r}")
        return value

    @field_validator("inquiry_address")
    @classmethod
    def _inquiry_address(cls, value: str) -> str:
        return check_address(value)

    @field_validator("sender_domains")
    @classmethod
    def _domains(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(d.lower().lstrip("@") for d in value)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("hours", mode="before")
    @classmethod
    def _hours(cls, value: object) -> dict[str, OpeningHours | None]:
        if not isinstance(value, dict):
            raise ValueError('expected a table of weekdays, e.g. { mon = "09:00-18:00" }')
        unknown = sorted(set(value) - set(WEEKDAYS))
        if unknown:
            raise ValueError(f"unknown weekday {unknown[0]!r} (use {', '.join(WEEKDAYS)})")
        return {day: _parse_hours(day, value[day]) for day in WEEKDAYS if day in value}

    @model_validator(mode="before")
    @classmethod
    def _default_hours(cls, data: Any) -> Any:
        if isinstance(data, dict) and "hours" not in data:
            return {**data, "hours": _DEFAULT_HOURS}
        return data

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def domain(self) -> str:
        return self.inquiry_address.rsplit("@", 1)[1].lower()


class InquiriesConfig(_Model):
    """What is sent and how long replies are waited for."""

    # Extra template directory searched before the built-in templates/ (override or add).
    templates_dir: StrictStr | None = None
    scenarios: tuple[StrictStr, ...] = Field(default=("price_quote",), min_length=1)
    observation_window_hours: Number = Field(default=72, gt=0)
    # Without a [[campaigns]] entry, a dealership gets a new inquiry when its last one is this old.
    every_days: Number = Field(default=90, gt=0)
    # Inquiries per `send` run at most; the rest wait for the next run.
    batch_size: StrictInt = Field(default=20, ge=1)
    # Every random choice (schedule, persona, vehicle, wording) derives from this: replayable.
    seed: StrictInt = 1
    # Sprinkle a few everyday misspellings into some inquiries.
    typos: StrictBool = True
    # A 4xx reply is retried this many times in all, with jittered exponential backoff.
    max_attempts: StrictInt = Field(default=5, ge=1)
    retry_base_minutes: Number = Field(default=5, gt=0)
    # An `unknown` send not found in the Sent folder after this long is reported as lost.
    reconcile_grace_hours: Number = Field(default=24, gt=0)


class AlertsConfig(_Model):
    """When an inquiry is worth an alert."""

    personal_within_minutes: Number = Field(default=60, gt=0)
    enabled: StrictBool = True


class WatchConfig(_Model):
    """How ``watch`` keeps its one IMAP connection per account (IDLE on INBOX)."""

    # false: poll with NOOP even where the server offers IDLE (for servers whose IDLE is broken).
    idle: StrictBool = True
    # IDLE is ended and re-issued at least this often (RFC 2177 allows 29; imapclient advises 10).
    idle_renew_minutes: Number = Field(default=10, gt=0, le=29)
    # Folders other than the first (Junk, All Mail) are checked with STATUS UIDNEXT this often;
    # a server without IDLE is polled this often too.
    poll_seconds: Number = Field(default=30, gt=0)
    # Watchdog: a connection silent this long (not even "* OK Still here") is probed with a round
    # trip; a round trip unanswered within the IMAP timeout drops and reconnects.
    silent_seconds: Number = Field(default=300, gt=0)
    # Reconnect backoff: 1 s doubling up to this, with jitter.
    backoff_max_seconds: Number = Field(default=300, gt=0)


class DatabaseConfig(_Model):
    url: StrictStr = "sqlite:///mystery_shopper.db"

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_db_url(value)


def check_db_url(url: str) -> str:
    """Refuse a database URL that carries a password: secrets come from the environment.

    The password itself is never echoed.
    """
    try:
        password = make_url(url).password
    except ArgumentError:
        return url  # not a URL at all: opening the store says so
    if password is not None:
        raise ValueError("holds a password: leave it out and set PGPASSWORD or ~/.pgpass instead")
    return url


class Settings(_Model):
    """The whole validated configuration."""

    source: StrictStr = "<memory>"
    database: DatabaseConfig = DatabaseConfig()
    shoppers: tuple[ShopperConfig, ...] = Field(min_length=1)
    dealerships: tuple[DealershipConfig, ...] = Field(min_length=1)
    inquiries: InquiriesConfig = InquiriesConfig()
    campaigns: tuple[CampaignConfig, ...] = ()
    alerts: AlertsConfig = AlertsConfig()
    watch: WatchConfig = WatchConfig()

    @model_validator(mode="after")
    def _unique(self) -> Settings:
        for key, items in (
            ("shoppers", [s.name for s in self.shoppers]),
            ("dealerships", [d.slug for d in self.dealerships]),
        ):
            seen: set[str] = set()
            for i, value in enumerate(items):
                if value in seen:
                    raise ValueError(f"{key}[{i}]: duplicate {value!r}")
                seen.add(value)
        slugs = {d.slug for d in self.dealerships}
        groups = {d.group for d in self.dealerships if d.group}
        for i, camp in enumerate(self.campaigns):
            for slug in camp.dealerships:
                if slug not in slugs:
                    raise ValueError(f"campaigns[{i}].dealerships: no dealership {slug!r}")
            if camp.group is not None and camp.group not in groups:
                raise ValueError(f"campaigns[{i}].group: no dealership has group {camp.group!r}")
        covered: dict[str, int] = {}
        for i, camp in enumerate(self.campaigns):
            for d in self.dealerships:
                if camp.covers(d.slug, d.group):
                    if d.slug in covered:
                        raise ValueError(
                            f"campaigns[{i}]: dealership {d.slug!r} is already in "
                            f"campaigns[{covered[d.slug]}]"
                        )
                    covered[d.slug] = i
        return self

    def campaign_for(self, slug: str) -> CampaignConfig | None:
        """The campaign naming the dealership or its group; None: the every_days rule."""
        group = self.dealership(slug).group
        return next((camp for camp in self.campaigns if camp.covers(slug, group)), None)

    def dealership(self, slug: str) -> DealershipConfig:
        return next(d for d in self.dealerships if d.slug == slug)

    def shopper(self, name: str) -> ShopperConfig:
        return next(s for s in self.shoppers if s.name == name)


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part not in ("function-after", "function-before") and not part.startswith("function"):
            out += f".{part}" if out else str(part)
    return out


def _describe(err: Any) -> str:
    kind = err["type"]
    if kind == "missing":
        return "missing required key"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "value_error":
        return str(err["ctx"]["error"])
    msg = str(err["msg"])
    msg = msg[0].lower() + msg[1:]
    value = err.get("input")
    if isinstance(value, str | int | float | bool):
        msg += f", got {value!r}"
    return msg


def _format_validation(source: str, exc: ValidationError) -> str:
    errors = exc.errors()
    first = errors[0]
    where = _where(tuple(first["loc"]))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{source}: {where + ': ' if where else ''}{_describe(first)}{more}"


def _resolve_db_url(url: str, base: Path) -> str:
    # A relative SQLite path is taken from the config file's folder, so cron's cwd doesn't matter.
    prefix = "sqlite:///"
    if url.startswith(prefix) and url != prefix and not url[len(prefix) :].startswith("/"):
        rest = url[len(prefix) :]
        if rest != ":memory:" and not rest.startswith("file:"):
            return prefix + str((base / rest).resolve())
    return url


def load_settings(path: str | Path) -> Settings:
    """Read, parse and validate a configuration file.

    :raises ConfigError: with one line ``FILE: KEY: PROBLEM``.
    """
    path = Path(path)
    name = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{name}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name}: cannot read config: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: invalid TOML: {exc}") from None
    try:
        settings = Settings.model_validate({**data, "source": name})
    except ValidationError as exc:
        raise ConfigError(_format_validation(name, exc)) from None
    settings = _with_inventories(settings, path.parent)
    url = _resolve_db_url(settings.database.url, path.parent)
    inquiries = settings.inquiries
    if inquiries.templates_dir and not Path(inquiries.templates_dir).is_absolute():
        tdir = str((path.parent / inquiries.templates_dir).resolve())
        inquiries = inquiries.model_copy(update={"templates_dir": tdir})
    return settings.model_copy(update={"database": DatabaseConfig(url=url), "inquiries": inquiries})


def _with_inventories(settings: Settings, base: Path) -> Settings:
    dealers = []
    for i, d in enumerate(settings.dealerships):
        if d.inventory_csv:
            where = f"{settings.source}: dealerships[{i}].inventory_csv"
            vehicles = d.vehicles + read_inventory(base / d.inventory_csv, where)
            d = d.model_copy(update={"vehicles": vehicles})
        dealers.append(d)
    return settings.model_copy(update={"dealerships": tuple(dealers)})


def check_secrets(settings: Settings) -> None:
    """Check that every password variable the config names is set.

    :raises ConfigError: naming the first missing variable and where the config asks for it.
    """
    for i, shopper in enumerate(settings.shoppers):
        for kind, server in (("smtp", shopper.smtp), ("imap", shopper.imap)):
            for key in ("password_env", "token_env"):
                env = getattr(server, key)
                if env and not os.environ.get(env):
                    raise ConfigError(
                        f"{settings.source}: shoppers[{i}].{kind}.{key}: "
                        f"environment variable {env} is not set"
                    )
