"""Channel-neutral rules the Zalo channel needs: who a Zalo account is, Zalo groups as chats,
the numbered choices last shown in a Zalo chat, linking a person's Telegram and Zalo accounts
with a one-time code, and advisory targets for subscribers reached by direct message.

Everything else a Zalo resident does goes through the same services as on Telegram
(the tip services, ScamService, RelayService, SubscriptionService...), addressed by users.id.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.access import Profile
from services.channels import (
    TELEGRAM,
    ZALO,
    dm_user_id,
    recipient_for,
    recipient_on,
    zalo_dm_key,
    zalo_group_key,
)
from services.conversation import Conversations, Flow
from services.errors import InvalidInput, RateLimited
from services.ports import InlineButton, OutgoingMessage
from services.reach import PersonReacher
from storage.dto import AreaDTO, UserDTO
from storage.repositories.audit import AuditRepository
from storage.repositories.grants import GrantRepository
from storage.repositories.users import UserRepository
from storage.repositories.zalo import ZaloRepository
from storage.types import utcnow
from storage.uow import Sessions, transaction

logger = logging.getLogger(__name__)

CODE_TTL = timedelta(minutes=10)
MAX_FAILURES = 5
"""Wrong codes allowed per FAILURE_WINDOW: guessing one of a million codes is hopeless."""
FAILURE_WINDOW = timedelta(minutes=10)
CHANNELS = (TELEGRAM, ZALO)


@dataclass(frozen=True, slots=True)
class LinkCode:
    code: str
    expires_at: datetime
    minutes: int


@dataclass(frozen=True, slots=True)
class LinkProposal:
    """A code typed: whose account it would be linked with, awaiting a yes."""

    request_id: int
    name: str
    """The other account's display name."""
    channel: str
    """The other account's app ("Telegram" or "Zalo")."""


@dataclass(frozen=True, slots=True)
class LinkAnswer:
    outcome: str
    """"waiting" (for the code's owner), "linked" or "cancelled"."""
    channel: str
    """The other side's app."""
    user: UserDTO | None = None
    """The person after linking."""


_CHANNEL_NAMES = {TELEGRAM: "Telegram", ZALO: "Zalo"}
LINK_PREFIX = "acct"


def link_buttons(request_id: int) -> tuple[tuple[InlineButton, ...], ...]:
    """Confirm / cancel a link request (with a proposal, and in the question to the owner)."""
    return (
        (
            InlineButton("zalo-link-button-yes", f"{LINK_PREFIX}:yes:{request_id}"),
            InlineButton("zalo-link-button-no", f"{LINK_PREFIX}:no:{request_id}"),
        ),
    )


@dataclass(frozen=True, slots=True)
class Linked:
    user: UserDTO
    """The person after linking (the Telegram users row, now with the Zalo account)."""


class ZaloService:
    def __init__(
        self,
        sessions: Sessions,
        *,
        default_language: str,
        superadmin_ids: frozenset[int],
        reacher: PersonReacher | None = None,
    ) -> None:
        self._sessions = sessions
        self._reacher = reacher
        """Reaches the other side of a link request; without one, requests cannot finish."""
        self._default_language = default_language
        self._superadmins = superadmin_ids

    async def _profile(self, session: Any, user: UserDTO) -> Profile:
        grants = await GrantRepository(session).for_user(user.id)
        return Profile(
            user=user,
            locale=user.language or self._default_language,
            grants=tuple(grants),
            is_superadmin=user.telegram_id is not None and user.telegram_id in self._superadmins,
        )

    # -- identity ------------------------------------------------------------------------
    async def identify(self, zalo_user_id: str, display_name: str) -> Profile:
        """Create or refresh the person behind a Zalo account and load their grants."""
        name = (display_name or "").strip()[:128]
        async with transaction(self._sessions) as session:
            repo = ZaloRepository(session)
            user = await repo.upsert_account(zalo_user_id, name)
            # Writing again after blocking the bot: their direct chat is reachable again.
            await repo.reactivate_chat(zalo_dm_key(user.id))
            return await self._profile(session, user)

    async def issue_code(self, user_id: int, channel: str) -> LinkCode:
        """A fresh 6-digit code for the person, to be typed on the *other* channel."""
        if channel not in CHANNELS:
            raise InvalidInput("zalo-link-wrong-channel")
        now = utcnow()
        expires = now + CODE_TTL
        async with transaction(self._sessions) as session:
            repo = ZaloRepository(session)
            await repo.purge_codes(now)
            while True:
                code = f"{secrets.randbelow(1_000_000):06d}"
                if await repo.add_code(code, user_id, channel, expires):
                    break
        return LinkCode(code, expires, int(CODE_TTL.total_seconds() // 60))

    async def redeem(self, user_id: int, channel: str, raw_code: str) -> LinkProposal:
        """The account typing the code (on ``channel``) asks to be linked with the one that
        asked for it on the other channel. Nothing is linked yet: the person is shown whose
        account that is and confirms (:meth:`answer`), then the code's owner confirms too, so
        a resident talked into typing someone else's code cannot be merged into their
        account unawares. Wrong, expired, reused or already claimed codes are refused; too
        many wrong codes and the person must wait."""
        code = "".join(ch for ch in raw_code if ch.isdigit())
        now = utcnow()
        async with transaction(self._sessions) as session:
            repo = ZaloRepository(session)
            if await repo.failures_since(user_id, now - FAILURE_WINDOW) >= MAX_FAILURES:
                raise RateLimited("zalo-link-too-many", minutes=int(FAILURE_WINDOW.seconds // 60))
            found = await repo.get_code(code) if len(code) == 6 else None
            if (
                found is None
                or found.expires_at <= now
                or found.user_id == user_id
                or found.claimed_by_user_id not in (None, user_id)
            ):
                await repo.add_failure(user_id)
                failed = True
            else:
                failed = False
                if found.channel != channel:  # right code, wrong app: it stays usable
                    await repo.claim_code(found.id, user_id)
                    owner = await UserRepository(session).get(found.user_id)
        if failed:
            # Committed above: the failure counts even though we refuse.
            raise InvalidInput("zalo-link-bad-code")
        assert found is not None
        if found.channel == channel:
            raise InvalidInput("zalo-link-same-channel")
        if owner is None:
            raise InvalidInput("zalo-link-bad-code")
        return LinkProposal(found.id, owner.display_name, _CHANNEL_NAMES[found.channel])

    async def answer(self, user_id: int, request_id: int, yes: bool) -> LinkAnswer:
        """A yes or no to a pending link, from either side: the account that typed the code
        first (then its owner is asked), the code's owner last (then they are linked). A no
        from either drops the request; anyone else is refused as for a wrong code."""
        now = utcnow()
        async with transaction(self._sessions) as session:
            repo = ZaloRepository(session)
            found = await repo.get_code_by_id(request_id)
            if (
                found is None
                or found.expires_at <= now
                or found.claimed_by_user_id is None
                or user_id not in (found.user_id, found.claimed_by_user_id)
                or (user_id == found.user_id and not found.claim_confirmed)
            ):
                raise InvalidInput("zalo-link-bad-code")
            claimer_channel = ZALO if found.channel == TELEGRAM else TELEGRAM
            users = UserRepository(session)
            owner = await users.get(found.user_id)
            claimer = await users.get(found.claimed_by_user_id)
            if owner is None or claimer is None:
                raise InvalidInput("zalo-link-bad-code")
            if not yes or user_id == found.user_id:
                await repo.delete_code(found.code)  # settled either way
            elif not found.claim_confirmed:
                await repo.claim_code(found.id, user_id, confirmed=True)
        if not yes:
            other = (owner, found.channel) if user_id != owner.id else (claimer, claimer_channel)
            await self._tell(*other, OutgoingMessage("zalo-link-cancelled", {}))
            return LinkAnswer("cancelled", _CHANNEL_NAMES[found.channel])
        if user_id == claimer.id:
            await self._tell(
                owner,
                found.channel,
                OutgoingMessage(
                    "zalo-link-confirm-owner",
                    {"name": claimer.display_name, "channel": _CHANNEL_NAMES[claimer_channel]},
                    buttons=link_buttons(found.id),
                ),
            )
            return LinkAnswer("waiting", _CHANNEL_NAMES[found.channel])
        linked = await self._merge(owner.id, claimer.id)
        await self._tell(
            linked.user,
            claimer_channel,
            OutgoingMessage("zalo-link-done", {"name": linked.user.display_name}),
        )
        return LinkAnswer("linked", _CHANNEL_NAMES[claimer_channel], linked.user)

    async def _tell(self, user: UserDTO, channel: str, message: OutgoingMessage) -> None:
        """A message to the person on one channel (the other side of a link request), through
        the outbox: the other side may be waiting on it (a confirmation to press), so a 502
        delays it rather than losing it."""
        if self._reacher is None:
            return
        to = recipient_on(user, channel, self._default_language)
        if to is not None:
            await self._reacher.notify_chat(to, message, what="account-link", report_id=None)

    async def _merge(self, first: int, second: int) -> Linked:
        async with transaction(self._sessions) as session:
            users = UserRepository(session)
            repo = ZaloRepository(session)
            a, b = await users.get(first), await users.get(second)
            if a is None or b is None:
                raise InvalidInput("zalo-link-bad-code")
            telegram_side = a if a.telegram_id else b
            zalo_side = b if telegram_side is a else a
            zalo_id = await repo.zalo_id_of(zalo_side.id)
            if telegram_side.telegram_id is None or zalo_id is None:
                raise InvalidInput("zalo-link-same-channel")
            if zalo_side.telegram_id is not None or await repo.zalo_id_of(telegram_side.id):
                raise InvalidInput("zalo-link-already")
            await repo.move_account(zalo_id, telegram_side.id)
            await repo.merge_users(zalo_side.id, telegram_side.id)
            await AuditRepository(session).add(
                "account.link",
                actor_user_id=telegram_side.id,
                target_type="user",
                target_id=telegram_side.id,
                area_id=None,
                after={"channels": [TELEGRAM, ZALO], "merged_user": zalo_side.id},
            )
            kept = await users.get(telegram_side.id)
        assert kept is not None
        logger.info("two accounts linked")
        return Linked(kept)


@dataclass(frozen=True, slots=True)
class Choices:
    """The numbered choices last shown in a Zalo direct chat: what each number stands for
    (the callback data the button would carry on Telegram)."""

    options: tuple[str, ...]
    step: str = "choose"

    def to_data(self) -> dict[str, Any]:
        return {"options": list(self.options)}

    @classmethod
    def read(cls, step: str, data: dict[str, Any]) -> Choices:
        return cls(tuple(str(o) for o in data["options"]))


CHOICES: Flow[Choices] = Flow("choices", Choices.read)
"""A Zalo chat's pending numbered choice ("Trả lời 1, 2 hoặc 3"): one step, replaced by the
next message with choices, ended by a message whose answer is free text."""


class ZaloChats:
    """Zalo chats as the channel needs them: chat keys and Zalo ids both ways, the numbered
    choices last shown in a chat, and the residents an area advisory reaches by direct
    message. Needs nobody to reach (the Zalo sender is built on it)."""

    def __init__(
        self,
        sessions: Sessions,
        *,
        default_language: str,
        groups_enabled: bool = False,
        conversations: Conversations | None = None,
    ) -> None:
        self._sessions = sessions
        self._default_language = default_language
        self._groups_enabled = groups_enabled
        self._conversations = conversations or Conversations(sessions)

    @property
    def groups_enabled(self) -> bool:
        """Zalo groups are "coming soon" for bots on the platform: off unless
        ZALO_GROUPS_ENABLED; off, group messages are left unanswered and groups not linked."""
        return self._groups_enabled

    async def zalo_id_of(self, user_id: int) -> str | None:
        async with transaction(self._sessions) as session:
            return await ZaloRepository(session).zalo_id_of(user_id)

    async def group_key(self, zalo_chat_id: str, title: str | None = None) -> int:
        """The chat key of a Zalo group (its chats row is created on first sight)."""
        async with transaction(self._sessions) as session:
            chat = await ZaloRepository(session).group(zalo_chat_id, title, zalo_group_key)
        return chat.telegram_chat_id

    async def group_zalo_id(self, group_id: int) -> str | None:
        async with transaction(self._sessions) as session:
            return await ZaloRepository(session).group_zalo_id(group_id)

    # -- numbered choices ----------------------------------------------------------------
    async def set_menu(self, chat_key: int, options: list[str]) -> None:
        """The choices of the message just sent to the chat; a bare number answers them. A
        conversation of the engine (flow :data:`CHOICES`) of the person the direct chat is
        with; in a group nobody answers by number (only mentions are read there)."""
        user_id = dm_user_id(chat_key)
        if user_id is None:
            return
        if options:
            await self._conversations.begin(CHOICES, user_id, Choices(tuple(options)))
        else:
            await self._conversations.finish(CHOICES, user_id)

    async def choice(self, chat_key: int, number: int) -> str | None:
        """What choice ``number`` (1-based) of the last menu in the chat stands for."""
        user_id = dm_user_id(chat_key)
        turn = await self._conversations.current(CHOICES, user_id) if user_id else None
        options = turn.draft.options if turn is not None else ()
        return options[number - 1] if 1 <= number <= len(options) else None

    # -- linking accounts ------------------------------------------------------------------

    # -- advisories ------------------------------------------------------------------------
    async def subscriber_targets(self, session: Any, area: AreaDTO) -> list[tuple[int, int]]:
        """Advisory target source (AdvisoryRuns target_sources): residents following an
        area inside ``area`` get the advisory by direct message, on the channel
        :func:`recipient_for` picks. Runs inside the advisory's transaction, so the ledger
        rows and their chats rows commit together."""
        users = await ZaloRepository(session).subscribers_in([area.path])
        return await direct_chat_targets(session, users, self._default_language)


async def direct_chat_targets(
    session: Any, users: list[UserDTO], default_language: str
) -> list[tuple[int, int]]:
    """Advisory targets for people reached by direct message: each person's chat on the
    channel :func:`recipient_for` picks (its chats row made when first needed), skipping
    people who blocked us and chats marked inactive."""
    repo = ZaloRepository(session)
    targets: list[tuple[int, int]] = []
    for user in users:
        to = recipient_for(user, default_language)
        if to is None:
            continue
        kind = "private" if to.channel == TELEGRAM else "zalo_private"
        chat = await repo.private_chat(to.chat_id, kind, None)
        if chat.active:
            targets.append((chat.id, chat.telegram_chat_id))
    return targets
