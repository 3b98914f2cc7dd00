"""reports carry a routing outbox: when the police were told, and who is telling them now

``routed_at`` NULL marks a stored tip the police have not been told about yet (the process
died between the commit and the police message); a periodic sweep routes those.
``routing_claimed_until`` is the lease that keeps two bot instances on one database from
telling the police about the same tip at the same time.

Every report that exists at upgrade time was routed by the code that stored it (or was
already lost to a crash long ago), so it is backfilled as routed: an upgrade must not ping
the police again about old tips.

Plain ALTER TABLE on both databases (SQLite has had DROP COLUMN since 3.35): a batch
"copy and move" of ``reports`` on SQLite would drop the table that attachments, history and
indicator links reference with ON DELETE CASCADE.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_reports = sa.table(
    "reports",
    sa.column("created_at", storage.types.UTCDateTime()),
    sa.column("routed_at", storage.types.UTCDateTime()),
)


def upgrade() -> None:
    op.add_column("reports", sa.Column("routed_at", storage.types.UTCDateTime(), nullable=True))
    op.add_column(
        "reports",
        sa.Column("routing_claimed_until", storage.types.UTCDateTime(), nullable=True),
    )
    # Stored at created_at: the old code routed each tip right after storing it.
    op.execute(_reports.update().values(routed_at=_reports.c.created_at))
    op.create_index(op.f("ix_reports_routed_at"), "reports", ["routed_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_reports_routed_at"), table_name="reports")
    op.drop_column("reports", "routing_claimed_until")
    op.drop_column("reports", "routed_at")
