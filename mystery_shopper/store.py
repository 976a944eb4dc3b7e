"""The database: engine set-up, schema migrations and the few writes every stage shares."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import QueryableAttribute, defer
from sqlalchemy.orm.strategy_options import _AbstractLoad
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine, select

from .config import Settings
from .errors import StoreError
from .models import Dealership, ShopperAccount

__all__ = ("migrate", "open_engine", "session_scope", "sync_config", "unloaded")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets reports read while a poll writes; FULL so a committed reply survives power loss.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def open_engine(url: str, *, migrate_schema: bool = True) -> Engine:
    """Create the engine for ``url`` and bring its schema up to date.

    :raises StoreError: when the database cannot be opened or migrated.
    """
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
    try:
        engine = create_engine(url, **kwargs)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        raise StoreError(f"cannot open database {_safe(url)}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if migrate_schema:
        migrate(engine)
    return engine


def _safe(url: str) -> str:
    # Never echo a password that a PostgreSQL URL may carry.
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (SQLAlchemyError, ValueError):
        return "<unparsable URL>"


def migrate(engine: Engine, revision: str = "head") -> None:
    """Apply the Alembic migrations shipped in ``mystery_shopper/migrations`` up to ``revision``."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", "mystery_shopper:migrations")
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot migrate database {_safe(str(engine.url))}: {exc}") from exc


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def sync_config(engine: Engine, settings: Settings) -> None:
    """Upsert the dealerships and shopper accounts named in the config (two reads, not one per
    row: every command starts with this)."""
    with session_scope(engine) as session:
        dealers = {d.slug: d for d in session.exec(select(Dealership)).all()}
        for d in settings.dealerships:
            row = dealers.get(d.slug) or Dealership(
                slug=d.slug, name="", inquiry_address="", timezone=""
            )
            row.name, row.inquiry_address, row.timezone = d.name, d.inquiry_address, d.timezone
            session.add(row)
        accounts = {a.name: a for a in session.exec(select(ShopperAccount)).all()}
        for s in settings.shoppers:
            acct = accounts.get(s.name) or ShopperAccount(name=s.name, address="")
            acct.address = s.address
            session.add(acct)


def unloaded(column: bytes) -> _AbstractLoad:
    """A query option that leaves a raw-message column unloaded, and refuses to load it later:
    a query that only needs the other columns then does not read every stored message in full."""
    return defer(cast("QueryableAttribute[bytes]", column), raiseload=True)
