"""What a scam look-up answers, worded once for every surface (`/kiemtra` on Telegram in a
private chat or a group, ``kiemtra`` on Zalo):

* nobody gave it as the scammer's and no officer confirmed it → "chưa có ai báo" (never "safe");
* one person's report → "1 báo cáo chưa xác minh", with no ward and no date;
* two or more different people → "đã bị N người báo", with their wards;
* confirmed by the police → "Công an đã xác nhận" (with the people and wards from two on).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from services.ports import L10n, OutgoingMessage
from services.scams import WARDS_FROM, ScamLookup

MAX_WARDS_SHOWN = 5


def _wards(result: ScamLookup) -> dict[str, object]:
    """The named wards (reports without an area still count as people, but name no place)."""
    named = [name for name in result.wards if name is not None]
    shown = named[:MAX_WARDS_SHOWN]
    return {
        "wards": "; ".join(shown) if shown else L10n("scam-area-unknown"),
        "more": len(named) - len(shown),
    }


def lookup_answer(result: ScamLookup, tz: ZoneInfo) -> OutgoingMessage:
    """The answer to a look-up, in the asker's language when the surface renders it."""
    common = {
        "kind": L10n(f"scam-kind-{result.indicator.kind.value}"),
        "display": result.indicator.display,
    }
    if result.confirmed_at is not None:
        people = result.people if result.people >= WARDS_FROM else 0
        return OutgoingMessage(
            "scam-check-confirmed",
            {
                **common,
                "date": result.confirmed_at.astimezone(tz).strftime("%d/%m/%Y"),
                "people": people,
                **_wards(result),
            },
        )
    if result.people >= WARDS_FROM:
        return OutgoingMessage(
            "scam-check-reported", {**common, "people": result.people, **_wards(result)}
        )
    if result.people == 1:
        return OutgoingMessage("scam-check-unverified", common)
    return OutgoingMessage("scam-check-none", common)
