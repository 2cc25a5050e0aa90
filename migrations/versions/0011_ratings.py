"""Each decision's rating kept (raised in session 11): a request reopened and decided again
is rated again, and the new rating replaced the first decision's on the request's row, so
the first was kept nowhere. ``ratings`` holds one row per rated decision (the status
event's id, as ``requests.satisfaction_decision`` since 0010), its comment and when; the
request's row keeps the rating of the decision that stands, which the reports count.
Ratings given before this revision are copied in, one per rated request.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# timestamptz on PostgreSQL; SQLite stores UTC (see bot.db.models.UtcDateTime).
Instant = sa.DateTime(timezone=True)

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.Integer(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("rated_at", Instant, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ratings"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name="fk_ratings_request_id_requests",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_ratings_request_id", "ratings", ["request_id"])
    # the ratings kept so far, one per request (the latest decision's); a rating without
    # its instant (none is written so) dates from the request's last change
    op.execute(
        "INSERT INTO ratings (request_id, decision, rating, comment, rated_at) "
        "SELECT id, satisfaction_decision, satisfaction, satisfaction_comment, "
        "COALESCE(satisfaction_at, updated_at) FROM requests WHERE satisfaction IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_ratings_request_id", table_name="ratings")
    op.drop_table("ratings")
