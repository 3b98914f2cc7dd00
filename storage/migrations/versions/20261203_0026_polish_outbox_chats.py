"""outbox_messages.chat_id and .locale: a notice for a chat rather than a person (the police
chat a relayed answer or an escalated tip goes to), so those too survive a 502; user_id is
then empty

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages") as batch:
        batch.add_column(sa.Column("chat_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("locale", sa.String(length=8), nullable=True))
        batch.alter_column("user_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # Notices for a chat have nobody to be kept for without the column.
    op.execute("DELETE FROM outbox_messages WHERE user_id IS NULL")
    with op.batch_alter_table("outbox_messages") as batch:
        batch.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("locale")
        batch.drop_column("chat_id")
