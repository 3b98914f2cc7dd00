"""tip_cards: every message that shows a tip (a police chat's card, an inbox card, a /hopthu
page, the reporter's view), so that a change redraws them all (services/tip_cards.py)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tip_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("viewer_user_id", sa.Integer(), nullable=True),
        sa.Column("view", sa.String(length=64), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_tip_cards_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["viewer_user_id"],
            ["users.id"],
            name=op.f("fk_tip_cards_viewer_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_cards")),
        sa.UniqueConstraint(
            "report_id", "chat_id", "message_id", name=op.f("uq_tip_cards_report_id")
        ),
    )
    op.create_index(op.f("ix_tip_cards_report_id"), "tip_cards", ["report_id"], unique=False)
    op.create_index(
        op.f("ix_tip_cards_viewer_user_id"), "tip_cards", ["viewer_user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_tip_cards_viewer_user_id"), table_name="tip_cards")
    op.drop_index(op.f("ix_tip_cards_report_id"), table_name="tip_cards")
    op.drop_table("tip_cards")
