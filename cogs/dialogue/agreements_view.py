"""How the group agreements look, and the gate before a member's first reply or response: the
text, its "I accept" button and the optional note to the facilitators (the buttons' logic is in
cogs/intake.py; they carry what the member was about to do, so accepting goes straight on)."""

from __future__ import annotations

from typing import Any

import discord

from bot.dialogue.agreements import DEFAULT_KEY, Agreements
from bot.errors import UserFacingError
from bot.i18n import translate
from cogs import _ids
from cogs._common import answer, services_of, truncate


def agreements_text(agreements: Agreements, lang: str) -> str:
    return agreements.body or translate(DEFAULT_KEY, lang)


def agreements_embed(agreements: Agreements, lang: str) -> discord.Embed:
    embed = discord.Embed(
        title=translate("intake.agreements.title", lang),
        description=truncate(agreements_text(agreements, lang), 4096),
        colour=discord.Colour.teal(),
    )
    embed.set_footer(text=translate("intake.agreements.footer", lang, version=agreements.version))
    return embed


def agreements_view(
    agreements: Agreements, then: str, target_id: int, lang: str
) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    accept: discord.ui.Button[Any] = discord.ui.Button(
        label=translate("intake.agreements.accept", lang),
        style=discord.ButtonStyle.success,
        custom_id=_ids.AGREE.build(then=then, target_id=target_id, version=agreements.version),
    )
    note: discord.ui.Button[Any] = discord.ui.Button(
        label=translate("intake.agreements.note_button", lang),
        style=discord.ButtonStyle.secondary,
        custom_id=_ids.INTAKE_NOTE.build(then=then, target_id=target_id),
    )
    view.add_item(accept)
    view.add_item(note)
    return view


async def show_agreements(
    interaction: discord.Interaction[Any],
    agreements: Agreements,
    then: str,
    target_id: int,
    lang: str,
    intro: str,
) -> None:
    await answer(
        interaction,
        intro,
        embed=agreements_embed(agreements, lang),
        view=agreements_view(agreements, then, target_id, lang),
    )


async def agreements_first(
    interaction: discord.Interaction[Any], guild_id: int, then: str, target_id: int, lang: str
) -> bool:
    """Before a form opens: True (the agreements shown, privately) when the member has not
    accepted this server's current agreements; False to go on."""
    pending = await services_of(interaction).agreements.pending(guild_id, interaction.user.id)
    if pending is None:
        return False
    intro = "intake.agreements.renewed" if pending.renewed else "intake.agreements.intro"
    await show_agreements(interaction, pending, then, target_id, lang, translate(intro, lang))
    return True


async def require_accepted(interaction: discord.Interaction[Any], guild_id: int) -> None:
    """For a submitted new reply or response: refuse it (the caller gives the words back) when
    the member has agreements still to accept (a forged form, or one opened before the
    agreements changed)."""
    if await services_of(interaction).agreements.pending(guild_id, interaction.user.id):
        raise UserFacingError(
            "Please accept the group agreements first; nothing was saved.",
            key="intake.agreements.needed",
        )
