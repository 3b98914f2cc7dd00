"""Thanking residents: ``/camon <mã tin>`` marks a tip as valuable and thanks its sender
privately; ``/loicamon [mã khu vực]`` posts the month's anonymous thank-you to the area's
residents' groups. Police only; the officer never learns who sent the tip from these."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import AnninhContext
from handlers.common import area_code_arg, profile_of, reply
from services.recognition import HelpfulOutcome


async def thank_reporter(update: Update, context: AnninhContext) -> None:
    """/camon <mã tin>: mark the tip valuable, thank its sender privately."""
    profile = profile_of(context)
    if not context.args:
        context.services.recognition.thanking_areas(profile)  # police only, usage included
        await reply(update, context, "thanks-usage")
        return
    outcome = await context.services.recognition.mark_helpful(context.args[0], profile)
    await reply(update, context, thanks_reply_key(outcome), code=outcome.report_code)


def thanks_reply_key(outcome: HelpfulOutcome) -> str:
    if outcome.already:
        return "thanks-already"
    return "thanks-done" if outcome.thanked else "thanks-done-unreachable"


async def publish_thanks(update: Update, context: AnninhContext) -> None:
    """/loicamon [mã khu vực]: the month's anonymous thank-you to the residents' groups."""
    profile = profile_of(context)
    recognition = context.services.recognition
    code = area_code_arg(
        context, lambda: recognition.thanking_areas(profile), "thanks-publish-usage"
    )
    outcome = await recognition.publish_thanks(code, profile)
    if outcome.groups_reached:
        key = "thanks-published"
    elif outcome.groups_later:
        key = "thanks-published-later"
    else:
        key = "thanks-published-nowhere"
    await reply(
        update,
        context,
        key,
        count=outcome.count,
        area=outcome.area.name,
        groups=outcome.groups_reached,
        failed=outcome.groups_failed,
        later=outcome.groups_later,
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["camon", "thanks"], thank_reporter))
    app.add_handler(CommandHandler(["loicamon", "publishthanks"], publish_thanks))
