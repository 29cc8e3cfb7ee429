"""The /civility cog loads and its commands are shaped as intended. Driving them (and the
moderator check) end to end belongs to tests/e2e, against the local Discord emulator."""

from __future__ import annotations

from pathlib import Path

import discord

from app.startup import TrackTwoBot
from bot.settings import Settings


async def test_cog_loads_with_nested_commands(tmp_path: Path) -> None:
    bot = TrackTwoBot(Settings(database_path=tmp_path / "db.sqlite3"), extensions=[])
    await bot.load_extension("cogs.civility")
    (group,) = [c for c in bot.tree.get_commands() if c.name == "civility"]
    payload = group.to_dict(bot.tree)
    names = {option["name"] for option in payload["options"]}
    assert names == {"rules", "set", "term", "allow", "test", "links"}
    term = next(o for o in payload["options"] if o["name"] == "term")
    assert {o["name"] for o in term["options"]} == {"add", "remove", "list"}
    assert int(payload["default_member_permissions"]) == (
        discord.Permissions(moderate_members=True).value
    )
    await bot.close()
