"""outbox: retry time, claim lease, campaign slot, sent_at source, Sent-folder copy, phrasing

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mystery_shopper.models

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inquiry", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_attempt_at", mystery_shopper.models.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("claimed_until", mystery_shopper.models.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("campaign_slot", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("sent_at_source", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("phrasing", sa.String(), nullable=True))
        batch_op.add_column(
            sa.Column("saved_to_sent", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(
            batch_op.f("ix_inquiry_campaign_slot"), ["campaign_slot"], unique=False
        )
    # Inquiries sent before this revision were accepted by SMTP (sent_at meant that already);
    # no Sent-folder copy is owed for them, or upgrading would file every old inquiry at once.
    # Written with SQLAlchemy, not SQL text: PostgreSQL will not set a boolean to 1.
    inquiry = sa.table(
        "inquiry", sa.column("state"), sa.column("sent_at_source"), sa.column("saved_to_sent")
    )
    op.execute(
        inquiry.update()
        .where(inquiry.c.state == "sent")
        .values(sent_at_source="smtp", saved_to_sent=sa.true())
    )


def downgrade() -> None:
    with op.batch_alter_table("inquiry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inquiry_campaign_slot"))
        batch_op.drop_column("saved_to_sent")
        batch_op.drop_column("phrasing")
        batch_op.drop_column("sent_at_source")
        batch_op.drop_column("campaign_slot")
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("next_attempt_at")
