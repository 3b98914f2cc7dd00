"""Bot API methods about chats, members and the bot's own settings."""

from __future__ import annotations

import json
import re

from sandbox.errors import bad_request
from sandbox.members import change_member, current_member
from sandbox.models import ADMIN_FLAGS, JSON, PERMISSION_FLAGS, PRESENT_STATUSES, Chat
from sandbox.registry import Ctx, api_method

RESTRICT_RIGHTS = "restrict/unrestrict chat member"


def _chat(ctx: Ctx) -> Chat:
    try:
        return ctx.state.get_chat(int(ctx.params.req_str("chat_id")))
    except ValueError:
        raise bad_request("chat not found") from None


@api_method("getChat")
async def get_chat(ctx: Ctx) -> JSON:
    chat = _chat(ctx)
    info = chat.to_json()
    info.update(
        accent_color_id=0, max_reaction_count=11,
        accepted_gift_types={
            "unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
            "premium_subscription": False, "gifts_from_channels": False,
        },
    )
    if chat.is_group:
        info["permissions"] = {flag: True for flag in PERMISSION_FLAGS}
    if chat.pinned_id and chat.pinned_id in chat.messages:
        info["pinned_message"] = chat.messages[chat.pinned_id].data
    return info


@api_method("getChatMember")
async def get_chat_member(ctx: Ctx) -> JSON:
    chat = _chat(ctx)
    return current_member(ctx.state, chat, ctx.params.req_int("user_id")).to_json()


@api_method("getChatAdministrators")
async def get_chat_administrators(ctx: Ctx) -> list[JSON]:
    chat = _chat(ctx)
    if not chat.is_group:
        raise bad_request("there are no administrators in the private chat")
    ids = [uid for uid in chat.members] + [b for b in ctx.state.bots if b not in chat.members]
    members = [current_member(ctx.state, chat, uid) for uid in ids]
    return [m.to_json() for m in members if m.status in ("creator", "administrator")]


@api_method("getChatMemberCount", "getChatMembersCount")
async def get_chat_member_count(ctx: Ctx) -> int:
    chat = _chat(ctx)
    if not chat.is_group:
        return 2
    ids = set(chat.members) | {b for b in ctx.state.bots if ctx.state.bot_present(chat, b)}
    return sum(
        1 for uid in ids if current_member(ctx.state, chat, uid).status in PRESENT_STATUSES
    )


def _moderated(ctx: Ctx, *, supergroup_only: bool) -> tuple[Chat, int]:
    """Chat and target user for restrict/ban, with Telegram's refusals."""
    chat = _chat(ctx)
    if not chat.is_group:
        raise bad_request("chat member status can't be changed in private chats")
    if supergroup_only and chat.type != "supergroup":
        raise bad_request("method is available only for supergroups")
    if ctx.state.bot_status(chat, ctx.bot.id) != "administrator":
        raise bad_request(f"not enough rights to {RESTRICT_RIGHTS}")
    user_id = ctx.params.req_int("user_id")
    status = current_member(ctx.state, chat, user_id).status
    if status == "creator":
        raise bad_request("can't remove chat owner")
    if status == "administrator":
        raise bad_request("user is an administrator of the chat")
    return chat, user_id


@api_method("restrictChatMember")
async def restrict_chat_member(ctx: Ctx) -> bool:
    chat, user_id = _moderated(ctx, supergroup_only=True)
    perms = ctx.params.json("permissions")
    if not isinstance(perms, dict):
        raise bad_request("permissions must be a ChatPermissions object")
    permissions = {flag: bool(perms.get(flag, False)) for flag in PERMISSION_FLAGS}
    status = "member" if all(permissions.values()) else "restricted"
    change_member(
        ctx.state, chat, ctx.state.user_by_id(user_id), status, actor=ctx.bot.user,
        until_date=ctx.params.get_int("until_date", 0) or 0,
        permissions=permissions if status == "restricted" else None,
    )
    return True


@api_method("banChatMember", "kickChatMember")
async def ban_chat_member(ctx: Ctx) -> bool:
    chat, user_id = _moderated(ctx, supergroup_only=False)
    change_member(
        ctx.state, chat, ctx.state.user_by_id(user_id), "kicked", actor=ctx.bot.user,
        until_date=ctx.params.get_int("until_date", 0) or 0,
    )
    if ctx.params.get_bool("revoke_messages"):
        for stored in chat.messages.values():
            if stored.data.get("from", {}).get("id") == user_id and not stored.deleted:
                stored.deleted = True
                ctx.state.publish("deleted", chat.id, message_id=stored.data["message_id"])
    return True


@api_method("unbanChatMember")
async def unban_chat_member(ctx: Ctx) -> bool:
    chat, user_id = _moderated(ctx, supergroup_only=False)
    status = current_member(ctx.state, chat, user_id).status
    # Without only_if_banned Telegram also removes a current member.
    only_if_banned = ctx.params.get_bool("only_if_banned")
    if status == "kicked" or (status in PRESENT_STATUSES and not only_if_banned):
        change_member(ctx.state, chat, ctx.state.user_by_id(user_id), "left", actor=ctx.bot.user)
    return True


@api_method("promoteChatMember")
async def promote_chat_member(ctx: Ctx) -> bool:
    chat = _chat(ctx)
    if ctx.state.bot_status(chat, ctx.bot.id) != "administrator":
        raise bad_request("not enough rights")
    user_id = ctx.params.req_int("user_id")
    rights = {flag: ctx.params.get_bool(flag) for flag in ADMIN_FLAGS}
    status = "administrator" if any(rights.values()) else "member"
    change_member(ctx.state, chat, ctx.state.user_by_id(user_id), status,
                  actor=ctx.bot.user, admin_rights=rights)
    return True


@api_method("leaveChat")
async def leave_chat(ctx: Ctx) -> bool:
    chat = _chat(ctx)
    if not chat.is_group:
        raise bad_request("chat member status can't be changed in private chats")
    change_member(ctx.state, chat, ctx.bot.user, "left", actor=ctx.bot.user)
    return True


def _commands_key(ctx: Ctx) -> str:
    scope = ctx.params.json("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True) + "|" + (ctx.params.get_str("language_code") or "")


@api_method("setMyCommands")
async def set_my_commands(ctx: Ctx) -> bool:
    commands = ctx.params.json("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("commands must be a list of at most 100 BotCommand")
    for command in commands:
        if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("command description is empty or too long")
    ctx.bot.commands[_commands_key(ctx)] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    return True


@api_method("getMyCommands")
async def get_my_commands(ctx: Ctx) -> list[JSON]:
    return ctx.bot.commands.get(_commands_key(ctx), [])


@api_method("deleteMyCommands")
async def delete_my_commands(ctx: Ctx) -> bool:
    ctx.bot.commands.pop(_commands_key(ctx), None)
    return True


@api_method(
    "setChatMenuButton", "setMyDescription", "setMyShortDescription", "setMyName",
    "setMyDefaultAdministratorRights", "setChatTitle", "setChatDescription",
)
async def accept(ctx: Ctx) -> bool:
    return True


@api_method("getChatMenuButton")
async def get_chat_menu_button(ctx: Ctx) -> JSON:
    return {"type": "commands"}


@api_method("getUserProfilePhotos")
async def get_user_profile_photos(ctx: Ctx) -> JSON:
    return {"total_count": 0, "photos": []}


@api_method("exportChatInviteLink")
async def export_chat_invite_link(ctx: Ctx) -> str:
    return f"https://t.me/+sandbox{abs(_chat(ctx).id)}"
