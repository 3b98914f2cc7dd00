"""Start-up failures of the real `anninh` process: an unreachable database, an unreachable Bot
API, a wrong token or a webhook without a proper secret each end the process with one line
that says what is wrong and which setting to change, a non-zero status and no traceback; the
same for `anninh db upgrade` and the admin commands."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import pytest

from sandbox.server import SandboxServer
from tests.e2e.harness import TEST_TOKEN

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
NO_POSTGRES = "postgresql+asyncpg://anninh:s3cret-pw@127.0.0.1:1/anninh"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def anninh(tmp_path: Path, *args: str, **env: str) -> tuple[int, list[str]]:
    """Run ``anninh ARGS`` in an empty directory (no .env); its exit status and the
    non-empty lines it printed (stdout and stderr)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ANNINH_", "PYTEST"))}
    base.update(
        BOT_TOKEN=TEST_TOKEN,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'anninh.db'}",
        BOT_API_BASE_URL=f"http://127.0.0.1:{closed_port()}/bot",
        WEBHOOK_URL="",
        ZALO_BOT_TOKEN="",
        PYTHONUNBUFFERED="1",
    )
    base.update(env)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *args,
        cwd=str(tmp_path),
        env=base,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), 30)
    except TimeoutError:
        proc.kill()
        out, _ = await proc.communicate()
        pytest.fail("still running after 30 s:\n" + out.decode(errors="replace")[-2000:])
    lines = [line for line in out.decode(errors="replace").splitlines() if line.strip()]
    return proc.returncode or 0, lines


def one_line_naming(status: int, lines: list[str], setting: str) -> str:
    assert status != 0, lines
    assert len(lines) == 1, "\n".join(lines[-12:])
    assert setting in lines[0], lines[0]
    return lines[0]


async def test_run_with_an_unreachable_database_says_set_database_url(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    status, lines = await anninh(
        tmp_path, "run", DATABASE_URL=NO_POSTGRES, BOT_API_BASE_URL=sandbox.bot_api_url
    )
    line = one_line_naming(status, lines, "DATABASE_URL")
    assert "s3cret-pw" not in line  # the password in the URL is not printed


async def test_run_with_an_sqlite_file_that_cannot_be_opened_says_set_database_url(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    status, lines = await anninh(
        tmp_path,
        "run",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'anninh.db'}",
        BOT_API_BASE_URL=sandbox.bot_api_url,
    )
    one_line_naming(status, lines, "DATABASE_URL")


async def test_run_with_an_unreachable_bot_api_says_set_bot_api_base_url(tmp_path: Path) -> None:
    status, lines = await anninh(tmp_path, "run")
    one_line_naming(status, lines, "BOT_API_BASE_URL")


async def test_run_with_a_token_the_bot_api_refuses_says_set_bot_token(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    # The local Bot API server answers 401 Unauthorized to a malformed token, as Telegram
    # does to a revoked or mistyped one.
    status, lines = await anninh(
        tmp_path, "run", BOT_TOKEN="not-a-token", BOT_API_BASE_URL=sandbox.bot_api_url
    )
    line = one_line_naming(status, lines, "BOT_TOKEN")
    assert "not-a-token" not in line


@pytest.mark.parametrize(
    "args",
    [
        ("db", "upgrade"),
        ("db", "downgrade", "base"),
        ("admin", "area", "list"),
        ("admin", "grants"),
    ],
)
async def test_database_commands_with_an_unreachable_database_say_set_database_url(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    status, lines = await anninh(tmp_path, *args, DATABASE_URL=NO_POSTGRES)
    one_line_naming(status, lines, "DATABASE_URL")


@pytest.mark.parametrize(
    "secret",
    [None, "", "   ", "short77", "with spaces in it", "ümlaut-secret", "x" * 257],
    ids=["missing", "empty", "blank", "7 characters", "spaces", "non-ascii", "257 characters"],
)
async def test_webhook_mode_refuses_to_start_without_a_proper_secret(
    sandbox: SandboxServer, tmp_path: Path, secret: str | None
) -> None:
    env = {
        "WEBHOOK_URL": f"http://127.0.0.1:{closed_port()}/hook",
        "WEBHOOK_LISTEN": "127.0.0.1",
        "BOT_API_BASE_URL": sandbox.bot_api_url,
    }
    if secret is not None:
        env["WEBHOOK_SECRET"] = secret
    status, lines = await anninh(tmp_path, "run", **env)
    one_line_naming(status, lines, "WEBHOOK_SECRET")
