"""The "next message" the bot waits for (an officer's note or reason, a question for the
reporter, the reporter's answer) becomes a draft of the conversation engine (compose_drafts,
flow "relay-input"): tip_pending_inputs goes

What was waiting is carried over both ways: up, each person's latest request becomes their
one draft (the engine keeps one per person); down, each draft becomes a request again.

Revision ID: 0029_relay
Revises: 0028_tipflow
Create Date: 2026-12-04 08:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0029_relay"
down_revision: str | None = "0028_tipflow"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FLOW = "relay-input"
ACTIONS = ("handled_note", "reject_reason", "relay_question", "relay_answer")

_drafts = sa.table(
    "compose_drafts",
    sa.column("user_id", sa.Integer()),
    sa.column("flow", sa.String()),
    sa.column("step", sa.String()),
    sa.column("data", sa.JSON()),
    sa.column("version", sa.Integer()),
    sa.column("created_at", storage.types.UTCDateTime()),
    sa.column("updated_at", storage.types.UTCDateTime()),
)
_pending = sa.table(
    "tip_pending_inputs",
    sa.column("chat_id", sa.BigInteger()),
    sa.column("user_id", sa.Integer()),
    sa.column("action", sa.String()),
    sa.column("report_id", sa.Integer()),
    sa.column("version", sa.Integer()),
    sa.column("anchor_message_id", sa.Integer()),
    sa.column("created_at", storage.types.UTCDateTime()),
)


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_pending).order_by(_pending.c.created_at, _pending.c.chat_id)
    ).all()
    latest: dict[int, Any] = {row.user_id: row for row in rows}  # the newest wins
    if latest:
        op.bulk_insert(
            _drafts,
            [
                {
                    "user_id": row.user_id,
                    "flow": FLOW,
                    "step": row.action,
                    "data": {
                        "report": row.report_id,
                        "chat": row.chat_id,
                        "version": row.version,
                        "anchor": row.anchor_message_id,
                    },
                    "version": 1,
                    "created_at": row.created_at,
                    "updated_at": row.created_at,
                }
                for row in latest.values()
            ],
        )
    op.drop_table("tip_pending_inputs")


def downgrade() -> None:
    op.create_table(
        "tip_pending_inputs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(*ACTIONS, name="pendingaction", native_enum=False, length=24),
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
    bind = op.get_bind()
    drafts = bind.execute(sa.select(_drafts).where(_drafts.c.flow == FLOW)).all()
    reports = {r for (r,) in bind.execute(sa.text("SELECT id FROM reports"))} if drafts else set()
    carried = [
        {
            "chat_id": int(d.data["chat"]),
            "user_id": d.user_id,
            "action": d.step,
            "report_id": int(d.data["report"]),
            "version": d.data.get("version"),
            "anchor_message_id": d.data.get("anchor"),
            "created_at": d.updated_at,
        }
        for d in drafts
        # A draft that cannot be a request (unreadable, its tip gone) is dropped.
        if d.step in ACTIONS
        and isinstance(d.data, dict)
        and d.data.get("chat") is not None
        and d.data.get("report") in reports
    ]
    if carried:
        op.bulk_insert(_pending, carried)
    bind.execute(sa.delete(_drafts).where(_drafts.c.flow == FLOW))
