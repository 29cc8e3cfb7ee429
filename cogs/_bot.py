"""What the cogs need of the bot, as a Protocol: the composition root (``app/``) builds the
real ``commands.Bot`` subclass, and no cog imports it. Only the members the cogs use are
listed; add one here when a cog starts using it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import discord
    from discord import app_commands
    from discord.ext import commands

    from bot.services import Services
    from bot.settings import Settings


class TrackTwoBot(Protocol):
    services: Services
    settings: Settings

    @property
    def tree(self) -> app_commands.CommandTree[Any]: ...

    @property
    def http(self) -> Any: ...

    @property
    def latency(self) -> float: ...

    def is_ready(self) -> bool: ...

    def is_closed(self) -> bool: ...

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None: ...

    def get_channel(self, id: int, /) -> Any: ...

    def get_guild(self, id: int, /) -> discord.Guild | None: ...

    async def fetch_channel(self, channel_id: int, /) -> Any: ...

    def get_user(self, id: int, /) -> discord.User | None: ...

    async def fetch_user(self, user_id: int, /) -> discord.User: ...

    def get_cog(self, name: str, /) -> commands.Cog | None: ...

    async def add_cog(self, cog: commands.Cog, /, **kwargs: Any) -> None: ...

    def add_dynamic_items(self, *items: type[discord.ui.DynamicItem[Any]]) -> None: ...
