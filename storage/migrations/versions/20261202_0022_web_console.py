"""The police console: one-time sign-in links and sessions (web_login_tokens, web_sessions);
and what makes its reads and the statistics hold at a country's scale (bench/RESULTS.md):
reports.first_action_at kept by a trigger, a covering (area, time) index on PostgreSQL, an
index of open tips, areas.path's prefix index, indicators by area and
confirmation time.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COVERED = [
    "id", "kind", "category", "status", "merged_into_id", "latitude", "longitude",
    "first_action_at",
]  # fmt: skip
OPEN = sa.text("status IN ('received', 'verifying')")

# The first status change away from "received" sets reports.first_action_at (an earlier one,
# e.g. history imported out of order, wins). A trigger rather than code: every writer of a
# status change (the services, imports, tests, bulk loads with triggers on) keeps it.
PG_TRIGGER = """
CREATE FUNCTION reports_first_action() RETURNS trigger AS $$
BEGIN
    IF NEW.new_status <> 'received' THEN
        UPDATE reports SET first_action_at = NEW.created_at
        WHERE id = NEW.report_id
          AND (first_action_at IS NULL OR first_action_at > NEW.created_at);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""
PG_TRIGGER_ON = """
CREATE TRIGGER trg_reports_first_action AFTER INSERT ON report_status_changes
FOR EACH ROW EXECUTE FUNCTION reports_first_action();
"""
SQLITE_TRIGGER = """
CREATE TRIGGER trg_reports_first_action AFTER INSERT ON report_status_changes
WHEN NEW.new_status <> 'received'
BEGIN
    UPDATE reports SET first_action_at = NEW.created_at
    WHERE id = NEW.report_id
      AND (first_action_at IS NULL OR first_action_at > NEW.created_at);
END
"""
BACKFILL = """
UPDATE reports SET first_action_at = (
    SELECT min(c.created_at) FROM report_status_changes c
    WHERE c.report_id = reports.id AND c.new_status <> 'received'
)
"""


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.create_table(
        "web_login_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_web_login_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_login_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_login_tokens_token_hash")),
    )
    op.create_index(
        op.f("ix_web_login_tokens_user_id"), "web_login_tokens", ["user_id"], unique=False
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_web_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_sessions_token_hash")),
    )
    op.create_index(op.f("ix_web_sessions_user_id"), "web_sessions", ["user_id"], unique=False)

    op.add_column("reports", sa.Column("first_action_at", sa.DateTime(), nullable=True))
    op.execute(BACKFILL)
    if _postgres():
        op.execute(PG_TRIGGER)
        op.execute(PG_TRIGGER_ON)
        op.drop_index("ix_reports_area_created", table_name="reports")
        op.create_index(
            "ix_reports_area_created",
            "reports",
            ["area_id", "created_at"],
            postgresql_include=COVERED,
        )
        op.drop_index("ix_areas_path", table_name="areas")
        op.create_index(
            "ix_areas_path", "areas", ["path"], postgresql_ops={"path": "varchar_pattern_ops"}
        )
    else:
        op.execute(SQLITE_TRIGGER)
    op.create_index(
        "ix_reports_open",
        "reports",
        ["area_id", "created_at"],
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )
    op.create_index("ix_indicators_area_confirmed", "indicators", ["area_id", "confirmed_at"])


def downgrade() -> None:
    op.drop_index("ix_indicators_area_confirmed", table_name="indicators")
    op.drop_index("ix_reports_open", table_name="reports")
    op.execute("DROP TRIGGER IF EXISTS trg_reports_first_action" + (
        " ON report_status_changes" if _postgres() else ""
    ))  # fmt: skip
    if _postgres():
        op.execute("DROP FUNCTION IF EXISTS reports_first_action()")
        op.drop_index("ix_areas_path", table_name="areas")
        op.create_index("ix_areas_path", "areas", ["path"])
        op.drop_index("ix_reports_area_created", table_name="reports")
        op.create_index("ix_reports_area_created", "reports", ["area_id", "created_at"])
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("first_action_at")
    op.drop_index(op.f("ix_web_sessions_user_id"), table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_index(op.f("ix_web_login_tokens_user_id"), table_name="web_login_tokens")
    op.drop_table("web_login_tokens")
