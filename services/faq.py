"""Procedures FAQ ("thủ tục"): a small knowledge base the police maintain, and the answers to
residents' free-text questions (matched by services/faq_match.py).

Seeding: :data:`SEED_ENTRIES` are inserted by :meth:`FaqService.seed_if_empty` at bot start when
the table has no rows at all. Police retire entries by deactivating them (rows are never
deleted), so once seeded the table is never empty again and the police's edits are never
overwritten by a later start. A data migration was not used: the seed is content the police
will edit and later releases may improve; it lives in ``services/data/faq_seed.toml``, next to
the matcher it is tuned for.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.access import Profile, police_areas
from services.errors import InvalidInput, NotFound
from services.faq_match import SEARCH_THRESHOLD, FaqMatch, best_answer, fold, rank, words
from services.ports import L10n
from storage.repositories.audit import AuditRepository
from storage.repositories.community import FAQ_FIELDS, FaqDTO, FaqRepository
from storage.types import nfc
from storage.uow import Sessions, transaction

__all__ = ["FaqDTO", "FaqService", "parse_faq_form"]

MAX_QUESTION = 300
MAX_ANSWER = 3500
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


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


SEED_FILE = Path(__file__).with_name("data") / "faq_seed.toml"
"""The entries the bot starts with, text the police and later releases edit (TOML, read with
the standard library)."""


def _seed_entries() -> list[dict[str, str]]:
    with SEED_FILE.open("rb") as seed:
        return [
            {key: nfc(value) for key, value in entry.items()}
            for entry in tomllib.load(seed)["entry"]
        ]


SEED_ENTRIES: list[dict[str, str]] = _seed_entries()
