"""classification evidence: body fingerprint and quality of a personal reply

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 13:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("received_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body_fingerprint", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("quality_score", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("quality", sa.JSON(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_received_message_body_fingerprint"), ["body_fingerprint"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("received_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_received_message_body_fingerprint"))
        batch_op.drop_column("quality")
        batch_op.drop_column("quality_score")
        batch_op.drop_column("body_fingerprint")
