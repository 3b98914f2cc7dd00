"""Ward police advisories end to end: the compose flow, schedules across restarts, fan-out
under Telegram's limits, blocked groups, retraction, and one scheduler per database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.app import build_application, start_in_loop, stop_in_loop
from bot.i18n import t
from services.advisory_steps import ComposeStep
from services.advisory_types import AdvisoryDraft
from services.schedule_text import Schedule
from services.users import IncomingUser
from storage.models import (
    Advisory,
    AdvisoryRun,
    AuditLog,
    Chat,
    ComposeDraft,
    Recurrence,
    RunStatus,
)
from storage.uow import transaction
from tests.e2e.harness import BotHarness, buttons
from tests.e2e.test_advisories_support import (
    BOT_USER,
    OFFICER,
    all_have,
    copies,
    ledger,
    officer,
    seed_groups,
    seed_tree,
    set_next_run,
    wait_until,
)

TEXT = "Cảnh báo: giả danh công an gọi điện yêu cầu chuyển tiền <ngay>"


def scheduler(h: BotHarness):  # type: ignore[no-untyped-def]
    assert h.app is not None
    return h.app.bot_data["advisory_scheduler"]


async def lease_held(h: BotHarness) -> None:
    async def held() -> bool:
        return bool(scheduler(h).lease.held)

    await wait_until(held, within=10)


async def summary(h: BotHarness, after: int = 0, within: float = 60) -> str:
    """The author's run report (the first one after message ``after``)."""
    texts: list[str] = []

    async def has() -> bool:
        nonlocal texts
        msgs = await h.client.history(OFFICER["id"], after=after, from_bot=True)
        texts = [m.get("text", "") for m in msgs if m.get("text", "").startswith("📢 Cảnh báo số")]
        return bool(texts)

    await wait_until(has, within=within)
    return texts[0]


async def _message(h: BotHarness, message: dict) -> dict:
    history = await h.client.history(message["chat"]["id"])
    return next(m for m in history if m["message_id"] == message["message_id"])


async def last_id(h: BotHarness, chat_id: int) -> int:
    return max((m["message_id"] for m in await h.client.history(chat_id)), default=0)


async def test_officer_composes_a_pinned_broadcast_to_the_whole_ward(harness: BotHarness) -> None:
    h = harness
    await seed_tree(h, groups_per_ward=3)
    await officer(h, "ND-W1")
    groups = await seed_groups(h, ["ND-W1-01", "ND-W1-02", "ND-W1-03"])
    outside = await seed_groups(h, ["ND-W2-01"], base=-1002000)
    await lease_held(h)

    [ask] = await h.say(OFFICER, "/phatcanhbao")
    assert "Soạn cảnh báo" in ask["text"]
    [media_q] = await h.say(OFFICER, TEXT)
    assert ("Bỏ qua ➡️", "adv:skipmedia") in buttons(media_q)
    _, [target] = await h.press(OFFICER, media_q, "adv:skipmedia", expect=1)
    ward = await h.services.areas.get("ND-W1")
    labels = dict(buttons(target))
    assert labels.get("✅ Cả Phường 1") == f"advt:pick:{ward.id}"
    assert all("Phường 2" not in label for label in labels)  # not this officer's ward
    _, [options] = await h.press(OFFICER, target, f"advt:pick:{ward.id}", expect=1)
    await h.press(OFFICER, options, "adv:opt:pin")
    await h.press(OFFICER, options, "adv:opt:next")
    _, [preview, note] = await h.press(OFFICER, options, "adv:when:now", expect=2)
    # Exactly what residents will see: who warns, when, then the text.
    header, body = preview["text"].split("\n", 1)
    assert header.startswith("📢 Công an phường 1 · ") and body == TEXT
    assert "Phường 1 (3)" in note["text"] and "Ghim: có" in note["text"], note["text"]
    _, [created] = await h.press(OFFICER, note, "adv:confirm", expect=1)
    assert "Đang gửi tới 3 nhóm" in created["text"]
    report = await summary(h, after=created["message_id"])
    assert "đã gửi 3/3 nhóm" in report
    for chat_id in groups:
        [copy] = await copies(h, chat_id, "giả danh công an")
        assert copy["text"].startswith("📢 Công an phường 1 · ")
        assert copy["text"].split("\n", 1)[1] == TEXT
        assert copy.get("pinned") is True
    assert await copies(h, outside[0], "giả danh công an") == []
    assert not buttons(await _message(h, note))  # confirmed once: the buttons are gone
    async with transaction(h.services.sessions) as session:
        actions = list(await session.scalars(select(AuditLog.action)))
    assert "advisory.create" in actions


async def test_a_resident_cannot_broadcast(harness: BotHarness) -> None:
    [answer] = await harness.say({"id": 5005, "first_name": "An", "is_bot": False}, "/broadcast")
    assert answer["text"] == t("adv-police-only", "vi")


async def test_a_weekly_run_interrupted_by_a_stop_resumes_without_duplicates(
    harness: BotHarness,
) -> None:
    h = harness
    await h.stop()
    await h.start(telegram_send_rate=8)
    await seed_tree(h, wards=1, groups_per_ward=50)
    profile = await officer(h, "ND-W1")
    codes = [f"ND-W1-{g:02d}" for g in range(1, 51)]
    groups = await seed_groups(h, codes)
    await lease_held(h)
    advisory = await h.services.advisories.create(
        profile,
        AdvisoryDraft(
            text="Mùa cao điểm trộm cắp: khoá cửa, không để xe ngoài sân",
            schedule=Schedule(Recurrence.WEEKLY, time_of_day="07:30", weekdays=(0,)),
            area_id=(await h.services.areas.get("ND-W1")).id,
        ),
    )
    assert advisory.next_run_at is not None and advisory.next_run_at > datetime.now(UTC)
    await h.client.fault("sendMessage", delay_s=1.0, count=4)
    await set_next_run(h, advisory.id, datetime.now(UTC) - timedelta(seconds=5))
    await scheduler(h).tick()

    async def some_sent() -> bool:
        return sum(status == "sent" for status, _ in await ledger(h)) >= 10

    await wait_until(some_sent)
    await h.stop()  # mid-run: in-flight calls are drained, the rest stays pending
    statuses = [status for status, _ in await ledger(h)]
    assert "pending" in statuses and "sending" not in statuses
    assert len(statuses) == 50
    await h.start()
    await wait_until(lambda: all_have(h, groups, "Mùa cao điểm trộm cắp"), within=60)
    for chat_id in groups:
        assert len(await copies(h, chat_id, "Mùa cao điểm trộm cắp")) == 1
    report = await summary(h)
    assert "đã gửi 50/50 nhóm" in report
    async with transaction(h.services.sessions) as session:
        row = await session.get_one(Advisory, advisory.id)
        assert row.next_run_at is not None and row.next_run_at > datetime.now(UTC)
        assert (
            row.next_run_at.astimezone(h.services.settings.tz).strftime("%H:%M %a") == "07:30 Mon"
        )


async def test_two_hundred_groups_under_telegram_limits_and_injected_429s(
    harness: BotHarness,
) -> None:
    h = harness
    await seed_tree(h, wards=4, groups_per_ward=50)
    profile = await officer(h, "ND-TP")
    codes = [f"ND-W{w}-{g:02d}" for w in range(1, 5) for g in range(1, 51)]
    groups = await seed_groups(h, codes, admin=False)
    await lease_held(h)
    await h.client.limits(True)
    await h.client.fault("sendMessage", status=429, count=5, retry_after=1)
    await h.services.advisories.create(
        profile,
        AdvisoryDraft(
            text="Tết Nguyên đán: không sử dụng pháo nổ",
            schedule=Schedule(Recurrence.ONCE, run_at=datetime.now(UTC)),
            area_id=(await h.services.areas.get("ND-TP")).id,
            silent=True,
        ),
    )
    report = await summary(h, within=90)
    assert "đã gửi 200/200 nhóm" in report
    for chat_id in groups:
        assert len(await copies(h, chat_id, "không sử dụng pháo nổ")) == 1
    stats = await h.client.stats()
    assert stats["errors"]["sendMessage"]["429"] >= 5


async def test_a_missed_schedule_is_sent_once_within_grace_and_recorded_beyond_it(
    harness: BotHarness,
) -> None:
    h = harness
    await seed_tree(h, wards=1, groups_per_ward=2)
    profile = await officer(h, "ND-W1")
    groups = await seed_groups(h, ["ND-W1-01", "ND-W1-02"])
    ward = await h.services.areas.get("ND-W1")
    # The daily slot sits half a day from now, so no real occurrence falls within the grace
    # window: only the two moved next runs below decide what is sent (at 07:41 a 07:30 slot
    # was 11 minutes late and rightly sent once).
    slot = (datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) + timedelta(hours=12)).strftime("%H:%M")
    made = []
    for text in ("Lịch A: kiểm tra khoá cửa", "Lịch B: họp tổ dân phố"):
        made.append(
            await h.services.advisories.create(
                profile,
                AdvisoryDraft(
                    text=text,
                    schedule=Schedule(Recurrence.DAILY, time_of_day=slot),
                    area_id=ward.id,
                ),
            )
        )
    await h.stop()  # the bot is down while both fall due
    now = datetime.now(UTC)
    await set_next_run(h, made[0].id, now - timedelta(minutes=10))
    await set_next_run(h, made[1].id, now - timedelta(hours=2))
    await h.start()
    await wait_until(lambda: all_have(h, groups, "Lịch A"))

    async def missed_told() -> bool:
        msgs = await h.client.history(OFFICER["id"], from_bot=True)
        return any("đã lỡ 1 lần" in m.get("text", "") for m in msgs)

    await wait_until(missed_told)
    await h.restart()
    await lease_held(h)
    await scheduler(h).tick()
    expected = {made[0].id: RunStatus.DONE, made[1].id: RunStatus.MISSED}

    async def runs_settled() -> bool:
        # A run interrupted by the restart is finished by the new process: wait for it
        # (on a loaded machine it can still be running when the tick returns).
        async with transaction(h.services.sessions) as session:
            runs = list(await session.scalars(select(AdvisoryRun).order_by(AdvisoryRun.id)))
        return {r.advisory_id: r.status for r in runs} == expected

    await wait_until(runs_settled)
    for chat_id in groups:
        assert len(await copies(h, chat_id, "Lịch A")) == 1
        assert await copies(h, chat_id, "Lịch B") == []


async def test_a_group_that_removed_the_bot_is_marked_inactive_and_reported(
    harness: BotHarness,
) -> None:
    h = harness
    await seed_tree(h, wards=1, groups_per_ward=3)
    profile = await officer(h, "ND-W1")
    groups = await seed_groups(h, ["ND-W1-01", "ND-W1-02", "ND-W1-03"])
    await lease_held(h)
    await h.client.members(groups[1], left=[BOT_USER], actor=OFFICER)
    from storage.repositories.chats import ChatRepository

    async def seen_removed() -> bool:  # the groups feature records the removal itself
        async with transaction(h.services.sessions) as session:
            chat = await ChatRepository(session).get(groups[1])
        return chat is not None and not chat.active

    await wait_until(seen_removed, within=10)
    # As if the removal happened while the bot was offline: our row still says active.
    async with transaction(h.services.sessions) as session:
        await ChatRepository(session).update(groups[1], active=True)
    await h.services.advisories.create(
        profile,
        AdvisoryDraft(
            text="Khuyến cáo: ngày 19/8 đông người, giữ tài sản cẩn thận",
            schedule=Schedule(Recurrence.ONCE, run_at=datetime.now(UTC)),
            area_id=(await h.services.areas.get("ND-W1")).id,
        ),
    )
    report = await summary(h)
    assert "đã gửi 2/3 nhóm; 1 nhóm lỗi: An ninh ND-W1-02" in report
    assert "bị chặn ở 1 nhóm" in report
    async with transaction(h.services.sessions) as session:
        chat = await session.scalar(select(Chat).where(Chat.telegram_chat_id == groups[1]))
        assert chat is not None and chat.active is False


async def test_a_restart_while_composing_carries_on_where_the_officer_was(
    harness: BotHarness,
) -> None:
    """The draft is kept after every step: after a restart the old buttons still work, the
    schedule typed so far is still there, and nothing of it is left once sent."""
    h = harness
    await seed_tree(h, wards=1, groups_per_ward=2)
    await officer(h, "ND-W1")
    groups = await seed_groups(h, ["ND-W1-01", "ND-W1-02"])
    await h.say(OFFICER, "/phatcanhbao")
    [media_q] = await h.say(OFFICER, TEXT)
    await h.stop()
    await h.start()
    _, [target] = await h.press(OFFICER, media_q, "adv:skipmedia", expect=1)
    ward = await h.services.areas.get("ND-W1")
    _, [options] = await h.press(OFFICER, target, f"advt:pick:{ward.id}", expect=1)
    await h.press(OFFICER, options, "adv:opt:next")
    await h.press(OFFICER, options, "adv:when:at")
    prompt = t("adv-ask-datetime", "vi").split(",")[0][:12]

    async def asked() -> bool:
        texts = [m.get("text", "") for m in await h.client.history(OFFICER["id"])]
        return any(x.startswith(prompt) for x in texts)

    await wait_until(asked, within=10)
    await h.say(OFFICER, "20:00 31/12/2099")  # a schedule object in the draft
    await h.stop()
    await h.start()
    await lease_held(h)
    profile = await h.services.users.identify(IncomingUser(OFFICER["id"], "Hùng"))
    turn = await h.services.composer.current(profile)
    assert turn is not None and turn.draft.step is ComposeStep.PREVIEW
    assert turn.draft.schedule is not None and turn.draft.schedule.run_at.year == 2099
    assert "giả danh công an" in turn.draft.text
    async with transaction(h.services.sessions) as session:
        assert await session.scalar(select(func.count()).select_from(ComposeDraft)) == 1
    [cancelled] = await h.say(OFFICER, "/huy")
    assert cancelled["text"] == t("adv-cancelled", "vi")

    async def dropped() -> bool:  # stored when the handler returns, just after its reply
        async with transaction(h.services.sessions) as session:
            return await session.scalar(select(func.count()).select_from(ComposeDraft)) == 0

    await wait_until(dropped, within=10)
    assert groups


async def test_retract_deletes_every_copy(harness: BotHarness) -> None:
    h = harness
    await seed_tree(h, wards=1, groups_per_ward=3)
    profile = await officer(h, "ND-W1")
    groups = await seed_groups(h, ["ND-W1-01", "ND-W1-02", "ND-W1-03"])
    await lease_held(h)
    advisory = await h.services.advisories.create(
        profile,
        AdvisoryDraft(
            text="Tin gửi nhầm cần thu hồi",
            schedule=Schedule(Recurrence.ONCE, run_at=datetime.now(UTC)),
            area_id=(await h.services.areas.get("ND-W1")).id,
        ),
    )
    await summary(h)
    [ask] = await h.say(OFFICER, f"/thuhoi {advisory.id}")
    assert ask["text"] == t("adv-retract-confirm", "vi", id=str(advisory.id), groups=3).replace(
        "<b>", ""
    ).replace("</b>", "")
    assert await copies(h, groups[0], "thu hồi")  # nothing deleted before the officer confirms
    _, [started, done] = await h.press(OFFICER, ask, f"sched:retractok:{advisory.id}", expect=2)
    assert started["text"] == t("adv-retract-started", "vi", id=str(advisory.id))
    assert done["text"] == t(
        "adv-retracted", "vi", id=str(advisory.id), deleted=3, total=3, stopped=0
    )
    for chat_id in groups:
        assert await copies(h, chat_id, "thu hồi") == []
    [usage] = await h.say(OFFICER, "/retract abc")
    assert usage["text"] == t("adv-retract-usage", "vi")
    async with transaction(h.services.sessions) as session:
        actions = list(await session.scalars(select(AuditLog.action)))
    assert "advisory.retract" in actions


async def test_retract_during_the_run_stops_it_and_leaves_no_copy(harness: BotHarness) -> None:
    """/thuhoi while the warning is still going out (5 groups a second to 40 groups): the
    groups not reached yet never get it, copies in flight are deleted as they land."""
    h = harness
    await h.stop()
    await h.start(telegram_send_rate=5)
    codes = [f"ND-W1-{i:02d}" for i in range(1, 41)]
    await seed_tree(h, wards=1, groups_per_ward=40)
    profile = await officer(h, "ND-W1")
    groups = await seed_groups(h, codes)
    await lease_held(h)
    advisory = await h.services.advisories.create(
        profile,
        AdvisoryDraft(
            text="Tin gửi nhầm cần thu hồi ngay",
            schedule=Schedule(Recurrence.ONCE, run_at=datetime.now(UTC)),
            area_id=(await h.services.areas.get("ND-W1")).id,
        ),
    )

    async def some_sent() -> bool:
        return sum(1 for status, _ in await ledger(h) if status == "sent") >= 8

    await wait_until(some_sent, within=30)
    [ask] = await h.say(OFFICER, f"/thuhoi {advisory.id}", timeout=30)
    _, [started, done] = await h.press(
        OFFICER, ask, f"sched:retractok:{advisory.id}", expect=2, timeout=30
    )
    assert started["text"] == t("adv-retract-started", "vi", id=str(advisory.id))
    assert "Đã dừng" in done["text"]
    await summary(h)  # the run ends (and its author hears of it) instead of going on
    [run] = await h.services.advisory_runs.runs_of(advisory.id)
    assert run.status is RunStatus.DONE
    rows = await ledger(h)
    assert {status for status, _ in rows} == {"retracted"}
    assert len(rows) == 40
    await asyncio.sleep(1)
    for chat_id in groups:
        assert await copies(h, chat_id, "thu hồi ngay") == []
    landed = [
        m
        for g in groups
        for m in await h.client.history(g)
        if "thu hồi ngay" in (m.get("text") or "")
    ]
    assert 8 <= len(landed) < 40  # stopped part way; every copy that landed is deleted
    assert all(m.get("deleted") for m in landed)


async def test_only_the_lease_holder_sends(harness: BotHarness) -> None:
    h = harness
    await seed_tree(h, wards=1, groups_per_ward=2)
    profile = await officer(h, "ND-W1")
    groups = await seed_groups(h, ["ND-W1-01", "ND-W1-02"])
    await lease_held(h)
    other_settings = h.settings.model_copy(update={"bot_token": None})
    from pydantic import SecretStr

    other_settings = h.settings.model_copy(update={"bot_token": SecretStr("654321:OTHER")})
    second = build_application(other_settings)
    await start_in_loop(second)
    try:
        runtime2 = second.bot_data["advisory_scheduler"]
        await runtime2.tick()
        assert not runtime2.lease.held and scheduler(h).lease.held
        ward = (await h.services.areas.get("ND-W1")).id
        for text in ("Lần 1: chỉ chủ lease gửi", "Lần 2: sau khi chuyển giao"):
            await second.bot_data["services"].advisories.create(
                profile,
                AdvisoryDraft(
                    text=text,
                    schedule=Schedule(Recurrence.ONCE, run_at=datetime.now(UTC)),
                    area_id=ward,
                ),
            )
            if text.startswith("Lần 1"):
                await scheduler(h).tick()  # the holder picks up what another instance stored
                await runtime2.tick()
                await wait_until(lambda: all_have(h, groups, "Lần 1"))
                for chat_id in groups:
                    [copy] = await copies(h, chat_id, "Lần 1")
                    assert copy["from"]["id"] == h.bot_id
                await h.stop()  # the holder goes away and releases the lease
                await runtime2.tick()
                assert runtime2.lease.held
        await wait_until(lambda: all_have(h, groups, "Lần 2"))
        for chat_id in groups:
            [copy] = await copies(h, chat_id, "Lần 2")
            assert copy["from"]["id"] == 654321
            assert len(await copies(h, chat_id, "Lần 1")) == 1
    finally:
        await stop_in_loop(second)
