"""reports.merged_into_id: a duplicate tip remembers the tip it was merged into

Several residents reporting one incident make one case ("vụ") in the statistics. Merges made
before this revision are recovered from the audit log ("report.merge", whose ``after`` holds
the kept tip's id).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_reports = sa.table(
    "reports", sa.column("id", sa.Integer()), sa.column("merged_into_id", sa.Integer())
)
_audit = sa.table(
    "audit_log",
    sa.column("action", sa.String()),
    sa.column("target_id", sa.String()),
    sa.column("after", sa.JSON()),
)


def upgrade() -> None:
    op.add_column("reports", sa.Column("merged_into_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_reports_merged_into_id"), "reports", ["merged_into_id"], unique=False)
    connection = op.get_bind()
    merges = connection.execute(
        sa.select(_audit.c.target_id, _audit.c.after).where(_audit.c.action == "report.merge")
    )
    for target_id, after in merges.all():
        kept = (after or {}).get("kept")
        if isinstance(kept, int) and str(target_id).isdecimal():
            connection.execute(
                _reports.update()
                .where(_reports.c.id == int(target_id))
                .values(merged_into_id=kept)
            )


def downgrade() -> None:
    op.drop_index(op.f("ix_reports_merged_into_id"), table_name="reports")
    op.drop_column("reports", "merged_into_id")
