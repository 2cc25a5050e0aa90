"""Officers' internal notes on a request: seen only by officers (the staff group's /note,
``tawasul staff note``), never sent to the person. A table of their own rather than rows
of the audit trail (status_events), which the person's status history and «my data» read.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# timestamptz on PostgreSQL; SQLite stores UTC (see bot.db.models.UtcDateTime).
Instant = sa.DateTime(timezone=True)

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(160), nullable=False),
        sa.Column("at", Instant, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_staff_notes"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name="fk_staff_notes_request_id_requests",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_staff_notes_request_id", "staff_notes", ["request_id"])


def downgrade() -> None:
    op.drop_index("ix_staff_notes_request_id", table_name="staff_notes")
    op.drop_table("staff_notes")
