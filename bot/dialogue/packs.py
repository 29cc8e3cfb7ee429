"""Prompt packs: the shipped essay, imports from files, choosing the next excerpt."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from bot.dialogue.excerpts import (
    MAX_EXCERPT,
    ExcerptError,
    decode_upload,
    slugify,
    split_excerpts,
    text_hash,
)
from bot.dialogue.models import Excerpt, Pack
from bot.errors import InvalidInput, NotFound
from bot.labels_text import sanitize_label
from bot.storage.guilds import GuildStore
from bot.storage.packs import PackStore

DEFAULT_PACK_SLUG = "track2-essay"


@dataclass(frozen=True, slots=True)
class ImportResult:
    pack: Pack
    added: int
    skipped: int


def _builtin_packs() -> list[dict[str, object]]:
    folder = resources.files("bot").joinpath("data", "packs")
    return [
        json.loads(entry.read_text(encoding="utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".json")
    ]


class PackService:
    def __init__(self, packs: PackStore, guilds: GuildStore) -> None:
        self._packs = packs
        self._guilds = guilds

    async def seed_builtin(self) -> int:
        """Store the shipped packs; returns how many excerpts were new. Safe to run at every start."""
        added = 0
        for data in _builtin_packs():
            texts = [str(t) for t in data["excerpts"]]  # type: ignore[attr-defined]
            _, new = await self._packs.upsert_pack(
                None,
                str(data["slug"]),
                str(data["title"]),
                str(data["author"]),
                str(data["link"]) if data.get("link") else None,
                [(t, text_hash(t)) for t in texts],
            )
            added += new
        return added

    async def import_text(
        self,
        guild_id: int | None,
        raw: bytes | str,
        title: str,
        author: str,
        link: str | None = None,
    ) -> ImportResult:
        # cleaned like every label: a title of zero-width characters is no title
        title, author = sanitize_label(title[:2000]), sanitize_label(author[:1000])
        if not title or len(title) > 200:
            raise InvalidInput(
                "Give the text a title of 1 to 200 visible characters.", key="error.pack_title"
            )
        if not author or len(author) > 100:
            raise InvalidInput(
                "Name the author (1 to 100 visible characters): excerpts always carry it.",
                key="error.pack_author",
            )
        if link is not None and not link.startswith(("http://", "https://")):
            raise InvalidInput("packs.error.link")
        try:
            text = decode_upload(raw) if isinstance(raw, bytes) else raw
        except ExcerptError as exc:
            raise InvalidInput("packs.error.import", reason=str(exc)) from exc
        excerpts = split_excerpts(text)
        if not excerpts:
            raise InvalidInput("packs.error.no_text")
        assert all(len(e) <= MAX_EXCERPT for e in excerpts)
        pack_id, added = await self._packs.upsert_pack(
            guild_id,
            slugify(f"{title}-{author}"),
            title,
            author,
            link,
            [(e, text_hash(e)) for e in excerpts],
        )
        pack = await self._packs.pack(pack_id)
        assert pack is not None
        return ImportResult(pack=pack, added=added, skipped=len(excerpts) - added)

    async def packs(self, guild_id: int) -> list[Pack]:
        return await self._packs.packs_for(guild_id)

    async def active_pack(self, guild_id: int) -> Pack:
        config = await self._guilds.get(guild_id)
        if config.active_pack_id is not None:
            pack = await self._packs.pack(config.active_pack_id)
            if pack is not None:
                return pack
        pack = await self._packs.pack_by_slug(None, DEFAULT_PACK_SLUG)
        if pack is None:
            raise NotFound("packs.error.none")
        return pack

    async def use_pack(self, guild_id: int, pack_id: int) -> Pack:
        pack = await self._packs.pack(pack_id)
        if pack is None or (pack.guild_id is not None and pack.guild_id != guild_id):
            raise NotFound("packs.error.no_such")
        await self._guilds.update(guild_id, active_pack_id=pack.id)
        return pack

    async def excerpt_for(self, guild_id: int, excerpt_id: int) -> Excerpt:
        excerpt = await self._packs.excerpt(excerpt_id)
        pack = None if excerpt is None else await self._packs.pack(excerpt.pack_id)
        if excerpt is None or pack is None or pack.guild_id not in (None, guild_id):
            raise NotFound("packs.error.no_excerpt")
        return excerpt

    async def next_excerpt(self, guild_id: int) -> Excerpt:
        pack = await self.active_pack(guild_id)
        excerpt = await self._packs.next_unused(guild_id, pack.id)
        if excerpt is None:
            raise NotFound("packs.error.all_posted", pack=pack.title)
        return excerpt

    async def search(self, guild_id: int, query: str) -> list[Excerpt]:
        return await self._packs.search(guild_id, query)

    async def listing(self, guild_id: int) -> tuple[Pack, list[Excerpt], set[int]]:
        pack = await self.active_pack(guild_id)
        return (
            pack,
            await self._packs.excerpts(pack.id),
            await self._packs.used_excerpt_ids(guild_id),
        )
