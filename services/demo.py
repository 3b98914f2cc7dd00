"""Demo data from the seed articles: Nam Định's wards, their tổ dân phố, groups, personas, and
four months of past tips and advisories (services/demo_content.py) for statistics to compare.

Loading is idempotent (codes, ids and texts are fixed), the demo runs on its own database file,
and it refuses a database holding anything that is not demo data.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

# The cast lives in services/demo_cast.py; importers have always taken it from here.
from services.demo_cast import (
    CITY,
    GROUPS_PER_WARD,
    MODERATED_WARDS,
    MODERATOR_ID,
    OA_PERSONA_AREA,
    OA_PERSONA_ID,
    PROVINCE,
    WARD_CENTRES,
    WARDS,
    ZALO_PERSONA_ID,
    DemoChat,
    Persona,
    background_residents,
    chats,
    demo_area_codes,
    group_code,
    personas,
    ward_code,
    ward_contacts,
    zalo_personas,
)
from services.demo_content import (
    HANDLED_NOTES,
    REJECTED_NOTE,
    PastAdvisory,
    PastTip,
    past_advisories,
    past_tips,
)
from services.demo_showcase import DemoShowcase
from services.errors import AnninhError
from services.indicators import extract_indicators
from services.tips import store_report
from storage.dto import AreaDTO
from storage.dto_tips import NewReport
from storage.models import (
    AdvisoryStatus,
    AreaKind,
    ChatPurpose,
    DeliveryState,
    Recurrence,
    ReportStatus,
    RunStatus,
)
from storage.repositories.advisories import AdvisoryRepository
from storage.repositories.advisory_runs import RunRepository
from storage.repositories.areas import AreaRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.grants import GrantRepository
from storage.repositories.tips import TipRepository
from storage.repositories.users import UserRepository
from storage.types import utcnow
from storage.uow import Session, Sessions, transaction

__all__ = [
    "CITY",
    "GROUPS_PER_WARD",
    "MODERATED_WARDS",
    "MODERATOR_ID",
    "OA_PERSONA_AREA",
    "OA_PERSONA_ID",
    "PROVINCE",
    "WARDS",
    "ZALO_PERSONA_ID",
    "DemoChat",
    "DemoService",
    "NotADemoDatabase",
    "Persona",
    "background_residents",
    "chats",
    "demo_area_codes",
    "group_code",
    "personas",
    "ward_code",
    "ward_contacts",
    "zalo_personas",
]


class NotADemoDatabase(AnninhError):
    """The database holds data that is not the demo's: loading demo data there is refused."""

    message_key = "demo-refused"


def _title(html: str) -> str:
    plain = " ".join(re.sub(r"<[^>]+>", "", html).split())
    return plain[:60] + ("…" if len(plain) > 60 else "")


class DemoService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions
        self._user_ids: dict[int, int] = {}
        self._areas: dict[str, AreaDTO] = {}
        self._targets: dict[str, list[tuple[int, int]]] = {}

    async def load(self, now: datetime | None = None) -> dict[str, int]:
        """Create what is missing, in one transaction; running it twice changes nothing.
        Raises :class:`NotADemoDatabase` before writing anything if the database holds areas
        that are not the demo's."""
        now = now or utcnow()
        self._user_ids, self._areas, self._targets = {}, {}, {}
        counts = {"areas": 0, "users": 0, "grants": 0, "chats": 0, "tips": 0, "advisories": 0}
        async with transaction(self._sessions) as session:
            await self._refuse_foreign(session)
            await self._load_structure(session, counts)
            counts["tips"] = await self._load_past_tips(session, now)
            counts["advisories"] = await self._load_past_advisories(session, now)
        # After the history is committed: what officers enter themselves, through the services.
        counts.update(await DemoShowcase(self._sessions).load(ward_contacts()))
        return counts

    async def check(self) -> None:
        """Raise :class:`NotADemoDatabase` if demo data must not go into this database."""
        async with transaction(self._sessions) as session:
            await self._refuse_foreign(session)

    async def _refuse_foreign(self, session: Session) -> None:
        demo = demo_area_codes()
        foreign = [a.code for a in await AreaRepository(session).all() if a.code not in demo]
        if foreign:
            shown = ", ".join(sorted(foreign)[:5]) + (" …" if len(foreign) > 5 else "")
            raise NotADemoDatabase(count=len(foreign), codes=shown)

    async def _load_structure(self, session: Session, counts: dict[str, int]) -> None:
        areas = AreaRepository(session)

        async def ensure(code: str, name: str, kind: AreaKind, parent_code: str | None) -> None:
            if await areas.get_by_code(code) is None:
                parent = await areas.get_by_code(parent_code) if parent_code else None
                await areas.add(code, name, kind, parent)
                counts["areas"] += 1

        await ensure(*PROVINCE, AreaKind.PROVINCE, None)
        await ensure(*CITY, AreaKind.DISTRICT, PROVINCE[0])
        for short, name in WARDS:
            await ensure(ward_code(short), name, AreaKind.WARD, CITY[0])
            for n in range(1, GROUPS_PER_WARD + 1):
                await ensure(
                    group_code(short, n),
                    f"Tổ dân phố {n}",
                    AreaKind.RESIDENTIAL_GROUP,
                    ward_code(short),
                )
        users = UserRepository(session)
        grants = GrantRepository(session)
        for person in [*personas(), *background_residents()]:
            existed = await users.get_by_telegram_id(person.telegram_id)
            user = await users.upsert_telegram(
                person.telegram_id, person.first_name, person.last_name, person.username
            )
            counts["users"] += existed is None
            area = await areas.get_by_code(person.area_code)
            assert area is not None
            if person.role is not None:
                counts["grants"] += (
                    await grants.add(user.id, person.role, area, None)
                ) is not None
            elif user.home_area_id is None:
                await users.set_home_area(user.id, area.id)
        chat_repo = ChatRepository(session)
        for chat in chats():
            area = await areas.get_by_code(chat.area_code)
            assert area is not None
            if await chat_repo.get(chat.chat_id) is None:
                counts["chats"] += 1
            await chat_repo.upsert(chat.chat_id, "supergroup", chat.title)
            await chat_repo.update(
                chat.chat_id, area_id=area.id, purpose=chat.purpose, bot_is_admin=True
            )

    async def _user_id(self, session: Session, telegram_id: int) -> int:
        if telegram_id not in self._user_ids:
            user = await UserRepository(session).get_by_telegram_id(telegram_id)
            assert user is not None, "structure is loaded first"
            self._user_ids[telegram_id] = user.id
        return self._user_ids[telegram_id]

    async def _officer_id(self, session: Session, short: str) -> int:
        index = [w for w, _ in WARDS].index(short)
        return await self._user_id(session, 2001 + index)

    async def _area(self, session: Session, code: str) -> AreaDTO:
        if not self._areas:
            self._areas = {a.code: a for a in await AreaRepository(session).all()}
        return self._areas[code]

    async def _load_past_tips(self, session: Session, now: datetime) -> int:
        """~60 tips over the last 120 days, through the tips repository, with the status
        history an officer's handling leaves. Skips tips already there (same reporter and
        text), so loading again adds nothing."""
        repo = TipRepository(session)
        reporters: dict[str, list[int]] = {}
        for person in background_residents():
            ward = person.area_code.split("-")[1]
            reporters.setdefault(ward, []).append(await self._user_id(session, person.telegram_id))
        existing: set[tuple[int, str]] = set()
        for ids in reporters.values():
            for uid in ids:
                found, _ = await repo.for_reporter(uid, offset=0, limit=10_000)
                existing.update((uid, r.text) for r in found)
        added = 0
        for tip in past_tips([w for w, _ in WARDS], GROUPS_PER_WARD):
            reporter = reporters[tip.ward][tip.index % len(reporters[tip.ward])]
            if (reporter, tip.text) in existing:
                continue
            await self._add_tip(session, repo, tip, reporter, now)
            added += 1
        return added

    async def _add_tip(
        self, session: Session, repo: TipRepository, tip: PastTip, reporter: int, now: datetime
    ) -> None:
        area = await self._area(session, group_code(tip.ward, tip.group))
        lat, lon = WARD_CENTRES[tip.ward]
        created = (now - timedelta(days=tip.days_ago)).replace(second=0, microsecond=0)
        # As a resident sends it: every number of the fraud details left ticked as the scammer's.
        sent = NewReport(
            category=tip.category,
            text=tip.text,
            area_id=area.id,
            reporter_user_id=reporter,
            anonymous=tip.anonymous,
            latitude=round(lat + (tip.index % 5 - 2) * 0.0011, 5),
            longitude=round(lon + (tip.index % 7 - 3) * 0.0009, 5),
            address=tip.address,
            fraud_details=tip.fraud_details,
        )
        given = extract_indicators(tip.fraud_details or "")
        report = await store_report(session, sent, given=given, now=created)
        # History: the police were told when it came in, so the routing sweep leaves it be.
        await repo.mark_routed(report.id, at=created)
        status = ReportStatus(tip.status)
        if status is ReportStatus.RECEIVED:
            return
        officer = await self._officer_id(session, tip.ward)
        # Police act within hours to a couple of days, like the seeds' wards.
        acted = min(created + timedelta(hours=2 + (tip.index * 7) % 46), now)
        changed = await repo.set_status(report.id, status, report.version, at=acted)
        assert changed is not None
        note = None
        if status is ReportStatus.HANDLED:
            note = HANDLED_NOTES[tip.category]
        elif status is ReportStatus.REJECTED:
            note = REJECTED_NOTE
        await repo.add_status_change(
            report.id, ReportStatus.RECEIVED, status, officer, note, at=acted
        )

    async def _residents_chats(self, session: Session, ward: str) -> list[tuple[int, int]]:
        """(our chat id, Telegram chat id) of the ward's residents' groups."""
        if ward not in self._targets:
            chat_repo = ChatRepository(session)
            found = []
            for chat in chats():
                if chat.purpose is ChatPurpose.RESIDENTS and chat.area_code.startswith(f"{ward}-"):
                    stored = await chat_repo.get(chat.chat_id)
                    assert stored is not None
                    found.append((stored.id, stored.telegram_chat_id))
            self._targets[ward] = found
        return self._targets[ward]

    async def _load_past_advisories(self, session: Session, now: datetime) -> int:
        """One-off advisories each ward's officer sent to the ward's residents' groups, with
        their finished runs and delivery ledgers. Skips those already there (same author and
        text)."""
        repo = AdvisoryRepository(session)
        added = 0
        for advisory in past_advisories([w for w, _ in WARDS]):
            officer = await self._officer_id(session, advisory.ward)
            if any(a.text == advisory.text for a in await repo.by_author(officer)):
                continue
            await self._add_advisory(session, repo, advisory, officer, now)
            added += 1
        return added

    async def _add_advisory(
        self,
        session: Session,
        repo: AdvisoryRepository,
        advisory: PastAdvisory,
        officer: int,
        now: datetime,
    ) -> None:
        area = await self._area(session, ward_code(advisory.ward))
        sent_at = (now - timedelta(days=advisory.days_ago)).replace(second=0, microsecond=0)
        row = await repo.add(
            author_user_id=officer,
            area_id=area.id,
            chat_ids=[],
            text=advisory.text,
            media_kind=None,
            media_file_id=None,
            pin=advisory.pin,
            silent=False,
            recurrence=Recurrence.ONCE,
            run_at=sent_at,
            time_of_day=None,
            weekdays=[],
            month_day=None,
            until=None,
            status=AdvisoryStatus.DONE,
            next_run_at=None,
            title=_title(advisory.text),
            created_at=sent_at - timedelta(hours=2),
            updated_at=sent_at,
        )
        runs = RunRepository(session)
        run = await runs.add_run(row.id, sent_at, RunStatus.RUNNING)
        assert run is not None
        targets = await self._residents_chats(session, area.code)
        await runs.add_deliveries(run.id, targets)
        for delivery in await runs.deliveries(run.id):
            await runs.set_delivery(delivery.id, status=DeliveryState.SENT, attempts=1)
        summary = {"total": len(targets), "sent": len(targets), "failed": 0, "inactive": 0}
        await runs.finish_run(run.id, {**summary, "uncertain": 0}, sent_at + timedelta(minutes=1))
