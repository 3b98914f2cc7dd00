"""The service container: built once per process in ``post_init``, in the order the services
need each other, and shared by handlers and jobs through :class:`~bot.context.AnninhContext`.
Each service gets what it needs in its constructor; the container is frozen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import t
from bot.settings import Settings
from services.advisories import AdvisoryService
from services.advisory_compose import AdvisoryComposer
from services.advisory_runs import AdvisoryRuns
from services.advisory_targets import AdvisoryTargets
from services.advisory_types import ScheduleChanges
from services.areas import AreaService
from services.audit import AuditService
from services.console import ConsoleService
from services.console_advisories import ConsoleAdvisories
from services.console_areas import ConsoleAreas
from services.console_stats import ConsoleStats
from services.contacts import ContactService
from services.conversation import Conversations
from services.faq import FaqService
from services.grants import GrantService
from services.groups import GroupService
from services.inbox import InboxQueries
from services.inbox_actions import InboxActions
from services.inbox_guard import InboxGuard
from services.lease import Lease
from services.moderation import Moderation
from services.moderation_model import GroupActions, NoGroupActions
from services.onboarding import OnboardingService, SubscriptionService
from services.police import PoliceNotices
from services.ports import RateLimiter, Sender, TipCardRenderer
from services.protection import Protection
from services.reach import PersonReacher
from services.recognition import RecognitionService
from services.relay import RelayService
from services.relay_exchange import RELAY_AFTER_SENT, RelayExchange
from services.review import ReviewService
from services.scams import ScamService
from services.stats import StatsService
from services.stats_digest import WeeklyDigest
from services.tip_card_tracker import CardTracker, UntrackedCards
from services.tip_cards import TipCards
from services.tip_followup import TipFollowUp
from services.tip_review import TipReviewService
from services.tip_routing import TipRouter
from services.tip_steps import TipSteps
from services.tips import TipIntake
from services.updates import HandledUpdates
from services.users import UserService
from services.verification import VerificationService
from services.web_signin import WebSignIn
from services.zalo import ZaloChats, ZaloService
from services.zalo_oa import OaFollowers, OaGroups, OaHeld, ZaloOaServices
from services.zalo_oa_inbox import OaInbox
from services.zalo_oa_tokens import OaTokens
from storage.db import create_engine, create_sessionmaker
from storage.hotpath import HotPath, open_hot_path
from storage.rate_limits import DatabaseRateLimiter, RedisRateLimiter
from storage.uow import Sessions


@dataclass(frozen=True, kw_only=True)
class Services:
    """Every service of the process, built once by :func:`build_services` in the order they
    need each other; nothing is assigned or added to them afterwards."""

    settings: Settings
    engine: AsyncEngine
    sessions: Sessions
    hot: HotPath
    """The held driver connection for the per-update statements (storage/hotpath.py)."""
    limiter: RateLimiter
    """Where the rate limits count: Redis with REDIS_URL, else the database."""
    sender: Sender
    tip_cards: CardTracker
    """Every message showing a tip, redrawn when the tip changes (services/tip_cards.py)."""
    reacher: PersonReacher
    """The one way services reach a person (services/reach.py); its outbox is swept by
    scheduler/outbox.py."""
    users: UserService
    areas: AreaService
    grants: GrantService
    zalo: ZaloService
    zalo_chats: ZaloChats
    zalo_oa: ZaloOaServices | None
    """The Official Account's services when ZALO_OA_APP_ID is set."""
    advisory_targets: AdvisoryTargets
    advisory_changes: ScheduleChanges
    """The advisory scheduler of this process listens here while it runs."""
    advisories: AdvisoryService
    advisory_runs: AdvisoryRuns
    advisory_lease: Lease
    """Only its holder sends advisories (scheduler/advisories.py)."""
    scams: ScamService
    stats: StatsService
    weekly_digest: WeeklyDigest
    tip_steps: TipSteps
    tip_router: TipRouter
    tip_followup: TipFollowUp
    group_actions: GroupActions
    groups: GroupService
    moderation: Moderation
    verification: VerificationService
    audit: AuditService
    onboarding: OnboardingService
    subscriptions: SubscriptionService
    contacts: ContactService
    faq: FaqService
    recognition: RecognitionService
    handled_updates: HandledUpdates
    conversations: Conversations
    """Every multi-step flow's stored draft (services/conversation.py)."""
    composer: AdvisoryComposer
    web_signin: WebSignIn
    console_stats: ConsoleStats
    inbox_guard: InboxGuard
    inbox: InboxQueries
    inbox_actions: InboxActions
    relay: RelayService
    tip_review: TipReviewService
    review: ReviewService
    """The shared review queue, with group moderation's kind and tip review's."""
    tip_intake: TipIntake
    """Starts and submits tips; tip review screens each stored tip before it is routed."""
    console: ConsoleService
    console_advisories: ConsoleAdvisories
    console_areas: ConsoleAreas

    async def close(self) -> None:
        """Release the database: the held read connection, then the pool."""
        await self.tip_cards.settled()
        await self.limiter.close()
        await self.hot.close()
        await self.engine.dispose()


def build_services(
    settings: Settings,
    sender: Sender | None,
    engine: AsyncEngine | None = None,
    *,
    channels: Channels | None = None,
    group_actions: GroupActions | None = None,
    police_reachable: bool = True,
    card_renderer: TipCardRenderer | None = None,
) -> Services:
    """``sender``: how the services reach a chat; or ``channels``, which builds it on the
    services' Zalo chat directory (the Zalo bot's sender turns chat keys into Zalo ids).
    ``group_actions``: the chat platform's hands for moderation (none: this process must not
    moderate). ``police_reachable=False``: a process that cannot reach the police (Zalo
    alone) leaves its tips due for the Telegram process's routing sweep.
    ``card_renderer``: how the surface draws a tip's cards; without one (offline commands)
    no card is recorded or redrawn."""
    engine = engine or create_engine(
        settings.database_url, busy_timeout_s=settings.database_busy_timeout
    )
    sessions = create_sessionmaker(engine)
    hot = open_hot_path(
        settings.database_url, sessions, busy_timeout_s=settings.database_busy_timeout
    )
    limiter = _rate_limiter(settings, hot)
    language = settings.default_language
    conversations = Conversations(sessions, hot)
    zalo_chats = ZaloChats(
        sessions,
        default_language=language,
        groups_enabled=settings.zalo_groups_enabled,
        conversations=conversations,
    )
    users = UserService(
        sessions, default_language=language, superadmin_ids=settings.admin_ids, hot=hot
    )
    groups = GroupService(sessions, zalo_groups_enabled=settings.zalo_groups_enabled)
    onboarding = OnboardingService(sessions)
    zalo_oa = _zalo_oa_services(
        settings, sessions, users, onboarding, groups, channels.telegram if channels else sender
    )
    if channels is not None:
        sender = channels(zalo_chats, zalo_oa)
    assert sender is not None, "build_services needs a sender or the channels to build one"
    tip_cards: CardTracker = (
        TipCards(sessions, sender, card_renderer, users, default_language=language)
        if card_renderer is not None
        else UntrackedCards()
    )
    reacher = PersonReacher(
        sessions,
        sender,
        users,
        default_language=language,
        retry_seconds=settings.outbox_retry_seconds,
        after_sent=RELAY_AFTER_SENT,
        cards=tip_cards,
    )
    zalo = ZaloService(
        sessions, default_language=language, superadmin_ids=settings.admin_ids, reacher=reacher
    )
    advisory_targets = AdvisoryTargets(sessions)
    advisory_changes = ScheduleChanges()
    advisory_runs = AdvisoryRuns(
        sessions,
        sender,
        advisory_targets,
        tz=settings.tz,
        grace_seconds=settings.advisory_grace_seconds,
        default_locale=language,
        superadmin_ids=settings.admin_ids,
        # Area advisories also reach residents who follow the area by direct message.
        # A ward's advisory reaches the OA's followers living in it (its linked OA groups are
        # chats of the area).
        target_sources=(zalo_chats.subscriber_targets,)
        + ((zalo_oa.followers.advisory_targets,) if zalo_oa is not None else ()),
        reacher=reacher,
    )
    advisories = AdvisoryService(
        sessions, sender, advisory_targets, tz=settings.tz, changes=advisory_changes
    )
    stats = StatsService(sessions, tz=settings.tz, translate=t)
    composer = AdvisoryComposer(conversations, advisories, advisory_targets, settings.tz)
    scams = ScamService(sessions, hot=hot, limiter=limiter, conversations=conversations)
    police = PoliceNotices(
        sessions, reacher, admin_ids=settings.admin_ids, default_language=language
    )
    tip_router = TipRouter(
        sessions,
        reacher,
        limiter,
        admin_ids=settings.admin_ids,
        default_language=language,
        tz=settings.tz,
        grace_seconds=settings.tip_routing_grace_seconds,
        lease_seconds=settings.tip_routing_lease_seconds,
        enabled=police_reachable,
        cards=tip_cards,
        police=police,
    )
    tip_followup = TipFollowUp(sessions, reacher, tz=settings.tz, cards=tip_cards)
    group_actions = group_actions or NoGroupActions()
    protection = Protection(users)
    moderation = Moderation.build(sessions, groups, group_actions, protection, police)
    inbox_guard = InboxGuard(sessions)
    inbox = InboxQueries(sessions, inbox_guard, tz=settings.tz)
    inbox_actions = InboxActions(
        sessions,
        reacher,
        inbox_guard,
        tip_followup,
        scams,
        default_language=language,
        cards=tip_cards,
    )
    tip_review = TipReviewService(
        sessions, reacher, inbox_actions, t, default_language=language, cards=tip_cards
    )
    return Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        hot=hot,
        limiter=limiter,
        sender=sender,
        tip_cards=tip_cards,
        reacher=reacher,
        users=users,
        areas=AreaService(sessions),
        grants=GrantService(sessions),
        zalo=zalo,
        zalo_chats=zalo_chats,
        zalo_oa=zalo_oa,
        advisory_targets=advisory_targets,
        advisory_changes=advisory_changes,
        advisories=advisories,
        advisory_runs=advisory_runs,
        advisory_lease=Lease(
            sessions, name="advisories", ttl_seconds=settings.advisory_lease_seconds
        ),
        scams=scams,
        stats=stats,
        weekly_digest=WeeklyDigest(
            sessions, stats, reacher, tz=settings.tz, translate=t, default_language=language
        ),
        tip_steps=TipSteps(sessions, conversations),
        tip_router=tip_router,
        tip_followup=tip_followup,
        group_actions=group_actions,
        groups=groups,
        moderation=moderation,
        verification=VerificationService(
            sessions, groups, group_actions, sender, protection, locale=language
        ),
        audit=AuditService(sessions, tz=settings.tz, superadmin_ids=settings.admin_ids),
        onboarding=onboarding,
        subscriptions=SubscriptionService(sessions, default_language=language),
        contacts=ContactService(sessions),
        faq=FaqService(sessions),
        recognition=RecognitionService(
            sessions, reacher, tz=settings.tz, default_language=language
        ),
        handled_updates=HandledUpdates(hot),
        conversations=conversations,
        composer=composer,
        web_signin=WebSignIn(sessions, users, session_hours=settings.web_session_hours),
        console_stats=ConsoleStats(sessions, stats, tz=settings.tz),
        inbox_guard=inbox_guard,
        inbox=inbox,
        inbox_actions=inbox_actions,
        relay=RelayService(
            conversations,
            RelayExchange(
                sessions, reacher, inbox_guard, limiter, tip_cards, default_language=language
            ),
            inbox_guard,
            inbox_actions,
            hot,
        ),
        tip_review=tip_review,
        review=ReviewService(sessions, (moderation.review.spec(), tip_review.spec())),
        tip_intake=TipIntake(
            sessions,
            tip_router,
            tips_per_hour=settings.tips_per_hour,
            # The police side screens each new tip for the review queue before it is routed.
            after_store=(lambda report: tip_review.screen(report.id),),
        ),
        console=ConsoleService(sessions, inbox, inbox_guard, tz=settings.tz),
        console_advisories=ConsoleAdvisories(
            sessions, advisories, advisory_targets, advisory_runs, composer, tz=settings.tz
        ),
        console_areas=ConsoleAreas(sessions),
    )


def _rate_limiter(settings: Settings, hot: HotPath) -> RateLimiter:
    if settings.redis_url is not None and settings.redis_url.get_secret_value().strip():
        return RedisRateLimiter(settings.redis_url.get_secret_value().strip())
    return DatabaseRateLimiter(hot)


class Channels(Protocol):
    """How a process makes its one sender (zalo.runtime.channels): its Telegram sender (the
    admins' channel) and the router it builds on the services' Zalo chat directory and the
    Official Account's services."""

    telegram: Sender | None

    def __call__(self, chats: ZaloChats, oa: ZaloOaServices | None) -> Sender: ...


def _zalo_oa_services(
    settings: Settings,
    sessions: Sessions,
    users: UserService,
    onboarding: OnboardingService,
    groups: GroupService,
    admin_sender: Sender | None,
) -> ZaloOaServices | None:
    """The Official Account's services when ZALO_OA_APP_ID is set (None otherwise). A failed
    token refresh is told to the admins through ``admin_sender`` (Telegram: admins are
    Telegram ids; without it, only logged)."""
    if not settings.has_zalo_oa:
        return None

    def secret(value: SecretStr | None) -> str | None:
        return value.get_secret_value().strip() if value is not None else None

    return ZaloOaServices(
        inbox=OaInbox(sessions),
        tokens=OaTokens(
            sessions,
            admin_sender,
            app_id=(settings.zalo_oa_app_id or "").strip(),
            seed_access_token=secret(settings.zalo_oa_access_token),
            seed_refresh_token=secret(settings.zalo_oa_refresh_token),
            admin_ids=settings.admin_ids,
            locale=settings.default_language,
        ),
        followers=OaFollowers(
            sessions, onboarding, users, default_language=settings.default_language
        ),
        groups=OaGroups(sessions, groups),
        held=OaHeld(sessions),
    )
