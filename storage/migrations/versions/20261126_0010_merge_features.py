"""merge the feature branches (tips, moderation, indicators, advisories, community, relay, zalo)

Each feature's migration was written on its own branch from 0001; this revision joins them so
the tree has one head again. It changes no schema.

Revision ID: 0010
Revises: 0002, 0003, 0004, 0005, 0006, 0007, 0009
Create Date: 2026-11-26
"""

from collections.abc import Sequence

revision: str = "0010"
down_revision: str | Sequence[str] | None = (
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0009",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
