"""HTTP entry points of the Bot API: dispatch, updates, webhooks, files."""

from __future__ import annotations

import asyncio
import logging
import re

from aiohttp import web

# Importing the method modules registers their handlers.
from sandbox import api_chat, api_edit, api_send  # noqa: F401
from sandbox.errors import ApiError, bad_request
from sandbox.limits import MESSAGE_METHODS
from sandbox.models import JSON
from sandbox.params import Params
from sandbox.registry import METHODS, Ctx, api_method
from sandbox.state import SandboxState
from sandbox.webhook import start_webhook, stop_webhook

log = logging.getLogger(__name__)
TOKEN_RE = re.compile(r"[0-9]+:.+")
STATE_KEY: web.AppKey[SandboxState] = web.AppKey("sandbox_state", SandboxState)
MAX_POLL_TIMEOUT = 50.0


def _error(status: int, description: str) -> web.Response:
    return web.json_response(ApiError(status, description).body(), status=status)


async def handle_method(request: web.Request) -> web.StreamResponse:
    token, method = request.match_info["token"], request.match_info["method"]
    if not TOKEN_RE.fullmatch(token):
        return _error(401, "Unauthorized")
    entry = METHODS.get(method.lower())
    if entry is None:
        return _error(404, "Not Found")
    state = request.app[STATE_KEY]
    bot = state.bot_for_token(token)
    state.stats.calls[entry.name] += 1
    try:
        fault = state.faults.take(entry.name.lower())
        if fault is not None:
            if fault.drop:
                log.info("sandbox: dropping connection for %s", entry.name)
                if request.transport is not None:
                    request.transport.close()
                raise asyncio.CancelledError
            if fault.delay_s:
                await asyncio.sleep(fault.delay_s)
            else:
                retry = (fault.retry_after or 1) if fault.status == 429 else None
                raise ApiError(fault.status, fault.error_description(), retry)
        params = await Params.from_request(request)
        if entry.name.lower() in MESSAGE_METHODS:
            _check_flood(state, bot.id, params)
        result = await entry.func(Ctx(state, bot, params, request))
    except ApiError as exc:
        state.stats.error(entry.name, exc.status)
        return web.json_response(exc.body(), status=exc.status)
    return web.json_response({"ok": True, "result": result})


def _check_flood(state: SandboxState, bot_id: int, params: Params) -> None:
    try:
        chat = state.chats.get(int(params.raw("chat_id")))
    except (TypeError, ValueError):
        return
    if chat is None:
        return  # the method itself reports "chat not found"
    retry = state.limits.check(bot_id, chat.id, chat.is_group)
    if retry is not None:
        raise ApiError(429, f"Too Many Requests: retry after {retry}", retry)


async def handle_file(request: web.Request) -> web.StreamResponse:
    token = request.match_info["token"]
    if not TOKEN_RE.fullmatch(token):
        return _error(401, "Unauthorized")
    stored = request.app[STATE_KEY].files.by_path(request.match_info["path"])
    if stored is None:
        return _error(404, "Not Found")
    mime = stored.mime_type or "application/octet-stream"
    return web.Response(body=stored.data, content_type=mime)


@api_method("getMe")
async def get_me(ctx: Ctx) -> JSON:
    return {
        **ctx.bot.user, "can_join_groups": True, "can_read_all_group_messages": True,
        "supports_inline_queries": False, "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@api_method("getUpdates")
async def get_updates(ctx: Ctx) -> list[JSON]:
    state, bot, params = ctx.state, ctx.bot, ctx.params
    if bot.webhook_url:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    allowed = params.json("allowed_updates")
    if isinstance(allowed, list):
        bot.allowed_updates = [str(a) for a in allowed]
    offset = params.get_int("offset", 0) or 0
    if offset < 0:  # negative offsets keep only the last -offset updates
        while len(bot.updates) > -offset:
            bot.updates.popleft()
    else:
        while bot.updates and bot.updates[0]["update_id"] < offset:
            bot.updates.popleft()
    limit = max(1, min(100, params.get_int("limit", 100) or 100))
    timeout = min(params.get_float("timeout") or 0.0, MAX_POLL_TIMEOUT)
    if timeout > 0:
        await state.wait_until(
            lambda: bool(state.pending_updates(bot)) or bool(bot.webhook_url), timeout
        )
    result = state.pending_updates(bot)[:limit]
    state.mark_delivered(bot, result)
    return result


@api_method("setWebhook")
async def set_webhook(ctx: Ctx) -> bool:
    bot, params = ctx.bot, ctx.params
    url = params.get_str("url") or ""
    secret = params.get_str("secret_token")
    if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        raise bad_request("secret token contains unallowed characters")
    if url and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
    if params.get_bool("drop_pending_updates"):
        bot.updates.clear()
    allowed = params.json("allowed_updates")
    if isinstance(allowed, list):
        bot.allowed_updates = [str(a) for a in allowed]
    bot.webhook_url, bot.webhook_secret, bot.webhook_error = url or None, secret, None
    if url:
        start_webhook(ctx.state, bot)
    else:
        stop_webhook(bot)
    ctx.state.notify()
    return True


@api_method("deleteWebhook")
async def delete_webhook(ctx: Ctx) -> bool:
    bot = ctx.bot
    stop_webhook(bot)
    bot.webhook_url = bot.webhook_secret = None
    if ctx.params.get_bool("drop_pending_updates"):
        bot.updates.clear()
    return True


@api_method("getWebhookInfo")
async def get_webhook_info(ctx: Ctx) -> JSON:
    bot = ctx.bot
    info: JSON = {
        "url": bot.webhook_url or "", "has_custom_certificate": False,
        "pending_update_count": len(ctx.state.pending_updates(bot)), "max_connections": 40,
    }
    if bot.allowed_updates:
        info["allowed_updates"] = bot.allowed_updates
    if bot.webhook_error:
        info["last_error_date"], info["last_error_message"] = bot.webhook_error
    return info


@api_method("logOut", "close")
async def log_out(ctx: Ctx) -> bool:
    return True
