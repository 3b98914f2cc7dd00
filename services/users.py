"""Recognising people on every update, and their preferences."""

from __future__ import annotations

from dataclasses import dataclass

from services.access import Profile
from services.errors import InvalidInput
from services.tip_drafts import TIP
from storage.dto import GrantDTO, UserDTO
from storage.hotpath import HotPath, SessionHotPath
from storage.repositories.compose import ConversationRow
from storage.repositories.grants import GrantRepository
from storage.repositories.senders import read_sender
from storage.repositories.users import UserRepository
from storage.types import nfc
from storage.uow import Session, Sessions, StorageUnavailable, transaction

SUPPORTED_LANGUAGES = ("vi", "en")


@dataclass(frozen=True, slots=True)
class IncomingUser:
    """The sender of an update, as any channel describes them."""

    telegram_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None


@dataclass(frozen=True, slots=True)
class Arrival:
    """The sender of an update, read once at its start (storage.repositories.senders)."""

    profile: Profile
    waiting: bool
    """The bot waits for their next message in this chat (services.relay)."""
    draft: ConversationRow | None
    """Their tip draft as it was when the update arrived (TipSteps.arrived reads it)."""
    conversing: bool = True
    """They are in a conversation of the engine (services/conversation.py): only then is
    it worth reading; True when unknown."""


def _unchanged(user: UserDTO, incoming: IncomingUser) -> bool:
    """Nothing to write: same names (compared NFC, as stored) and they have not blocked us
    (a message from them means they have not)."""
    return (
        user.first_name == nfc(incoming.first_name)
        and user.last_name == (nfc(incoming.last_name) if incoming.last_name is not None else None)
        and user.username == incoming.username
        and not user.blocked_bot
    )


async def username_holder(session: Session, username: str) -> UserDTO | None:
    """The account that holds ``@username`` now, for every command that names someone by it.

    The bot keeps one holder per name (whoever it last saw with it: see
    ``UserRepository.upsert_telegram``). Two rows with the name can only come from two updates
    racing, and then nobody is guessed: acting on the wrong person (a ban, a role) is worse
    than asking to reply to the person's message instead."""
    holders = await UserRepository(session).holders_of_username(username)
    if len(holders) > 1:
        raise InvalidInput("user-username-ambiguous", username=username.removeprefix("@")[:64])
    return holders[0] if holders else None


class UserService:
    def __init__(
        self,
        sessions: Sessions,
        *,
        default_language: str,
        superadmin_ids: frozenset[int],
        hot: HotPath | None = None,
    ) -> None:
        self._sessions = sessions
        self._hot = hot or SessionHotPath(sessions)
        self._default_language = default_language
        self._superadmins = superadmin_ids

    def _profile(self, user: UserDTO, grants: list[GrantDTO]) -> Profile:
        return Profile(
            user=user,
            locale=user.language or self._default_language,
            grants=tuple(grants),
            is_superadmin=user.telegram_id in self._superadmins,
        )

    async def identify(self, incoming: IncomingUser) -> Profile:
        return (await self.arrive(incoming, None)).profile

    async def arrive(self, incoming: IncomingUser, chat_id: int | None) -> Arrival:
        """Who sent an update in ``chat_id`` and what they are in the middle of: one read when
        nothing about them changed (every update comes through here), else the user is
        created or refreshed first (one transaction)."""
        known = await read_sender(self._hot, incoming.telegram_id, chat_id, TIP.name)
        if known is None or not _unchanged(known.user, incoming):
            async with transaction(self._sessions) as session:
                await UserRepository(session).upsert_telegram(
                    incoming.telegram_id,
                    incoming.first_name,
                    incoming.last_name,
                    incoming.username,
                )
            known = await read_sender(self._hot, incoming.telegram_id, chat_id, TIP.name)
            if known is None:  # written a moment ago: only a concurrent purge could do this
                raise StorageUnavailable("user vanished")
        profile = self._profile(known.user, known.grants)
        return Arrival(profile, known.waiting, known.draft, known.conversing)

    async def profile_of(self, user_id: int) -> Profile | None:
        async with transaction(self._sessions) as session:
            user = await UserRepository(session).get(user_id)
            if user is None:
                return None
            grants = await GrantRepository(session).for_user(user.id)
        return self._profile(user, grants)

    async def profile_by_telegram_id(self, telegram_id: int) -> Profile | None:
        """Someone's rights as the rules see them (None: the bot never saw them)."""
        async with transaction(self._sessions) as session:
            user = await UserRepository(session).get_by_telegram_id(telegram_id)
            if user is None:
                return None
            grants = await GrantRepository(session).for_user(user.id)
        return self._profile(user, grants)

    async def set_language(self, user_id: int, language: str) -> str:
        language = language.strip().lower()
        if language not in SUPPORTED_LANGUAGES:
            raise InvalidInput("language-unknown", value=language)
        async with transaction(self._sessions) as session:
            await UserRepository(session).set_language(user_id, language)
        return language

    async def mark_blocked(self, user_id: int, blocked: bool = True) -> None:
        """The user blocked the bot (or unblocked it): stop trying to reach them."""
        async with transaction(self._sessions) as session:
            await UserRepository(session).set_blocked(user_id, blocked)
