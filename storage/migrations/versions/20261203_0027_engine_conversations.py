"""compose_drafts becomes the store of every conversation (services/conversation.py): the
step reached, a version each step writes over, and the message showing the current step

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-04 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Drafts of the old untyped form cannot be read as typed drafts: the officer starts again.
    op.execute("DELETE FROM compose_drafts")
    with op.batch_alter_table("compose_drafts") as batch:
        batch.add_column(
            sa.Column("step", sa.String(length=24), server_default="", nullable=False)
        )
        batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch.add_column(sa.Column("prompt_chat_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("prompt_message_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM compose_drafts")
    with op.batch_alter_table("compose_drafts") as batch:
        batch.drop_column("prompt_message_id")
        batch.drop_column("prompt_chat_id")
        batch.drop_column("version")
        batch.drop_column("step")
