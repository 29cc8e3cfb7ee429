"""Every extension loads, and what it registers is something Discord would accept."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands

from app.startup import TrackTwoBot, discover_extensions
from bot.settings import Settings

NAME = re.compile(r"^[-_\w]{1,32}$")


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[TrackTwoBot]:
    instance = TrackTwoBot(Settings(database_path=tmp_path / "db.sqlite3"))
    for name in discover_extensions():
        await instance.load_extension(name)
    yield instance
    for name in list(instance.extensions):
        await instance.unload_extension(name)
    await instance.close()


def walk(payload: dict[str, Any], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = [(f"{path} {payload['name']}".strip(), payload)]
    for option in payload.get("options", []):
        if option["type"] in (1, 2):
            found.extend(walk(option, f"{path} {payload['name']}".strip()))
    return found


async def test_all_extensions_load(bot: TrackTwoBot) -> None:
    assert set(bot.extensions) == set(discover_extensions())
    assert {"cogs.meta", "cogs.setup", "cogs.community", "cogs.dialogue"} <= set(bot.extensions)


async def test_command_definitions_are_valid_and_unique(bot: TrackTwoBot) -> None:
    payloads = await bot.command_payload(None)
    top_names = [(p["name"], p.get("type", 1)) for p in payloads]
    assert len(top_names) == len(set(top_names)), "two commands share a name"
    assert len(payloads) <= 100
    for payload in payloads:
        for path, node in walk(payload):
            if node.get("type", 1) in (1, 2) or (node is payload and payload.get("type", 1) == 1):
                assert NAME.match(node["name"]) and node["name"] == node["name"].lower(), path
                assert 1 <= len(node["description"]) <= 100, path
            options = node.get("options", [])
            assert len(options) <= 25, path
            required = [o.get("required", False) for o in options if o["type"] > 2]
            assert required == sorted(required, reverse=True), f"{path}: required options first"


async def test_expected_commands_exist(bot: TrackTwoBot) -> None:
    names = {
        cmd.qualified_name
        for cmd in bot.tree.walk_commands()
        if isinstance(cmd, app_commands.Command)
    }
    for expected in (
        "about",
        "setup show",
        "setup community add",
        "community join",
        "prompt post",
        "prompt schedule set",
        "round close",
        "reply write",
        "reply edit",
        "reply withdraw",
    ):
        assert expected in names


async def test_moderation_commands_and_components_are_registered(bot: TrackTwoBot) -> None:
    from cogs.dialogue.render import report_button
    from cogs.moderation._views import QueueButton, ReportButton, TimeoutSelect

    names = {
        cmd.qualified_name
        for cmd in bot.tree.walk_commands()
        if isinstance(cmd, app_commands.Command)
    }
    for expected in (
        "mod queue",
        "mod case",
        "mod history",
        "mod reason",
        "mod warn",
        "mod timeout",
        "mod untimeout",
        "mod reveal",
        "mod settings",
        "appeal",
    ):
        assert expected in names
    menus = [c.name for c in bot.tree.get_commands(type=discord.AppCommandType.message)]
    assert "Report to moderators" in menus
    dynamic = set(bot._connection._view_store._dynamic_items.values())
    assert {ReportButton, QueueButton, TimeoutSelect} <= dynamic
    # the dialogue's Report button is handled by the moderation extension
    custom_id = report_button(42).custom_id
    assert custom_id is not None
    assert ReportButton.__discord_ui_compiled_template__.fullmatch(custom_id)


def descriptions(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Every node of a command payload that carries a description (commands, groups, options)."""
    found = [payload] if "description" in payload else []
    for option in payload.get("options", []):
        found.extend(descriptions(option))
    return found


async def test_russian_descriptions_are_synced_and_no_translation_is_stale(
    bot: TrackTwoBot,
) -> None:
    from bot.i18n import CATALOGS

    payloads = await bot.command_payload(None)
    nodes = [node for payload in payloads for node in descriptions(payload)]
    in_code = {node["description"] for node in nodes}
    stale = set(CATALOGS["ru"].commands) - in_code
    assert stale == set(), "translations of descriptions no command has any more"
    for node in nodes:
        if node["description"] not in ("…", ""):
            localized = node.get("description_localizations", {})
            assert "ru" in localized, f"no Russian for {node['description']!r}"
            assert len(localized["ru"]) <= 100
        assert set(node.get("description_localizations", {})) <= {"ru"}
    names = [node for node in nodes if node.get("name_localizations")]
    assert names == [], "command and option names stay English"


async def test_the_sync_hash_changes_with_a_translation(
    bot: TrackTwoBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.i18n import CATALOGS

    before = await bot.command_payload(None)
    monkeypatch.setitem(CATALOGS["ru"].commands, "Show the current setup", "Текущие настройки")
    assert await bot.command_payload(None) != before
