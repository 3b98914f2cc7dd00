"""relay: officer <-> reporter anonymous relay messages, pending next-message inputs

Revision ID: 0007
Revises: 0001
Create Date: 2026-11-26 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tip_relay_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column(
            "direction",
            sa.Enum(
                "to_reporter", "to_police", name="relaydirection", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("author_user_id", sa.Integer(), nullable=True),
        sa.Column("text", storage.types.NFCText(), nullable=False),
        sa.Column("media_kind", sa.String(length=16), nullable=True),
        sa.Column("media_file_id", sa.String(length=255), nullable=True),
        sa.Column("police_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("police_message_id", sa.Integer(), nullable=True),
        sa.Column("thread_message_id", sa.Integer(), nullable=True),
        sa.Column("reporter_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("reporter_message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_user_id"],
            ["users.id"],
            name=op.f("fk_tip_relay_messages_author_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_tip_relay_messages_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_relay_messages")),
    )
    with op.batch_alter_table("tip_relay_messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tip_relay_messages_police_msg",
            ["police_chat_id", "police_message_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_tip_relay_messages_reporter_msg",
            ["reporter_chat_id", "reporter_message_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_tip_relay_messages_report_id"), ["report_id"], unique=False
        )
    op.create_table(
        "tip_pending_inputs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "handled_note",
                "reject_reason",
                "relay_question",
                "relay_answer",
                name="pendingaction",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("anchor_message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_tip_pending_inputs_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_tip_pending_inputs_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_pending_inputs")),
        sa.UniqueConstraint("chat_id", "user_id", name=op.f("uq_tip_pending_inputs_chat_id")),
    )


def downgrade() -> None:
    op.drop_table("tip_pending_inputs")
    with op.batch_alter_table("tip_relay_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tip_relay_messages_report_id"))
        batch_op.drop_index("ix_tip_relay_messages_reporter_msg")
        batch_op.drop_index("ix_tip_relay_messages_police_msg")
    op.drop_table("tip_relay_messages")
