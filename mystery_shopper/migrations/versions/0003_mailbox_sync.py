"""mailbox sync: UIDNEXT and UIDVALIDITY changes per folder, Date header, content uniqueness

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mystery_shopper.models

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mailbox_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uidnext", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column("uidvalidity_changes", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("uidvalidity_changed_at", mystery_shopper.models.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("received_message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("date_header_at", mystery_shopper.models.UTCDateTime(), nullable=True)
        )
        batch_op.create_unique_constraint(
            "uq_received_content", ["shopper_id", "folder", "message_id", "content_hash"]
        )


def downgrade() -> None:
    with op.batch_alter_table("received_message", schema=None) as batch_op:
        batch_op.drop_constraint("uq_received_content", type_="unique")
        batch_op.drop_column("date_header_at")
    with op.batch_alter_table("mailbox_state", schema=None) as batch_op:
        batch_op.drop_column("uidvalidity_changed_at")
        batch_op.drop_column("uidvalidity_changes")
        batch_op.drop_column("uidnext")
