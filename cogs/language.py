"""``/language``: which language Track Two speaks with a member. Also installs the translator
that localizes the slash commands' descriptions (see :mod:`cogs._i18n`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.i18n import language, translate
from cogs._common import answer, guild_id_of, services_of
from cogs._i18n import LANGUAGE_CHOICES, CatalogTranslator, language_chosen

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot


@app_commands.guild_only()
class LanguageGroup(
    app_commands.Group, name="language", description="Which language Track Two speaks with you"
):
    @app_commands.command(
        name="set", description="Choose the language Track Two speaks with you here"
    )
    @app_commands.describe(language="Your language")
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def set_(self, interaction: discord.Interaction, language: str) -> None:
        services = services_of(interaction)
        await services.languages.choose(guild_id_of(interaction), interaction.user.id, language)
        language_chosen(interaction.id, language)
        await answer(interaction, translate("language.set", language, language=_name(language)))

    @app_commands.command(
        name="show", description="Show which language Track Two speaks with you, and why"
    )
    async def show(self, interaction: discord.Interaction) -> None:
        resolution = await services_of(interaction).languages.explain(
            guild_id_of(interaction), interaction.user.id, interaction.locale.value
        )
        key = {
            "preference": "language.show.preference",
            "discord": "language.show.discord",
        }.get(resolution.source, "language.show.server")
        lang = resolution.language
        await answer(interaction, translate(key, lang, language=_name(lang)))


def _name(code: str) -> str:
    return language(code).name


class Language(commands.Cog):
    def __init__(self, bot: TrackTwoBot) -> None:
        self.bot = bot


async def setup(bot: TrackTwoBot) -> None:
    await bot.tree.set_translator(CatalogTranslator())
    bot.tree.add_command(LanguageGroup())
    await bot.add_cog(Language(bot))


async def teardown(bot: TrackTwoBot) -> None:
    await bot.tree.set_translator(None)
