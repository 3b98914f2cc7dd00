"""The typed callback context every handler receives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.render import render_html

if TYPE_CHECKING:
    from bot.wiring import Services
    from services.access import Profile
    from services.users import Arrival


class AnninhContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Adds the service container and the caller's :class:`Profile` (set by the identify
    pre-handler at the start of each update)."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.profile: Profile | None = None
        self.arrival: Arrival | None = None
        """The sender as read at the start of this update (None: no human sender)."""

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]  # type: ignore[no-any-return]

    @property
    def locale(self) -> str:
        if self.profile is not None:
            return self.profile.locale
        return self.services.settings.default_language

    def text(self, key: str, /, **args: Any) -> str:
        """A catalogue message in the caller's language, ready for HTML parse mode."""
        return render_html(key, self.locale, args)
