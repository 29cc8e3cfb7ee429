"""Communities, membership and join requests."""

from __future__ import annotations

import sqlite3

from bot.dialogue.models import Community, JoinRequest
from bot.storage.cache import TtlCache
from bot.storage.engine import (
    Row,
    Script,
    Step,
    Storage,
    TxConnection,
    joined,
    maybe_datetime,
    run_unit,
    to_datetime,
)
from bot.storage.folding import fold_name


def _community(row: Row) -> Community:
    return Community(
        id=row["id"], guild_id=row["guild_id"], name=row["name"], role_id=row["role_id"]
    )


def decide_request(request_id: int, approved: bool, moderator_id: int) -> Script[bool]:
    """A join request's decision (a unit on its own, or one write of a moderation decision):
    False when someone decided it already; approval sets the membership in the same unit."""
    decided = yield Step(
        "UPDATE join_requests SET status = ?, decided_by = ?, "
        "decided_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
        "WHERE id = ? AND status = 'pending'",
        ("approved" if approved else "denied", moderator_id, request_id),
    )
    if decided.rowcount == 0:
        return False
    if approved:
        yield Step(
            "INSERT INTO community_members (guild_id, user_id, community_id) "
            "SELECT guild_id, user_id, community_id FROM join_requests WHERE id = ? "
            "ON CONFLICT(guild_id, user_id) DO UPDATE SET community_id = excluded.community_id",
            (request_id,),
        )
    return True


def _join_request(row: Row) -> JoinRequest:
    return JoinRequest(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        user_id=int(row["user_id"]),
        community_id=int(row["community_id"]),
        status=str(row["status"]),
        created_at=to_datetime(row["created_at"]),
        decided_at=maybe_datetime(row["decided_at"]),
    )


class DuplicateCommunity(Exception):
    pass


class CommunityStore:
    def __init__(self, db: Storage) -> None:
        self._db = db
        # Membership is read on every reply and endorsement and written only through this
        # store: cache the members found, forget them on every write.
        self._members: TtlCache[tuple[int, int], Community] = TtlCache.for_db(db)

    async def add(self, guild_id: int, name: str, role_id: int) -> Community:
        try:
            new_id = await self._db.execute(
                "INSERT INTO communities (guild_id, name, name_key, role_id) VALUES (?, ?, ?, ?)",
                (guild_id, name, fold_name(name), role_id),
            )
        except sqlite3.IntegrityError as exc:
            raise DuplicateCommunity(str(exc)) from exc
        return Community(id=new_id, guild_id=guild_id, name=name, role_id=role_id)

    async def remove(self, guild_id: int, community_id: int) -> None:
        await self._db.execute(
            "DELETE FROM communities WHERE guild_id = ? AND id = ?", (guild_id, community_id)
        )
        self._members.clear()

    async def all(self, guild_id: int) -> list[Community]:
        rows = await self._db.fetchall(
            "SELECT * FROM communities WHERE guild_id = ? ORDER BY id", (guild_id,)
        )
        return [_community(r) for r in rows]

    async def get(self, guild_id: int, community_id: int) -> Community | None:
        row = await self._db.fetchone(
            "SELECT * FROM communities WHERE guild_id = ? AND id = ?", (guild_id, community_id)
        )
        return None if row is None else _community(row)

    async def by_name(self, guild_id: int, name: str) -> Community | None:
        row = await self._db.fetchone(
            "SELECT * FROM communities WHERE guild_id = ? AND name_key = ?",
            (guild_id, fold_name(name)),
        )
        return None if row is None else _community(row)

    async def membership(self, guild_id: int, user_id: int) -> Community | None:
        cached = self._members.get((guild_id, user_id))
        if cached is not None:
            return cached
        row = await self._db.fetchone(
            "SELECT c.* FROM community_members m JOIN communities c ON c.id = m.community_id "
            "WHERE m.guild_id = ? AND m.user_id = ?",
            (guild_id, user_id),
        )
        if row is None:
            return None
        self._members[(guild_id, user_id)] = found = _community(row)
        return found

    async def set_membership(self, guild_id: int, user_id: int, community: Community) -> None:
        await self._db.execute(
            "INSERT INTO community_members (guild_id, user_id, community_id) VALUES (?, ?, ?) "
            "ON CONFLICT(guild_id, user_id) DO UPDATE SET community_id = excluded.community_id, "
            "joined_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            (guild_id, user_id, community.id),
        )
        # joining comes before replying: the first reply then needs no lookup
        self._members[(guild_id, user_id)] = community

    async def clear_membership(
        self, guild_id: int, user_id: int, *, conn: TxConnection | None = None
    ) -> bool:
        """Remove the membership; with ``conn``, in the caller's transaction (the cache forgets
        it either way: a rolled-back removal is only a cache miss)."""
        self._members.pop((guild_id, user_id), None)
        async with joined(self._db, conn) as tx:
            cursor = await tx.execute(
                "DELETE FROM community_members WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )
            return cursor.rowcount > 0

    async def stats(self, guild_id: int) -> list[tuple[Community, int, int]]:
        """(community, members, published replies) for each community."""
        rows = await self._db.fetchall(
            "SELECT c.*, "
            "(SELECT COUNT(*) FROM community_members m WHERE m.community_id = c.id) AS members, "
            "(SELECT COUNT(*) FROM replies r WHERE r.community_id = c.id "
            "   AND r.status = 'published') AS replies "
            "FROM communities c WHERE c.guild_id = ? ORDER BY c.id",
            (guild_id,),
        )
        return [(_community(r), int(r["members"]), int(r["replies"])) for r in rows]

    async def open_request(self, guild_id: int, user_id: int, community_id: int) -> int | None:
        """A pending join request; None when one is already pending."""
        try:
            return await self._db.execute(
                "INSERT INTO join_requests (guild_id, user_id, community_id) VALUES (?, ?, ?)",
                (guild_id, user_id, community_id),
            )
        except sqlite3.IntegrityError:
            return None

    async def request(self, request_id: int) -> JoinRequest | None:
        row = await self._db.fetchone("SELECT * FROM join_requests WHERE id = ?", (request_id,))
        return None if row is None else _join_request(row)

    async def decide_request(self, request_id: int, approved: bool, moderator_id: int) -> bool:
        """Record the decision; False when someone decided already. Approval also sets the
        membership, in the same transaction."""
        decided = await run_unit(
            self._db, lambda: decide_request(request_id, approved, moderator_id)
        )
        self.forget_members()
        return decided

    def forget_members(self) -> None:
        """Forget the cached memberships (after a write elsewhere changed one, e.g. a join
        request decided in a moderation decision's transaction)."""
        self._members.clear()
