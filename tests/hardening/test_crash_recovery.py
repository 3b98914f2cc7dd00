"""kill -9 of a real bot process (``python -m bot.cli run``) during a tip conversation, while
a tip is being stored and answered, and in the middle of an advisory fan-out; after a
restart no tip is lost or duplicated, the conversation resumes (the resident is asked
"continue or drop?"), and the advisory run resumes: every group gets it, duplicates are
bounded by the copies in flight at the kill (the ledger's documented at-least-once window)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.i18n import t
from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from services.advisory_types import AdvisoryDraft
from services.schedule_text import Schedule
from services.users import IncomingUser
from storage.models import Recurrence
from tests.e2e.harness import user
from tests.e2e.test_advisories_support import copies, ledger, seed_groups, seed_tree
from tests.e2e.test_tips import AREAS, HUNG, POLICE_CHAT, jpeg
from tests.hardening.procbot import ProcessHarness
from tests.hardening.support import (
    all_handled,
    draft_ready,
    scalar,
    tips_of,
    user_db_id,
    wait_until,
)

pytestmark = pytest.mark.slow

RESIDENT = user(1601, "Hoa", "hoa_nd")


@pytest.fixture
async def proc(
    sandbox: SandboxServer, client: SandboxClient, database_url: str, tmp_path: Path
) -> AsyncIterator[ProcessHarness]:
    h = ProcessHarness(sandbox, client, database_url, tmp_path)
    await h.open_services()
    yield h
    await h.close()


async def _seed_tips(h: ProcessHarness) -> None:
    await h.services.areas.import_csv(AREAS)
    await h.services.grants.grant(target_telegram_id=HUNG["id"], role="police", area_code="ND-TN")
    await h.client.members(POLICE_CHAT, joined=[HUNG], title="CA P. Thống Nhất")
    await h.services.groups.link(None, POLICE_CHAT, "ND-TN", "police")


async def _draft_exists(h: ProcessHarness) -> bool:
    uid = await user_db_id(h, RESIDENT["id"])  # type: ignore[arg-type]
    return await h.services.tip_steps.current(uid) is not None


async def test_killed_mid_conversation_the_resident_is_asked_to_continue_and_nothing_is_lost(
    proc: ProcessHarness,
) -> None:
    h = proc
    await _seed_tips(h)
    await h.start()
    [question] = await h.say(RESIDENT, "/baotin", timeout=30)
    await h.press(RESIDENT, question, "tipf:cat:crime", expect=1, timeout=30)
    [ack] = await h.say(RESIDENT, "Kẻ gian cạy khóa xe máy ở ngõ 5 lúc 2 giờ sáng.", timeout=30)
    await all_handled(h)  # killed between two messages (a kill within one: the next test)
    await h.kill()

    # While the bot is down the resident keeps writing; nothing is answered yet.
    await h.client.send_message(RESIDENT["id"], RESIDENT, "Hắn mặc áo khoác đen, đi xe Wave.")
    await h.start()
    [resume] = await h.client.wait_for_bot_messages(
        RESIDENT["id"], after_message_id=ack["message_id"], count=1, timeout=30
    )
    assert resume["text"] == t("tip-resume", "vi")
    _, [step] = await h.press(RESIDENT, resume, "tipf:resume", expect=1, timeout=30)
    uid = await user_db_id(h, RESIDENT["id"])  # type: ignore[arg-type]
    draft = await h.services.tip_steps.current(uid)
    assert draft is not None
    assert "cạy khóa" in draft.text and "áo khoác đen" in draft.text  # both parts kept
    _, [where] = await h.press(RESIDENT, step, "tipf:done", expect=1, timeout=30)
    assert await tips_of(h, RESIDENT["id"]) == 0  # type: ignore[arg-type]
    plain = t("tip-ask-location", "vi").replace("<b>", "").replace("</b>", "")
    assert where["text"].split("\n")[0] == plain.split("\n")[0]


async def test_a_message_telegram_delivers_again_after_the_kill_is_taken_once(
    proc: ProcessHarness,
) -> None:
    """The bot takes a message in, then dies before its next getUpdates confirms it (the
    sandbox holds that call), so Telegram hands the message out again after the restart.
    It is not added to the draft twice, and the resident is not asked anything about it."""
    h = proc
    await _seed_tips(h)
    await h.start()
    [question] = await h.say(RESIDENT, "/baotin", timeout=30)
    await h.press(RESIDENT, question, "tipf:cat:crime", expect=1, timeout=30)
    await asyncio.sleep(0.3)  # the bot's next long poll is under way (it polls right away)
    await h.client.fault("getUpdates", delay_s=120, count=1)  # the confirming call hangs
    [ack] = await h.say(RESIDENT, "Kẻ gian cạy khóa xe máy ở ngõ 5 lúc 2 giờ sáng.", timeout=30)
    await all_handled(h)  # to the end: the reply is sent just before the record
    await h.kill()
    await h.client.clear_faults()
    await h.start()
    [resume] = await h.say(RESIDENT, "Hắn mặc áo khoác đen, đi xe Wave.", timeout=30)
    assert resume["text"] == t("tip-resume", "vi")
    assert (await h.client.stats())["updates_redelivered"] >= 1  # it did come again
    await asyncio.sleep(1)
    later = await h.client.history(RESIDENT["id"])
    assert max(m["message_id"] for m in later) == resume["message_id"]  # nothing more said
    uid = await user_db_id(h, RESIDENT["id"])  # type: ignore[arg-type]
    draft = await h.services.tip_steps.current(uid)
    assert draft is not None
    assert draft.text.count("cạy khóa") == 1 and "áo khoác đen" in draft.text
    assert ack["message_id"] < resume["message_id"]


async def test_killed_after_the_tip_was_stored_but_before_the_answer(
    proc: ProcessHarness,
) -> None:
    """The police message hangs (Telegram slow), the process dies: the tip is stored once,
    and after the restart the resident finds it in /tincuatoi; pressing Send again (or the
    press re-delivered) stores nothing new."""
    h = proc
    await _seed_tips(h)
    await draft_ready(h, RESIDENT["id"], "ND-TN-01", "Có người lạ rình nhà số 12.")  # type: ignore[arg-type]
    await h.start()
    [resume] = await h.say(RESIDENT, "/baotin", timeout=30)
    _, [summary] = await h.press(RESIDENT, resume, "tipf:resume", expect=1, timeout=30)
    await h.client.fault("sendMessage", delay_s=30, count=1)
    await h.client.press_button(RESIDENT["id"], RESIDENT, summary["message_id"], "tipf:send")

    async def stored() -> bool:
        return await tips_of(h, RESIDENT["id"]) >= 1  # type: ignore[arg-type]

    await wait_until(stored, timeout=30)
    await h.kill()
    await h.client.clear_faults()
    await h.start()
    [mine] = await h.say(RESIDENT, "/tincuatoi", timeout=30)
    code = await scalar(h, "SELECT code FROM reports")  # type: ignore[arg-type]
    assert code in mine["text"]
    await h.press(RESIDENT, summary, "tipf:send", forged=True, timeout=30)
    [again] = await h.say(RESIDENT, "/tincuatoi", timeout=30)
    assert again["text"].count(code) == 1
    assert await tips_of(h, RESIDENT["id"]) == 1  # type: ignore[arg-type]


@pytest.mark.parametrize("delay", [0.0, 0.02, 0.05, 0.1, 0.2])
async def test_killed_at_any_moment_of_the_submit_a_tip_is_stored_once_or_still_a_draft(
    proc: ProcessHarness, delay: float
) -> None:
    """A race on purpose: the kill lands before, during or after the database write."""
    h = proc
    await _seed_tips(h)
    await draft_ready(h, RESIDENT["id"], "ND-TN-01", "Trộm chó ở thôn 3 đêm qua.")  # type: ignore[arg-type]
    await h.start()
    [resume] = await h.say(RESIDENT, "/baotin", timeout=30)
    _, [summary] = await h.press(RESIDENT, resume, "tipf:resume", expect=1, timeout=30)
    await h.client.press_button(RESIDENT["id"], RESIDENT, summary["message_id"], "tipf:send")
    await asyncio.sleep(delay)
    await h.kill()
    await h.start()
    # Whatever the moment, the press is redelivered or was done: settle, then check.
    [mine] = await h.say(RESIDENT, "/tincuatoi", timeout=30)
    stored = await tips_of(h, RESIDENT["id"])  # type: ignore[arg-type]
    pending = await _draft_exists(h)
    assert (stored, pending) in {(1, False), (0, True)}, (stored, pending)
    if stored:
        code = await scalar(h, "SELECT code FROM reports")  # type: ignore[arg-type]
        assert code in mine["text"]
        police = await h.client.history(POLICE_CHAT)
        assert sum(code in (m.get("text") or "") for m in police) <= 1
    else:  # the resident can still send it
        [resume] = await h.say(RESIDENT, "/baotin", timeout=30)
        _, [summary] = await h.press(RESIDENT, resume, "tipf:resume", expect=1, timeout=30)
        _, [done] = await h.press(RESIDENT, summary, "tipf:send", expect=1, timeout=30)
        assert "Đã gửi tin báo" in done["text"]
        assert await tips_of(h, RESIDENT["id"]) == 1  # type: ignore[arg-type]


async def test_killed_during_an_advisory_run_the_run_resumes_and_every_group_gets_it(
    sandbox: SandboxServer, client: SandboxClient, database_url: str, tmp_path: Path
) -> None:
    h = ProcessHarness(sandbox, client, database_url, tmp_path, env={"ADVISORY_SEND_RATE": "8"})
    try:
        await h.open_services()
        await seed_tree(h, wards=1, groups_per_ward=40)  # type: ignore[arg-type]
        await h.services.grants.grant(target_telegram_id=3001, role="police", area_code="ND-TP")
        codes = [f"ND-W1-{g:02d}" for g in range(1, 41)]
        chat_ids = await seed_groups(h, codes, admin=False)  # type: ignore[arg-type]
        await h.start()
        await h.wait_log("holding the advisory lease", timeout=30)
        author = await h.services.users.identify(IncomingUser(3001, "Hùng"))
        marker = "Cảnh báo: giả danh công an gọi điện yêu cầu chuyển tiền"
        await h.services.advisories.create(
            author,
            AdvisoryDraft(
                text=marker,
                schedule=Schedule(Recurrence.ONCE, run_at=datetime.now(UTC)),
                area_id=(await h.services.areas.get("ND-TP")).id,
            ),
        )

        async def some_sent() -> bool:
            return sum(s == "sent" for s, _ in await ledger(h)) >= 8  # type: ignore[arg-type]

        await wait_until(some_sent, timeout=60)
        await h.kill()
        sent_before = sum(s == "sent" for s, _ in await ledger(h))  # type: ignore[arg-type]
        assert sent_before < len(chat_ids), "the run finished before the kill"
        await h.start()

        async def settled() -> bool:
            rows = await ledger(h)  # type: ignore[arg-type]
            return len(rows) == len(chat_ids) and all(s in ("sent", "failed") for s, _ in rows)

        await wait_until(settled, timeout=90, interval=0.25)
        counts = [len(await copies(h, c, marker)) for c in chat_ids]  # type: ignore[arg-type]
        assert min(counts) == 1, "a group missed the advisory"
        duplicates = sum(n - 1 for n in counts)
        assert duplicates <= 16, f"{duplicates} duplicates: more than the copies in flight"
        assert all(s == "sent" for s, _ in await ledger(h))  # type: ignore[arg-type]
    finally:
        await h.close()


async def _police_copies(h: ProcessHarness, code: str) -> int:
    police = await h.client.history(POLICE_CHAT)
    return sum(code in (m.get("caption") or m.get("text") or "") for m in police)


async def test_killed_before_the_police_were_told_the_restarted_bot_tells_them_once(
    sandbox: SandboxServer, client: SandboxClient, database_url: str, tmp_path: Path
) -> None:
    """The tip is stored and its police message is still in flight (Telegram slow) when the
    process is killed: nobody was told. After the restart the routing sweep takes the report
    over once the dead process's routing lease has run out, and the police chat gets it
    exactly once."""
    # Short grace and lease so the test does not wait out the production 30 s / 10 min.
    env = {"TIP_ROUTING_GRACE_SECONDS": "1", "TIP_ROUTING_LEASE_SECONDS": "8"}
    h = ProcessHarness(sandbox, client, database_url, tmp_path, env=env)
    try:
        await h.open_services()
        await _seed_tips(h)
        intake = h.services.tip_intake
        steps = h.services.tip_steps
        uid = await user_db_id(h, RESIDENT["id"])  # type: ignore[arg-type]
        await intake.begin(uid, category="crime")
        await steps.add_text(uid, "Có người lạ rình nhà số 12, ảnh chụp kèm theo.")
        await h.start()
        [resume] = await h.say(RESIDENT, "/baotin", timeout=30)
        await h.press(RESIDENT, resume, "tipf:resume", expect=1, timeout=30)
        # The photo goes through the bot, so its file id is one the Bot API knows.
        await h.say(RESIDENT, None, photo=jpeg(), timeout=30)
        await steps.finish_description(uid)
        await steps.skip_location(uid)
        await steps.choose_area(uid, (await h.services.areas.get("ND-TN-01")).id)
        await steps.set_anonymous(uid, True)
        [resume] = await h.say(RESIDENT, "/baotin", timeout=30)
        _, [summary] = await h.press(RESIDENT, resume, "tipf:resume", expect=1, timeout=30)
        # A tip with one photo reaches the police as sendPhoto, which nothing else in this
        # flow uses (the resident's confirmation is a sendMessage): only the police hang.
        await h.client.fault("sendPhoto", delay_s=300, count=1)
        _, [done] = await h.press(RESIDENT, summary, "tipf:send", expect=1, timeout=30)
        assert "Đã gửi tin báo" in done["text"]

        async def in_flight() -> bool:
            return int((await h.client.stats())["calls"].get("sendPhoto", 0)) >= 1

        await wait_until(in_flight, timeout=30)
        await h.kill()
        await h.client.clear_faults()
        code = await scalar(h, "SELECT code FROM reports")  # type: ignore[arg-type]
        assert await _police_copies(h, code) == 0
        unrouted = "SELECT count(*) FROM reports WHERE routed_at IS NULL"
        assert await scalar(h, unrouted) == 1  # type: ignore[arg-type]

        await h.start()

        async def told() -> bool:
            return await _police_copies(h, code) >= 1

        await wait_until(told, timeout=60, interval=0.25)
        await asyncio.sleep(3)  # several more sweeps: none sends it again
        assert await _police_copies(h, code) == 1
        assert await scalar(h, unrouted) == 0  # type: ignore[arg-type]
        assert await tips_of(h, RESIDENT["id"]) == 1  # type: ignore[arg-type]
    finally:
        await h.close()
