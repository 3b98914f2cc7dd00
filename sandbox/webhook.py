"""Webhook delivery: POST queued updates in order, retrying with backoff."""

from __future__ import annotations

import asyncio
import time

import aiohttp

from sandbox.models import BotRecord
from sandbox.state import SandboxState

MAX_BACKOFF_S = 2.0  # Telegram waits longer; tests want quick recovery.


def start_webhook(state: SandboxState, bot: BotRecord) -> None:
    stop_webhook(bot)
    bot.webhook_task = asyncio.get_running_loop().create_task(_deliver_loop(state, bot))


def stop_webhook(bot: BotRecord) -> None:
    if bot.webhook_task is not None:
        bot.webhook_task.cancel()
        bot.webhook_task = None


async def _deliver_loop(state: SandboxState, bot: BotRecord) -> None:
    backoff = 0.05
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        while bot.webhook_url:
            await state.wait_until(lambda: bool(state.pending_updates(bot)), None)
            if state.closing or not bot.webhook_url:
                return
            update = bot.updates[0]
            headers = {}
            if bot.webhook_secret:
                headers["X-Telegram-Bot-Api-Secret-Token"] = bot.webhook_secret
            error: str | None = None
            try:
                async with session.post(bot.webhook_url, json=update, headers=headers) as resp:
                    if resp.status >= 300:
                        error = f"Wrong response from the webhook: {resp.status} {resp.reason}"
            except (aiohttp.ClientError, TimeoutError) as exc:
                error = f"Connection failed: {type(exc).__name__}"
            if error is None:
                # Only pop if nobody reset the queue meanwhile (deleteWebhook / reset).
                if bot.updates and bot.updates[0] is update:
                    bot.updates.popleft()
                state.mark_delivered(bot, [update])
                backoff = 0.05
                continue
            bot.webhook_error = (int(time.time()), error)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_S)
