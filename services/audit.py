"""Reading the audit log: paged for moderators and officers (their areas only; the police's
work on tips only for the police: services.tip_exposure), exported for the operator.

Actors are shown by name only when they hold a role (or are a super-admin): an entry written
on behalf of a resident — a tipster, say — shows "a resident", so the log never reveals who
sent a tip.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from services.access import Profile
from services.areas import area_by_code, local_names
from services.errors import PermissionDenied
from services.spreadsheet import safe_cell
from services.text_input import whole_number
from services.tip_exposure import tip_log_paths
from storage.models import Role
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditChoiceReader, AuditReader, AuditRowDTO
from storage.repositories.chats import ChatRepository
from storage.uow import Session, Sessions, transaction

PAGE_SIZE = 10
EXPORT_LIMIT = 100_000


class ActorKind:
    SYSTEM = "system"
    RESIDENT = "resident"
    NAMED = "named"


@dataclass(frozen=True, slots=True)
class AuditEntryView:
    id: int
    when: str
    """Local time (settings.tz), dd/mm/yyyy HH:MM."""
    action: str
    actor_kind: str
    actor_name: str
    area: str
    target_type: str
    """What was acted on ("report", "review_item"...; empty for a person: never named)."""
    target_id: str


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: list[AuditEntryView]
    page: int
    has_more: bool


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What the console's log page narrows to (every field optional)."""

    action: str = ""
    """An action code, or a family of them ending with a dot ("advisory.")."""
    actor_user_id: int | None = None
    area_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditChoices:
    """What the filters offer: codes and people found in the caller's part of the log."""

    actions: list[str]
    actors: list[tuple[int, str]]


async def _group_titles(session: Session, rows: list[AuditRowDTO]) -> dict[str, str]:
    """A group acted on is named by its title ("An ninh TDP 1"), not its Telegram id."""
    chats = ChatRepository(session)
    titles = {}
    for row in rows:
        if row.target_type == "chat" and row.target_id and row.target_id not in titles:
            chat_id = whole_number(row.target_id, signed=True)
            chat = await chats.get(chat_id) if chat_id is not None else None
            titles[row.target_id] = (
                f"«{chat.title}»" if chat is not None and chat.title else f"#{row.target_id}"
            )
    return titles


def _json_cell(value: object) -> str:
    return json.dumps(value, ensure_ascii=False) if value is not None else ""


class AuditService:
    def __init__(
        self, sessions: Sessions, *, tz: ZoneInfo, superadmin_ids: frozenset[int]
    ) -> None:
        self._sessions = sessions
        self._tz = tz
        self._superadmins = superadmin_ids

    def _actor(self, row: AuditRowDTO) -> tuple[str, str]:
        if row.actor_user_id is None:
            return ActorKind.SYSTEM, ""
        privileged = row.actor_has_role or (
            row.actor_telegram_id is not None and row.actor_telegram_id in self._superadmins
        )
        if not privileged:
            return ActorKind.RESIDENT, ""
        return ActorKind.NAMED, row.actor_name or f"#{row.actor_user_id}"

    def _local(self, when: datetime) -> datetime:
        return when.astimezone(self._tz)

    def _view(self, row: AuditRowDTO, area_name: str, target: str | None = None) -> AuditEntryView:
        """``target``: how to name what was acted on, when not by its id (a group's title)."""
        kind, name = self._actor(row)
        shown = bool(row.target_type) and row.target_type != "user"
        return AuditEntryView(
            id=row.id,
            when=self._local(row.created_at).strftime("%d/%m/%Y %H:%M"),
            action=row.action,
            actor_kind=kind,
            actor_name=name,
            area=area_name,
            target_type=(row.target_type or "") if shown else "",
            target_id=(target or str(row.target_id or "")) if shown else "",
        )

    @staticmethod
    def _paths(profile: Profile) -> list[str] | None:
        """The caller's part of the log (moderator or stronger), or the refusal."""
        if not profile.has_any(Role.MODERATOR):
            raise PermissionDenied("audit-not-allowed")
        if profile.is_superadmin:
            return None
        return [a.path for a in profile.areas_for(Role.MODERATOR)]

    async def page(self, profile: Profile, page: int = 0) -> AuditPage:
        """Recent entries of the caller's areas (moderator or stronger), newest first."""
        return await self.search(profile, AuditFilter(), page)

    async def search(
        self, profile: Profile, f: AuditFilter, page: int = 0, *, page_size: int = PAGE_SIZE
    ) -> AuditPage:
        """Entries of the caller's areas that match ``f``, newest first (an area outside
        them is refused, not widened)."""
        page = max(0, page)
        views = await self._views(profile, f, offset=page * page_size, limit=page_size + 1)
        return AuditPage(views[:page_size], page, len(views) > page_size)

    async def entries(self, profile: Profile, f: AuditFilter) -> list[AuditEntryView]:
        """Every matching entry (up to the export limit) for a file, oldest first."""
        return list(reversed(await self._views(profile, f, offset=0, limit=EXPORT_LIMIT)))

    async def _views(
        self, profile: Profile, f: AuditFilter, *, offset: int, limit: int
    ) -> list[AuditEntryView]:
        paths = self._paths(profile)
        async with transaction(self._sessions) as session:
            if f.area_id is not None:
                area = await AreaRepository(session).get(f.area_id)
                if area is None or not profile.can(Role.MODERATOR, area):
                    raise PermissionDenied("web-area-not-yours")
                paths = [area.path]
            rows = await AuditReader(session).page(
                area_paths=paths,
                report_paths=tip_log_paths(profile),
                since=f.since,
                until=f.until,
                action=f.action or None,
                actor_user_id=f.actor_user_id,
                offset=offset,
                limit=limit,
            )
            # A tổ dân phố with its ward: there is a "Tổ 3" in every ward.
            names = await local_names(
                AreaRepository(session), [r.area_id for r in rows if r.area_id is not None]
            )
            titles = await _group_titles(session, rows)
        return [
            self._view(
                r,
                names.get(r.area_id, r.area_name or "") if r.area_id else "",
                titles.get(r.target_id or ""),
            )
            for r in rows
        ]

    async def choices(self, profile: Profile) -> AuditChoices:
        paths = self._paths(profile)
        async with transaction(self._sessions) as session:
            reader = AuditChoiceReader(session)
            return AuditChoices(
                await reader.actions(area_paths=paths), await reader.actors(area_paths=paths)
            )

    async def export(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        area_code: str | None = None,
        fmt: str = "csv",
    ) -> str:
        """The operator's export (CSV or JSON), times in local time with their offset."""
        async with transaction(self._sessions) as session:
            paths = None
            if area_code:
                area = await area_by_code(AreaRepository(session), area_code)
                paths = [area.path]
            rows = await AuditReader(session).page(
                area_paths=paths, since=since, until=until, limit=EXPORT_LIMIT
            )
        rows.reverse()  # oldest first reads naturally in a spreadsheet
        records = []
        for row in rows:
            kind, name = self._actor(row)
            records.append(
                {
                    "id": row.id,
                    "time": self._local(row.created_at).isoformat(timespec="seconds"),
                    "action": row.action,
                    "actor": name or kind,
                    "area": row.area_code or "",
                    "target_type": row.target_type or "",
                    "target_id": row.target_id or "",
                    "before": row.before,
                    "after": row.after,
                }
            )
        if fmt == "json":
            return json.dumps(records, ensure_ascii=False, indent=2)
        out = io.StringIO()
        writer = csv.DictWriter(
            out,
            fieldnames=list(records[0])
            if records
            else [
                "id",
                "time",
                "action",
                "actor",
                "area",
                "target_type",
                "target_id",
                "before",
                "after",
            ],
        )
        writer.writeheader()
        for record in records:
            cells = {
                **record,
                "before": _json_cell(record["before"]),
                "after": _json_cell(record["after"]),
            }
            writer.writerow({key: safe_cell(value) for key, value in cells.items()})
        return out.getvalue()
