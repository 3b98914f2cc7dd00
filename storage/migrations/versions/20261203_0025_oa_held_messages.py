"""zalo_oa_held: messages the Official Account could not send because the follower's 7-day
customer-service window had closed; they go out at the follower's next message.
zalo_oa_followers.area_tag: the OA tag mirroring the follower's tổ dân phố

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("zalo_oa_followers") as batch:
        batch.add_column(sa.Column("area_tag", sa.String(length=64), nullable=True))
    op.create_table(
        "zalo_oa_held",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("oa_user_id", sa.String(length=64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["oa_user_id"],
            ["zalo_oa_followers.oa_user_id"],
            name=op.f("fk_zalo_oa_held_oa_user_id_zalo_oa_followers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zalo_oa_held")),
    )
    op.create_index(
        op.f("ix_zalo_oa_held_oa_user_id"), "zalo_oa_held", ["oa_user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_zalo_oa_held_oa_user_id"), table_name="zalo_oa_held")
    op.drop_table("zalo_oa_held")
    with op.batch_alter_table("zalo_oa_followers") as batch:
        batch.drop_column("area_tag")
