"""End-to-end harness: the real PTB Application, polling the local Bot API server over HTTP,
with a real database. Tests act as users through the sandbox's control API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.app import AnninhApplication, build_application, start_in_loop, stop_in_loop
from bot.send_limiter import telegram_limits
from bot.settings import Settings, load_settings
from bot.wiring import Services
from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from storage.send_budget import SendLimits

TEST_TOKEN = "123456:TEST-anninh"

JSON = dict[str, Any]
FAST_OUTBOX: dict[str, Any] = {"outbox_sweep_seconds": 0.3, "outbox_retry_seconds": 0.5}
"""Settings for a bot whose notice outbox is swept often (the defaults wait 30 s to retry)."""


def user(uid: int, first_name: str = "Lan", username: str | None = None, **extra: Any) -> JSON:
    data: JSON = {"id": uid, "first_name": first_name, "is_bot": False, "language_code": "vi"}
    if username:
        data["username"] = username
    data.update(extra)
    return data


@dataclass
class BotHarness:
    server: SandboxServer
    client: SandboxClient
    database_url: str
    overrides: dict[str, Any] = field(default_factory=dict)
    app: AnninhApplication | None = None
    send_limits: SendLimits | None = None
    """The bot's send budget. Unset: Telegram's without the private-chat pace, as before the
    one budget (the sandbox's flood limits are off unless a test turns them on, and every
    conversation step would otherwise wait a second for the one before)."""
    token: str = TEST_TOKEN
    polling: bool = True
    """False: an instance that gets no updates (another one handles them) but runs its jobs."""

    @property
    def settings(self) -> Settings:
        return load_settings(
            bot_token=self.token,
            bot_api_base_url=self.server.bot_api_url,
            database_url=self.database_url,
            webhook_url=None,
            **self.overrides,
        )

    @property
    def services(self) -> Services:
        assert self.app is not None, "bot not started"
        return self.app.bot_data["services"]  # type: ignore[no-any-return]

    @property
    def bot_id(self) -> int:
        return int(self.token.split(":")[0])

    async def start(self, **overrides: Any) -> AnninhApplication:
        self.overrides.update(overrides)
        settings = self.settings
        limits = self.send_limits or telegram_limits(
            settings.telegram_send_rate, private_chats=False
        )
        self.app = build_application(settings, send_limits=limits)
        await start_in_loop(self.app, poll=self.polling)
        return self.app

    async def stop(self) -> None:
        if self.app is not None:
            await stop_in_loop(self.app)
            self.app = None

    async def restart(self) -> AnninhApplication:
        await self.stop()
        return await self.start()

    async def say(
        self,
        who: JSON,
        text: str | None = None,
        *,
        chat_id: int | None = None,
        expect: int = 1,
        timeout: float = 10.0,
        **message: Any,
    ) -> list[JSON]:
        """``who`` writes in a chat (their private chat by default); returns the bot's next
        ``expect`` messages in that chat."""
        chat = chat_id if chat_id is not None else who["id"]
        if chat_id is not None and chat_id < 0:
            message.setdefault("chat_type", "supergroup")
        sent = await self.client.send_message(chat, who, text, **message)
        if expect == 0:
            return []
        return await self.client.wait_for_bot_messages(
            chat, after_message_id=sent["message_id"], count=expect, timeout=timeout
        )

    async def press(
        self,
        who: JSON,
        bot_message: JSON,
        data: str,
        *,
        expect: int = 0,
        timeout: float = 10.0,
        forged: bool = False,
    ) -> tuple[JSON | None, list[JSON]]:
        """``who`` presses an inline button under ``bot_message``; returns the callback answer
        and the next ``expect`` bot messages in that chat."""
        chat_id = bot_message["chat"]["id"]
        last = await self.client.history(chat_id)
        last_id = max((m["message_id"] for m in last), default=0)
        pressed = await self.client.press_button(
            chat_id, who, bot_message["message_id"], data, forged=forged
        )
        answer = await self.client.callback_answer(pressed["callback_query_id"], wait=timeout)
        messages = []
        if expect:
            messages = await self.client.wait_for_bot_messages(
                chat_id, after_message_id=last_id, count=expect, timeout=timeout
            )
        return answer, messages


def buttons(message: JSON) -> list[tuple[str, str]]:
    """(label, callback_data) of every inline button of a bot message."""
    markup = message.get("reply_markup") or {}
    return [
        (b["text"], b.get("callback_data", b.get("url", "")))
        for row in markup.get("inline_keyboard", [])
        for b in row
    ]


def keyboard_labels(message: JSON) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [
        b if isinstance(b, str) else b["text"] for row in markup.get("keyboard", []) for b in row
    ]
