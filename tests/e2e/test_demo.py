"""`anninh demo` without a browser: the demo data loader and what the demo tells the sandbox."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from bot.demo import preflight, run_demo, running_demo
from bot.i18n import t
from sandbox.client import SandboxClient
from services.categories import Category
from services.demo import (
    DemoService,
    NotADemoDatabase,
    chats,
    demo_area_codes,
    personas,
    zalo_personas,
)
from services.scams import ScamService
from storage import migrate
from storage.db import create_engine
from storage.models import AreaKind, ReportStatus
from storage.repositories.advisories import AdvisoryRepository
from storage.repositories.advisory_runs import RunRepository
from storage.repositories.areas import AreaRepository
from storage.repositories.tips import TipRepository
from storage.repositories.users import UserRepository
from storage.types import utcnow
from storage.uow import Sessions, transaction


async def _all_reports(sessions: Sessions) -> list:  # type: ignore[type-arg]
    found = []
    async with transaction(sessions) as session:
        repo = TipRepository(session)
        for telegram_id in range(5001, 5017):
            user = await UserRepository(session).get_by_telegram_id(telegram_id)
            assert user is not None
            reports, _ = await repo.for_reporter(user.id, offset=0, limit=1000)
            found.extend(reports)
    return found


async def test_loading_twice_adds_nothing_the_second_time(sessions: Sessions) -> None:
    now = utcnow()
    first = await DemoService(sessions).load(now)
    assert first["areas"] == len(demo_area_codes()) == 34
    assert first["chats"] == len(chats()) == 32
    assert first["users"] >= len(personas())
    assert first["tips"] >= 50 and first["advisories"] >= 8
    second = await DemoService(sessions).load(now + timedelta(days=3))
    assert second == dict.fromkeys(first, 0)
    assert len(await _all_reports(sessions)) == first["tips"]


async def test_past_tips_span_four_months_and_every_category(sessions: Sessions) -> None:
    now = utcnow()
    await DemoService(sessions).load(now)
    reports = await _all_reports(sessions)
    ages = sorted((now - r.created_at).days for r in reports)
    assert ages[0] <= 3 and 110 <= ages[-1] <= 120
    months = {(r.created_at.year, r.created_at.month) for r in reports}
    assert len(months) >= 4
    categories = {r.category for r in reports}
    assert categories == {c.value for c in Category if c is not Category.OTHER}
    statuses = {r.status for r in reports}
    assert statuses == set(ReportStatus)
    recent = [r for r in reports if (now - r.created_at).days < 30]
    older = [r for r in reports if (now - r.created_at).days >= 90]
    fraud = Category.ONLINE_FRAUD.value
    assert sum(r.category == fraud for r in recent) > sum(r.category == fraud for r in older)
    assert all(unicodedata.is_normalized("NFC", r.text) for r in reports)
    assert all(r.code.startswith(("TB-", "LD-")) for r in reports)
    async with transaction(sessions) as session:
        repo = TipRepository(session)
        handled = next(r for r in reports if r.status is ReportStatus.HANDLED)
        history = await repo.history(handled.id)
        areas = AreaRepository(session)
        area = await areas.get(handled.area_id or 0)
    assert [h.new_status for h in history] == [ReportStatus.RECEIVED, ReportStatus.HANDLED]
    assert history[1].note and history[1].actor_user_id is not None
    assert area is not None and area.kind is AreaKind.RESIDENTIAL_GROUP


async def test_past_advisories_were_sent_to_the_wards_residents_groups(
    sessions: Sessions,
) -> None:
    await DemoService(sessions).load()
    async with transaction(sessions) as session:
        repo = AdvisoryRepository(session)
        officer = await UserRepository(session).get_by_telegram_id(2001)
        assert officer is not None
        sent = await repo.by_author(officer.id)
        runs = await RunRepository(session).runs_of(sent[0].id)
        deliveries = await RunRepository(session).deliveries(runs[0].id)
    assert len(sent) >= 2 and all(a.status.value == "done" for a in sent)
    assert any("LỪA ĐẢO" in a.text for a in sent)
    assert [r.status.value for r in runs] == ["done"]
    assert runs[0].summary is not None and runs[0].summary["sent"] == 3
    assert len(deliveries) == 3 and {d.status.value for d in deliveries} == {"sent"}
    assert {d.telegram_chat_id for d in deliveries} == {-1_001_001, -1_001_002, -1_001_003}


async def test_a_database_with_other_areas_is_refused_and_left_untouched(
    sessions: Sessions,
) -> None:
    async with transaction(sessions) as session:
        await AreaRepository(session).add("HN", "Hà Nội", AreaKind.PROVINCE, None)
    with pytest.raises(NotADemoDatabase) as caught:
        await DemoService(sessions).load()
    message = t(caught.value.message_key, "vi", **caught.value.args_for_message)
    assert "HN" in message and "anninh-demo.db" in message
    assert "HN" in t(caught.value.message_key, "en", **caught.value.args_for_message)
    async with transaction(sessions) as session:
        assert [a.code for a in await AreaRepository(session).all()] == ["HN"]
        assert await UserRepository(session).get_by_telegram_id(1001) is None


async def test_preflight_refuses_before_the_bot_migrates_anything(
    sessions: Sessions, database_url: str, tmp_path: Path
) -> None:
    async with transaction(sessions) as session:
        await AreaRepository(session).add("ND-XX", "Xã lạ", AreaKind.WARD, None)
    with pytest.raises(NotADemoDatabase):
        await preflight(database_url)
    with pytest.raises(SystemExit) as stopped:
        await run_demo("127.0.0.1", 0, database_url)
    assert stopped.value.code == 2
    fresh = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    await preflight(fresh)  # an empty database is fine, and is not migrated by the check
    engine = create_engine(fresh)
    try:
        assert await migrate.current_revision(engine) is None
    finally:
        await engine.dispose()


async def test_the_running_demo_lists_personas_and_their_groups(database_url: str) -> None:
    async with running_demo(database_url) as demo:
        assert demo.counts["areas"] == 34
        async with SandboxClient(demo.server.base_url) as client:
            listed = await client.personas()
            expected = {p.telegram_id for p in personas()} | {p["id"] for p in zalo_personas()}
            assert {p["id"] for p in listed} == expected
            roles = {p["role"] for p in listed}
            assert roles == {"resident", "police", "moderator", "admin"}
            hung = next(p for p in listed if p["id"] == 2001)
            assert hung["title"] == "Cảnh sát khu vực Phường Thống Nhất"
            assert hung["name"] == "Trần Hùng" and hung["platform"] == "telegram"
            hung_chats = {c["title"] for c in await client.chats(member=2001)}
            assert "Công an Phường Thống Nhất — tổ công tác" in hung_chats
            assert "An ninh TDP 1 — Thống Nhất" in hung_chats
            police = await client.chat(-1_000_100)
            assert police["type"] == "supergroup"
            bot = next(m for m in police["members"] if m["user"]["id"] == demo.app.bot.id)
            assert bot["status"] == "administrator"
        async with httpx.AsyncClient() as http:
            page = await http.get(demo.page_url)
        assert page.status_code == 200 and "An ninh khu dân cư" in page.text


async def test_the_demos_scam_numbers_were_reported_by_several_residents(
    sessions: Sessions,
) -> None:
    """The fraud tips name the scammers' numbers in their fraud details, given as the
    scammer's the way a resident sends them: /kiemtra in the demo has something to show."""
    await DemoService(sessions).load()
    scams = ScamService(sessions)
    for written in ("0389 123 456", "Techcombank 19033345678901", "vietcombank-xacminh.online"):
        found = await scams.lookup(written, by=1)
        assert found is not None and found.people >= 2, written
        assert found.wards and all(w and w.startswith("Phường") for w in found.wards)
    unknown = await scams.lookup("0912 000 999", by=1)
    assert unknown is not None and not unknown.known
