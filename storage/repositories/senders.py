"""Who sent an update and what they are in the middle of, in one read.

Every update needs the sender's user row and grants (rights), whether the bot waits for their
next message in that chat (a police question, a note), their tip draft (the engine's busiest
conversation, services/conversation.py), and whether any other conversation of theirs is
under way. One statement on
the hot path answers all of it; each feature still owns its table and its writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.dto import AreaDTO, GrantDTO, UserDTO
from storage.hotpath import HotPath, Statement, utc
from storage.models import AreaKind, Role
from storage.repositories.compose import ConversationRow, conversation_row
from storage.repositories.relay import WAITING

_SENDER = Statement.of(
    "SELECT u.id, u.telegram_id, u.first_name, u.last_name, u.username, u.language,"
    " u.home_area_id, u.blocked_bot, g.id, g.role, g.created_at,"
    " a.id, a.code, a.name, a.kind, a.parent_id, a.path,"
    f" ({WAITING.format(user='u.id')}),"
    " d.step, d.data, d.version, d.prompt_chat_id, d.prompt_message_id, d.updated_at,"
    " (SELECT count(*) FROM compose_drafts c WHERE c.user_id = u.id AND c.flow <> :draft_flow)"
    " FROM users u"
    " LEFT JOIN compose_drafts d ON d.user_id = u.id AND d.flow = :draft_flow"
    " LEFT JOIN role_grants g ON g.user_id = u.id"
    " LEFT JOIN areas a ON a.id = g.area_id"
    " WHERE u.telegram_id = :telegram_id"
    " ORDER BY a.path, g.id"
)


@dataclass(frozen=True, slots=True)
class SenderRow:
    user: UserDTO
    grants: list[GrantDTO]
    """In area-tree order."""
    waiting: bool
    """The bot waits for this person's next message in this chat (storage.repositories.relay)."""
    draft: ConversationRow | None
    """Their draft of ``draft_flow`` (the tip), as last committed."""
    conversing: bool = False
    """They are in another conversation of the engine (services/conversation.py)."""


async def read_sender(
    hot: HotPath, telegram_id: int, chat_id: int | None, draft_flow: str
) -> SenderRow | None:
    rows = await hot.fetch(
        _SENDER, telegram_id=telegram_id, chat_id=chat_id, draft_flow=draft_flow
    )
    if not rows:
        return None
    first = rows[0]
    user = UserDTO(
        id=first[0],
        telegram_id=first[1],
        first_name=first[2],
        last_name=first[3],
        username=first[4],
        language=first[5],
        home_area_id=first[6],
        blocked_bot=bool(first[7]),
    )
    grants = [
        GrantDTO(
            id=r[8],
            user_id=user.id,
            role=Role(r[9]),
            area=AreaDTO(r[11], r[12], r[13], AreaKind(r[14]), r[15], r[16]),
            created_at=utc(r[10]),  # type: ignore[arg-type]
        )
        for r in rows
        if r[8] is not None
    ]
    step = first[18]
    draft = conversation_row(user.id, draft_flow, *first[18:24]) if step is not None else None
    return SenderRow(user, grants, bool(first[17]), draft, bool(first[24]))
