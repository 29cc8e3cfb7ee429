"""Circles: members volunteer, facilitators form small mixed circles, each a private thread.

The service decides and records; the cog opens the private threads, adds the members and posts
in them, then tells the service what Discord created (:meth:`CircleService.attach`). Membership
stays as formed until a member leaves or facilitators dissolve the circles (then they may form
new ones). Replies and responses written in a circle carry its id: they take the same pipeline
as every reply and are published in the circle's thread only (see ``bot/storage/replies.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.circles.formation import Volunteer, form
from bot.dialogue.communities import CommunityService
from bot.dialogue.models import Community, Round
from bot.errors import Conflict, NotAllowed, NotFound
from bot.storage.circles import CircleStore
from bot.storage.engine import TxConnection


@dataclass(frozen=True, slots=True)
class CircleMember:
    user_id: int
    community_id: int | None
    role: str  # "member" or "facilitator"


@dataclass(frozen=True, slots=True)
class Circle:
    id: int
    guild_id: int
    number: int
    thread_id: int | None
    dissolved_at: datetime | None
    members: tuple[CircleMember, ...] = field(default=())

    @property
    def participants(self) -> tuple[CircleMember, ...]:
        return tuple(m for m in self.members if m.role == "member")

    @property
    def facilitators(self) -> tuple[CircleMember, ...]:
        return tuple(m for m in self.members if m.role == "facilitator")


@dataclass(frozen=True, slots=True)
class Volunteering:
    role: str
    community: Community | None
    volunteers: int  # everyone volunteering in the server now


@dataclass(frozen=True, slots=True)
class Left:
    volunteered: bool  # was on the volunteer list
    threads: tuple[int, ...]  # active circles' threads to take the member out of


@dataclass(frozen=True, slots=True)
class Forgotten:
    threads: tuple[int, ...]
    memberships: int


def _circle(row: Mapping[str, Any], members: tuple[CircleMember, ...] = ()) -> Circle:
    return Circle(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        number=int(row["number"]),
        thread_id=None if row["thread_id"] is None else int(row["thread_id"]),
        dissolved_at=row["dissolved_at"],
        members=members,
    )


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


class CircleService:
    def __init__(self, store: CircleStore, communities: CommunityService) -> None:
        self._store = store
        self._communities = communities

    async def join(
        self, guild_id: int, user_id: int, role_ids: frozenset[int], *, facilitator: bool
    ) -> Volunteering:
        """Volunteer (as a participant, who needs a community; or, for facilitators, as a
        co-facilitator, whose community is used to pair facilitators across the divide)."""
        community = await self._communities.of_member(guild_id, user_id, role_ids)
        if community is None and not facilitator:
            raise NotAllowed(
                "Circles mix communities: join a community first (/community join).",
                key="circles.join_first",
            )
        role = "facilitator" if facilitator else "member"
        await self._store.volunteer(
            guild_id, user_id, None if community is None else community.id, role
        )
        return Volunteering(role, community, len(await self._store.volunteers(guild_id)))

    async def leave(self, guild_id: int, user_id: int) -> Left:
        """Off the volunteer list and out of the active circles (not the past ones)."""
        volunteered = await self._store.unvolunteer(guild_id, user_id)
        threads = []
        for row in await self._store.circles_of(guild_id, user_id, active_only=True):
            await self._store.remove_member(int(row["id"]), user_id)
            if row["thread_id"] is not None:
                threads.append(int(row["thread_id"]))
        if not volunteered and not threads:
            raise Conflict("You are not in a circle.", key="circles.not_in")
        return Left(volunteered, tuple(threads))

    async def plan(self, guild_id: int, formed_by: int, size: int) -> list[Circle]:
        """Form circles from the volunteers and record them (threads come next)."""
        if await self._store.active(guild_id):
            raise Conflict(
                "Circles are already formed; dissolve them first (/circle dissolve).",
                key="circles.already_formed",
            )
        rows = await self._store.volunteers(guild_id)
        members = [
            Volunteer(int(r["user_id"]), r["community_id"]) for r in rows if r["role"] == "member"
        ]
        facilitators = [
            Volunteer(int(r["user_id"]), r["community_id"])
            for r in rows
            if r["role"] == "facilitator"
        ]
        if not facilitators:  # whoever forms them facilitates
            facilitators = [Volunteer(formed_by, None)]
        plans = form(members, facilitators, size, salt=guild_id)
        layouts = []
        for plan in plans:
            layout = [(v.user_id, v.community_id, "member") for v in plan.members]
            placed = {v.user_id for v in plan.members}
            layout += [
                (f.user_id, f.community_id, "facilitator")
                for f in plan.facilitators
                if f.user_id not in placed
            ]
            layouts.append(layout)
        ids = await self._store.create(guild_id, formed_by, layouts)
        return [await self.get(circle_id) for circle_id in ids]

    async def attach(self, circle: Circle, thread_id: int) -> None:
        await self._store.attach_thread(circle.id, thread_id)

    async def abandon(self, circles: list[Circle]) -> None:
        await self._store.discard([c.id for c in circles])

    async def get(self, circle_id: int) -> Circle:
        row = await self._store.get(circle_id)
        if row is None:
            raise NotFound("That circle no longer exists.", key="circles.gone")
        members = tuple(
            CircleMember(int(m["user_id"]), m["community_id"], str(m["role"]))
            for m in await self._store.members(circle_id)
        )
        return _circle(row, members)

    async def find(self, circle_id: int) -> Circle | None:
        row = await self._store.get(circle_id)
        return None if row is None else _circle(row)

    async def active(self, guild_id: int) -> list[Circle]:
        return [await self.get(int(r["id"])) for r in await self._store.active(guild_id)]

    async def volunteers(self, guild_id: int) -> list[CircleMember]:
        return [
            CircleMember(int(r["user_id"]), r["community_id"], str(r["role"]))
            for r in await self._store.volunteers(guild_id)
        ]

    async def dissolve(self, guild_id: int) -> list[Circle]:
        rows = await self._store.dissolve(guild_id)
        if not rows:
            raise Conflict("There are no circles to dissolve.", key="circles.none")
        return [_circle(r) for r in rows]

    async def postable(self, guild_id: int, round_: Round) -> list[Circle]:
        """The active circles, to post ``round_`` in (refused when there are none)."""
        if round_.guild_id != guild_id:
            raise NotFound("conversation.error.no_such_round")
        if not round_.is_open:
            raise Conflict("That round is closed.", key="circles.round_closed")
        circles = [c for c in await self.active(guild_id) if c.thread_id is not None]
        if not circles:
            raise Conflict("There are no circles yet (/circle form).", key="circles.none")
        return circles

    async def posted(self, circle: Circle, round_id: int, message_id: int) -> None:
        await self._store.record_post(circle.id, round_id, message_id)

    async def ensure_member(
        self, circle_id: int, guild_id: int, round_id: int, user_id: int
    ) -> None:
        """The gate of replying in a circle: an active circle of this server, the round posted
        in it, and the member (or co-facilitator) one of its own."""
        row = await self._store.get(circle_id)
        if row is None or int(row["guild_id"]) != guild_id:
            raise NotFound("That circle no longer exists.", key="circles.gone")
        if row["dissolved_at"] is not None:
            raise Conflict("This circle was dissolved.", key="circles.dissolved")
        if not await self._store.is_member(circle_id, user_id):
            raise NotAllowed(
                "Only this circle's members can reply here.", key="circles.members_only"
            )
        if not await self._store.posted(circle_id, round_id):
            raise NotFound("That round was not posted in this circle.", key="circles.gone")

    # /mydata and retention ----------------------------------------------------------------

    async def export(self, guild_id: int, user_id: int) -> dict[str, Any]:
        volunteering = await self._store.volunteering(guild_id, user_id)
        return {
            "volunteered": None
            if volunteering is None
            else {"as": volunteering["role"], "since": _iso(volunteering["joined_at"])},
            "circles": [
                {
                    "circle": int(r["number"]),
                    "as": r["member_role"],
                    "formed_at": _iso(r["formed_at"]),
                    "dissolved_at": _iso(r["dissolved_at"]),
                    "thread_id": None if r["thread_id"] is None else str(r["thread_id"]),
                }
                for r in await self._store.circles_of(guild_id, user_id, active_only=False)
            ],
        }

    async def forget(
        self, guild_id: int, user_id: int, *, conn: TxConnection | None = None
    ) -> Forgotten:
        """In ``conn``: the same transaction as the rest of /mydata delete."""
        threads, removed = await self._store.forget(guild_id, user_id, conn=conn)
        return Forgotten(tuple(threads), removed)

    async def purge(self, guild_id: int, days: int) -> int:
        return await self._store.purge_dissolved(guild_id, days)
