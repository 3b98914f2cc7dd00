"""Police-only commands are refused by the services themselves, with the one shared "no
permission" message, before anything is looked up: a resident learns nothing about an area,
a tip code or an entry from the refusal, on whichever surface asked (issue 16: policy in the
services, not in the Telegram handlers)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

import pytest

from services.access import Profile
from services.areas import AreaService
from services.contacts import ContactService
from services.errors import PermissionDenied
from services.faq import FaqService
from services.onboarding import OnboardingService
from services.recognition import RecognitionService
from storage.uow import Sessions
from tests.unit.test_community import TREE, RecordingSender, person

RESIDENT_ID = 3101


def _services(sessions: Sessions) -> dict[str, object]:
    return {
        "contacts": ContactService(sessions),
        "faq": FaqService(sessions),
        "onboarding": OnboardingService(sessions),
        "recognition": RecognitionService(
            sessions, RecordingSender(), tz=ZoneInfo("Asia/Ho_Chi_Minh"), default_language="vi"
        ),
    }


Call = Callable[[dict[str, object], Profile], Awaitable[object]]

# Each entry point a police-only command reaches, with arguments that name something that
# exists (ND-TN) or does not (ND-XX, TB-0000-0000): the refusal must not tell them apart.
ENTRY_POINTS: dict[str, Call] = {
    "contacts.set (existing area)": lambda s, p: s["contacts"].set(  # type: ignore[attr-defined]
        area_code="ND-TN", role="duty", phone="0228 3849 113", actor=p
    ),
    "contacts.set (unknown area)": lambda s, p: s["contacts"].set(  # type: ignore[attr-defined]
        area_code="ND-XX", role="duty", phone="0228 3849 113", actor=p
    ),
    "contacts.remove": lambda s, p: s["contacts"].remove(  # type: ignore[attr-defined]
        area_code="ND-TN", role="duty", actor=p
    ),
    "onboarding.poster_targets": lambda s, p: s["onboarding"].poster_targets(  # type: ignore[attr-defined]
        "ND-TN", p
    ),
    "recognition.mark_helpful": lambda s, p: s["recognition"].mark_helpful(  # type: ignore[attr-defined]
        "TB-0000-0000", p
    ),
    "recognition.publish_thanks": lambda s, p: s["recognition"].publish_thanks(  # type: ignore[attr-defined]
        "ND-TN", p
    ),
    "faq.save": lambda s, p: s["faq"].save(  # type: ignore[attr-defined]
        {"slug": "tam-tru", "answer_vi": "hack"}, actor=p
    ),
    "faq.editable_topics": lambda s, p: s["faq"].editable_topics(p),  # type: ignore[attr-defined]
}


@pytest.mark.parametrize("name", list(ENTRY_POINTS))
async def test_a_resident_is_refused_by_the_service_before_any_look_up(
    sessions: Sessions, name: str
) -> None:
    await AreaService(sessions).import_csv(TREE)
    resident = await person(sessions, RESIDENT_ID)
    with pytest.raises(PermissionDenied) as refused:
        await ENTRY_POINTS[name](_services(sessions), resident)
    assert refused.value.message_key == "error-permission-denied"


@pytest.mark.parametrize(
    "areas_of",
    [
        lambda s: s["contacts"].editable_areas,
        lambda s: s["onboarding"].poster_areas,
        lambda s: s["recognition"].thanking_areas,
    ],
    ids=["contacts", "onboarding", "recognition"],
)
async def test_the_usage_areas_are_the_officers_own_and_nobody_elses(
    sessions: Sessions, areas_of: Callable[[dict[str, object]], Callable[[Profile], object]]
) -> None:
    await AreaService(sessions).import_csv(TREE)
    officer = await person(sessions, 3102, "Hùng", police="ND-TN")
    resident = await person(sessions, RESIDENT_ID)
    services = _services(sessions)
    assert [a.code for a in areas_of(services)(officer)] == ["ND-TN"]  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied) as refused:
        areas_of(services)(resident)
    assert refused.value.message_key == "error-permission-denied"
