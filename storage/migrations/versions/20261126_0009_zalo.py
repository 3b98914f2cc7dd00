"""zalo: Zalo accounts and groups, numbered-choice menus, account link codes

Revision ID: 0009
Revises: 0001
Create Date: 2026-11-26 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0009"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "zalo_users",
        sa.Column("zalo_user_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("display_name", storage.types.NFCString(length=128), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_zalo_users_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("zalo_user_id", name=op.f("pk_zalo_users")),
        sa.UniqueConstraint("user_id", name=op.f("uq_zalo_users_user_id")),
    )
    op.create_table(
        "zalo_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zalo_chat_id", sa.String(length=64), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.id"],
            name=op.f("fk_zalo_groups_chat_id_chats"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zalo_groups")),
        sa.UniqueConstraint("chat_id", name=op.f("uq_zalo_groups_chat_id")),
        sa.UniqueConstraint("zalo_chat_id", name=op.f("uq_zalo_groups_zalo_chat_id")),
    )
    op.create_table(
        "zalo_menus",
        sa.Column("chat_key", sa.BigInteger(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("chat_key", name=op.f("pk_zalo_menus")),
    )
    op.create_table(
        "account_link_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("expires_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_account_link_codes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_link_codes")),
        sa.UniqueConstraint("code", name=op.f("uq_account_link_codes_code")),
    )
    with op.batch_alter_table("account_link_codes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_link_codes_user_id"), ["user_id"], unique=False
        )
    op.create_table(
        "account_link_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_account_link_failures_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_link_failures")),
    )
    with op.batch_alter_table("account_link_failures", schema=None) as batch_op:
        batch_op.create_index(
            "ix_account_link_failures_user_created", ["user_id", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("account_link_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_account_link_failures_user_created")
    op.drop_table("account_link_failures")
    with op.batch_alter_table("account_link_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_link_codes_user_id"))
    op.drop_table("account_link_codes")
    op.drop_table("zalo_menus")
    op.drop_table("zalo_groups")
    op.drop_table("zalo_users")
