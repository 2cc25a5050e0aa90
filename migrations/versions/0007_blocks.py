"""Blocked people (issue 14): an officer stops the bot from serving the person behind a
request; one row per block, kept after it is lifted, as the audit trail.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# timestamptz on PostgreSQL; SQLite stores UTC (see bot.db.models.UtcDateTime).
Instant = sa.DateTime(timezone=True)

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("user_key", sa.String(128), nullable=False),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.Column("request_number", sa.String(10), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("blocked_by", sa.String(160), nullable=False),
        sa.Column("blocked_at", Instant, nullable=False),
        sa.Column("unblocked_by", sa.String(160), nullable=True),
        sa.Column("unblocked_at", Instant, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blocks")),
    )
    op.create_index("ix_blocks_channel_user_key", "blocks", ["channel", "user_key"])


def downgrade() -> None:
    op.drop_index("ix_blocks_channel_user_key", table_name="blocks")
    op.drop_table("blocks")
