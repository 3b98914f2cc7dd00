"""tip drafts carry a version number (optimistic concurrency for conversation steps)

A step reads the draft, then writes ``UPDATE … SET version = version + 1 WHERE version =
<read>``; a concurrent step on the same draft (a second bot instance, a double-tapped button)
makes that write miss and the step is redone on the fresh draft, instead of one of the two
answers being silently overwritten.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tip_drafts") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("tip_drafts") as batch:
        batch.drop_column("version")
