"""The review queue's ``group_message`` kind: what a moderator may do with a flagged or
flooding member's message (the review service is built with :meth:`GroupMessageReview.spec`).
"""

from __future__ import annotations

from services.access import Profile
from services.errors import InvalidInput
from services.groups import GroupContext, GroupService
from services.moderation_model import GroupActions, Member, describe_group_item
from services.moderation_sanctions import Sanctions
from services.moderation_targets import GroupAudit, Targets, acted
from services.moderation_warnings import Warnings
from services.review import ReviewAction, ReviewKindSpec
from storage.models import ReviewKind, ReviewStatus, Role
from storage.repositories.moderation import ReviewItemDTO


class GroupMessageReview:
    def __init__(
        self,
        groups: GroupService,
        actions: GroupActions,
        targets: Targets,
        warnings: Warnings,
        sanctions: Sanctions,
        audit: GroupAudit,
    ) -> None:
        self._groups = groups
        self._actions = actions
        self._targets = targets
        self._warnings = warnings
        self._sanctions = sanctions
        self._audit = audit

    def spec(self) -> ReviewKindSpec:
        checked = self._target_allowed
        return ReviewKindSpec(
            kind=ReviewKind.GROUP_MESSAGE,
            role=Role.MODERATOR,
            describe=describe_group_item,
            actions=(
                ReviewAction(
                    "dismiss", "review-button-dismiss", self._dismiss, ReviewStatus.DISMISSED
                ),
                ReviewAction("delete", "review-button-delete", self._delete, check=checked),
                ReviewAction("warn", "review-button-warn", self._warn, check=checked),
                ReviewAction("mute", "review-button-mute", self._mute, check=checked),
                ReviewAction("ban", "review-button-ban", self._ban, check=checked),
            ),
        )

    async def _item_ctx(self, item: ReviewItemDTO) -> tuple[GroupContext, Member]:
        if item.chat_id is None:
            raise InvalidInput("review-item-no-chat")
        ctx = await self._groups.context(item.chat_id)
        if ctx is None:
            raise InvalidInput("review-item-no-chat")
        subject = item.subject_telegram_id
        if subject is None:
            raise InvalidInput("review-item-no-chat")
        return ctx, Member(subject, item.subject_name or "?")

    async def _target_allowed(self, actor: Profile, item: ReviewItemDTO) -> None:
        """Checked before a queue button acts: the member may have been protected all along
        (an item queued before the rule) or have become so since it was queued."""
        ctx, member = await self._item_ctx(item)
        await self._targets.ensure(actor, ctx, member)

    async def _dismiss(self, actor: Profile, item: ReviewItemDTO) -> None:
        # Telegram cannot restore a deleted message; dismissing keeps the copy and ends it.
        return None

    async def _delete(self, actor: Profile, item: ReviewItemDTO) -> None:
        ctx, member = await self._item_ctx(item)
        if not item.hidden and item.message_id is not None:
            acted(await self._actions.delete_message(ctx.chat.telegram_chat_id, item.message_id))
        await self._audit.record(
            "mod.delete",
            actor,
            ctx,
            member,
            after={"message_id": item.message_id, "review_item": item.id},
        )

    async def _warn(self, actor: Profile, item: ReviewItemDTO) -> None:
        ctx, member = await self._item_ctx(item)
        await self._warnings.warn(actor, ctx.chat.telegram_chat_id, member, f"#{item.id}", ctx=ctx)

    async def _mute(self, actor: Profile, item: ReviewItemDTO) -> None:
        ctx, member = await self._item_ctx(item)
        chat_id = ctx.chat.telegram_chat_id
        await self._sanctions.mute(actor, chat_id, member, ctx=ctx, review_item=item.id)

    async def _ban(self, actor: Profile, item: ReviewItemDTO) -> None:
        ctx, member = await self._item_ctx(item)
        chat_id = ctx.chat.telegram_chat_id
        await self._sanctions.ban(actor, chat_id, member, ctx=ctx, review_item=item.id)
