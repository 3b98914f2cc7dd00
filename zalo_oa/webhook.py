"""The OA webhook receiver: check the signature, store the raw event, answer 200.

Zalo counts an answer later than 2 seconds as a failure and sends the event again, so the
receiver does nothing but store; the worker processes it after (``zalo_oa.runtime``). A body
that could not be stored gets an error answer: Zalo retries, nothing is lost. A stored event
that comes again (a retry after a lost answer) gets 200 and is not stored twice.

* no ``X-ZEvent-Signature`` header: 401; a wrong one (forged, or the other signature
  reading): 403. No check of the event's age: retries are hours late by design.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable

from aiohttp import web

from services.errors import StorageUnavailable
from services.zalo_oa_inbox import OaInbox
from zalo_oa import signature
from zalo_oa.events import event_key
from zalo_oa.signature import Scheme

logger = logging.getLogger(__name__)

PATH = "/zalo-oa/webhook"
MAX_BODY = 1024 * 1024
STORE_TIMEOUT = 1.5
"""Seconds the store may take before Zalo is answered 503 (it then retries): the answer must
leave within 2 s."""


class WebhookReceiver:
    def __init__(
        self,
        inbox: OaInbox,
        *,
        app_id: str,
        secret_key: str,
        scheme: Scheme,
        on_stored: Callable[[int], None],
        store_timeout: float = STORE_TIMEOUT,
    ) -> None:
        self._inbox = inbox
        self._app_id = app_id
        self._secret_key = secret_key
        self._scheme = scheme
        self._on_stored = on_stored
        self._store_timeout = store_timeout

    def application(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(PATH, self.receive)
        return app

    async def receive(self, request: web.Request) -> web.StreamResponse:
        header = request.headers.get(signature.HEADER, "")
        if not header.strip():
            return web.json_response({"error": "signature missing"}, status=401)
        body = await request.read()
        if not signature.verify(self._scheme, header, body, self._app_id, self._secret_key):
            logger.warning("Zalo OA webhook: wrong signature, event refused")
            return web.json_response({"error": "signature invalid"}, status=403)
        try:
            data = json.loads(body)
            text = body.decode("utf-8")
        except ValueError:  # UnicodeDecodeError is one too
            return web.json_response({"error": "not JSON"}, status=400)
        if not isinstance(data, dict):
            return web.json_response({"error": "not an event"}, status=400)
        name = str(data.get("event_name") or "")
        try:
            stored = await asyncio.wait_for(
                self._inbox.store(event_key(data), name, text), self._store_timeout
            )
        except (StorageUnavailable, TimeoutError):
            logger.warning("Zalo OA event %s not stored in time; Zalo will send it again", name)
            return web.json_response({"error": "try again"}, status=503)
        if stored.event_id is not None:
            self._on_stored(stored.event_id)
        return web.json_response({"error": 0})
