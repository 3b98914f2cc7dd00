"""Community tables: subscriptions, area contacts, FAQ entries, helpful-tip marks.

Also the two narrow reads of tables owned elsewhere that community features need (a report by
its code, residents' groups of a subtree), so those features stay within this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dto import AreaDTO, from_row
from storage.models import (
    Area,
    AreaContact,
    AreaSubscription,
    ContactRole,
    FaqEntry,
    HelpfulReport,
    Report,
    User,
)
from storage.repositories.areas import to_dto as area_dto
from storage.types import is_row_id


@dataclass(frozen=True, slots=True)
class ContactDTO:
    id: int
    area_id: int
    role: ContactRole
    name: str
    rank: str
    phone: str
    updated_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {"role": self.role.value, "name": self.name, "rank": self.rank, "phone": self.phone}


@dataclass(frozen=True, slots=True)
class FaqDTO:
    id: int
    slug: str
    position: int
    question_vi: str
    answer_vi: str
    question_en: str
    answer_en: str
    keywords: str
    active: bool

    def question(self, locale: str) -> str:
        return self.question_en if locale == "en" and self.question_en else self.question_vi

    def answer(self, locale: str) -> str:
        return self.answer_en if locale == "en" and self.answer_en else self.answer_vi

    def as_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "position": self.position,
            "question_vi": self.question_vi,
            "answer_vi": self.answer_vi,
            "question_en": self.question_en,
            "answer_en": self.answer_en,
            "keywords": self.keywords,
            "active": self.active,
        }


FAQ_FIELDS = ("position", "question_vi", "answer_vi", "question_en", "answer_en", "keywords")


@dataclass(frozen=True, slots=True)
class SubscriberDTO:
    user_id: int
    telegram_id: int
    language: str | None
    area_id: int


@dataclass(frozen=True, slots=True)
class ReportRef:
    """What recognition needs of a report; the reporter stays a bare id inside services."""

    id: int
    code: str
    area_id: int | None
    reporter_user_id: int | None
    anonymous: bool


def _in_subtrees(areas: Sequence[AreaDTO]) -> Any:
    return or_(*(Area.path.startswith(a.path) for a in areas))


class SubscriptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, user_id: int, area_id: int) -> bool:
        """False when the user already follows this area."""
        existing = await self._session.scalar(
            select(AreaSubscription.id).where(
                AreaSubscription.user_id == user_id, AreaSubscription.area_id == area_id
            )
        )
        if existing is not None:
            return False
        self._session.add(AreaSubscription(user_id=user_id, area_id=area_id))
        await self._session.flush()
        return True

    async def remove_all(self, user_id: int) -> list[int]:
        """Drop every subscription of the user; returns the areas they followed."""
        area_ids = list(
            await self._session.scalars(
                select(AreaSubscription.area_id).where(AreaSubscription.user_id == user_id)
            )
        )
        if area_ids:
            await self._session.execute(
                delete(AreaSubscription).where(AreaSubscription.user_id == user_id)
            )
        return area_ids

    async def areas_of(self, user_id: int) -> list[int]:
        rows = await self._session.scalars(
            select(AreaSubscription.area_id)
            .where(AreaSubscription.user_id == user_id)
            .order_by(AreaSubscription.id)
        )
        return list(rows)

    async def in_subtrees(self, areas: Sequence[AreaDTO]) -> list[SubscriberDTO]:
        """Reachable subscribers of any area inside the given areas' subtrees, once each."""
        if not areas:
            return []
        rows = await self._session.execute(
            select(User.id, User.telegram_id, User.language, AreaSubscription.area_id)
            .join(AreaSubscription, AreaSubscription.user_id == User.id)
            .join(Area, Area.id == AreaSubscription.area_id)
            .where(_in_subtrees(areas), User.telegram_id.is_not(None), User.blocked_bot.is_(False))
            .order_by(User.id)
        )
        seen: dict[int, SubscriberDTO] = {}
        for user_id, telegram_id, language, area_id in rows:
            seen.setdefault(user_id, SubscriberDTO(user_id, telegram_id, language, area_id))
        return list(seen.values())


class ContactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, area_id: int, role: ContactRole) -> ContactDTO | None:
        if not is_row_id(area_id):
            return None
        row = await self._session.scalar(
            select(AreaContact).where(AreaContact.area_id == area_id, AreaContact.role == role)
        )
        return from_row(ContactDTO, row) if row else None

    async def upsert(
        self,
        area_id: int,
        role: ContactRole,
        *,
        name: str,
        rank: str,
        phone: str,
        actor_user_id: int | None,
    ) -> tuple[ContactDTO | None, ContactDTO]:
        """Returns (before, after)."""
        row = await self._session.scalar(
            select(AreaContact).where(AreaContact.area_id == area_id, AreaContact.role == role)
        )
        before = from_row(ContactDTO, row) if row else None
        if row is None:
            row = AreaContact(area_id=area_id, role=role)
            self._session.add(row)
        row.name, row.rank, row.phone = name, rank, phone
        row.updated_by_user_id = actor_user_id
        await self._session.flush()
        return before, from_row(ContactDTO, row)

    async def remove(self, area_id: int, role: ContactRole) -> ContactDTO | None:
        row = await self._session.scalar(
            select(AreaContact).where(AreaContact.area_id == area_id, AreaContact.role == role)
        )
        if row is None:
            return None
        before = from_row(ContactDTO, row)
        await self._session.delete(row)
        await self._session.flush()
        return before

    async def for_areas(self, area_ids: Sequence[int]) -> list[ContactDTO]:
        if not area_ids:
            return []
        rows = await self._session.scalars(
            select(AreaContact).where(AreaContact.area_id.in_(area_ids))
        )
        return [from_row(ContactDTO, r) for r in rows]

    async def in_subtree(self, root: AreaDTO | None) -> list[tuple[AreaDTO, ContactDTO]]:
        query = select(AreaContact, Area).join(Area, Area.id == AreaContact.area_id)
        if root is not None:
            query = query.where(Area.path.startswith(root.path))
        rows = await self._session.execute(query.order_by(Area.path, AreaContact.role))
        return [(area_dto(a), from_row(ContactDTO, c)) for c, a in rows]


class FaqRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count(FaqEntry.id))) or 0)

    async def list(self, *, include_inactive: bool = False) -> list[FaqDTO]:
        query = select(FaqEntry)
        if not include_inactive:
            query = query.where(FaqEntry.active.is_(True))
        rows = await self._session.scalars(query.order_by(FaqEntry.position, FaqEntry.id))
        return [from_row(FaqDTO, r) for r in rows]

    async def get(self, entry_id: int) -> FaqDTO | None:
        if not is_row_id(entry_id):
            return None
        row = await self._session.get(FaqEntry, entry_id)
        return from_row(FaqDTO, row) if row else None

    async def get_by_slug(self, slug: str) -> FaqDTO | None:
        row = await self._session.scalar(select(FaqEntry).where(FaqEntry.slug == slug))
        return from_row(FaqDTO, row) if row else None

    async def upsert(
        self, slug: str, fields: dict[str, Any], *, actor_user_id: int | None
    ) -> tuple[FaqDTO | None, FaqDTO]:
        """Create or update by slug; only the given fields change. Returns (before, after)."""
        row = await self._session.scalar(select(FaqEntry).where(FaqEntry.slug == slug))
        before = from_row(FaqDTO, row) if row else None
        if row is None:
            row = FaqEntry(
                slug=slug,
                position=100,
                question_en="",
                answer_en="",
                keywords="",
                active=True,
            )
            self._session.add(row)
        for key, value in fields.items():
            setattr(row, key, value)
        row.updated_by_user_id = actor_user_id
        await self._session.flush()
        return before, from_row(FaqDTO, row)


class HelpfulRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def report_by_code(self, code: str) -> ReportRef | None:
        row = await self._session.scalar(
            select(Report).where(Report.code.in_({code.strip(), code.strip().upper()}))
        )
        if row is None:
            return None
        return ReportRef(row.id, row.code, row.area_id, row.reporter_user_id, row.anonymous)

    async def report_by_id(self, report_id: int) -> ReportRef | None:
        row = await self._session.get(Report, report_id)
        if row is None:
            return None
        return ReportRef(row.id, row.code, row.area_id, row.reporter_user_id, row.anonymous)

    async def is_marked(self, report_id: int) -> bool:
        found = await self._session.scalar(
            select(HelpfulReport.id).where(HelpfulReport.report_id == report_id)
        )
        return found is not None

    async def mark(self, report: ReportRef, actor_user_id: int | None) -> None:
        self._session.add(
            HelpfulReport(
                report_id=report.id, area_id=report.area_id, marked_by_user_id=actor_user_id
            )
        )
        await self._session.flush()

    async def count_in_subtree(self, root: AreaDTO, since: datetime, until: datetime) -> int:
        return int(
            await self._session.scalar(
                select(func.count(HelpfulReport.id))
                .join(Area, Area.id == HelpfulReport.area_id)
                .where(
                    Area.path.startswith(root.path),
                    HelpfulReport.created_at >= since,
                    HelpfulReport.created_at < until,
                )
            )
            or 0
        )
