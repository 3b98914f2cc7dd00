"""indicators: scam indicators (phones, accounts, links, social) linked to reports

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-26 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0004"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "phone",
                "bank_account",
                "url",
                "social",
                name="indicatorkind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("value", storage.types.NFCString(length=1000), nullable=False),
        sa.Column("display", storage.types.NFCString(length=1000), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("first_seen", storage.types.UTCDateTime(), nullable=False),
        sa.Column("last_seen", storage.types.UTCDateTime(), nullable=False),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("confirmed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_indicators_area_id_areas"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_user_id"],
            ["users.id"],
            name=op.f("fk_indicators_confirmed_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
        sa.UniqueConstraint("kind", "value", name="uq_indicators_kind_value"),
    )
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicators_area_id"), ["area_id"], unique=False)

    op.create_table(
        "report_indicators",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_report_indicators_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_report_indicators_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("indicator_id", "report_id", name=op.f("pk_report_indicators")),
    )
    with op.batch_alter_table("report_indicators", schema=None) as batch_op:
        batch_op.create_index("ix_report_indicators_report_id", ["report_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("report_indicators", schema=None) as batch_op:
        batch_op.drop_index("ix_report_indicators_report_id")
    op.drop_table("report_indicators")
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicators_area_id"))
    op.drop_table("indicators")
