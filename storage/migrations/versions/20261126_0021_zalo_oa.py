"""zalo_oa_tokens, zalo_oa_events, zalo_oa_followers, zalo_oa_groups: the Zalo Official
Account channel (rotating tokens, webhook events stored before they are answered, followers
and their last interaction, OA-created groups linked to areas)

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-26 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "zalo_oa_tokens",
        sa.Column("app_id", sa.String(length=64), nullable=False),
        sa.Column("access_token", sa.Text(), nullable=False),
        sa.Column("refresh_token", sa.Text(), nullable=False),
        sa.Column("access_expires_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("refresh_expires_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("seed_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("refreshing_until", storage.types.UTCDateTime(), nullable=True),
        sa.Column("failed_at", storage.types.UTCDateTime(), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("app_id", name=op.f("pk_zalo_oa_tokens")),
    )
    op.create_table(
        "zalo_oa_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_key", sa.String(length=200), nullable=False),
        sa.Column("event_name", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("received_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("processed_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("claimed_until", storage.types.UTCDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zalo_oa_events")),
        sa.UniqueConstraint("event_key", name=op.f("uq_zalo_oa_events_event_key")),
    )
    op.create_index(
        op.f("ix_zalo_oa_events_received_at"), "zalo_oa_events", ["received_at"], unique=False
    )
    op.create_index(
        op.f("ix_zalo_oa_events_processed_at"), "zalo_oa_events", ["processed_at"], unique=False
    )
    op.create_table(
        "zalo_oa_followers",
        sa.Column("oa_user_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("following", sa.Boolean(), nullable=False),
        sa.Column("followed_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("unfollowed_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("last_interaction_at", storage.types.UTCDateTime(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_zalo_oa_followers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("oa_user_id", name=op.f("pk_zalo_oa_followers")),
        sa.UniqueConstraint("user_id", name=op.f("uq_zalo_oa_followers_user_id")),
    )
    op.create_index(
        op.f("ix_zalo_oa_followers_last_interaction_at"),
        "zalo_oa_followers",
        ["last_interaction_at"],
        unique=False,
    )
    op.create_table(
        "zalo_oa_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.String(length=64), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.id"],
            name=op.f("fk_zalo_oa_groups_chat_id_chats"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zalo_oa_groups")),
        sa.UniqueConstraint("chat_id", name=op.f("uq_zalo_oa_groups_chat_id")),
        sa.UniqueConstraint("group_id", name=op.f("uq_zalo_oa_groups_group_id")),
    )


def downgrade() -> None:
    op.drop_table("zalo_oa_groups")
    op.drop_index(
        op.f("ix_zalo_oa_followers_last_interaction_at"), table_name="zalo_oa_followers"
    )
    op.drop_table("zalo_oa_followers")
    op.drop_index(op.f("ix_zalo_oa_events_processed_at"), table_name="zalo_oa_events")
    op.drop_index(op.f("ix_zalo_oa_events_received_at"), table_name="zalo_oa_events")
    op.drop_table("zalo_oa_events")
    op.drop_table("zalo_oa_tokens")
