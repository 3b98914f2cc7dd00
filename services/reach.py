"""Reaching a person on whatever channel they use: the one place that turns a user into a
recipient and sends them something.

* **Where**: :func:`services.channels.recipient_for` is the rule (Telegram when they have it,
  else their Zalo chat; nobody when they blocked the bot). Nothing else builds a person's
  recipient.
* **How**: :func:`send_logged` is the one send path: send, never raise, log a failure by what
  was sent and which tip (never whom). :meth:`PersonReacher.send` adds the one consequence of
  an answer: a person who blocked the bot is marked so and not tried again.
* **Notices that must arrive** (:meth:`PersonReacher.notify`): a status change, an escalation,
  a closing by review, a thank-you — anything the person did not just ask for — is stored in
  the outbox (``outbox_messages``) before it is sent, sent at once, and after a transient
  failure (a 5xx, a timeout, a flood limit) tried again by the sweep
  (:meth:`PersonReacher.deliver_due`, scheduler/outbox.py) with exponential backoff:
  ``retry_seconds`` × 2^(attempt − 1), at most ``MAX_DELAY``, ``max_attempts`` tries in all;
  then it is given up and logged. Blocked bot, refused message: given up at once.
* **Notices to a chat** (:meth:`PersonReacher.notify_chat`, :meth:`PersonReacher.store_for_chat`):
  the same outbox for what goes to a chat rather than a person (a relayed answer to the police
  chat it was asked from, an escalated tip to the police above), in the language given.
* **Once sent** (``after_sent``): a notice may name a step run with its message id in the
  transaction that marks it sent, whether it went at once or with a later sweep: the relay's
  (services.relay) and :data:`~services.tip_card_tracker.SHOWS_TIP`, which records a notice
  showing a tip as the tip's card (services/tip_cards.py), so every later change redraws it.

Duplicate window (at-least-once): the Bot API cannot say whether a message arrived. A notice
Telegram accepted whose answer was lost (a timeout after the server took it, a dropped
connection) is sent again at its next attempt; so is one whose process died after the send and
before the ``sent`` commit (after ``lease_seconds``). In those windows the person may get the
same notice twice; a missed status change costs more than a repeated one. A 502, a 429 or a
refused connection is not such a window: the message was not taken.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta

from services import message_codec
from services.channels import channel_of, recipient_for
from services.errors import StorageUnavailable
from services.ports import DeliveryResult, DeliveryStatus, OutgoingMessage, Recipient, Sender
from services.tip_card_tracker import SHOWS_TIP, CardTracker, ShownAt, UntrackedCards
from services.users import UserService
from storage.dto import UserDTO
from storage.models import OutboxState
from storage.repositories.outbox import OutboxDTO, OutboxRepository
from storage.repositories.users import UserRepository
from storage.types import utcnow
from storage.uow import Session, Sessions, transaction

logger = logging.getLogger(__name__)

MAX_DELAY = 3600.0
"""The longest wait between two attempts of one notice, in seconds."""

AfterSent = Callable[[Session, int, int | None], Awaitable[None]]
"""``(session, ref, message id)``: recorded in the transaction that marks a notice sent."""
Step = tuple[str, int | None]
"""A notice's after-sent step: its name (an :data:`AfterSent` given to the constructor, or
:data:`SHOWS_TIP`) and its reference."""


async def send_logged(
    sender: Sender, to: Recipient, message: OutgoingMessage, *, what: str, ref: object = None
) -> DeliveryResult:
    """Send through ``sender``; a failure is logged (``what`` and ``ref``, e.g. a tip id,
    never the person) and returned, never raised."""
    try:
        result = await sender.send(to, message)
    except Exception as exc:
        logger.exception("%s (%s): sending failed", what, ref)
        return DeliveryResult(DeliveryStatus.RETRY_LATER, error=type(exc).__name__)
    if not result.ok:
        logger.warning("%s (%s) not delivered: %s", what, ref, result.status.value)
    return result


class PersonReacher:
    """Tells a person something on the channel they use (see the module's docstring)."""

    def __init__(
        self,
        sessions: Sessions,
        sender: Sender,
        users: UserService,
        *,
        default_language: str,
        retry_seconds: float = 30.0,
        lease_seconds: float = 120.0,
        max_attempts: int = 8,
        after_sent: Mapping[str, AfterSent] | None = None,
        cards: CardTracker | None = None,
    ) -> None:
        self._sessions = sessions
        self._sender = sender
        self._users = users
        self._default_language = default_language
        self._retry_seconds = retry_seconds
        self._lease = timedelta(seconds=lease_seconds)
        """Longer than one send can take: another instance takes the notice over after it."""
        self._max_attempts = max_attempts
        self._after_sent = dict(after_sent or {})
        """What a notice names to be recorded once sent (services.relay: the question's
        message id, so that replying to it threads back to the tip)."""
        self._cards: CardTracker = cards or UntrackedCards()
        """Where a notice showing a tip (:data:`SHOWS_TIP`) is recorded once sent."""

    # -- where -------------------------------------------------------------------------------
    def recipient(self, user: UserDTO) -> Recipient | None:
        """Where to reach ``user`` privately; None when they blocked the bot."""
        return recipient_for(user, self._default_language)

    async def recipient_of(self, user_id: int | None) -> Recipient | None:
        if user_id is None:
            return None
        async with transaction(self._sessions) as session:
            user = await UserRepository(session).get(user_id)
        return self.recipient(user) if user is not None else None

    # -- how ---------------------------------------------------------------------------------
    async def send(
        self,
        to: Recipient,
        message: OutgoingMessage,
        *,
        what: str,
        user_id: int | None = None,
        ref: object = None,
    ) -> DeliveryResult:
        """The one send path; ``user_id``: the person ``to`` is, marked blocked if the channel
        says they blocked the bot."""
        result = await send_logged(self._sender, to, message, what=what, ref=ref)
        if result.status is DeliveryStatus.BLOCKED and user_id is not None:
            await self._users.mark_blocked(user_id)
        return result

    async def notify(
        self,
        user_id: int | None,
        message: OutgoingMessage,
        *,
        what: str,
        report_id: int | None,
        after_sent: Step | None = None,
    ) -> DeliveryResult:
        """A notice the person must get: stored, sent now, retried until it arrives (see the
        module's docstring). ``RETRY_LATER``: stored and due again; ``BLOCKED``: nobody to
        tell (no such person, or they blocked the bot); ``FAILED``: not even stored (the
        database is down), logged. Where the change told of has a transaction, prefer
        :meth:`store` in it and :meth:`deliver` after the commit: then the change and its
        notice commit together."""

        def store(session: Session) -> Awaitable[OutboxDTO | None]:
            return self.store(
                session, user_id, message, what=what, report_id=report_id, after_sent=after_sent
            )

        return await self._stored_then_delivered(store, what=what, report_id=report_id)

    async def notify_chat(
        self,
        to: Recipient,
        message: OutgoingMessage,
        *,
        what: str,
        report_id: int | None,
        after_sent: Step | None = None,
    ) -> DeliveryResult:
        """:meth:`notify` for a chat (a police chat or an officer's own), in ``to``'s
        language."""

        def store(session: Session) -> Awaitable[OutboxDTO | None]:
            return self.store_for_chat(
                session, to, message, what=what, report_id=report_id, after_sent=after_sent
            )

        return await self._stored_then_delivered(store, what=what, report_id=report_id)

    async def _stored_then_delivered(
        self,
        store: Callable[[Session], Awaitable[OutboxDTO | None]],
        *,
        what: str,
        report_id: int | None,
    ) -> DeliveryResult:
        try:
            async with transaction(self._sessions) as session:
                notice = await store(session)
        except StorageUnavailable:
            logger.warning("%s (%s): notice not stored, database unavailable", what, report_id)
            return DeliveryResult(DeliveryStatus.FAILED, error="database unavailable")
        return await self.deliver(notice)

    async def store(
        self,
        session: Session,
        user_id: int | None,
        message: OutgoingMessage,
        *,
        what: str,
        report_id: int | None,
        after_sent: Step | None = None,
    ) -> OutboxDTO | None:
        """Store a notice in the caller's transaction (None: nobody to tell); hand it to
        :meth:`deliver` after the commit. ``after_sent``: (name, ref) of a step given to the
        constructor, run with the message id once it is sent."""
        user = await UserRepository(session).get(user_id) if user_id is not None else None
        if user is None or self.recipient(user) is None:
            return None
        return await self._add(session, message, what, report_id, after_sent, user_id=user.id)

    async def store_for_chat(
        self,
        session: Session,
        to: Recipient,
        message: OutgoingMessage,
        *,
        what: str,
        report_id: int | None,
        after_sent: Step | None = None,
    ) -> OutboxDTO:
        """:meth:`store` for a chat, in ``to``'s language."""
        return await self._add(
            session, message, what, report_id, after_sent, chat_id=to.chat_id, locale=to.locale
        )

    async def _add(
        self,
        session: Session,
        message: OutgoingMessage,
        what: str,
        report_id: int | None,
        after_sent: Step | None,
        *,
        user_id: int | None = None,
        chat_id: int | None = None,
        locale: str | None = None,
    ) -> OutboxDTO:
        """For a person (``user_id``) or a chat (``chat_id``, written in ``locale``)."""
        if after_sent is not None and after_sent[0] not in {*self._after_sent, SHOWS_TIP}:
            raise ValueError(f"no after-sent step {after_sent[0]!r}")
        now = utcnow()
        return await OutboxRepository(session).add(
            what=what,
            report_id=report_id,
            message=message_codec.encode(message),
            now=now,
            claimed_until=now + self._lease,
            after_sent=after_sent,
            user_id=user_id,
            chat_id=chat_id,
            locale=locale,
        )

    async def deliver(self, notice: OutboxDTO | None) -> DeliveryResult:
        """Send a stored notice now (it was stored holding the lease, so no sweep takes it
        meanwhile); a transient failure leaves it due again."""
        if notice is None:
            return DeliveryResult(DeliveryStatus.BLOCKED, error="not reachable")
        return await self._attempt(notice)

    async def deliver_due(self, limit: int = 50) -> int:
        """Send notices that are due again (a transient failure earlier, or a process that
        died holding them); one lease per notice. Returns how many it took on."""
        taken = 0
        while taken < limit:
            now = utcnow()
            async with transaction(self._sessions) as session:
                notice = await OutboxRepository(session).claim_next_due(
                    now=now, until=now + self._lease
                )
            if notice is None:
                break
            await self._attempt(notice)
            taken += 1
        return taken

    async def _attempt(self, notice: OutboxDTO) -> DeliveryResult:
        attempts = notice.attempts + 1
        try:
            to = (
                Recipient(
                    notice.chat_id,
                    notice.locale or self._default_language,
                    channel_of(notice.chat_id),
                )
                if notice.chat_id is not None
                else await self.recipient_of(notice.user_id)
            )
        except StorageUnavailable:
            logger.warning("%s (%s): database unavailable, sent again once the lease ends",
                           notice.what, notice.report_id)  # fmt: skip
            return DeliveryResult(DeliveryStatus.RETRY_LATER, error="database unavailable")
        if to is None:
            result = DeliveryResult(DeliveryStatus.BLOCKED, error="not reachable")
        else:
            result = await self.send(
                to,
                message_codec.decode(notice.message),
                what=notice.what,
                user_id=notice.user_id,
                ref=notice.report_id,
            )
        try:
            await self._settle(notice, attempts, result, to)
        except StorageUnavailable:
            # The lease runs out and it is sent again: the duplicate window.
            logger.warning("%s (%s): outcome not recorded, database unavailable",
                           notice.what, notice.report_id)  # fmt: skip
        return result

    async def _settle(
        self, notice: OutboxDTO, attempts: int, result: DeliveryResult, to: Recipient | None
    ) -> None:
        now = utcnow()
        behind = False
        async with transaction(self._sessions) as session:
            outbox = OutboxRepository(session)
            if result.ok:
                await outbox.settle(
                    notice.id,
                    OutboxState.SENT,
                    now=now,
                    attempts=attempts,
                    message_id=result.message_id,
                )
                if notice.after_sent is not None and to is not None:
                    behind = await self._after(session, notice, to, result)
            elif result.status is DeliveryStatus.RETRY_LATER and attempts < self._max_attempts:
                delay = min(MAX_DELAY, self._retry_seconds * 2 ** (attempts - 1))
                delay = max(delay, result.retry_after or 0.0)
                await outbox.defer(
                    notice.id,
                    due_at=now + timedelta(seconds=delay),
                    attempts=attempts,
                    error=result.error or result.status.value,
                )
            else:
                await outbox.settle(
                    notice.id,
                    OutboxState.FAILED,
                    now=now,
                    attempts=attempts,
                    error=result.error or result.status.value,
                )
                if result.status is DeliveryStatus.RETRY_LATER:
                    logger.error(
                        "%s (%s): not told after %d attempts",
                        notice.what,
                        notice.report_id,
                        attempts,
                    )
        if behind and notice.report_id is not None:
            self._cards.changed(notice.report_id)  # committed: the redraw sees the card

    async def _after(
        self, session: Session, notice: OutboxDTO, to: Recipient, result: DeliveryResult
    ) -> bool:
        """Run the notice's after-sent step in the transaction that marks it sent; True when
        it recorded a card of a tip that may have changed since the notice was drawn."""
        assert notice.after_sent is not None
        name, ref = notice.after_sent
        if name == SHOWS_TIP:
            shown = ShownAt.sent(notice.report_id, to, result, viewer_user_id=ref)
            return await self._cards.record(shown, session)
        if ref is not None:
            await self._after_sent[name](session, ref, result.message_id)
        return False
