"""The bot as a real process (``python -m bot.cli run``) against an in-test sandbox, for
kill -9 tests and log scans. Tests seed and inspect through their own Services built on the
same database (its sender talks to the same sandbox as the bot, with the same token)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from telegram import Bot

from bot.sender import TelegramSender
from bot.settings import load_settings
from bot.wiring import Services, build_services
from sandbox.client import SandboxClient
from sandbox.server import SandboxServer
from storage import migrate
from tests.e2e.harness import TEST_TOKEN, BotHarness

ROOT = Path(__file__).resolve().parents[2]


class ProcessHarness(BotHarness):
    """BotHarness whose bot is a child process; ``kill()`` is SIGKILL."""

    def __init__(
        self,
        server: SandboxServer,
        client: SandboxClient,
        database_url: str,
        log_dir: Path,
        env: dict[str, str] | None = None,
        token: str = TEST_TOKEN,
        dotenv: dict[str, str] | None = None,
    ) -> None:
        super().__init__(server, client, database_url)
        self.extra_env = env or {}
        self.dotenv = dotenv
        """Settings written to a ``.env`` in the bot's working directory instead of its
        environment (how operators configure it)."""
        self.token = token
        self.log_dir = log_dir
        self.proc: asyncio.subprocess.Process | None = None
        self.starts = 0
        self._services: Services | None = None
        self._bot: Bot | None = None

    @property
    def services(self) -> Services:
        assert self._services is not None
        return self._services

    @property
    def log_path(self) -> Path:
        return self.log_dir / f"bot-{self.starts}.log"

    def logs(self) -> str:
        return "\n".join(
            p.read_text(errors="replace") for p in sorted(self.log_dir.glob("bot-*.log"))
        )

    async def open_services(self) -> Services:
        """Our own view of the database (migrated), for seeding and checks."""
        if self._services is None:
            settings = load_settings(
                bot_token=self.token,
                bot_api_base_url=self.server.bot_api_url,
                database_url=self.database_url,
                webhook_url=None,
            )
            self._bot = Bot(self.token, base_url=settings.bot_api_base_url)
            await self._bot.initialize()
            self._services = build_services(settings, TelegramSender(self._bot))
            await migrate.upgrade(self._services.engine)
        return self._services

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANNINH_", "PYTEST"))}
        env.update(
            BOT_TOKEN=self.token,
            BOT_API_BASE_URL=self.server.bot_api_url,
            DATABASE_URL=self.database_url,
            WEBHOOK_URL="",
            LOG_LEVEL="INFO",
            ADVISORY_LEASE_SECONDS="3",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        for key in self.dotenv or {}:
            env.pop(key, None)
        return env

    async def start(self, **overrides: Any) -> Any:
        await self.open_services()
        self.starts += 1
        log = self.log_path.open("wb")
        cwd = ROOT
        if self.dotenv is not None:
            cwd = self.log_dir
            lines = [f"{k}={v}" for k, v in self.dotenv.items()]
            (cwd / ".env").write_text("\n".join(lines) + "\n")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            cwd=str(cwd),
            env=self.env(),
            stdout=log,
            stderr=log,
            stdin=asyncio.subprocess.DEVNULL,
        )
        log.close()
        await self.wait_log("anninh ready", timeout=60)
        return None

    async def wait_log(self, needle: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.log_path.read_text(errors="replace"):
            if self.proc is not None and self.proc.returncode is not None:
                raise RuntimeError(f"bot exited ({self.proc.returncode}):\n{self.logs()[-3000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{needle!r} not logged:\n{self.logs()[-3000:]}")
            await asyncio.sleep(0.05)

    async def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no lease release, connections cut mid-flight."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()
        self.proc = None

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                await self.kill()
        self.proc = None

    async def close(self) -> None:
        await self.stop()
        if self._services is not None:
            await self._services.close()
            self._services = None
        if self._bot is not None:
            await self._bot.shutdown()
            self._bot = None
