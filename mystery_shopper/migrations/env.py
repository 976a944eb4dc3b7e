"""Alembic environment: run with a connection handed over by ``store.migrate``."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from mystery_shopper import models  # noqa: F401  (registers the tables on the metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite can't ALTER most things
)
with context.begin_transaction():
    context.run_migrations()
