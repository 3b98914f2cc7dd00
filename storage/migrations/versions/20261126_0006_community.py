"""community: advisory subscriptions, area contacts, procedures FAQ, helpful-tip marks

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-26 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0006"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "area_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("duty", "officer", name="contactrole", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("name", storage.types.NFCString(length=200), nullable=False),
        sa.Column("rank", storage.types.NFCString(length=100), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("updated_by_user_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_area_contacts_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_user_id"],
            ["users.id"],
            name=op.f("fk_area_contacts_updated_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_area_contacts")),
        sa.UniqueConstraint("area_id", "role", name=op.f("uq_area_contacts_area_id")),
    )
    with op.batch_alter_table("area_contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_area_contacts_area_id"), ["area_id"], unique=False)

    op.create_table(
        "area_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_area_subscriptions_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_area_subscriptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_area_subscriptions")),
        sa.UniqueConstraint("user_id", "area_id", name=op.f("uq_area_subscriptions_user_id")),
    )
    with op.batch_alter_table("area_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_area_subscriptions_area_id"), ["area_id"], unique=False
        )

    op.create_table(
        "faq_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_vi", storage.types.NFCString(length=300), nullable=False),
        sa.Column("answer_vi", storage.types.NFCText(), nullable=False),
        sa.Column("question_en", storage.types.NFCString(length=300), nullable=False),
        sa.Column("answer_en", storage.types.NFCText(), nullable=False),
        sa.Column("keywords", storage.types.NFCText(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_by_user_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_user_id"],
            ["users.id"],
            name=op.f("fk_faq_entries_updated_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_entries")),
        sa.UniqueConstraint("slug", name=op.f("uq_faq_entries_slug")),
    )

    op.create_table(
        "helpful_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("marked_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_helpful_reports_area_id_areas"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["marked_by_user_id"],
            ["users.id"],
            name=op.f("fk_helpful_reports_marked_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_helpful_reports_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_helpful_reports")),
        sa.UniqueConstraint("report_id", name=op.f("uq_helpful_reports_report_id")),
    )
    with op.batch_alter_table("helpful_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_helpful_reports_area_id"), ["area_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("helpful_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_helpful_reports_area_id"))
    op.drop_table("helpful_reports")
    op.drop_table("faq_entries")
    with op.batch_alter_table("area_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_area_subscriptions_area_id"))
    op.drop_table("area_subscriptions")
    with op.batch_alter_table("area_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_area_contacts_area_id"))
    op.drop_table("area_contacts")
