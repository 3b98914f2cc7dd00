"""The tip conversation's choices, the same on every surface: ``tipf:<action>[:<arg>]`` is an
inline button on Telegram and a numbered choice on Zalo, and each one that answers a step is
carried out here, so a step's answers are read in one place (:class:`services.tip_steps.
TipSteps`) and the surfaces only render the next question. What is a surface's own (the area
picker's levels and what it says on the way, the edit menu, sending, starting) stays with the
surface."""

from __future__ import annotations

from services.errors import InvalidInput
from services.text_input import whole_number
from services.tip_drafts import Draft
from services.tip_steps import TipSteps


async def answer_press(steps: TipSteps, user_id: int, action: str, arg: str) -> Draft | None:
    """Carry out the step a choice answers; the draft whose question comes next, or None when
    ``action`` answers no step (the surface handles it)."""
    if action == "cat":
        return await steps.choose_category(user_id, arg)
    if action == "done":
        return await steps.finish_description(user_id)
    if action == "skipfraud":
        return (await steps.set_fraud_details(user_id, None)).draft
    if action == "whose":
        index = whole_number(arg)
        return await steps.toggle_pick(user_id, -1 if index is None else index)
    if action == "whoseok":
        return await steps.finish_picks(user_id)
    if action == "home":
        area_id = whole_number(arg)
        if area_id is None:
            raise InvalidInput("tip-area-invalid")
        return await steps.choose_area(user_id, area_id)
    if action == "anon":
        return await steps.set_anonymous(user_id, arg == "1")
    if action == "edit" and arg:
        return await steps.edit(user_id, arg)
    return None
