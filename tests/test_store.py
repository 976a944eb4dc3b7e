from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from helpers import BASE_CONFIG, write_config
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

from mystery_shopper.config import load_settings
from mystery_shopper.models import Dealership, ReceivedMessage, ShopperAccount
from mystery_shopper.store import open_engine, session_scope, sync_config


def test_migrations_match_the_models(open_store: Callable[[], Engine]) -> None:
    engine = open_store()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []
    assert "alembic_version" in inspect(engine).get_table_names()


def test_reopening_a_database_is_a_no_op(open_store: Callable[[], Engine]) -> None:
    open_store()
    open_store()  # already at head: must not fail or recreate tables


def _message(shopper_id: int, received_at: datetime, uid: int = 1) -> ReceivedMessage:
    return ReceivedMessage(
        shopper_id=shopper_id,
        folder="INBOX",
        uidvalidity=7,
        uid=uid,
        message_id="<m@x>",
        content_hash="h",
        size=3,
        raw=b"abc",
        received_at=received_at,
        detected_at=received_at,
    )


def test_times_come_back_aware_utc(open_store: Callable[[], Engine]) -> None:
    engine = open_store()
    plus_two = timezone(timedelta(hours=2))
    when = datetime(2026, 11, 24, 18, 0, 5, tzinfo=plus_two)
    with session_scope(engine) as s:
        acct = ShopperAccount(name="a", address="a@x.test")
        s.add(acct)
        s.flush()
        assert acct.id is not None
        s.add(_message(acct.id, when))
    with session_scope(engine) as s:
        row = s.exec(select(ReceivedMessage)).one()
    assert row.received_at == when
    assert row.received_at.tzinfo == UTC
    assert row.raw == b"abc"


def test_naive_times_are_refused(open_store: Callable[[], Engine]) -> None:
    engine = open_store()
    with pytest.raises(Exception, match="naive datetime"):
        with session_scope(engine) as s:
            acct = ShopperAccount(name="a", address="a@x.test")
            s.add(acct)
            s.flush()
            assert acct.id is not None
            s.add(_message(acct.id, datetime(2026, 1, 1)))


def test_same_message_cannot_be_stored_twice(open_store: Callable[[], Engine]) -> None:
    engine = open_store()
    now = datetime.now(UTC)
    with pytest.raises(IntegrityError):
        with session_scope(engine) as s:
            acct = ShopperAccount(name="a", address="a@x.test")
            s.add(acct)
            s.flush()
            assert acct.id is not None
            s.add(_message(acct.id, now))
            s.flush()
            s.add(_message(acct.id, now))


def test_sync_config_updates_rows_in_place_and_adds_new_ones(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path}/db.sqlite")
    sync_config(engine, load_settings(write_config(tmp_path)))
    with session_scope(engine) as s:
        first_id = s.exec(select(Dealership)).one().id
    changed = BASE_CONFIG.replace("Acme Motors", "Acme Motors West") + (
        '[[dealerships]]\nslug = "bolt"\nname = "Bolt"\ninquiry_address = "a@bolt.test"\n'
        'timezone = "Europe/Berlin"\n'
    )
    changed = changed.replace("alex@shopper.test", "alex2@shopper.test")
    sync_config(engine, load_settings(write_config(tmp_path, changed)))
    with session_scope(engine) as s:
        dealers = {d.slug: (d.id, d.name) for d in s.exec(select(Dealership)).all()}
        accounts = [(a.name, a.address) for a in s.exec(select(ShopperAccount)).all()]
    assert dealers["acme"] == (first_id, "Acme Motors West")
    assert set(dealers) == {"acme", "bolt"}
    assert accounts == [("alex", "alex2@shopper.test")]
