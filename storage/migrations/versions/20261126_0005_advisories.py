"""advisories: broadcasts, schedules, runs, delivery ledger, scheduler lease

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-26 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0005"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "advisories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_user_id", sa.Integer(), nullable=True),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("chat_ids", sa.JSON(), nullable=False),
        sa.Column("text", storage.types.NFCText(), nullable=False),
        sa.Column("media_kind", sa.String(length=16), nullable=True),
        sa.Column("media_file_id", sa.String(length=255), nullable=True),
        sa.Column("pin", sa.Boolean(), nullable=False),
        sa.Column("silent", sa.Boolean(), nullable=False),
        sa.Column(
            "recurrence",
            sa.Enum(
                "once",
                "daily",
                "weekly",
                "monthly",
                name="recurrence",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("run_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("time_of_day", sa.String(length=5), nullable=True),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("month_day", sa.Integer(), nullable=True),
        sa.Column("until", sa.String(length=10), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "paused",
                "done",
                "deleted",
                name="advisorystatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("next_run_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("title", storage.types.NFCString(length=120), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_advisories_area_id_areas"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["author_user_id"],
            ["users.id"],
            name=op.f("fk_advisories_author_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisories")),
    )
    with op.batch_alter_table("advisories", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_advisories_author_user_id"), ["author_user_id"], unique=False
        )
        batch_op.create_index("ix_advisories_status_next", ["status", "next_run_at"], unique=False)

    op.create_table(
        "advisory_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("advisory_id", sa.Integer(), nullable=False),
        sa.Column("scheduled_for", storage.types.UTCDateTime(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("running", "done", "missed", name="runstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("finished_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["advisory_id"],
            ["advisories.id"],
            name=op.f("fk_advisory_runs_advisory_id_advisories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_runs")),
        sa.UniqueConstraint(
            "advisory_id", "scheduled_for", name=op.f("uq_advisory_runs_advisory_id")
        ),
    )
    with op.batch_alter_table("advisory_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_advisory_runs_advisory_id"), ["advisory_id"], unique=False
        )

    op.create_table(
        "advisory_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("telegram_chat_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "sending",
                "sent",
                "failed",
                "skipped",
                "retracted",
                name="deliverystate",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("uncertain", sa.Boolean(), nullable=False),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.id"],
            name=op.f("fk_advisory_deliveries_chat_id_chats"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["advisory_runs.id"],
            name=op.f("fk_advisory_deliveries_run_id_advisory_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_deliveries")),
        sa.UniqueConstraint("run_id", "chat_id", name=op.f("uq_advisory_deliveries_run_id")),
    )
    with op.batch_alter_table("advisory_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_advisory_deliveries_chat_id"), ["chat_id"], unique=False
        )
        batch_op.create_index(
            "ix_advisory_deliveries_run_status", ["run_id", "status"], unique=False
        )

    op.create_table(
        "scheduler_leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=128), nullable=False),
        sa.Column("expires_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_leases")),
    )


def downgrade() -> None:
    op.drop_table("scheduler_leases")
    with op.batch_alter_table("advisory_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_advisory_deliveries_run_status")
        batch_op.drop_index(batch_op.f("ix_advisory_deliveries_chat_id"))
    op.drop_table("advisory_deliveries")
    with op.batch_alter_table("advisory_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_advisory_runs_advisory_id"))
    op.drop_table("advisory_runs")
    with op.batch_alter_table("advisories", schema=None) as batch_op:
        batch_op.drop_index("ix_advisories_status_next")
        batch_op.drop_index(batch_op.f("ix_advisories_author_user_id"))
    op.drop_table("advisories")
