"""member_warnings.source_message_id, removed_by_message_id: a /canhcao (or /gocanhcao)
handled twice issues (or lifts) one warning

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26 15:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("member_warnings", sa.Column("source_message_id", sa.Integer(), nullable=True))
    op.add_column(
        "member_warnings", sa.Column("removed_by_message_id", sa.Integer(), nullable=True)
    )
    # A unique index, not a constraint: SQLite adds one without rebuilding the table, and
    # warnings without a source message (from the review queue) stay NULL, which never clash.
    op.create_index(
        "uq_member_warnings_source",
        "member_warnings",
        ["chat_id", "source_message_id"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_member_warnings_source", table_name="member_warnings")
    op.drop_column("member_warnings", "removed_by_message_id")
    op.drop_column("member_warnings", "source_message_id")
