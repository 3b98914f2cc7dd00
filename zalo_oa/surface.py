"""The resident's conversation over the Official Account: the Zalo bot's conversation
(zalo.surface: tips with photos and a place, fraud alerts, ``kiemtra``, following one's tips,
answering a police question, choosing one's tổ dân phố), reached through the OA.

The OA differs from the Zalo bot only at the edges, which is all this module does:

* who writes: an OA user id (services.zalo_oa.OaFollowers.identify), not a Zalo bot account;
* what arrives: an OA webhook event (zalo_oa.events) turned into the message the
  conversation reads (zalo.incoming.ZaloMessage). A location pin, which the Zalo bot cannot
  receive, becomes its coordinates as text: the "where" step already takes "20.43, 106.17";
* how answers leave: the OA sender (zalo_oa.sender) with its 7-day window, buttons and pacing;
  a follower who writes again first gets what was held for them while the window was shut;
* ``/start <code>`` (what an OA QR poster asks residents to send): the bookkeeping set their tổ
  dân phố (zalo_oa.dispatch); here they are told which one;
* their tổ dân phố, however set, is mirrored as an OA tag (the area's code) for the unit's
  staff, who work in Zalo's own OA tools.

Stickers, files, audio and video get no answer, as on the Zalo bot. A link is read as its
text (a fraud link to check or to report).
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from services.access import Profile
from services.channels import zalo_dm_key
from services.zalo_oa import OaFollowers
from zalo.conversation import Conversation
from zalo.incoming import IMAGE_EVENT, TEXT_EVENT, ZaloMessage
from zalo.surface import ZaloSurface
from zalo_oa.client import OaError, OaNetworkError
from zalo_oa.dispatch import START
from zalo_oa.events import Kind, OaEvent
from zalo_oa.sender import OaSender

logger = logging.getLogger(__name__)


class Tagger(Protocol):
    """The OA API's follower tags (zalo_oa.client.OaClient)."""

    async def tag_follower(self, user_id: str, tag_name: str) -> None: ...

    async def untag_follower(self, user_id: str, tag_name: str) -> None: ...


def as_message(event: OaEvent) -> ZaloMessage | None:
    """The conversation's view of an OA event (None: nothing to answer)."""
    if event.user_id is None:
        return None
    text, photo = event.text, None
    if event.kind is Kind.IMAGE:
        photo = next((a.url for a in event.attachments if a.type == "image" and a.url), None)
        if photo is None:
            return None
    elif event.kind is Kind.LOCATION:
        place = event.location
        if place is None:
            return None
        text = f"{place.latitude:.6f}, {place.longitude:.6f}"
    elif event.kind is Kind.LINK:
        url = next((a.url for a in event.attachments if a.url), None)
        text = " ".join(p for p in (event.text, url or "") if p)
    elif event.kind is not Kind.TEXT:
        return None
    return ZaloMessage(
        sender_id=event.user_id,
        sender_name="",
        chat_id=event.user_id,
        is_group=False,
        message_id=event.msg_id or "",
        event=IMAGE_EVENT if photo else TEXT_EVENT,
        text=text,
        photo=photo,
    )


class OaSurface(ZaloSurface):
    """The Zalo conversation over the OA (zalo_oa.dispatch.EventHandler)."""

    def __init__(
        self, services: Any, sender: OaSender, followers: OaFollowers, tags: Tagger
    ) -> None:
        super().__init__(services, sender)  # type: ignore[arg-type]
        self.oa_sender = sender
        self.followers = followers
        self.tags = tags

    async def handle(self, event: OaEvent) -> None:  # type: ignore[override]
        """Answer one OA event (after its bookkeeping); never raises for the resident's
        content, only for an outage (the event is then tried again)."""
        if event.kind is Kind.FOLLOW and event.user_id is not None:
            # Zalo sends events in parallel: a follow handled after the first message (which
            # set the tổ dân phố but found no follower to tag yet) mirrors the tag itself.
            await self._mirror_area(event.user_id)
            return
        incoming = as_message(event) if event.is_message else None
        if incoming is None or event.user_id is None:
            return
        oa_user = event.user_id
        profile = await self.followers.identify(oa_user)
        key = zalo_dm_key(profile.user.id)
        await self.oa_sender.deliver_held(oa_user, profile.locale, key)
        start = START.match(incoming.text) if incoming.photo is None else None
        if start is not None:
            await self._started(Conversation(self, profile, key), oa_user)
        else:

            async def known() -> Profile:
                return profile

            await self.converse(known, incoming)
        await self._mirror_area(oa_user)

    async def _mirror_area(self, oa_user: str) -> None:
        """The OA tag mirrors the follower's tổ dân phố (set by ``/start <code>`` or
        ``khuvuc``) for the unit's staff in the OA's own tools. Best effort: a failure is
        logged and tried again at their next message (the event must not be handled twice
        for a label)."""
        change = await self.followers.tag_change(oa_user)
        if change is None:
            return
        old, new = change
        try:
            if old:
                await self.tags.untag_follower(oa_user, old)
            await self.tags.tag_follower(oa_user, new)
        except (OaError, OaNetworkError) as exc:
            logger.warning("Zalo OA tag not mirrored (%s)", type(exc).__name__)
            return
        await self.followers.tagged(oa_user, new)

    async def _started(self, conv: Conversation, oa_user: str) -> None:
        """``/start <code>`` from a QR poster: the tổ dân phố it named, or the choice."""
        home = await self.followers.home(oa_user)
        if home is None:
            await conv.say("zalo-oa-start-unknown")
            await self._area_level(conv, "onb", None)
            return
        await conv.say("zalo-oa-welcome", place=home.full_name)
