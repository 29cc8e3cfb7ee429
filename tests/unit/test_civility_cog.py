"""The /civility cog loads, its commands are shaped as intended, and the moderator check holds.
Driving the commands end to end belongs to tests/e2e (the local Discord emulator)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import discord

from bot.civility.service import CivilityService
from bot.settings import Settings
from bot.startup import TrackTwoBot
from bot.storage import Database, migrate
from cogs.civility import is_moderator


async def test_cog_loads_with_nested_commands(tmp_path: Path) -> None:
    bot = TrackTwoBot(Settings(database_path=tmp_path / "db.sqlite3"), extensions=[])
    await bot.load_extension("cogs.civility")
    (group,) = [c for c in bot.tree.get_commands() if c.name == "civility"]
    payload = group.to_dict(bot.tree)
    names = {option["name"] for option in payload["options"]}
    assert names == {"rules", "set", "term", "allow", "test"}
    term = next(o for o in payload["options"] if o["name"] == "term")
    assert {o["name"] for o in term["options"]} == {"add", "remove", "list"}
    assert int(payload["default_member_permissions"]) == (
        discord.Permissions(moderate_members=True).value
    )
    await bot.close()


class FakeMember(discord.Member):
    def __init__(self, moderate: bool, role_ids: list[int]) -> None:  # no super(): a stand-in
        self._moderate = moderate
        self._role_ids = role_ids

    @property
    def guild_permissions(self) -> discord.Permissions:  # type: ignore[override]
        return discord.Permissions(moderate_members=self._moderate)

    @property
    def roles(self) -> list[Any]:  # type: ignore[override]
        return [SimpleNamespace(id=i) for i in self._role_ids]


async def test_moderator_check(tmp_path: Path) -> None:
    db = Database(tmp_path / "db.sqlite3")
    await db.open()
    await migrate(db)
    service = CivilityService(db)
    guild = SimpleNamespace(id=5)

    def interaction(member: Any) -> Any:
        return SimpleNamespace(user=member, guild=guild)

    assert await is_moderator(interaction(FakeMember(True, [])), service)
    assert not await is_moderator(interaction(FakeMember(False, [9])), service)
    await db.execute("INSERT INTO guild_settings (guild_id, moderator_role_id) VALUES (5, 9)")
    assert await is_moderator(interaction(FakeMember(False, [9])), service)
    assert not await is_moderator(interaction(FakeMember(False, [8])), service)
    assert not await is_moderator(SimpleNamespace(user=object(), guild=guild), service)
    await db.close()
