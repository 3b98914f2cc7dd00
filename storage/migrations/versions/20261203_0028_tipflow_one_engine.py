"""The tip draft and the Zalo numbered choices become conversations of the one engine
(services/conversation.py): tip_drafts rows move to compose_drafts (flow "tip"); zalo_menus
goes (a menu is the last numbered choices shown in a chat: after the upgrade a bare number
is answered "unknown choice" once, and the next question shows its choices again)

Revision ID: 0028_tipflow
Revises: 0027
Create Date: 2026-12-04 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0028_tipflow"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "INSERT INTO compose_drafts (user_id, flow, step, data, version, created_at, updated_at)"
        " SELECT user_id, 'tip', step, data, version, created_at, updated_at FROM tip_drafts"
    )
    op.drop_table("tip_drafts")
    op.drop_table("zalo_menus")


def downgrade() -> None:
    op.create_table(
        "zalo_menus",
        sa.Column("chat_key", sa.BigInteger(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("chat_key", name=op.f("pk_zalo_menus")),
    )
    op.create_table(
        "tip_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=24), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="0"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_tip_drafts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_drafts")),
        sa.UniqueConstraint("user_id", name=op.f("uq_tip_drafts_user_id")),
    )
    op.execute(
        "INSERT INTO tip_drafts (user_id, step, data, version, created_at, updated_at)"
        " SELECT user_id, step, data, version, created_at, updated_at FROM compose_drafts"
        " WHERE flow = 'tip'"
    )
    op.execute("DELETE FROM compose_drafts WHERE flow IN ('tip', 'choices')")
