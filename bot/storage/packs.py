"""Prompt packs and their excerpts."""

from __future__ import annotations

import sqlite3

from bot.dialogue.models import Excerpt, Pack
from bot.storage.engine import Row, Storage

_EXCERPT_SELECT = (
    "SELECT e.id, e.pack_id, e.position, e.text, p.title, p.author, p.link "
    "FROM excerpts e JOIN packs p ON p.id = e.pack_id "
)
ATTEMPTS = 3


def _excerpt(row: Row) -> Excerpt:
    return Excerpt(
        id=row["id"],
        pack_id=row["pack_id"],
        position=row["position"],
        text=row["text"],
        title=row["title"],
        author=row["author"],
        link=row["link"],
    )


def _pack(row: Row) -> Pack:
    return Pack(
        id=row["id"],
        guild_id=row["guild_id"],
        slug=row["slug"],
        title=row["title"],
        author=row["author"],
        link=row["link"],
        excerpt_count=row["excerpt_count"],
    )


_PACK_SELECT = (
    "SELECT p.*, (SELECT COUNT(*) FROM excerpts e WHERE e.pack_id = p.id) AS excerpt_count "
    "FROM packs p "
)


class PackStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    async def upsert_pack(
        self,
        guild_id: int | None,
        slug: str,
        title: str,
        author: str,
        link: str | None,
        excerpts: list[tuple[str, str]],
    ) -> tuple[int, int]:
        """Create or reuse the pack; add excerpts (text, hash) not stored yet.
        Returns (pack id, number of excerpts added). Several processes may seed the same pack
        at once (every bot process seeds the shipped packs on startup): the one that loses the
        race on the unique keys tries again and finds the winner's rows."""
        for attempt in range(ATTEMPTS):
            try:
                return await self._upsert_pack(guild_id, slug, title, author, link, excerpts)
            except sqlite3.IntegrityError:  # PostgreSQL's engine raises a subclass
                if attempt == ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    async def _upsert_pack(
        self,
        guild_id: int | None,
        slug: str,
        title: str,
        author: str,
        link: str | None,
        excerpts: list[tuple[str, str]],
    ) -> tuple[int, int]:
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT id FROM packs WHERE COALESCE(guild_id, 0) = ? AND slug = ?",
                (guild_id or 0, slug),
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                cursor = await conn.execute(
                    "INSERT INTO packs (guild_id, slug, title, author, link) VALUES (?, ?, ?, ?, ?)",
                    (guild_id, slug, title, author, link),
                )
                pack_id = int(cursor.lastrowid or 0)
            else:
                pack_id = int(row[0])
            async with conn.execute(
                "SELECT text_hash FROM excerpts WHERE pack_id = ?", (pack_id,)
            ) as cur:
                known = {r[0] for r in await cur.fetchall()}
            async with conn.execute(
                "SELECT COALESCE(MAX(position), 0) FROM excerpts WHERE pack_id = ?", (pack_id,)
            ) as cur:
                position = int((await cur.fetchone() or (0,))[0])
            added = 0
            for text, digest in excerpts:
                if digest in known:
                    continue
                known.add(digest)
                position += 1
                added += 1
                await conn.execute(
                    "INSERT INTO excerpts (pack_id, position, text, text_hash) VALUES (?, ?, ?, ?)",
                    (pack_id, position, text, digest),
                )
        return pack_id, added

    async def packs_for(self, guild_id: int) -> list[Pack]:
        rows = await self._db.fetchall(
            _PACK_SELECT + "WHERE p.guild_id IS NULL OR p.guild_id = ? ORDER BY p.id", (guild_id,)
        )
        return [_pack(r) for r in rows]

    async def pack(self, pack_id: int) -> Pack | None:
        row = await self._db.fetchone(_PACK_SELECT + "WHERE p.id = ?", (pack_id,))
        return None if row is None else _pack(row)

    async def pack_by_slug(self, guild_id: int | None, slug: str) -> Pack | None:
        row = await self._db.fetchone(
            _PACK_SELECT + "WHERE COALESCE(p.guild_id, 0) = ? AND p.slug = ?", (guild_id or 0, slug)
        )
        return None if row is None else _pack(row)

    async def excerpt(self, excerpt_id: int) -> Excerpt | None:
        row = await self._db.fetchone(_EXCERPT_SELECT + "WHERE e.id = ?", (excerpt_id,))
        return None if row is None else _excerpt(row)

    async def excerpts(self, pack_id: int) -> list[Excerpt]:
        rows = await self._db.fetchall(
            _EXCERPT_SELECT + "WHERE e.pack_id = ? ORDER BY e.position", (pack_id,)
        )
        return [_excerpt(r) for r in rows]

    async def next_unused(self, guild_id: int, pack_id: int) -> Excerpt | None:
        row = await self._db.fetchone(
            _EXCERPT_SELECT + "WHERE e.pack_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM rounds r WHERE r.guild_id = ? AND r.excerpt_id = e.id) "
            "ORDER BY e.position LIMIT 1",
            (pack_id, guild_id),
        )
        return None if row is None else _excerpt(row)

    async def search(self, guild_id: int, query: str, limit: int = 25) -> list[Excerpt]:
        pattern = f"%{query.strip()}%"
        rows = await self._db.fetchall(
            _EXCERPT_SELECT + "WHERE (p.guild_id IS NULL OR p.guild_id = ?) AND "
            "(lower(e.text) LIKE lower(?) OR lower(p.title) LIKE lower(?)) "
            "ORDER BY p.id, e.position LIMIT ?",
            (guild_id, pattern, pattern, limit),
        )
        return [_excerpt(r) for r in rows]

    async def used_excerpt_ids(self, guild_id: int) -> set[int]:
        rows = await self._db.fetchall(
            "SELECT DISTINCT excerpt_id FROM rounds WHERE guild_id = ?", (guild_id,)
        )
        return {int(r[0]) for r in rows}
