"""Local stand-in for the Telegram Bot API, plus a control API for tests.

Self-contained on purpose: it must never import the bot's own packages, so
that it behaves like the real, independent Telegram server.
"""

from sandbox.server import SandboxServer, create_app, main
from sandbox.state import SandboxState

__all__ = ["SandboxServer", "SandboxState", "create_app", "main"]
