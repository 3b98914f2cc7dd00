"""report_indicators.public: only what a resident gave as the scammer's is public

`/kiemtra` counts a report only for the indicators its reporter gave as the scammer's (the
fraud-details step); a number found only in the description may be the victim's own and stays
with the police. Existing links become public only when the indicator is written in the
report's fraud details, the field that always asked for the scammer's phones, accounts and
links; every link that came only from the free text becomes private.

A police confirmation made through the old "confirm every number of this tip" button may have
confirmed a victim's own number. An indicator that is confirmed while no report gives it as
the scammer's loses its confirmation (an officer re-confirms a real one in two taps; a victim's
number shown as "confirmed by the police" cannot wait); each one is written to the audit log,
and the downgrade puts them back from there.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 09:00:00
"""

import re
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNCONFIRMED_WHY = "0018: nobody gave it as the scammer's"

_links = sa.table(
    "report_indicators",
    sa.column("indicator_id", sa.Integer()),
    sa.column("report_id", sa.Integer()),
    sa.column("public", sa.Boolean()),
)
_indicators = sa.table(
    "indicators",
    sa.column("id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("value", sa.String()),
    sa.column("confirmed_at", storage.types.UTCDateTime()),
    sa.column("confirmed_by_user_id", sa.Integer()),
)
_users = sa.table("users", sa.column("id", sa.Integer()))
_reports = sa.table(
    "reports", sa.column("id", sa.Integer()), sa.column("fraud_details", sa.Text())
)
_audit = sa.table(
    "audit_log",
    sa.column("id", sa.Integer()),
    sa.column("actor_user_id", sa.Integer()),
    sa.column("action", sa.String()),
    sa.column("target_type", sa.String()),
    sa.column("target_id", sa.String()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
    sa.column("created_at", storage.types.UTCDateTime()),
)

_NUMBER = re.compile(r"\+?[0-9]+(?:[ .\-][0-9]+)*")


def _numbers(text: str) -> set[str]:
    """Every number in the text with its separators dropped ("0912.345.678" → 0912345678)."""
    return {re.sub(r"[^0-9]", "", m) for m in _NUMBER.findall(text)}


def written_in(kind: str, value: str, text: str) -> bool:
    """Is the canonical ``value`` (see services.indicators) written in ``text``? Numbers must
    match a whole number of the text, links their host, profiles their name: when in doubt
    the answer is no, and the link stays private (the police still have it)."""
    if kind == "phone":
        digits = value.lstrip("+")
        forms = {digits, "0" + digits[2:]} if digits.startswith("84") else {digits}
        return bool(forms & _numbers(text))
    if kind == "bank_account":
        return value.rpartition(":")[2] in _numbers(text)
    key = value.split("/", 1)[0] if kind == "url" else value.partition(":")[2]
    return bool(key) and key.lower() in text.lower()


def upgrade() -> None:
    op.add_column(
        "report_indicators",
        sa.Column("public", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            _links.c.indicator_id, _links.c.report_id, _indicators.c.kind, _indicators.c.value,
            _reports.c.fraud_details,
        )
        .select_from(_links)
        .join(_indicators, _indicators.c.id == _links.c.indicator_id)
        .join(_reports, _reports.c.id == _links.c.report_id)
        .where(_reports.c.fraud_details.is_not(None))
    )  # fmt: skip
    for indicator_id, report_id, kind, value, details in rows.all():
        if written_in(kind, value, details):
            connection.execute(
                _links.update()
                .where(_links.c.indicator_id == indicator_id, _links.c.report_id == report_id)
                .values(public=True)
            )
    given = sa.select(_links.c.indicator_id).where(_links.c.public.is_(True))
    confirmed = connection.execute(
        sa.select(
            _indicators.c.id, _indicators.c.confirmed_at, _indicators.c.confirmed_by_user_id
        ).where(_indicators.c.confirmed_at.is_not(None), _indicators.c.id.not_in(given))
    )
    now = datetime.now(UTC)
    for indicator_id, at, by in confirmed.all():
        connection.execute(
            _audit.insert().values(
                actor_user_id=None,
                action="scam.unconfirm",
                target_type="indicator",
                target_id=str(indicator_id),
                before={"confirmed": True, "at": at.isoformat(), "by": by},
                after={"confirmed": False, "why": UNCONFIRMED_WHY},
                created_at=now,
            )
        )
        connection.execute(
            _indicators.update()
            .where(_indicators.c.id == indicator_id)
            .values(confirmed_at=None, confirmed_by_user_id=None)
        )


def downgrade() -> None:
    connection = op.get_bind()
    undone = connection.execute(
        sa.select(_audit.c.id, _audit.c.target_id, _audit.c.before, _audit.c.after).where(
            _audit.c.action == "scam.unconfirm", _audit.c.actor_user_id.is_(None)
        )
    )
    for audit_id, target_id, before, after in undone.all():
        if (after or {}).get("why") != UNCONFIRMED_WHY or not str(target_id).isdecimal():
            continue
        connection.execute(
            _indicators.update()
            .where(_indicators.c.id == int(target_id))
            .values(
                confirmed_at=datetime.fromisoformat(before["at"]),
                # The officer's row may be gone since (the column is SET NULL on delete).
                confirmed_by_user_id=sa.select(_users.c.id)
                .where(_users.c.id == before.get("by"))
                .scalar_subquery(),
            )
        )
        connection.execute(_audit.delete().where(_audit.c.id == audit_id))
    with op.batch_alter_table("report_indicators", schema=None) as batch_op:
        batch_op.drop_column("public")
