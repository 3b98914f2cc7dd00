"""The tip flow's buttons: every ``tipf:`` press (one step of the draft each) and the area
picker's ``tipa:`` presses. Registered by :mod:`handlers.tips`."""

from __future__ import annotations

import contextlib

from telegram import CallbackQuery, Update
from telegram.error import BadRequest

from bot.context import AnninhContext
from handlers import area_picker, tips_render
from handlers.common import edit_in_place, profile_of, valid_press
from handlers.menu import keyboard_for
from handlers.tips_render import AREA_PREFIX, LIVE, ask, chat_id_of, send, user_id_of
from services.ports import L10n
from services.text_input import whole_number
from services.tip_drafts import Draft, Step, WrongStep
from services.tip_presses import answer_press


# -- buttons ---------------------------------------------------------------------------------
async def _clear_buttons(update: Update) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    with contextlib.suppress(BadRequest):  # already without buttons, or too old to edit
        await query.edit_message_reply_markup(None)


ENTRIES = frozenset({"offer", "resume", "new"})
"""Presses that start or resume a tip rather than answer a step (the offer under a free
message or an FAQ answer, "continue or drop?"): they act from any message."""


async def on_flow_button(update: Update, context: AnninhContext) -> None:
    """Every ``tipf:`` press; a step's button acts only on the message asking the current
    step (an older one is refused: the button expired)."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    parts = query.data.split(":")
    action, arg = parts[1], (parts[2] if len(parts) > 2 else "")
    uid, chat_id = user_id_of(context), chat_id_of(update)
    if action not in ENTRIES:
        await context.services.tip_steps.pressed(uid, chat_id, query.message.message_id)
    context.user_data[LIVE] = True  # type: ignore[index]
    try:
        if action == "whose":  # a toggle: the same list, redrawn in place
            index = whole_number(arg)
            draft = await context.services.tip_steps.toggle_pick(
                uid, -1 if index is None else index
            )
            await query.answer()
            markup = tips_render.pick_keyboard(context, draft)
            await edit_in_place(query, context.text("tip-ask-fraud-pick"), markup)
            return
        draft = await _press(context, action, arg, uid, chat_id)
    except WrongStep as wrong:
        await _old_button(query, context, chat_id, wrong.draft)
        return
    await query.answer()
    await _clear_buttons(update)
    if draft is not None:
        await ask(context, chat_id, draft, closed=query.message)  # type: ignore[arg-type]


async def _old_button(
    query: CallbackQuery, context: AnninhContext, chat_id: int, draft: Draft
) -> None:
    """A press from a step the draft has left: say so, and ask its current step again."""
    await query.answer()
    await send(context, chat_id, "tip-old-button")
    await ask(context, chat_id, draft)


async def _press(
    context: AnninhContext, action: str, arg: str, uid: int, chat_id: int
) -> Draft | None:
    """Carry out one press; returns the draft whose next question must be asked (or None
    when the answer was already sent)."""
    intake = context.services.tip_intake
    steps = context.services.tip_steps
    if action == "offer":
        if arg == "yes":
            return await intake.begin(uid)
        await steps.cancel(uid)
        await send(context, chat_id, "tip-offer-declined")
        return None
    if (draft := await answer_press(steps, uid, action, arg)) is not None:
        return draft
    if action == "otherarea":
        draft = await steps.current(uid)
        if draft is None or draft.step is not Step.AREA:
            raise WrongStep(draft or Draft(step=Step.CATEGORY))
        text, markup = await tips_render.area_level(context, None, draft)
        sent = await context.bot.send_message(
            chat_id, text, parse_mode="HTML", reply_markup=markup
        )
        await tips_render.shown(context, draft, sent)
        return None
    if action == "send":
        await _submit(context, uid, chat_id)
        return None
    if action == "edit":
        draft = await steps.current(uid)
        if draft is None or draft.step is not Step.CONFIRM:
            raise WrongStep(draft or Draft(step=Step.CATEGORY))
        markup = tips_render.edit_keyboard(context, draft)
        await tips_render.shown(
            context, draft, await send(context, chat_id, "tip-ask-edit", markup)
        )
        return None
    if action == "summary":
        return await steps.current(uid)
    if action == "cancel":
        dropped = await steps.cancel(uid, started=arg or None)
        markup = keyboard_for(profile_of(context))
        await send(
            context, chat_id, "tip-cancelled" if dropped else "tip-nothing-to-cancel", markup
        )
        return None
    if action == "resume":
        draft = await steps.current(uid)
        if draft is None or draft.step is Step.OFFER:
            await send(context, chat_id, "tip-nothing-to-resume")
            return None
        return draft
    if action == "new":  # replaces the draft; its last step's message loses its buttons
        draft = await intake.begin(uid, category=arg or None)
        if arg:
            await send(context, chat_id, "tip-fraud-intro")
        return draft
    await send(context, chat_id, "tip-old-button")
    return await steps.current(uid)


async def _submit(context: AnninhContext, uid: int, chat_id: int) -> None:
    intake = context.services.tip_intake
    router = context.services.tip_router
    submitted = await intake.submit(uid, route=False)
    report = submitted.report
    # Stored. The police are told in the background: their group takes 20 messages a minute,
    # and under a burst of tips the resident's answer (and every other update, handled in
    # order) must not queue behind that. Started before answering, so a failed answer never
    # costs the police their message; Application.stop() waits for it, and if the process
    # dies first the report is still due and the routing sweep (scheduler/tips.py) sends it.
    context.application.create_task(router.route(report), name=f"route-report-{report.id}")
    await send(
        context,
        chat_id,
        "tip-submitted",
        keyboard_for(profile_of(context)),
        code=report.code,
        category=L10n(f"category-{report.category}"),
    )


async def on_area_button(update: Update, context: AnninhContext) -> None:
    """The area picker of the flow (``tipa:open|up|pick:<id>``)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    press = valid_press(area_picker.parse(query.data, AREA_PREFIX))
    chat_id = chat_id_of(update)
    assert query.message is not None
    await context.services.tip_steps.pressed(
        user_id_of(context), chat_id, query.message.message_id
    )
    context.user_data[LIVE] = True  # type: ignore[index]
    if press.action == "pick" and press.area_id is not None:
        try:
            draft = await context.services.tip_steps.choose_area(
                user_id_of(context), press.area_id
            )
        except WrongStep as wrong:
            await _old_button(query, context, chat_id, wrong.draft)
            return
        await query.answer()
        name = await context.services.areas.area_name(press.area_id)
        await query.edit_message_text(
            context.text("tip-area-chosen", name=name or "?"), parse_mode="HTML"
        )
        await ask(context, chat_id, draft, closed=query.message)  # type: ignore[arg-type]
        return
    await query.answer()
    draft = await context.services.tip_steps.current(user_id_of(context)) or Draft(step=Step.AREA)
    text, markup = await tips_render.area_level(context, press.area_id, draft)
    await edit_in_place(query, text, markup)
