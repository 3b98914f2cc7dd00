"""How a person's name is shown, everywhere (cards, audit, statistics, console, Zalo)."""

from __future__ import annotations


def person_name(first_name: str | None, last_name: str | None) -> str:
    """Family name first, as Vietnamese names are said: Telegram's first "Hùng" and last
    "Trần" are "Trần Hùng". A full name typed into the first-name field alone ("Trần Văn
    Hùng", or a Zalo display name) is shown as typed. Empty when there is no name at all."""
    first = (first_name or "").strip()
    last = (last_name or "").strip()
    return " ".join(p for p in (last, first) if p)
