"""The police routing outbox: a tip stored but never routed (the process died in between) is
routed by the sweep exactly once, however many sweeps, instances and background routings
race for it. Runs on SQLite and Postgres (ANNINH_TEST_DB)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update

from services.ports import DeliveryResult, DeliveryStatus, OutgoingMessage, Recipient
from services.reach import PersonReacher
from storage.dto_tips import ReportDTO
from storage.models import Report
from storage.repositories.tips import TipRepository
from storage.types import utcnow
from storage.uow import Sessions, transaction
from tests.tip_parts import TipParts, build_tips
from tests.unit.test_tips_service import ADMIN, FakeSender, World, world

OFFICER = 2001
"""The officer holding the police grant on Phường Thống Nhất (see ``world``)."""


@dataclass
class PoliceSender(FakeSender):
    """Keeps what was actually delivered; yields while sending, as a Bot API call does, so
    concurrent routings interleave."""

    delivered: list[tuple[int, str]] = field(default_factory=list)

    async def send(self, to: Recipient, message: OutgoingMessage) -> DeliveryResult:
        await asyncio.sleep(0.01)
        result = await super().send(to, message)
        if result.ok and message.key == "tip-police-new":
            self.delivered.append((to.chat_id, str(message.args["code"])))
        return result

    def codes(self, chat_id: int = OFFICER) -> list[str]:
        return [code for to, code in self.delivered if to == chat_id]


def instance(w: World, sessions: Sessions, sender: FakeSender) -> TipParts:
    """A bot process on the test database (several of them play several instances); the
    sweep does not wait out a grace period."""
    return build_tips(
        sessions,
        PersonReacher(sessions, sender, w.users, default_language="vi"),
        admin_ids=frozenset({ADMIN}),
        grace_seconds=0,
    )


async def store(w: World, area_id: int | None = None, text: str = "Trộm xe") -> ReportDTO:
    """Store a tip the way the chat surface does (route=False) and never route it: the
    process "died" between the commit and the background routing."""
    uid = w.resident.user.id
    await w.tip_intake.begin(uid, category="crime")
    await w.tip_steps.add_text(uid, text)
    await w.tip_steps.finish_description(uid)
    await w.tip_steps.skip_location(uid)
    await w.tip_steps.choose_area(uid, area_id or w.group_id)
    await w.tip_steps.set_anonymous(uid, True)
    submitted = await w.tip_intake.submit(uid, route=False)
    assert submitted.routing.delivered == 0 and w.sender.sent == []
    return submitted.report


async def routed_at(sessions: Sessions, report_id: int) -> datetime | None:
    async with transaction(sessions) as session:
        return await session.scalar(select(Report.routed_at).where(Report.id == report_id))


async def test_a_tip_stored_but_never_routed_is_routed_once_by_the_sweep(
    sessions: Sessions,
) -> None:
    w = await world(sessions)
    report = await store(w)
    assert await routed_at(sessions, report.id) is None
    police = PoliceSender()
    tips = instance(w, sessions, police)

    # Within the grace period the sweep leaves it to the surface's own routing.
    tips.tip_router.routing_grace_seconds = 30
    assert await tips.tip_router.route_pending() == 0
    assert police.sent == []

    tips.tip_router.routing_grace_seconds = 0
    assert await tips.tip_router.route_pending() == 1
    assert police.codes() == [report.code]
    assert await routed_at(sessions, report.id) is not None
    assert await tips.tip_router.route_pending() == 0
    assert (await tips.tip_router.route(report)).delivered == 0
    assert police.codes() == [report.code]
    # Routing is not an officer's edit: the optimistic-lock version is untouched.
    after = await tips.tip_followup.get(report.id)
    assert after is not None and after.version == 1 and after.updated_at == report.updated_at


async def test_two_concurrent_sweeps_deliver_each_tip_once(sessions: Sessions) -> None:
    w = await world(sessions)
    reports = [await store(w, text=f"Trộm xe số {i}") for i in range(3)]
    police = PoliceSender()
    tips = instance(w, sessions, police)

    counts = await asyncio.gather(tips.tip_router.route_pending(), tips.tip_router.route_pending())

    assert sum(counts) == 3
    assert sorted(police.codes()) == sorted(r.code for r in reports)
    assert await tips.tip_router.route_pending() == 0


async def test_two_instances_sweeping_one_database_deliver_each_tip_once(
    sessions: Sessions,
) -> None:
    w = await world(sessions)
    reports = [await store(w, text=f"Mất trộm {i}") for i in range(4)]
    first, second = PoliceSender(), PoliceSender()

    counts = await asyncio.gather(
        instance(w, sessions, first).tip_router.route_pending(),
        instance(w, sessions, second).tip_router.route_pending(),
    )

    assert sum(counts) == 4
    assert sorted(first.codes() + second.codes()) == sorted(r.code for r in reports)


async def test_the_background_routing_and_the_sweep_never_both_deliver(
    sessions: Sessions,
) -> None:
    w = await world(sessions)
    report = await store(w)
    police = PoliceSender()
    tips = instance(w, sessions, police)

    routing, swept = await asyncio.gather(
        tips.tip_router.route(report), tips.tip_router.route_pending()
    )

    assert (routing.delivered, swept) in {(1, 0), (0, 1)}
    assert police.codes() == [report.code]


async def test_a_routed_tip_is_not_routed_again_by_the_sweep(sessions: Sessions) -> None:
    w = await world(sessions)
    police = PoliceSender()
    tips = instance(w, sessions, police)
    report = await store(w)
    routing = await tips.tip_router.route(report)  # the normal background routing
    assert routing.delivered == 1 and not routing.retry
    assert await tips.tip_router.route_pending() == 0
    assert police.codes() == [report.code]


async def test_a_tip_sent_with_routing_is_not_routed_again_by_the_sweep(
    sessions: Sessions,
) -> None:
    """The Zalo surface submits with route=True: stored, routed and marked in one call."""
    w = await world(sessions)
    uid = w.resident.user.id
    await w.tip_intake.begin(uid, category="crime", text="Trộm xe")
    await w.tip_steps.finish_description(uid)
    await w.tip_steps.skip_location(uid)
    await w.tip_steps.choose_area(uid, w.group_id)
    await w.tip_steps.set_anonymous(uid, True)
    submitted = await w.tip_intake.submit(uid)
    assert submitted.routing.delivered == 1
    assert await routed_at(sessions, submitted.report.id) is not None
    police = PoliceSender()
    assert await instance(w, sessions, police).tip_router.route_pending() == 0
    assert police.sent == []


async def test_finding_no_police_counts_as_routed_once_the_admins_are_told(
    sessions: Sessions,
) -> None:
    w = await world(sessions)
    police = PoliceSender()
    tips = instance(w, sessions, police)
    report = await store(w, area_id=w.other_group_id)  # nobody covers Vị Hoàng
    routing = await tips.tip_router.route(report)
    assert not routing.police_found and routing.delivered == 1
    assert await tips.tip_router.route_pending() == 0
    assert police.codes(ADMIN) == [report.code]
    assert await routed_at(sessions, report.id) is not None


async def test_nobody_reachable_for_now_is_retried_by_a_later_sweep(sessions: Sessions) -> None:
    w = await world(sessions)
    police = PoliceSender()
    tips = instance(w, sessions, police)
    report = await store(w)
    police.status = {OFFICER: DeliveryStatus.RETRY_LATER, ADMIN: DeliveryStatus.RETRY_LATER}
    routing = await tips.tip_router.route(report)
    assert routing.retry and routing.delivered == 0
    assert await routed_at(sessions, report.id) is None

    police.status = {}  # Telegram is back
    assert await tips.tip_router.route_pending() == 1
    assert police.codes() == [report.code]
    assert await tips.tip_router.route_pending() == 0


async def test_a_retry_waits_for_the_grace_period(sessions: Sessions) -> None:
    w = await world(sessions)
    police = PoliceSender()
    tips = instance(w, sessions, police)
    tips.tip_router.routing_grace_seconds = 30
    report = await store(w)
    police.status = {OFFICER: DeliveryStatus.RETRY_LATER, ADMIN: DeliveryStatus.RETRY_LATER}
    assert (await tips.tip_router.route(report)).retry
    police.status = {}
    tips.tip_router.routing_grace_seconds = 0  # the report is old enough, but deferred for 30 s
    assert await tips.tip_router.route_pending() == 0
    assert police.codes() == []


async def test_a_blocked_officer_and_admin_are_not_retried_forever(sessions: Sessions) -> None:
    w = await world(sessions)
    police = PoliceSender()
    tips = instance(w, sessions, police)
    report = await store(w)
    police.status = {OFFICER: DeliveryStatus.BLOCKED, ADMIN: DeliveryStatus.BLOCKED}
    routing = await tips.tip_router.route(report)
    assert not routing.retry and routing.delivered == 0
    assert await routed_at(sessions, report.id) is not None
    assert await tips.tip_router.route_pending() == 0


async def test_a_lease_held_by_a_dead_process_is_taken_over_once_it_runs_out(
    sessions: Sessions,
) -> None:
    w = await world(sessions)
    police = PoliceSender()
    tips = instance(w, sessions, police)
    report = await store(w)
    now = utcnow()
    async with transaction(sessions) as session:  # claimed by a process that then died
        assert await TipRepository(session).claim_for_routing(
            report.id, now=now, until=now + timedelta(minutes=10)
        )
    assert await tips.tip_router.route_pending() == 0
    assert (await tips.tip_router.route(report)).delivered == 0
    assert police.sent == []

    async with transaction(sessions) as session:  # ... ten minutes later
        await session.execute(
            update(Report)
            .where(Report.id == report.id)
            .values(routing_claimed_until=utcnow() - timedelta(seconds=1))
        )
    assert await tips.tip_router.route_pending() == 1
    assert police.codes() == [report.code]


async def test_a_process_that_cannot_reach_the_police_leaves_tips_to_the_sweep(
    sessions: Sessions,
) -> None:
    """Zalo alone (no Telegram): the tip is stored and stays due; the Telegram process's
    sweep tells the police once."""
    w = await world(sessions)
    w.tip_router.routing_enabled = False
    w.tip_router.routing_grace_seconds = 0
    uid = w.resident.user.id
    await w.tip_intake.begin(uid, category="crime", text="Trộm xe")
    await w.tip_steps.finish_description(uid)
    await w.tip_steps.skip_location(uid)
    await w.tip_steps.choose_area(uid, w.group_id)
    await w.tip_steps.set_anonymous(uid, True)
    submitted = await w.tip_intake.submit(uid)  # as the Zalo surface does: route=True
    assert submitted.routing.delivered == 0
    assert await w.tip_router.route_pending() == 0
    assert w.sender.sent == []

    police = PoliceSender()
    assert await instance(w, sessions, police).tip_router.route_pending() == 1
    assert police.codes() == [submitted.report.code]


async def test_a_sweep_takes_on_at_most_limit_reports(sessions: Sessions) -> None:
    w = await world(sessions)
    for i in range(3):
        await store(w, text=f"Tin {i}")
    police = PoliceSender()
    tips = instance(w, sessions, police)
    assert await tips.tip_router.route_pending(limit=2) == 2
    assert await tips.tip_router.route_pending(limit=2) == 1
    assert len(police.codes()) == 3
