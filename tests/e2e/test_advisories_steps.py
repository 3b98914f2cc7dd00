"""The composer as a conversation of the engine (services/conversation.py): only the message
asking the current step keeps live buttons, an old step's button is answered with a toast and
changes nothing, and of two presses of "send" only one creates an advisory."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.i18n import t
from services.access import Profile
from services.advisory_steps import ComposeStep
from storage.models import Advisory
from storage.uow import transaction
from tests.e2e.harness import BotHarness, buttons
from tests.e2e.test_advisories_support import (
    OFFICER,
    officer,
    seed_groups,
    seed_tree,
    wait_until,
)

TEXT = "Cảnh báo: kẻ gian giả làm nhân viên điện lực"


async def _now(h: BotHarness, message: dict) -> dict:
    history = await h.client.history(message["chat"]["id"])
    return next(m for m in history if m["message_id"] == message["message_id"])


async def _no_buttons(h: BotHarness, message: dict) -> bool:
    """The buttons are taken off just after the next step's message is sent."""

    async def gone() -> bool:
        return buttons(await _now(h, message)) == []

    await wait_until(gone, within=10)
    return True


async def _to_options(h: BotHarness, groups: int) -> tuple[Profile, int, dict, dict]:
    """An officer of ND-W1 (``groups`` groups) composes up to the options step, every step's
    message losing its buttons to the next: (officer, ward id, target step, options step)."""
    await seed_tree(h, wards=1, groups_per_ward=groups)
    profile = await officer(h, "ND-W1")
    await seed_groups(h, [f"ND-W1-{g:02d}" for g in range(1, groups + 1)])
    [ask] = await h.say(OFFICER, "/phatcanhbao")
    assert buttons(ask) == [(t("adv-cancel", "vi"), "adv:cancel")]
    [media_q] = await h.say(OFFICER, TEXT)
    assert await _no_buttons(h, ask)  # the typed step's "cancel" went with its step
    _, [target] = await h.press(OFFICER, media_q, "adv:skipmedia", expect=1)
    assert await _no_buttons(h, media_q)
    ward = await h.services.areas.get("ND-W1")
    _, [options] = await h.press(OFFICER, target, f"advt:pick:{ward.id}", expect=1)
    assert await _no_buttons(h, target)
    return profile, ward.id, target, options


async def test_only_the_current_steps_message_keeps_live_buttons(harness: BotHarness) -> None:
    h = harness
    profile, ward_id, target, options = await _to_options(h, groups=2)
    await h.press(OFFICER, options, "adv:opt:next")
    await h.press(OFFICER, options, "adv:when:daily")
    [until_q] = await h.say(OFFICER, "07:30")
    assert await _no_buttons(h, options)
    assert ("adv:nountil" in [data for _, data in buttons(until_q)]), buttons(until_q)

    # A press on an old step's message: a toast, and the draft stays where it is.
    answer, _ = await h.press(OFFICER, target, f"advt:pick:{ward_id}", forged=True)
    assert answer is not None and answer["text"] == t("error-button-expired", "vi")
    answer, _ = await h.press(OFFICER, options, "adv:cancel", forged=True)
    assert answer is not None and answer["text"] == t("error-button-expired", "vi")
    turn = await h.services.composer.current(profile)
    assert turn is not None and turn.draft.step is ComposeStep.UNTIL

    _, [_preview, note] = await h.press(OFFICER, until_q, "adv:nountil", expect=2)
    assert await _no_buttons(h, until_q)
    assert "adv:confirm" in [data for _, data in buttons(note)]

    # Two presses of "send" at once: one advisory, the other press is told it is stale.
    answers = await asyncio.gather(
        h.press(OFFICER, note, "adv:confirm"), h.press(OFFICER, note, "adv:confirm")
    )
    toasts = [a["text"] for a, _ in answers if a is not None and a.get("text")]
    assert toasts == [t("error-button-expired", "vi")], toasts

    async def created() -> int:
        async with transaction(h.services.sessions) as session:
            return int(await session.scalar(select(func.count()).select_from(Advisory)) or 0)

    assert await created() == 1
    assert await h.services.composer.current(profile) is None


async def test_a_second_flow_takes_the_buttons_off_the_first(harness: BotHarness) -> None:
    """/phatcanhbao again mid-flow starts afresh; the abandoned step's buttons go."""
    h = harness
    await seed_tree(h, wards=1, groups_per_ward=1)
    await officer(h, "ND-W1")
    await h.say(OFFICER, "/phatcanhbao")
    [media_q] = await h.say(OFFICER, TEXT)
    [ask] = await h.say(OFFICER, "/phatcanhbao")
    assert await _no_buttons(h, media_q)
    answer, _ = await h.press(OFFICER, media_q, "adv:skipmedia", forged=True)
    assert answer is not None and answer["text"] == t("error-button-expired", "vi")
    assert buttons(ask) == [(t("adv-cancel", "vi"), "adv:cancel")]


async def test_a_typed_answer_the_step_cannot_take_is_refused_with_the_reason(
    harness: BotHarness,
) -> None:
    """The step stays where it was and the officer is told why (an hour of 25, day 32)."""
    h = harness
    profile, _, _, options = await _to_options(h, groups=1)
    await h.press(OFFICER, options, "adv:opt:next")
    await h.press(OFFICER, options, "adv:when:monthly")
    [refused] = await h.say(OFFICER, "32")
    assert refused["text"] == t("sched-month-day-invalid", "vi"), refused["text"]
    [time_q] = await h.say(OFFICER, "15")
    assert time_q["text"].startswith(t("adv-ask-time", "vi").split("<")[0])
    [refused] = await h.say(OFFICER, "25:99")
    assert refused["text"].startswith(t("sched-time-invalid", "vi", text="25:99")[:20])
    turn = await h.services.composer.current(profile)
    assert turn is not None and turn.draft.step is ComposeStep.TIME
    assert turn.draft.month_day == 15
