"""Initial schema: accounts, bound identities, requests, attachments, status events, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Written by hand to match bot/db/models.py as of this revision (names follow its naming
convention); tests/integration/test_db_migrations.py checks that they agree. Types are
spelled out here rather than imported from the models so that later model changes cannot
rewrite history.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# timestamptz on PostgreSQL; SQLite stores UTC (see bot.db.models.UtcDateTime).
Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("user_key", sa.String(128), nullable=False),
        sa.Column("verified_phone", sa.String(20), nullable=True),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.Column("created_at", Instant, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
        sa.UniqueConstraint("channel", "user_key", name="uq_accounts_channel_user_key"),
    )
    op.create_table(
        "account_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("identity_number", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", Instant, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_account_identities"),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name="fk_account_identities_account_id_accounts",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "account_id",
            "identity_number",
            name="uq_account_identities_account_id_identity_number",
        ),
    )
    op.create_index("ix_account_identities_account_id", "account_identities", ["account_id"])

    op.create_table(
        "requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(10), nullable=False),
        sa.Column("idempotency_key", sa.String(128), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("user_key", sa.String(128), nullable=False),
        sa.Column("applicant_kind", sa.String(16), nullable=False),
        sa.Column("service_id", sa.String(32), nullable=False),
        sa.Column("identity_number", sa.String(10), nullable=False),
        sa.Column("identity_kind", sa.String(16), nullable=False),
        sa.Column("establishment_number", sa.String(10), nullable=True),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("eligibility", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.Column("submitted_at", Instant, nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("updated_at", Instant, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_requests"),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name="fk_requests_account_id_accounts"
        ),
        sa.UniqueConstraint("number", name="uq_requests_number"),
        sa.UniqueConstraint("idempotency_key", name="uq_requests_idempotency_key"),
        sa.CheckConstraint(
            "status IN ('received', 'under_review', 'needs_info', 'accepted', 'rejected')",
            name="ck_requests_status",
        ),
    )
    op.create_index("ix_requests_account_id", "requests", ["account_id"])
    op.create_index("ix_requests_status_due_date", "requests", ["status", "due_date"])

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("channel_ref", sa.String(1024), nullable=False),
        sa.Column("mime", sa.String(128), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("checksum", sa.String(128), nullable=True),
        sa.Column("file_name", sa.String(255), nullable=True),
        sa.Column("created_at", Instant, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_attachments"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name="fk_attachments_request_id_requests",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_attachments_request_id", "attachments", ["request_id"])

    op.create_table(
        "status_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(160), nullable=False),
        sa.Column("at", Instant, nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_status_events"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name="fk_status_events_request_id_requests",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_status_events_request_id", "status_events", ["request_id"])

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("target", sa.String(160), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", Instant, nullable=False),
        sa.Column("sent_at", Instant, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("dedupe_key", sa.String(160), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("dedupe_key", name="uq_outbox_dedupe_key"),
    )
    op.create_index("ix_outbox_sent_at_next_attempt_at", "outbox", ["sent_at", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_sent_at_next_attempt_at", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_status_events_request_id", table_name="status_events")
    op.drop_table("status_events")
    op.drop_index("ix_attachments_request_id", table_name="attachments")
    op.drop_table("attachments")
    op.drop_index("ix_requests_status_due_date", table_name="requests")
    op.drop_index("ix_requests_account_id", table_name="requests")
    op.drop_table("requests")
    op.drop_index("ix_account_identities_account_id", table_name="account_identities")
    op.drop_table("account_identities")
    op.drop_table("accounts")
