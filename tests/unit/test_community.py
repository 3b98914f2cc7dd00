"""Community services against a real database: subscriptions, contacts, the FAQ matcher and
editor, recognition (with a recording Sender at the network edge) and the QR posters."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pypdf
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from services.access import Profile
from services.areas import AreaService
from services.contacts import ContactService, parse_contact_form, parse_role
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.faq import SEED_ENTRIES, FaqService, parse_faq_form
from services.faq_match import best_answer
from services.grants import GrantService
from services.onboarding import OnboardingService, SubscriptionService, deep_link
from services.ports import DeliveryResult, DeliveryStatus, OutgoingMessage, Recipient
from services.posters import PosterText, pdf_bytes, png_bytes
from services.reach import PersonReacher
from services.recognition import RecognitionService, month_start
from services.users import IncomingUser, UserService
from storage.models import AuditLog, ChatPurpose, ContactRole, Report, ReportKind
from storage.repositories.chats import ChatRepository
from storage.repositories.community import FaqDTO
from storage.repositories.users import UserRepository
from storage.uow import Sessions, transaction

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TREE = (
    "code,name,kind,parent_code\n"
    "ND,Tỉnh Nam Định,province,\n"
    "ND-TP,Thành phố Nam Định,district,ND\n"
    "ND-TN,Phường Thống Nhất,ward,ND-TP\n"
    "ND-TN-01,Tổ dân phố 1,residential_group,ND-TN\n"
    "ND-TN-02,Tổ dân phố 2,residential_group,ND-TN\n"
    "ND-VH,Phường Vị Hoàng,ward,ND-TP\n"
    "ND-VH-01,Tổ dân phố 1,residential_group,ND-VH\n"
)


class RecordingSender:
    """The network edge: records what would be sent; ``blocked`` chats refuse."""

    def __init__(
        self, blocked: frozenset[int] = frozenset(), busy: set[int] | None = None
    ) -> None:
        self.sent: list[tuple[Recipient, OutgoingMessage]] = []
        self.blocked = blocked
        self.busy = busy or set()
        """Chats that cannot take a message now (a 502, a flood wait)."""

    async def send(self, to: Recipient, message: OutgoingMessage) -> DeliveryResult:
        if to.chat_id in self.blocked:
            return DeliveryResult(DeliveryStatus.BLOCKED, error="Forbidden")
        if to.chat_id in self.busy:
            return DeliveryResult(DeliveryStatus.RETRY_LATER, error="502")
        self.sent.append((to, message))
        return DeliveryResult(DeliveryStatus.SENT, message_id=len(self.sent))

    async def delete(self, chat_id: int, message_id: int, channel: str = "telegram") -> bool:
        return True


@pytest.fixture
async def tree(sessions: Sessions) -> dict[str, int]:
    await AreaService(sessions).import_csv(TREE)
    return {a.code: a.id for a in await AreaService(sessions).all()}


def reacher(sessions: Sessions, sender: object) -> PersonReacher:
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    return PersonReacher(sessions, sender, users, default_language="vi")  # type: ignore[arg-type]


async def person(
    sessions: Sessions, telegram_id: int, name: str = "Lan", *, police: str | None = None
) -> Profile:
    if police:
        await GrantService(sessions).grant(
            target_telegram_id=telegram_id, role="police", area_code=police
        )
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    return await users.identify(IncomingUser(telegram_id, name, username=f"u{telegram_id}"))


def faq_entries() -> list[FaqDTO]:
    return [
        FaqDTO(i, e["slug"], i, e["question_vi"], e["answer_vi"], e["question_en"],
               e["answer_en"], e["keywords"], True)
        for i, e in enumerate(SEED_ENTRIES)
    ]  # fmt: skip


def test_the_seed_faq_is_read_from_its_data_file_which_ships_with_the_package() -> None:
    import tomllib
    from fnmatch import fnmatch
    from pathlib import Path

    from services.faq import SEED_FILE

    root = Path(__file__).resolve().parents[2]
    shipped = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    globs = shipped["tool"]["setuptools"]["package-data"]["services"]
    assert any(fnmatch(str(SEED_FILE.relative_to(root / "services")), g) for g in globs)
    fields = ["slug", "question_vi", "answer_vi", "question_en", "answer_en", "keywords"]
    assert len(SEED_ENTRIES) >= 8
    assert all(list(e) == fields and all(e.values()) for e in SEED_ENTRIES)
    assert len({e["slug"] for e in SEED_ENTRIES}) == len(SEED_ENTRIES)


# -- FAQ matching --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("tam tru o dau", "tam-tru"),
        ("Đăng ký tạm trú ở đâu?", "tam-tru"),
        ("TẠM TRÚ Ở ĐÂU", "tam-tru"),
        ("khai bao tam vang the nao", "tam-vang"),
        ("mất cccd", "mat-giay-to"),
        ("mat can cuoc thi lam sao", "mat-giay-to"),
        ("bị lừa đảo thì làm gì", "lua-dao-qua-mang"),
        ("cháy nhà gọi số nào?", "chay-no"),
        ("where do I register temporary residence?", "tam-tru"),
        ("khách ở qua đêm có phải báo không", "luu-tru"),
        ("kich hoat vneid o dau", "vneid"),
    ],
)
def test_questions_find_their_answer_with_or_without_accents(text: str, slug: str) -> None:
    match = best_answer(faq_entries(), text)
    assert match is not None and match.entry.slug == slug


@pytest.mark.parametrize(
    "text",
    [
        "Có người gọi điện lừa đảo tự xưng công an bắt chuyển tiền vào tài khoản",
        "nhà bên cạnh có người lạ ở trọ không đăng ký tạm trú",
        "có trộm ở ngõ 5",
        "xe chạy quá tốc độ ở đâu",  # "chạy" is not "cháy" when accents are typed
        "xin chào",
        "ok",
        "😀😀😀",
        "tạm trú " * 40,
    ],
)
def test_tips_and_chatter_are_not_taken_for_faq_questions(text: str) -> None:
    assert best_answer(faq_entries(), text) is None


def test_faq_form_keeps_multi_line_answers_and_accepts_unaccented_keys() -> None:
    form = parse_faq_form(
        "ma: gio-lam-viec\ncau hoi: Công an phường làm việc giờ nào?\n"
        "trả lời: Sáng 7h30–11h30.\nChiều 13h30–17h.\ntừ khóa: giờ làm việc\nhiện: có"
    )
    assert form == {
        "slug": "gio-lam-viec",
        "question_vi": "Công an phường làm việc giờ nào?",
        "answer_vi": "Sáng 7h30–11h30.\nChiều 13h30–17h.",
        "keywords": "giờ làm việc",
        "active": "có",
    }
    with pytest.raises(InvalidInput) as err:
        parse_faq_form("lời chào không có mục")
    assert err.value.message_key == "faq-form-line"


def test_contact_form_and_roles() -> None:
    form = parse_contact_form(
        "Khu vực: ND-TN-01\nVai trò: cán bộ\nTên: Trần Hùng\nSĐT: 0912345678"
    )
    assert (form.area, form.role, form.name, form.phone) == (
        "ND-TN-01",
        "cán bộ",
        "Trần Hùng",
        "0912345678",
    )
    assert (
        parse_role("Trực ban") is ContactRole.DUTY and parse_role("officer") is ContactRole.OFFICER
    )
    with pytest.raises(InvalidInput):
        parse_role("đội trưởng")
    with pytest.raises(InvalidInput) as err:
        parse_contact_form("màu sắc: đỏ")
    assert err.value.message_key == "contact-form-key"


# -- onboarding and subscriptions --------------------------------------------------------------


async def test_payload_resolves_to_the_area_with_its_lineage(
    sessions: Sessions, tree: dict[str, int]
) -> None:
    onboarding = OnboardingService(sessions)
    place = await onboarding.resolve_payload("nd-tn-01")
    assert place is not None
    assert place.full_name == "Tổ dân phố 1, Phường Thống Nhất, Thành phố Nam Định"
    assert place.parents_name == "Phường Thống Nhất, Thành phố Nam Định"
    assert await onboarding.resolve_payload("ND-XX-99") is None
    assert await onboarding.resolve_payload("a b") is None
    assert await onboarding.resolve_payload("x" * 65) is None
    assert deep_link("@anninh_bot", "ND-TN-01") == "https://t.me/anninh_bot?start=ND-TN-01"


async def test_poster_targets_are_the_groups_below_and_only_for_own_police(
    sessions: Sessions, tree: dict[str, int]
) -> None:
    onboarding = OnboardingService(sessions)
    city = await onboarding.poster_targets("ND-TP")
    assert [p.area.code for p in city] == ["ND-TN-01", "ND-TN-02", "ND-VH-01"]
    assert [p.area.code for p in await onboarding.poster_targets("ND-TN-02")] == ["ND-TN-02"]
    officer = await person(sessions, 2001, "Hùng", police="ND-TN")
    assert len(await onboarding.poster_targets("ND-TN", officer)) == 2
    with pytest.raises(PermissionDenied):
        await onboarding.poster_targets("ND-VH", officer)
    with pytest.raises(NotFound):
        await onboarding.poster_targets("ND-ZZ")


async def test_subscribers_for_areas_covers_the_subtree_once_and_skips_blocked_users(
    sessions: Sessions, tree: dict[str, int]
) -> None:
    onboarding = OnboardingService(sessions)
    subs = SubscriptionService(sessions, default_language="vi")
    lan, binh, hoa = [await person(sessions, i) for i in (1001, 1002, 1003)]
    with pytest.raises(InvalidInput):
        await subs.subscribe(lan.user.id)  # no home area yet
    await onboarding.set_home_area(lan.user.id, tree["ND-TN-01"])
    await onboarding.set_home_area(binh.user.id, tree["ND-TN-02"])
    await onboarding.set_home_area(hoa.user.id, tree["ND-VH-01"])
    for who in (lan, binh, hoa):
        assert (await subs.subscribe(who.user.id)).created
    assert not (await subs.subscribe(lan.user.id)).created
    await UserService(sessions, default_language="vi", superadmin_ids=frozenset()).set_language(
        binh.user.id, "en"
    )
    ward = await subs.subscribers_for_areas([tree["ND-TN"], tree["ND-TN-01"]])
    assert [(s.telegram_id, s.locale) for s in ward] == [(1001, "vi"), (1002, "en")]
    assert [s.telegram_id for s in await subs.subscribers_for_areas([tree["ND"]])] == [
        1001,
        1002,
        1003,
    ]
    async with transaction(sessions) as session:
        await UserRepository(session).set_blocked(binh.user.id, True)
    assert [s.telegram_id for s in await subs.subscribers_for_areas([tree["ND-TN"]])] == [1001]
    # Moving house moves the subscription; unsubscribing ends it.
    change = await onboarding.set_home_area(lan.user.id, tree["ND-VH-01"])
    assert change.subscription_moved
    assert [s.telegram_id for s in await subs.subscribers_for_areas([tree["ND-VH"]])] == [
        1001,
        1003,
    ]
    assert await subs.unsubscribe(lan.user.id)
    assert not await subs.unsubscribe(lan.user.id)
    assert await subs.subscribers_for_areas([]) == []


# -- contacts -----------------------------------------------------------------------------------


async def test_resident_sees_the_nearest_duty_line_and_officer(
    sessions: Sessions, tree: dict[str, int]
) -> None:
    contacts = ContactService(sessions)
    officer = await person(sessions, 2001, "Hùng", police="ND-TN")
    lan = await person(sessions, 1001)
    assert await contacts.card_for_user(lan.user.id) is None
    await OnboardingService(sessions).set_home_area(lan.user.id, tree["ND-TN-01"])
    empty = await contacts.card_for_user(lan.user.id)
    assert empty is not None and empty.duty is None and empty.officer is None

    await contacts.set(area_code="ND-TN", role="trực ban", phone="0228 3849 113", actor=officer)
    await contacts.set(
        area_code="ND-TN", role="officer", name="Lê Văn Tổ", phone="0987654321", actor=officer
    )
    card = await contacts.card_for_user(lan.user.id)
    assert card is not None and card.officer is not None and card.duty is not None
    assert card.officer.contact.name == "Lê Văn Tổ"  # the ward's officer until the group has one
    await contacts.set(
        area_code="nd-tn-01",
        role="cán bộ",
        name="Trần  Văn Hùng",
        rank="Thượng úy",
        phone="+84 912.345.678",
        actor=officer,
    )
    card = await contacts.card_for_user(lan.user.id)
    assert card is not None and card.officer is not None and card.duty is not None
    assert (card.officer.contact.name, card.officer.contact.phone) == (
        "Trần Văn Hùng",
        "+84912345678",
    )
    assert card.officer.phone_display == "0912 345 678"
    assert card.duty.area.code == "ND-TN" and card.duty.contact.phone == "+842283849113"

    with pytest.raises(InvalidInput) as err:
        await contacts.set(
            area_code="ND-TN-01", role="officer", name="X", phone="12", actor=officer
        )
    assert err.value.message_key == "contact-phone-invalid"
    with pytest.raises(InvalidInput):
        await contacts.set(area_code="ND-TN-01", role="officer", phone="0912345678")
    other = await person(sessions, 2002, "Dũng", police="ND-VH")
    with pytest.raises(PermissionDenied):
        await contacts.set(
            area_code="ND-TN-01", role="officer", name="Y", phone="0912345678", actor=other
        )
    async with transaction(sessions) as session:
        actions = list(
            await session.scalars(select(AuditLog.action).where(AuditLog.action.like("contact.%")))
        )
    assert actions == ["contact.set", "contact.set", "contact.set"]
    assert [(a.code, c.role) for a, c in await contacts.list("ND-TN-01")] == [
        ("ND-TN-01", ContactRole.OFFICER)
    ]
    assert await contacts.remove(area_code="ND-TN-01", role="officer", actor=officer)
    assert not await contacts.remove(area_code="ND-TN-01", role="officer", actor=officer)


# -- FAQ service ---------------------------------------------------------------------------------


async def test_faq_seed_edit_and_csv_import(sessions: Sessions, tree: dict[str, int]) -> None:
    faq = FaqService(sessions)
    assert await faq.seed_if_empty() == len(SEED_ENTRIES)
    assert await faq.seed_if_empty() == 0
    match = await faq.answer("tam tru o dau")
    assert match is not None and match.entry.slug == "tam-tru"

    resident = await person(sessions, 1001)
    with pytest.raises(PermissionDenied):
        await faq.save({"slug": "tam-tru", "answer_vi": "x"}, actor=resident)
    officer = await person(sessions, 2001, "Hùng", police="ND-TN")
    change = await faq.save(
        {"slug": "tam-tru", "answer_vi": "Mang CCCD đến Công an phường Thống Nhất."},
        actor=officer,
    )
    assert not change.created and change.entry.answer_vi.startswith("Mang CCCD")
    assert change.entry.question_vi == SEED_ENTRIES[0]["question_vi"]  # untouched
    await faq.save({"slug": "tam-tru", "active": "không"}, actor=officer)
    assert await faq.answer("tam tru o dau") is None
    with pytest.raises(InvalidInput):
        await faq.save({"slug": "moi", "question_vi": "Chỉ có câu hỏi?"}, actor=officer)

    result = await faq.import_csv(
        "slug,question_vi,answer_vi,keywords\n"
        "gio-lam-viec,Công an phường làm việc giờ nào?,Sáng 7h30-11h30,giờ làm việc\n"
        "vneid,,Câu trả lời mới về VNeID,\n"
    )
    assert (result.created, result.updated) == (1, 1)
    found = await faq.answer("gio lam viec cua cong an phuong?")
    assert found is not None and found.entry.slug == "gio-lam-viec"
    with pytest.raises(InvalidInput) as err:
        await faq.import_csv("slug,question_vi,answer_vi\nhop-le,Câu?,Đáp\nkhông hợp lệ!,,\n")
    assert err.value.message_key == "faq-csv-row"
    assert all(e.slug != "hop-le" for e in await faq.topics(include_inactive=True))  # all or none
    with pytest.raises(InvalidInput):
        await faq.import_csv("question,answer\nx,y\n")


# -- recognition ---------------------------------------------------------------------------------


async def _report(sessions: Sessions, area_id: int, reporter_id: int, code: str) -> int:
    async with transaction(sessions) as session:
        report = Report(
            code=code,
            kind=ReportKind.TIP,
            category="theft",
            text="Có người lạ dò xét nhà",
            area_id=area_id,
            reporter_user_id=reporter_id,
            anonymous=True,
        )
        session.add(report)
        await session.flush()
        return report.id


async def test_marking_a_tip_thanks_only_its_reporter_privately(
    sessions: Sessions, tree: dict[str, int]
) -> None:
    sender = RecordingSender()
    recognition = RecognitionService(
        sessions, reacher(sessions, sender), tz=TZ, default_language="vi"
    )
    lan = await person(sessions, 1001)
    officer = await person(sessions, 2001, "Hùng", police="ND-TN")
    other = await person(sessions, 2002, "Dũng", police="ND-VH")
    report_id = await _report(sessions, tree["ND-TN-01"], lan.user.id, "TB-2611-0001")

    with pytest.raises(PermissionDenied):
        await recognition.mark_helpful("TB-2611-0001", other)
    with pytest.raises(NotFound):
        await recognition.mark_helpful("TB-0000-0000", officer)
    outcome = await recognition.mark_helpful("tb-2611-0001", officer)
    assert outcome.thanked and not outcome.already and outcome.report_code == "TB-2611-0001"
    assert [(to.chat_id, m.key, dict(m.args)) for to, m in sender.sent] == [
        (1001, "thanks-private", {"code": "TB-2611-0001"})
    ]
    again = await recognition.mark_helpful(report_id, officer)
    assert again.already and len(sender.sent) == 1
    async with transaction(sessions) as session:
        audit = (
            await session.scalars(select(AuditLog).where(AuditLog.action == "report.helpful"))
        ).one()
    assert audit.target_id == str(report_id) and "1001" not in str(audit.after)
    assert audit.actor_user_id == officer.user.id


async def test_blocked_reporter_is_marked_and_counts_cover_the_month(
    sessions: Sessions, tree: dict[str, int]
) -> None:
    sender = RecordingSender(blocked=frozenset({1001}))
    recognition = RecognitionService(
        sessions, reacher(sessions, sender), tz=TZ, default_language="vi"
    )
    lan = await person(sessions, 1001)
    await _report(sessions, tree["ND-TN-01"], lan.user.id, "TB-2611-0002")
    await _report(sessions, tree["ND-TN-02"], lan.user.id, "TB-2611-0003")
    await _report(sessions, tree["ND-VH-01"], lan.user.id, "TB-2611-0004")
    first = await recognition.mark_helpful("TB-2611-0002")
    assert not first.thanked
    async with transaction(sessions) as session:
        assert (await UserRepository(session).get(lan.user.id)).blocked_bot  # type: ignore[union-attr]
    for code in ("TB-2611-0003", "TB-2611-0004"):
        await recognition.mark_helpful(code)
    now = datetime.now(UTC)
    counts = await recognition.helpful_counts(
        [tree["ND-TN"], tree["ND-VH-01"], tree["ND"]], now - timedelta(days=1), now + timedelta(1)
    )
    assert counts == {tree["ND-TN"]: 2, tree["ND-VH-01"]: 1, tree["ND"]: 3}
    assert await recognition.helpful_counts(
        [tree["ND"]], now + timedelta(1), now + timedelta(2)
    ) == {tree["ND"]: 0}


async def test_publish_thanks_posts_a_count_without_names_to_residents_groups_only(
    sessions: Sessions, tree: dict[str, int]
) -> None:
    sender = RecordingSender(blocked=frozenset({-300}))
    recognition = RecognitionService(
        sessions, reacher(sessions, sender), tz=TZ, default_language="vi"
    )
    lan = await person(sessions, 1001)
    officer = await person(sessions, 2001, "Hùng", police="ND-TN")
    with pytest.raises(InvalidInput):
        await recognition.publish_thanks("ND-TN", officer)  # nothing to thank for yet
    await _report(sessions, tree["ND-TN-01"], lan.user.id, "TB-2611-0005")
    await recognition.mark_helpful("TB-2611-0005", officer)
    sender.sent.clear()
    async with transaction(sessions) as session:
        chats = ChatRepository(session)
        for chat_id, area, purpose in [
            (-100, "ND-TN-01", ChatPurpose.RESIDENTS),
            (-200, "ND-TN", ChatPurpose.POLICE),
            (-300, "ND-TN-02", ChatPurpose.RESIDENTS),
            (-400, "ND-VH-01", ChatPurpose.RESIDENTS),
        ]:
            await chats.upsert(chat_id, "supergroup", f"Nhóm {area}")
            await chats.update(chat_id, area_id=tree[area], purpose=purpose)
    with pytest.raises(PermissionDenied):
        await recognition.publish_thanks("ND-VH", officer)
    outcome = await recognition.publish_thanks("ND-TN", officer)
    assert (outcome.count, outcome.groups_reached, outcome.groups_failed) == (1, 1, 1)
    [(to, message)] = sender.sent
    assert to.chat_id == -100 and message.key == "thanks-public"
    assert message.args["count"] == 1 and message.args["area"] == "Phường Thống Nhất"
    assert "Lan" not in str(message.args) and "1001" not in str(message.args)


async def test_a_thanks_post_a_group_could_not_take_now_is_sent_again(
    sessions: Sessions, tree: dict[str, int]
) -> None:
    """The month's thank-you is stored for each group with its audit line and sent after
    the commit: a group Telegram could not take it from now (a 502) gets it from the outbox
    later, and the officer is told so (before: sent directly, a 502 lost that group's post)."""
    sender = RecordingSender(busy={-300})
    users = UserService(sessions, default_language="vi", superadmin_ids=frozenset())
    outbox = PersonReacher(sessions, sender, users, default_language="vi", retry_seconds=0)
    recognition = RecognitionService(sessions, outbox, tz=TZ, default_language="vi")
    lan = await person(sessions, 1001)
    officer = await person(sessions, 2001, "Hùng", police="ND-TN")
    await _report(sessions, tree["ND-TN-01"], lan.user.id, "TB-2611-0006")
    await recognition.mark_helpful("TB-2611-0006", officer)
    async with transaction(sessions) as session:
        chats = ChatRepository(session)
        for chat_id, area in ((-100, "ND-TN-01"), (-300, "ND-TN-02")):
            await chats.upsert(chat_id, "supergroup", f"Nhóm {area}")
            await chats.update(chat_id, area_id=tree[area], purpose=ChatPurpose.RESIDENTS)
    sender.sent.clear()
    outcome = await recognition.publish_thanks("ND-TN", officer)
    assert (outcome.groups_reached, outcome.groups_later, outcome.groups_failed) == (1, 1, 0)
    assert [to.chat_id for to, _ in sender.sent] == [-100]
    sender.busy.clear()
    assert await outbox.deliver_due() == 1
    assert [to.chat_id for to, m in sender.sent if m.key == "thanks-public"] == [-100, -300]
    assert await outbox.deliver_due() == 0  # once each


def test_month_start_is_local_midnight_of_the_first() -> None:
    # 2026-11-30 20:00 UTC is already 1 December 03:00 in Vietnam.
    assert month_start(datetime(2026, 11, 30, 20, tzinfo=UTC), TZ) == datetime(
        2026, 11, 30, 17, tzinfo=UTC
    )


# -- posters -------------------------------------------------------------------------------------

POSTER = PosterText(
    url="https://t.me/anninh_bot?start=ND-TN-01",
    header="AN NINH KHU DÂN CƯ",
    area_name="Tổ dân phố 1",
    lineage="Phường Thống Nhất, Thành phố Nam Định",
    scan_hint="Quét mã để kết nối với Công an phường",
    features=["• Gửi tin báo về an ninh trật tự, có thể ẩn danh"],
    emergency="Khẩn cấp: 113 Công an · 114 Cứu hỏa · 115 Cấp cứu",
    footer="Mã khu vực: ND-TN-01",
)


def test_png_poster_is_a4_with_a_decodable_qr() -> None:
    image = Image.open(io.BytesIO(png_bytes(POSTER)))
    assert image.format == "PNG" and image.size == (1240, 1754)
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [POSTER.url]


def test_pdf_has_one_page_per_poster_each_with_its_qr() -> None:
    other = replace(POSTER, url="https://t.me/anninh_bot?start=ND-TN-02")
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes([POSTER, other])))
    assert len(reader.pages) == 2
    urls = [
        [r.text for r in zxingcpp.read_barcodes(page.images[0].image)] for page in reader.pages
    ]
    assert urls == [[POSTER.url], [other.url]]
