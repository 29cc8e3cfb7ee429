"""Installs the one error handler for slash commands and context menus: member-caused errors
get their one friendly sentence, anything else is logged with context (see cogs._common)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs._common import on_command_error

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot


async def setup(bot: TrackTwoBot) -> None:
    bot.tree.error(on_command_error)


async def teardown(bot: TrackTwoBot) -> None:
    del bot.tree.on_error  # back to the library's default
