"""Linking groups to areas (/lienket, /huylienket), group settings (/caidat, /xacminh), role
grants from a chat (/capquyen, /thuquyen), and following the bot's own membership."""

from __future__ import annotations

from telegram import ChatMember, ChatMemberUpdated, Message, Update, User
from telegram.constants import ChatMemberStatus
from telegram.ext import Application, ChatMemberHandler, CommandHandler

from bot.context import AnninhContext
from handlers.common import (
    GROUP_TYPES,
    addressed_person,
    command_args,
    group_chat,
    profile_of,
    reply,
)
from services.domain import person_name
from services.errors import InvalidInput
from services.grants import parse_role
from services.moderation_model import Member
from services.ports import L10n
from services.text_input import whole_number

MEMBER_HANDLERS_GROUP = 3
"""my_chat_member / chat_member handlers run in their own handler group so another feature's
handler for private chats can never swallow group updates."""


def member_of(user: User) -> Member:
    return Member(
        user.id, person_name(user.first_name, user.last_name), user.is_bot, user.username
    )


async def _bot_is_admin(context: AnninhContext, chat_id: int) -> bool:
    me = await context.bot.get_chat_member(chat_id, context.bot.id)
    return me.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def link(update: Update, context: AnninhContext) -> None:
    """/lienket <area code> [canhsat|dan]: attach this group to an area."""
    profile = profile_of(context)
    chat = group_chat(update)
    args = command_args(context, "group-link-usage")
    is_admin = await _bot_is_admin(context, chat.id)
    outcome = await context.services.groups.link(
        profile,
        chat.id,
        args[0],
        args[1] if len(args) > 1 else None,
        type_=chat.type,
        title=chat.title,
        bot_is_admin=is_admin,
    )
    await reply(
        update,
        context,
        "group-linked",
        area=await context.services.areas.local_name_of(outcome.area),
        code=outcome.area.code,
        purpose=L10n("group-purpose", {"purpose": outcome.purpose.value}),
    )
    if not outcome.bot_is_admin:
        await reply(update, context, "group-bot-not-admin")


async def unlink(update: Update, context: AnninhContext) -> None:
    """/huylienket: detach this group from its area."""
    profile = profile_of(context)
    chat = group_chat(update)
    area = await context.services.groups.unlink(profile, chat.id)
    name = await context.services.areas.local_name_of(area)
    await reply(update, context, "group-unlinked", area=name)


async def settings_command(update: Update, context: AnninhContext) -> None:
    """/caidat [key value]: show or change this group's moderation settings."""
    profile = profile_of(context)
    chat = group_chat(update)
    if len(context.args or []) >= 2:
        assert context.args is not None
        current = await context.services.groups.set_setting(
            profile, chat.id, context.args[0], context.args[1]
        )
    else:
        current = (await context.services.groups.require(profile, chat.id)).settings
    values = current.to_json()
    values["verify"] = "on" if current.verify else "off"
    await reply(update, context, "group-settings", **values)


async def verify_toggle(update: Update, context: AnninhContext) -> None:
    """/xacminh on|off: join verification for this group."""
    profile = profile_of(context)
    chat = group_chat(update)
    args = command_args(context, "group-verify-usage")
    current = await context.services.groups.set_setting(profile, chat.id, "verify", args[0])
    minutes = max(1, round(current.verify_seconds / 60))
    await reply(
        update,
        context,
        "group-verify-on" if current.verify else "group-verify-off",
        minutes=minutes,
    )


def _grant_target(message: Message, args: list[str]) -> tuple[int | None, str | None, list[str]]:
    """(telegram id, username, remaining args) from "@user ..." / "<id> ..." / a reply."""
    if args and len(args) >= 3 and (telegram_id := whole_number(args[0], signed=True)) is not None:
        return telegram_id, None, args[1:]
    user, username, rest = addressed_person(message, args)
    if username is not None:
        return None, username, rest
    if user is not None and not user.is_bot:
        return user.id, None, rest
    raise InvalidInput("group-grant-usage")


async def grant(update: Update, context: AnninhContext) -> None:
    """/capquyen @user|reply police|moderator <area code>."""
    await _grant_or_revoke(update, context, revoke=False)


async def revoke(update: Update, context: AnninhContext) -> None:
    """/thuquyen @user|reply police|moderator <area code>."""
    await _grant_or_revoke(update, context, revoke=True)


async def _grant_or_revoke(update: Update, context: AnninhContext, *, revoke: bool) -> None:
    profile = profile_of(context)
    message = update.effective_message
    assert message is not None
    telegram_id, username, rest = _grant_target(message, list(context.args or []))
    if len(rest) != 2:
        raise InvalidInput("group-grant-usage")
    role, area_code = rest
    grants = context.services.grants
    if revoke:
        removed = await grants.revoke(
            target_telegram_id=telegram_id,
            target_username=username,
            role=role,
            area_code=area_code,
            actor=profile,
        )
        await reply(update, context, "group-revoked" if removed else "group-revoke-none")
        return
    created, user = await grants.grant(
        target_telegram_id=telegram_id,
        target_username=username,
        role=role,
        area_code=area_code,
        actor=profile,
    )
    await reply(
        update,
        context,
        "group-granted" if created else "group-grant-exists",
        name=user.display_name if user.first_name else (username or str(telegram_id)),
        role=L10n(f"role-{parse_role(role).value}"),
        code=area_code.upper(),
    )


async def bot_membership(update: Update, context: AnninhContext) -> None:
    """my_chat_member in a group: the bot was added, removed, promoted or demoted."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None or change.chat.type not in GROUP_TYPES:
        return
    new = change.new_chat_member
    present = new.status not in (ChatMember.LEFT, ChatMember.BANNED)
    actor = context.profile.user.id if context.profile else None
    await context.services.groups.bot_membership(
        change.chat.id,
        change.chat.type,
        change.chat.title,
        present=present,
        is_admin=new.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER),
        actor_user_id=actor,
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["lienket", "link"], link))
    app.add_handler(CommandHandler(["huylienket", "unlink"], unlink))
    app.add_handler(CommandHandler(["caidat", "settings"], settings_command))
    app.add_handler(CommandHandler(["xacminh", "verify"], verify_toggle))
    app.add_handler(CommandHandler(["capquyen", "grant"], grant))
    app.add_handler(CommandHandler(["thuquyen", "revoke"], revoke))
    app.add_handler(
        ChatMemberHandler(bot_membership, ChatMemberHandler.MY_CHAT_MEMBER),
        group=MEMBER_HANDLERS_GROUP,
    )
