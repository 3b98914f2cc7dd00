"""The tip conversation's step table: each answer the resident gives is one change to their
draft, a conversation of the engine (:mod:`services.conversation`, flow ``TIP``) stored after
every step, so a half-written tip survives a restart and only the current step's message acts.
The model and its pure rules are in :mod:`services.tip_drafts`; starting and submitting a tip
are :class:`services.tips.TipIntake`'s."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from services.categories import parse_category
from services.conversation import (
    Conversations,
    Prompt,
    StaleStep,
    check_press,
    drop_in,
    read_in,
    store_in,
)
from services.errors import InvalidInput, NotFound
from services.indicators import extract_indicators
from services.text_input import clip, has_visible
from services.tip_drafts import (
    EDITABLE,
    MAX_ADDRESS,
    MAX_ATTACHMENTS,
    MAX_FRAUD_DETAILS,
    MAX_PICKS,
    MAX_TEXT,
    STEP_ATTEMPTS,
    TIP,
    AttachmentAccepted,
    Draft,
    DraftAttachment,
    FraudPick,
    Step,
    TextAccepted,
    WrongStep,
    expect,
    step_after,
    taken_with,
)
from storage.models import AreaKind
from storage.repositories.areas import AreaRepository
from storage.repositories.compose import ConversationRow
from storage.repositories.users import UserRepository
from storage.uow import Session, Sessions, StorageUnavailable, transaction

R = TypeVar("R")


async def load_draft(session: Session, user_id: int) -> Draft:
    """The user's tip draft being written (an offer is not one yet), in a transaction."""
    turn = await read_in(session, TIP, user_id)
    if turn is None or turn.draft.step is Step.OFFER:
        raise NotFound("tip-no-draft")
    return Draft.of(turn)


async def save_draft(
    session: Session, user_id: int, draft: Draft, *, over: Draft | None = None
) -> Draft:
    """Write ``draft`` in a transaction: a new one, or with ``over`` only if the stored one
    is still that (StaleStep otherwise)."""
    turn = await store_in(session, TIP, user_id, draft, over=over.turn() if over else None)
    return Draft.of(turn)


class TipSteps:
    """The tip conversation's steps on the stored draft, one method per answer."""

    # A step is one read and one conditional write, each one statement on the hot path: the
    # draft is written only over the version that was read, so two steps racing on one draft
    # (a double-tapped button, two bot instances) never silently drop one of the answers.
    def __init__(self, sessions: Sessions, conversations: Conversations) -> None:
        self._sessions = sessions
        self._conversations = conversations

    async def current(self, user_id: int) -> Draft | None:
        turn = await self._conversations.current(TIP, user_id)
        return Draft.of(turn) if turn else None

    async def arrived(self, row: ConversationRow | None) -> Draft | None:
        """The draft read with the sender at the start of an update (services.users)."""
        turn = await self._conversations.arrived(TIP, row)
        return Draft.of(turn) if turn else None

    async def shown(
        self, user_id: int, draft: Draft, chat_id: int, message_id: int
    ) -> Prompt | None:
        """Record the message asking ``draft``'s step; returns the previous step's message,
        whose buttons the surface takes off (None: none, or the same message)."""
        return await self._conversations.shown(TIP, user_id, draft.turn(), chat_id, message_id)

    async def pressed(self, user_id: int, chat_id: int, message_id: int) -> Draft:
        """The draft a press on that message acts on: StaleStep (the button expired) when the
        message is not the one asking the current step, or there is no tip."""
        turn = await self._conversations.current(TIP, user_id)
        if turn is not None and turn.draft.step is Step.OFFER:
            turn = None
        return Draft.of(check_press(turn, chat_id, message_id))

    async def _change(
        self,
        user_id: int,
        change: Callable[[Draft], tuple[Draft, R]],
        seen: Draft | None = None,
    ) -> tuple[Draft, R]:
        """Apply one step to the draft: ``change`` gets the draft as stored and returns the
        new draft and whatever the caller reports back (it raises WrongStep or InvalidInput
        to refuse). When another step wrote in between, it is applied again to the fresh
        draft, so both answers are kept or the second one is refused for the new step.
        ``seen``: the draft the caller has just read (saves reading it again; if it is no
        longer current, the write misses and the step is redone on the fresh one)."""
        for _ in range(STEP_ATTEMPTS):
            draft, seen = seen or await self.current(user_id), None
            if draft is None or draft.step is Step.OFFER:
                raise NotFound("tip-no-draft")
            new, outcome = change(draft)
            try:
                turn = await self._conversations.advance(TIP, user_id, draft.turn(), new)
            except StaleStep:
                continue
            return Draft.of(turn), outcome
        raise StorageUnavailable("tip draft kept changing")

    async def _step(self, user_id: int, change: Callable[[Draft], Draft]) -> Draft:
        draft, _ = await self._change(user_id, lambda d: (change(d), None))
        return draft

    async def _save_over(self, session: Session, user_id: int, new: Draft, read: Draft) -> Draft:
        """Inside a transaction that read ``read``: a concurrent step makes this one stale,
        and the surface re-asks the step the draft is now at."""
        try:
            return await save_draft(session, user_id, new, over=read)
        except StaleStep:
            raise WrongStep(await load_draft(session, user_id)) from None

    async def offer(self, user_id: int, text: str) -> tuple[Draft, bool]:
        """Keep a free message while the user decides whether it is a tip.
        Returns the offer and whether the text had to be shortened."""
        clipped = clip(text, MAX_TEXT)
        if not has_visible(clipped.text):
            raise InvalidInput("tip-empty-text")
        async with transaction(self._sessions) as session:
            draft = Draft(step=Step.OFFER, text=clipped.text)
            return await save_draft(session, user_id, draft), clipped.truncated

    async def offer_attachment(
        self, user_id: int, item: DraftAttachment, caption: str | None
    ) -> bool:
        """Keep a photo (video, file...) sent with no tip open while the user decides whether
        it starts one; accepted, the tip begins with it attached. True when this is a new
        offer, False for another item of the album already offered (one question per album)."""
        async with transaction(self._sessions) as session:
            turn = await read_in(session, TIP, user_id)
            held = turn.draft if turn is not None and turn.draft.step is Step.OFFER else None
            same_album = (
                held is not None
                and item.media_group_id is not None
                and any(a.media_group_id == item.media_group_id for a in held.attachments)
            )
            if held is not None and same_album:
                if len(held.attachments) < MAX_ATTACHMENTS:
                    text = clip(f"{held.text}\n{caption}" if caption else held.text, MAX_TEXT)
                    more = replace(held, text=text.text, attachments=(*held.attachments, item))
                    await save_draft(session, user_id, more)
                return False
            body = clip(caption or "", MAX_TEXT).text
            await save_draft(session, user_id, Draft(Step.OFFER, text=body, attachments=(item,)))
            return True

    async def cancel(self, user_id: int, *, started: str | None = None) -> bool:
        """Drop the draft (or a pending offer). False when there was nothing to drop.
        ``started``: the token of the tip a cancel button belongs to; the draft is only dropped
        when it is that tip (an old button of a tip already sent finds nothing to cancel)."""
        async with transaction(self._sessions) as session:
            if started:
                turn = await read_in(session, TIP, user_id)
                if turn is None or turn.draft.started != started:
                    return False
            return await drop_in(session, TIP, user_id)

    async def choose_category(self, user_id: int, code: str) -> Draft:
        category = parse_category(code)
        if category is None:
            raise InvalidInput("tip-category-unknown")

        def change(draft: Draft) -> Draft:
            expect(draft, Step.CATEGORY)
            fraud = draft.fraud_details if category.is_fraud else None
            picks = draft.picks if category.is_fraud else ()
            draft = replace(draft, category=category, fraud_details=fraud, picks=picks)
            draft = replace(draft, step=Step.DESCRIPTION if not draft.editing else Step.CONFIRM)
            if draft.editing and category.is_fraud and fraud is None:
                draft = replace(draft, step=Step.FRAUD)
            return draft

        return await self._step(user_id, change)

    async def add_text(
        self,
        user_id: int,
        text: str,
        *,
        seen: Draft | None = None,
        message_key: str | None = None,
    ) -> TextAccepted:
        """Append a message to the description (several messages make one description).
        ``seen``: the draft the surface just read to route the message here.
        ``message_key``: the channel's id of the message; one already taken is not added again."""
        added = clip(text, MAX_TEXT)

        def change(draft: Draft) -> tuple[Draft, bool]:
            expect(draft, Step.DESCRIPTION)
            if not has_visible(added.text):
                raise InvalidInput("tip-empty-text")
            if message_key is not None and message_key in draft.taken:
                return draft, False
            combined = f"{draft.text}\n{added.text}" if draft.text else added.text
            clipped = clip(combined, MAX_TEXT)
            new = replace(draft, text=clipped.text, taken=taken_with(draft, message_key))
            return new, clipped.truncated or added.truncated

        draft, truncated = await self._change(user_id, change, seen)
        return TextAccepted(draft, truncated, MAX_TEXT)

    async def add_attachment(
        self,
        user_id: int,
        item: DraftAttachment,
        caption: str | None = None,
        *,
        seen: Draft | None = None,
        message_key: str | None = None,
    ) -> AttachmentAccepted:
        """Add a photo, video, voice… (with its caption) to the description; the same file
        sent again, or the same message handled again, is not added twice."""

        def change(draft: Draft) -> tuple[Draft, bool]:
            expect(draft, Step.DESCRIPTION)
            if (message_key is not None and message_key in draft.taken) or (
                item.file_unique_id is not None
                and any(a.file_unique_id == item.file_unique_id for a in draft.attachments)
            ):
                return draft, True  # acknowledged when it was taken
            if len(draft.attachments) >= MAX_ATTACHMENTS:
                raise InvalidInput("tip-too-many-attachments", limit=MAX_ATTACHMENTS)
            in_album = item.media_group_id is not None and any(
                a.media_group_id == item.media_group_id for a in draft.attachments
            )
            text = draft.text
            if caption and has_visible(caption):
                text = clip(f"{text}\n{caption}" if text else caption, MAX_TEXT).text
            new = replace(
                draft,
                attachments=(*draft.attachments, item),
                text=text,
                taken=taken_with(draft, message_key),
            )
            return new, in_album

        draft, in_album = await self._change(user_id, change, seen)
        album = item.media_group_id is not None
        return AttachmentAccepted(draft, acknowledge=not in_album, album=album)

    async def finish_description(self, user_id: int) -> Draft:
        def change(draft: Draft) -> Draft:
            expect(draft, Step.DESCRIPTION)
            if not draft.has_content:
                raise InvalidInput("tip-empty")
            draft = replace(draft, step=step_after(draft, Step.DESCRIPTION))
            if draft.editing and draft.is_fraud and draft.fraud_details is None:
                draft = replace(draft, step=Step.CONFIRM)
            return draft

        return await self._step(user_id, change)

    async def set_fraud_details(self, user_id: int, text: str | None) -> TextAccepted:
        """The scammer's phones, accounts, links (free text), or None to skip. What is found
        in it is shown back to the resident, each ticked as the scammer's (step FRAUD_PICK),
        so they can untick their own before anything becomes public."""
        clipped = clip(text or "", MAX_FRAUD_DETAILS)
        details = clipped.text if has_visible(clipped.text) else None
        found = extract_indicators(details)[:MAX_PICKS] if details else []

        def change(draft: Draft) -> Draft:
            expect(draft, Step.FRAUD)
            if text is not None and details is None:
                raise InvalidInput("tip-empty-text")
            picks = tuple(FraudPick(indicator) for indicator in found)
            draft = replace(draft, fraud_details=details, picks=picks)
            if picks:
                return replace(draft, step=Step.FRAUD_PICK)
            return replace(draft, step=step_after(draft, Step.FRAUD))

        draft = await self._step(user_id, change)
        return TextAccepted(draft, clipped.truncated, MAX_FRAUD_DETAILS)

    async def toggle_pick(self, user_id: int, index: int) -> Draft:
        """The resident says the ``index``-th indicator is theirs, or the scammer's after all."""

        def change(draft: Draft) -> Draft:
            expect(draft, Step.FRAUD_PICK)
            if not 0 <= index < len(draft.picks):
                raise WrongStep(draft)
            picks = list(draft.picks)
            picks[index] = replace(picks[index], scammer=not picks[index].scammer)
            return replace(draft, picks=tuple(picks))

        return await self._step(user_id, change)

    async def finish_picks(self, user_id: int) -> Draft:
        def change(draft: Draft) -> Draft:
            expect(draft, Step.FRAUD_PICK)
            return replace(draft, step=step_after(draft, Step.FRAUD))

        return await self._step(user_id, change)

    async def set_location(self, user_id: int, latitude: float, longitude: float) -> Draft:
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise InvalidInput("tip-location-invalid")

        def change(draft: Draft) -> Draft:
            expect(draft, Step.LOCATION)
            draft = replace(draft, latitude=latitude, longitude=longitude)
            return replace(draft, step=step_after(draft, Step.LOCATION))

        return await self._step(user_id, change)

    async def set_address(self, user_id: int, text: str) -> TextAccepted:
        clipped = clip(text, MAX_ADDRESS)

        def change(draft: Draft) -> Draft:
            expect(draft, Step.LOCATION)
            if not has_visible(clipped.text):
                raise InvalidInput("tip-empty-text")
            draft = replace(draft, address=clipped.text)
            return replace(draft, step=step_after(draft, Step.LOCATION))

        draft = await self._step(user_id, change)
        return TextAccepted(draft, clipped.truncated, MAX_ADDRESS)

    async def skip_location(self, user_id: int) -> Draft:
        def change(draft: Draft) -> Draft:
            expect(draft, Step.LOCATION)
            draft = replace(draft, latitude=None, longitude=None, address=None)
            return replace(draft, step=step_after(draft, Step.LOCATION))

        return await self._step(user_id, change)

    async def choose_area(self, user_id: int, area_id: int) -> Draft:
        """Choose the tổ dân phố (remembered as the user's home area for next time)."""
        async with transaction(self._sessions) as session:
            draft = await load_draft(session, user_id)
            expect(draft, Step.AREA)
            area = await AreaRepository(session).get(area_id)
            if area is None or area.kind is not AreaKind.RESIDENTIAL_GROUP:
                raise InvalidInput("tip-area-invalid")
            await UserRepository(session).set_home_area(user_id, area.id)
            new = replace(draft, area_id=area.id)
            new = replace(new, step=step_after(new, Step.AREA))
            return await self._save_over(session, user_id, new, draft)

    async def skip_area(self, user_id: int) -> Draft:
        """Only when no area exists at all (a fresh install): the tip goes to the admins."""
        async with transaction(self._sessions) as session:
            draft = await load_draft(session, user_id)
            expect(draft, Step.AREA)
            if await AreaRepository(session).count() > 0:
                raise WrongStep(draft)
            new = replace(draft, area_id=None, step=step_after(draft, Step.AREA))
            return await self._save_over(session, user_id, new, draft)

    async def set_anonymous(self, user_id: int, anonymous: bool) -> Draft:
        def change(draft: Draft) -> Draft:
            expect(draft, Step.ANONYMITY)
            return replace(draft, anonymous=anonymous, step=Step.CONFIRM)

        return await self._step(user_id, change)

    async def edit(self, user_id: int, step: str) -> Draft:
        """From the summary, go back to one answer; after it the summary is shown again."""
        try:
            target = Step(step)
        except ValueError:
            raise InvalidInput("tip-category-unknown") from None

        def change(draft: Draft) -> Draft:
            expect(draft, Step.CONFIRM)
            if target not in EDITABLE or (target is Step.FRAUD and not draft.is_fraud):
                raise WrongStep(draft)
            if target is Step.DESCRIPTION:
                draft = replace(draft, text="")
            return replace(draft, step=target, editing=True)

        return await self._step(user_id, change)
