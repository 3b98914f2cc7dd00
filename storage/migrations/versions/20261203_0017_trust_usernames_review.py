"""data only: one holder per username; the moderators' queue keeps only tips they may judge

- A username held by several rows (someone renamed, someone else took the name, before the
  bot kept one holder per name) is cleared from all of them: nobody is guessed, and the true
  holder gets it back the next time they write.
- Open review items of tips that moderators may no longer see (the police-only categories:
  crime, social evils, reintegration) or that were queued only for being someone's first tip
  are dismissed; the tips themselves stay in the police inbox, untouched.

Nothing to undo on downgrade: the cleared names and dismissed items were wrong to keep.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POLICE_ONLY = ("crime", "social_evils", "reintegration")
"""services.categories.POLICE_ONLY as of this revision (a migration never imports services)."""

_users = sa.table("users", sa.column("id", sa.Integer()), sa.column("username", sa.String()))
_reports = sa.table("reports", sa.column("id", sa.Integer()), sa.column("category", sa.String()))
_items = sa.table(
    "review_items",
    sa.column("id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("status", sa.String()),
    sa.column("report_id", sa.Integer()),
    sa.column("details", sa.JSON()),
    sa.column("resolution", sa.String()),
)


def _clear_shared_usernames(connection: sa.Connection) -> None:
    name = sa.func.lower(_users.c.username)
    shared = (
        sa.select(name)
        .where(_users.c.username.is_not(None))
        .group_by(name)
        .having(sa.func.count() > 1)
    )
    connection.execute(_users.update().where(name.in_(shared)).values(username=None))


def _dismiss_items_moderators_may_not_see(connection: sa.Connection) -> None:
    rows = connection.execute(
        sa.select(_items.c.id, _items.c.details, _reports.c.category)
        .join(_reports, _reports.c.id == _items.c.report_id)
        .where(_items.c.kind == "report", _items.c.status == "open")
    ).all()
    for item_id, details, category in rows:
        rules = set((details or {}).get("rules") or [])
        if category in POLICE_ONLY:
            why = "police_only"
        elif rules <= {"first_tip"}:
            why = "first_tip"
        else:
            continue
        connection.execute(
            _items.update()
            .where(_items.c.id == item_id)
            .values(status="dismissed", resolution=why)
        )


def upgrade() -> None:
    connection = op.get_bind()
    _clear_shared_usernames(connection)
    _dismiss_items_moderators_may_not_see(connection)


def downgrade() -> None:
    pass
