"""The routing sweep in the running bot: its jobs are registered under stable ids, and a tip
stored but never routed (the process died between the commit and the police message)
reaches the police chat exactly once, from the job or from the sweep at start-up."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from scheduler.tips import JOB_NAME, STARTUP_JOB_NAME, route_pending_job
from storage.dto_tips import ReportDTO
from storage.models import ChatPurpose
from storage.repositories.chats import ChatRepository
from storage.repositories.tip_cards import TipCardRepository
from storage.uow import transaction
from tests.e2e.harness import BotHarness, user
from tests.e2e.test_tips import POLICE_CHAT, seed
from tests.hardening.support import draft_ready, wait_until

RESIDENT = user(1701, "Mai")


async def stored_not_routed(harness: BotHarness) -> ReportDTO:
    """What a crash right after the commit leaves behind: the surface's background routing
    never ran."""
    uid = await draft_ready(harness, RESIDENT["id"], "ND-TN-01", "Có người lạ rình nhà số 7.")
    submitted = await harness.services.tip_intake.submit(uid, route=False)
    return submitted.report


async def copies(harness: BotHarness, code: str) -> int:
    police = await harness.client.history(POLICE_CHAT)
    return sum(code in (m.get("text") or "") for m in police)


async def test_the_job_routes_a_tip_left_unrouted_once(harness: BotHarness) -> None:
    await seed(harness)
    assert harness.app is not None and harness.app.job_queue is not None
    [job] = harness.app.job_queue.get_jobs_by_name(JOB_NAME)
    assert (job.job.id, job.job.coalesce, job.job.max_instances) == (JOB_NAME, True, 1)

    report = await stored_not_routed(harness)
    context = SimpleNamespace(application=harness.app)
    assert await route_pending_job(context) == 0  # type: ignore[arg-type] # within the grace
    harness.services.tip_router.routing_grace_seconds = 0
    assert await route_pending_job(context) == 1  # type: ignore[arg-type]
    assert await copies(harness, report.code) == 1
    assert await route_pending_job(context) == 0  # type: ignore[arg-type]
    assert await copies(harness, report.code) == 1


async def test_after_a_restart_the_sweep_tells_the_police_once(harness: BotHarness) -> None:
    await seed(harness)
    report = await stored_not_routed(harness)
    await harness.stop()
    assert await copies(harness, report.code) == 0

    app = await harness.start(tip_routing_grace_seconds=1)
    assert app.job_queue is not None and app.job_queue.get_jobs_by_name(STARTUP_JOB_NAME)

    async def told() -> bool:
        return await copies(harness, report.code) >= 1

    await wait_until(told, timeout=15)
    await asyncio.sleep(2.5)  # a few more sweeps: none sends it again
    assert await copies(harness, report.code) == 1


SECOND_POLICE_CHAT = -1009002


async def test_a_second_police_chat_that_meets_a_502_gets_the_tip_later_once(
    harness: BotHarness,
) -> None:
    """The ward's first police chat is told; the second met a 502 (three tries) and, since
    the routing counts as done, used to be left without the tip. The outbox now sends it,
    and its card is kept current like the first's."""
    await seed(harness)
    await harness.client.members(SECOND_POLICE_CHAT, joined=[], title="CA P. Thống Nhất 2")
    ward = await harness.services.areas.get("ND-TN")
    async with transaction(harness.services.sessions) as session:
        chats = ChatRepository(session)
        await chats.upsert(SECOND_POLICE_CHAT, "supergroup", "CA P. Thống Nhất 2")
        await chats.update(SECOND_POLICE_CHAT, area_id=ward.id, purpose=ChatPurpose.POLICE)
    report = await stored_not_routed(harness)
    await harness.client.fault("sendMessage", status=502, count=3)
    await harness.services.tip_router.route(report)

    async def in_both() -> bool:
        chats = (POLICE_CHAT, SECOND_POLICE_CHAT)
        return all([await copies_in(harness, chat, report.code) for chat in chats])

    await wait_until(in_both, timeout=15)
    await asyncio.sleep(1)
    for chat in (POLICE_CHAT, SECOND_POLICE_CHAT):
        assert await copies_in(harness, chat, report.code) == 1
    async with transaction(harness.services.sessions) as session:
        cards = await TipCardRepository(session).of_report(report.id)
    assert {c.chat_id for c in cards} == {POLICE_CHAT, SECOND_POLICE_CHAT}


async def copies_in(harness: BotHarness, chat: int, code: str) -> int:
    return sum(code in (m.get("text") or "") for m in await harness.client.history(chat))
