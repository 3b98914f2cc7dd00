"""All mapped tables; importing this module registers them on ``Base.metadata``."""

from storage.models.areas import Area, AreaKind
from storage.models.audit import AuditLog
from storage.models.base import Base
from storage.models.chats import Chat, ChatPurpose
from storage.models.reports import Report, ReportKind, ReportStatus
from storage.models.users import Role, RoleGrant, User

__all__ = [
    "Area",
    "AreaKind",
    "AuditLog",
    "Base",
    "Chat",
    "ChatPurpose",
    "Report",
    "ReportKind",
    "ReportStatus",
    "Role",
    "RoleGrant",
    "User",
]
