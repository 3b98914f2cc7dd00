"""The tip services called directly: drafts, limits, routing, status changes, and fuzzed input."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.access import Profile
from services.areas import AreaService
from services.errors import AnninhError, InvalidInput, NotFound, PermissionDenied, RateLimited
from services.grants import GrantService
from services.ports import DeliveryResult, DeliveryStatus, MediaKind, OutgoingMessage, Recipient
from services.reach import PersonReacher
from services.text_input import whole_number
from services.tip_drafts import (
    MAX_ADDRESS,
    MAX_ATTACHMENTS,
    MAX_FRAUD_DETAILS,
    MAX_TEXT,
    TAKEN_KEPT,
    DraftAttachment,
    Step,
    WrongStep,
)
from services.tip_followup import StatusConflict, TipFollowUp
from services.tip_routing import TipRouter
from services.tip_steps import TipSteps
from services.tips import TipIntake
from services.users import IncomingUser, UserService
from storage.models import ChatPurpose, ReportKind, ReportStatus
from storage.repositories.audit import AuditRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.indicators import IndicatorRepository
from storage.repositories.tips import TipRepository
from storage.repositories.users import UserRepository
from storage.uow import Sessions, transaction
from tests.tip_parts import build_tips

AREAS = (
    "code,name,kind,parent_code\nND,Nam Định,province,\nND-TP,TP Nam Định,district,ND\n"
    "ND-TN,Phường Thống Nhất,ward,ND-TP\nND-TN-01,Tổ dân phố số 1,residential_group,ND-TN\n"
    "ND-VH,Phường Vị Hoàng,ward,ND-TP\nND-VH-01,Tổ dân phố 1 Vị Hoàng,residential_group,ND-VH\n"
)
ADMIN = 9001


@dataclass
class FakeSender:
    """Records what the service asked to send; ``status`` per chat id simulates failures."""

    sent: list[tuple[Recipient, OutgoingMessage]] = field(default_factory=list)
    status: dict[int, DeliveryStatus] = field(default_factory=dict)

    async def send(self, to: Recipient, message: OutgoingMessage) -> DeliveryResult:
        self.sent.append((to, message))
        return DeliveryResult(self.status.get(to.chat_id, DeliveryStatus.SENT), message_id=1)

    async def delete(self, chat_id: int, message_id: int, channel: str = "telegram") -> bool:
        return True

    def to(self, chat_id: int) -> list[OutgoingMessage]:
        return [m for r, m in self.sent if r.chat_id == chat_id]


@dataclass
class World:
    tip_steps: TipSteps
    tip_router: TipRouter
    tip_followup: TipFollowUp
    tip_intake: TipIntake
    sender: FakeSender
    users: UserService
    resident: Profile
    officer: Profile
    group_id: int
    other_group_id: int


async def world(sessions: Sessions, *, per_hour: int = 10) -> World:
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset({ADMIN}))
    areas = AreaService(sessions)
    await areas.import_csv(AREAS)
    await GrantService(sessions).grant(target_telegram_id=2001, role="police", area_code="ND-TN")
    resident = await users.identify(IncomingUser(1001, "Lan", "Nguyễn", "lan_nd"))
    officer = await users.identify(IncomingUser(2001, "Hùng", None, "csqk"))
    sender = FakeSender()
    tips = build_tips(
        sessions,
        PersonReacher(sessions, sender, users, default_language="vi"),
        tips_per_hour=per_hour,
        admin_ids=frozenset({ADMIN}),
    )
    group = await areas.get("ND-TN-01")
    other = await areas.get("ND-VH-01")
    return World(
        tips.tip_steps,
        tips.tip_router,
        tips.tip_followup,
        tips.tip_intake,
        sender,
        users,
        resident,
        officer,
        group.id,
        other.id,
    )


async def submit_tip(w: World, uid: int, area_id: int, *, text: str = "Trộm xe", **kw: object):
    await w.tip_intake.begin(uid, category=str(kw.get("category", "crime")))
    await w.tip_steps.add_text(uid, text)
    draft = await w.tip_steps.finish_description(uid)
    if draft.step is Step.FRAUD:
        accepted = await w.tip_steps.set_fraud_details(uid, str(kw.get("fraud", "")) or None)
        if accepted.draft.step is Step.FRAUD_PICK:
            await w.tip_steps.finish_picks(uid)
    await w.tip_steps.skip_location(uid)
    await w.tip_steps.choose_area(uid, area_id)
    await w.tip_steps.set_anonymous(uid, bool(kw.get("anonymous", True)))
    return await w.tip_intake.submit(uid)


async def test_the_steps_follow_in_order_and_the_fraud_step_only_for_fraud(
    sessions: Sessions,
) -> None:
    w = await world(sessions)
    uid = w.resident.user.id
    draft = await w.tip_intake.begin(uid)
    assert draft.step is Step.CATEGORY
    with pytest.raises(WrongStep):
        await w.tip_steps.add_text(uid, "too early")
    draft = await w.tip_steps.choose_category(uid, "online_fraud")
    assert draft.step is Step.DESCRIPTION
    with pytest.raises(InvalidInput):
        await w.tip_steps.finish_description(uid)  # nothing written yet
    await w.tip_steps.add_text(uid, "Gọi điện giả danh công an, số 0912 345 678")
    assert (await w.tip_steps.finish_description(uid)).step is Step.FRAUD
    draft = (
        await w.tip_steps.set_fraud_details(uid, "STK 0123456789 Vietcombank, 0987 654 321")
    ).draft
    # What was understood, each ticked as the scammer's, for the resident to untick theirs.
    assert draft.step is Step.FRAUD_PICK
    assert [(p.indicator.display, p.scammer) for p in draft.picks] == [
        ("Vietcombank 0123456789", True),
        ("0987 654 321", True),
    ]
    with pytest.raises(WrongStep):
        await w.tip_steps.toggle_pick(uid, 2)
    draft = await w.tip_steps.toggle_pick(uid, 0)
    assert [p.scammer for p in draft.picks] == [False, True]
    assert draft.given == (draft.picks[1].indicator,)
    assert (await w.tip_steps.finish_picks(uid)).step is Step.LOCATION
    assert (await w.tip_steps.set_address(uid, "Số 5 ngõ 3")).draft.step is Step.AREA
    with pytest.raises(InvalidInput):
        await w.tip_steps.choose_area(uid, 1)  # a province is not a tổ dân phố
    assert (await w.tip_steps.choose_area(uid, w.group_id)).step is Step.ANONYMITY
    draft = await w.tip_steps.set_anonymous(uid, True)
    assert draft.step is Step.CONFIRM
    draft = await w.tip_steps.edit(uid, "location")
    assert draft.step is Step.LOCATION and draft.editing
    assert (await w.tip_steps.skip_location(uid)).step is Step.CONFIRM  # back to the summary

    submitted = await w.tip_intake.submit(uid)
    report = submitted.report
    assert report.kind is ReportKind.FRAUD and report.code.startswith("LD-")
    assert report.version == 1 and report.status is ReportStatus.RECEIVED
    assert await w.tip_steps.current(uid) is None
    async with transaction(sessions) as session:
        linked = await IndicatorRepository(session).links_of_report(report.id)
        user = await UserRepository(session).get(uid)
    # All of them go to the police; only the one left ticked is the scammer's.
    assert {(link.indicator.value, link.public) for link in linked} == {
        ("+84987654321", True),
        ("VCB:0123456789", False),
        ("+84912345678", False),
    }
    assert user is not None and user.home_area_id == w.group_id


async def test_routing_prefers_the_police_chat_then_officers_then_admins(
    sessions: Sessions,
) -> None:
    w = await world(sessions)
    uid = w.resident.user.id
    # No police chat yet: the officer holding the ward grant gets a direct message.
    first = await submit_tip(w, uid, w.group_id)
    assert first.routing.police_found and first.routing.delivered == 1
    [to_officer] = w.sender.to(2001)
    assert to_officer.key == "tip-police-new"
    actions = [b.data for row in to_officer.buttons for b in row]
    assert actions[0] == f"tip:verify:{first.report.id}"

    async with transaction(sessions) as session:
        chats = ChatRepository(session)
        await chats.upsert(-100777, "supergroup", "CA Thống Nhất")
        ward = await AreaService(sessions).get("ND-TN")
        await chats.update(-100777, area_id=ward.id, purpose=ChatPurpose.POLICE)
    second = await submit_tip(w, uid, w.group_id, anonymous=False)
    [to_chat] = w.sender.to(-100777)
    assert to_chat.args["reporter"] == "Nguyễn Lan"  # named tip: the name, nothing else
    assert len(w.sender.to(2001)) == 1  # the chat took it; no duplicate DM
    assert second.report.code != first.report.code

    # The police chat removed the bot: the officer is reached directly instead.
    w.sender.status[-100777] = DeliveryStatus.BLOCKED
    await submit_tip(w, uid, w.group_id)
    assert len(w.sender.to(2001)) == 2

    # Nobody covers Vị Hoàng: stored anyway, and the admins are told.
    unrouted = await submit_tip(w, uid, w.other_group_id)
    assert not unrouted.routing.police_found
    [to_admin] = w.sender.to(ADMIN)
    assert to_admin.args["code"] == unrouted.report.code
    assert str(w.resident.user.telegram_id) not in str(to_admin.args)


async def test_anonymous_tips_carry_no_identity_to_the_police(sessions: Sessions) -> None:
    w = await world(sessions)
    await submit_tip(w, w.resident.user.id, w.group_id, anonymous=True)
    [message] = w.sender.to(2001)
    rendered = repr(message)
    for secret in ("Lan", "Nguyễn", "lan_nd", "1001"):
        assert secret not in rendered


async def test_the_intake_limit_keeps_the_draft(sessions: Sessions) -> None:
    w = await world(sessions, per_hour=2)
    uid = w.resident.user.id
    await submit_tip(w, uid, w.group_id)
    await submit_tip(w, uid, w.group_id)
    with pytest.raises(RateLimited) as refused:
        await w.tip_intake.begin(uid)
    assert refused.value.args_for_message["limit"] == 2
    assert 1 <= refused.value.args_for_message["minutes"] <= 61


async def test_change_status_checks_rights_version_and_tells_the_reporter(
    sessions: Sessions,
) -> None:
    w = await world(sessions)
    uid = w.resident.user.id
    report = (await submit_tip(w, uid, w.group_id)).report
    with pytest.raises(PermissionDenied):
        await w.tip_followup.change_status(report.id, "verifying", w.resident, "x", report.version)
    changed = await w.tip_followup.change_status(
        report.id, "verifying", w.officer, "Đang kiểm tra", report.version
    )
    assert changed.status is ReportStatus.VERIFYING and changed.version == report.version + 1
    with pytest.raises(StatusConflict):  # an officer acting on what they saw before
        await w.tip_followup.change_status(report.id, "handled", w.officer, None, report.version)
    with pytest.raises(StatusConflict):  # the same press as the first, a moment later: it
        # lost the race, whatever the status it asked for has become (was "cannot move")
        await w.tip_followup.change_status(report.id, "verifying", w.officer, None, report.version)
    with pytest.raises(InvalidInput):
        await w.tip_followup.change_status(
            report.id, "verifying", w.officer, None, changed.version
        )
    with pytest.raises(NotFound):
        await w.tip_followup.change_status(10_000, "handled", w.officer, None, 1)

    [pushed] = w.sender.to(1001)
    assert pushed.key == "tip-status-changed" and pushed.args["note"] == "Đang kiểm tra"
    detail = await w.tip_followup.detail_for_reporter(uid, report.id)
    assert [h.new_status for h in detail.history] == [
        ReportStatus.RECEIVED,
        ReportStatus.VERIFYING,
    ]
    with pytest.raises(NotFound):  # nobody else can read it as "theirs"
        await w.tip_followup.detail_for_reporter(w.officer.user.id, report.id)
    async with transaction(sessions) as session:
        [audit] = [
            a for a in await AuditRepository(session).recent() if a.action == "report.status"
        ]
    assert audit.actor_user_id == w.officer.user.id and audit.target_id == str(report.id)
    assert audit.before == {"status": "received", "version": 1}

    # The reporter blocked the bot: marked, nothing raised.
    w.sender.status[1001] = DeliveryStatus.BLOCKED
    await w.tip_followup.change_status(report.id, "handled", w.officer, None, changed.version)
    async with transaction(sessions) as session:
        user = await UserRepository(session).get(uid)
    assert user is not None and user.blocked_bot


async def test_albums_are_acknowledged_once_and_attachments_are_bounded(
    sessions: Sessions,
) -> None:
    w = await world(sessions)
    uid = w.resident.user.id
    await w.tip_intake.begin(uid, category="crime")
    acks = [
        (
            await w.tip_steps.add_attachment(
                uid, DraftAttachment(MediaKind.PHOTO, f"f{i}", None, None, "g")
            )
        ).acknowledge
        for i in range(3)
    ]
    assert acks == [True, False, False]
    for i in range(3, MAX_ATTACHMENTS):
        await w.tip_steps.add_attachment(uid, DraftAttachment(MediaKind.VOICE, f"v{i}"))
    with pytest.raises(InvalidInput):
        await w.tip_steps.add_attachment(uid, DraftAttachment(MediaKind.VIDEO, "one-too-many"))
    assert len((await w.tip_steps.current(uid)).attachments) == MAX_ATTACHMENTS  # type: ignore[union-attr]


async def test_a_message_handled_twice_is_taken_once(sessions: Sessions) -> None:
    """Telegram delivers a message again when the bot died before confirming it: the same
    message (key) or the same file adds nothing the second time; other messages still do."""
    w = await world(sessions)
    uid = w.resident.user.id
    await w.tip_intake.begin(uid, category="crime")
    await w.tip_steps.add_text(uid, "Trộm cạy khóa xe", message_key="tg:10")
    await w.tip_steps.add_text(uid, "Trộm cạy khóa xe", message_key="tg:10")
    await w.tip_steps.add_text(uid, "Áo khoác đen", message_key="tg:11")
    await w.tip_steps.add_text(uid, "Áo khoác đen")  # no key: taken (an older surface)
    photo = DraftAttachment(MediaKind.PHOTO, "file-1", "uniq-1")
    first = await w.tip_steps.add_attachment(uid, photo, "ảnh xe", message_key="tg:12")
    again = await w.tip_steps.add_attachment(uid, photo, "ảnh xe", message_key="tg:12")
    forwarded = await w.tip_steps.add_attachment(
        uid, DraftAttachment(MediaKind.PHOTO, "file-2", "uniq-1")
    )
    assert first.acknowledge and not again.acknowledge and not forwarded.acknowledge
    draft = await w.tip_steps.current(uid)
    assert draft is not None
    assert draft.text.split("\n") == ["Trộm cạy khóa xe", "Áo khoác đen", "Áo khoác đen", "ảnh xe"]
    assert [a.file_id for a in draft.attachments] == ["file-1"]
    for n in range(100, 100 + TAKEN_KEPT + 5):  # only the last keys are kept
        await w.tip_steps.add_text(uid, ".", message_key=f"tg:{n}")
    kept = await w.tip_steps.current(uid)
    assert kept is not None and len(kept.taken) == TAKEN_KEPT and kept.taken[-1] == "tg:134"


async def test_my_tips_are_paged_newest_first(sessions: Sessions) -> None:
    w = await world(sessions)
    uid = w.resident.user.id
    codes = [(await submit_tip(w, uid, w.group_id, text=f"tin {i}")).report.code for i in range(7)]
    first = await w.tip_followup.list_mine(uid, 0)
    second = await w.tip_followup.list_mine(uid, 1)
    assert (first.total, first.pages) == (7, 2)
    assert [r.code for r in first.items + second.items] == list(reversed(codes))
    assert (
        await w.tip_followup.list_mine(uid, 99)
    ).page == 1  # a stale page button: the last page
    async with transaction(sessions) as session:
        assert len(await TipRepository(session).history(first.items[0].id)) == 1


# -- fuzzing every free-text step ------------------------------------------------------------
odd_text = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.sampled_from(
            [
                "a",
                "ệ",
                "e\u0302\u0323",
                "\u200b",
                "\u200d",
                "\ufeff",
                "\x00",
                "\r",
                "😀",
                "👨\u200d👩\u200d👧",
                "\u202e",
                "\ud800",
                " ",
                "\n",
                "<b>",
                "&",
            ]
        ),
        max_size=60,
    ).map("".join),
    st.integers(3400, 5000).map(lambda n: "Tiếng Việt " * (n // 11)),
)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _is_clean(text: str, limit: int) -> bool:
    return (
        unicodedata.is_normalized("NFC", text)
        and len(text) <= limit
        and "\x00" not in text
        and "\u200b" not in text
        and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    )


@pytest.fixture
async def fuzz_world(sessions: Sessions) -> World:
    return await world(sessions, per_hour=10_000)


@FUZZ
@given(description=odd_text, address=odd_text, fraud=odd_text)
async def test_free_text_steps_never_fail_unexpectedly(
    fuzz_world: World, description: str, address: str, fraud: str
) -> None:
    w = fuzz_world
    uid = w.resident.user.id
    await w.tip_intake.begin(uid, category="online_fraud")
    try:
        accepted = await w.tip_steps.add_text(uid, description)
        assert _is_clean(accepted.draft.text, MAX_TEXT)
        if len(description) <= MAX_TEXT:
            assert not accepted.truncated
    except InvalidInput:
        await w.tip_steps.add_text(uid, "mô tả")
    await w.tip_steps.finish_description(uid)
    try:
        details = await w.tip_steps.set_fraud_details(uid, fraud)
        assert _is_clean(details.draft.fraud_details or "", MAX_FRAUD_DETAILS)
        assert all(p.indicator.value for p in details.draft.picks)
        if details.draft.step is Step.FRAUD_PICK:
            await w.tip_steps.finish_picks(uid)
    except InvalidInput:
        await w.tip_steps.set_fraud_details(uid, None)
    try:
        where = await w.tip_steps.set_address(uid, address)
        assert _is_clean(where.draft.address or "", MAX_ADDRESS)
    except InvalidInput:
        await w.tip_steps.skip_location(uid)
    await w.tip_steps.choose_area(uid, w.group_id)
    await w.tip_steps.set_anonymous(uid, True)
    try:
        report = (await w.tip_intake.submit(uid)).report
    except AnninhError:  # only domain errors may come out, never a crash
        return
    stored = await w.tip_followup.get(report.id)
    assert stored is not None and _is_clean(stored.text, MAX_TEXT)
    assert stored.text == unicodedata.normalize("NFC", stored.text)


@FUZZ
@given(offered=odd_text)
async def test_a_free_message_offer_is_clean_or_refused(fuzz_world: World, offered: str) -> None:
    w = fuzz_world
    uid = w.resident.user.id
    try:
        draft, truncated = await w.tip_steps.offer(uid, offered)
    except InvalidInput:
        return
    assert _is_clean(draft.text, MAX_TEXT) and draft.step is Step.OFFER
    begun = await w.tip_intake.begin(uid)
    assert begun.text == draft.text and begun.step is Step.CATEGORY
    del truncated


def test_whole_numbers_are_ascii_digits_only() -> None:
    """A button's or a typed number: "¹" passes str.isdigit() but not int(), and crashed the
    scam-confirm button before; "٣" and "３" are refused too (our buttons never carry them)."""
    assert whole_number("42") == 42
    assert whole_number("007") == 7
    assert whole_number("-100991", signed=True) == -100991
    for bad in ("", "-", "-5", "¹", "1²", "٣", "３", "4 2", "42\n", "+4", "1" * 19, "x"):
        assert whole_number(bad) is None, bad
    assert whole_number("-٣", signed=True) is None


@given(st.text(max_size=24), st.booleans())
def test_whole_number_never_raises(text: str, signed: bool) -> None:
    number = whole_number(text, signed=signed)
    if number is not None:
        assert text.isascii() and int(text) == number and (signed or number >= 0)
