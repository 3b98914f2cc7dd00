"""An advisory belongs to its area, not to the officer who wrote it: every action on it
(/lichphat's buttons, /thuhoi, editing the text) re-checks the caller's current police right on
the advisory's area. An officer transferred to another ward or revoked cannot touch the old
ward's warnings, even with forged buttons; the ward's current officer lists and manages them,
and the schedule keeps running."""

from __future__ import annotations

import pytest

from bot.i18n import t
from services.advisory_types import AdvisoryDraft
from services.schedule_text import Schedule
from storage.models import AdvisoryStatus, Recurrence
from tests.e2e.harness import BotHarness, buttons, user
from tests.e2e.test_advisories_support import OFFICER, officer, seed_groups, seed_tree

SUCCESSOR = user(3002, "Dũng", "canbo_dung")


async def _daily_warning(h: BotHarness) -> int:
    """The first officer of ND-W1 schedules a daily warning to the whole ward."""
    profile = await officer(h, "ND-W1")
    await seed_groups(h, ["ND-W1-01", "ND-W1-02"])
    advisory = await h.services.advisories.create(
        profile,
        AdvisoryDraft(
            text="Cảnh giác cuộc gọi giả danh công an",
            schedule=Schedule(Recurrence.DAILY, time_of_day="20:00"),
            area_id=(await h.services.areas.get("ND-W1")).id,
        ),
    )
    return advisory.id


async def _status(h: BotHarness, advisory_id: int) -> tuple[AdvisoryStatus, str]:
    found = await h.services.advisory_runs.get(advisory_id)
    assert found is not None
    return found.status, found.text


@pytest.mark.parametrize("leaves", ["transferred", "revoked"])
async def test_a_former_officer_cannot_manage_the_old_wards_advisories(
    harness: BotHarness, leaves: str
) -> None:
    h = harness
    await seed_tree(h, wards=2, groups_per_ward=2)
    advisory_id = await _daily_warning(h)
    [listed] = await h.say(OFFICER, "/lichphat")
    assert f"sched:pause:{advisory_id}" in [data for _, data in buttons(listed)]

    await h.services.grants.revoke(
        target_telegram_id=OFFICER["id"], role="police", area_code="ND-W1"
    )
    if leaves == "transferred":
        await h.services.grants.grant(
            target_telegram_id=OFFICER["id"], role="police", area_code="ND-W2"
        )

    # The list no longer offers it...
    [mine] = await h.say(OFFICER, "/lichphat")
    assert f"sched:pause:{advisory_id}" not in [data for _, data in buttons(mine)]
    # ...and the buttons it once sent, pressed again or forged, are refused.
    refusals = {t("adv-not-yours", "vi"), t("adv-police-only", "vi")}
    for action in ("pause", "edit", "delete", "retract"):
        answer, _ = await h.press(
            OFFICER, listed, f"sched:{action}:{advisory_id}", forged=True, expect=0
        )
        history = await h.client.history(OFFICER["id"], after=mine["message_id"], from_bot=True)
        texts = [answer.get("text") if answer else None, *(m["text"] for m in history)]
        assert refusals & set(texts), (action, texts)
    [thuhoi] = await h.say(OFFICER, f"/thuhoi {advisory_id}")
    assert thuhoi["text"] in refusals
    assert await _status(h, advisory_id) == (
        AdvisoryStatus.ACTIVE,
        "Cảnh giác cuộc gọi giả danh công an",
    )


async def test_the_new_officer_lists_and_manages_the_predecessors_schedule(
    harness: BotHarness,
) -> None:
    h = harness
    await seed_tree(h, wards=2, groups_per_ward=2)
    advisory_id = await _daily_warning(h)
    await h.services.grants.revoke(
        target_telegram_id=OFFICER["id"], role="police", area_code="ND-W1"
    )
    await officer(h, "ND-W1", SUCCESSOR)
    # The warning belongs to the ward: losing its author does not pause or delete it.
    assert advisory_id in [a.id for a in await h.services.advisory_runs.active()]

    [listed] = await h.say(SUCCESSOR, "/lichphat")
    assert "Cảnh giác cuộc gọi giả danh công an" in listed["text"]
    assert f"sched:pause:{advisory_id}" in [data for _, data in buttons(listed)]
    answer, _ = await h.press(SUCCESSOR, listed, f"sched:pause:{advisory_id}")
    assert answer is not None and answer["text"] == t("sched-paused", "vi", id=str(advisory_id))
    assert (await _status(h, advisory_id))[0] is AdvisoryStatus.PAUSED

    _, [prompt] = await h.press(SUCCESSOR, listed, f"sched:edit:{advisory_id}", expect=1)
    assert prompt["text"] == t("adv-edit-prompt", "vi", id=str(advisory_id))
    await h.say(SUCCESSOR, "Cảnh giác tin nhắn giả danh ngân hàng")
    assert (await _status(h, advisory_id))[1] == "Cảnh giác tin nhắn giả danh ngân hàng"
