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


async def test_no_two_custom_id_templates_can_match_one_custom_id(bot: TrackTwoBot) -> None:
    """Every format in cogs/_ids.py, and every DynamicItem template the extensions register:
    each sample custom_id is answered by exactly one format and at most one template (a form's
    id by none: its listener reads it), and every template answers some format's ids."""
    from cogs import _ids

    templates = dict(bot._connection._view_store._dynamic_items)
    assert len(templates) >= 9  # the dialogue, community, /mydata and moderation items
    claimed: set[re.Pattern[str]] = set()
    for id_format in _ids.ALL:
        for custom_id in id_format.samples():
            assert len(custom_id) <= _ids.CUSTOM_ID_MAX
            formats = [f.format for f in _ids.ALL if re.fullmatch(f.template, custom_id)]
            assert formats == [id_format.format], f"{custom_id!r} matches formats {formats}"
            items = [item.__name__ for p, item in templates.items() if p.fullmatch(custom_id)]
            assert len(items) <= 1, f"{custom_id!r} would run {items}"
            claimed |= {p for p in templates if p.fullmatch(custom_id)}
    unclaimed = [item.__name__ for p, item in templates.items() if p not in claimed]
    assert unclaimed == [], "templates written outside cogs/_ids.py"
    forms = (_ids.REPLY, _ids.MODDECIDE)
    for id_format in forms:
        for custom_id in id_format.samples():
            assert not any(p.fullmatch(custom_id) for p in templates)


def test_a_custom_id_is_built_and_read_back_by_its_format() -> None:
    from bot.dialogue.models import EndorsementKind
    from cogs import _ids

    custom_id = _ids.ENDORSE.build(kind=EndorsementKind.LEARNED, reply_id=7)
    assert custom_id == "t2:endorse:l:7"
    assert _ids.ENDORSE.parse(custom_id) == {"kind": EndorsementKind.LEARNED, "reply_id": 7}
    assert _ids.VERIFY.parse(_ids.VERIFY.build(approve=False, request_id=3)) == {
        "approve": False,
        "request_id": 3,
    }
    assert _ids.SHARE.parse("t2:share:1:extra") is None
    with pytest.raises(ValueError):
        _ids.MOD.build(action="approve", key="x:1")
