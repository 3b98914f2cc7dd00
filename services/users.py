"""Recognising people on every update, and their preferences."""

from __future__ import annotations

from dataclasses import dataclass

from services.access import Profile
from services.errors import InvalidInput
from storage.dto import GrantDTO, UserDTO
from storage.hotpath import HotPath, SessionHotPath
from storage.repositories.grants import GrantRepository
from storage.repositories.users import UserRepository, read_profile
from storage.types import nfc
from storage.uow import Sessions, transaction

SUPPORTED_LANGUAGES = ("vi", "en")


@dataclass(frozen=True, slots=True)
class IncomingUser:
    """The sender of an update, as any channel describes them."""

    telegram_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None


def _unchanged(user: UserDTO, incoming: IncomingUser) -> bool:
    """Nothing to write: same names (compared NFC, as stored) and they have not blocked us
    (a message from them means they have not)."""
    return (
        user.first_name == nfc(incoming.first_name)
        and user.last_name == (nfc(incoming.last_name) if incoming.last_name is not None else None)
        and user.username == incoming.username
        and not user.blocked_bot
    )


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
        """The sender's profile: one read when nothing about them changed (every update comes
        through here), else create or refresh the user and load their grants (one transaction).
        """
        known = await read_profile(self._hot, incoming.telegram_id)
        if known is not None and _unchanged(known[0], incoming):
            return self._profile(*known)
        async with transaction(self._sessions) as session:
            user = await UserRepository(session).upsert_telegram(
                incoming.telegram_id, incoming.first_name, incoming.last_name, incoming.username
            )
            grants = await GrantRepository(session).for_user(user.id)
        return self._profile(user, grants)

    async def profile_of(self, user_id: int) -> Profile | None:
        async with transaction(self._sessions) as session:
            user = await UserRepository(session).get(user_id)
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
