"""The person's say about their request (issue 13): the satisfaction asked once after a
decision and its answer, a reconsideration asked for, and the kind of audit rows that
leave the status as it was (the person's notes, the reconsideration, keeping a rejection).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

All nullable: requests and audit rows from before simply have none of it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# timestamptz on PostgreSQL; SQLite stores UTC (see bot.db.models.UtcDateTime).
Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("survey_asked_at", Instant, nullable=True))
        batch.add_column(sa.Column("satisfaction", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("satisfaction_comment", sa.Text(), nullable=True))
        batch.add_column(sa.Column("satisfaction_at", Instant, nullable=True))
        batch.add_column(sa.Column("reconsider_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("status_events") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("status_events") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("requests") as batch:
        for column in (
            "reconsider_reason",
            "satisfaction_at",
            "satisfaction_comment",
            "satisfaction",
            "survey_asked_at",
        ):
            batch.drop_column(column)
