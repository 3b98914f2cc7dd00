"""Scam look-ups ("Anyone can check a phone number, bank account or link against known scam
reports"), police confirmation, and automatic warnings in linked groups.

What a look-up may show (the one rule, used by every surface that answers one): an indicator
is known only when a resident gave it as the scammer's (the fraud-details step, where they
untick what is theirs) or an officer confirmed that very indicator; a number found only in a
description may be the victim's own and stays with the police.  The answer never ties a report
to its reporter: one person's report has no ward and no date; wards appear from two different
people on (a linked Telegram and Zalo account is one person).  "Nothing known" is never "safe":
the surface words it as "nobody has reported it" (:mod:`services.scam_answers`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services import rate_limits
from services.access import Profile
from services.chat_settings import switch_chat_setting
from services.conversation import Conversations, Flow, StaleStep
from services.errors import InvalidInput, NotFound, PermissionDenied
from services.groups import linked_chat
from services.indicators import Indicator, IndicatorKind, extract_indicators, normalize_any
from services.ports import RateLimiter
from storage.dto import AreaDTO
from storage.hotpath import HotPath, SessionHotPath
from storage.models import AreaKind, Role
from storage.rate_limits import DatabaseRateLimiter
from storage.repositories.areas import AreaRepository, read_areas
from storage.repositories.audit import AuditRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.indicators import (
    IndicatorDTO,
    IndicatorRepository,
    PublicReports,
    read_summary,
)
from storage.types import utcnow
from storage.uow import Session, Sessions, transaction

GROUP_SETTING = "scam_warnings"
"""Key in ``chats.settings``: automatic warnings for police-confirmed indicators (default on)."""

MAX_LOOKUP_CHARS = 4096
MAX_SCAN_CHARS = 4096
"""Group messages longer than this are only scanned up to here (keeps the handler cheap)."""


@dataclass(frozen=True, slots=True)
class ScamLookup:
    indicator: Indicator
    """What was looked up, in canonical form (kind, value, display)."""
    indicator_id: int | None
    """Only when the answer may name it (someone gave it as the scammer's, or it is
    confirmed): police get their confirm button from it."""
    people: int
    """Different people who gave it as the scammer's in live (not rejected) reports."""
    wards: tuple[str | None, ...]
    """Their wards ("Phường Thống Nhất, Thành phố Nam Định"; None = report without area), most
    people first; empty unless two people or more reported it."""
    confirmed_at: datetime | None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def known(self) -> bool:
        return self.people > 0 or self.confirmed


@dataclass(frozen=True, slots=True)
class ConfirmOutcome:
    indicator: IndicatorDTO
    changed: bool
    """False when it already was in the requested state (nothing written, nothing audited)."""


@dataclass(frozen=True, slots=True)
class GroupWarningsOutcome:
    enabled: bool
    changed: bool


AREA_NAMES_TTL_S = 60.0
"""Area names in look-up answers may lag a rename by this long: areas change rarely, and a
look-up should cost one statement, not two (the p99 target is 1 ms)."""


class _AreaNames:
    """Areas by id for the look-up's ward names, kept for :data:`AREA_NAMES_TTL_S`."""

    def __init__(self, hot: HotPath) -> None:
        self._hot = hot
        self._known: dict[int, AreaDTO] = {}
        self._until = 0.0

    async def get(self, ids: Sequence[int]) -> dict[int, AreaDTO]:
        now = time.monotonic()
        if now > self._until:
            self._known.clear()
            self._until = now + AREA_NAMES_TTL_S
        missing = [i for i in dict.fromkeys(ids) if i not in self._known]
        if missing:
            self._known.update({a.id: a for a in await read_areas(self._hot, missing)})
        return {i: self._known[i] for i in ids if i in self._known}


WARDS_FROM = 2
"""Wards are named from this many different people on: one resident's ward (with the bot's
answer coming right after their tip) would point at them."""


async def _ward_names(names: _AreaNames, reports: Sequence[PublicReports]) -> list[str | None]:
    """The wards (the level residents recognise) the reports came from, most people first;
    found through the report areas' paths."""
    wanted = [r.area_id for r in reports if r.area_id is not None]
    for item in reports:
        if item.area_path:
            wanted += [int(p) for p in item.area_path.strip("/").split("/") if p]
    known = await names.get(wanted)

    def label(area: AreaDTO) -> str:
        lineage = [known[i] for i in area.ancestor_ids if i in known]
        ward_depth = AreaKind.WARD.depth
        at_or_above = [a for a in lineage if a.kind.depth <= ward_depth]
        chosen = at_or_above[-1] if at_or_above else area
        parent = known.get(chosen.parent_id) if chosen.parent_id is not None else None
        if chosen.kind is AreaKind.WARD and parent is not None:
            return f"{chosen.name}, {parent.name}"
        return chosen.name

    people: dict[str | None, set[int]] = {}
    for item in reports:
        area = known.get(item.area_id) if item.area_id is not None else None
        people.setdefault(label(area) if area is not None else None, set()).add(item.person)
    ordered = sorted(people.items(), key=lambda kv: (-len(kv[1]), kv[0] is None, kv[0] or ""))
    return [name for name, _ in ordered]


@dataclass(frozen=True, slots=True)
class NumberWait:
    """/kiemtra without anything to check (private chat): the next text is what to check.
    The flow's one step; it lasts :data:`NUMBER_WAIT` (services/conversation.py)."""

    step: str = "number"

    def to_data(self) -> dict[str, Any]:
        return {}


NUMBER_WAIT = timedelta(minutes=10)
CHECK_WAIT: Flow[NumberWait] = Flow("scam_check", lambda _step, _data: NumberWait(), NUMBER_WAIT)


class ScamService:
    def __init__(
        self,
        sessions: Sessions,
        *,
        hot: HotPath | None = None,
        limiter: RateLimiter | None = None,
        conversations: Conversations | None = None,
    ) -> None:
        self._sessions = sessions
        self._conversations = conversations or Conversations(sessions)
        self._hot = hot or SessionHotPath(sessions)
        self._limiter = limiter or DatabaseRateLimiter(self._hot)
        self._area_names = _AreaNames(self._hot)

    # -- the wait for something to check ------------------------------------------------------

    async def wait_for_number(self, user_id: int) -> None:
        await self._conversations.begin(CHECK_WAIT, user_id, NumberWait())

    async def take_wait(self, user_id: int) -> bool:
        """The person's next text ends the wait: True if it was awaited (and not expired)."""
        turn = await self._conversations.current(CHECK_WAIT, user_id)
        if turn is None:
            return False
        try:
            await self._conversations.finish(CHECK_WAIT, user_id, turn)
        except StaleStep:  # taken by a message handled at the same moment
            return False
        return True

    # -- public look-up ------------------------------------------------------------------------

    @staticmethod
    def parse(raw: str) -> Indicator | None:
        """The indicator a user typed, or None when it is not a phone/account/link/profile."""
        if not isinstance(raw, str) or not raw.strip() or len(raw) > MAX_LOOKUP_CHARS:
            return None
        return normalize_any(raw)

    async def lookup(self, raw: str, *, by: int) -> ScamLookup | None:
        """What is known about a phone number, bank account, link or social profile, asked
        by the person ``by`` (users.id; held to :data:`~services.rate_limits.LOOKUPS`, on
        every channel together, so the answers cannot be harvested by walking a range).

        None when ``raw`` is none of those; otherwise a result (``known`` False when nobody
        reported it).  Reporters are never part of the answer.
        """
        indicator = self.parse(raw)
        if indicator is None:
            return None
        await rate_limits.require(self._limiter, rate_limits.LOOKUPS, f"user:{by}")
        summary = await read_summary(self._hot, indicator.kind, indicator.value)
        people = summary.people if summary is not None else 0
        confirmed_at = summary.indicator.confirmed_at if summary is not None else None
        if summary is None or not (people or confirmed_at):
            return ScamLookup(indicator, None, 0, (), None)
        wards = (
            await _ward_names(self._area_names, summary.reports) if people >= WARDS_FROM else []
        )
        found = summary.indicator
        return ScamLookup(
            indicator=Indicator(found.kind, found.value, indicator.display or found.display),
            indicator_id=found.id,
            people=people,
            wards=tuple(wards),
            confirmed_at=confirmed_at,
        )

    # -- recording free text (for the police only) ----------------------------------------------

    async def record_from_text(
        self, report_id: int, text: str, area_id: int | None = None
    ) -> list[Indicator]:
        """Extract the indicators of a report's text and link them to the report, for the
        police only (free text: nobody said whose they are)."""
        found = extract_indicators(text)
        if found:
            async with transaction(self._sessions) as session:
                await IndicatorRepository(session).link_report(report_id, area_id, found)
        return found

    # -- police confirmation ---------------------------------------------------------------------

    async def confirm(
        self, target: int | str, actor: Profile, *, confirmed: bool = True
    ) -> ConfirmOutcome:
        """Mark an indicator (by id or any written form) as a police-confirmed scam, or undo it.

        Allowed for police/admins of an area of a report that mentions it (or super-admins).
        """
        async with transaction(self._sessions) as session:
            repo = IndicatorRepository(session)
            indicator = await self._resolve(repo, target)
            area = await self._authorised_area(session, repo, indicator, actor)
            if indicator.confirmed == confirmed:
                return ConfirmOutcome(indicator, changed=False)
            after = await repo.set_confirmed(
                indicator.id, at=utcnow() if confirmed else None, by_user_id=actor.user.id
            )
            await AuditRepository(session).add(
                "scam.confirm" if confirmed else "scam.unconfirm",
                actor_user_id=actor.user.id,
                target_type="indicator",
                target_id=indicator.id,
                area_id=area.id if area else None,
                before={"confirmed": indicator.confirmed},
                after={"confirmed": confirmed, "kind": indicator.kind.value},
            )
            return ConfirmOutcome(after, changed=True)

    @staticmethod
    async def _resolve(repo: IndicatorRepository, target: int | str) -> IndicatorDTO:
        found: IndicatorDTO | None
        if isinstance(target, int):
            found = await repo.get_by_id(target)
        else:
            parsed = normalize_any(target) if len(target) <= MAX_LOOKUP_CHARS else None
            if parsed is None:
                raise InvalidInput("scam-check-unparseable")
            found = await repo.get(parsed.kind, parsed.value)
        if found is None:
            raise NotFound("scam-not-reported")
        return found

    @staticmethod
    async def _authorised_area(
        session: Session, repo: IndicatorRepository, indicator: IndicatorDTO, actor: Profile
    ) -> AreaDTO | None:
        area_ids = [a for a in await repo.report_area_ids(indicator.id) if a is not None]
        areas = await AreaRepository(session).get_many(sorted(set(area_ids)))
        for area in areas:
            if actor.can(Role.POLICE, area):
                return area
        if actor.is_superadmin:
            return areas[0] if areas else None
        raise PermissionDenied("scam-confirm-denied")

    # -- group warnings --------------------------------------------------------------------------

    async def confirmed_in_text(self, text: str) -> list[IndicatorDTO]:
        """Police-confirmed indicators mentioned in ``text`` (one query; none if none found)."""
        found = extract_indicators(text[:MAX_SCAN_CHARS]) if isinstance(text, str) else []
        if not found:
            return []
        async with transaction(self._sessions) as session:
            return await IndicatorRepository(session).confirmed_among(found)

    find_confirmed_in_text = confirmed_in_text

    async def warnings_for_group_message(
        self, telegram_chat_id: int, text: str
    ) -> list[IndicatorDTO]:
        """Confirmed indicators to warn about in a group message: only in groups linked to an
        area with warnings on.  Extraction happens first, so most messages never touch the DB."""
        found = extract_indicators(text[:MAX_SCAN_CHARS]) if isinstance(text, str) else []
        if not found:
            return []
        async with transaction(self._sessions) as session:
            chat = await ChatRepository(session).get(telegram_chat_id)
            if chat is None or chat.area_id is None or not chat.active:
                return []
            if not chat.settings.get(GROUP_SETTING, True):
                return []
            return await IndicatorRepository(session).confirmed_among(found)

    async def set_group_warnings(
        self, telegram_chat_id: int, enabled: bool | None, actor: Profile
    ) -> GroupWarningsOutcome:
        """Turn automatic warnings on/off in a linked group (``enabled`` None: just report)."""
        async with transaction(self._sessions) as session:
            chat, _ = await linked_chat(
                session,
                telegram_chat_id,
                actor,
                Role.MODERATOR,
                "scam-toggle-denied",
                "scam-toggle-not-linked",
            )
            value, changed = await switch_chat_setting(
                session, chat, actor, "scam.group_warnings", GROUP_SETTING, True, enabled
            )
            return GroupWarningsOutcome(value, changed=changed)


__all__ = [
    "GROUP_SETTING",
    "ConfirmOutcome",
    "GroupWarningsOutcome",
    "IndicatorKind",
    "ScamLookup",
    "ScamService",
]
