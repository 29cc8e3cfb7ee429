"""Which language Track Two speaks with a member: their choice, else their Discord app's
language when we have it, else the server's, else English (see :func:`bot.i18n.resolve`).

A choice is stored under a keyed hash of (server, member), never the member's id.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import UserFacingError
from bot.i18n import SUPPORTED, from_discord_locale, resolve
from bot.privacy import Pseudonymizer
from bot.storage.engine import TxConnection
from bot.storage.guilds import GuildStore
from bot.storage.languages import LanguageStore

PURPOSE = "language"


@dataclass(frozen=True, slots=True)
class Resolution:
    language: str
    source: str  # "preference", "discord", "server" or "default"


class LanguageService:
    def __init__(self, store: LanguageStore, guilds: GuildStore, pseudonyms: Pseudonymizer) -> None:
        self._store = store
        self._guilds = guilds
        self._pseudonyms = pseudonyms

    def _key(self, guild_id: int, user_id: int) -> str:
        return self._pseudonyms.member_key(PURPOSE, guild_id, user_id)

    async def preference(self, guild_id: int, user_id: int) -> str | None:
        stored = await self._store.get(self._key(guild_id, user_id))
        return stored if stored in SUPPORTED else None

    async def choose(self, guild_id: int, user_id: int, code: str) -> None:
        if code not in SUPPORTED:
            raise UserFacingError("language.unsupported")
        await self._store.set(self._key(guild_id, user_id), code)

    async def forget(
        self, guild_id: int, user_id: int, *, conn: TxConnection | None = None
    ) -> bool:
        """Erase the member's choice (``/mydata delete``, in its transaction ``conn``)."""
        return await self._store.delete(self._key(guild_id, user_id), conn=conn)

    async def explain(
        self, guild_id: int | None, user_id: int, discord_locale: str | None
    ) -> Resolution:
        preference = None if guild_id is None else await self.preference(guild_id, user_id)
        if preference is not None:
            return Resolution(preference, "preference")
        from_client = from_discord_locale(discord_locale)
        if from_client is not None:
            return Resolution(from_client, "discord")
        server = None if guild_id is None else (await self._guilds.get(guild_id)).language
        language = resolve(None, None, server)
        return Resolution(language, "server" if language == server else "default")

    async def of_server(self, guild_id: int) -> str:
        """The server's language (``/setup language``), else English."""
        return resolve(None, None, (await self._guilds.get(guild_id)).language)

    async def of_member(
        self, guild_id: int | None, user_id: int, discord_locale: str | None
    ) -> str:
        return (await self.explain(guild_id, user_id, discord_locale)).language
