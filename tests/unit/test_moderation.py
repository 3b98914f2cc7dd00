"""Moderation services against a real database, with the chat platform faked at the edge."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from telegram import Chat, Message, MessageEntity, User

from handlers.common import addressed_person
from handlers.moderation import parse_minutes
from services.access import Profile
from services.areas import AreaService
from services.audit import AuditService
from services.errors import InvalidInput, PermissionDenied
from services.grants import GrantService
from services.groups import GroupService, GroupSettings
from services.moderation import Moderation
from services.moderation_model import FlaggedMessage, FloodTracker, Member
from services.police import PoliceNotices
from services.protection import Protection
from services.reach import PersonReacher
from services.review import ReviewService
from services.users import IncomingUser, UserService
from storage.models import MemberWarning, ReviewKind
from storage.repositories.audit import AuditRepository
from storage.uow import Sessions, transaction
from tests.unit.test_inbox import RecordingSender

AREAS = (
    "code,name,kind,parent_code\nND,Nam Định,province,\nND-TP,TP Nam Định,district,ND\n"
    "ND-TN,Thống Nhất,ward,ND-TP\nND-VX,Vị Xuyên,ward,ND-TP\n"
)
GROUP_A, GROUP_B = -1001, -1002


class FakeActions:
    """The chat platform: records calls, can refuse like a bot without admin rights."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []
        self.refuse = False

    async def _record(self, name: str, chat_id: int, other: int) -> bool:
        self.calls.append((name, chat_id, other))
        return not self.refuse

    async def delete_message(self, chat_id: int, message_id: int) -> bool:
        return await self._record("delete", chat_id, message_id)

    async def restrict(self, chat_id: int, user_id: int, until: datetime | None) -> bool:
        return await self._record("restrict", chat_id, user_id)

    async def unrestrict(self, chat_id: int, user_id: int) -> bool:
        return await self._record("unrestrict", chat_id, user_id)

    async def ban(self, chat_id: int, user_id: int) -> bool:
        return await self._record("ban", chat_id, user_id)

    async def unban(self, chat_id: int, user_id: int) -> bool:
        return await self._record("unban", chat_id, user_id)

    async def kick(self, chat_id: int, user_id: int) -> bool:
        return await self._record("kick", chat_id, user_id)


class World:
    def __init__(self, sessions: Sessions) -> None:
        self.sessions = sessions
        self.users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
        self.grants = GrantService(sessions)
        self.groups = GroupService(sessions)
        self.actions = FakeActions()
        self.now = 1000.0
        self.notices = RecordingSender()
        self.moderation = Moderation.build(
            sessions,
            self.groups,
            self.actions,
            Protection(self.users),
            PoliceNotices(
                sessions,
                PersonReacher(sessions, self.notices, self.users, default_language="vi"),
                admin_ids=frozenset({999}),
                default_language="vi",
            ),
            clock=lambda: self.now,
        )
        self.review = ReviewService(sessions, (self.moderation.review.spec(),))
        self.audit = AuditService(
            sessions, tz=ZoneInfo("Asia/Ho_Chi_Minh"), superadmin_ids=frozenset()
        )

    async def profile(self, telegram_id: int, name: str = "X") -> Profile:
        return await self.users.identify(IncomingUser(telegram_id, name))


@pytest.fixture
async def world(sessions: Sessions) -> World:
    w = World(sessions)
    await AreaService(sessions).import_csv(AREAS)
    await w.grants.grant(target_telegram_id=10, role="moderator", area_code="ND-TN")
    await w.grants.grant(target_telegram_id=20, role="moderator", area_code="ND-VX")
    await w.groups.link(None, GROUP_A, "ND-TN", "dan", title="A")
    await w.groups.link(None, GROUP_B, "ND-VX", "dan", title="B")
    return w


def test_settings_parse_with_defaults_and_ignore_unknown_keys() -> None:
    settings = GroupSettings.from_json({"report_threshold": "5", "verify": 1, "junk": "x"})
    assert settings.report_threshold == 5 and settings.verify is True
    assert settings.warn_limit == 3 and settings.flood_messages == 10
    assert GroupSettings.from_json(None) == GroupSettings()


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("30", 30),
        ("30m", 30),
        ("45p", 45),
        ("2h", 120),
        ("2g", 120),
        ("1d", 1440),
        ("1n", 1440),
        ("abc", None),
        ("-5", None),
        ("9999999", None),
    ],
)
def test_durations_in_vietnamese_and_english_units(text: str, minutes: int | None) -> None:
    assert parse_minutes(text) == minutes


def test_flood_tracker_counts_within_the_window_only() -> None:
    tracker = FloodTracker()
    assert not any(tracker.hit(1, 7, 3, 10, t) for t in (0.0, 20.0, 40.0))
    assert not tracker.hit(1, 7, 3, 10, 41.0)
    assert tracker.hit(1, 7, 3, 10, 42.0)
    assert not tracker.hit(2, 7, 3, 10, 42.0)  # another group is counted apart
    for n in range(FloodTracker.SWEEP_EVERY * 2):
        tracker.hit(-n, n, 3, 10, 100.0 + n)
    assert len(tracker) < FloodTracker.SWEEP_EVERY + 10  # silent members are swept


async def test_warnings_are_scoped_to_their_group(world: World) -> None:
    mod = await world.profile(10)
    offender = Member(99, "Tèo")
    for _ in range(2):
        await world.moderation.warnings.warn(mod, GROUP_A, offender)
    other = await world.profile(20)
    outcome = await world.moderation.warnings.warn(other, GROUP_B, offender)
    assert outcome.count == 1 and outcome.muted_until is None
    outcome = await world.moderation.warnings.warn(mod, GROUP_A, offender)
    assert outcome.count == 3 and outcome.muted_until is not None
    assert ("restrict", GROUP_A, 99) in world.actions.calls
    assert ("restrict", GROUP_B, 99) not in world.actions.calls
    with pytest.raises(PermissionDenied):
        await world.moderation.warnings.warn(mod, GROUP_B, offender)
    with pytest.raises(InvalidInput):
        await world.moderation.warnings.unwarn(mod, GROUP_A, offender)  # reset by the mute


async def test_a_warn_command_handled_twice_is_one_warning(world: World) -> None:
    """Telegram redelivers an update the bot handled but could not confirm before a crash:
    the third /canhcao must not count twice, nor mute twice, nor be audited twice."""
    mod = await world.profile(10)
    offender = Member(99, "Tèo")
    first = await world.moderation.warnings.warn(mod, GROUP_A, offender, source_message_id=501)
    again = await world.moderation.warnings.warn(mod, GROUP_A, offender, source_message_id=501)
    assert (first.count, first.repeated) == (1, False)
    assert again.repeated and again.muted_until is None
    # The same message id in another group is another message.
    elsewhere = await world.moderation.warnings.warn(
        await world.profile(20), GROUP_B, offender, source_message_id=501
    )
    assert (elsewhere.count, elsewhere.repeated) == (1, False)
    second = await world.moderation.warnings.warn(mod, GROUP_A, offender, source_message_id=502)
    assert second.count == 2
    # Lifting one, with the command handled twice, lifts one.
    assert (
        await world.moderation.warnings.unwarn(mod, GROUP_A, offender, source_message_id=503) == 1
    )
    assert (
        await world.moderation.warnings.unwarn(mod, GROUP_A, offender, source_message_id=503) == 1
    )
    rows = json.loads(await world.audit.export(fmt="json"))
    assert sum(r["action"] == "mod.warn" for r in rows) == 3
    assert sum(r["action"] == "mod.unwarn" for r in rows) == 1


async def test_a_warning_reason_is_stored_clean(world: World) -> None:
    """Found by the command fuzzer on PostgreSQL, which refuses NUL in text."""
    mod = await world.profile(10)
    await world.moderation.warnings.warn(
        mod, GROUP_A, Member(98, "Tí"), "\x00\x01\x07\x1b[31m nói tục"
    )
    await world.moderation.warnings.warn(mod, GROUP_A, Member(97, "Tủn"), "\x00\u200b")
    async with transaction(world.sessions) as session:
        reasons = list(
            await session.scalars(select(MemberWarning.reason).order_by(MemberWarning.id))
        )
    assert reasons == ["[31m nói tục", None]


async def test_a_refused_mute_is_not_audited_as_done(world: World) -> None:
    world.actions.refuse = True
    mod = await world.profile(10)
    with pytest.raises(InvalidInput) as err:
        await world.moderation.sanctions.mute(mod, GROUP_A, Member(99, "Tèo"))
    assert err.value.message_key == "mod-bot-cannot-act"
    rows = json.loads(await world.audit.export(fmt="json"))
    assert not any(r["action"] == "mod.mute" for r in rows)


async def test_reports_count_distinct_members_and_hide_at_the_threshold(world: World) -> None:
    message = FlaggedMessage(55, Member(99, "Tèo"), "vay tiền 0912345678")
    first = await world.profile(1)
    outcomes = [
        await world.moderation.reports.flag_message(first, GROUP_A, message) for _ in range(2)
    ]
    assert [o.count for o in outcomes] == [1, 1] and not outcomes[1].new_flag
    for uid in (2, 3):
        last = await world.moderation.reports.flag_message(
            await world.profile(uid), GROUP_A, message
        )
    assert last.hidden and last.count == 3
    assert world.actions.calls == [("delete", GROUP_A, 55)]
    with pytest.raises(InvalidInput):
        await world.moderation.reports.flag_message(await world.profile(99), GROUP_A, message)


async def test_review_queue_checks_area_rights_and_status_at_press_time(world: World) -> None:
    mod_a, mod_b = await world.profile(10), await world.profile(20)
    message = FlaggedMessage(56, Member(99, "Tèo"), "spam")
    outcome = await world.moderation.reports.flag_message(await world.profile(1), GROUP_A, message)
    with pytest.raises(PermissionDenied):
        await world.review.act(mod_b, outcome.item_id, "ban")
    assert world.actions.calls == []
    overview = await world.review.overview(mod_b)
    assert overview.counts == [] and overview.card is None
    done = await world.review.act(mod_a, outcome.item_id, "mute")
    assert done.action == "mute" and ("restrict", GROUP_A, 99) in world.actions.calls
    with pytest.raises(InvalidInput):
        await world.review.act(mod_a, outcome.item_id, "ban")
    rows = json.loads(await world.audit.export(fmt="json"))
    denied = [r for r in rows if r["action"] == "review.denied"]
    assert [d["after"]["why"] for d in denied] == ["rights", "closed"]


async def test_a_failed_action_reopens_the_item(world: World) -> None:
    mod = await world.profile(10)
    item = await world.review.enqueue(
        kind=ReviewKind.GROUP_MESSAGE,
        area_id=(await world.groups.context(GROUP_A)).area.id,  # type: ignore[union-attr]
        reason="flood",
        chat_id=GROUP_A,
        message_id=1,
        details={"subject_telegram_id": 99},
    )
    world.actions.refuse = True
    with pytest.raises(InvalidInput):
        await world.review.act(mod, item.id, "ban")
    card = await world.review.next_card(mod)
    assert card is not None and card.item.id == item.id


async def test_audit_never_names_a_resident_actor(world: World) -> None:
    resident = await world.profile(77, "Người Báo Tin")
    area = (await world.groups.context(GROUP_A)).area  # type: ignore[union-attr]
    assert area is not None
    async with transaction(world.sessions) as session:
        await AuditRepository(session).add(
            "tip.create",
            actor_user_id=resident.user.id,
            area_id=area.id,
            target_type="report",
            target_id=1,
        )
    await world.grants.grant(target_telegram_id=30, role="police", area_code="ND-TN")
    page = await world.audit.page(await world.profile(30), 0)
    entry = next(e for e in page.entries if e.action == "tip.create")
    assert entry.actor_kind == "resident" and entry.actor_name == ""
    # The area's moderator does not read the police's work on tips at all.
    page = await world.audit.page(await world.profile(10), 0)
    assert not [e for e in page.entries if e.action == "tip.create"]
    exported = await world.audit.export(fmt="csv")
    assert "Người Báo Tin" not in exported and "77" not in exported.split("tip.create")[1][:40]
    # Moderators of another ward see nothing of this ward.
    other = await world.audit.page(await world.profile(20), 0)
    assert all(e.area != area.name for e in other.entries)


def _command(text: str, *, mention: tuple[int, int, User] | None = None) -> Message:
    entities = []
    if mention is not None:
        offset, length, person = mention
        entities.append(MessageEntity(MessageEntity.TEXT_MENTION, offset, length, user=person))
    return Message(
        1, datetime(2026, 11, 26), Chat(-100, "supergroup"), text=text, entities=entities
    )


def test_a_command_names_its_person_by_mention_at_name_or_reply() -> None:
    lan = User(5001, "Lan Nguyễn", False)  # no username: only a tapped mention names her
    text = "/camchat 👨‍👩‍👧 Lan Nguyễn 2g"  # offsets are UTF-16: the emoji counts 8
    args = text.split()[1:]
    tapped = _command(text, mention=(18, 10, lan))
    assert tapped.parse_entity(tapped.entities[0]) == "Lan Nguyễn"
    # The mention is not the first argument here: nobody is named.
    assert addressed_person(tapped, args) == (None, None, args)
    first = _command("/camchat Lan Nguyễn 2g", mention=(9, 10, lan))
    assert addressed_person(first, ["Lan", "Nguyễn", "2g"]) == (lan, None, ["2g"])
    at_name = _command("/chan @teo spam")
    assert addressed_person(at_name, ["@teo", "spam"]) == (None, "teo", ["spam"])
    assert addressed_person(_command("/chan @"), ["@"]) == (None, None, ["@"])


async def test_a_context_read_overlapping_a_link_is_not_cached(sessions: Sessions) -> None:
    """A group's update read its (unlinked) row while an officer linked it: that stale read
    must not be kept, or the group reads as unlinked for the cache's lifetime (seen as a
    refused setting right after /lienket on a loaded machine)."""
    import asyncio

    await AreaService(sessions).import_csv(AREAS)
    reading, linked = asyncio.Event(), asyncio.Event()

    class SlowReads(GroupService):
        async def _load(self, session, chat_id):  # type: ignore[no-untyped-def,override]
            found = await GroupService._load(session, chat_id)
            if not reading.is_set():
                reading.set()
                await linked.wait()  # the link commits while this read is in flight
            return found

    groups = SlowReads(sessions)
    await groups.seen(GROUP_A, "supergroup", "A")
    stale = asyncio.create_task(groups.context(GROUP_A))
    await reading.wait()
    await groups.link(None, GROUP_A, "ND-TN", "dan")
    linked.set()
    assert (await stale).area is None  # what that read saw
    ctx = await groups.context(GROUP_A)
    assert ctx is not None and ctx.area is not None and ctx.area.code == "ND-TN"
