"""Pure-function tests: markup parsing, entities, rate limiter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.errors import ApiError
from sandbox.limits import RateLimiter
from sandbox.markup import parse_html, parse_markdown_v2
from sandbox.textutil import auto_entities, utf16_len


def test_rate_limiter_sliding_window_is_exact() -> None:
    limiter = RateLimiter()
    limiter.configure(enabled=True, global_per_s=30, private_per_s=1, group_per_min=3)
    assert [limiter.check(1, -5, True, now=t) for t in (0.0, 10.0, 20.0)] == [None] * 3
    assert limiter.check(1, -5, True, now=30.0) == 30  # first slot frees at t=60
    assert limiter.check(1, -5, True, now=60.0) is None
    assert limiter.check(2, -5, True, now=30.0) is None  # limits are per bot


@pytest.mark.parametrize(
    ("source", "plain", "kinds"),
    [
        ("<b>a</b><i>b</i>", "ab", ["bold", "italic"]),
        ("<strong>x<em>y</em></strong>", "xy", ["bold", "italic"]),
        ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st",
         ["spoiler", "spoiler"]),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1", ["pre"]),
        ("<blockquote expandable>q</blockquote>", "q", ["expandable_blockquote"]),
        ("1 &lt; 2 &#38; 3 &gt; 0", "1 < 2 & 3 > 0", []),
    ],
)
def test_html_supported_tags(source: str, plain: str, kinds: list[str]) -> None:
    text, entities = parse_html(source)
    assert text == plain
    assert [e["type"] for e in entities] == kinds


@pytest.mark.parametrize(
    "source", ["<b>x", "x</b>", "<b><i>x</b></i>", "<div>x</div>", "<span>x</span>", "a & b",
               "<3"],
)
def test_html_errors(source: str) -> None:
    with pytest.raises(ApiError, match="can't parse entities"):
        parse_html(source)


def test_markdown_v2() -> None:
    text, entities = parse_markdown_v2(r"*Cảnh báo* \- _hẻm 5_ [bản đồ](https://x.vn/a\)b)")
    assert text == "Cảnh báo - hẻm 5 bản đồ"
    assert [e["type"] for e in entities] == ["bold", "italic", "text_link"]
    assert entities[-1]["url"] == "https://x.vn/a)b"
    for bad in ("1.5", "*open", "a_b", "(x)"):
        with pytest.raises(ApiError):
            parse_markdown_v2(bad)


@given(st.text(max_size=50))
def test_escaped_html_round_trips(text: str) -> None:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    plain, entities = parse_html(f"<b>{escaped}</b>")
    assert plain == text
    if text:
        assert entities == [{"type": "bold", "offset": 0, "length": utf16_len(text)}]


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_auto_entities_stay_in_bounds(text: str) -> None:
    for entity in auto_entities(text):
        assert entity["offset"] >= 0
        assert entity["offset"] + entity["length"] <= utf16_len(text)
