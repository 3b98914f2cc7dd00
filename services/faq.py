"""Procedures FAQ ("thủ tục"): a small knowledge base the police maintain, and a matcher that
answers residents' free-text questions with it.

Matching is accent-insensitive ("tam tru o dau" finds "Đăng ký tạm trú ở đâu") but careful: the
tips flow asks this matcher first, so a report that merely mentions a topic ("có người gọi điện
lừa đảo tự xưng công an…") must *not* be swallowed by an FAQ answer. Hence:

* keywords match whole words in order (one typo allowed in longer words), never substrings
  ("cháy" does not match inside "chạy xe" when the resident typed accents);
* a text that does not read as a question needs a near-exact keyword hit and must be short;
* long texts (more than :data:`MAX_QUESTION_WORDS` words) are never treated as questions.

Seeding: :data:`SEED_ENTRIES` are inserted by :meth:`FaqService.seed_if_empty` at bot start when
the table has no rows at all. Police retire entries by deactivating them (rows are never
deleted), so once seeded the table is never empty again and the police's edits are never
overwritten by a later start. A data migration was not used: the seed is content the police
will edit and later releases may improve, and it lives next to the matcher it is tuned for.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from services.access import Profile, police_areas
from services.errors import InvalidInput, NotFound
from services.ports import L10n
from storage.repositories.audit import AuditRepository
from storage.repositories.community import FAQ_FIELDS, FaqDTO, FaqRepository

__all__ = ["FaqDTO", "FaqMatch", "FaqService", "best_answer", "fold", "parse_faq_form", "rank"]
from storage.types import nfc
from storage.uow import Sessions, transaction

MAX_QUESTION_WORDS = 20
MAX_STATEMENT_WORDS = 8
ANSWER_THRESHOLD = 85.0
STATEMENT_THRESHOLD = 95.0
SEARCH_THRESHOLD = 70.0
MAX_QUESTION = 300
MAX_ANSWER = 3500
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")

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


# -- editing ----------------------------------------------------------------------------------

FORM_KEYS: dict[str, str] = {
    "ma": "slug",
    "slug": "slug",
    "thu tu": "position",
    "position": "position",
    "hoi": "question_vi",
    "cau hoi": "question_vi",
    "question": "question_vi",
    "question vi": "question_vi",
    "tra loi": "answer_vi",
    "answer": "answer_vi",
    "answer vi": "answer_vi",
    "hoi en": "question_en",
    "cau hoi en": "question_en",
    "question en": "question_en",
    "tra loi en": "answer_en",
    "answer en": "answer_en",
    "tu khoa": "keywords",
    "keywords": "keywords",
    "hien": "active",
    "active": "active",
}
_FORM_LINE = re.compile(r"^\s*([^:\n]{1,30}):(.*)$")
_TRUE = {"1", "co", "yes", "true", "hien", "bat", "on"}
_FALSE = {"0", "khong", "no", "false", "an", "tat", "off"}


def parse_faq_form(text: str) -> dict[str, str]:
    """``key: value`` lines; a value continues on the following lines until the next key (so
    answers can have several lines). Keys in Vietnamese with or without accents, or English."""
    fields: dict[str, str] = {}
    current: str | None = None
    for line in text.splitlines():
        match = _FORM_LINE.match(line)
        key = FORM_KEYS.get(" ".join(words(fold(match.group(1))))) if match else None
        if match and key:
            current = key
            fields[key] = match.group(2).strip()
        elif current is not None:
            fields[current] = f"{fields[current]}\n{line.rstrip()}"
        elif line.strip():
            raise InvalidInput("faq-form-line", line=line.strip()[:60])
    return {k: v.strip() for k, v in fields.items()}


def _clean_fields(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "slug" or value is None:
            continue
        if key == "position":
            try:
                out[key] = int(str(value).strip())
            except ValueError:
                raise InvalidInput("faq-position-invalid", value=str(value)[:20]) from None
        elif key == "active":
            flag = fold(str(value)).strip()
            if flag not in _TRUE | _FALSE:
                raise InvalidInput("faq-active-invalid", value=str(value)[:20])
            out[key] = flag in _TRUE
        elif key in FAQ_FIELDS:
            out[key] = nfc(str(value).strip())
    for key, limit in (("question_vi", MAX_QUESTION), ("question_en", MAX_QUESTION)):
        if len(out.get(key, "")) > limit:
            raise InvalidInput("faq-too-long", limit=limit)
    for key in ("answer_vi", "answer_en"):
        if len(out.get(key, "")) > MAX_ANSWER:
            raise InvalidInput("faq-too-long", limit=MAX_ANSWER)
    return out


def normalize_slug(value: str) -> str:
    slug = "-".join(words(fold(value)))[:64]
    if not SLUG_PATTERN.match(slug):
        raise InvalidInput("faq-slug-invalid", slug=value[:40])
    return slug


@dataclass(frozen=True, slots=True)
class FaqChange:
    entry: FaqDTO
    created: bool


@dataclass(frozen=True, slots=True)
class FaqImportResult:
    created: int
    updated: int


class FaqService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def seed_if_empty(self) -> int:
        """Insert :data:`SEED_ENTRIES` when the table has never had a row; returns how many."""
        async with transaction(self._sessions) as session:
            repo = FaqRepository(session)
            if await repo.count():
                return 0
            for position, entry in enumerate(SEED_ENTRIES, start=1):
                await repo.upsert(
                    entry["slug"],
                    {k: v for k, v in entry.items() if k != "slug"} | {"position": position * 10},
                    actor_user_id=None,
                )
            return len(SEED_ENTRIES)

    async def topics(self, *, include_inactive: bool = False) -> list[FaqDTO]:
        async with transaction(self._sessions) as session:
            return await FaqRepository(session).list(include_inactive=include_inactive)

    async def editable_topics(self, actor: Profile) -> list[FaqDTO]:
        """Every entry, hidden ones too, for the police's editor; PermissionDenied for
        anyone else."""
        police_areas(actor)
        return await self.topics(include_inactive=True)

    async def get(self, entry_id: int) -> FaqDTO:
        async with transaction(self._sessions) as session:
            entry = await FaqRepository(session).get(entry_id)
        if entry is None or not entry.active:
            raise NotFound("faq-not-found")
        return entry

    async def answer(self, text: str) -> FaqMatch | None:
        """The confident answer to a resident's free text, or None."""
        if len(text) > 1000:
            return None
        return best_answer(await self.topics(), text)

    async def search(self, text: str, limit: int = 5) -> list[FaqMatch]:
        """Looser than :meth:`answer`: for an explicit "/thutuc <words>" search."""
        ranked = rank(await self.topics(), text[:1000])
        return [m for m in ranked if m.score >= SEARCH_THRESHOLD][:limit]

    async def save(self, fields: dict[str, Any], *, actor: Profile | None = None) -> FaqChange:
        """Create or update the entry named by ``fields["slug"]`` (only the given fields
        change). Police and admins only; ``actor`` None is the operator's CLI."""
        if actor is not None:
            police_areas(actor)
        if not fields.get("slug"):
            raise InvalidInput("faq-slug-missing")
        slug = normalize_slug(str(fields["slug"]))
        clean = _clean_fields(fields)
        async with transaction(self._sessions) as session:
            repo = FaqRepository(session)
            existing = await repo.get_by_slug(slug)
            if existing is None and not (clean.get("question_vi") and clean.get("answer_vi")):
                raise InvalidInput("faq-new-needs-text", slug=slug)
            actor_id = actor.user.id if actor else None
            before, after = await repo.upsert(slug, clean, actor_user_id=actor_id)
            if before is not None and before == after:
                return FaqChange(after, created=False)
            await AuditRepository(session).add(
                "faq.set",
                actor_user_id=actor_id,
                target_type="faq",
                target_id=after.id,
                before=before.as_dict() if before else None,
                after=after.as_dict(),
            )
            return FaqChange(after, created=before is None)

    async def import_csv(self, text: str, *, actor: Profile | None = None) -> FaqImportResult:
        """Rows ``slug,question_vi,answer_vi[,question_en,answer_en,keywords,position,active]``
        (header required). All rows or none."""
        rows = list(csv.DictReader(io.StringIO(text)))
        header = set(rows[0].keys()) if rows else set()
        missing = {"slug", "question_vi", "answer_vi"} - header
        if missing:
            raise InvalidInput("faq-csv-header", columns=", ".join(sorted(missing)))
        created = updated = 0
        async with transaction(self._sessions) as session:
            repo = FaqRepository(session)
            for line, row in enumerate(rows, start=2):
                try:
                    slug = normalize_slug(row.get("slug") or "")
                    clean = _clean_fields({k: v for k, v in row.items() if v not in (None, "")})
                except InvalidInput as exc:
                    problem = L10n(exc.message_key, exc.args_for_message)
                    raise InvalidInput("faq-csv-row", line=line, problem=problem) from None
                new = await repo.get_by_slug(slug) is None
                if new and not (clean.get("question_vi") and clean.get("answer_vi")):
                    problem = L10n("faq-new-needs-text", {"slug": slug})
                    raise InvalidInput("faq-csv-row", line=line, problem=problem)
                before, after = await repo.upsert(
                    slug, clean, actor_user_id=actor.user.id if actor else None
                )
                if before is None:
                    created += 1
                elif before != after:
                    updated += 1
            await AuditRepository(session).add(
                "faq.import",
                actor_user_id=actor.user.id if actor else None,
                target_type="faq",
                after={"created": created, "updated": updated},
            )
        return FaqImportResult(created, updated)


SEED_ENTRIES: list[dict[str, str]] = [
    {
        "slug": "tam-tru",
        "question_vi": "Đăng ký tạm trú ở đâu, cần giấy tờ gì?",
        "answer_vi": (
            "Khi đến ở nơi khác (ngoài xã, phường nơi thường trú) từ 30 ngày trở lên, bạn "
            "phải đăng ký tạm trú.\n"
            "• Làm trực tuyến: ứng dụng VNeID hoặc Cổng dịch vụ công quốc gia "
            "(dichvucong.gov.vn), mục Đăng ký tạm trú.\n"
            "• Hoặc đến trực tiếp Công an phường, xã nơi đang ở.\n"
            "Cần có: tờ khai thay đổi thông tin cư trú (mẫu CT01, làm trên mạng thì điền "
            "trực tiếp) và giấy tờ chứng minh chỗ ở hợp pháp (hợp đồng thuê nhà, giấy cho ở "
            "nhờ có xác nhận của chủ nhà…).\n"
            "Người cho thuê trọ nên nhắc người thuê đăng ký ngay khi đến ở."
        ),
        "question_en": "Where do I register temporary residence, and what do I need?",
        "answer_en": (
            "If you live away from the ward/commune of your permanent residence for 30 days "
            "or more, you must register temporary residence.\n"
            "• Online: the VNeID app or the National Public Service Portal "
            '(dichvucong.gov.vn), "temporary residence registration".\n'
            "• Or in person at the police station of the ward/commune where you stay.\n"
            "You need the residence information form (CT01; filled in online) and proof of "
            "lawful accommodation (rental contract, the owner's written consent…)."
        ),
        "keywords": (
            "tạm trú, đăng ký tạm trú, khai báo tạm trú, thuê trọ, ở trọ, nhà trọ, CT01, "
            "temporary residence, register residence"
        ),
    },
    {
        "slug": "tam-vang",
        "question_vi": "Khi nào phải khai báo tạm vắng, làm ở đâu?",
        "answer_vi": (
            "Bạn phải khai báo tạm vắng khi đi khỏi tỉnh, thành phố nơi thường trú từ 12 tháng "
            "liên tục trở lên (trừ khi đã đăng ký tạm trú ở nơi mới hoặc đã ra nước ngoài). "
            "Người đang bị quản lý theo quyết định của cơ quan có thẩm quyền (bị can, người "
            "được hoãn, tạm đình chỉ chấp hành án…) đi khỏi xã, phường từ 1 ngày trở lên cũng "
            "phải khai báo.\n"
            "• Làm trực tuyến trên VNeID hoặc Cổng dịch vụ công quốc gia.\n"
            "• Hoặc đến Công an phường, xã nơi cư trú."
        ),
        "question_en": "When must I declare a temporary absence, and where?",
        "answer_en": (
            "Declare a temporary absence when you leave the province/city of your permanent "
            "residence for 12 consecutive months or more (unless you registered temporary "
            "residence at the new place or moved abroad). People under a supervision order "
            "must declare any absence of 1 day or more from their ward/commune.\n"
            "Online via VNeID or the National Public Service Portal, or at the ward/commune "
            "police."
        ),
        "keywords": "tạm vắng, khai báo tạm vắng, đi làm xa, đi xa lâu ngày, temporary absence",
    },
    {
        "slug": "luu-tru",
        "question_vi": "Có khách đến ở qua đêm thì thông báo lưu trú thế nào?",
        "answer_vi": (
            "Chủ nhà, chủ nhà trọ, homestay phải thông báo lưu trú với Công an phường, xã khi "
            "có người đến ở qua đêm (không có đăng ký cư trú tại đó): trước 23 giờ, hoặc trước "
            "8 giờ sáng hôm sau nếu khách đến sau 23 giờ.\n"
            "Cách làm: trên ứng dụng VNeID (mục Thông báo lưu trú), gọi điện hoặc đến trực "
            "tiếp Công an phường, xã. Cần họ tên, số định danh (số căn cước) và thời gian ở "
            "của khách."
        ),
        "question_en": "A guest is staying overnight: how do I notify the police?",
        "answer_en": (
            "Hosts (homes, guesthouses, homestays) must notify the ward/commune police when "
            "someone not registered there stays overnight: before 11 pm, or before 8 am the "
            'next morning if the guest arrives after 11 pm. Use the VNeID app ("stay '
            "notification\"), phone or visit the ward police; give the guest's name, ID number "
            "and dates of stay."
        ),
        "keywords": (
            "lưu trú, thông báo lưu trú, báo lưu trú, khách ở qua đêm, khách đến ở, homestay, "
            "overnight guest, stay notification"
        ),
    },
    {
        "slug": "mat-giay-to",
        "question_vi": "Mất căn cước (CCCD) hoặc giấy tờ thì phải làm gì?",
        "answer_vi": (
            "1. Báo mất cho Công an phường, xã nơi bị mất hoặc nơi cư trú (nếu nghi bị trộm, "
            "móc túi thì gửi tin báo).\n"
            "2. Nếu mất thẻ căn cước: làm thủ tục cấp lại tại Công an nơi cư trú hoặc nơi làm "
            "thủ tục căn cước; có thể đặt lịch trên VNeID hoặc Cổng dịch vụ công.\n"
            "3. Báo ngay cho ngân hàng nếu mất thẻ ngân hàng, điện thoại có ứng dụng ngân "
            "hàng.\n"
            "Cảnh giác: kẻ gian có thể dùng giấy tờ bị mất để vay tiền, mở tài khoản. Đừng "
            'gửi ảnh giấy tờ cho người lạ nhận "tìm giúp".'
        ),
        "question_en": "I lost my ID card (CCCD) or documents: what should I do?",
        "answer_en": (
            "1. Report the loss to the police of the ward/commune where it happened or where "
            "you live (send a tip if you think it was stolen).\n"
            "2. Lost ID card: apply for a replacement at the police where you live or any ID "
            "card office; you can book via VNeID or the Public Service Portal.\n"
            "3. Tell your bank at once if bank cards or a phone with banking apps were lost.\n"
            "Beware: lost documents are used for loans and bank accounts in your name. Never "
            'send photos of your documents to strangers offering to "find" them.'
        ),
        "keywords": (
            "mất CCCD, mất căn cước, mất chứng minh, mất giấy tờ, mất ví, làm lại căn cước, "
            "cấp lại căn cước, lost ID, lost documents, lost wallet"
        ),
    },
    {
        "slug": "lua-dao-qua-mang",
        "question_vi": "Bị lừa đảo qua mạng, đã chuyển tiền cho kẻ gian thì làm gì?",
        "answer_vi": (
            "Làm ngay, càng sớm càng dễ giữ lại tiền:\n"
            "1. Gọi tổng đài (hotline) của ngân hàng để yêu cầu tạm khóa tài khoản, tra soát "
            "và phong tỏa giao dịch.\n"
            "2. Báo công an: gọi 113 hoặc đến Công an phường gần nhất; gửi tin báo qua bot "
            "này (/baotin).\n"
            "3. Giữ lại bằng chứng, KHÔNG xóa: ảnh chụp tin nhắn, số điện thoại, số tài "
            "khoản, đường link, biên lai chuyển tiền.\n"
            '4. Không chuyển thêm tiền, kể cả khi có người hứa "lấy lại tiền giúp".\n'
            "Nhớ: công an không gọi điện bắt chuyển tiền, không yêu cầu cài ứng dụng hay gửi "
            "mã OTP."
        ),
        "question_en": "I was scammed online and sent money: what do I do?",
        "answer_en": (
            "Act at once; the sooner, the better the chance to stop the money:\n"
            "1. Call your bank's hotline to freeze the account and dispute the transfer.\n"
            "2. Tell the police: call 113 or go to the nearest ward police; send a tip here "
            "(/baotin).\n"
            "3. Keep the evidence, do NOT delete it: screenshots, phone numbers, account "
            "numbers, links, transfer receipts.\n"
            '4. Do not send more money, even to someone promising to "recover" it.\n'
            "The police never ask you by phone to transfer money, install an app or share an "
            "OTP."
        ),
        "keywords": (
            "lừa đảo, lừa đảo qua mạng, bị lừa, bị lừa tiền, chuyển nhầm tiền, mất tiền, "
            "chiếm đoạt tiền, scam, scammed, fraud"
        ),
    },
    {
        "slug": "chay-no",
        "question_vi": "Khi có cháy thì làm gì? Phòng cháy trong nhà thế nào?",
        "answer_vi": (
            "Khi có cháy:\n"
            "• Gọi ngay 114 (miễn phí), hô to báo mọi người.\n"
            "• Ngắt điện nếu làm được an toàn; đám cháy nhỏ thì dùng bình chữa cháy.\n"
            "• Thoát ra theo lối thoát nạn, cúi thấp, che mũi miệng bằng khăn ướt; không dùng "
            "thang máy, không quay lại lấy đồ.\n"
            "Phòng cháy (PCCC) tại nhà:\n"
            "• Không sạc xe điện qua đêm, không để xe, xăng dầu gần bếp và lối đi.\n"
            '• Nhà nên có bình chữa cháy và lối thoát thứ hai (không khóa kín "chuồng cọp").\n'
            "• Tắt bếp, rút phích điện trước khi ra khỏi nhà."
        ),
        "question_en": "What do I do in a fire? How do I prevent fires at home?",
        "answer_en": (
            "In a fire: call 114 (free) and alert everyone; cut the power if it is safe; use "
            "an extinguisher on small fires; get out by the escape route, stay low, cover your "
            "nose with a wet cloth; no lifts, never go back for belongings.\n"
            "Prevention: don't charge e-bikes overnight; keep vehicles and fuel away from the "
            "kitchen and exits; keep an extinguisher and a second way out (no fully locked "
            "window cages); switch off the stove and unplug before leaving."
        ),
        "keywords": (
            "cháy, cháy nổ, hỏa hoạn, PCCC, phòng cháy, chữa cháy, bình chữa cháy, 114, fire, "
            "fire safety"
        ),
    },
    {
        "slug": "so-khan-cap",
        "question_vi": "Các số điện thoại khẩn cấp là gì?",
        "answer_vi": (
            "Gọi miễn phí, 24/7, từ mọi điện thoại:\n"
            "• 113 — Công an (gặp kẻ gian, đánh nhau, trộm cướp)\n"
            "• 114 — Cứu hỏa, cứu nạn cứu hộ\n"
            "• 115 — Cấp cứu y tế\n"
            "• 111 — Tổng đài bảo vệ trẻ em\n"
            "Số trực ban và cảnh sát khu vực của tổ dân phố bạn: gõ /lienhe."
        ),
        "question_en": "What are the emergency numbers?",
        "answer_en": (
            "Free, 24/7, from any phone:\n"
            "• 113 — Police\n• 114 — Fire and rescue\n• 115 — Ambulance\n"
            "• 111 — Child protection hotline\n"
            "Your ward's duty line and officer in charge: type /contacts."
        ),
        "keywords": (
            "số khẩn cấp, số điện thoại khẩn cấp, gọi công an, gọi cấp cứu, 113, 115, "
            "đường dây nóng, emergency number, emergency"
        ),
    },
    {
        "slug": "vneid",
        "question_vi": "Kích hoạt tài khoản định danh điện tử VNeID ở đâu?",
        "answer_vi": (
            "• Mức 1: tự đăng ký trên ứng dụng VNeID (tải từ App Store, Google Play).\n"
            "• Mức 2: đến Công an phường, xã nơi cư trú hoặc nơi làm thủ tục căn cước, mang "
            "thẻ căn cước gắn chip và điện thoại dùng số chính chủ.\n"
            "Cảnh giác: công an không hướng dẫn kích hoạt VNeID qua điện thoại, không gửi "
            "đường link cài ứng dụng. Ai làm vậy là kẻ lừa đảo."
        ),
        "question_en": "Where do I activate my VNeID electronic identity account?",
        "answer_en": (
            "• Level 1: register yourself in the VNeID app (App Store, Google Play).\n"
            "• Level 2: go to the ward/commune police where you live or an ID card office with "
            "your chip ID card and a phone whose number is in your name.\n"
            "Beware: the police never guide VNeID activation by phone or send app links."
        ),
        "keywords": (
            "VNeID, định danh điện tử, kích hoạt VNeID, tài khoản định danh, mức 2, "
            "electronic identity"
        ),
    },
]
