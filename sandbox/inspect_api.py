"""Control API, part 2: inspection, events, faults, limits, stats, reset."""

from __future__ import annotations

import asyncio
import json

from aiohttp import web

from sandbox import zalo_control
from sandbox.control import ControlError, control, int_arg, state_of
from sandbox.limits import Fault
from sandbox.members import current_member
from sandbox.models import JSON, PRESENT_STATUSES, Chat
from sandbox.params import HistoryQuery, Params

HEARTBEAT_S = 15.0


def _chat_summary(chat: Chat) -> JSON:
    return {
        **chat.to_json(), "message_count": len(chat.messages),
        "member_count": len(chat.members), "pinned_message_id": chat.pinned_id,
    }


@control
async def list_chats(request: web.Request) -> web.StreamResponse:
    """Every chat; ``?member=<user id>`` keeps the chats that user is in (their private chat
    and the groups where they are present)."""
    state = state_of(request)
    chats = list(state.chats.values())
    if request.query.get("member"):
        try:
            uid = int(request.query["member"])
        except ValueError:
            raise ControlError(400, "member must be an integer") from None
        chats = [
            c for c in chats
            if (c.is_group and c.member_status(uid) in PRESENT_STATUSES)
            or (c.type == "private" and c.id == uid)
        ]
    return web.json_response([_chat_summary(c) for c in chats])


@control
async def get_chat(request: web.Request) -> web.StreamResponse:
    state = state_of(request)
    chat = state.get_chat(int_arg(request, "chat_id"))
    ids = list(chat.members) + [b for b in state.bots if b not in chat.members]
    members = [current_member(state, chat, uid).to_json() for uid in ids]
    return web.json_response({**_chat_summary(chat), "members": members})


@control
async def history(request: web.Request) -> web.StreamResponse:
    """History with edits/deletions visible; optionally long-polls for new entries."""
    state = state_of(request)
    if request.query.get("platform") == "zalo":
        return await zalo_control.history(state, request)
    chat_id = int_arg(request, "chat_id")
    q = HistoryQuery.of(request)
    bot_id = int(request.query["bot_id"]) if request.query.get("bot_id") else None

    def matching() -> list[JSON]:
        chat = state.chats.get(chat_id)
        if chat is None:
            return []
        # Ids are dense per chat, so only the tail after ``after`` is scanned:
        # long-poll predicates run on every mutation and must stay cheap.
        tail = (chat.messages[i] for i in range(max(q.after, 0) + 1, chat.next_message_id))
        return [
            m.history_view() for m in tail
            if (not q.own_only or m.sender_bot is not None)
            and (bot_id is None or m.sender_bot == bot_id)
        ]

    if not await q.long_poll(state, matching) and chat_id not in state.chats:
        raise ControlError(404, f"chat {chat_id} not found")
    return web.json_response(matching())


async def events(request: web.Request) -> web.StreamResponse:
    """Server-sent events: one JSON object per change, optional ?chat_id= filter."""
    state = state_of(request)
    chat_filter = request.query.get("chat_id")
    response = web.StreamResponse(headers={
        "Content-Type": "text/event-stream", "Cache-Control": "no-cache",
        "Access-Control-Allow-Origin": "*",
    })
    await response.prepare(request)
    queue = state.subscribe()
    try:
        await response.write(b": connected\n\n")
        while True:
            try:
                event = await asyncio.wait_for(queue.get(), HEARTBEAT_S)
            except TimeoutError:
                await response.write(b": ping\n\n")
                continue
            if event is None:
                break
            if chat_filter and str(event.get("chat_id")) != chat_filter:
                continue
            data = json.dumps(event, ensure_ascii=False)
            await response.write(f"event: {event['type']}\ndata: {data}\n\n".encode())
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        state.unsubscribe(queue)
    return response


@control
async def post_fault(request: web.Request) -> web.StreamResponse:
    params = await Params.from_request(request)
    fault = Fault(
        method=params.req_str("method"), status=params.get_int("status", 500) or 500,
        count=params.get_int("count", 1) or 1, retry_after=params.get_int("retry_after"),
        delay_s=params.get_float("delay_s"), drop=params.get_bool("drop"),
        description=params.get_str("description"), every=params.get_int("every", 1) or 1,
    )
    state_of(request).faults.add(fault)
    return web.json_response({"ok": True, "pending": state_of(request).faults.pending()})


@control
async def delete_faults(request: web.Request) -> web.StreamResponse:
    state_of(request).faults.clear()
    return web.json_response({"ok": True})


@control
async def post_limits(request: web.Request) -> web.StreamResponse:
    params = await Params.from_request(request)
    limits = state_of(request).limits
    limits.configure(
        enabled=params.get_bool("enabled", True),
        global_per_s=params.get_int("global_per_s"),
        private_per_s=params.get_int("private_per_s"),
        group_per_min=params.get_int("group_per_min"),
    )
    return web.json_response({
        "enabled": limits.enabled, "global_per_s": limits.global_per_s,
        "private_per_s": limits.private_per_s, "group_per_min": limits.group_per_min,
    })


@control
async def stats(request: web.Request) -> web.StreamResponse:
    state = state_of(request)
    return web.json_response({**state.stats.to_json(), "updates_waiting": state.waiting_updates()})


@control
async def reset(request: web.Request) -> web.StreamResponse:
    state_of(request).reset()
    return web.json_response({"ok": True})


@control
async def download(request: web.Request) -> web.StreamResponse:
    stored = state_of(request).files.get(request.match_info["file_id"])
    if stored is None:
        raise ControlError(404, "unknown file_id")
    mime = stored.mime_type or "application/octet-stream"
    return web.Response(body=stored.data, content_type=mime)
