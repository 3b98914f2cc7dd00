"""Residents reached only on Zalo are no longer taken for "blocked": the Zalo Bot Platform
documents error 403 as "Internal server error" and names no error for a blocked bot, so every
``blocked_bot`` flag on a Zalo-only user came from a server error and is cleared

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        sa.text("UPDATE users SET blocked_bot = :no WHERE telegram_id IS NULL AND blocked_bot")
        .bindparams(no=False)
    )


def downgrade() -> None:
    # Which flags were set by a 403 is not known any more; a resident left reachable is the
    # safe side (the next real failure is reported, not a blocked bot).
    pass
