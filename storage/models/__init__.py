"""All mapped tables; importing this module registers them on ``Base.metadata``."""

from storage.models.advisories import (
    Advisory,
    AdvisoryDelivery,
    AdvisoryRun,
    AdvisoryStatus,
    DeliveryState,
    Recurrence,
    RunStatus,
    SchedulerLease,
)
from storage.models.areas import Area, AreaKind
from storage.models.audit import AuditLog
from storage.models.base import Base
from storage.models.cards import TipCardMessage
from storage.models.chats import Chat, ChatPurpose
from storage.models.community import (
    AreaContact,
    AreaSubscription,
    ContactRole,
    FaqEntry,
    HelpfulReport,
)
from storage.models.compose import ComposeDraft
from storage.models.indicators import Indicator, IndicatorKind, ReportIndicator, ScamIndicator
from storage.models.limits import RateLimitHit
from storage.models.moderation import (
    MemberWarning,
    PendingVerification,
    ReviewFlag,
    ReviewItem,
    ReviewKind,
    ReviewStatus,
)
from storage.models.outbox import OutboxMessage, OutboxState
from storage.models.relay import RelayDirection, RelayMessage
from storage.models.reports import Report, ReportKind, ReportStatus
from storage.models.tips import ReportAttachment, ReportStatusChange
from storage.models.updates import HandledUpdate
from storage.models.users import Role, RoleGrant, User
from storage.models.web import WebLoginToken, WebSession
from storage.models.zalo import (
    AccountLinkCode,
    AccountLinkFailure,
    ZaloGroup,
    ZaloUser,
)
from storage.models.zalo_oa import (
    ZaloOaEvent,
    ZaloOaFollower,
    ZaloOaGroup,
    ZaloOaHeld,
    ZaloOaToken,
)

__all__ = [
    "AccountLinkCode",
    "AccountLinkFailure",
    "Advisory",
    "AdvisoryDelivery",
    "AdvisoryRun",
    "AdvisoryStatus",
    "Area",
    "AreaContact",
    "AreaKind",
    "AreaSubscription",
    "AuditLog",
    "Base",
    "Chat",
    "ChatPurpose",
    "ComposeDraft",
    "ContactRole",
    "DeliveryState",
    "FaqEntry",
    "HandledUpdate",
    "HelpfulReport",
    "Indicator",
    "IndicatorKind",
    "MemberWarning",
    "OutboxMessage",
    "OutboxState",
    "PendingVerification",
    "RateLimitHit",
    "Recurrence",
    "RelayDirection",
    "RelayMessage",
    "Report",
    "ReportAttachment",
    "ReportIndicator",
    "ReportKind",
    "ReportStatus",
    "ReportStatusChange",
    "ReviewFlag",
    "ReviewItem",
    "ReviewKind",
    "ReviewStatus",
    "Role",
    "RoleGrant",
    "RunStatus",
    "ScamIndicator",
    "SchedulerLease",
    "TipCardMessage",
    "User",
    "WebLoginToken",
    "WebSession",
    "ZaloGroup",
    "ZaloOaEvent",
    "ZaloOaFollower",
    "ZaloOaGroup",
    "ZaloOaHeld",
    "ZaloOaToken",
    "ZaloUser",
]
