"""Onboarding: a QR code per area leads a resident to their tổ dân phố in one step; residents
change their home area and follow their area's advisories by direct message.

A deep link ``https://t.me/<bot>?start=<area code>`` carries the area code as the /start
payload; Telegram allows ``[A-Za-z0-9_-]{1,64}`` there, which every area code satisfies
(services.areas.CODE_PATTERN is stricter).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from services.access import Profile, police_areas
from services.areas import area_by_code
from services.errors import InvalidInput, NotFound, PermissionDenied
from storage.dto import AreaDTO
from storage.models import AreaKind, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.community import SubscriptionRepository
from storage.repositories.users import UserRepository
from storage.uow import Session, Sessions, transaction

PAYLOAD_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_POSTERS = 2000
"""A whole province has a few thousand tổ dân phố at most; more is a wrong code."""


def deep_link(bot_username: str, area_code: str) -> str:
    return f"https://t.me/{bot_username.lstrip('@')}?start={area_code}"


@dataclass(frozen=True, slots=True)
class AreaPlace:
    """An area with its ancestors (root first), for "Tổ dân phố 1, Phường Thống Nhất, …"."""

    area: AreaDTO
    lineage: tuple[AreaDTO, ...]

    @property
    def full_name(self) -> str:
        """The area and its ancestors, nearest first. The province is left out when a
        district/city is named: "Thành phố Nam Định" already says where it is."""
        chain = list(reversed(self.lineage))
        has_district = any(a.kind is AreaKind.DISTRICT for a in chain)
        kept = [a for a in chain if not (has_district and a.kind is AreaKind.PROVINCE)]
        return ", ".join(a.name for a in kept)

    @property
    def parents_name(self) -> str:
        """Like :attr:`full_name` without the area itself (the poster's second line)."""
        return AreaPlace(self.area, self.lineage[:-1]).full_name if len(self.lineage) > 1 else ""


@dataclass(frozen=True, slots=True)
class HomeAreaChange:
    place: AreaPlace
    previous_area_id: int | None
    subscription_moved: bool


@dataclass(frozen=True, slots=True)
class SubscribeResult:
    place: AreaPlace
    created: bool


@dataclass(frozen=True, slots=True)
class Subscriber:
    user_id: int
    telegram_id: int
    locale: str


async def _place(session: Session, area: AreaDTO) -> AreaPlace:
    lineage = await AreaRepository(session).get_many(area.ancestor_ids)
    return AreaPlace(area, tuple(lineage))


async def home_place(session: Session, user_id: int) -> AreaPlace | None:
    """The user's home area with its lineage, inside the caller's transaction."""
    user = await UserRepository(session).get(user_id)
    if user is None or user.home_area_id is None:
        return None
    area = await AreaRepository(session).get(user.home_area_id)
    return await _place(session, area) if area else None


class OnboardingService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def resolve_payload(self, payload: str) -> AreaPlace | None:
        """The area a /start payload names, or None (malformed, or no such area)."""
        if not PAYLOAD_PATTERN.match(payload):
            return None
        async with transaction(self._sessions) as session:
            area = await AreaRepository(session).get_by_code(payload.upper())
            return await _place(session, area) if area else None

    async def place(self, area_id: int) -> AreaPlace | None:
        async with transaction(self._sessions) as session:
            area = await AreaRepository(session).get(area_id)
            return await _place(session, area) if area else None

    async def home_of(self, user_id: int) -> AreaPlace | None:
        async with transaction(self._sessions) as session:
            return await home_place(session, user_id)

    async def set_home_area(self, user_id: int, area_id: int) -> HomeAreaChange:
        """Set the resident's tổ dân phố. A subscription to the old home area follows them."""
        async with transaction(self._sessions) as session:
            area = await AreaRepository(session).get(area_id)
            if area is None:
                raise NotFound("onb-area-gone")
            users = UserRepository(session)
            user = await users.get(user_id)
            assert user is not None  # the identify pre-handler created them
            previous = user.home_area_id
            await users.set_home_area(user_id, area.id)
            moved = False
            subscriptions = SubscriptionRepository(session)
            if previous is not None and previous != area.id:
                followed = await subscriptions.areas_of(user_id)
                if previous in followed:
                    await subscriptions.remove_all(user_id)
                    await subscriptions.add(user_id, area.id)
                    moved = True
            return HomeAreaChange(await _place(session, area), previous, moved)

    @staticmethod
    def poster_areas(actor: Profile) -> list[AreaDTO]:
        """The top-most areas ``actor`` may print posters for; PermissionDenied for anyone
        who is not police."""
        return police_areas(actor)

    async def poster_targets(self, code: str, actor: Profile | None = None) -> list[AreaPlace]:
        """Areas that get a poster for ``code``: every tổ dân phố below it, or the area itself
        when it has none (a tổ dân phố, or a ward not split yet). ``actor`` None: the CLI;
        anyone else must be police (of the area, checked once it is known)."""
        if actor is not None:
            police_areas(actor)
        async with transaction(self._sessions) as session:
            repo = AreaRepository(session)
            root = await area_by_code(repo, code)
            if actor is not None and not actor.can(Role.POLICE, root):
                raise PermissionDenied("onb-qr-not-yours", code=root.code)
            subtree = await repo.subtree(root)
            groups = [a for a in subtree if a.kind is AreaKind.RESIDENTIAL_GROUP]
            targets = groups or [root]
            if len(targets) > MAX_POSTERS:
                raise InvalidInput("onb-qr-too-many-cli", count=len(targets), limit=MAX_POSTERS)
            by_id = {a.id: a for a in await repo.get_many(root.ancestor_ids)}
            by_id.update({a.id: a for a in subtree})
            return [
                AreaPlace(a, tuple(by_id[i] for i in a.ancestor_ids if i in by_id))
                for a in targets
            ]


class SubscriptionService:
    """Residents not in any group follow their area's advisories by direct message."""

    def __init__(self, sessions: Sessions, *, default_language: str) -> None:
        self._sessions = sessions
        self._default_language = default_language

    async def subscribe(self, user_id: int) -> SubscribeResult:
        async with transaction(self._sessions) as session:
            home = await home_place(session, user_id)
            if home is None:
                raise InvalidInput("onb-need-area")
            repo = SubscriptionRepository(session)
            followed = await repo.areas_of(user_id)
            if followed == [home.area.id]:
                return SubscribeResult(home, created=False)
            await repo.remove_all(user_id)
            await repo.add(user_id, home.area.id)
            return SubscribeResult(home, created=True)

    async def unsubscribe(self, user_id: int) -> bool:
        """False when there was nothing to stop."""
        async with transaction(self._sessions) as session:
            return bool(await SubscriptionRepository(session).remove_all(user_id))

    async def is_subscribed(self, user_id: int) -> bool:
        async with transaction(self._sessions) as session:
            return bool(await SubscriptionRepository(session).areas_of(user_id))

    async def subscribers_for_areas(self, area_ids: Sequence[int]) -> list[Subscriber]:
        """Who should get, by direct message, an advisory sent to these areas: residents
        following any area inside them (a ward's advisory reaches its tổ dân phố's
        subscribers). Users who blocked the bot are left out; each user appears once."""
        async with transaction(self._sessions) as session:
            areas = await AreaRepository(session).get_many(list(dict.fromkeys(area_ids)))
            rows = await SubscriptionRepository(session).in_subtrees(areas)
        return [
            Subscriber(r.user_id, r.telegram_id, r.language or self._default_language)
            for r in rows
        ]
