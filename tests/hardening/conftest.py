"""Hardening tests: the e2e fixtures plus a guard that fails any test in which the error
handler's "unhandled error" path (or any ERROR from our own code) was hit."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import client, harness, sandbox  # noqa: F401 - fixtures
from tests.hardening.support import LogWatch


@pytest.fixture(autouse=True)
def logwatch(request: pytest.FixtureRequest) -> Iterator[LogWatch]:
    watch = LogWatch(logging.INFO)
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.INFO)
    root.addHandler(watch)
    for noisy in ("httpx", "httpcore", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        yield watch
    finally:
        root.removeHandler(watch)
        root.setLevel(old_level)
    if request.node.get_closest_marker("allow_errors") is None:
        problems = watch.unhandled()
        assert not problems, "unhandled errors were logged:\n" + "\n".join(problems[:5])
