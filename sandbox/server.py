"""App factory, embeddable server and the ``python -m sandbox`` CLI."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import logging
from types import TracebackType

from aiohttp import web

from sandbox import control, inspect_api, zalo_api, zalo_control, zalo_oa_control
from sandbox import web as web_page
from sandbox.botapi import STATE_KEY, handle_file, handle_method
from sandbox.state import SandboxState

MAX_UPLOAD_BYTES = 60 * 1024 * 1024  # Telegram accepts 50 MB uploads from bots


async def _on_shutdown(app: web.Application) -> None:
    await app[STATE_KEY].close()


def create_app(state: SandboxState | None = None) -> web.Application:
    app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
    app[STATE_KEY] = state if state is not None else SandboxState()
    app.on_shutdown.append(_on_shutdown)
    r = app.router
    r.add_route("*", "/bot{token}/{method}", handle_method)
    r.add_get("/file/bot{token}/{path:.+}", handle_file)
    base = "/sandbox/chats/{chat_id}"
    r.add_get("/sandbox/chats", inspect_api.list_chats)
    r.add_get(base, inspect_api.get_chat)
    r.add_post(f"{base}/messages", control.post_message)
    r.add_get(f"{base}/messages", inspect_api.history)
    r.add_post(f"{base}/messages/{{message_id}}/edit", control.edit_message)
    r.add_post(f"{base}/callback", control.press_button)
    r.add_post(f"{base}/members", control.post_members)
    r.add_post(f"{base}/members/{{user_id}}", control.post_member_status)
    r.add_post(f"{base}/admins", control.post_admins)
    r.add_get("/sandbox/callbacks/{callback_id}", control.callback_answer)
    r.add_post("/sandbox/users/{user_id}/block", control.block_handler(True))
    r.add_post("/sandbox/users/{user_id}/unblock", control.block_handler(False))
    r.add_get("/sandbox/events", inspect_api.events)
    r.add_post("/sandbox/faults", inspect_api.post_fault)
    r.add_delete("/sandbox/faults", inspect_api.delete_faults)
    r.add_post("/sandbox/limits", inspect_api.post_limits)
    r.add_get("/sandbox/stats", inspect_api.stats)
    r.add_post("/sandbox/reset", inspect_api.reset)
    r.add_get("/sandbox/files/{file_id}", inspect_api.download)
    r.add_get("/sandbox/personas", web_page.get_personas)
    r.add_put("/sandbox/personas", web_page.put_personas)
    r.add_route("*", "/zalo/bot{token}/{method}", zalo_api.handler(STATE_KEY))
    r.add_get("/zalo/files/{name}", functools.partial(zalo_api.serve_photo, state_key=STATE_KEY))
    zalo_users = "/sandbox/zalo/users/{user_id}"
    r.add_post(f"{zalo_users}/block", zalo_control.block_handler(STATE_KEY, True))
    r.add_post(f"{zalo_users}/unblock", zalo_control.block_handler(STATE_KEY, False))
    r.add_post(
        "/sandbox/zalo/faults", functools.partial(zalo_control.post_fault, state_key=STATE_KEY)
    )
    r.add_post(
        "/sandbox/zalo/redeliver",
        functools.partial(zalo_control.post_redeliver, state_key=STATE_KEY),
    )
    zalo_oa_control.install(app, app[STATE_KEY])
    r.add_get("/", web_page.index)
    r.add_get("/static/{name}", web_page.static_file)
    return app


class SandboxServer:
    """The sandbox on a real socket; ``port=0`` picks a free port."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, state: SandboxState | None = None
    ) -> None:
        self.host = host
        self.port = port
        self.state = state if state is not None else SandboxState()
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        if self._runner is None:
            raise RuntimeError("SandboxServer is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def bot_api_url(self) -> str:
        return f"{self.base_url}/bot"

    @property
    def file_url(self) -> str:
        return f"{self.base_url}/file/bot"

    async def start(self) -> SandboxServer:
        self.state.closing = False
        runner = web.AppRunner(create_app(self.state), access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        # With port 0 the OS chose the port; read it back from the listening socket.
        self.port = int(runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self.state.close()
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SandboxServer:
        return await self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


async def _serve(host: str, port: int) -> None:
    server = await SandboxServer(host, port).start()
    print(
        f"Sandbox Telegram Bot API on {server.base_url} — bot API {server.bot_api_url} "
        f"files {server.file_url} control {server.base_url}/sandbox",
        flush=True,
    )
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper())
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.host, args.port))
