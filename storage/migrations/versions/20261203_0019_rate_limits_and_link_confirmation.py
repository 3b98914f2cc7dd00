"""rate_limit_hits (the shared rate limits' counters), and account_link_codes.claimed_by_user_id
and claim_confirmed (linking two accounts is confirmed on both sides)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Counters are disposable (a crash at worst restarts a window), and a look-up writes one:
    # on PostgreSQL the table is UNLOGGED, so that write needs no WAL flush at commit.
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "rate_limit_hits",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("window_start", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("window_end", sa.BigInteger(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "window_start", name=op.f("pk_rate_limit_hits")),
        prefixes=["UNLOGGED"] if postgres else [],
    )
    op.create_index(
        op.f("ix_rate_limit_hits_window_end"), "rate_limit_hits", ["window_end"], unique=False
    )
    with op.batch_alter_table("account_link_codes") as batch:
        batch.add_column(sa.Column("claimed_by_user_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column(
                "claim_confirmed", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch.create_foreign_key(
            op.f("fk_account_link_codes_claimed_by_user_id_users"),
            "users",
            ["claimed_by_user_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("account_link_codes") as batch:
        batch.drop_constraint(
            op.f("fk_account_link_codes_claimed_by_user_id_users"), type_="foreignkey"
        )
        batch.drop_column("claim_confirmed")
        batch.drop_column("claimed_by_user_id")
    op.drop_index(op.f("ix_rate_limit_hits_window_end"), table_name="rate_limit_hits")
    op.drop_table("rate_limit_hits")
