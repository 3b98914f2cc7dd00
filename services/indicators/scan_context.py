"""``_Context``: the cleaned text of a message with folded, bank-collapsed views used to judge
a number from its neighbourhood (account cue words, nearby bank names, units).
"""

from __future__ import annotations

import re
from typing import Final

from .banks import _BANK_TEXT_RE, _bank_code_from_key, _compact
from .text import _fold, _wordset

# Tokens of the folded, bank-collapsed text used for cue/bank proximity.  "\x01" runs stand for
# a whole bank name, so "Ngân hàng TMCP Ngoại thương" counts as one word.
_WORD_RE: Final = re.compile(r"[a-z/]+|[0-9]+|\x01+")
_STRONG_BOUNDARY_RE: Final = re.compile(r"[,;!?|]|\.(?=\s)")
_WEAK_BOUNDARY_RE: Final = re.compile(r"[;!?|]|\.(?=\s)")
_UNIT_RE: Final = re.compile(
    r" ?(?:d|dong|vnd|k|tr|trieu|ty|ti|nghin|ngan|usd|usdt|xu|%)(?![a-z0-9])"
)

_ACCOUNT_CUES: Final = frozenset(
    {"stk", "tk", "sotk", "taikhoan", "sotaikhoan", "account", "acc", "acct", "a/c"}
)
# Words that say "the number after me is a phone / a social id", cancelling an account cue:
# "tài khoản Zalo 0987654321" is a Zalo phone, not a bank account.
_NOT_ACCOUNT_WORDS: Final = _wordset(
    """
    sdt dt dien thoai goi lh hotline phone tel mobile sim zalo fb facebook face telegram tele
    tiktok instagram ig messenger mess viber whatsapp email gmail mail
    """
)
_CUE_MAX_WORDS: Final = 6
_WINDOW: Final = 80


class _Context:
    """The cleaned text plus the derived views extraction needs, all with the same offsets."""

    def __init__(self, scan: str) -> None:
        self.scan = scan
        folded = _fold(scan)
        self.bank_at: dict[int, str] = {}
        pieces: list[str] = []
        last = 0
        for m in _BANK_TEXT_RE.finditer(folded):
            code = _bank_code_from_key(_compact(m.group()))
            if code is None:
                continue
            self.bank_at[m.start()] = code
            pieces.append(folded[last : m.start()])
            pieces.append("\x01" * (m.end() - m.start()))
            last = m.end()
        pieces.append(folded[last:])
        self.words = "".join(pieces)

    def _before(self, pos: int, boundary: re.Pattern[str]) -> tuple[int, str]:
        lo = max(0, pos - _WINDOW)
        window = self.words[lo:pos]
        cut = 0
        for m in boundary.finditer(window):
            cut = m.end()
        return lo + cut, window[cut:]

    def _after(self, pos: int, boundary: re.Pattern[str]) -> tuple[int, str]:
        window = self.words[pos : pos + _WINDOW]
        m = boundary.search(window)
        return pos, window if m is None else window[: m.start()]

    def account_cue(self, start: int) -> bool:
        _, window = self._before(start, _STRONG_BOUNDARY_RE)
        words = _WORD_RE.findall(window)
        for steps, idx in enumerate(range(len(words) - 1, -1, -1)):
            if steps > _CUE_MAX_WORDS:
                return False
            word = words[idx]
            if word[0].isdigit():
                return False  # the cue belongs to an earlier number
            if word in _ACCOUNT_CUES:
                return True
            if word == "khoan" and idx > 0 and words[idx - 1] == "tai":
                return True
            if word in _NOT_ACCOUNT_WORDS:
                return False
        return False

    def nearest_bank(self, start: int, end: int, max_words: int) -> str | None:
        best: tuple[int, str] | None = None
        offset, window = self._before(start, _WEAK_BOUNDARY_RE)
        matches = list(_WORD_RE.finditer(window))
        for steps, m in enumerate(reversed(matches)):
            if steps > max_words or m.group()[0].isdigit():
                break
            if m.group()[0] == "\x01":
                best = (steps, self._bank_starting_before(offset + m.start()))
                break
        offset, window = self._after(end, _WEAK_BOUNDARY_RE)
        for steps, m in enumerate(_WORD_RE.finditer(window)):
            if steps > max_words or (best is not None and steps >= best[0]):
                break
            if m.group()[0].isdigit():
                break
            if m.group()[0] == "\x01":
                # A name cut off by the window edge is still at a known start offset.
                code = self.bank_at.get(offset + m.start())
                if code is not None:
                    best = (steps, code)
                break
        return None if best is None else best[1]

    def _bank_starting_before(self, pos: int) -> str:
        # The window may cut a bank name in half; its code is stored at the name's first char.
        while pos > 0 and self.words[pos - 1] == "\x01":
            pos -= 1
        return self.bank_at[pos]

    def unit_follows(self, end: int) -> bool:
        return _UNIT_RE.match(self.words, end) is not None
