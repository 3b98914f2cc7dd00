"""The `anninh` command line, run as a real process."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sandbox.client import SandboxClient
from tests.e2e.harness import user

ROOT = Path(__file__).resolve().parents[2]


def _anninh(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):  # type: ignore[no-untyped-def]
    full_env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=60,
    )


def test_help_lists_every_command() -> None:
    result = _anninh("--help")
    assert result.returncode == 0
    for command in ("run", "db", "sandbox", "demo", "admin"):
        assert command in result.stdout


def test_run_without_a_token_fails_with_one_line(tmp_path: Path) -> None:
    result = _anninh("run", cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode != 0
    assert "BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_admin_commands_bootstrap_areas_and_grants(tmp_path: Path, database_url: str) -> None:
    env = {"DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    csv = tmp_path / "areas.csv"
    csv.write_text(
        "code,name,kind,parent_code\nND,Tỉnh Nam Định,province,\n"
        "ND-TP,Thành phố Nam Định,district,ND\nND-TN,Phường Thống Nhất,ward,ND-TP\n",
        encoding="utf-8",
    )
    assert _anninh("admin", "area", "import", str(csv), env=env).stdout.startswith("created 3")
    added = _anninh(
        "admin", "area", "add", "--code", "nd-tn-01", "--name", "Tổ dân phố 1",
        "--kind", "residential_group", "--parent", "ND-TN", env=env,
    )
    assert added.returncode == 0, added.stderr
    listing = _anninh("admin", "area", "list", env=env).stdout
    assert "      ND-TN-01  Tổ dân phố 1" in listing
    assert _anninh(
        "admin", "grant", "--user", "555", "--role", "police", "--area", "ND-TN", env=env
    ).stdout.strip() == "granted"
    assert "ND-TN" in _anninh("admin", "grants", env=env).stdout
    bad = _anninh("admin", "grant", "--user", "555", "--role", "boss", "--area", "ND", env=env)
    assert bad.returncode != 0 and "boss" in bad.stderr and "Traceback" not in bad.stderr
    missing = _anninh("admin", "area", "add", "--code", "X1", "--name", "X", "--kind", "ward",
                      env=env)
    assert missing.returncode != 0 and "--parent" in missing.stderr
    assert _anninh("admin", "revoke", "--user", "555", "--role", "police", "--area", "ND-TN",
                   env=env).stdout.strip() == "revoked"


def test_an_oa_group_is_linked_to_an_area_from_the_command_line(
    tmp_path: Path, database_url: str
) -> None:
    env = {"DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    csv = tmp_path / "areas.csv"
    csv.write_text("code,name,kind,parent_code\nND,Nam Định,province,\n"
                   "ND-TN,Phường Thống Nhất,ward,ND\n", encoding="utf-8")
    assert _anninh("admin", "area", "import", str(csv), env=env).returncode == 0
    args = ("admin", "oa-group", "--group", "8800000000000000001", "--area", "nd-tn",
            "--title", "An ninh P. Thống Nhất")
    without = _anninh(*args, env=env)
    assert without.returncode != 0 and "ZALO_OA_APP_ID" in without.stderr
    oa_env = {**env, "ZALO_OA_APP_ID": "316", "ZALO_OA_APP_SECRET": "s",
              "ZALO_OA_SECRET_KEY": "k"}
    linked = _anninh(*args, env=oa_env)
    assert linked.stdout.strip() == "linked OA group 8800000000000000001 to ND-TN", linked.stderr
    chats = _anninh("admin", "chats", env=env).stdout
    assert "zalo_oa_group" in chats and "ND-TN" in chats and "An ninh P. Thống Nhất" in chats


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
async def test_run_against_the_sandbox_process_answers_start(tmp_path: Path) -> None:
    """`anninh sandbox` and `anninh run` as two processes, as in the README."""
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": "123:abc",
        "BOT_API_BASE_URL": f"http://127.0.0.1:{port}/bot",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
    }
    sandbox = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "sandbox", "--port", str(port)], env=env, cwd=tmp_path,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    bot = None
    try:
        async with SandboxClient(f"http://127.0.0.1:{port}") as client:
            deadline = time.monotonic() + 20
            while True:
                try:
                    await client.stats()
                    break
                except Exception:
                    if time.monotonic() > deadline:
                        raise
                    await asyncio.sleep(0.1)
            started = time.monotonic()
            bot = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run"], env=env, cwd=tmp_path,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            )
            while (await client.stats())["calls"].get("getUpdates", 0) == 0:
                assert bot.poll() is None, bot.stderr.read() if bot.stderr else ""
                await asyncio.sleep(0.05)
            print(f"cold start to polling: {time.monotonic() - started:.2f}s")
            lan = user(1001, "Lan")
            sent = await client.send_message(1001, lan, "/start")
            [reply] = await client.wait_for_bot_messages(
                1001, after_message_id=sent["message_id"], timeout=30
            )
            print(f"cold start to first reply: {time.monotonic() - started:.2f}s")
            assert reply["text"].startswith("Xin chào Lan!")
    finally:
        for proc in (bot, sandbox):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=20)
