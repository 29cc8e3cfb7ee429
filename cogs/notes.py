"""``/note``: facilitators' private notes about a participant *label* ("Participant 3" of a
round), never a Discord id. Answers are ephemeral; the service resolves the label."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.dialogue.notes import NOTE_MAX, NotesAbout
from bot.i18n import translate
from cogs._common import Refused, answer, guild_id_of, language_of, services_of, truncate
from cogs._guard import may

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot

NOTES_SHOWN = 20  # an embed holds 25 fields and 6,000 characters


def notes_embed(found: NotesAbout, lang: str) -> discord.Embed:
    who = found.participant
    embed = discord.Embed(
        title=translate("notes.list.title", lang, number=who.number, round=who.round_number),
        colour=discord.Colour.dark_teal(),
    )
    if found.intake is not None:
        embed.add_field(
            name=translate("notes.list.intake", lang),
            value=truncate(found.intake.body, 1024),
            inline=False,
        )
    for note in found.notes[-NOTES_SHOWN:]:
        embed.add_field(
            name=translate(
                "notes.list.entry", lang, id=note.id, when=f"{note.created_at:%Y-%m-%d %H:%M}"
            ),
            value=truncate(note.body, 1024),
            inline=False,
        )
    if not found.notes:
        embed.description = translate("notes.list.empty", lang)
    while len(embed) > 6000 and len(embed.fields) > 1:
        embed.remove_field(1 if found.intake is not None else 0)
    return embed


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class NoteGroup(
    app_commands.Group, name="note", description="Facilitators' notes about a participant label"
):
    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if not await may(interaction, "facilitator"):
            raise Refused(
                "Only facilitators can do that here, so nothing was done.",
                key="isolation.not_facilitator",
            )
        return True

    @app_commands.command(
        name="add", description="Add a note about a participant (by label, e.g. Participant 3)"
    )
    @app_commands.describe(
        label="The participant's label, e.g. Participant 3",
        text="The note (only facilitators see it)",
        round="The round's number (default: the latest)",
    )
    async def add(
        self,
        interaction: discord.Interaction,
        label: app_commands.Range[str, 1, 100],
        text: app_commands.Range[str, 1, NOTE_MAX],
        round: app_commands.Range[int, 1] | None = None,
    ) -> None:
        note = await services_of(interaction).notes.add(
            guild_id_of(interaction), round, label, text
        )
        lang = await language_of(interaction)
        await answer(
            interaction,
            translate(
                "notes.added",
                lang,
                id=note.id,
                number=note.participant,
                round=note.round_number,
            ),
        )

    @app_commands.command(name="list", description="The notes about a participant")
    @app_commands.describe(
        label="The participant's label, e.g. Participant 3",
        round="The round's number (default: the latest)",
    )
    async def list(
        self,
        interaction: discord.Interaction,
        label: app_commands.Range[str, 1, 100],
        round: app_commands.Range[int, 1] | None = None,
    ) -> None:
        found = await services_of(interaction).notes.about(guild_id_of(interaction), round, label)
        await answer(interaction, embed=notes_embed(found, await language_of(interaction)))

    @app_commands.command(name="delete", description="Delete a note by its number")
    @app_commands.describe(id="The note's number")
    async def delete(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1]
    ) -> None:
        await services_of(interaction).notes.delete(guild_id_of(interaction), id)
        await answer(interaction, translate("notes.deleted", await language_of(interaction), id=id))

    @app_commands.command(name="intake", description="The notes members left at intake")
    async def intake(self, interaction: discord.Interaction) -> None:
        notes = await services_of(interaction).agreements.notes(guild_id_of(interaction))
        lang = await language_of(interaction)
        if not notes:
            await answer(interaction, translate("notes.intake.empty", lang))
            return
        embed = discord.Embed(
            title=truncate(translate("notes.intake.title", lang), 256),
            colour=discord.Colour.dark_teal(),
        )
        for note in notes:
            if len(embed) + len(note.body) + 40 > 6000:
                break
            embed.add_field(
                name=translate(
                    "notes.intake.entry", lang, when=f"{note.created_at:%Y-%m-%d %H:%M}"
                ),
                value=truncate(note.body, 1024),
                inline=False,
            )
        await answer(interaction, embed=embed)


async def setup(bot: TrackTwoBot) -> None:
    bot.tree.add_command(NoteGroup())
