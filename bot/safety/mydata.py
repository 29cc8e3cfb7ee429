"""``/mydata``: everything stored about a member, and erasing it.

A member's replies and endorsements carry no id; they are found by recomputing the member's
per-round keys for every round of the server, which only a holder of the secret can do.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from bot.effects import Effect, OutboxChanged, RemoveRole
from bot.errors import UserFacingError
from bot.privacy import Pseudonymizer
from bot.safety.records import ModerationRecords, NoModerationRecords
from bot.storage.communities import CommunityStore
from bot.storage.engine import TxConnection
from bot.storage.rounds import RoundStore
from bot.storage.safety import SafetyStore

log = logging.getLogger(__name__)

EXPORT_EVERY = timedelta(minutes=10)
DELETE_EVERY = timedelta(hours=1)
REQUESTS_KEY = "privacy-requests"

ABOUT = (
    "This is everything Track Two stores about you in this server, as of generated_at.",
    "Your replies and endorsements are stored without your Discord id, under keys that change "
    "every round; the bot found them by recomputing your keys with its secret.",
    "The author of a reply is also stored encrypted (not shown here), so that moderators can "
    "tell you about a decision on it.",
    "Moderators' identities are left out of join requests and cases.",
    "/mydata delete erases your replies (their messages are deleted from the threads), your "
    "endorsements, your community membership, your chosen language and your join requests; "
    "moderation cases are "
    "kept, with you replaced by a tombstone.",
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)


def _times_as_text(values: dict[str, Any]) -> dict[str, Any]:
    """A store's record for the JSON document: its datetimes as ISO text."""
    return {k: iso(v) if isinstance(v, datetime) else v for k, v in values.items()}


class TooSoon(UserFacingError):
    def __init__(self, message: str, retry_after: float, *, count: int) -> None:
        super().__init__(message, count=count)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class DeletionResult:
    replies_deleted: int
    replies_unpublished: int
    endorsements: int
    join_requests: int
    left_community: bool
    community_role_id: int | None
    cases_tombstoned: int
    message_ids: tuple[int, ...]  # unpublication is queued in the outbox; for information
    effects: tuple[Effect, ...] = ()  # the community role goes; the outbox has work

    @property
    def summary(self) -> str:
        replies = self.replies_deleted + self.replies_unpublished
        parts = [
            f"{replies} repl{'y' if replies == 1 else 'ies'}",
            f"{self.endorsements} endorsement{'' if self.endorsements == 1 else 's'}",
        ]
        if self.left_community:
            parts.append("your community membership")
        if self.join_requests:
            parts.append(
                f"{self.join_requests} join request{'' if self.join_requests == 1 else 's'}"
            )
        return ", ".join(parts)


class LanguageChoices(Protocol):
    """The member's chosen language (:class:`bot.languages.LanguageService`)."""

    async def preference(self, guild_id: int, user_id: int) -> str | None: ...

    async def forget(
        self, guild_id: int, user_id: int, *, conn: TxConnection | None = None
    ) -> bool: ...


class MyDataService:
    def __init__(
        self,
        store: SafetyStore,
        rounds: RoundStore,
        communities: CommunityStore,
        pseudonyms: Pseudonymizer,
        moderation: ModerationRecords | None = None,
        languages: LanguageChoices | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._rounds = rounds
        self._communities = communities
        self._pseudonyms = pseudonyms
        self.moderation: ModerationRecords = moderation or NoModerationRecords()
        self.languages = languages
        self.clock = clock

    async def _keys(self, guild_id: int, user_id: int) -> tuple[list[str], list[str]]:
        round_ids = await self._rounds.all_ids(guild_id)
        author = [self._pseudonyms.author_key(guild_id, r, user_id) for r in round_ids]
        voter = [self._pseudonyms.voter_key(guild_id, r, user_id) for r in round_ids]
        return author, voter

    def _request_key(self, guild_id: int, user_id: int) -> str:
        return self._pseudonyms.member_key(REQUESTS_KEY, guild_id, user_id)

    async def check_allowed(self, guild_id: int, user_id: int, action: str) -> None:
        """Raise :class:`TooSoon` (with the time to wait) if the member used ``action``
        ('export' or 'delete') too recently."""
        every = EXPORT_EVERY if action == "export" else DELETE_EVERY
        last = await self._store.last_request(self._request_key(guild_id, user_id), action)
        if last is None:
            return
        left = (last + every - self.clock()).total_seconds()
        if left > 0:
            minutes = max(1, math.ceil(left / 60))
            if action == "export":
                raise TooSoon("mydata.too_soon.export", left, count=minutes)
            raise TooSoon("mydata.too_soon.delete", left, count=minutes)

    async def _record(
        self, guild_id: int, user_id: int, action: str, *, conn: TxConnection | None = None
    ) -> None:
        await self._store.record_request(
            self._request_key(guild_id, user_id), action, self.clock(), conn=conn
        )

    # export ----------------------------------------------------------------------------

    async def export(self, guild_id: int, user_id: int) -> dict[str, Any]:
        """Everything stored about the member, JSON-serializable. Rate limited."""
        await self.check_allowed(guild_id, user_id, "export")
        author_keys, voter_keys = await self._keys(guild_id, user_id)
        membership = await self._store.membership(guild_id, user_id)
        replies = await self._store.replies_by_keys(author_keys)
        edits: dict[int, list[dict[str, Any]]] = {}
        for row in await self._store.edits_of([int(r["id"]) for r in replies]):
            edits.setdefault(int(row["reply_id"]), []).append(
                {"edited_at": iso(row["edited_at"]), "before": json.loads(row["previous"])}
            )
        request_key = self._request_key(guild_id, user_id)
        document: dict[str, Any] = {
            "about": list(ABOUT),
            "generated_at": iso(self.clock()),
            "server_id": str(guild_id),
            "member_id": str(user_id),
            "community": None
            if membership is None
            else {"name": membership["community"], "joined_at": iso(membership["joined_at"])},
            "join_requests": [
                _times_as_text(r) for r in await self._store.join_requests(guild_id, user_id)
            ],
            "replies": [_reply_record(r, edits.get(int(r["id"]), [])) for r in replies],
            "endorsements_given": [
                {
                    "round": r["round_number"],
                    "reply_id": r["reply_id"],
                    "kind": r["kind"],
                    "at": iso(r["created_at"]),
                }
                for r in await self._store.endorsements_by_keys(voter_keys)
            ],
            "language_chosen": None
            if self.languages is None
            else await self.languages.preference(guild_id, user_id),
            "reports_filed": await self.moderation.reports_by(guild_id, user_id),
            "cases_about_you": await self.moderation.cases_about(guild_id, user_id),
            "data_requests": {
                action: _iso_or_none(await self._store.last_request(request_key, action))
                for action in ("export", "delete")
            },
        }
        await self._record(guild_id, user_id, "export")
        log.info(
            "exported a member's data in guild %s (%d replies, %d endorsements)",
            guild_id,
            len(document["replies"]),
            len(document["endorsements_given"]),
        )
        return document

    # deletion --------------------------------------------------------------------------

    async def delete(self, guild_id: int, user_id: int) -> DeletionResult:
        """Erase the member's replies, endorsements, membership and join requests; moderation
        cases are kept with the member tombstoned. Published replies are unpublished through
        the outbox. Rate limited. One transaction: every write (replies, responses,
        endorsements, bridging skips, join requests, membership, language, cases and notices,
        the request record) commits together or not at all."""
        await self.check_allowed(guild_id, user_id, "delete")
        author_keys, voter_keys = await self._keys(guild_id, user_id)
        community = await self._communities.membership(guild_id, user_id)
        async with self._store.transaction() as conn:
            erasure = await self._store.erase_member(
                guild_id, user_id, author_keys, voter_keys, conn=conn
            )
            left = await self._communities.clear_membership(guild_id, user_id, conn=conn)
            cases = await self.moderation.tombstone(guild_id, user_id, conn=conn)
            if self.languages is not None:
                await self.languages.forget(guild_id, user_id, conn=conn)
            await self._record(guild_id, user_id, "delete", conn=conn)
        log.info(
            "erased a member's data in guild %s: %d replies deleted, %d unpublished, "
            "%d endorsements, %d join requests, %d cases tombstoned",
            guild_id,
            erasure.replies_deleted,
            erasure.replies_unpublished,
            erasure.endorsements_given,
            erasure.join_requests,
            cases,
        )
        effects: list[Effect] = []
        if community is not None:
            effects.append(
                RemoveRole(user_id, community.role_id, "Track Two: the member deleted their data")
            )
        effects.append(OutboxChanged())
        return DeletionResult(
            effects=tuple(effects),
            replies_deleted=erasure.replies_deleted,
            replies_unpublished=erasure.replies_unpublished,
            endorsements=erasure.endorsements_given,
            join_requests=erasure.join_requests,
            left_community=left,
            community_role_id=None if community is None else community.role_id,
            cases_tombstoned=cases,
            message_ids=erasure.message_ids,
        )


def _reply_record(row: Any, edits: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "reply_id": row["id"],
        "round": row["round_number"],
        "status": row["status"],
        "participant_number": row["participant"],
        "community": row["community_label"],
        "display_name_published": row["author_name"],
        "quote_consent": bool(row["quote_consent"]),
        "text": {
            "brings_up": row["brings_up"],
            "experience": row["experience"],
            "unsure": row["unsure"],
            "question": row["question"],
        },
        "civility_check": {
            "action": row["civility_action"],
            "verdicts": json.loads(row["civility_detail"] or "[]"),
        },
        "on_discord": bool(row["on_discord"]),
        "responding_to_reply": row["parent_reply_id"],
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "edit_history": edits,
    }
