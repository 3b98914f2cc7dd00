"""Membership changes and the updates/service messages they produce."""

from __future__ import annotations

from typing import Any

from sandbox.models import JSON, Chat, Member, StoredMessage
from sandbox.state import SandboxState, now_ts


def current_member(state: SandboxState, chat: Chat, user_id: int) -> Member:
    member = chat.members.get(user_id)
    if member is not None:
        return member
    if state.is_bot_id(user_id):
        return Member(state.user_by_id(user_id), state.bot_status(chat, user_id))
    return Member(state.user_by_id(user_id), chat.member_status(user_id))


def change_member(
    state: SandboxState, chat: Chat, user: JSON, status: str, *, actor: JSON,
    until_date: int = 0, permissions: dict[str, bool] | None = None,
    admin_rights: dict[str, bool] | None = None,
) -> Member:
    """Set a member's status and emit chat_member / my_chat_member updates."""
    user_id = int(user["id"])
    old = current_member(state, chat, user_id)
    new = Member(user, status, until_date, permissions, admin_rights)
    # Recipients are computed before the change so a removed bot still hears about it.
    recipients = state.recipients(chat)
    chat.members[user_id] = new
    payload: JSON = {
        "chat": chat.to_json(), "from": actor, "date": now_ts(),
        "old_chat_member": old.to_json(), "new_chat_member": new.to_json(),
    }
    for bot in recipients:
        if bot.id != user_id:
            state.enqueue(bot, "chat_member", payload)
    if user_id in state.bots:
        state.enqueue(state.bots[user_id], "my_chat_member", payload)
    state.publish(
        "member", chat.id, user=user, old_status=old.status, new_status=status,
        member=new.to_json(),
    )
    return new


def members_changed(
    state: SandboxState, chat: Chat, joined: list[JSON], left: list[JSON],
    actor: JSON | None,
) -> list[StoredMessage]:
    """Users (or bots) join/leave a group: service messages plus member updates."""
    messages: list[StoredMessage] = []
    if joined:
        sender = actor or joined[0]
        recipients_before = {b.id for b in state.recipients(chat)}
        for user in joined:
            is_bot = int(user["id"]) in state.bots
            status = ("administrator" if chat.bot_admin else "member") if is_bot else "member"
            change_member(state, chat, user, status, actor=sender)
        stored = state.add_message(chat, sender, {"new_chat_members": joined})
        messages.append(stored)
        for bot in state.recipients(chat):
            if bot.id in recipients_before or any(u["id"] == bot.id for u in joined):
                state.enqueue(bot, "message", stored.data)
    for user in left:
        sender = actor or user
        recipients = state.recipients(chat)
        change_member(state, chat, user, "left", actor=sender)
        stored = state.add_message(chat, sender, {"left_chat_member": user})
        messages.append(stored)
        for bot in recipients:
            state.enqueue(bot, "message", stored.data)
    return messages


def set_admins(
    state: SandboxState, chat: Chat, user_ids: list[int], bot_is_admin: bool,
    creator_id: int | None = None,
) -> None:
    actor = state.user_by_id(creator_id or (user_ids[0] if user_ids else 0))
    wanted = set(user_ids)
    for user_id, member in list(chat.members.items()):
        if user_id in state.bots:
            continue
        if member.status == "administrator" and user_id not in wanted:
            change_member(state, chat, member.user, "member", actor=actor)
    for user_id in user_ids:
        status = "creator" if user_id == creator_id else "administrator"
        if current_member(state, chat, user_id).status != status:
            change_member(state, chat, state.user_by_id(user_id), status, actor=actor)
    chat.bot_admin = bot_is_admin
    for bot in state.bots.values():
        old = state.bot_status(chat, bot.id)
        new = "administrator" if bot_is_admin else "member"
        if old in ("member", "administrator") and (old != new or bot.id not in chat.members):
            change_member(state, chat, bot.user, new, actor=actor)


def set_blocked(state: SandboxState, user_id: int, blocked: bool) -> None:
    """A user blocks/unblocks every bot: my_chat_member in the private chat."""
    if blocked:
        state.blocked.add(user_id)
    else:
        state.blocked.discard(user_id)
    chat = state.ensure_chat(user_id, "private", user=state.user_by_id(user_id))
    user = state.user_by_id(user_id)
    for bot in state.bots.values():
        payload: dict[str, Any] = {
            "chat": chat.to_json(), "from": user, "date": now_ts(),
            "old_chat_member": Member(bot.user, "kicked" if not blocked else "member").to_json(),
            "new_chat_member": Member(bot.user, "kicked" if blocked else "member").to_json(),
        }
        state.enqueue(bot, "my_chat_member", payload)
    state.publish("blocked" if blocked else "unblocked", user_id, user_id=user_id)
