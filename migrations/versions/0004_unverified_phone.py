"""Whether a request's phone number was vouched for by the channel: a WhatsApp user known
only by a username types their number, and officers must see that nobody checked it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Rows filed before this revision all came with a number the channel vouched for, hence
the server default.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.add_column(
            sa.Column("phone_verified", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("phone_verified")
