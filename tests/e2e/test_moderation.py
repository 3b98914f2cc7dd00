"""Groups, role grants in chat, group moderation, the review queue and the audit log, end to end
through the local Bot API server."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import t
from services.moderation_model import Member
from storage.models import ReviewKind
from tests.e2e.harness import BotHarness, buttons, user

AREAS = (
    "code,name,kind,parent_code\nND,Tỉnh Nam Định,province,\n"
    "ND-TP,Thành phố Nam Định,district,ND\nND-TN,Phường Thống Nhất,ward,ND-TP\n"
    "ND-VX,Phường Vị Xuyên,ward,ND-TP\n"
)
ADMIN = user(9001, "Quản trị", "quantri")
POLICE = user(2001, "Hùng", "hung")
MOD = user(3001, "Mai", "mai")
SPAMMER = user(4001, "Tèo", "teo")
RESIDENTS = [user(5001, "Lan"), user(5002, "Cúc"), user(5003, "Đào")]
ROOT = Path(__file__).resolve().parents[2]
GROUP = -100200
OTHER_GROUP = -100300


async def _seed(harness: BotHarness) -> None:
    await harness.services.areas.import_csv(AREAS)
    grants = harness.services.grants
    await grants.grant(target_telegram_id=ADMIN["id"], role="admin", area_code="ND")
    await grants.grant(target_telegram_id=POLICE["id"], role="police", area_code="ND-TN")


async def _group(harness: BotHarness, chat_id: int = GROUP, *, admin: bool = True) -> None:
    await harness.client.members(
        chat_id, joined=[POLICE, MOD, SPAMMER, *RESIDENTS], title="An ninh TDP 1"
    )
    await harness.client.set_admins(chat_id, [], bot_is_admin=admin)


async def _linked(harness: BotHarness, chat_id: int = GROUP, code: str = "ND-TN") -> None:
    await _seed(harness)
    await _group(harness, chat_id)
    await harness.say(ADMIN, f"/lienket {code}", chat_id=chat_id)
    await harness.services.grants.grant(
        target_telegram_id=MOD["id"], role="moderator", area_code=code
    )


async def _status(harness: BotHarness, chat_id: int, user_id: int) -> dict[str, Any]:
    chat = await harness.client.chat(chat_id)
    return next(m for m in chat["members"] if m["user"]["id"] == user_id)


async def _wait_status(harness: BotHarness, chat_id: int, user_id: int, status: str) -> None:
    for _ in range(200):
        if (await _status(harness, chat_id, user_id))["status"] == status:
            return
        await harness.client.history(chat_id, wait=0.05, after=10**9)
    raise AssertionError(f"{user_id} never became {status} in {chat_id}")


async def _wait_job(harness: BotHarness, name: str) -> Any:
    """The verification timer is armed right after the prompt is sent: wait for it."""
    assert harness.app is not None and harness.app.job_queue is not None
    for _ in range(200):
        jobs = harness.app.job_queue.get_jobs_by_name(name)
        if jobs:
            return jobs[0]
        await harness.client.history(GROUP, wait=0.02, after=10**9)
    raise AssertionError(f"no job {name}")


async def _audit_actions(harness: BotHarness) -> list[str]:
    text = await harness.services.audit.export(fmt="json")
    return [row["action"] for row in json.loads(text)]


async def test_admin_links_a_group_and_an_unentitled_user_cannot(harness: BotHarness) -> None:
    await _seed(harness)
    await _group(harness, admin=False)
    [denied] = await harness.say(RESIDENTS[0], "/lienket ND-TN", chat_id=GROUP)
    assert denied["text"] == t("group-link-denied", "vi", area="Phường Thống Nhất")
    ctx = await harness.services.groups.context(GROUP)
    assert ctx is None or ctx.area is None

    linked, warning = await harness.say(ADMIN, "/lienket ND-TN canhsat", chat_id=GROUP, expect=2)
    assert "Phường Thống Nhất" in linked["text"] and "công an" in linked["text"]
    assert warning["text"].startswith("⚠️ Bot chưa là quản trị viên")
    ctx = await harness.services.groups.context(GROUP)
    assert ctx is not None and ctx.area is not None and ctx.area.code == "ND-TN"
    assert ctx.chat.purpose.value == "police" and not ctx.chat.bot_is_admin

    # Promoting the bot arrives as my_chat_member and is remembered.
    await harness.client.set_admins(GROUP, [], bot_is_admin=True)
    for _ in range(100):
        ctx = await harness.services.groups.context(GROUP)
        if ctx is not None and ctx.chat.bot_is_admin:
            break
        await harness.client.history(GROUP, wait=0.05, after=10**9)
    assert ctx is not None and ctx.chat.bot_is_admin and ctx.chat.active

    [usage] = await harness.say(ADMIN, "/link", chat_id=GROUP)
    assert usage["text"] == html.unescape(t("group-link-usage", "vi"))
    [bad] = await harness.say(ADMIN, "/lienket KHONG-CO", chat_id=GROUP)
    assert bad["text"] == t("area-not-found", "vi", code="KHONG-CO")
    [gone] = await harness.say(ADMIN, "/huylienket", chat_id=GROUP)
    assert "Phường Thống Nhất" in gone["text"]
    assert (await harness.services.groups.context(GROUP)).area is None  # type: ignore[union-attr]
    assert {"chat.link", "chat.unlink", "chat.bot_status"} <= set(await _audit_actions(harness))

    # The bot removed from the group: the chat is no longer active.
    await harness.client.members(
        GROUP, left=[{"id": harness.bot_id, "first_name": "bot", "is_bot": True}], actor=ADMIN
    )
    for _ in range(100):
        ctx = await harness.services.groups.context(GROUP)
        if ctx is not None and not ctx.chat.active:
            break
        await harness.client.history(GROUP, wait=0.05, after=10**9)
    assert ctx is not None and not ctx.chat.active


async def test_police_grants_a_moderator_in_their_ward_but_not_elsewhere(
    harness: BotHarness,
) -> None:
    await _seed(harness)
    await _group(harness)
    said = await harness.client.send_message(GROUP, MOD, "Chào cả nhà", chat_type="supergroup")
    [granted] = await harness.say(
        POLICE,
        "/capquyen moderator ND-TN",
        chat_id=GROUP,
        reply_to_message_id=said["message_id"],
    )
    assert "Mai" in granted["text"] and "người kiểm duyệt" in granted["text"]
    [denied] = await harness.say(POLICE, "/capquyen @mai moderator ND-VX", chat_id=GROUP)
    assert denied["text"] == t("error-permission-denied", "vi")
    [denied] = await harness.say(POLICE, "/grant @mai police ND-TN", chat_id=GROUP)
    assert denied["text"] == t("error-permission-denied", "vi")
    grants = [
        (g.role.value, g.area.code)
        for g, u in await harness.services.grants.all()
        if u.telegram_id == MOD["id"]
    ]
    assert grants == [("moderator", "ND-TN")]
    [revoked] = await harness.say(POLICE, "/thuquyen @mai moderator ND-TN", chat_id=GROUP)
    assert revoked["text"] == t("group-revoked", "vi")
    [usage] = await harness.say(POLICE, "/capquyen", chat_id=GROUP)
    assert "/capquyen" in usage["text"]


async def test_three_reports_hide_a_message_and_a_moderator_bans_from_the_queue(
    harness: BotHarness,
) -> None:
    await _linked(harness)
    spam = await harness.client.send_message(
        GROUP, SPAMMER, "Vay tiền nhanh 0912 345 678, không cần thế chấp!", chat_type="supergroup"
    )
    [how] = await harness.say(RESIDENTS[0], "/baocao", chat_id=GROUP)
    assert how["text"] == t("mod-report-how", "vi")
    replies = []
    for resident in RESIDENTS:
        [answer] = await harness.say(
            resident, "/baocao", chat_id=GROUP, reply_to_message_id=spam["message_id"]
        )
        replies.append(answer["text"])
    assert replies[0] == t("mod-report-thanks", "vi", count=1, threshold=3)
    assert replies[2] == t("mod-report-hidden", "vi", count=3)
    history = await harness.client.history(GROUP)
    assert next(m for m in history if m["message_id"] == spam["message_id"]).get("deleted")

    # The moderator works the queue in a private chat.
    overview, card = await harness.say(MOD, "/duyet", expect=2)
    assert "Phường Thống Nhất: 1" in overview["text"]
    assert "Vay tiền nhanh" in card["text"] and "Tèo" in card["text"]
    assert "Lan" not in card["text"]  # who reported stays private
    datas = [d for _, d in buttons(card)]
    ban = next(d for d in datas if d.endswith(":ban"))
    answer, [acted, empty] = await harness.press(MOD, card, ban, expect=2)
    assert answer is not None and answer["text"] == t("review-done", "vi")
    assert "đã chặn" in acted["text"]
    assert empty["text"] == t("review-empty", "vi")
    await _wait_status(harness, GROUP, SPAMMER["id"], "kicked")

    # Replaying the same press is refused and logged.
    pressed = await harness.client.press_button(
        MOD["id"], MOD, card["message_id"], ban, forged=True
    )
    answer = await harness.client.callback_answer(pressed["callback_query_id"], wait=10)
    assert answer is not None and answer["text"] == t("review-item-closed", "vi")
    actions = await _audit_actions(harness)
    assert {"mod.hide", "review.ban", "mod.ban", "review.denied"} <= set(actions)


async def test_a_forged_callback_for_another_areas_item_is_refused_and_logged(
    harness: BotHarness,
) -> None:
    await _linked(harness)
    other = await harness.services.areas.get("ND-VX")
    foreign = await harness.services.review.enqueue(
        kind=ReviewKind.GROUP_MESSAGE,
        area_id=other.id,
        reason="reported",
        chat_id=OTHER_GROUP,
        message_id=1,
        text="tin ở phường khác",
        details={"subject_telegram_id": SPAMMER["id"]},
    )
    await harness.services.review.enqueue(
        kind=ReviewKind.GROUP_MESSAGE,
        area_id=(await harness.services.areas.get("ND-TN")).id,
        reason="flood",
        chat_id=GROUP,
        message_id=2,
        text="tin của mình",
        details={"subject_telegram_id": SPAMMER["id"]},
    )
    overview, card = await harness.say(MOD, "/duyet", expect=2)
    assert "Vị Xuyên" not in overview["text"] and "tin ở phường khác" not in card["text"]
    pressed = await harness.client.press_button(
        MOD["id"], MOD, card["message_id"], f"rv:{foreign.id}:ban", forged=True
    )
    answer = await harness.client.callback_answer(pressed["callback_query_id"], wait=10)
    assert answer is not None and answer.get("show_alert")
    assert answer["text"] == t("review-denied", "vi")[:190]
    log = json.loads(await harness.services.audit.export(fmt="json"))
    denied = [r for r in log if r["action"] == "review.denied"]
    assert denied and denied[-1]["target_id"] == str(foreign.id)
    assert denied[-1]["area"] == "ND-VX" and denied[-1]["actor"] == "Mai"
    # The item is untouched and the spammer was not banned anywhere.
    assert (await harness.services.review.next_card(await _profile(harness, ADMIN))) is not None
    pressed = await harness.client.press_button(
        MOD["id"], MOD, card["message_id"], "rv:999999:ban", forged=True
    )
    answer = await harness.client.callback_answer(pressed["callback_query_id"], wait=10)
    assert answer is not None and answer["text"] == t("review-item-missing", "vi")


async def _profile(harness: BotHarness, who: dict[str, Any]):  # type: ignore[no-untyped-def]
    from services.users import IncomingUser

    return await harness.services.users.identify(IncomingUser(who["id"], who["first_name"]))


async def test_three_warnings_mute_the_member(harness: BotHarness) -> None:
    await _linked(harness)
    said = await harness.client.send_message(GROUP, SPAMMER, "link bẩn", chat_type="supergroup")
    texts = []
    for n in range(3):
        expect = 2 if n == 2 else 1
        got = await harness.say(
            MOD,
            f"/canhcao lần {n + 1}",
            chat_id=GROUP,
            expect=expect,
            reply_to_message_id=said["message_id"],
        )
        texts.append([m["text"] for m in got])
    assert texts[0][0].startswith("⚠️ Tèo bị cảnh cáo (1/3)")
    assert texts[2][1].startswith("🔇 Tèo đã đủ số lần cảnh cáo")
    await _wait_status(harness, GROUP, SPAMMER["id"], "restricted")
    # Residents cannot warn; nobody warns a moderator.
    [denied] = await harness.say(
        RESIDENTS[0], "/warn", chat_id=GROUP, reply_to_message_id=said["message_id"]
    )
    assert denied["text"] == t("mod-not-allowed", "vi", area="Phường Thống Nhất")
    hello = await harness.client.send_message(GROUP, MOD, "xin chào", chat_type="supergroup")
    [protected] = await harness.say(
        POLICE, "/canhcao", chat_id=GROUP, reply_to_message_id=hello["message_id"]
    )
    assert protected["text"] == t("mod-target-protected", "vi")
    [unmuted] = await harness.say(
        MOD, "/mochat", chat_id=GROUP, reply_to_message_id=said["message_id"]
    )
    assert unmuted["text"] == t("mod-unmuted", "vi", name="Tèo")
    await _wait_status(harness, GROUP, SPAMMER["id"], "member")
    [no_reply] = await harness.say(MOD, "/camchat", chat_id=GROUP)
    assert no_reply["text"] == t("mod-reply-needed", "vi")
    [bad] = await harness.say(
        MOD, "/camchat mãi", chat_id=GROUP, reply_to_message_id=said["message_id"]
    )
    assert "mãi" in bad["text"]
    assert {"mod.warn", "mod.mute", "mod.unmute"} <= set(await _audit_actions(harness))


async def test_a_member_named_by_username_is_warned_banned_and_let_back(
    harness: BotHarness,
) -> None:
    """A banned member has no new message to reply to: "/gochan @name" is how they come back.
    Only people the bot has seen write can be named, and a name is never a pattern."""
    await _linked(harness)
    await harness.client.send_message(GROUP, SPAMMER, "bán sim rác", chat_type="supergroup")
    [warned] = await harness.say(MOD, "/canhcao @teo quảng cáo", chat_id=GROUP)
    assert warned["text"].startswith("⚠️ Tèo bị cảnh cáo (1/3)")
    assert "quảng cáo" in warned["text"] and "@teo" not in warned["text"]
    [banned] = await harness.say(MOD, "/chan @TEO", chat_id=GROUP)
    assert banned["text"] == t("mod-banned", "vi", name="Tèo")
    await _wait_status(harness, GROUP, SPAMMER["id"], "kicked")
    [back] = await harness.say(MOD, "/gochan @teo", chat_id=GROUP)
    assert back["text"] == t("mod-unbanned", "vi", name="Tèo")
    await _wait_status(harness, GROUP, SPAMMER["id"], "left")
    for name in ("ai_do", "%", "te%"):
        [unknown] = await harness.say(MOD, f"/chan @{name}", chat_id=GROUP)
        assert unknown["text"] == t("mod-user-unknown", "vi", username=name)
    # Naming someone does not get around the rights: a resident, or a moderator as target.
    [denied] = await harness.say(RESIDENTS[0], "/chan @teo", chat_id=GROUP)
    assert denied["text"] == t("mod-not-allowed", "vi", area="Phường Thống Nhất")
    [protected] = await harness.say(POLICE, "/camchat @mai 2g", chat_id=GROUP)
    assert protected["text"] == t("mod-target-protected", "vi")
    assert (await _status(harness, GROUP, MOD["id"]))["status"] == "member"
    actions = await _audit_actions(harness)
    assert {"mod.warn", "mod.ban", "mod.unban"} <= set(actions)


async def test_join_verification_frees_who_presses_and_removes_who_does_not(
    harness: BotHarness,
) -> None:
    await _linked(harness)
    [usage] = await harness.say(MOD, "/xacminh", chat_id=GROUP)
    assert usage["text"] == t("group-verify-usage", "vi")
    [on] = await harness.say(MOD, "/xacminh on", chat_id=GROUP)
    assert on["text"] == t("group-verify-on", "vi", minutes=5)
    human, silent = user(6001, "Bình"), user(6002, "Im Lặng")
    before = await harness.client.history(GROUP)
    await harness.client.members(GROUP, joined=[human])
    [prompt] = await harness.client.wait_for_bot_messages(
        GROUP, after_message_id=max(m["message_id"] for m in before)
    )
    assert "Bình" in prompt["text"]
    [(label, data)] = buttons(prompt)
    assert label == t("mod-verify-button", "vi")
    await _wait_status(harness, GROUP, human["id"], "restricted")
    assert harness.app is not None and harness.app.job_queue is not None
    await _wait_job(harness, f"verify:{GROUP}:{human['id']}")

    answer, _ = await harness.press(RESIDENTS[0], prompt, data)
    assert answer is not None and answer["text"] == t("mod-verify-not-you", "vi")
    await _wait_status(harness, GROUP, human["id"], "restricted")
    answer, _ = await harness.press(human, prompt, data)
    assert answer is not None and answer["text"] == t("mod-verify-done", "vi")
    await _wait_status(harness, GROUP, human["id"], "member")
    history = await harness.client.history(GROUP)
    assert next(m for m in history if m["message_id"] == prompt["message_id"]).get("deleted")

    # The silent one: the timer survives a restart and removes them when it fires.
    await harness.client.members(GROUP, joined=[silent])
    await _wait_status(harness, GROUP, silent["id"], "restricted")
    await harness.restart()
    assert harness.app is not None and harness.app.job_queue is not None
    [job] = harness.app.job_queue.get_jobs_by_name(f"verify:{GROUP}:{silent['id']}")
    await job.run(harness.app)
    await _wait_status(harness, GROUP, silent["id"], "left")
    assert await harness.services.verification.pending() == []
    assert "mod.verify_kick" in await _audit_actions(harness)


async def test_verification_times_out_by_itself_with_a_short_limit(harness: BotHarness) -> None:
    await _linked(harness)
    await harness.say(MOD, "/caidat verify_seconds 1", chat_id=GROUP)
    await harness.say(MOD, "/xacminh on", chat_id=GROUP)
    late = user(6003, "Chậm")
    await harness.client.members(GROUP, joined=[late])
    await _wait_status(harness, GROUP, late["id"], "left")


async def test_suspicious_newcomers_are_queued_for_review(harness: BotHarness) -> None:
    await _linked(harness)
    await harness.client.members(GROUP, joined=[user(6100, "Hỗ trợ vay 0912345678")])
    bot_account = {"id": 6101, "first_name": "Spam Bot", "is_bot": True}
    await harness.client.members(GROUP, joined=[bot_account])
    reasons: set[str] = set()
    for _ in range(100):
        card = await harness.services.review.next_card(await _profile(harness, MOD))
        reasons = set()
        after = 0
        while card is not None and card.item.id > after:
            reasons.add(card.item.reason)
            after = card.item.id
            card = await harness.services.review.next_card(await _profile(harness, MOD), after)
        if reasons >= {"suspicious_name", "bot_account"}:
            break
        await harness.client.history(GROUP, wait=0.05, after=10**9)
    assert reasons >= {"suspicious_name", "bot_account"}


async def test_flooding_mutes_and_queues_the_member(harness: BotHarness) -> None:
    await _linked(harness)
    await harness.say(MOD, "/caidat flood_messages 5", chat_id=GROUP)
    last = None
    for n in range(5):
        last = await harness.client.send_message(
            GROUP, SPAMMER, f"mua ngay {n}", chat_type="supergroup"
        )
    assert last is not None
    [muted] = await harness.client.wait_for_bot_messages(
        GROUP, after_message_id=last["message_id"]
    )
    assert muted["text"].startswith("🔇 Tèo gửi tin quá dồn dập")
    await _wait_status(harness, GROUP, SPAMMER["id"], "restricted")
    card = await harness.services.review.next_card(await _profile(harness, MOD))
    assert card is not None and card.item.reason == "flood" and "mua ngay 4" in card.item.text
    # A moderator writing fast is not a flood.
    for n in range(6):
        await harness.client.send_message(GROUP, MOD, f"thông báo {n}", chat_type="supergroup")
    [settings] = await harness.say(MOD, "/caidat", chat_id=GROUP)
    assert "flood_messages" in settings["text"]
    assert (await _status(harness, GROUP, MOD["id"]))["status"] == "member"


async def test_audit_log_shows_entries_of_the_callers_areas(harness: BotHarness) -> None:
    await _linked(harness)
    said = await harness.client.send_message(GROUP, SPAMMER, "quảng cáo", chat_type="supergroup")
    await harness.say(MOD, "/canhcao spam", chat_id=GROUP, reply_to_message_id=said["message_id"])
    [page] = await harness.say(MOD, "/nhatky")
    assert "Mai" in page["text"] and "cảnh cáo" in page["text"]
    assert "Phường Thống Nhất" in page["text"]
    [denied] = await harness.say(RESIDENTS[0], "/nhatky")
    assert denied["text"] == t("audit-not-allowed", "vi")
    # Paging: enough entries for a second page.
    for n in range(12):
        await harness.services.moderation.warnings.warn(
            await _profile(harness, MOD), GROUP, Member(SPAMMER["id"], "Tèo"), f"{n}"
        )
    [page] = await harness.say(MOD, "/audit")
    older = next(d for label, d in buttons(page) if d == "au:1")
    answer, _ = await harness.press(MOD, page, older)
    assert answer is not None
    history = await harness.client.history(MOD["id"])
    edited = next(m for m in history if m["message_id"] == page["message_id"])
    assert "(trang 2)" in edited["text"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
async def test_cli_links_lists_and_exports_the_audit(
    harness: BotHarness, database_url: str, fmt: str, tmp_path: Any
) -> None:
    import os
    import subprocess
    import sys

    await _linked(harness)
    root = ROOT
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    env.update({"DATABASE_URL": database_url, "PYTHONPATH": str(root)})

    def anninh(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=root,
            timeout=60,
        )

    linked = anninh(
        "admin", "link", "--chat", str(OTHER_GROUP), "--area", "ND-VX", "--purpose", "police"
    )
    assert linked.returncode == 0, linked.stderr
    chats = anninh("admin", "chats").stdout
    assert str(GROUP) in chats and "ND-TN" in chats and "ND-VX" in chats and "police" in chats
    exported = anninh("admin", "audit", "--since", "2026-01-01", "--format", fmt)
    assert exported.returncode == 0, exported.stderr
    if fmt == "json":
        rows = json.loads(exported.stdout)
        assert any(r["action"] == "chat.link" and r["area"] == "ND-VX" for r in rows)
        assert all(r["time"].endswith("+07:00") for r in rows)
    else:
        assert exported.stdout.startswith("id,time,action,actor,area")
        assert "chat.link" in exported.stdout
    only = anninh("admin", "audit", "--since", "2026-01-01", "--area", "ND-VX", "--format", fmt)
    assert "ND-TN" not in only.stdout and "ND-VX" in only.stdout
    future = anninh("admin", "audit", "--since", "2999-01-01", "--format", fmt)
    assert "chat.link" not in future.stdout
    bad = anninh("admin", "audit", "--since", "hôm qua")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
