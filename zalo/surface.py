"""Zalo updates → the same service calls as the Telegram handlers.

A Zalo chat has no buttons: each question ends with numbered choices ("Trả lời 1, 2 hoặc 3")
that the sender remembers per chat (ZaloService menus); a bare number answers the last one,
and is dispatched like the button's callback data would be on Telegram (``tipf:...``,
``mytips:...``, ``relay:answer:<id>``...). Commands are typed words, with or without a slash,
Vietnamese or English: baotin/tip, canhbaolua/scam, tincuatoi/mytips, kiemtra/check,
khuvuc/area, dangky/subscribe, huydangky/unsubscribe, lienket/link, huy/cancel, help.

Zalo bots cannot receive a location pin: the "where" step takes an address, coordinates
("20.43, 106.17") or a Google Maps link.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.categories import CATEGORIES, label_key
from services.channels import ZALO, zalo_dm_key
from services.errors import AnninhError, StorageUnavailable
from services.ports import (
    Html,
    InlineButton,
    L10n,
    MediaKind,
    MediaRef,
    OutgoingMessage,
    Recipient,
)
from services.relay import Incoming
from services.tips import Draft, DraftAttachment, Step, WrongStep
from storage.dto import AreaDTO
from zalo import render
from zalo.sender import ZaloSender

logger = logging.getLogger(__name__)

SUMMARY_TEXT = 800
_COORDS = re.compile(r"(-?\d{1,2}\.\d+)\s*[,;]\s*(-?\d{1,3}\.\d+)")
_MAPS = re.compile(r"(?:@|[?&](?:q|query|ll)=)(-?\d{1,2}\.\d+),\s*(-?\d{1,3}\.\d+)")
_MENTION = re.compile(r"@\S+")

COMMANDS: dict[str, str] = {
    "start": "help", "help": "help", "menu": "help", "trogiup": "help", "batdau": "help",
    "hi": "help", "chao": "help", "xinchao": "help",
    "baotin": "tip", "tip": "tip",
    "canhbaolua": "scam", "scam": "scam",
    "tincuatoi": "mytips", "mytips": "mytips",
    "kiemtra": "check", "check": "check",
    "khuvuc": "area", "area": "area",
    "dangky": "subscribe", "subscribe": "subscribe",
    "huydangky": "unsubscribe", "unsubscribe": "unsubscribe",
    "lienket": "link", "lienkettaikhoan": "link", "link": "link",
    "huy": "cancel", "cancel": "cancel",
    "xong": "done", "done": "done",
}  # fmt: skip


ARG_COMMANDS = frozenset({"check", "link"})
"""Commands that take words after them; the others must be the whole message."""


def _fold(word: str) -> str:
    """ "Báo tin" / "/baotin" / "BAOTIN" → "baotin" (accents and đ folded)."""
    word = word.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFD", word)
    return "".join(c for c in plain if c.isalnum() and not unicodedata.combining(c)).lower()


@dataclass(frozen=True, slots=True)
class ZaloMessage:
    """One incoming Zalo message, as the surface needs it."""

    sender_id: str
    sender_name: str
    chat_id: str
    is_group: bool
    message_id: str
    event: str
    text: str
    photo: str | None

    @classmethod
    def parse(cls, update: dict[str, Any]) -> ZaloMessage | None:
        data = update.get("result") if "message" not in update else update
        if not isinstance(data, dict):
            return None
        message = data.get("message")
        if not isinstance(message, dict):
            return None
        sender = message.get("from") or {}
        chat = message.get("chat") or {}
        if not sender.get("id") or not chat.get("id") or sender.get("is_bot"):
            return None
        text = message.get("text") or message.get("caption") or ""
        photo = message.get("photo_url") or message.get("photo")
        return cls(
            sender_id=str(sender["id"]),
            sender_name=str(sender.get("display_name") or sender.get("name") or ""),
            chat_id=str(chat["id"]),
            is_group=str(chat.get("chat_type") or "PRIVATE").upper() == "GROUP",
            message_id=str(message.get("message_id") or ""),
            event=str(data.get("event_name") or ""),
            text=unicodedata.normalize("NFC", str(text)),
            photo=str(photo) if isinstance(photo, str) and photo else None,
        )


class Conversation:
    """One message being handled: who, where, and how to answer."""

    def __init__(self, surface: ZaloSurface, profile: Any, chat_key: int) -> None:
        self.surface = surface
        self.services = surface.services
        self.profile = profile
        self.user_id: int = profile.user.id
        self.locale: str = profile.locale
        self.chat_key = chat_key

    async def say(
        self, key: str, buttons: tuple[tuple[InlineButton, ...], ...] = (), **args: Any
    ) -> None:
        result = await self.surface.sender.send(
            Recipient(self.chat_key, self.locale, ZALO),
            OutgoingMessage(key, args, buttons=buttons),
        )
        if not result.ok:
            logger.info("zalo reply not delivered: %s", result.status.value)

    def text(self, key: str, **args: Any) -> str:
        return render.text(key, self.locale, args)


def _one(key: str, data: str, **args: Any) -> tuple[InlineButton, ...]:
    return (InlineButton(key, data, label_args=args),)


CANCEL = _one("zalo-choice-cancel", "tipf:cancel")


class ZaloSurface:
    def __init__(self, services: Any, sender: ZaloSender) -> None:
        self.services = services
        self.sender = sender

    # -- entry ----------------------------------------------------------------------------
    async def handle(self, update: dict[str, Any]) -> None:
        """Handle one update; never raises (a failure is logged and the user told)."""
        incoming = ZaloMessage.parse(update)
        if incoming is None:
            return
        conv: Conversation | None = None
        try:
            profile = await self.services.zalo.identify(incoming.sender_id, incoming.sender_name)
            if incoming.is_group:
                key = await self.services.zalo.group_key(incoming.chat_id)
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
        """Groups: the bot only sees mentions. Scam checks are answered there; tips must go
        privately (a tipster's identity never shows in a group)."""
        words = _MENTION.sub(" ", msg.text).split(maxsplit=1)
        command = COMMANDS.get(_fold(words[0])) if words else None
        if command == "check" and len(words) > 1:
            await self._check(conv, words[1])
            return
        await conv.say("zalo-group-hint")

    # -- private chat ---------------------------------------------------------------------
    async def _private(self, conv: Conversation, msg: ZaloMessage) -> None:
        if msg.event == "message.sticker.received":
            await conv.say("zalo-sticker")
            return
        if msg.event == "message.unsupported.received" or (not msg.text and not msg.photo):
            await conv.say("zalo-unsupported")
            return
        text = msg.text.strip()
        if msg.photo is None and text:
            words = text.split(maxsplit=1)
            if re.fullmatch(r"\d{1,2}", text):
                data = await self.services.zalo.choice(conv.chat_key, int(text))
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
        draft = await self.services.tips.current(conv.user_id)
        if draft is not None and draft.step is not Step.OFFER:
            await self._step_input(conv, draft, text, msg)
            return
        if msg.photo is not None:
            await conv.say("zalo-photo-outside", (_one("zalo-choice-start-tip", "tipf:new"),))
            return
        if re.fullmatch(r"\d{1,2}", text):
            await conv.say("zalo-choice-unknown", number=int(text))
            return
        _offered, truncated = await self.services.tips.offer(conv.user_id, text)
        await conv.say(
            "zalo-offer",
            (
                _one("tip-button-offer-yes", "tipf:offer:yes"),
                _one("tip-button-offer-no", "tipf:offer:no"),
            ),
            truncated="yes" if truncated else "no",
        )

    async def _command(self, conv: Conversation, command: str, arg: str) -> None:
        tips = self.services.tips
        if command == "help":
            await conv.say("zalo-help")
        elif command == "tip":
            await self._ask(conv, await tips.begin(conv.user_id, text=""))
        elif command == "scam":
            await conv.say("tip-fraud-intro")
            await self._ask(conv, await tips.begin(conv.user_id, category="online_fraud", text=""))
        elif command == "mytips":
            await self._my_tips(conv, 0)
        elif command == "check":
            if arg:
                await self._check(conv, arg)
            else:
                await conv.say("zalo-check-usage")
        elif command == "area":
            await self._area_start(conv)
        elif command == "subscribe":
            result = await self.services.subscriptions.subscribe(conv.user_id)
            key = "onb-subscribed" if result.created else "onb-already-subscribed"
            await conv.say(key, place=result.place.full_name)
        elif command == "unsubscribe":
            stopped = await self.services.subscriptions.unsubscribe(conv.user_id)
            await conv.say("onb-unsubscribed" if stopped else "onb-not-subscribed")
        elif command == "link":
            await self._link(conv, arg)
        elif command == "cancel":
            await self.services.relay.cancel(conv.chat_key, conv.user_id)
            dropped = await tips.cancel(conv.user_id)
            await conv.say("zalo-cancelled" if dropped else "tip-nothing-to-cancel")
        elif command == "done":
            draft = await tips.current(conv.user_id)
            if draft is None or draft.step is not Step.DESCRIPTION:
                await conv.say("tip-no-draft")
                return
            await self._ask(conv, await tips.finish_description(conv.user_id))

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
                await self.services.zalo.set_menu(conv.chat_key, [])  # "1" is an answer now
                await conv.say("zalo-relay-answer-prompt", code=code)
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

    async def _tip_choice(self, conv: Conversation, action: str, arg: str) -> None:
        tips = self.services.tips
        uid = conv.user_id
        if action == "new":
            await self._ask(conv, await tips.begin(uid, text=""))
        elif action == "offer":
            if arg == "yes":
                await self._ask(conv, await tips.begin(uid))
            else:
                await tips.cancel(uid)
                await conv.say("zalo-offer-declined")
        elif action == "cat":
            await self._ask(conv, await tips.choose_category(uid, arg))
        elif action == "done":
            await self._ask(conv, await tips.finish_description(uid))
        elif action == "skipfraud":
            accepted = await tips.set_fraud_details(uid, None)
            await self._ask(conv, accepted.draft)
        elif action == "skiploc":
            await conv.say("tip-location-skipped")
            await self._ask(conv, await tips.skip_location(uid))
        elif action in ("home", "pick"):
            area = await self.services.areas.get_by_id(int(arg))
            if area is not None and area.kind.value != "residential_group" and action == "pick":
                await self._area_level(conv, "tipf", area.id)
                return
            draft = await tips.choose_area(uid, int(arg))
            await conv.say("tip-area-chosen", name=area.name if area else "")
            await self._ask(conv, draft)
        elif action == "otherarea":
            await self._area_level(conv, "tipf", None)
        elif action == "up":
            await self._area_level(conv, "tipf", int(arg) if arg else None)
        elif action == "anon":
            await self._ask(conv, await tips.set_anonymous(uid, arg == "1"))
        elif action == "send":
            submitted = await tips.submit(uid)
            await conv.say(
                "zalo-tip-submitted",
                code=submitted.report.code,
                category=L10n(label_key(submitted.report.category)),
            )
        elif action == "edit" and arg:
            await self._ask(conv, await tips.edit(uid, arg))
        elif action == "edit":
            draft = await tips.current(uid)
            if draft is None:
                await conv.say("tip-no-draft")
                return
            fields = [
                ("tip-edit-category", Step.CATEGORY),
                ("tip-edit-description", Step.DESCRIPTION),
                ("tip-edit-fraud", Step.FRAUD),
                ("tip-edit-location", Step.LOCATION),
                ("tip-edit-area", Step.AREA),
                ("tip-edit-anonymity", Step.ANONYMITY),
            ]
            rows = tuple(
                _one(key, f"tipf:edit:{step.value}")
                for key, step in fields
                if step is not Step.FRAUD or draft.is_fraud
            )
            await conv.say(
                "tip-ask-edit", (*rows, _one("tip-button-back-summary", "tipf:summary"))
            )
        elif action == "summary":
            draft = await tips.current(uid)
            if draft is None:
                await conv.say("tip-no-draft")
                return
            await self._ask(conv, draft)
        elif action == "cancel":
            dropped = await tips.cancel(uid)
            await conv.say("zalo-cancelled" if dropped else "tip-nothing-to-cancel")
        else:
            await conv.say("zalo-choice-unknown", number="?")

    # -- the tip conversation ---------------------------------------------------------------
    async def _step_input(
        self, conv: Conversation, draft: Draft, text: str, msg: ZaloMessage | None
    ) -> None:
        tips = self.services.tips
        uid = conv.user_id
        photo = msg.photo if msg is not None else None
        try:
            if draft.step is Step.DESCRIPTION:
                if photo is not None:
                    accepted = await tips.add_attachment(
                        uid,
                        DraftAttachment(MediaKind.PHOTO, photo, msg.message_id if msg else None),
                        caption=text or None,
                        message_key=_message_key(msg),
                    )
                    count = len(accepted.draft.attachments)
                    await conv.say("zalo-photo-received", _done_rows(), count=count)
                    return
                result = await tips.add_text(uid, text, message_key=_message_key(msg))
                if result.truncated:
                    await conv.say("tip-text-cut", limit=result.limit)
                await conv.say("zalo-text-received", _done_rows())
            elif photo is not None:
                await conv.say("zalo-photo-wrong-step")
                await self._ask(conv, draft)
            elif draft.step is Step.FRAUD:
                accepted = await tips.set_fraud_details(uid, text)
                await self._ask(conv, accepted.draft)
            elif draft.step is Step.LOCATION:
                point = _coordinates(text)
                if point is not None:
                    updated = await tips.set_location(uid, *point)
                    await conv.say("tip-location-received")
                else:
                    result = await tips.set_address(uid, text)
                    updated = result.draft
                    await conv.say(
                        "tip-address-cut" if result.truncated else "tip-address-received",
                        limit=result.limit,
                    )
                await self._ask(conv, updated)
            else:
                await conv.say("zalo-use-numbers")
                await self._ask(conv, draft)
        except WrongStep as exc:
            await self._ask(conv, exc.draft, old=True)

    async def _ask(self, conv: Conversation, draft: Draft, *, old: bool = False) -> None:
        """Ask the question of the draft's current step, with its numbered choices."""
        if old:
            await conv.say("zalo-old-choice")
        category = L10n(draft.category.label_key) if draft.category else ""
        step = draft.step
        if step is Step.CATEGORY:
            rows = tuple(_one(c.label_key, f"tipf:cat:{c.value}") for c in CATEGORIES)
            await conv.say("zalo-ask-category", (*rows, CANCEL))
        elif step is Step.DESCRIPTION:
            key = "zalo-ask-description-more" if draft.has_content else "zalo-ask-description"
            await conv.say(key, _done_rows(), category=category, count=len(draft.attachments))
        elif step is Step.FRAUD:
            await conv.say("zalo-ask-fraud", (_one("tip-button-skip", "tipf:skipfraud"), CANCEL))
        elif step is Step.LOCATION:
            await conv.say(
                "zalo-ask-location", (_one("tip-button-skip-location", "tipf:skiploc"), CANCEL)
            )
        elif step is Step.AREA:
            home_id = conv.profile.user.home_area_id
            home = await self.services.areas.get_by_id(home_id) if home_id else None
            if home is not None:
                await conv.say(
                    "tip-ask-area-home",
                    (
                        _one("tip-button-home-area", f"tipf:home:{home.id}", name=home.name),
                        _one("tip-button-other-area", "tipf:otherarea"),
                        CANCEL,
                    ),
                    name=home.name,
                )
            else:
                await self._area_level(conv, "tipf", None)
        elif step is Step.ANONYMITY:
            await conv.say(
                "tip-ask-anonymous",
                (
                    _one("tip-button-anonymous", "tipf:anon:1"),
                    _one("tip-button-named", "tipf:anon:0"),
                    CANCEL,
                ),
            )
        elif step is Step.CONFIRM:
            await self._summary(conv, draft)

    async def _summary(self, conv: Conversation, draft: Draft) -> None:
        area_name = await self.services.tips.area_name(draft.area_id)
        text = draft.text if len(draft.text) <= SUMMARY_TEXT else draft.text[:SUMMARY_TEXT] + "…"
        place = []
        if draft.latitude is not None and draft.longitude is not None:
            place.append(conv.text("tip-summary-pin"))
        if draft.address:
            place.append(conv.text("tip-summary-address", address=draft.address))
        await conv.say(
            "zalo-summary",
            (
                _one("tip-button-send", "tipf:send"),
                _one("tip-button-edit", "tipf:edit"),
                CANCEL,
            ),
            category=L10n(draft.category.label_key) if draft.category else L10n("category-other"),
            text=text or L10n("tip-none"),
            attachments=len(draft.attachments),
            location="; ".join(place) or L10n("tip-none"),
            area=area_name or L10n("tip-area-unknown"),
            anonymous=L10n("tip-summary-anonymous" if draft.anonymous else "tip-summary-named"),
            fraud=(draft.fraud_details or L10n("tip-none")) if draft.is_fraud else "",
            is_fraud="yes" if draft.is_fraud else "no",
        )

    # -- areas (tip step and "khuvuc") --------------------------------------------------------
    async def _area_level(self, conv: Conversation, prefix: str, parent_id: int | None) -> None:
        """Numbered areas under ``parent_id``; a level with one non-pickable area opens at
        once (most installs have one province and one city)."""
        areas = self.services.areas
        level: list[AreaDTO] = await areas.children(parent_id)
        while len(level) == 1 and level[0].kind.value != "residential_group":
            parent_id = level[0].id
            level = await areas.children(parent_id)
        parent = await areas.get_by_id(parent_id) if parent_id is not None else None
        rows = [_one("zalo-area-option", f"{prefix}:pick:{a.id}", name=a.name) for a in level]
        if parent is not None and parent.parent_id is not None:
            rows.append(_one("zalo-area-up", f"{prefix}:up:{parent.parent_id}"))
        elif parent is not None:
            rows.append(_one("zalo-area-up", f"{prefix}:up:"))
        if prefix == "tipf":
            rows.append(CANCEL)
        key = "zalo-ask-area" if level else "tip-area-empty-level"
        await conv.say(key, tuple(rows), place=parent.name if parent else "")

    async def _area_start(self, conv: Conversation) -> None:
        home = await self.services.onboarding.home_of(conv.user_id)
        if home is not None:
            await conv.say("zalo-area-current", place=home.full_name)
        await self._area_level(conv, "onb", None)

    async def _area_choice(self, conv: Conversation, action: str, arg: str) -> None:
        if action == "up":
            await self._area_level(conv, "onb", int(arg) if arg else None)
            return
        area = await self.services.areas.get_by_id(int(arg))
        if area is None:
            await conv.say("onb-area-gone")
            return
        if area.kind.value != "residential_group":
            await self._area_level(conv, "onb", area.id)
            return
        change = await self.services.onboarding.set_home_area(conv.user_id, area.id)
        key = "onb-home-set-moved" if change.subscription_moved else "zalo-home-set"
        await conv.say(key, place=change.place.full_name)

    # -- following tips ------------------------------------------------------------------------
    async def _my_tips(self, conv: Conversation, page_no: int) -> None:
        tips = self.services.tips
        page = await tips.list_mine(conv.user_id, page_no)
        if not page.items:
            await conv.say("zalo-mytips-empty")
            return
        lines = [
            conv.text(
                "mytips-line",
                code=r.code,
                category=L10n(label_key(r.category)),
                status=L10n(f"tip-status-{r.status.value}"),
                date=tips.local_time(r.created_at),
            )
            for r in page.items
        ]
        rows = [
            _one(
                "mytips-button",
                f"mytips:show:{r.id}",
                code=r.code,
                status=L10n(f"tip-status-{r.status.value}"),
            )
            for r in page.items
        ]
        if page.page > 0:
            rows.append(_one("mytips-prev", f"mytips:page:{page.page - 1}"))
        if page.page + 1 < page.pages:
            rows.append(_one("mytips-next", f"mytips:page:{page.page + 1}"))
        await conv.say(
            "zalo-mytips-list",
            tuple(rows),
            lines="\n".join(lines),
            page=page.page + 1,
            pages=page.pages,
            total=page.total,
        )

    async def _my_tip(self, conv: Conversation, report_id: int) -> None:
        tips = self.services.tips
        detail = await tips.detail_for_reporter(conv.user_id, report_id)
        r = detail.report
        history = "\n".join(
            conv.text(
                "mytips-history-line",
                date=tips.local_time(h.created_at),
                status=L10n(f"tip-status-{h.new_status.value}"),
                note=h.note or "",
                has_note="yes" if h.note else "no",
            )
            for h in detail.history
        )
        text = r.text if len(r.text) <= 1500 else r.text[:1500] + "…"
        await conv.say(
            "mytips-detail",
            (_one("mytips-back", "mytips:page:0"),),
            code=r.code,
            category=L10n(label_key(r.category)),
            status=L10n(f"tip-status-{r.status.value}"),
            date=tips.local_time(r.created_at),
            area=detail.area.name if detail.area else L10n("tip-area-unknown"),
            anonymous=L10n("tip-summary-anonymous" if r.anonymous else "tip-summary-named"),
            attachments=detail.attachments,
            text=text or L10n("tip-none"),
            history=Html(history),
        )

    # -- scam check ----------------------------------------------------------------------------
    async def _check(self, conv: Conversation, raw: str) -> None:
        result = await self.services.scams.lookup(raw)
        if result is None:
            await conv.say("scam-check-unparseable")
            return
        kind = L10n(f"scam-kind-{result.indicator.kind.value}")
        display = result.indicator.display
        if not result.known:
            await conv.say("scam-check-none", kind=kind, display=display)
            return
        tz = self.services.settings.tz

        def day(when: datetime | None) -> str:
            return when.astimezone(tz).strftime("%d/%m/%Y") if when else "—"

        confirmed = (
            L10n("scam-confirmed-yes", {"date": day(result.confirmed_at)})
            if result.confirmed
            else L10n("scam-confirmed-no")
        )
        if result.reports == 0:
            await conv.say(
                "scam-check-confirmed-only", kind=kind, display=display, confirmed=confirmed
            )
            return
        areas = "; ".join(
            conv.text(
                "scam-area-line",
                name=a.name if a.name is not None else L10n("scam-area-unknown"),
                count=a.reports,
            )
            for a in result.areas[:5]
        )
        if len(result.areas) > 5:
            areas += "; " + conv.text("scam-area-more", count=len(result.areas) - 5)
        await conv.say(
            "scam-check-found",
            kind=kind,
            display=display,
            count=result.reports,
            areas=areas,
            first=day(result.first_seen),
            last=day(result.last_seen),
            confirmed=confirmed,
        )

    # -- linking accounts ------------------------------------------------------------------------
    async def _link(self, conv: Conversation, arg: str) -> None:
        zalo = self.services.zalo
        if not arg:
            code = await zalo.issue_code(conv.user_id, ZALO)
            await conv.say("zalo-link-code-zalo", code=code.code, minutes=code.minutes)
            return
        linked = await zalo.redeem(conv.user_id, ZALO, arg)
        # The person's users row is now the Telegram one: their Zalo chat key follows it.
        conv.user_id, conv.chat_key = linked.user.id, zalo_dm_key(linked.user.id)
        conv.locale = linked.user.language or conv.locale
        await conv.say("zalo-link-done", name=linked.user.display_name)


def _done_rows() -> tuple[tuple[InlineButton, ...], ...]:
    """Only "Xong" while describing: a "2" typed there ("tổ 2") must not cancel the tip."""
    return (_one("tip-button-done", "tipf:done"),)


def _coordinates(text: str) -> tuple[float, float] | None:
    """ "20.4387, 106.1621" or a Google Maps link → (lat, lon); None for an address."""
    for pattern in (_MAPS, _COORDS):
        match = pattern.search(text)
        if match:
            lat, lon = float(match.group(1)), float(match.group(2))
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                return lat, lon
    return None


def _message_key(msg: ZaloMessage | None) -> str | None:
    return f"zalo:{msg.message_id}" if msg is not None and msg.message_id else None
