"""Attachment captions: the words a person sends with a photo or file are kept with it, so
the officer reads them beside the file instead of seeing a bare photo.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

A nullable column: files stored before it simply have no caption.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("caption", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("caption")
