"""The service container: built once per process in ``post_init`` and shared by handlers and
jobs through :class:`~bot.context.AnninhContext`. Feature work adds its service here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from services.areas import AreaService
from services.grants import GrantService
from services.ports import Sender
from services.users import UserService
from storage.db import create_engine, create_sessionmaker
from storage.uow import Sessions


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: Sessions
    sender: Sender
    users: UserService
    areas: AreaService
    grants: GrantService


def build_services(
    settings: Settings, sender: Sender, engine: AsyncEngine | None = None
) -> Services:
    engine = engine or create_engine(settings.database_url)
    sessions = create_sessionmaker(engine)
    return Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        sender=sender,
        users=UserService(
            sessions,
            default_language=settings.default_language,
            superadmin_ids=settings.admin_ids,
        ),
        areas=AreaService(sessions),
        grants=GrantService(sessions),
    )


class OfflineSender:
    """For CLI commands that run without a bot: reaching people is not possible there, and
    any attempt is a programming error worth a loud failure."""

    async def send(self, to: object, message: object) -> object:
        raise RuntimeError("this command runs offline and cannot send messages")

    async def delete(self, chat_id: int, message_id: int, channel: str = "telegram") -> bool:
        raise RuntimeError("this command runs offline and cannot delete messages")
