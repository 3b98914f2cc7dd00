"""The service container: built once per process in ``post_init`` and shared by handlers and
jobs through :class:`~bot.context.AnninhContext`. Feature work adds its service here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import t
from bot.settings import Settings
from services.advisories import AdvisoryService
from services.areas import AreaService
from services.audit import AuditService
from services.compose_drafts import ComposeDrafts
from services.console import ConsoleService
from services.console_stats import ConsoleStats
from services.contacts import ContactService
from services.faq import FaqService
from services.grants import GrantService
from services.groups import GroupService
from services.inbox import InboxService
from services.lease import Lease
from services.moderation import DeferredGroupActions, ModerationService
from services.onboarding import OnboardingService, SubscriptionService
from services.police import PoliceNotices
from services.ports import RateLimiter, Sender
from services.protection import Protection
from services.reach import PersonReacher
from services.recognition import RecognitionService
from services.relay import RELAY_AFTER_SENT, RelayService
from services.review import ReviewService
from services.scams import ScamService
from services.stats import StatsService
from services.tip_review import TipReviewService
from services.tips import TipService
from services.updates import HandledUpdates
from services.users import UserService
from services.verification import VerificationService
from services.web_signin import WebSignIn
from services.zalo import ZaloService
from services.zalo_oa import OaFollowers, OaGroups, ZaloOaServices
from services.zalo_oa_inbox import OaInbox
from services.zalo_oa_tokens import OaTokens
from storage.db import create_engine, create_sessionmaker
from storage.hotpath import HotPath, open_hot_path
from storage.rate_limits import DatabaseRateLimiter, RedisRateLimiter
from storage.uow import Sessions


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: Sessions
    hot: HotPath
    """The held driver connection for the per-update statements (storage/hotpath.py)."""
    limiter: RateLimiter
    """Where the rate limits count: Redis with REDIS_URL, else the database."""
    sender: Sender
    reacher: PersonReacher
    """The one way services reach a person (services/reach.py); its outbox is swept by
    scheduler/outbox.py."""
    users: UserService
    areas: AreaService
    grants: GrantService
    advisories: AdvisoryService
    tips: TipService
    scams: ScamService
    group_actions: DeferredGroupActions
    groups: GroupService
    review: ReviewService
    moderation: ModerationService
    verification: VerificationService
    audit: AuditService
    onboarding: OnboardingService
    subscriptions: SubscriptionService
    contacts: ContactService
    faq: FaqService
    recognition: RecognitionService
    stats: StatsService
    zalo: ZaloService
    handled_updates: HandledUpdates
    compose: ComposeDrafts
    advisory_lease: Lease
    """Only its holder sends advisories (scheduler/advisories.py)."""
    # Built after the rest (they use tips, scams and the review queue): see _add_police_side.
    web_signin: WebSignIn
    console_stats: ConsoleStats
    inbox: InboxService = field(init=False)
    relay: RelayService = field(init=False)
    tip_review: TipReviewService = field(init=False)
    console: ConsoleService = field(init=False)

    async def close(self) -> None:
        """Release the database: the held read connection, then the pool."""
        await self.limiter.close()
        await self.hot.close()
        await self.engine.dispose()


def build_services(
    settings: Settings, sender: Sender, engine: AsyncEngine | None = None
) -> Services:
    engine = engine or create_engine(
        settings.database_url, busy_timeout_s=settings.database_busy_timeout
    )
    sessions = create_sessionmaker(engine)
    hot = open_hot_path(
        settings.database_url, sessions, busy_timeout_s=settings.database_busy_timeout
    )
    limiter = _rate_limiter(settings, hot)
    users = UserService(
        sessions,
        default_language=settings.default_language,
        superadmin_ids=settings.admin_ids,
        hot=hot,
    )
    reacher = PersonReacher(
        sessions,
        sender,
        users,
        default_language=settings.default_language,
        retry_seconds=settings.outbox_retry_seconds,
        after_sent=RELAY_AFTER_SENT,
    )
    stats = StatsService(
        sessions,
        tz=settings.tz,
        sender=sender,
        translate=t,
        default_language=settings.default_language,
    )
    services = Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        hot=hot,
        sender=sender,
        reacher=reacher,
        users=users,
        areas=AreaService(sessions),
        grants=GrantService(sessions),
        advisories=AdvisoryService(
            sessions,
            sender,
            tz=settings.tz,
            grace_seconds=settings.advisory_grace_seconds,
            default_locale=settings.default_language,
            superadmin_ids=settings.admin_ids,
        ),
        scams=ScamService(sessions, hot=hot, limiter=limiter),
        stats=stats,
        tips=TipService(
            sessions,
            reacher,
            tips_per_hour=settings.tips_per_hour,
            admin_ids=settings.admin_ids,
            default_language=settings.default_language,
            tz=settings.tz,
            hot=hot,
            limiter=limiter,
        ),
        **_moderation_services(settings, sessions, sender, users),
        **_community_services(settings, sessions, reacher),
        zalo=ZaloService(
            sessions,
            default_language=settings.default_language,
            superadmin_ids=settings.admin_ids,
            groups_enabled=settings.zalo_groups_enabled,
            reacher=reacher,
        ),
        handled_updates=HandledUpdates(hot),
        limiter=limiter,
        compose=ComposeDrafts(sessions),
        advisory_lease=Lease(
            sessions, name="advisories", ttl_seconds=settings.advisory_lease_seconds
        ),
        web_signin=WebSignIn(sessions, users, session_hours=settings.web_session_hours),
        console_stats=ConsoleStats(sessions, stats, tz=settings.tz),
    )
    # Area advisories also reach residents who follow the area by direct message.
    services.advisories.target_sources.append(services.zalo.subscriber_targets)
    services.tips.routing_grace_seconds = settings.tip_routing_grace_seconds
    services.tips.routing_lease_seconds = settings.tip_routing_lease_seconds
    _add_police_side(services)
    return services


def _rate_limiter(settings: Settings, hot: HotPath) -> RateLimiter:
    if settings.redis_url is not None and settings.redis_url.get_secret_value().strip():
        return RedisRateLimiter(settings.redis_url.get_secret_value().strip())
    return DatabaseRateLimiter(hot)


def _moderation_services(
    settings: Settings, sessions: Sessions, sender: Sender, users: UserService
) -> dict[str, Any]:
    """Groups, the review queue, moderation, join verification and the audit reader."""
    actions = DeferredGroupActions()
    groups = GroupService(sessions, zalo_groups_enabled=settings.zalo_groups_enabled)
    review = ReviewService(sessions)
    protection = Protection(users)
    police = PoliceNotices(
        sessions,
        sender,
        admin_ids=settings.admin_ids,
        default_language=settings.default_language,
    )
    return {
        "group_actions": actions,
        "groups": groups,
        "review": review,
        "moderation": ModerationService(sessions, groups, review, actions, protection, police),
        "verification": VerificationService(
            sessions, groups, actions, sender, protection, locale=settings.default_language
        ),
        "audit": AuditService(sessions, tz=settings.tz, superadmin_ids=settings.admin_ids),
    }


def _community_services(
    settings: Settings, sessions: Sessions, reacher: PersonReacher
) -> dict[str, Any]:
    """QR onboarding and subscriptions, who-to-call contacts, the FAQ, recognition."""
    return {
        "onboarding": OnboardingService(sessions),
        "subscriptions": SubscriptionService(sessions, default_language=settings.default_language),
        "contacts": ContactService(sessions),
        "faq": FaqService(sessions),
        "recognition": RecognitionService(
            sessions, reacher, tz=settings.tz, default_language=settings.default_language
        ),
    }


def _add_police_side(services: Services) -> None:
    """The police inbox, the anonymous relay and tip review (which screens each new tip and
    adds the ``report`` kind to the shared review queue)."""
    settings = services.settings
    services.inbox = InboxService(
        services.sessions,
        services.reacher,
        services.tips,
        services.scams,
        tz=settings.tz,
        default_language=settings.default_language,
    )
    services.relay = RelayService(
        services.sessions,
        services.reacher,
        services.inbox,
        default_language=settings.default_language,
        hot=services.hot,
        limiter=services.limiter,
    )
    services.tip_review = TipReviewService(
        services.sessions,
        services.reacher,
        services.inbox,
        t,
        default_language=settings.default_language,
    )
    services.console = ConsoleService(services.sessions, services.inbox, tz=settings.tz)
    services.review.register(services.tip_review.spec())
    screen = services.tip_review.screen
    services.tips.after_store.append(lambda report: screen(report.id))


def build_zalo_oa(services: Services) -> ZaloOaServices | None:
    """The Official Account's services when ZALO_OA_APP_ID is set (None otherwise)."""
    settings = services.settings
    if not settings.has_zalo_oa:
        return None

    def secret(value: SecretStr | None) -> str | None:
        return value.get_secret_value().strip() if value is not None else None

    return ZaloOaServices(
        inbox=OaInbox(services.sessions),
        tokens=OaTokens(
            services.sessions,
            services.sender,
            app_id=(settings.zalo_oa_app_id or "").strip(),
            seed_access_token=secret(settings.zalo_oa_access_token),
            seed_refresh_token=secret(settings.zalo_oa_refresh_token),
            admin_ids=settings.admin_ids,
            locale=settings.default_language,
        ),
        followers=OaFollowers(services.sessions, services.onboarding),
        groups=OaGroups(services.sessions, services.groups),
    )


class OfflineSender:
    """For CLI commands that run without a bot: reaching people is not possible there, and
    any attempt is a programming error worth a loud failure."""

    async def send(self, to: object, message: object) -> object:
        raise RuntimeError("this command runs offline and cannot send messages")

    async def delete(self, chat_id: int, message_id: int, channel: str = "telegram") -> bool:
        raise RuntimeError("this command runs offline and cannot delete messages")
