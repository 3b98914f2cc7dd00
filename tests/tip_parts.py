"""The tip services built the way bot/wiring.py builds them, for tests that call them
directly (without the whole service container)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from services.conversation import Conversations
from services.ports import RateLimiter
from services.reach import PersonReacher
from services.tip_followup import TipFollowUp
from services.tip_routing import TipRouter
from services.tip_steps import TipSteps
from services.tips import TipIntake
from storage.hotpath import HotPath, SessionHotPath
from storage.rate_limits import DatabaseRateLimiter
from storage.uow import Sessions

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class TipParts:
    tip_steps: TipSteps
    tip_router: TipRouter
    tip_followup: TipFollowUp
    tip_intake: TipIntake


def build_tips(
    sessions: Sessions,
    reacher: PersonReacher,
    *,
    tips_per_hour: int = 10,
    admin_ids: frozenset[int] = frozenset(),
    hot: HotPath | None = None,
    limiter: RateLimiter | None = None,
    grace_seconds: float = 30.0,
) -> TipParts:
    hot = hot or SessionHotPath(sessions)
    router = TipRouter(
        sessions,
        reacher,
        limiter or DatabaseRateLimiter(hot),
        admin_ids=admin_ids,
        default_language="vi",
        tz=TZ,
        grace_seconds=grace_seconds,
    )
    return TipParts(
        tip_steps=TipSteps(sessions, Conversations(sessions, hot)),
        tip_router=router,
        tip_followup=TipFollowUp(sessions, reacher, tz=TZ),
        tip_intake=TipIntake(sessions, router, tips_per_hour=tips_per_hour),
    )
