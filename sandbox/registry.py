"""Registry of Bot API method implementations, keyed case-insensitively."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sandbox.models import BotRecord
from sandbox.params import Params
from sandbox.state import SandboxState


@dataclass
class Ctx:
    """Everything a method implementation needs about the current call."""

    state: SandboxState
    bot: BotRecord
    params: Params
    request: web.Request


Method = Callable[[Ctx], Awaitable[Any]]


@dataclass(frozen=True)
class Entry:
    name: str
    func: Method


METHODS: dict[str, Entry] = {}


def api_method(*names: str) -> Callable[[Method], Method]:
    """Register ``func`` under one or more Bot API method names."""

    def decorate(func: Method) -> Method:
        for name in names:
            METHODS[name.lower()] = Entry(name, func)
        return func

    return decorate
