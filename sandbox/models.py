"""Plain data records of the simulated Telegram world."""

from __future__ import annotations

import asyncio
import collections
import time
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

# Every ChatPermissions flag PTB 22.x requires on ChatMemberRestricted.
PERMISSION_FLAGS = (
    "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
    "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
    "can_send_other_messages", "can_add_web_page_previews", "can_change_info",
    "can_invite_users", "can_pin_messages", "can_manage_topics", "can_edit_tag",
    "can_react_to_messages",
)
ADMIN_FLAGS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats",
    "can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users",
    "can_post_stories", "can_edit_stories", "can_delete_stories", "can_pin_messages",
    "can_manage_topics",
)
PRESENT_STATUSES = ("creator", "administrator", "member", "restricted")


def first_update_id() -> int:
    """Where a bot's update ids start in this server. Telegram never reuses an id soon, and
    a bot may keep recording the ones it handled (anninh does) while this server restarts
    from nothing; so ids start from the clock (100 a second, below 2^31 like Telegram's)
    rather than from 1 each time."""
    return int(time.time() * 100) % 2**31


@dataclass
class BotRecord:
    id: int
    token: str
    user: JSON
    updates: collections.deque[JSON] = field(default_factory=collections.deque)
    next_update_id: int = 1
    max_handed_out: int = 0
    allowed_updates: list[str] | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_task: asyncio.Task[None] | None = None
    webhook_error: tuple[int, str] | None = None
    commands: dict[str, list[JSON]] = field(default_factory=dict)


@dataclass
class Member:
    user: JSON
    status: str
    until_date: int = 0
    permissions: dict[str, bool] | None = None
    admin_rights: dict[str, bool] | None = None

    def to_json(self) -> JSON:
        """The ChatMember object exactly as PTB expects per status."""
        out: JSON = {"status": self.status, "user": self.user}
        if self.status == "creator":
            out["is_anonymous"] = False
        elif self.status == "administrator":
            rights = {flag: flag != "can_promote_members" for flag in ADMIN_FLAGS}
            rights.update(self.admin_rights or {})
            out.update(rights, can_be_edited=False, is_anonymous=False)
        elif self.status == "restricted":
            perms = {flag: False for flag in PERMISSION_FLAGS}
            perms.update(self.permissions or {})
            out.update(perms, is_member=True, until_date=self.until_date)
        elif self.status == "kicked":
            out["until_date"] = self.until_date
        return out


@dataclass
class StoredMessage:
    data: JSON
    sender_bot: int | None = None
    deleted: bool = False
    pinned: bool = False
    # Any kind of reply_markup (reply keyboards too); Telegram only echoes
    # inline keyboards inside Message objects, so the rest lives here.
    markup: JSON | None = None

    def history_view(self) -> JSON:
        out = dict(self.data)
        if self.markup is not None:
            out["reply_markup"] = self.markup
        if self.deleted:
            out["deleted"] = True
        if self.pinned:
            out["pinned"] = True
        return out


@dataclass
class Chat:
    id: int
    type: str
    title: str | None = None
    private_user: JSON | None = None
    members: dict[int, Member] = field(default_factory=dict)
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1
    bot_admin: bool = False
    pinned_id: int | None = None

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    def to_json(self) -> JSON:
        out: JSON = {"id": self.id, "type": self.type}
        if self.is_group or self.type == "channel":
            out["title"] = self.title or f"Chat {self.id}"
        elif self.private_user is not None:
            out["first_name"] = self.private_user.get("first_name", "")
            for key in ("last_name", "username"):
                if self.private_user.get(key):
                    out[key] = self.private_user[key]
        return out

    def member_status(self, user_id: int) -> str:
        member = self.members.get(user_id)
        if member is not None:
            return member.status
        return "left" if self.is_group else "member"


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    kind: str
    mime_type: str | None = None
    file_name: str | None = None
    width: int = 0
    height: int = 0
    # For photos: the file_ids of every PhotoSize of the same upload.
    siblings: list[str] = field(default_factory=list)


@dataclass
class CallbackRecord:
    id: str
    bot_id: int
    chat_id: int
    message_id: int
    data: str
    user: JSON
    answer: JSON | None = None
