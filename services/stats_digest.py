"""The weekly digest: last week's figures of an area, sent every Monday to each police work
chat that turned it on (``/baocaotuan on``), once per chat and week even across restarts.
The figures are :class:`~services.stats.StatsService`'s; the job is scheduler/digest.py."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services import stats_text
from services.access import Profile
from services.chat_settings import switch_chat_setting
from services.errors import InvalidInput
from services.groups import linked_chat
from services.ports import DeliveryStatus, Html, OutgoingMessage, Recipient
from services.reach import PersonReacher
from services.stats import StatsService, Translate
from services.stats_figures import DigestOutcome, DigestRun
from services.stats_period import Period, PeriodKind
from storage.models import ChatPurpose, Role
from storage.repositories.areas import AreaRepository
from storage.repositories.chats import ChatRepository
from storage.repositories.stats import StatsRepository
from storage.uow import Sessions, transaction

logger = logging.getLogger(__name__)

DIGEST_SETTING = "weekly_digest"
"""chats.settings flag: send the weekly digest to this police work chat."""
DIGEST_SENT_SETTING = "weekly_digest_sent"
"""chats.settings: local Monday (ISO date) of the last week whose digest went out, so a
restart or a second run the same Monday never sends it twice."""
DIGEST_WEEKDAY = 0
"""Monday (``date.weekday()``)."""
DIGEST_TIME = time(7, 30)
"""Local time the digest is due."""


class WeeklyDigest:
    def __init__(
        self,
        sessions: Sessions,
        stats: StatsService,
        reacher: PersonReacher,
        *,
        tz: ZoneInfo,
        translate: Translate,
        default_language: str,
    ) -> None:
        self._sessions = sessions
        self._stats = stats
        self._reacher = reacher
        self._tz = tz
        self._t = translate
        self._default_language = default_language

    async def set_digest(
        self, telegram_chat_id: int, enabled: bool | None, actor: Profile
    ) -> DigestOutcome:
        """Turn the weekly digest of a police work chat on or off (None: just tell)."""
        async with transaction(self._sessions) as session:
            chat, area = await linked_chat(
                session,
                telegram_chat_id,
                actor,
                Role.POLICE,
                "stats-digest-denied",
                "stats-digest-not-police-chat",
            )
            if chat.purpose is not ChatPurpose.POLICE:
                raise InvalidInput("stats-digest-not-police-chat")
            value, changed = await switch_chat_setting(
                session, chat, actor, "stats.weekly_digest", DIGEST_SETTING, False, enabled
            )
            return DigestOutcome(value, changed, area)

    def last_week_start(self, now: datetime) -> date:
        """The Monday of the last complete week (local time)."""
        local = now.astimezone(self._tz)
        return local.date() - timedelta(days=local.weekday() + 7)

    def catch_up_due(self, now: datetime) -> bool:
        """At start-up: only on a Monday, once 07:30 has passed (the bot was down then)."""
        local = now.astimezone(self._tz)
        return local.weekday() == DIGEST_WEEKDAY and local.time() >= DIGEST_TIME

    async def send_weekly_digests(
        self, now: datetime | None = None, *, catch_up: bool = False
    ) -> DigestRun:
        """Send the last complete week's figures to every police work chat that asked for
        them and has not had that week's digest yet (at most once per chat and week, even
        across restarts). ``catch_up``: the start-up run, which only acts on a Monday after
        the digest time."""
        now = now or datetime.now(UTC)
        if catch_up and not self.catch_up_due(now):
            return DigestRun()
        week_start = self.last_week_start(now)
        period = Period(PeriodKind.LAST_WEEK, week_start, week_start + timedelta(days=6))
        marker = week_start.isoformat()
        async with transaction(self._sessions) as session:
            wanted = [
                c
                for c in await StatsRepository(session).police_chats()
                if c.settings.get(DIGEST_SETTING) is True
            ]
        sent = failed = skipped = 0
        for chat in wanted:
            outcome = await self._digest_one(chat.telegram_chat_id, period, marker)
            if outcome is None:
                skipped += 1
            elif outcome:
                sent += 1
            else:
                failed += 1
        if wanted:
            logger.info(
                "weekly digest %s: sent %d, failed %d, skipped %d", marker, sent, failed, skipped
            )
        return DigestRun(sent, failed, skipped)

    async def _digest_one(self, telegram_chat_id: int, period: Period, marker: str) -> bool | None:
        """True: sent, or stored for the outbox to send once Telegram answers again; False:
        refused for good (the chat is gone, the bot removed); None: nothing to send."""
        async with transaction(self._sessions) as session:
            chats = ChatRepository(session)
            chat = await chats.get(telegram_chat_id)
            if (
                chat is None
                or chat.area_id is None
                or chat.settings.get(DIGEST_SETTING) is not True
                or chat.settings.get(DIGEST_SENT_SETTING) == marker
            ):
                return None
            area = await AreaRepository(session).get(chat.area_id)
            if area is None:
                return None
            report = await self._stats.build_in(session, (area,), area.id, period)
            locale = str(chat.settings.get("language") or self._default_language)
            body = stats_text.report_html(report, locale, self._t, digest=True)
            # Marked sent and stored in the outbox in one transaction: a crash or a 502 delays
            # the week's digest (the outbox retries it), never loses or doubles it.
            await chats.update(
                telegram_chat_id, settings={**chat.settings, DIGEST_SENT_SETTING: marker}
            )
            notice = await self._reacher.store_for_chat(
                session,
                Recipient(telegram_chat_id, locale),
                OutgoingMessage("stats-digest", {"body": Html(body)}, silent=True),
                what="weekly digest",
                report_id=None,
            )
        result = await self._reacher.deliver(notice)
        return result.ok or result.status is DeliveryStatus.RETRY_LATER
