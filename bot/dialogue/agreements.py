"""Group agreements: before a member's first reply in a server they read its agreements and
accept them; when the server changes them (``/setup agreements``), everyone is asked again.

Version 0 is the default text of the catalogs (``agree.default``, in the member's language);
a server's own text is version 1, 2, …. An acceptance is stored under a keyed hash of (server,
member) with the version accepted, never the member's id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.errors import Conflict, InvalidInput
from bot.privacy import Pseudonymizer
from bot.storage.agreements import AgreementStore

PURPOSE = "agreements"
BODY_MIN = 20
BODY_MAX = 3000
DEFAULT_VERSION = 0


@dataclass(frozen=True, slots=True)
class Agreements:
    version: int
    body: str | None  # None: the default text of the catalogs (``agree.default``)


class AgreementService:
    def __init__(self, store: AgreementStore, pseudonyms: Pseudonymizer) -> None:
        self._store = store
        self._pseudonyms = pseudonyms

    def _key(self, guild_id: int, user_id: int) -> str:
        return self._pseudonyms.member_key(PURPOSE, guild_id, user_id)

    async def current(self, guild_id: int) -> Agreements:
        row = await self._store.current(guild_id)
        if row is None:
            return Agreements(DEFAULT_VERSION, None)
        return Agreements(int(row["version"]), str(row["body"]))

    async def pending(self, guild_id: int, user_id: int) -> Agreements | None:
        """The agreements the member has still to accept (None: accepted, this version)."""
        current = await self.current(guild_id)
        accepted = await self._store.acceptance(self._key(guild_id, user_id))
        if accepted is not None and int(accepted["version"]) == current.version:
            return None
        return current

    async def accept(self, guild_id: int, user_id: int, version: int) -> None:
        """Accept ``version``; refused when the agreements changed since they were shown."""
        if (await self.current(guild_id)).version != version:
            raise Conflict(
                "The agreements changed since you read them; please read them again.",
                key="agree.changed",
            )
        await self._store.accept(self._key(guild_id, user_id), version)

    async def replace(self, guild_id: int, body: str) -> Agreements:
        body = "\n".join(line.rstrip() for line in body.strip().splitlines())
        if not BODY_MIN <= len(body) <= BODY_MAX:
            raise InvalidInput(
                f"The agreements need {BODY_MIN} to {BODY_MAX} characters.",
                key="agree.bad_length",
                min=BODY_MIN,
                max=BODY_MAX,
            )
        return Agreements(await self._store.replace(guild_id, body), body)

    async def export(self, guild_id: int, user_id: int) -> dict[str, Any] | None:
        """The member's acceptance for ``/mydata export``."""
        row = await self._store.acceptance(self._key(guild_id, user_id))
        if row is None:
            return None
        return {"version": int(row["version"]), "accepted_at": str(row["accepted_at"])}

    async def forget(self, guild_id: int, user_id: int) -> bool:
        """Erase the member's acceptance (``/mydata delete``)."""
        return await self._store.delete(self._key(guild_id, user_id))
