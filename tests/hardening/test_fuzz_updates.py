"""Property-based fuzzing of the whole Telegram surface, in-process: raw updates built as
Telegram would send them (``Update.de_json`` → ``Application.process_update``) for every
registered command with random arguments, random conversation sequences of the tip flow,
random and forged callback payloads from every role, updates missing optional fields, huge
and malformed texts in every Unicode normalisation form. The bot's replies go over HTTP to
the sandbox, which rejects what Telegram would (bad HTML, too long, unknown chat).

Expected: an answer or a silent drop, never the error handler's "unhandled error" path, never
a failed API call (a bad HTML reply would show up there), never an ERROR from our code.
Short in CI (50 examples per property); ``--hypothesis-profile=long`` for 1000.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from sandbox.client import SandboxError
from tests.e2e.harness import BotHarness, user
from tests.e2e.test_tips import AREAS, HUNG, POLICE_CHAT
from tests.hardening.support import LogWatch, callback_update, message_update

EXAMPLES = settings.default.max_examples if settings.default.max_examples > 100 else 50
pytestmark = pytest.mark.timeout(7200 if EXAMPLES > 100 else 300)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

RESIDENT = user(1801, "Lan", "lan_fuzz")
STRANGER = user(1802, "Tuấn")  # no username, no last name
MODERATOR = user(1803, "Thu", "thu_mod")
ADMIN = user(1804, "Quản trị", "qt")
PEOPLE = [RESIDENT, STRANGER, MODERATOR, HUNG, ADMIN]
GROUP = -100991
GROUPS = [GROUP, POLICE_CHAT]

NASTY = [
    "",
    " ",
    "\u200b\u200c\u200d\ufeff",
    "\u202e‮gnp.exe",
    "<b>&amp;</b><script>alert(1)</script>&",
    "a" * 5000,
    "🇻🇳" * 1200 + "👨‍👩‍👧‍👦" * 300,
    "Tiếng Việt có dấu: Đường Trần Hưng Đạo, phường Thống Nhất",
    "e\u0301" * 500,
    "\x00\x01\x07\x1b[31m",
    "0912 345 678 / +84912345678 / https://vietcombank-xacminh.top/login",
    "9999999999999999999999999",
    "-1",
    "ND-TN-01 canhsat",
    "%s %d {0} {$name} ${x}",
    "\ud7ff\ue000\U0010ffff",
]
# Numbers as people and forgers write them: "¹" and "٣" pass str.isdigit(), only the second
# is accepted by int().
number_like_st = st.text(st.characters(whitelist_categories=("Nd", "No")), min_size=1, max_size=6)
text_st = st.one_of(
    st.sampled_from(NASTY),
    number_like_st,
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=4000, max_size=5000),
)
form_st = st.sampled_from(["NFC", "NFD", "NFKC", "NFKD", None])


def normalised(text: str, form: str | None) -> str:
    return unicodedata.normalize(form, text) if form else text  # type: ignore[arg-type]


WATCHED = {"handlers.errors", "bot.sender", "bot.i18n"}


def strict_problems(watch: LogWatch) -> list[str]:
    """Unhandled errors, and any failed Bot API call of a reply (e.g. HTML Telegram would
    refuse), which the error handler only logs as a warning."""
    found = watch.unhandled()
    for r in watch.records:
        msg = r.getMessage()
        if r.name in WATCHED and r.levelno >= logging.WARNING:
            found.append(f"{r.name}: {msg}")
    return found


@pytest.fixture
async def fuzz_bot(harness: BotHarness, logwatch: LogWatch) -> BotHarness:
    """The bot with an area tree, an officer, a moderator, an admin, a linked residents'
    group and police chat; every fuzzed person has a private chat with it."""
    h = harness
    await h.stop()
    await h.start(admin_ids=frozenset({ADMIN["id"]}))
    await h.services.areas.import_csv(AREAS)
    await h.services.grants.grant(target_telegram_id=HUNG["id"], role="police", area_code="ND-TN")
    await h.services.grants.grant(
        target_telegram_id=MODERATOR["id"], role="moderator", area_code="ND-TN-01"
    )
    await h.client.members(GROUP, joined=PEOPLE, title="An ninh TDP 1")
    await h.client.members(POLICE_CHAT, joined=PEOPLE, title="CA P. Thống Nhất")
    await h.client.set_admins(GROUP, [MODERATOR["id"]], bot_is_admin=True)
    await h.services.groups.link(None, GROUP, "ND-TN-01", "residents")
    await h.services.groups.link(None, POLICE_CHAT, "ND-TN", "police")
    for who in PEOPLE:
        [hello] = await h.say(who, "/start")
        BOT_MESSAGES[who["id"]] = hello["message_id"]
    for chat_id in GROUPS:
        [hint] = await h.say(HUNG, "/start", chat_id=chat_id)
        BOT_MESSAGES[chat_id] = hint["message_id"]
    # A photo the server holds, for the officer's attachment step: the preview sends it back,
    # and a made-up file id would be refused there, as Telegram would refuse it.
    sent = await h.client.send_message(HUNG["id"], HUNG, photo=b"\x89PNG fuzz")
    await h.client.wait_for_bot_messages(HUNG["id"], after_message_id=sent["message_id"], count=1)
    OFFICER_PHOTO.update(sent["photo"][-1])
    # From here on updates are fed by the test (process_update), not by polling, and without
    # PTB's flood limiter: thousands of answers in one group would otherwise wait 3 s each.
    assert h.app is not None and h.app.updater is not None
    await h.app.updater.stop()
    h.app.bot._rate_limiter = None
    logwatch.records.clear()
    return h


BOT_MESSAGES: dict[int, int] = {}
OFFICER_PHOTO: dict[str, Any] = {}
"""A bot message per chat: callback queries are made on it in the sandbox (forged data), so
the bot's answerCallbackQuery/edit calls meet a real query and message, as on Telegram."""


async def feed(h: BotHarness, raw: dict[str, Any], watch: LogWatch) -> None:
    assert h.app is not None
    query = raw.get("callback_query")
    if query is not None and query.get("message") is not None:
        chat_id = query["message"]["chat"]["id"]
        message_id = BOT_MESSAGES[chat_id]
        if (query.get("data") or "").startswith("adv"):
            # The composer's buttons act on the message asking the current step only: press
            # the newest one with buttons (an older step's is refused, as tested elsewhere).
            shown = await h.client.history(chat_id, from_bot=True)
            with_buttons = [m for m in shown if m.get("reply_markup")]
            if with_buttons:
                message_id = with_buttons[-1]["message_id"]
        pressed = await h.client.press_button(
            chat_id, query["from"], message_id, query.get("data") or "x", forged=True
        )
        query["id"] = pressed["callback_query_id"]
        query["message"]["message_id"] = message_id
    for kind in ("message", "edited_message"):
        message = raw.get(kind)
        if message is not None and "from" in message and message["chat"]["id"] in BOT_MESSAGES:
            # The message exists in the chat (bots reply to it), as it would on Telegram.
            chat = message["chat"]
            try:
                real = await h.client.send_message(
                    chat["id"], message["from"], "…", chat_type=chat["type"]
                )
            except SandboxError:  # muted or banned by an earlier example: Telegram would
                return  # not let this person write here, so there is no such update
            message["message_id"] = real["message_id"]
    watch.records.clear()
    update = Update.de_json(raw, h.app.bot)
    await h.app.process_update(update)
    problems = strict_problems(watch)
    assert not problems, f"update {raw!r:.600}\n" + "\n".join(problems[:3])


def commands_of(h: BotHarness) -> list[str]:
    assert h.app is not None
    names: set[str] = set()
    for handlers in h.app.handlers.values():
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                names |= set(handler.commands)
    return sorted(names)


def group_chat(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "type": "supergroup", "title": "An ninh"}


@FUZZ
@given(data=st.data())
async def test_every_command_with_any_arguments(
    fuzz_bot: BotHarness, logwatch: LogWatch, data: st.DataObject
) -> None:
    h = fuzz_bot
    command = data.draw(st.sampled_from(commands_of(h)), label="command")
    args = normalised(data.draw(text_st, label="args"), data.draw(form_st, label="form"))
    who = data.draw(st.sampled_from(PEOPLE), label="who")
    suffix = data.draw(st.sampled_from(["", f"@{h.app.bot.username}", "@other_bot"]))  # type: ignore[union-attr]
    chat_id = data.draw(st.sampled_from([None, *GROUPS]), label="chat")
    chat = None if chat_id is None else group_chat(chat_id)
    text = f"/{command}{suffix} {args}".rstrip() if args.strip() else f"/{command}{suffix}"
    raw = message_update(who, text[:4096], chat=chat)
    if chat_id is not None and data.draw(st.booleans(), label="as reply"):
        raw["message"]["reply_to_message"] = message_update(RESIDENT, "tin rác", chat=chat)[
            "message"
        ]
    await feed(h, raw, logwatch)


TIP_PRESSES = [
    "tipf:offer:yes",
    "tipf:offer:no",
    "tipf:cat:crime",
    "tipf:cat:online_fraud",
    "tipf:cat:nope",
    "tipf:done",
    "tipf:skipfraud",
    "tipf:whose:0",
    "tipf:whose:1",
    "tipf:whose:99",
    "tipf:whose:x",
    "tipf:whoseok",
    "tipf:home:1",
    "tipf:home:99999",
    "tipf:otherarea",
    "tipf:anon:1",
    "tipf:anon:0",
    "tipf:send",
    "tipf:edit",
    "tipf:edit:description",
    "tipf:edit:area",
    "tipf:edit:bogus",
    "tipf:summary",
    "tipf:cancel",
    "tipf:resume",
    "tipf:new",
    "tipf:new:online_fraud",
    "tipf:zzz",
    "tipa:open",
    "tipa:up:1",
    "tipa:pick:3",
    "tipa:pick:999999",
    "tipa:",
    "tipa:pick:x",
]


def step_st(who: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """One thing a resident can do in their private chat during the tip flow."""
    text = st.builds(lambda t, f: message_update(who, normalised(t, f)[:4096]), text_st, form_st)
    command = st.sampled_from(["/baotin", "/canhbaolua", "/huy", "/tincuatoi", "/start"]).map(
        lambda c: message_update(who, c)
    )
    press = st.one_of(st.sampled_from(TIP_PRESSES), st.text(max_size=64)).map(
        lambda d: callback_update(who, d)
    )
    location = st.builds(
        lambda lat, lon: message_update(who, None, location={"latitude": lat, "longitude": lon}),
        st.floats(-90, 90, allow_nan=False),
        st.floats(-180, 180, allow_nan=False),
    )
    photo = st.builds(
        lambda cap, group: message_update(
            who,
            None,
            caption=cap,
            photo=[{"file_id": "AgAD-fuzz", "file_unique_id": "u1", "width": 90, "height": 90}],
            **({"media_group_id": group} if group else {}),
        ),
        st.one_of(st.none(), text_st.map(lambda s: s[:1024])),
        st.sampled_from([None, "album-1"]),
    )
    sticker = st.just(
        message_update(
            who,
            None,
            sticker={
                "file_id": "CAAD",
                "file_unique_id": "s1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            },
        )
    )
    contact = st.just(
        message_update(who, None, contact={"phone_number": "+84912345678", "first_name": "A"})
    )
    skip = st.just(message_update(who, "📍 Bỏ qua vị trí"))
    return st.one_of(text, command, press, location, photo, sticker, contact, skip)


@FUZZ
@given(data=st.data())
async def test_random_walks_through_the_tip_conversation(
    fuzz_bot: BotHarness, logwatch: LogWatch, data: st.DataObject
) -> None:
    h = fuzz_bot
    who = data.draw(st.sampled_from([RESIDENT, STRANGER]), label="who")
    steps = data.draw(st.lists(step_st(who), min_size=1, max_size=8), label="steps")
    for raw in steps:
        await feed(h, raw, logwatch)


ADVISORY_PRESSES = [
    "adv:cancel",
    "adv:skipmedia",
    "adv:nountil",
    "adv:groups:0",
    "adv:groups:1",
    "adv:g:1",
    "adv:g:2",
    "adv:g:99999",
    "adv:gdone",
    "adv:opt:pin",
    "adv:opt:silent",
    "adv:opt:next",
    "adv:when:now",
    "adv:when:at",
    "adv:when:daily",
    "adv:when:weekly",
    "adv:when:monthly",
    "adv:wd:0",
    "adv:wd:6",
    "adv:wd:7",
    "adv:wd:done",
    "adv:confirm",
    "adv:zzz",
    "advt:open:root",
    "advt:open:1",
    "advt:pick:2",
    "advt:pick:3",
    "advt:up:root",
    "advt:up:1",
]
# What an officer types while composing: times, dates, days of the month, in every shape.
ADVISORY_TEXTS = [
    "Cảnh báo: giả danh công an gọi điện yêu cầu chuyển tiền",
    "07:30",
    "7h30",
    "25:61",
    "31",
    "0",
    "32",
    "¹",
    "٣",
    "30/11/2026 08:00",
    "31/02/2027 07:00",
    "01/01/1970 00:00",
    "31/12/2026",
    "ngày mai 8 giờ",
]


def officer_step_st() -> st.SearchStrategy[dict[str, Any]]:
    """One thing an officer can do in their private chat while composing an advisory."""
    who = HUNG
    text = st.builds(
        lambda t, f: message_update(who, normalised(t, f)[:4096]),
        st.one_of(st.sampled_from(ADVISORY_TEXTS), text_st),
        form_st,
    )
    command = st.sampled_from(["/phatcanhbao", "/huy", "/lichphat", "/thuhoi 1"]).map(
        lambda c: message_update(who, c)
    )
    press = st.one_of(st.sampled_from(ADVISORY_PRESSES), st.text(max_size=64)).map(
        lambda d: callback_update(who, d)
    )
    photo = st.builds(
        lambda cap: message_update(who, None, caption=cap, photo=[OFFICER_PHOTO]),
        st.one_of(st.none(), st.sampled_from(ADVISORY_TEXTS)),
    )
    return st.one_of(text, command, press, photo)


@FUZZ
@given(data=st.data())
async def test_random_walks_through_the_advisory_composer(
    fuzz_bot: BotHarness, logwatch: LogWatch, data: st.DataObject
) -> None:
    """The police side: composing, targeting, scheduling and confirming a warning, in any
    order, with anything typed at any step (the month-day step once crashed on "¹")."""
    h = fuzz_bot
    ward = await h.services.areas.get("ND-TN")
    # The way through, each step kept or replaced by anything at all, then more of anything:
    # purely random walks rarely get past the first two steps.
    way = [
        st.just(message_update(HUNG, ADVISORY_TEXTS[0])),
        st.just(callback_update(HUNG, "adv:skipmedia")),
        st.just(callback_update(HUNG, f"advt:pick:{ward.id}")),
        st.sampled_from(["adv:opt:pin", "adv:opt:silent"]).map(lambda d: callback_update(HUNG, d)),
        st.just(callback_update(HUNG, "adv:opt:next")),
        st.sampled_from(["now", "at", "daily", "weekly", "monthly"]).map(
            lambda w: callback_update(HUNG, f"adv:when:{w}")
        ),
        st.sampled_from(["30/11/2027 08:00", "07:30", "31"]).map(
            lambda t: message_update(HUNG, t)
        ),
        st.sampled_from(["adv:wd:1", "adv:wd:done", "adv:nountil"]).map(
            lambda d: callback_update(HUNG, d)
        ),
        st.sampled_from(["07:30", "31/12/2027"]).map(lambda t: message_update(HUNG, t)),
        st.just(callback_update(HUNG, "adv:nountil")),
        st.just(callback_update(HUNG, "adv:confirm")),
    ]
    steps = [message_update(HUNG, "/phatcanhbao")]
    how_far = data.draw(st.one_of(st.just(len(way)), st.integers(1, len(way))), label="how far")
    for n, kept in enumerate(way[:how_far]):
        swap = data.draw(st.integers(0, 9), label=f"swap {n}") == 0
        steps.append(data.draw(officer_step_st() if swap else kept, label=f"step {n}"))
    steps += data.draw(st.lists(officer_step_st(), max_size=6), label="then")
    for raw in steps:
        await feed(h, raw, logwatch)


# What the bot's own buttons start with (test_every_button_kind_is_fuzzed keeps this in step
# with the registered handlers); the drawn tail then makes them valid, stale or forged.
CALLBACK_PREFIXES = [
    "tip:verify:",
    "tip:handled:",
    "tip:reject:",
    "tip:escalate:",
    "tip:reply:",
    "tip:verify:1:",
    "inbox:o:",
    "inbox:l:received:all:",
    "relay:answer:",
    "relay:cancel:",
    "sched:pause:",
    "sched:resume:",
    "sched:edit:",
    "sched:delete:",
    "sched:retract:",
    "sched:retractok:",
    "sched:retractno:",
    "adv:",
    "adv:groups:",
    "adv:g:",
    "adv:g:1:",
    "adv:wd:",
    "adv:opt:",
    "adv:when:",
    "advt:open:",
    "advt:pick:",
    "advt:up:",
    "au:",
    "rv:",
    "rv:1:",
    "vf:",
    "vf:-100991:",
    "scam:ok:",
    "tipscam:",
    "tipscam:1:1:",
    "tip:scam:",
    "st:p:w:",
    "st:p:lm:",
    "st:r:m.20261101.20261126:",
    "st:a:m.20261101.20261126:",
    "st:a:c.20261301.20260230:",
    "mytips:show:",
    "mytips:page:",
    "acct:yes:",
    "acct:no:",
    "faq:show:",
    "faq:list",
    "contact:show",
    "contact:tip",
    "onb:yes:",
    "onb:no",
    "onb:choose",
    "onb:sub",
    "home:open:",
    "home:pick:",
    "home:up:",
    "tipf:home:",
    "tipf:cat:",
    "tipa:pick:",
    "tipa:up:",
    "lang:vi",
    "lang:en",
    "lang:fr",
    "",
]


@FUZZ
@given(data=st.data())
async def test_any_callback_payload_from_anyone_anywhere(
    fuzz_bot: BotHarness, logwatch: LogWatch, data: st.DataObject
) -> None:
    """Forged payloads for other areas and users: answered or ignored, never a crash."""
    h = fuzz_bot
    prefix = data.draw(st.sampled_from(CALLBACK_PREFIXES), label="prefix")
    tail = data.draw(
        st.one_of(
            st.integers(-5, 10**12).map(str),
            st.text(max_size=40),
            number_like_st,
            st.just("1:2:3"),
        ),
        label="tail",
    )
    payload = (prefix + tail).encode("utf-8")[:64].decode("utf-8", "ignore")
    who = data.draw(st.sampled_from(PEOPLE), label="who")
    chat_id = data.draw(st.sampled_from([who["id"], *GROUPS]), label="chat")
    await feed(h, callback_update(who, payload, chat_id=chat_id), logwatch)


async def test_every_button_kind_is_fuzzed(harness: BotHarness) -> None:
    """Each registered button handler is reached by some fuzzed prefix (with a number, two
    numbers or nothing after it): a new kind of button, or a renamed prefix, cannot go
    unfuzzed (the prefixes above once named "stats:" and "audit:" for "st:" and "au:")."""
    assert harness.app is not None
    patterns = [
        handler.pattern
        for handlers in harness.app.handlers.values()
        for handler in handlers
        if isinstance(handler, CallbackQueryHandler) and isinstance(handler.pattern, re.Pattern)
    ]
    tails = ["", "1", "1:2", "1:next"]
    missed = [
        pattern.pattern
        for pattern in patterns
        if not any(pattern.match(p + tail) for p in CALLBACK_PREFIXES for tail in tails)
    ]
    assert len(patterns) >= 20
    assert not missed


def _without(raw: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    node = raw
    for key in path[:-1]:
        node = node.get(key, {})
    node.pop(path[-1], None)
    return raw


# ``from`` is always set outside channels (an anonymous admin gets a stand-in user, see
# "sender_chat" below); channel posts without it are fuzzed as their own kind.
OPTIONAL = [
    ("message", "text"),
    ("message", "entities"),
    ("message", "chat", "first_name"),
    ("message", "chat", "title"),
    ("message", "from", "username"),
    ("message", "from", "language_code"),
    ("message", "from", "last_name"),
]


@FUZZ
@given(data=st.data())
async def test_updates_with_missing_optional_fields_and_unusual_kinds(
    fuzz_bot: BotHarness, logwatch: LogWatch, data: st.DataObject
) -> None:
    h = fuzz_bot
    who = dict(data.draw(st.sampled_from(PEOPLE), label="who"))
    who["language_code"] = data.draw(st.sampled_from(["vi", "en", "en-US", "fr", "zz-ZZ", ""]))
    chat_id = data.draw(st.sampled_from([None, *GROUPS]), label="chat")
    chat = None if chat_id is None else group_chat(chat_id)
    text = data.draw(
        st.sampled_from(
            [
                "/start",
                "/baotin",
                "/kiemtra 0912345678",
                "hello",
                "/lienket ND-TN-01",
                "/baocao",
                "/hopthu",
            ]
        )
    )
    kind = data.draw(
        st.sampled_from(
            [
                "message",
                "edited",
                "channel",
                "callback_inline",
                "callback_game",
                "sender_chat",
                "service",
                "member",
            ]
        )
    )
    if kind == "message":
        raw = message_update(who, text, chat=chat)
        for path in data.draw(st.lists(st.sampled_from(OPTIONAL), max_size=4, unique=True)):
            _without(raw, path)
            if path == ("message", "text"):  # no text, no entities of a text
                raw["message"].pop("entities", None)
    elif kind == "edited":
        raw = message_update(who, text, chat=chat, edit_date=1)
        raw["edited_message"] = raw.pop("message")
    elif kind == "channel":
        raw = message_update(who, text, chat={"id": -1009999, "type": "channel", "title": "K"})
        raw["message"].pop("from")
        raw["channel_post"] = raw.pop("message")
    elif kind == "callback_inline":
        raw = callback_update(who, "tipf:send")
        raw["callback_query"].pop("message")
        raw["callback_query"]["inline_message_id"] = "AAAA"
    elif kind == "callback_game":
        raw = callback_update(who, "x")
        raw["callback_query"].pop("data")
        raw["callback_query"]["game_short_name"] = "g"
    elif kind == "sender_chat":  # an anonymous group admin
        raw = message_update(who, text, chat=chat or group_chat(GROUP))
        raw["message"]["from"] = {
            "id": 1087968824,
            "is_bot": True,
            "first_name": "Group",
            "username": "GroupAnonymousBot",
        }
        raw["message"]["sender_chat"] = group_chat(GROUP)
    elif kind == "service":
        raw = message_update(
            who,
            None,
            chat=chat or group_chat(GROUP),
            new_chat_members=[STRANGER],
            left_chat_member=None,
        )
        raw["message"].pop("left_chat_member")
    else:
        raw = {
            "update_id": message_update(who)["update_id"],
            "my_chat_member": {
                "chat": chat or group_chat(GROUP),
                "from": who,
                "date": 1,
                "old_chat_member": {
                    "status": "member",
                    "user": {"id": 123456, "is_bot": True, "first_name": "anninh"},
                },
                "new_chat_member": {
                    "status": "left",
                    "user": {"id": 123456, "is_bot": True, "first_name": "anninh"},
                },
            },
        }
    await feed(h, raw, logwatch)
