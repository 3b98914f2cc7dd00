"""The tip conversation on Zalo: the numbered ``tipf:...`` choices, what is typed or sent
at each step of a draft (text, photos, an address or coordinates), the question of each step
and the summary before sending. Mixed into :class:`zalo.surface.ZaloSurface`, which sets the
attributes declared below."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from services.categories import CATEGORIES, label_key
from services.domain import AreaKind
from services.ports import L10n, MediaKind
from services.tip_drafts import (
    Draft,
    DraftAttachment,
    Step,
    WrongStep,
    editable_steps,
    pick_buttons,
)
from services.tip_presses import answer_press
from zalo.conversation import CANCEL, Conversation, _done_rows, _one
from zalo.incoming import ZaloMessage, _coordinates, _message_key

SUMMARY_TEXT = 800


class TipFlow:
    """The tip part of :class:`zalo.surface.ZaloSurface`."""

    services: Any
    _area_level: Callable[[Conversation, str, int | None], Awaitable[None]]

    # -- tip choices (``tipf:...``) ---------------------------------------------------------
    async def _tip_choice(self, conv: Conversation, action: str, arg: str) -> None:
        intake = self.services.tip_intake
        steps = self.services.tip_steps
        uid = conv.user_id
        if action == "new":
            await self._ask(conv, await intake.begin(uid, text=""))
        elif action == "offer":
            if arg == "yes":
                await self._ask(conv, await intake.begin(uid))
            else:
                await steps.cancel(uid)
                await conv.say("zalo-offer-declined")
        elif action == "skiploc":
            await conv.say("tip-location-skipped")
            await self._ask(conv, await steps.skip_location(uid))
        elif action in ("home", "pick"):
            area = await self.services.areas.get_by_id(int(arg))
            if (
                area is not None
                and area.kind is not AreaKind.RESIDENTIAL_GROUP
                and action == "pick"
            ):
                await self._area_level(conv, "tipf", area.id)
                return
            draft = await steps.choose_area(uid, int(arg))
            await conv.say(
                "tip-area-chosen", name=await self.services.areas.area_name(int(arg)) or ""
            )
            await self._ask(conv, draft)
        elif (draft := await answer_press(steps, uid, action, arg)) is not None:
            await self._ask(conv, draft)
        elif action == "otherarea":
            await self._area_level(conv, "tipf", None)
        elif action == "up":
            await self._area_level(conv, "tipf", int(arg) if arg else None)
        elif action == "send":
            submitted = await intake.submit(uid)
            await conv.say(
                "zalo-tip-submitted",
                code=submitted.report.code,
                category=L10n(label_key(submitted.report.category)),
            )
        elif action == "edit":
            draft = await steps.current(uid)
            if draft is None:
                await conv.say("tip-no-draft")
                return
            rows = tuple(
                _one(f"tip-edit-{step.value}", f"tipf:edit:{step.value}")
                for step in editable_steps(draft)
            )
            await conv.say(
                "tip-ask-edit", (*rows, _one("tip-button-back-summary", "tipf:summary"))
            )
        elif action == "summary":
            draft = await steps.current(uid)
            if draft is None:
                await conv.say("tip-no-draft")
                return
            await self._ask(conv, draft)
        elif action == "cancel":
            dropped = await steps.cancel(uid)
            await conv.say("zalo-cancelled" if dropped else "tip-nothing-to-cancel")
        else:
            await conv.say("zalo-choice-unknown", number="?")

    # -- the tip conversation ---------------------------------------------------------------
    async def _step_input(
        self, conv: Conversation, draft: Draft, text: str, msg: ZaloMessage | None
    ) -> None:
        tips = self.services.tip_steps
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
        elif step is Step.FRAUD_PICK:
            await conv.say("zalo-ask-fraud-pick", (*pick_buttons(draft), CANCEL))
        elif step is Step.LOCATION:
            await conv.say(
                "zalo-ask-location", (_one("tip-button-skip-location", "tipf:skiploc"), CANCEL)
            )
        elif step is Step.AREA:
            home_id = conv.profile.user.home_area_id
            home = await self.services.areas.get_by_id(home_id) if home_id else None
            if home is not None:
                home_name = await self.services.areas.area_name(home.id) or home.name
                await conv.say(
                    "tip-ask-area-home",
                    (
                        _one("tip-button-home-area", f"tipf:home:{home.id}", name=home_name),
                        _one("tip-button-other-area", "tipf:otherarea"),
                        CANCEL,
                    ),
                    name=home_name,
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
        area_name = await self.services.areas.area_name(draft.area_id)
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
            given=", ".join(i.display for i in draft.given) or L10n("tip-none"),
            is_fraud="yes" if draft.is_fraud else "no",
        )
