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

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services import message_codec
from services.access import Profile
from services.channels import oa_group_key
from services.errors import StorageUnavailable
from services.groups import GroupService, LinkOutcome
from services.onboarding import AreaPlace, HomeAreaChange, OnboardingService
from services.ports import OutgoingMessage
from services.users import UserService
from services.zalo import direct_chat_targets
from services.zalo_oa_inbox import OaInbox
from services.zalo_oa_tokens import OaTokens
from storage.dto import AreaDTO
from storage.repositories.areas import AreaRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.zalo_oa import (
    FollowerRow,
    OaFollowerRepository,
    OaGroupRepository,
    OaHeldRepository,
)
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
        users: UserService,
        *,
        default_language: str,
        clock: Callable[[], datetime] = utcnow,
        window: timedelta = CS_WINDOW,
    ) -> None:
        self._sessions = sessions
        self._onboarding = onboarding
        self._users = users
        self._default_language = default_language
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

    async def identify(self, oa_user_id: str) -> Profile:
        """The person behind an OA user id (made on first contact) with their rights."""
        profile = await self._users.profile_of(await self._person(oa_user_id))
        if profile is None:  # the person was deleted between the two reads
            raise StorageUnavailable("the follower's person is gone")
        return profile

    async def oa_user_of(self, user_id: int) -> str | None:
        """The OA user id of a person (None: they never followed or wrote to the OA)."""
        async with transaction(self._sessions) as session:
            row = await OaFollowerRepository(session).of_user(user_id)
        return row.oa_user_id if row is not None else None

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


    async def tag_change(self, oa_user_id: str) -> tuple[str | None, str] | None:
        """(the tag on them now, the tag their tổ dân phố calls for) when the OA's tag no
        longer mirrors it; None when it does (or they have no tổ dân phố)."""
        row = await self.get(oa_user_id)
        home = await self.home(oa_user_id) if row is not None and row.following else None
        if row is None or home is None or row.area_tag == home.area.code:
            return None
        return row.area_tag, home.area.code

    async def tagged(self, oa_user_id: str, tag: str) -> None:
        async with transaction(self._sessions) as session:
            await OaFollowerRepository(session).update(oa_user_id, area_tag=tag)

    async def advisory_targets(self, session: Any, area: AreaDTO) -> list[tuple[int, int]]:
        """Advisory target source (AdvisoryService.target_sources): the OA's followers whose
        tổ dân phố lies inside ``area`` get an area's advisory by direct message, on the
        chat key any Zalo person has, so a follower who also subscribed is one target."""
        users = await OaFollowerRepository(session).people_following_in([area.path])
        return await direct_chat_targets(session, users, self._default_language)


class OaHeld:
    """Messages for followers outside the 7-day window, sent when they next write (the
    fallback chosen over the OA's broadcast messages: see ``zalo_oa.sender``)."""

    def __init__(
        self,
        sessions: Sessions,
        *,
        clock: Callable[[], datetime] = utcnow,
        keep: timedelta = CS_WINDOW,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._keep = keep

    async def hold(self, oa_user_id: str, message: OutgoingMessage) -> None:
        encoded = json.dumps(message_codec.encode(message), ensure_ascii=False)
        async with transaction(self._sessions) as session:
            await OaFollowerRepository(session).get_or_create(oa_user_id)
            await OaHeldRepository(session).add(oa_user_id, encoded)

    async def take(self, oa_user_id: str) -> list[OutgoingMessage]:
        """The follower's held messages, oldest first, removed from the store (older than
        the window: dropped, no longer news)."""
        async with transaction(self._sessions) as session:
            found = await OaHeldRepository(session).take(oa_user_id, self._clock() - self._keep)
        return [message_codec.decode(json.loads(m)) for m in found]

    async def count(self, oa_user_id: str) -> int:
        async with transaction(self._sessions) as session:
            return await OaHeldRepository(session).count(oa_user_id)


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
    held: OaHeld
