"""Notes of photos or files lost while Redis was away (issue 11): kept in SQL so that any
worker, not only the one that apologised, holds «Done» until the file is sent again.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# timestamptz on PostgreSQL; SQLite stores UTC (see bot.db.models.UtcDateTime).
Instant = sa.DateTime(timezone=True)

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lost_file_notes",
        sa.Column("person", sa.String(64), nullable=False),
        sa.Column("files", sa.Integer(), nullable=False),
        sa.Column("noted_at", Instant, nullable=False),
        sa.PrimaryKeyConstraint("person", name=op.f("pk_lost_file_notes")),
    )


def downgrade() -> None:
    op.drop_table("lost_file_notes")
