"""The typed commands on Zalo (baotin, tincuatoi, kiemtra, khuvuc, dangky, lienket...) and
the conversations behind them: choosing a home area (also the tip's area step), following
one's tips, the scam check and linking a Telegram account. Mixed into
:class:`zalo.surface.ZaloSurface`, which sets the attributes declared below."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from services.categories import label_key
from services.channels import ZALO, zalo_dm_key
from services.domain import AreaDTO, AreaKind
from services.ports import Html, L10n
from services.scam_answers import lookup_answer
from services.tip_drafts import Step
from services.zalo import link_buttons
from zalo.conversation import CANCEL, Conversation, _one


class ZaloCommands:
    """The commands part of :class:`zalo.surface.ZaloSurface`."""

    services: Any
    _ask: Callable[..., Awaitable[None]]

    async def _command(self, conv: Conversation, command: str, arg: str) -> None:
        intake = self.services.tip_intake
        steps = self.services.tip_steps
        if command == "help":
            await conv.say("zalo-help")
        elif command == "tip":
            await self._ask(conv, await intake.begin(conv.user_id, text=""))
        elif command == "scam":
            await conv.say("tip-fraud-intro")
            await self._ask(
                conv, await intake.begin(conv.user_id, category="online_fraud", text="")
            )
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
            dropped = await steps.cancel(conv.user_id)
            await conv.say("zalo-cancelled" if dropped else "tip-nothing-to-cancel")
        elif command == "done":
            draft = await steps.current(conv.user_id)
            if draft is None or draft.step is not Step.DESCRIPTION:
                await conv.say("tip-no-draft")
                return
            await self._ask(conv, await steps.finish_description(conv.user_id))

    # -- areas (tip step and "khuvuc") --------------------------------------------------------
    async def _area_level(self, conv: Conversation, prefix: str, parent_id: int | None) -> None:
        """Numbered areas under ``parent_id``; a level with one non-pickable area opens at
        once (most installs have one province and one city)."""
        areas = self.services.areas
        level: list[AreaDTO] = await areas.children(parent_id)
        while len(level) == 1 and level[0].kind is not AreaKind.RESIDENTIAL_GROUP:
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
        if area.kind is not AreaKind.RESIDENTIAL_GROUP:
            await self._area_level(conv, "onb", area.id)
            return
        change = await self.services.onboarding.set_home_area(conv.user_id, area.id)
        key = "onb-home-set-moved" if change.subscription_moved else "zalo-home-set"
        await conv.say(key, place=change.place.full_name)

    # -- following tips ------------------------------------------------------------------------
    async def _my_tips(self, conv: Conversation, page_no: int) -> None:
        tips = self.services.tip_followup
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
        followup = self.services.tip_followup
        detail = await followup.detail_for_reporter(conv.user_id, report_id)
        r = detail.report
        history = "\n".join(
            conv.text(
                "mytips-history-line",
                date=followup.local_time(h.created_at),
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
            date=followup.local_time(r.created_at),
            area=(await self.services.areas.area_name(detail.area.id) if detail.area else None)
            or L10n("tip-area-unknown"),
            anonymous=L10n("tip-summary-anonymous" if r.anonymous else "tip-summary-named"),
            attachments=detail.attachments,
            text=text or L10n("tip-none"),
            history=Html(history),
        )

    # -- scam check ----------------------------------------------------------------------------
    async def _check(self, conv: Conversation, raw: str) -> None:
        result = await self.services.scams.lookup(raw, by=conv.user_id)
        if result is None:
            await conv.say("scam-check-unparseable")
            return
        answer = lookup_answer(result, self.services.settings.tz)
        await conv.say(answer.key, **answer.args)

    # -- linking accounts ------------------------------------------------------------------------
    async def _link(self, conv: Conversation, arg: str) -> None:
        zalo = self.services.zalo
        if not arg:
            code = await zalo.issue_code(conv.user_id, ZALO)
            await conv.say("zalo-link-code-zalo", code=code.code, minutes=code.minutes)
            return
        proposal = await zalo.redeem(conv.user_id, ZALO, arg)
        await conv.say(
            "zalo-link-confirm-claim",
            link_buttons(proposal.request_id),
            name=proposal.name,
            channel=proposal.channel,
        )

    async def _link_answer(self, conv: Conversation, yes: bool, request_id: int) -> None:
        """The numbered choice under a link request (see handlers/account_link.py)."""
        answer = await self.services.zalo.answer(conv.user_id, request_id, yes)
        if answer.outcome == "waiting":
            await conv.say("zalo-link-waiting", channel=answer.channel)
        elif answer.outcome == "linked" and answer.user is not None:
            # The person's users row is now the Telegram one: their Zalo chat key follows it.
            conv.user_id, conv.chat_key = answer.user.id, zalo_dm_key(answer.user.id)
            conv.locale = answer.user.language or conv.locale
            await conv.say("zalo-link-done", name=answer.user.display_name)
        else:
            await conv.say("zalo-link-cancelled")
