"""The safety commands are registered where members look for them, and the delete
confirmation's buttons survive a restart (their custom_id carries all they need)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from discord import app_commands

from app.startup import TrackTwoBot, discover_extensions
from bot.settings import Settings
from cogs.safety.mydata import DeleteButton, confirmation_view, export_file


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[TrackTwoBot]:
    instance = TrackTwoBot(Settings(database_path=tmp_path / "db.sqlite3"))
    for name in discover_extensions():
        await instance.load_extension(name)
    yield instance
    for name in list(instance.extensions):
        await instance.unload_extension(name)
    await instance.close()


async def test_safety_commands_exist(bot: TrackTwoBot) -> None:
    names = {
        cmd.qualified_name
        for cmd in bot.tree.walk_commands()
        if isinstance(cmd, app_commands.Command)
    }
    for expected in (
        "mydata export",
        "mydata delete",
        "setup anonymity",
        "setup retention",
        "round digest",
    ):
        assert expected in names


def test_confirmation_buttons_match_their_template() -> None:
    issued = int(time.time())
    view = confirmation_view(issued)
    custom_ids = [getattr(item, "custom_id", None) for item in view.children]
    assert custom_ids == [f"t2:mydata:confirm:{issued}", f"t2:mydata:cancel:{issued}"]
    template = DeleteButton.__discord_ui_compiled_template__
    assert all(re.fullmatch(template, c or "") for c in custom_ids)


def test_export_file_is_readable_json() -> None:
    file = export_file({"about": ["x"], "replies": [{"text": "Ünïcode ✓"}]})
    assert file.filename == "tracktwo-my-data.json"
    assert json.loads(file.fp.read().decode("utf-8"))["replies"][0]["text"] == "Ünïcode ✓"


def test_published_embed_names_no_one_under_pseudonyms() -> None:
    from bot.dialogue.models import Anonymity, EndorsementTally
    from bot.safety import author_label
    from cogs.dialogue.render import reply_embed
    from tests.unit.test_render import longest_reply

    reply = longest_reply(community_label="Armenian", participant_number=3)
    embed = reply_embed(reply, EndorsementTally(communities=("Armenian",)))
    assert embed.author.name == "Participant 3 · Armenian"
    assert embed.author.name == author_label(reply, Anonymity.PSEUDONYMS)
