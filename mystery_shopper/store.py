"""The database: engine set-up, schema migrations and the few writes every stage shares."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
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

__all__ = (
    "migrate",
    "open_engine",
    "open_read_only",
    "session_scope",
    "sync_config",
    "sync_rows",
    "unloaded",
)


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
    except ImportError as exc:
        hint = " (pip install 'mystery-shopper[postgres]')" if url.startswith("postgres") else ""
        raise StoreError(f"cannot open database {_safe(url)}: {exc}{hint}") from exc
    except (SQLAlchemyError, ValueError) as exc:
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


def _alembic_config() -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", "mystery_shopper:migrations")
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Apply the Alembic migrations shipped in ``mystery_shopper/migrations`` up to ``revision``."""
    cfg = _alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot migrate database {_safe(str(engine.url))}: {exc}") from exc


def open_read_only(url: str) -> Engine:
    """An engine for a command that must write nothing (``send --dry-run``).

    The schema is not migrated: a SQLite file that does not exist yet is stood in for by a fresh
    in-memory database (so no file appears), and a database at an older schema is refused
    rather than upgraded behind the user's back.

    :raises StoreError: when the database cannot be opened or is not at the current schema.
    """
    parsed = make_url(url) if "://" in url else None
    path = parsed.database if parsed is not None and parsed.get_backend_name() == "sqlite" else None
    if path and path != ":memory:" and not Path(path).exists():
        return open_engine("sqlite://")
    engine = open_engine(url, migrate_schema=False)
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open database {_safe(url)}: {exc}") from exc
    if current != head:
        raise StoreError(
            f"database {_safe(url)} is at schema {current or 'none'}, not {head}; "
            "run any command without --dry-run once to upgrade it"
        )
    return engine


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
        sync_rows(session, settings)


def sync_rows(session: Session, settings: Settings) -> None:
    """:func:`sync_config` inside a session the caller commits or rolls back."""
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
