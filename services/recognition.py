"""Recognition: the police mark a tip as valuable ("tin có giá trị"), the resident who sent it is
thanked privately, and each month the ward thanks its residents publicly, with a number and no
names.

Anonymity: the reporter is reached only through the Sender, by their chat id, inside this
service. Nothing returned to the officer, posted to a group, written to the audit log or logged
names them; the audit row names the report, not the person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from services.access import Profile, police_areas
from services.areas import normalize_code
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.ports import DeliveryStatus, OutgoingMessage, Recipient
from services.reach import PersonReacher
from storage.dto import AreaDTO
from storage.models import ChatPurpose, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.community import HelpfulRepository
from storage.uow import Sessions, transaction

logger = logging.getLogger(__name__)

MAX_CODE = 32


@dataclass(frozen=True, slots=True)
class HelpfulOutcome:
    report_code: str
    already: bool
    """The tip had been marked before: nobody is thanked twice."""
    thanked: bool
    """The reporter got the private thank-you (False: unknown, left, or blocked the bot)."""


@dataclass(frozen=True, slots=True)
class PublishOutcome:
    area: AreaDTO
    count: int
    groups_reached: int
    groups_failed: int
    """Groups that refused it (the bot removed, the group gone): not tried again."""
    groups_later: int = 0
    """Groups Telegram could not take it from now (a 502, a flood wait): the outbox sends it
    to them again (services/reach.py)."""


def month_start(now: datetime, tz: tzinfo) -> datetime:
    """The first instant of ``now``'s calendar month in ``tz``, as an aware UTC datetime."""
    local = now.astimezone(tz)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


class RecognitionService:
    def __init__(
        self, sessions: Sessions, reacher: PersonReacher, *, tz: tzinfo, default_language: str
    ) -> None:
        self._sessions = sessions
        self._reacher = reacher
        self._tz = tz
        self._default_language = default_language

    @staticmethod
    def thanking_areas(actor: Profile) -> list[AreaDTO]:
        """The top-most areas where ``actor`` may thank (tips and residents' groups);
        PermissionDenied for anyone who is not police."""
        return police_areas(actor)

    @staticmethod
    def _may_mark(actor: Profile | None, area: AreaDTO | None) -> bool:
        if actor is None or actor.is_superadmin:
            return True
        return area is not None and actor.can(Role.POLICE, area)

    async def mark_helpful(
        self, report: int | str, actor: Profile | None = None
    ) -> HelpfulOutcome:
        """Mark a tip (by id, or by its code as residents and police see it) as valuable and
        thank its reporter privately. Police of the tip's area only; audited."""
        if actor is not None:
            police_areas(actor)
        async with transaction(self._sessions) as session:
            repo = HelpfulRepository(session)
            if isinstance(report, int):
                ref = await repo.report_by_id(report)
            else:
                code = report.strip()
                if not code or len(code) > MAX_CODE:
                    raise InvalidInput("thanks-code-invalid")
                ref = await repo.report_by_code(code)
            if ref is None:
                raise NotFound("thanks-report-not-found", code=str(report)[:MAX_CODE])
            area = await AreaRepository(session).get(ref.area_id) if ref.area_id else None
            if not self._may_mark(actor, area):
                raise PermissionDenied("thanks-not-yours", code=ref.code)
            if await repo.is_marked(ref.id):
                return HelpfulOutcome(ref.code, already=True, thanked=False)
            actor_id = actor.user.id if actor else None
            await repo.mark(ref, actor_id)
            await AuditRepository(session).add_for_report(
                "report.helpful", ref, actor_user_id=actor_id, after={"code": ref.code}
            )
            notice = await self._reacher.store(
                session,
                ref.reporter_user_id,
                OutgoingMessage("thanks-private", {"code": ref.code}),
                what="thanks",
                report_id=ref.id,
            )
        result = await self._reacher.deliver(notice)
        # Due again after a transient failure: the thank-you is on its way.
        thanked = result.ok or result.status is DeliveryStatus.RETRY_LATER
        logger.info("thanks for report %s: %s", ref.id, result.status.value)
        return HelpfulOutcome(ref.code, already=False, thanked=thanked)

    async def helpful_counts(
        self, area_ids: list[int], since: datetime, until: datetime
    ) -> dict[int, int]:
        """For each area: tips inside its subtree marked valuable in ``[since, until)``."""
        if since.tzinfo is None or until.tzinfo is None:
            raise ValueError("since/until must be timezone-aware")
        async with transaction(self._sessions) as session:
            areas = await AreaRepository(session).get_many(list(dict.fromkeys(area_ids)))
            repo = HelpfulRepository(session)
            return {a.id: await repo.count_in_subtree(a, since, until) for a in areas}

    async def publish_thanks(
        self,
        area: AreaDTO | str,
        actor: Profile | None = None,
        *,
        now: datetime | None = None,
    ) -> PublishOutcome:
        """Post "thank you for N valuable tips this month" to the residents' groups of the
        area (and of every area below it). Names nobody. Police of the area only; audited."""
        if actor is not None:
            police_areas(actor)
        now = now or datetime.now(UTC)
        since = month_start(now, self._tz)
        async with transaction(self._sessions) as session:
            areas = AreaRepository(session)
            root = (
                await areas.get_by_code(normalize_code(area))
                if isinstance(area, str)
                else await areas.get(area.id)
            )
            if root is None:
                raise NotFound("area-not-found", code=area if isinstance(area, str) else "")
            if actor is not None and not actor.can(Role.POLICE, root):
                raise PermissionDenied("thanks-area-not-yours", code=root.code)
            count = await HelpfulRepository(session).count_in_subtree(root, since, now)
            if count == 0:
                raise InvalidInput("thanks-nothing-yet", area=root.name)
            subtree_ids = [a.id for a in await areas.subtree(root)]
            groups = await ChatRepository(session).for_areas(subtree_ids, ChatPurpose.RESIDENTS)
            local = now.astimezone(self._tz)
            # A string: Fluent would group the year's digits ("2.026").
            args: dict[str, Any] = {
                "count": count, "area": root.name, "period": f"{local:%m/%Y}"
            }  # fmt: skip
            # Stored with the audit line, sent after the commit: a 502 delays a group's post,
            # never loses it.
            notices = [
                await self._reacher.store_for_chat(
                    session,
                    Recipient(
                        group.telegram_chat_id,
                        str(group.settings.get("language") or self._default_language),
                    ),
                    OutgoingMessage("thanks-public", args),
                    what="thanks-public",
                    report_id=None,
                )
                for group in groups
            ]
            await AuditRepository(session).add(
                "thanks.publish",
                actor_user_id=actor.user.id if actor else None,
                target_type="area",
                target_id=root.id,
                area_id=root.id,
                after={"count": count, "groups": len(groups), "since": since.isoformat()},
            )
        reached = failed = later = 0
        for notice in notices:
            result = await self._reacher.deliver(notice)
            if result.ok:
                reached += 1
            elif result.status is DeliveryStatus.RETRY_LATER:
                later += 1
            else:
                failed += 1
        return PublishOutcome(root, count, reached, failed, later)
