"""Schedules in Vietnamese habits, the run bookkeeping (grace window, never twice) and the
fan-out, without Telegram."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import t
from services.advisories import AdvisoryService
from services.advisory_runs import AdvisoryRuns
from services.advisory_targets import AdvisoryTargets
from services.advisory_types import AdvisoryDraft
from services.errors import InvalidInput, PermissionDenied
from services.ports import DeliveryResult, DeliveryStatus, Recipient
from services.reach import PersonReacher
from services.schedule_text import Schedule, describe, parse_date, parse_moment, parse_time
from services.users import IncomingUser, UserService
from storage.models import ChatPurpose, Recurrence, RunStatus
from storage.repositories.chats import ChatRepository
from storage.uow import Sessions, transaction

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 26, 8, 0, tzinfo=TZ)  # a Thursday


def vi(key: str, **args: object) -> str:
    return t(key, "vi", **args)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07:30 25/12/2026", datetime(2026, 12, 25, 7, 30, tzinfo=TZ)),
        ("25/12/2026 7h30", datetime(2026, 12, 25, 7, 30, tzinfo=TZ)),
        ("7h30 25/12", datetime(2026, 12, 25, 7, 30, tzinfo=TZ)),
        ("25/12 lúc 19g", datetime(2026, 12, 25, 19, 0, tzinfo=TZ)),
        ("7h30", datetime(2026, 11, 27, 7, 30, tzinfo=TZ)),  # already past today: tomorrow
        ("20:15", datetime(2026, 11, 26, 20, 15, tzinfo=TZ)),
        ("7 giờ 15 1/1", datetime(2027, 1, 1, 7, 15, tzinfo=TZ)),  # next New Year's Day
    ],
)
def test_typed_moments_follow_vietnamese_habits(typed: str, expected: datetime) -> None:
    assert parse_moment(typed, NOW, TZ) == expected.astimezone(UTC)


@pytest.mark.parametrize("typed", ["", "abc", "31/2 7h", "25/12", "25:99", "x" * 200])
def test_nonsense_times_are_refused_with_a_hint(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_moment(typed, NOW, TZ)
    assert caught.value.message_key == "sched-datetime-invalid"


def test_a_past_moment_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_moment("07:00 26/11/2026", NOW, TZ)
    assert caught.value.message_key == "sched-datetime-past"


def test_times_and_dates_alone() -> None:
    assert parse_time("7h") == (7, 0)
    assert parse_time("07:30") == (7, 30)
    assert parse_time("24:00") is None
    assert parse_date("31/12", date(2026, 11, 26)) == date(2026, 12, 31)
    assert parse_date("1/1/27", date(2026, 11, 26)) == date(2027, 1, 1)
    assert parse_date("30/2/2026", date(2026, 11, 26)) is None


def test_schedules_read_back_in_plain_vietnamese() -> None:
    weekly = Schedule(Recurrence.WEEKLY, time_of_day="07:30", weekdays=(0,))
    assert describe(weekly, TZ, vi) == "07:30 thứ Hai hằng tuần"
    two = Schedule(
        Recurrence.WEEKLY, time_of_day="19:00", weekdays=(3, 0), until=date(2026, 12, 31)
    )
    assert describe(two, TZ, vi) == "19:00 thứ Hai, thứ Năm hằng tuần, đến hết 31/12/2026"
    assert describe(Schedule(Recurrence.DAILY, time_of_day="06:00"), TZ, vi) == ("06:00 hằng ngày")
    monthly = Schedule(Recurrence.MONTHLY, time_of_day="08:00", month_day=15)
    assert describe(monthly, TZ, vi) == "08:00 ngày 15 hằng tháng"
    once = Schedule(Recurrence.ONCE, run_at=datetime(2026, 8, 19, 0, 30, tzinfo=UTC))
    assert describe(once, TZ, vi) == "07:30 ngày 19/08/2026"


def test_next_runs_are_in_local_time_and_stop_at_the_end_date() -> None:
    weekly = Schedule(
        Recurrence.WEEKLY, time_of_day="07:30", weekdays=(0,), until=date(2026, 12, 7)
    )
    first = weekly.next_after(NOW, TZ)
    assert first == datetime(2026, 11, 30, 7, 30, tzinfo=TZ)
    second = weekly.next_after(first, TZ)  # type: ignore[arg-type]
    assert second == datetime(2026, 12, 7, 7, 30, tzinfo=TZ)
    assert weekly.next_after(second, TZ) is None  # type: ignore[arg-type]
    assert weekly.next_after(first, TZ, inclusive=True) == first  # type: ignore[arg-type]


class FakeSender:
    def __init__(self) -> None:
        self.sent: list[int] = []
        self.deleted: list[tuple[int, int]] = []

    async def send(self, to, message):  # type: ignore[no-untyped-def]
        self.sent.append(to.chat_id)
        return DeliveryResult(DeliveryStatus.SENT, message_id=len(self.sent))

    async def delete(self, chat_id: int, message_id: int, channel: str = "telegram") -> bool:
        self.deleted.append((chat_id, message_id))
        return True


async def _setup(sessions: Sessions, grace: int = 3600):  # type: ignore[no-untyped-def]
    from services.areas import AreaService
    from services.grants import GrantService

    areas = AreaService(sessions)
    await areas.import_csv(
        "code,name,kind,parent_code\nND,Nam Định,province,\nND-TP,TP,district,ND\n"
        "ND-W1,Phường 1,ward,ND-TP\nND-W1-01,Tổ 1,residential_group,ND-W1\n"
        "ND-W2,Phường 2,ward,ND-TP\n"
    )
    await GrantService(sessions).grant(target_telegram_id=77, role="police", area_code="ND-W1")
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    profile = await users.identify(IncomingUser(77, "Hùng"))
    group = await areas.get("ND-W1-01")
    async with transaction(sessions) as session:
        await ChatRepository(session).upsert(-500, "supergroup", "Tổ 1")
        await ChatRepository(session).update(-500, area_id=group.id, purpose=ChatPurpose.RESIDENTS)
    sender = FakeSender()
    targets = AdvisoryTargets(sessions)
    service = AdvisoryService(sessions, sender, targets, tz=TZ)
    reacher = PersonReacher(sessions, sender, users, default_language="vi")
    runs = AdvisoryRuns(sessions, sender, targets, tz=TZ, grace_seconds=grace, reacher=reacher)
    return service, runs, profile, areas


async def test_each_occurrence_runs_at_most_once_and_late_ones_are_missed(
    sessions: Sessions,
) -> None:
    service, runs, profile, areas = await _setup(sessions)
    ward = await areas.get("ND-W1")
    created = await service.create(
        profile,
        AdvisoryDraft(
            text="Khoá cửa",
            schedule=Schedule(Recurrence.DAILY, time_of_day="07:30"),
            area_id=ward.id,
        ),
        now=NOW,
    )
    first = created.next_run_at
    assert first == datetime(2026, 11, 27, 7, 30, tzinfo=TZ)
    assert first is not None
    on_time = await runs.advance(created.id, now=first + timedelta(seconds=3))
    assert on_time.run is not None and on_time.missed == ()
    again = await runs.advance(created.id, now=first + timedelta(seconds=4))
    assert again.run is None  # the same occurrence never runs twice
    # three days down; the grace window is one hour
    late = await runs.advance(created.id, now=first + timedelta(days=3, hours=2))
    assert late.run is None and len(late.missed) == 3
    recorded = await runs.runs_of(created.id)
    assert [r.status for r in recorded] == [RunStatus.RUNNING] + [RunStatus.MISSED] * 3
    plan = await runs.plan(on_time.run.id)
    assert plan is not None and [d.telegram_chat_id for d in plan.pending] == [-500]


async def test_a_retract_stops_the_rows_not_sent_and_deletes_the_one_in_flight(
    sessions: Sessions,
) -> None:
    service, runs, profile, areas = await _setup(sessions)
    for chat_id in (-501, -502):  # two more groups of the ward
        async with transaction(sessions) as session:
            await ChatRepository(session).upsert(chat_id, "supergroup", f"Tổ {chat_id}")
            await ChatRepository(session).update(
                chat_id,
                area_id=(await areas.get("ND-W1-01")).id,
                purpose=ChatPurpose.RESIDENTS,
            )
    advisory = await service.create(
        profile,
        AdvisoryDraft(
            text="Gửi nhầm",
            schedule=Schedule(Recurrence.ONCE, run_at=NOW + timedelta(minutes=1)),
            area_id=(await areas.get("ND-W1")).id,
        ),
        now=NOW,
    )
    run = (await runs.advance(advisory.id, now=NOW + timedelta(minutes=1))).run
    assert run is not None
    plan = await runs.plan(run.id)
    assert plan is not None
    sent_row, in_flight, waiting = plan.pending
    assert await runs.mark_sending(sent_row.id, 1)
    await runs.record(sent_row, DeliveryResult(DeliveryStatus.SENT, message_id=11))
    assert await runs.mark_sending(in_flight.id, 1)  # its send is under way…

    result = await service.retract(profile, advisory.id)
    assert (result.deleted, result.total, result.stopped) == (1, 1, 2)
    assert not await runs.mark_sending(waiting.id, 1)  # never sent
    # …and lands after the retract: deleted at once
    await runs.record(in_flight, DeliveryResult(DeliveryStatus.SENT, message_id=12))
    sender = service._sender  # type: ignore[attr-defined]
    assert sender.deleted == [(sent_row.telegram_chat_id, 11), (in_flight.telegram_chat_id, 12)]
    summary = await runs.finish(run.id)
    assert summary is not None
    assert (summary.message.args["sent"], summary.message.args["total"]) == (2, 3)


async def test_a_revoked_authors_daily_warning_runs_on_but_its_reports_stop_reaching_them(
    sessions: Sessions,
) -> None:
    """The warning belongs to the ward: it keeps running after its author loses the ward, but
    the run reports (which groups failed, which left) no longer go to them."""
    from services.grants import GrantService

    service, runs, profile, areas = await _setup(sessions)
    created = await service.create(
        profile,
        AdvisoryDraft(
            text="Khoá cửa",
            schedule=Schedule(Recurrence.DAILY, time_of_day="07:30"),
            area_id=(await areas.get("ND-W1")).id,
        ),
        now=NOW,
    )
    assert created.next_run_at is not None
    first = await runs.advance(created.id, now=created.next_run_at)
    assert first.author is not None and first.author.chat_id == 77
    await GrantService(sessions).revoke(target_telegram_id=77, role="police", area_code="ND-W1")
    following = created.next_run_at + timedelta(days=1)
    second = await runs.advance(created.id, now=following)
    assert second.run is not None  # still sent to the ward's groups
    assert second.author is None
    plan = await runs.plan(second.run.id)
    assert plan is not None
    for row in plan.pending:
        assert await runs.mark_sending(row.id, 1)
        await runs.record(row, DeliveryResult(DeliveryStatus.SENT, message_id=5))
    summary = await runs.finish(second.run.id)
    assert summary is not None and summary.author is None


async def test_officers_cannot_target_outside_their_areas(sessions: Sessions) -> None:
    service, _runs, profile, areas = await _setup(sessions)
    other = await areas.get("ND-W2")
    with pytest.raises(PermissionDenied):
        await service.create(
            profile,
            AdvisoryDraft(
                text="x",
                schedule=Schedule(Recurrence.DAILY, time_of_day="07:30"),
                area_id=other.id,
            ),
            now=NOW,
        )
    with pytest.raises(InvalidInput):
        await service.create(
            profile,
            AdvisoryDraft(
                text="   ", schedule=Schedule(Recurrence.DAILY, time_of_day="07:30"), area_id=1
            ),
            now=NOW,
        )


def test_a_draft_being_composed_round_trips_through_json() -> None:
    import json

    from services.advisory_steps import ComposeStep, Composition

    draft = Composition(
        ComposeStep.PREVIEW,
        text="Khoá cửa <b>cẩn thận</b>",
        media_kind="photo",
        media_file_id="AgAC",
        chat_ids=(-500, -501),
        count=2,
        pin=True,
        recurrence=Recurrence.WEEKLY,
        weekdays=(0, 4),
        time_of_day="07:30",
        schedule=Schedule(
            Recurrence.WEEKLY, time_of_day="07:30", weekdays=(0, 4), until=date(2027, 1, 31)
        ),
    )
    once = Composition(
        ComposeStep.PREVIEW, schedule=Schedule(Recurrence.ONCE, run_at=NOW.astimezone(UTC))
    )
    for each in (draft, once, Composition(ComposeStep.EDIT, editing=7)):
        stored = json.loads(json.dumps(each.to_data()))
        assert Composition.read(each.step.value, stored) == each


class FlakySender(FakeSender):
    """Answers the first send as a 502 would (try again later), then sends."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 1

    async def send(self, to, message):  # type: ignore[no-untyped-def]
        if self.failures:
            self.failures -= 1
            return DeliveryResult(DeliveryStatus.RETRY_LATER, error="502")
        return await super().send(to, message)


async def test_a_notice_to_the_author_that_meets_a_502_is_sent_later(sessions: Sessions) -> None:
    """Missed runs and a run's summary go to the author through the notice outbox."""
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    sender = FlakySender()
    reacher = PersonReacher(sessions, sender, users, default_language="vi", retry_seconds=0.01)
    runs = AdvisoryRuns(
        sessions, sender, AdvisoryTargets(sessions), tz=TZ, grace_seconds=60, reacher=reacher
    )
    await runs.notify(Recipient(77, "vi"), runs.missed_message(1, (NOW,)))
    assert sender.sent == []
    await asyncio.sleep(0.05)
    assert await reacher.deliver_due() == 1
    assert sender.sent == [77]
