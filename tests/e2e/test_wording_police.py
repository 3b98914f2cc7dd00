"""What officers, moderators and reporters read on the police side (issue 18)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.i18n import t
from tests.e2e.harness import BotHarness
from tests.e2e.test_police_inbox import (
    BINH,
    HUNG,
    KHOA,
    LAN,
    MOD,
    data_of,
    latest,
    next_in,
    open_card,
    seed_tip,
)
from tests.e2e.test_police_inbox import _world as police_world


@pytest.fixture
async def world(harness: BotHarness) -> BotHarness:
    await police_world(harness)
    return harness


async def test_a_status_notice_without_a_note_has_no_empty_note_line(world: BotHarness) -> None:
    h = world
    tip = await seed_tip(h, LAN, "Có người lạ đi xe máy rình nhà số 12, ngõ 5.")
    card = await open_card(h, HUNG, tip.id)
    mark = await latest(h, LAN["id"])
    await h.press(HUNG, card, f"tip:verify:{tip.id}:{tip.version}", expect=1)
    [told] = await next_in(h, LAN["id"], mark)
    assert told["text"] == f"🔔 Tin báo {tip.code} của bạn: 🔎 Đang xác minh"


async def test_the_toast_says_what_the_press_did(world: BotHarness) -> None:
    h = world
    tip = await seed_tip(h, LAN, "Đêm nào cũng có nhóm nẹt pô ở ngõ 5.", category="order")
    card = await open_card(h, HUNG, tip.id)
    answer, _ = await h.press(HUNG, card, data_of(card, "tip:review:"), expect=1)
    assert answer is not None
    assert answer["text"] == t("tipact-done-review", "vi", code=tip.code)
    assert "Đã cập nhật" not in answer["text"]


async def test_the_group_card_and_the_inbox_card_name_actions_alike(world: BotHarness) -> None:
    h = world
    tip = await seed_tip(h, LAN, "Có người lạ đi xe máy rình nhà số 12, ngõ 5.")
    card = await open_card(h, HUNG, tip.id)
    labels = {data.split(":")[1]: label for label, data in _buttons(card)}
    assert labels["verify"] == "🔎 Xác minh" and labels["reject"] == "✖️ Không xác thực"


def _buttons(message: dict) -> list[tuple[str, str]]:
    from tests.e2e.harness import buttons

    return [(label, data) for label, data in buttons(message) if data.startswith("tip:")]


async def test_the_moderators_reply_and_the_log_are_in_words(world: BotHarness) -> None:
    h = world
    first = await seed_tip(h, LAN, "Đêm qua có nhóm thanh niên đua xe ở ngõ 12.", category="order")
    card = await open_card(h, HUNG, first.id)
    await h.press(HUNG, card, data_of(card, "tip:review:"), expect=1)
    replies = await h.say(MOD, "/duyet", expect=2)
    assert "• Tổ dân phố 1, Phường Thống Nhất: 1" in replies[0]["text"]
    review_card = replies[-1]
    assert "Địa bàn: Tổ dân phố 1, Phường Thống Nhất\n" in review_card["text"]
    assert "Lý do: cán bộ đề nghị kiểm duyệt\n" in review_card["text"]
    approve = data_of(review_card, "rv:").rsplit(":", 1)[0] + ":approve"
    _, messages = await h.press(MOD, review_card, approve, expect=1)
    assert messages[0]["text"] == f"Việc #{approve.split(':')[1]}: đã xác nhận tin báo hợp lệ."
    [log] = await h.say(HUNG, "/nhatky")
    for raw in ("review-approve", "report-review", "scam-confirm", "report-relay_question"):
        assert raw not in log["text"]
    assert "duyệt: tin báo hợp lệ" in log["text"] and "(việc duyệt #" in log["text"]
    [listing] = await h.say(HUNG, "/hopthu")
    assert "   Tổ dân phố 1, Phường Thống Nhất · " in listing["text"]


async def test_help_is_per_role(world: BotHarness) -> None:
    h = world
    [resident] = await h.say(BINH, "/help")
    assert "/baotin" in resident["text"]
    for police_only in ("/hopthu", "/phatcanhbao", "/duyet", "/nhatky", "/thongke"):
        assert police_only not in resident["text"]
    [police] = await h.say(HUNG, "/help")
    assert "/hopthu" in police["text"] and "/duyet" in police["text"]
    await h.say(BINH, "/language en")
    [english] = await h.say(BINH, "/help")
    assert "/tip (/baotin)" in english["text"] and "/mytips (/tincuatoi)" in english["text"]


async def test_a_schedule_not_sent_yet_is_shown_waiting_with_its_first_send(
    world: BotHarness,
) -> None:
    from services.advisory_types import AdvisoryDraft
    from services.schedule_text import Schedule
    from storage.models import Recurrence

    h = world
    officer = await h.services.users.profile_of(
        (await h.services.users.identify(_incoming(HUNG))).user.id
    )
    assert officer is not None
    ward = await h.services.areas.get("ND-TN")
    draft = AdvisoryDraft(
        text="Cảnh giác lừa đảo", schedule=Schedule(Recurrence.DAILY, time_of_day="07:30")
    )
    created = await h.services.advisories.create(officer, replace(draft, area_id=ward.id))
    [listed] = await h.say(HUNG, "/lichphat")
    assert "🕗 Chờ gửi · lần gửi đầu: 07:30 " in listed["text"]
    assert "Đang chạy" not in listed["text"]
    [ask] = await h.say(HUNG, f"/thuhoi {created.id}")
    assert "chưa nhóm nào nhận được" in ask["text"]
    assert [label for label, _ in _all_buttons(ask)] == ["↩️ Thu hồi", "❌ Hủy"]
    await h.press(HUNG, ask, f"sched:retractno:{created.id}")


def _incoming(who: dict):  # type: ignore[no-untyped-def]
    from services.users import IncomingUser

    return IncomingUser(who["id"], who["first_name"])


def _all_buttons(message: dict) -> list[tuple[str, str]]:
    from tests.e2e.harness import buttons

    return buttons(message)


async def test_the_fraud_details_start_their_own_paragraph_on_the_police_card(
    world: BotHarness,
) -> None:
    h = world
    tip = await seed_tip(
        h,
        LAN,
        "Có người gọi tự xưng nhân viên ngân hàng, gửi tin nhắn có link, tôi chưa đọc.",
        category="online_fraud",
        fraud="Số 0912 345 678, tài khoản 123456789 Vietcombank",
    )
    card = await open_card(h, HUNG, tip.id)
    assert "tôi chưa đọc.\n\nThông tin kẻ lừa đảo: Số 0912 345 678" in card["text"]
    await h.say(HUNG, "/language en")
    card = await open_card(h, HUNG, tip.id)
    assert "tôi chưa đọc.\n\nScammer details: Số 0912 345 678" in card["text"]


async def test_the_log_names_a_to_dan_pho_with_its_ward(world: BotHarness) -> None:
    h = world
    tip = await seed_tip(h, LAN, "Có người lạ đi xe máy rình nhà số 12, ngõ 5.")
    card = await open_card(h, HUNG, tip.id)
    await h.press(HUNG, card, f"tip:verify:{tip.id}:{tip.version}", expect=1)
    [log] = await h.say(HUNG, "/nhatky")
    [line] = [x for x in log["text"].splitlines() if "đổi trạng thái tin báo" in x]
    assert line.startswith("đổi trạng thái tin báo · Tổ dân phố 1, Phường Thống Nhất (tin báo #")


async def test_an_english_question_names_the_ward_the_english_way(world: BotHarness) -> None:
    h = world
    await h.say(LAN, "/language en")
    tip = await seed_tip(h, LAN, "Có hai thanh niên lạ mặt đi xe máy ở ngõ 5.")
    card = await open_card(h, HUNG, tip.id)
    _, [_prompt] = await h.press(HUNG, card, data_of(card, "tip:reply:"), expect=1)
    mark = await latest(h, LAN["id"])
    await h.say(HUNG, "Anh chị thấy họ đi xe biển số gì?")
    [question] = await next_in(h, LAN["id"], mark)
    expected = f"❓ The police of Thống Nhất Ward ask about tip {tip.code}"
    assert question["text"].startswith(expected)
    assert "phường" not in question["text"].split(":")[0]


async def test_the_console_command_is_in_help_for_police_only(world: BotHarness) -> None:
    h = world
    [resident] = await h.say(BINH, "/help")
    assert "/web" not in resident["text"]
    [police] = await h.say(HUNG, "/help")
    assert "/web — mở trang quản lý" in police["text"]


async def test_group_link_replies_name_a_to_dan_pho_with_its_ward(world: BotHarness) -> None:
    h = world
    group = -100777
    await h.client.members(group, joined=[HUNG, KHOA, LAN], title="An ninh TDP 1")
    await h.client.set_admins(group, [], bot_is_admin=True)
    [linked] = await h.say(HUNG, "/lienket ND-TN-01", chat_id=group)
    assert linked["text"] == (
        "Đã liên kết nhóm này với Tổ dân phố 1, Phường Thống Nhất (ND-TN-01) — nhóm người dân."
    )
    [denied] = await h.say(KHOA, "/lienket ND-TN-01", chat_id=group)
    assert "Tổ dân phố 1, Phường Thống Nhất" in denied["text"]
    [not_moderator] = await h.say(LAN, "/canhcao @binh_nd", chat_id=group)
    assert "của Tổ dân phố 1, Phường Thống Nhất." in not_moderator["text"]
    [gone] = await h.say(HUNG, "/huylienket", chat_id=group)
    assert gone["text"] == "Đã hủy liên kết nhóm này với Tổ dân phố 1, Phường Thống Nhất."


async def test_a_refusal_is_in_the_senders_language_in_a_group_too(world: BotHarness) -> None:
    """The error handler's context is a fresh one: it used to answer in the default language."""
    h = world
    group = -100778
    await h.client.members(group, joined=[HUNG], title="An ninh TDP 1")
    await h.say(HUNG, "/language en")
    [usage] = await h.say(HUNG, "/grant", chat_id=group)
    assert usage["text"].startswith("Usage: /grant @username")
    [private] = await h.say(HUNG, "/lienket")
    assert private["text"] == t("error-group-only", "en")


async def test_the_log_names_a_group_by_its_title(world: BotHarness) -> None:
    h = world
    group = -100779
    await h.client.members(group, joined=[HUNG], title="An ninh TDP 1")
    await h.client.set_admins(group, [], bot_is_admin=True)
    await h.say(HUNG, "/lienket ND-TN-01", chat_id=group)
    [log] = await h.say(HUNG, "/nhatky")
    assert "liên kết nhóm · Tổ dân phố 1, Phường Thống Nhất (nhóm «An ninh TDP 1»)" in log["text"]
    assert str(group) not in log["text"]


async def test_group_usages_name_the_words_of_the_readers_language(world: BotHarness) -> None:
    """The Vietnamese grant usage says congan|kiemduyet, the English link usage
    police|residents; both are accepted."""
    h = world
    group = -100780
    await h.client.members(group, joined=[HUNG, BINH], title="An ninh TDP 1")
    await h.client.set_admins(group, [], bot_is_admin=True)
    [usage] = await h.say(HUNG, "/capquyen", chat_id=group)
    assert "congan|kiemduyet" in usage["text"] and "moderator" not in usage["text"]
    [granted] = await h.say(HUNG, "/capquyen @binh_nd kiemduyet ND-TN-01", chat_id=group)
    assert granted["text"].startswith("Đã cấp quyền người kiểm duyệt (ND-TN-01)")
    await h.say(HUNG, "/language en")
    [usage] = await h.say(HUNG, "/link", chat_id=group)
    assert "[police|residents]" in usage["text"] and "canhsat" not in usage["text"]
    [linked] = await h.say(HUNG, "/link ND-TN-01 residents", chat_id=group)
    assert linked["text"].startswith("This group is now linked to Tổ dân phố 1, Phường Thống Nhất")
