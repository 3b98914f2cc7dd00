"""Zalo updates → the same service calls as the Telegram handlers.

A Zalo chat has no buttons: each question ends with numbered choices ("Trả lời 1, 2 hoặc 3")
that the sender remembers as a conversation of the engine (ZaloChats.set_menu, flow
``choices``: it survives a restart); a bare number answers the last one,
and is dispatched like the button's callback data would be on Telegram (``tipf:...``,
``mytips:...``, ``relay:answer:<id>``...). Commands are typed words, with or without a slash,
Vietnamese or English: baotin/tip, canhbaolua/scam, tincuatoi/mytips, kiemtra/check,
khuvuc/area, dangky/subscribe, huydangky/unsubscribe, lienket/link, huy/cancel, help.

Zalo bots cannot receive a location pin: the "where" step takes an address, coordinates
("20.43, 106.17") or a Google Maps link. Only text and photos are answered: stickers, voice
messages, content Zalo withholds (``message.unsupported.received``) and events the docs do not
list (reactions, links) get no reply, so a resident is not told "unsupported" at every heart.
Zalo groups are answered only with ZALO_GROUPS_ENABLED (groups are "coming soon" for bots).

The parts live beside this module: zalo.incoming (parsing a message, the command words),
zalo.conversation (answering, numbered-choice rows), zalo.tip_flow (the tip conversation)
and zalo.commands (the typed commands and their conversations). Their names used elsewhere
stay importable from here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from services.access import Profile
from services.channels import zalo_dm_key
from services.errors import AnninhError, StorageUnavailable
from services.ports import MediaKind, MediaRef
from services.relay_model import Incoming
from services.tip_drafts import Step, WrongStep
from services.zalo import LINK_PREFIX
from zalo import render
from zalo.commands import ZaloCommands
from zalo.conversation import Conversation, _one
from zalo.incoming import (
    ARG_COMMANDS,
    COMMANDS,
    HANDLED_EVENTS,
    BotNames,
    ZaloMessage,
    _fold,
    after_mention,
)
from zalo.incoming import _coordinates as _coordinates  # re-exported: tests import it here
from zalo.sender import ZaloSender
from zalo.tip_flow import TipFlow

logger = logging.getLogger(__name__)


class ZaloSurface(ZaloCommands, TipFlow):
    def __init__(
        self, services: Any, sender: ZaloSender, bot_names: BotNames | None = None
    ) -> None:
        self.services = services
        self.sender = sender
        self.bot_names = bot_names if bot_names is not None else BotNames()

    # -- entry ----------------------------------------------------------------------------
    async def handle(self, update: dict[str, Any]) -> None:
        """Handle one update; never raises (a failure is logged and the user told)."""
        incoming = ZaloMessage.parse(update)
        if incoming is None or incoming.event not in HANDLED_EVENTS:
            if incoming is not None:
                logger.debug("Zalo event %s left unanswered", incoming.event[:64])
            return
        if incoming.is_group and not self.services.zalo_chats.groups_enabled:
            return  # Zalo groups are "coming soon" for bots: ZALO_GROUPS_ENABLED turns them on
        await self.converse(
            lambda: self.services.zalo.identify(incoming.sender_id, incoming.sender_name),
            incoming,
        )

    async def converse(
        self, identify: Callable[[], Awaitable[Profile]], incoming: ZaloMessage
    ) -> None:
        """Answer one message of the person ``identify`` names (a Zalo bot user, or an
        Official Account follower: zalo_oa.surface); never raises."""
        conv: Conversation | None = None
        try:
            profile = await identify()
            if incoming.is_group:
                key = await self.services.zalo_chats.group_key(incoming.chat_id)
                conv = Conversation(self, profile, key)
                await self._group(conv, incoming)
            else:
                conv = Conversation(self, profile, zalo_dm_key(profile.user.id))
                await self._private(conv, incoming)
        except AnninhError as exc:
            if conv is not None:
                await self._safe_say(conv, exc.message_key, **exc.args_for_message)
        except StorageUnavailable:
            logger.error("database unavailable while handling a Zalo message")
            if conv is not None:
                await self._safe_say(conv, "error-database-unavailable")
        except Exception:
            logger.exception("unhandled error in a Zalo update")
            if conv is not None:
                await self._safe_say(conv, "error-generic")

    @staticmethod
    async def _safe_say(conv: Conversation, key: str, **args: Any) -> None:
        try:
            await conv.say(key, **args)
        except Exception:
            logger.warning("could not tell a Zalo user about an error", exc_info=True)

    async def _group(self, conv: Conversation, msg: ZaloMessage) -> None:
        """Groups: the bot only sees mentions ("@Bot An Ninh kiemtra ...") and replies to it.
        Scam checks are answered there; tips must go privately (a tipster's identity never
        shows in a group)."""
        found = after_mention(msg.text, self.bot_names.names)
        command = COMMANDS.get(_fold(found[0])) if found else None
        if found is not None and command == "check" and found[1]:
            await self._check(conv, found[1])
            return
        await conv.say("zalo-group-hint")

    # -- private chat ---------------------------------------------------------------------
    async def _private(self, conv: Conversation, msg: ZaloMessage) -> None:
        text = msg.text.strip()
        if not text and msg.photo is None:
            return  # an empty text event: nothing to answer
        if msg.photo is None and text:
            words = text.split(maxsplit=1)
            if re.fullmatch(r"\d{1,2}", text):
                data = await self.services.zalo_chats.choice(conv.chat_key, int(text))
                if data is not None:
                    await self._dispatch(conv, data)
                    return
                # Not a choice: an answer the police wait for, or a "tổ 12" description.
            command = COMMANDS.get(_fold(words[0])) if len(words[0]) <= 20 else None
            if command not in ARG_COMMANDS and len(words) > 1:
                command = None  # "Huy nhà bên bị trộm xe": a name, not "huy" (cancel)
            if command is not None:
                await self._command(conv, command, words[1].strip() if len(words) > 1 else "")
                return
        # A relay question being answered, or another "next message" someone waits for.
        reply = await self.services.relay.on_message(
            conv.profile,
            Incoming(
                chat_id=conv.chat_key,
                message_id=render.message_key(msg.message_id or text),
                text=text,
                media=MediaRef(MediaKind.PHOTO, msg.photo) if msg.photo else None,
            ),
        )
        if reply is not None:
            await conv.say(reply.key, **reply.args)
            return
        draft = await self.services.tip_steps.current(conv.user_id)
        if draft is not None and draft.step is not Step.OFFER:
            await self._step_input(conv, draft, text, msg)
            return
        if msg.photo is not None:
            await conv.say("zalo-photo-outside", (_one("zalo-choice-start-tip", "tipf:new"),))
            return
        if re.fullmatch(r"\d{1,2}", text):
            await conv.say("zalo-choice-unknown", number=int(text))
            return
        _offered, truncated = await self.services.tip_steps.offer(conv.user_id, text)
        await conv.say(
            "zalo-offer",
            (
                _one("tip-button-offer-yes", "tipf:offer:yes"),
                _one("tip-button-offer-no", "tipf:offer:no"),
            ),
            truncated="yes" if truncated else "no",
        )

    # -- choices (what inline buttons do on Telegram) ---------------------------------------
    async def _dispatch(self, conv: Conversation, data: str) -> None:
        parts = data.split(":")
        head, action = parts[0], parts[1] if len(parts) > 1 else ""
        arg = parts[2] if len(parts) > 2 else ""
        try:
            if head == "tipf":
                await self._tip_choice(conv, action, arg)
            elif head == "mytips" and action == "page":
                await self._my_tips(conv, int(arg))
            elif head == "mytips" and action == "show":
                await self._my_tip(conv, int(arg))
            elif head == "relay" and action == "answer":
                code = await self.services.relay.start_answer(
                    conv.profile, int(arg), conv.chat_key
                )
                await self.services.zalo_chats.set_menu(conv.chat_key, [])  # "1" is an answer now
                await conv.say("zalo-relay-answer-prompt", code=code)
            elif head == LINK_PREFIX and action in ("yes", "no"):
                await self._link_answer(conv, action == "yes", int(arg))
            elif head == "onb":
                await self._area_choice(conv, action, arg)
            elif head == "url":
                await conv.say("zalo-open-link", url=data[len("url:") :])
            else:
                await conv.say("zalo-choice-unknown", number="?")
        except WrongStep as exc:
            await self._ask(conv, exc.draft, old=True)
        except ValueError:
            await conv.say("zalo-choice-unknown", number="?")
