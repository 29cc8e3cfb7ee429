"""``/civility``: moderators see and shape the server's civility rules, and test text.

Thin: every command parses, calls :class:`bot.civility.service.CivilityService`, and answers
ephemerally. Only moderators may use it, checked on the server through the shared
``require(interaction, "moderator")``; errors are answered by the shared tree handler
(``CivilityError`` is a ``UserFacingError``: its one sentence is shown).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.civility import LEXICON_CATEGORIES, Action, Category
from bot.i18n import translate
from bot.labels_text import echo
from cogs._common import answer, guild_id_of, language_of, require, services_of, truncate

if TYPE_CHECKING:
    from bot.civility.service import CivilityService
    from cogs._bot import TrackTwoBot

ACTION_CHOICES = [app_commands.Choice(name=a.value, value=a.value) for a in Action]
CATEGORY_CHOICES = [app_commands.Choice(name=c.value, value=c.value) for c in Category]
TERM_CATEGORY_CHOICES = [
    app_commands.Choice(name=c.value, value=c.value) for c in LEXICON_CATEGORIES
]
MESSAGE_LIMIT = 1900


class Civility(commands.Cog):
    civility = app_commands.Group(
        name="civility",
        description="See and shape this server's civility rules (moderators)",
        guild_only=True,
        default_permissions=discord.Permissions(moderate_members=True),
    )
    term = app_commands.Group(
        name="term", description="Words and phrases this server adds", parent=civility
    )
    allow = app_commands.Group(
        name="allow", description="Words this server never flags", parent=civility
    )

    def __init__(self, bot: TrackTwoBot) -> None:
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return await require(interaction, "moderator")

    @staticmethod
    def service(interaction: discord.Interaction[Any]) -> CivilityService:
        return services_of(interaction).civility

    @civility.command(name="rules", description="What each kind of problem leads to here")
    async def rules(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = guild_id_of(interaction)
        policy = await self.service(interaction).policy(guild_id)
        terms = await self.service(interaction).list_terms(guild_id)
        allowed = await self.service(interaction).list_allow(guild_id)
        lines = ["**Civility rules on this server**"]
        lines += [f"- {c.value}: **{policy.action_for(c).value}**" for c in Category]
        domains = ", ".join(sorted(policy.link_domains)) or "none"
        lines.append(f"Links: {policy.link_policy.value} (allowed sites: {domains})")
        lines.append(f"Server terms: {len(terms)}; allowed words: {len(allowed)}")
        await answer(interaction, truncate("\n".join(lines), MESSAGE_LIMIT))

    @civility.command(name="set", description="Choose what a category of problem leads to")
    @app_commands.describe(category="The kind of problem", action="What happens to the reply")
    @app_commands.choices(category=CATEGORY_CHOICES, action=ACTION_CHOICES)
    async def set_action(
        self,
        interaction: discord.Interaction[Any],
        category: app_commands.Choice[str],
        action: app_commands.Choice[str],
    ) -> None:
        guild_id = guild_id_of(interaction)
        await self.service(interaction).set_action(
            guild_id, category.value, action.value, interaction.user.id
        )
        lang = await language_of(interaction)
        text = translate("civility.set_done", lang, category=category.value, action=action.value)
        await answer(interaction, text)

    @term.command(name="add", description="Add a word or phrase to this server's list")
    @app_commands.describe(term="The word or phrase", category="What kind of problem it is")
    @app_commands.choices(category=TERM_CATEGORY_CHOICES)
    async def term_add(
        self,
        interaction: discord.Interaction[Any],
        term: app_commands.Range[str, 1, 100],
        category: app_commands.Choice[str],
    ) -> None:
        guild_id = guild_id_of(interaction)
        added = await self.service(interaction).add_term(
            guild_id, term, category.value, interaction.user.id
        )
        lang = await language_of(interaction)
        text = translate(
            "civility.term.added", lang, term=added.term, category=added.category.value
        )
        await answer(interaction, text)

    @term.command(name="remove", description="Remove a word or phrase from this server's list")
    async def term_remove(
        self, interaction: discord.Interaction[Any], term: app_commands.Range[str, 1, 100]
    ) -> None:
        guild_id = guild_id_of(interaction)
        await self.service(interaction).remove_term(guild_id, term)
        lang = await language_of(interaction)
        await answer(interaction, translate("civility.term.removed", lang, term=echo(term)))

    @term.command(name="list", description="The words and phrases this server added")
    async def term_list(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = guild_id_of(interaction)
        terms = await self.service(interaction).list_terms(guild_id)
        if not terms:
            text = translate("civility.term.none", await language_of(interaction))
        else:
            text = "\n".join(f"- “{t.term}” ({t.category.value})" for t in terms)
        await answer(interaction, truncate(text, MESSAGE_LIMIT))

    @allow.command(name="add", description="Never flag this word or phrase on this server")
    async def allow_add(
        self, interaction: discord.Interaction[Any], term: app_commands.Range[str, 1, 100]
    ) -> None:
        guild_id = guild_id_of(interaction)
        added = await self.service(interaction).add_allow(guild_id, term, interaction.user.id)
        lang = await language_of(interaction)
        await answer(interaction, translate("civility.allow.added", lang, term=added))

    @allow.command(name="remove", description="Flag this word or phrase again")
    async def allow_remove(
        self, interaction: discord.Interaction[Any], term: app_commands.Range[str, 1, 100]
    ) -> None:
        guild_id = guild_id_of(interaction)
        await self.service(interaction).remove_allow(guild_id, term)
        lang = await language_of(interaction)
        await answer(interaction, translate("civility.allow.removed", lang, term=echo(term)))

    @civility.command(name="test", description="See what every rule says about a text")
    @app_commands.describe(text="Any text; nothing is stored or published")
    async def test(
        self, interaction: discord.Interaction[Any], text: app_commands.Range[str, 1, 2000]
    ) -> None:
        guild_id = guild_id_of(interaction)
        explanation = await self.service(interaction).explain(guild_id, text)
        lines = [f"**Outcome: {explanation.action.value}**", *explanation.lines]
        lines.append("Stored as:")
        quoted = "\n".join(f"> {line}" for line in explanation.text.splitlines()) or "> (empty)"
        await answer(interaction, truncate("\n".join(lines) + "\n" + quoted, MESSAGE_LIMIT))


async def setup(bot: TrackTwoBot) -> None:
    await bot.add_cog(Civility(bot))
