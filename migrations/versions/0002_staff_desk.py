"""Staff desk and delivery: where each request's card lives, who took it, the paused clock,
the department topics, and delivery tracking on the outbox.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Started from autogenerate, then written out with plain types like 0001. The two new
NOT NULL outbox columns get server defaults so rows already queued stay valid.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "staff_topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("department", sa.String(32), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("created_at", Instant, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_staff_topics"),
        sa.UniqueConstraint("chat_id", "department", name="uq_staff_topics_chat_dept"),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column("channel", sa.String(16), nullable=False, server_default="staff")
        )
        batch.add_column(sa.Column("request_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("claimed_until", Instant, nullable=True))
        batch.add_column(sa.Column("provider_message_id", sa.String(160), nullable=True))
        batch.add_column(
            sa.Column("delivery_status", sa.String(16), nullable=False, server_default="queued")
        )
        batch.create_index("ix_outbox_provider_message_id", ["provider_message_id"])
        batch.create_index("ix_outbox_request_id", ["request_id"])
        batch.create_foreign_key(
            "fk_outbox_request_id_requests", "requests", ["request_id"], ["id"],
            ondelete="SET NULL",
        )  # fmt: skip
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("assigned_to", sa.String(160), nullable=True))
        batch.add_column(sa.Column("assigned_name", sa.String(160), nullable=True))
        batch.add_column(sa.Column("staff_chat_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("staff_thread_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("staff_message_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("pending_question", sa.Text(), nullable=True))
        batch.add_column(sa.Column("paused_since", Instant, nullable=True))
        batch.add_column(sa.Column("decision_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("reminded_at", Instant, nullable=True))
        batch.add_column(sa.Column("escalated_at", Instant, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        for column in (
            "escalated_at", "reminded_at", "decision_reason", "paused_since",
            "pending_question", "staff_message_id", "staff_thread_id", "staff_chat_id",
            "assigned_name", "assigned_to",
        ):  # fmt: skip
            batch.drop_column(column)
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("fk_outbox_request_id_requests", type_="foreignkey")
        batch.drop_index("ix_outbox_request_id")
        batch.drop_index("ix_outbox_provider_message_id")
        for column in (
            "delivery_status",
            "provider_message_id",
            "claimed_until",
            "request_id",
            "channel",
        ):
            batch.drop_column(column)
    op.drop_table("staff_topics")
