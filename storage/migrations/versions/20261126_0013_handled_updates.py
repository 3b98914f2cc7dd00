"""handled_updates: the Telegram updates already handled, so a redelivered one is skipped

Telegram hands an update out again until the bot's next getUpdates confirms it; a bot killed
between handling updates and that call gets them again after a restart.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handled_updates",
        sa.Column("bot_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("handled_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("bot_id", "update_id", name=op.f("pk_handled_updates")),
    )
    op.create_index(
        op.f("ix_handled_updates_handled_at"), "handled_updates", ["handled_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_handled_updates_handled_at"), table_name="handled_updates")
    op.drop_table("handled_updates")
