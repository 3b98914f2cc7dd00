"""Where the messages showing a tip were sent (storage/repositories/tip_cards.py), on SQLite
and PostgreSQL: recorded once per message, listed per tip, moved, dropped with the tip."""

from __future__ import annotations

from sqlalchemy import delete

from storage.dto_tips import NewReport
from storage.models import Report, ReportKind
from storage.repositories.tip_cards import TipCardRepository
from storage.repositories.tips import TipRepository
from storage.repositories.users import UserRepository
from storage.types import utcnow
from storage.uow import Sessions, transaction


async def _tip(sessions: Sessions, text: str) -> int:
    async with transaction(sessions) as s:
        reporter = await UserRepository(s).upsert_telegram(77, "Lan", None, None)
        tip = NewReport("crime", text, None, reporter.id, anonymous=True)
        report = await TipRepository(s).add(
            tip, kind=ReportKind.TIP, code_prefix="TB", now=utcnow()
        )
    return report.id


async def test_a_message_is_recorded_once_and_follows_its_tip(sessions: Sessions) -> None:
    first = await _tip(sessions, "Trộm xe đạp")
    second = await _tip(sessions, "Cháy nhỏ ở chợ")
    async with transaction(sessions) as s:
        repo = TipCardRepository(s)
        for _ in range(2):  # recorded twice (a redraw sent anew): one row
            await repo.record(
                first, channel="telegram", chat_id=-100500, message_id=10, kind="police",
                locale="vi",
            )  # fmt: skip
        await repo.record(
            first, channel="telegram", chat_id=2001, message_id=3, kind="detail", locale="en",
            viewer_user_id=None,
        )  # fmt: skip
        # One listing message shows both tips.
        for tip in (first, second):
            await repo.record(
                tip, channel="telegram", chat_id=2001, message_id=4, kind="listing",
                locale="vi", view="a:all:0",
            )  # fmt: skip
    async with transaction(sessions) as s:
        repo = TipCardRepository(s)
        cards = await repo.of_report(first)
        listing = await repo.of_message(2001, 4)
    assert [(c.chat_id, c.message_id, c.kind) for c in cards] == [
        (-100500, 10, "police"),
        (2001, 3, "detail"),
        (2001, 4, "listing"),
    ]
    assert {c.report_id for c in listing} == {first, second}
    assert listing[0].view == "a:all:0"

    police = cards[0]
    async with transaction(sessions) as s:
        repo = TipCardRepository(s)
        await repo.move(police.id, 11)
        dropped = await repo.drop_message(2001, 4)
    assert dropped == 2
    async with transaction(sessions) as s:
        cards = await TipCardRepository(s).of_report(first)
        left = await TipCardRepository(s).of_report(second)
    assert [(c.chat_id, c.message_id) for c in cards] == [(-100500, 11), (2001, 3)]
    assert left == []

    async with transaction(sessions) as s:  # a tip's cards go with the tip
        await s.execute(delete(Report).where(Report.id == first))
    async with transaction(sessions) as s:
        assert await TipCardRepository(s).of_report(first) == []
