"""Group moderation: /baocao (/report), /canhcao (/warn), /gocanhcao (/unwarn), /camchat
(/mute), /mochat (/unmute), /chan (/ban), /gochan (/unban), join verification and the flood
guard."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import ChatMember, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import AnninhContext
from handlers.common import addressed_person, group_chat, profile_of, reply
from handlers.groups import MEMBER_HANDLERS_GROUP, member_of
from scheduler import verification as timers
from services.access import Profile
from services.domain import person_name
from services.errors import InvalidInput
from services.moderation_model import FlaggedMessage, Member
from services.text_input import whole_number
from services.verification import CALLBACK_PREFIX, PressResult

logger = logging.getLogger(__name__)

FLOOD_GROUP = 4
"""The flood guard sees every group message, in its own handler group after the commands."""

_DURATION = re.compile(r"^(\d{1,6})\s*(m|p|h|g|d|n)?$", re.IGNORECASE)
_UNIT_MINUTES = {"m": 1, "p": 1, "h": 60, "g": 60, "d": 1440, "n": 1440}


def parse_minutes(text: str) -> int | None:
    """ "30", "30m"/"30p" (phút), "2h"/"2g" (giờ), "1d"/"1n" (ngày) → minutes."""
    match = _DURATION.match(text.strip())
    if not match:
        return None
    return int(match.group(1)) * _UNIT_MINUTES[(match.group(2) or "m").lower()]


def _local(context: AnninhContext, when: datetime) -> str:
    return when.astimezone(context.services.settings.tz).strftime("%H:%M %d/%m/%Y")


async def _target(update: Update, context: AnninhContext) -> tuple[Member, list[str]]:
    """The member a moderation command is about, and its remaining arguments: "@name" or a
    tapped mention first, else the author of the replied-to message. "@name" is needed to
    lift a ban: a banned member has no new message to reply to."""
    message = update.effective_message
    assert message is not None
    user, username, rest = addressed_person(message, list(context.args or []))
    if username is not None:
        chat = group_chat(update)
        named = await context.services.moderation.targets.named(
            profile_of(context), chat.id, username
        )
        return named, rest
    if user is None:
        raise InvalidInput("mod-reply-needed")
    return member_of(user), rest


def _command_id(update: Update) -> int:
    """The id of the command's own message: a warning given or lifted by it happens once
    however often the update is handled."""
    message = update.effective_message
    assert message is not None
    return message.message_id


async def report(update: Update, context: AnninhContext) -> None:
    """/baocao as a reply: flag a message for the moderators."""
    profile = profile_of(context)
    message = update.effective_message
    chat = group_chat(update)
    assert message is not None
    replied = message.reply_to_message
    if replied is None or replied.from_user is None:
        await reply(update, context, "mod-report-how")
        return
    outcome = await context.services.moderation.reports.flag_message(
        profile,
        chat.id,
        FlaggedMessage(
            replied.message_id,
            member_of(replied.from_user),
            replied.text or replied.caption or "",
        ),
    )
    if outcome.to_police:
        key = "mod-report-protected" if outcome.new_flag else "mod-report-already"
        await reply(update, context, key)
    elif outcome.hidden:
        await reply(update, context, "mod-report-hidden", count=outcome.count)
    elif outcome.new_flag:
        await reply(
            update, context, "mod-report-thanks", count=outcome.count, threshold=outcome.threshold
        )
    else:
        await reply(update, context, "mod-report-already")


async def warn(update: Update, context: AnninhContext) -> None:
    """/canhcao [lý do] as a reply."""
    profile = profile_of(context)
    chat = group_chat(update)
    target, rest = await _target(update, context)
    reason = " ".join(rest)[:500] or None
    outcome = await context.services.moderation.warnings.warn(
        profile, chat.id, target, reason, source_message_id=_command_id(update)
    )
    if outcome.repeated:
        await reply(update, context, "mod-warn-repeated", name=target.name)
        return
    await reply(
        update,
        context,
        "mod-warned",
        name=target.name,
        count=outcome.count,
        limit=outcome.limit,
        reason=reason or "",
    )
    if outcome.muted_until is not None:
        await reply(
            update,
            context,
            "mod-warn-muted",
            name=target.name,
            until=_local(context, outcome.muted_until),
        )
    elif outcome.mute_failed:
        await reply(update, context, "mod-bot-cannot-act")


async def unwarn(update: Update, context: AnninhContext) -> None:
    profile = profile_of(context)
    chat = group_chat(update)
    target, _ = await _target(update, context)
    remaining = await context.services.moderation.warnings.unwarn(
        profile, chat.id, target, source_message_id=_command_id(update)
    )
    await reply(update, context, "mod-unwarned", name=target.name, count=remaining)


async def mute(update: Update, context: AnninhContext) -> None:
    """/camchat [30m|2h|1d] as a reply."""
    profile = profile_of(context)
    chat = group_chat(update)
    target, rest = await _target(update, context)
    minutes = None
    if rest:
        minutes = parse_minutes(rest[0])
        if minutes is None:
            raise InvalidInput("mod-duration-invalid", value=rest[0][:32])
    until = await context.services.moderation.sanctions.mute(profile, chat.id, target, minutes)
    await reply(update, context, "mod-muted", name=target.name, until=_local(context, until))


async def _act_on_target(
    update: Update,
    context: AnninhContext,
    act: Callable[[Profile, int, Member], Awaitable[object]],
    done_key: str,
) -> None:
    """/mochat, /chan, /gochan: one moderation action on the addressed member, then "done"."""
    profile = profile_of(context)
    chat = group_chat(update)
    target, _ = await _target(update, context)
    await act(profile, chat.id, target)
    await reply(update, context, done_key, name=target.name)


async def unmute(update: Update, context: AnninhContext) -> None:
    await _act_on_target(
        update, context, context.services.moderation.sanctions.unmute, "mod-unmuted"
    )


async def ban(update: Update, context: AnninhContext) -> None:
    await _act_on_target(update, context, context.services.moderation.sanctions.ban, "mod-banned")


async def unban(update: Update, context: AnninhContext) -> None:
    await _act_on_target(
        update, context, context.services.moderation.sanctions.unban, "mod-unbanned"
    )


def _joined(update: Update) -> bool:
    change = update.chat_member
    if change is None:
        return False
    was = change.old_chat_member
    now = change.new_chat_member
    was_in = was.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER) or (
        was.status == ChatMember.RESTRICTED and getattr(was, "is_member", False)
    )
    is_in = now.status == ChatMember.MEMBER or (
        now.status == ChatMember.RESTRICTED and getattr(now, "is_member", False)
    )
    return is_in and not was_in


async def member_joined(update: Update, context: AnninhContext) -> None:
    """A member joined a group: suspicious names are queued; verification if switched on."""
    if not _joined(update):
        return
    change = update.chat_member
    assert change is not None
    if change.chat.type not in ("group", "supergroup"):
        return
    newcomer = change.new_chat_member.user
    outcome = await context.services.verification.member_joined(
        change.chat.id, member_of(newcomer)
    )
    if outcome.pending is not None:
        timers.arm(
            context.application,
            outcome.pending,
            context.services.verification.delay(outcome.pending),
        )


async def verify_pressed(update: Update, context: AnninhContext) -> None:
    """ "I am human": only the newcomer's own press counts."""
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    chat_id = whole_number(parts[1], signed=True) if len(parts) == 3 else None
    user_id = whole_number(parts[2], signed=True) if len(parts) == 3 else None
    if chat_id is None or user_id is None:
        await query.answer(context.text("error-button-expired"), show_alert=True)
        return
    result = await context.services.verification.press(query.from_user.id, chat_id, user_id)
    if result is PressResult.VERIFIED:
        timers.disarm(context.application, chat_id, user_id)
        await query.answer(context.text("mod-verify-done"))
    elif result is PressResult.NOT_YOU:
        await query.answer(context.text("mod-verify-not-you"), show_alert=True)
    else:
        await query.answer(context.text("mod-verify-not-pending"), show_alert=True)


async def flood_guard(update: Update, context: AnninhContext) -> None:
    """Count every group message; over the limit the member is muted and queued."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    outcome = await context.services.moderation.flood.note_message(
        context.profile,
        chat.id,
        member_of(user),
        message.message_id,
        message.text or message.caption or "",
    )
    if outcome is not None:
        await reply(
            update,
            context,
            "mod-flood-muted",
            name=person_name(user.first_name, user.last_name),
            until=_local(context, outcome.muted_until),
        )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["baocao", "report"], report))
    group_only = filters.ChatType.GROUPS
    for names, callback in (
        (["canhcao", "warn"], warn),
        (["gocanhcao", "unwarn"], unwarn),
        (["camchat", "mute"], mute),
        (["mochat", "unmute"], unmute),
        (["chan", "ban"], ban),
        (["gochan", "unban"], unban),
    ):
        app.add_handler(CommandHandler(names, callback, filters=group_only))
    app.add_handler(CallbackQueryHandler(verify_pressed, pattern=rf"^{CALLBACK_PREFIX}:"))
    app.add_handler(
        ChatMemberHandler(member_joined, ChatMemberHandler.CHAT_MEMBER),
        group=MEMBER_HANDLERS_GROUP,
    )
    app.add_handler(
        MessageHandler(group_only & ~filters.StatusUpdate.ALL, flood_guard), group=FLOOD_GROUP
    )
