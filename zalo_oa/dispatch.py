"""What happens to a stored OA event: bookkeeping first, then the surface.

Every event gets the same bookkeeping, whatever surface handles it later: a follow or an
unfollow is recorded, a message from the resident reopens the customer-service window, and a
QR poster's area code (``/start <code>``, or a follow whose source is an area code) sets
their tổ dân phố. Then the event goes to the surface — the resident's conversation over the
OA (zalo_oa.surface.OaSurface, the Zalo bot's conversation), an :class:`EventHandler`.

An exception from a handler leaves the event for the next sweep (the worker counts attempts),
so a handler must be safe to run again for the same event.
"""

from __future__ import annotations

import logging
import re
from typing import Protocol

from services.zalo_oa import OaFollowers
from zalo_oa.events import Kind, OaEvent

logger = logging.getLogger(__name__)

START = re.compile(r"^\s*/?(?:start|batdau|bắt đầu)\s+([A-Za-z0-9_-]{1,64})\s*$", re.IGNORECASE)
"""``/start ND-TP-TN``: what a QR poster for the OA asks residents to send (a deep link
cannot carry a parameter into an OA chat, as far as the docs we found say)."""
AREA_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class EventHandler(Protocol):
    async def handle(self, event: OaEvent) -> None: ...


class Bookkeeping:
    def __init__(self, followers: OaFollowers) -> None:
        self._followers = followers

    async def handle(self, event: OaEvent) -> None:
        user = event.user_id
        if user is None:
            return
        if event.kind is Kind.FOLLOW:
            await self._followers.followed(user, event.at)
            if event.source and AREA_CODE.match(event.source):
                await self._followers.set_area_by_code(user, event.source)
        elif event.kind is Kind.UNFOLLOW:
            await self._followers.unfollowed(user, event.at)
        elif event.is_message:
            await self._followers.interacted(user, event.at)
            start = START.match(event.text) if event.kind is Kind.TEXT else None
            if start is not None:
                place = await self._followers.set_area_by_code(user, start.group(1))
                logger.info("OA follower's area %s by code", "set" if place else "not set")


class Dispatcher:
    """Bookkeeping, then the surface (None: nothing more to do yet)."""

    def __init__(self, bookkeeping: EventHandler, surface: EventHandler | None = None) -> None:
        self._bookkeeping = bookkeeping
        self._surface = surface

    async def dispatch(self, event: OaEvent) -> None:
        await self._bookkeeping.handle(event)
        if self._surface is not None:
            await self._surface.handle(event)
