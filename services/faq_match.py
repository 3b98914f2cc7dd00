"""Matching residents' free-text questions against the procedures FAQ (services/faq.py).

Matching is accent-insensitive ("tam tru o dau" finds "Đăng ký tạm trú ở đâu") but careful: the
tips flow asks this matcher first, so a report that merely mentions a topic ("có người gọi điện
lừa đảo tự xưng công an…") must *not* be swallowed by an FAQ answer. Hence:

* keywords match whole words in order (one typo allowed in longer words), never substrings
  ("cháy" does not match inside "chạy xe" when the resident typed accents);
* a text that does not read as a question needs a near-exact keyword hit and must be short;
* long texts (more than :data:`MAX_QUESTION_WORDS` words) are never treated as questions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from storage.repositories.community import FaqDTO

MAX_QUESTION_WORDS = 20
MAX_STATEMENT_WORDS = 8
ANSWER_THRESHOLD = 85.0
STATEMENT_THRESHOLD = 95.0
SEARCH_THRESHOLD = 70.0

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

_STOPWORDS_TEXT = """
    o dau la gi the nao toi can co khong lam sao bao nhieu a cho hoi minh em anh chi thi va di
    duoc phai nhu nay do ban oi ah nhe vay roi de khi nhung cac mot bi cua voi ve tai ma u thu
    how what where when do does i the to a an is are my me can should of for in it if with at
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
"""Folded words that carry no topic (question words, pronouns, particles)."""
QUESTION_MARKERS = (
    "o dau",
    "the nao",
    "lam sao",
    "lam gi",
    "bao nhieu",
    "bao lau",
    "khi nao",
    "luc nao",
    "co can",
    "co phai",
    "co duoc",
    "can gi",
    "giay to gi",
    "nhu nao",
    "how",
    "what",
    "where",
    "when",
    "which",
    "do i",
    "can i",
)


def fold(text: str) -> str:
    """Lowercase without Vietnamese diacritics ("Đăng ký tạm trú" -> "dang ky tam tru")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def _has_marks(text: str) -> bool:
    """True when the resident typed Vietnamese accents (then we can tell "cháy" from "chạy")."""
    lowered = unicodedata.normalize("NFC", text).lower()
    return fold(lowered) != lowered


@lru_cache(maxsize=65536)
def _same_word(a: str, b: str) -> float:
    if a == b:
        return 100.0
    if min(len(a), len(b)) >= 5:
        score = fuzz.ratio(a, b)
        return score if score >= 80 else 0.0
    return 0.0


def _phrase_score(phrase: list[str], text: list[str]) -> float:
    """How well ``phrase`` occurs as consecutive words of ``text`` (0-100)."""
    n = len(phrase)
    if not n or n > len(text):
        return 0.0
    best = 0.0
    for start in range(len(text) - n + 1):
        scores = [_same_word(p, t) for p, t in zip(phrase, text[start : start + n], strict=True)]
        if all(scores):
            best = max(best, sum(scores) / n)
    return best


@dataclass(frozen=True, slots=True)
class FaqMatch:
    entry: FaqDTO
    score: float


@dataclass(frozen=True, slots=True)
class _Prepared:
    entry: FaqDTO
    keywords: tuple[tuple[str, ...], ...]
    keywords_folded: tuple[tuple[str, ...], ...]
    question_words: frozenset[str]


@lru_cache(maxsize=4096)
def _prepare(entry: FaqDTO) -> _Prepared:
    """Folded keywords and question words of an entry (cached: entries are frozen values, an
    edited entry is a new value)."""
    phrases = [p.strip() for p in entry.keywords.split(",") if p.strip()]
    kws = tuple(tuple(words(p)) for p in phrases if words(p))
    question = words(fold(f"{entry.question_vi} {entry.question_en}"))
    return _Prepared(
        entry,
        kws,
        tuple(tuple(words(fold(" ".join(k)))) for k in kws),
        frozenset(w for w in question if w not in STOPWORDS),
    )


def _score(entry: _Prepared, raw: list[str], folded: list[str], accents: bool) -> float:
    best = 0.0
    for kw, kw_folded in zip(entry.keywords, entry.keywords_folded, strict=True):
        # With accents typed, compare accented words ("cháy" ≠ "chạy"); else folded ones.
        score = _phrase_score(list(kw), raw) if accents else 0.0
        if not accents or (score == 0.0 and not _has_marks(" ".join(kw))):
            score = _phrase_score(list(kw_folded), folded)
        if len(kw) == 1:
            score *= 0.95  # a single word says less than a phrase
        best = max(best, score)
    content = [w for w in folded if w not in STOPWORDS]
    if len(content) >= 2 and entry.question_words:
        overlap = fuzz.token_set_ratio(" ".join(content), " ".join(sorted(entry.question_words)))
        covered = sum(1 for w in content if w in entry.question_words) / len(content)
        best = max(best, overlap * covered)
    return best


def rank(entries: list[FaqDTO], text: str) -> list[FaqMatch]:
    """Entries by how well they answer ``text``, best first (scores 0-100, zeros left out)."""
    raw = words(text)
    folded = words(fold(text))
    if not folded:
        return []
    accents = _has_marks(text)
    scored = [FaqMatch(e.entry, _score(e, raw, folded, accents)) for e in map(_prepare, entries)]
    return sorted((m for m in scored if m.score > 0), key=lambda m: -m.score)


def is_question(text: str) -> bool:
    if "?" in text:
        return True
    folded = " ".join(words(fold(text)))
    return any(re.search(rf"\b{re.escape(m)}\b", folded) for m in QUESTION_MARKERS)


def best_answer(entries: list[FaqDTO], text: str) -> FaqMatch | None:
    """The entry that answers ``text`` confidently, or None (then it is not an FAQ question:
    the caller treats it as something else, e.g. a tip)."""
    count = len(words(text))
    if count == 0 or count > MAX_QUESTION_WORDS:
        return None
    question = is_question(text)
    if not question and count > MAX_STATEMENT_WORDS:
        return None
    ranked = rank(entries, text)
    if not ranked:
        return None
    threshold = ANSWER_THRESHOLD if question else STATEMENT_THRESHOLD
    return ranked[0] if ranked[0].score >= threshold else None
