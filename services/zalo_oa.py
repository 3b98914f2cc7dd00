"""Channel-neutral rules for the Zalo Official Account: who its followers are, when the OA
may still answer them, their tổ dân phố, and the groups the OA created, linked to areas.

* A follower (or anyone who writes to the OA) is a person, a ``users`` row made on first
  contact, like a Zalo bot user; their tổ dân phố is that person's home area, set the same
  way as on Telegram (OnboardingService): by an area code from a QR poster (``/start
  <code>``-style) or by their own choice. One home area per person, whatever the channel.
* Customer-service messages may only answer someone whose last interaction is at most
  :data:`CS_WINDOW` old (Zalo answers -230/-232 otherwise); the last interaction is the time
  the resident acted, as the event says, not when the event reached us (retries arrive late).
* A group the OA created is a ``chats`` row (type ``zalo_oa_group``, key in
  services.channels) and is linked to an area by GroupService.link, with its permission rule
  (police of that area, or the operator's CLI): advisories then count it like any residents'
  group. Groups residents made themselves cannot hold the OA (not documented by Zalo).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.access import Profile
from services.channels import oa_group_key
from services.groups import GroupService, LinkOutcome
from services.onboarding import AreaPlace, HomeAreaChange, OnboardingService
from services.zalo_oa_inbox import OaInbox
from services.zalo_oa_tokens import OaTokens
from storage.dto import AreaDTO
from storage.repositories.areas import AreaRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.zalo_oa import FollowerRow, OaFollowerRepository, OaGroupRepository
from storage.types import utcnow
from storage.uow import Sessions, transaction

CS_WINDOW = timedelta(days=7)
OA_GROUP_TYPE = "zalo_oa_group"

Follower = FollowerRow


class OaFollowers:
    def __init__(
        self,
        sessions: Sessions,
        onboarding: OnboardingService,
        *,
        clock: Callable[[], datetime] = utcnow,
        window: timedelta = CS_WINDOW,
    ) -> None:
        self._sessions = sessions
        self._onboarding = onboarding
        self._clock = clock
        self._window = window

    def _acted_at(self, at: datetime | None) -> datetime:
        """When the resident acted: the event's time, but never in the future (a clock
        ahead on Zalo's side must not stretch the window)."""
        now = self._clock()
        return min(at, now) if at is not None else now

    async def followed(self, oa_user_id: str, at: datetime | None = None) -> Follower:
        return await self._set_following(oa_user_id, True, at)

    async def unfollowed(self, oa_user_id: str, at: datetime | None = None) -> Follower:
        return await self._set_following(oa_user_id, False, at)

    async def _set_following(
        self, oa_user_id: str, following: bool, at: datetime | None
    ) -> Follower:
        when = self._acted_at(at)
        column = "followed_at" if following else "unfollowed_at"
        async with transaction(self._sessions) as session:
            repo = OaFollowerRepository(session)
            await repo.get_or_create(oa_user_id)
            return await repo.update(oa_user_id, following=following, **{column: when})

    async def interacted(self, oa_user_id: str, at: datetime | None = None) -> Follower:
        """The resident wrote to the OA (or sent a photo, a place...): the window reopens.
        A retried older event never moves the last interaction back."""
        when = self._acted_at(at)
        async with transaction(self._sessions) as session:
            repo = OaFollowerRepository(session)
            row = await repo.get_or_create(oa_user_id)
            if row.last_interaction_at is not None and row.last_interaction_at >= when:
                return row
            return await repo.update(oa_user_id, last_interaction_at=when)

    async def get(self, oa_user_id: str) -> Follower | None:
        async with transaction(self._sessions) as session:
            return await OaFollowerRepository(session).get(oa_user_id)

    async def can_answer(self, oa_user_id: str) -> bool:
        """True while a customer-service message may reach them (the 7-day window)."""
        row = await self.get(oa_user_id)
        if row is None or row.last_interaction_at is None:
            return False
        return self._clock() - row.last_interaction_at <= self._window

    async def window_closes_at(self, oa_user_id: str) -> datetime | None:
        row = await self.get(oa_user_id)
        if row is None or row.last_interaction_at is None:
            return None
        return row.last_interaction_at + self._window

    async def _person(self, oa_user_id: str) -> int:
        async with transaction(self._sessions) as session:
            return (await OaFollowerRepository(session).get_or_create(oa_user_id)).user_id

    async def set_area_by_code(self, oa_user_id: str, code: str) -> AreaPlace | None:
        """A QR poster's area code (``/start <code>``-style): the follower's tổ dân phố.
        None when the code names no area (nothing changes)."""
        place = await self._onboarding.resolve_payload(code)
        if place is None:
            return None
        await self._onboarding.set_home_area(await self._person(oa_user_id), place.area.id)
        return place

    async def set_area(self, oa_user_id: str, area_id: int) -> HomeAreaChange:
        """The follower chose their tổ dân phố."""
        return await self._onboarding.set_home_area(await self._person(oa_user_id), area_id)

    async def home(self, oa_user_id: str) -> AreaPlace | None:
        return await self._onboarding.home_of(await self._person(oa_user_id))

    async def following_in(self, area_ids: Sequence[int]) -> list[Follower]:
        """Who follows the OA and lives inside these areas (a ward's advisory reaches its tổ
        dân phố's followers); each once."""
        async with transaction(self._sessions) as session:
            areas = await AreaRepository(session).get_many(list(dict.fromkeys(area_ids)))
            return await OaFollowerRepository(session).following_in([a.path for a in areas])


class OaGroups:
    def __init__(self, sessions: Sessions, groups: GroupService) -> None:
        self._sessions = sessions
        self._groups = groups

    async def register(self, group_id: str, title: str | None = None) -> int:
        """The chat key of an OA-created group (its ``chats`` row made on first sight)."""
        async with transaction(self._sessions) as session:
            repo = OaGroupRepository(session)
            row_id, chat_id = await repo.get_or_create(group_id)
            key = oa_group_key(row_id)
            if chat_id is None or title is not None:
                chat = await ChatRepository(session).upsert(key, OA_GROUP_TYPE, title)
                await repo.set_chat(row_id, chat.id)
        return key

    async def link(
        self, actor: Profile | None, group_id: str, area_code: str, title: str | None = None
    ) -> LinkOutcome:
        """Advisories of the area reach this group. Police of the area only (``actor``
        None: the operator's CLI), the same rule as for any group."""
        key = await self.register(group_id, title)
        return await self._groups.link(
            actor, key, area_code, "residents", type_=OA_GROUP_TYPE, title=title
        )

    async def unlink(self, actor: Profile | None, group_id: str) -> AreaDTO:
        return await self._groups.unlink(actor, await self.register(group_id))

    async def group_id_of(self, row_id: int) -> str | None:
        """The OA group id of a chat key's row (services.channels.oa_group_id_of)."""
        async with transaction(self._sessions) as session:
            return await OaGroupRepository(session).group_id_of(row_id)


@dataclass(frozen=True, slots=True)
class ZaloOaServices:
    """What the OA surface needs, built once by the wiring when ZALO_OA_APP_ID is set."""

    inbox: OaInbox
    tokens: OaTokens
    followers: OaFollowers
    groups: OaGroups
