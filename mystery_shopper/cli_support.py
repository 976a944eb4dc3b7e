"""What every ``mystery-shopper`` command shares: its state, its options and its errors."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from sqlalchemy.engine import Engine

from .config import Settings, check_db_url, load_settings
from .errors import ConfigError, MysteryShopperError
from .store import open_engine, sync_config

__all__ = ("State", "closed_with_command", "config_options", "errors", "pass_state")

F = TypeVar("F", bound=Callable[..., Any])


class State:
    """The global options; the settings are read, and the database opened, only when needed."""

    def __init__(self, config: str, db: str | None):
        self.config_path = config
        self.db = db
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            settings = load_settings(self.config_path)
            if self.db:
                try:
                    check_db_url(self.db)
                except ValueError as exc:
                    raise ConfigError(f"--db: {exc}") from None
                settings = settings.model_copy(
                    update={"database": settings.database.model_copy(update={"url": self.db})}
                )
            self._settings = settings
        return self._settings

    def engine(self) -> Engine:
        engine = closed_with_command(open_engine(self.settings.database.url))
        sync_config(engine, self.settings)
        return engine


def closed_with_command(engine: Engine) -> Engine:
    # Close the pool's connections when the command ends, not whenever the engine is collected.
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(engine.dispose)
    return engine


def errors(fn: F) -> F:
    """One line on stderr instead of a traceback: exit 2 for bad config, 1 for the rest."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ConfigError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except MysteryShopperError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


pass_state = click.make_pass_decorator(State)


def _override(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        state = ctx.find_object(State)
        assert state is not None
        setattr(state, "config_path" if param.name == "config" else "db", value)


def config_options(fn: F) -> F:
    """Accept -c/--config and --db after the command name too (``check -c shop.toml``)."""
    fn = click.option(
        "--db",
        metavar="URL",
        expose_value=False,
        callback=_override,
        help="Database URL; overrides [database] url.",
    )(fn)
    fn = click.option(
        "-c",
        "--config",
        metavar="FILE",
        expose_value=False,
        callback=_override,
        help="Configuration file.",
    )(fn)
    return fn
