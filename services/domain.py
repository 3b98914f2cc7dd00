"""The domain types the services export to the surfaces (handlers/, zalo/, zalo_oa/, web/)
and the jobs (scheduler/): enums and read-only DTOs. Those layers import them from here,
never from ``storage`` (tests/unit/test_layers.py), so a change of table or repository stays
behind the services. Re-exports only: each type is defined once, next to its table."""

from __future__ import annotations

from storage.dto import AreaDTO
from storage.dto_tips import ReportDTO
from storage.models import (
    AdvisoryStatus,
    AreaKind,
    Recurrence,
    RelayDirection,
    Role,
)
from storage.person_names import person_name
from storage.repositories.advisories import AdvisoryDTO
from storage.repositories.advisory_runs import DeliveryDTO
from storage.repositories.verification import PendingVerificationDTO
from storage.send_budget import Priority, SendBudget, SendLimits, Window, account_of

__all__ = [
    "AdvisoryDTO",
    "AdvisoryStatus",
    "AreaDTO",
    "AreaKind",
    "DeliveryDTO",
    "PendingVerificationDTO",
    "Priority",
    "Recurrence",
    "RelayDirection",
    "ReportDTO",
    "Role",
    "SendBudget",
    "SendLimits",
    "Window",
    "account_of",
    "person_name",
]
