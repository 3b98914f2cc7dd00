"""Migration 0018: an existing indicator link is public only when the indicator is written in
the report's fraud details (the field that asked for the scammer's); a link that came only from
the description becomes private, and a confirmation nobody's report supports any more is taken
back (audited), to be put back by the downgrade."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from storage import migrate
from storage.db import create_engine
from tests.storage.test_migrations import empty_url  # noqa: F401 - fixture

AT = datetime(2026, 11, 20, 8, 30)
"""Naive UTC, as UTCDateTime stores it."""
REPORT = (
    "INSERT INTO reports (id, code, kind, category, text, status, anonymous, version,"
    " fraud_details, created_at, updated_at) VALUES (:id, :code, 'fraud', 'online_fraud', :text,"
    " 'received', true, 1, :details, :at, :at)"
)
INDICATOR = (
    "INSERT INTO indicators (id, kind, value, display, first_seen, last_seen, report_count,"
    " confirmed_at, confirmed_by_user_id, created_at) VALUES (:id, :kind, :value, :value, :at,"
    " :at, 1, :confirmed, :by, :at)"
)
VICTIM_PHONE, VICTIM_ACCOUNT, SCAM_PHONE, SCAM_LINK = 1, 2, 3, 4


def _time(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


async def test_links_from_free_text_become_private_and_a_downgrade_restores_all(
    empty_url: str,  # noqa: F811 - the imported fixture
) -> None:
    engine = create_engine(empty_url)
    try:
        await migrate.upgrade(engine, "0017")
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO users (id, telegram_id, first_name, blocked_bot, created_at,"
                    " updated_at) VALUES (7, 2001, 'Hùng', false, :at, :at)"
                ),
                {"at": AT},
            )
            await conn.execute(
                text(REPORT),
                [
                    {
                        "id": 1,
                        "code": "LD-1",
                        "text": "Họ gọi vào số của tôi 0912 345 678, chuyển từ tài khoản của "
                        "tôi Vietcombank 0123456789",
                        "details": "Số lừa đảo 0987.654.321, link https://www.VCB-hotro.com/x?a=1",
                        "at": AT,
                    },
                    {"id": 2, "code": "LD-2", "text": "0987654321", "details": None, "at": AT},
                ],
            )
            # The old tip-wide button confirmed the victim's number with the scammer's.
            for id_, kind, value, confirmed in (
                (VICTIM_PHONE, "phone", "+84912345678", True),
                (VICTIM_ACCOUNT, "bank_account", "VCB:0123456789", False),
                (SCAM_PHONE, "phone", "+84987654321", True),
                (SCAM_LINK, "url", "vcb-hotro.com/x", False),
            ):
                await conn.execute(
                    text(INDICATOR),
                    {
                        "id": id_,
                        "kind": kind,
                        "value": value,
                        "at": AT,
                        "confirmed": AT if confirmed else None,
                        "by": 7 if confirmed else None,
                    },
                )
            await conn.execute(
                text(
                    "INSERT INTO report_indicators (indicator_id, report_id, created_at)"
                    " VALUES (:i, :r, :at)"
                ),
                [{"i": i, "r": r, "at": AT} for i, r in ((1, 1), (2, 1), (3, 1), (4, 1), (3, 2))],
            )

        await migrate.upgrade(engine, "0018")
        async with engine.connect() as conn:
            links = await conn.execute(
                text(
                    "SELECT indicator_id, report_id, public FROM report_indicators"
                    " ORDER BY indicator_id, report_id"
                )
            )
            assert [(i, r, bool(p)) for i, r, p in links] == [
                (VICTIM_PHONE, 1, False),
                (VICTIM_ACCOUNT, 1, False),
                (SCAM_PHONE, 1, True),
                (SCAM_PHONE, 2, False),  # only in that tip's description
                (SCAM_LINK, 1, True),
            ]
            confirmed = await conn.execute(
                text("SELECT id, confirmed_by_user_id FROM indicators ORDER BY id")
            )
            assert [tuple(r) for r in confirmed] == [(1, None), (2, None), (3, 7), (4, None)]
            [audit] = (
                await conn.execute(text("SELECT action, target_id, actor_user_id FROM audit_log"))
            ).all()
            assert tuple(audit) == ("scam.unconfirm", str(VICTIM_PHONE), None)

        await migrate.downgrade(engine, "0017")
        async with engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT id, confirmed_at, confirmed_by_user_id FROM indicators ORDER BY id")
            )
            restored = [(i, _time(at) if at else None, by) for i, at, by in rows]
            assert restored == [
                (1, AT, 7),
                (2, None, None),
                (3, AT, 7),
                (4, None, None),
            ]
            assert (await conn.execute(text("SELECT count(*) FROM audit_log"))).scalar() == 0
            assert (
                await conn.execute(text("SELECT count(*) FROM report_indicators"))
            ).scalar() == 5
    finally:
        await engine.dispose()
