"""How the group agreements look: the text and its "I accept" button (the button's logic is in
cogs/dialogue/agreements.py)."""

from __future__ import annotations

from typing import Any

import discord

from bot.dialogue.agreements import Agreements
from bot.i18n import translate
from cogs import _ids
from cogs._common import truncate


def agreements_text(agreements: Agreements, lang: str) -> str:
    return agreements.body or translate("agree.default", lang)


def agreements_embed(agreements: Agreements, lang: str) -> discord.Embed:
    embed = discord.Embed(
        title=translate("agree.title", lang),
        description=truncate(agreements_text(agreements, lang), 4096),
        colour=discord.Colour.teal(),
    )
    embed.set_footer(text=translate("agree.footer", lang, version=agreements.version))
    return embed


def agreements_view(agreements: Agreements, round_id: int, lang: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    button: discord.ui.Button[Any] = discord.ui.Button(
        label=translate("agree.accept", lang),
        style=discord.ButtonStyle.success,
        custom_id=_ids.AGREE.build(round_id=round_id, version=agreements.version),
    )
    view.add_item(button)
    return view
