"""parse_mode handling: HTML and MarkdownV2 turned into plain text + entities.

Telegram rejects malformed markup with ``400 Bad Request: can't parse
entities: ...``; bots that forget to escape user input hit this in production,
so the sandbox reproduces the check instead of silently accepting anything.
The returned message carries the plain text and entities exactly like the
real server, which lets PTB's ``text_html`` round-trip it.
"""

from __future__ import annotations

import html
import re
from typing import Any

from sandbox.errors import ApiError, bad_request
from sandbox.textutil import utf16_len

Entity = dict[str, Any]

_TAG_RE = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)"
    r"((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*>"
)
_ATTR_RE = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")
_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_HTML_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline", "s": "strikethrough",
    "strike": "strikethrough", "del": "strikethrough", "a": "text_link",
    "code": "code", "pre": "pre", "blockquote": "blockquote",
    "tg-spoiler": "spoiler", "span": "spoiler", "tg-emoji": "custom_emoji",
}
_MD_RESERVED = set("_*[]()~`>#+-=|{}.!")


def _parse_error(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


class _Builder:
    """Accumulates plain text while tracking its UTF-16 length."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.entities: list[Entity] = []

    def add(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.pos += utf16_len(chunk)

    def close(self, kind: str, start: int, extra: dict[str, Any] | None = None) -> None:
        if self.pos > start:  # Telegram drops empty entities
            entity: Entity = {"type": kind, "offset": start, "length": self.pos - start}
            entity.update(extra or {})
            self.entities.append(entity)

    def result(self) -> tuple[str, list[Entity]]:
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), self.entities


def parse_html(text: str) -> tuple[str, list[Entity]]:
    out = _Builder()
    stack: list[tuple[str, int, dict[str, str]]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "&":
            m = _ENTITY_RE.match(text, i)
            if not m:
                raise _parse_error(
                    f"Can't find end of the HTML entity at byte offset {_byte_offset(text, i)}"
                )
            out.add(html.unescape(m.group(0)))
            i = m.end()
        elif ch == "<":
            m = _TAG_RE.match(text, i)
            at = _byte_offset(text, i)
            if not m:
                raise _parse_error(f'Unsupported start tag "" at byte offset {at}')
            closing, name = m.group(1) == "/", m.group(2).lower()
            if closing:
                if not stack:
                    raise _parse_error(f"Unexpected end tag at byte offset {at}")
                open_name, start, attrs = stack.pop()
                if open_name != name:
                    raise _parse_error(
                        f'Unmatched end tag at byte offset {at}, expected "</{open_name}>", '
                        f'found "</{name}>"'
                    )
                _close_html(out, name, start, attrs, stack)
            else:
                attrs = {
                    a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or ""
                    for a in _ATTR_RE.finditer(m.group(3))
                }
                if name not in _HTML_TAGS or (
                    name == "span" and attrs.get("class") != "tg-spoiler"
                ):
                    raise _parse_error(f'Unsupported start tag "{name}" at byte offset {at}')
                stack.append((name, out.pos, attrs))
            i = m.end()
        else:
            out.add(ch)
            i += 1
    if stack:
        raise _parse_error(
            f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"'
        )
    return out.result()


def _close_html(
    out: _Builder, name: str, start: int, attrs: dict[str, str],
    stack: list[tuple[str, int, dict[str, str]]],
) -> None:
    kind = _HTML_TAGS[name]
    extra: dict[str, Any] = {}
    if kind == "text_link":
        extra["url"] = html.unescape(attrs.get("href", ""))
    elif kind == "custom_emoji":
        extra["custom_emoji_id"] = attrs.get("emoji-id", "")
    elif kind == "blockquote" and "expandable" in attrs:
        kind = "expandable_blockquote"
    elif kind == "code" and stack and stack[-1][0] == "pre":
        lang = attrs.get("class", "")
        if lang.startswith("language-"):
            # <pre><code class="language-x"> is one pre entity with a language
            stack[-1][2]["language"] = lang.removeprefix("language-")
            return
    elif kind == "pre" and attrs.get("language"):
        extra["language"] = attrs["language"]
    out.close(kind, start, extra)


_MD_NAMES = {
    "*": ("bold", "Bold"), "_": ("italic", "Italic"), "__": ("underline", "Underline"),
    "~": ("strikethrough", "Strikethrough"), "||": ("spoiler", "Spoiler"),
    "`": ("code", "Code"), "```": ("pre", "Pre"), "[": ("text_link", "TextUrl"),
}


def parse_markdown_v2(text: str) -> tuple[str, list[Entity]]:
    out = _Builder()
    stack: list[tuple[str, int, int]] = []  # marker, utf16 start, byte offset
    quote_start: int | None = None
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        top = stack[-1][0] if stack else ""
        if ch == "\\" and i + 1 < n:
            out.add(text[i + 1])
            i += 2
            continue
        if top.startswith("`"):  # inside code only the closing marker is special
            close = "```" if top.startswith("```") else "`"
            if text.startswith(close, i):
                _, start, _ = stack.pop()
                lang = top[3:]
                out.close(_MD_NAMES[close][0], start, {"language": lang} if lang else {})
                i += len(close)
            else:
                out.add(ch)
                i += 1
            continue
        if i == 0 or text[i - 1] == "\n":
            if quote_start is not None and ch != ">":
                out.close("blockquote", quote_start)
                quote_start = None
            if ch == ">":
                if quote_start is None:
                    quote_start = out.pos
                i += 1
                continue
        marker = next(
            (m for m in ("```", "__", "||", "*", "_", "~", "`", "[") if text.startswith(m, i)),
            None,
        )
        if marker is None and ch == "]" and top == "[":
            i = _md_close_link(text, i, out, stack)
            continue
        if marker is None:
            if ch in _MD_RESERVED:
                raise _parse_error(
                    f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
                )
            out.add(ch)
            i += 1
            continue
        if top == marker and marker != "[":
            _, start, _ = stack.pop()
            out.close(_MD_NAMES[marker][0], start)
            i += len(marker)
            continue
        stack.append((marker, out.pos, _byte_offset(text, i)))
        i += len(marker)
        if marker == "```":
            newline = text.find("\n", i)
            first_line = text[i:newline] if newline >= 0 else ""
            if newline >= 0 and re.fullmatch(r"[A-Za-z0-9_+#.-]*", first_line):
                stack[-1] = ("```" + first_line, out.pos, stack[-1][2])
                i = newline + 1
    if quote_start is not None:
        out.close("blockquote", quote_start)
    if stack:
        marker, _, at = stack[-1]
        name = _MD_NAMES["```" if marker.startswith("```") else marker][1]
        raise _parse_error(f"Can't find end of {name} entity at byte offset {at}")
    return out.result()


def _md_close_link(
    text: str, i: int, out: _Builder, stack: list[tuple[str, int, int]]
) -> int:
    """Close ``[text](url)``; the url part only needs ``)`` and ``\\`` escaped."""
    if not text.startswith("(", i + 1):
        raise _parse_error("Character ']' is reserved and must be escaped with the preceding '\\'")
    j = i + 2
    url: list[str] = []
    while j < len(text) and text[j] != ")":
        if text[j] == "\\" and j + 1 < len(text):
            j += 1
        url.append(text[j])
        j += 1
    if j >= len(text):
        raise _parse_error(f"Can't find end of a URL at byte offset {_byte_offset(text, i)}")
    _, start, _ = stack.pop()
    out.close("text_link", start, {"url": "".join(url)})
    return j + 1


def render(text: str, parse_mode: str | None) -> tuple[str, list[Entity]]:
    """Plain text and entities for ``text`` sent with ``parse_mode``."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode in ("", "markdown"):
        # Legacy Markdown is rarely used by the project; keep the text as-is.
        return text, []
    raise bad_request(f"unsupported parse_mode {parse_mode!r}")
