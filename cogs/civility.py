"""``/civility``: moderators see and shape the server's civility rules, and test text.

Thin: every command parses, calls :class:`bot.civility.service.CivilityService`, and answers
ephemerally. Only moderators (Moderate Members permission, or the configured moderator role)
may use it; that is checked here on the server, whatever the client shows.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.civility import LEXICON_CATEGORIES, Action, Category, CivilityError

if TYPE_CHECKING:
    from bot.civility.service import CivilityService
    from bot.startup import TrackTwoBot

log = logging.getLogger(__name__)

ACTION_CHOICES = [app_commands.Choice(name=a.value, value=a.value) for a in Action]
CATEGORY_CHOICES = [app_commands.Choice(name=c.value, value=c.value) for c in Category]
TERM_CATEGORY_CHOICES = [
    app_commands.Choice(name=c.value, value=c.value) for c in LEXICON_CATEGORIES
]
MESSAGE_LIMIT = 1900


class NotModerator(app_commands.CheckFailure):
    pass


async def is_moderator(interaction: discord.Interaction, service: CivilityService) -> bool:
    """Moderate Members permission, or the moderator role set in the guild's settings."""
    member = interaction.user
    if interaction.guild is None or not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.moderate_members:
        return True
    role_id = await service.moderator_role_id(interaction.guild.id)
    return role_id is not None and any(role.id == role_id for role in member.roles)


def clip(text: str) -> str:
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


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

    @property
    def service(self) -> CivilityService:
        return self.bot.services.civility

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if not await is_moderator(interaction, self.service):
            raise NotModerator("only moderators can use /civility")
        return True

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        original = getattr(error, "original", error)
        if isinstance(error, NotModerator):
            message = "Only moderators can use /civility."
        elif isinstance(original, CivilityError):
            message = str(original)
        else:
            log.error("/civility failed", exc_info=original)
            message = "Something went wrong; the moderators were told."
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)

    async def _guild_id(self, interaction: discord.Interaction) -> int:
        if interaction.guild_id is None:
            raise CivilityError("Use this command inside a server.")
        return interaction.guild_id

    @civility.command(name="rules", description="What each kind of problem leads to here")
    async def rules(self, interaction: discord.Interaction) -> None:
        guild_id = await self._guild_id(interaction)
        policy = await self.service.policy(guild_id)
        terms = await self.service.list_terms(guild_id)
        allowed = await self.service.list_allow(guild_id)
        lines = ["**Civility rules on this server**"]
        lines += [f"- {c.value}: **{policy.action_for(c).value}**" for c in Category]
        domains = ", ".join(sorted(policy.link_domains)) or "none"
        lines.append(f"Links: {policy.link_policy.value} (allowed sites: {domains})")
        lines.append(f"Server terms: {len(terms)}; allowed words: {len(allowed)}")
        await interaction.response.send_message(clip("\n".join(lines)), ephemeral=True)

    @civility.command(name="set", description="Choose what a category of problem leads to")
    @app_commands.describe(category="The kind of problem", action="What happens to the reply")
    @app_commands.choices(category=CATEGORY_CHOICES, action=ACTION_CHOICES)
    async def set_action(
        self,
        interaction: discord.Interaction,
        category: app_commands.Choice[str],
        action: app_commands.Choice[str],
    ) -> None:
        guild_id = await self._guild_id(interaction)
        await self.service.set_action(guild_id, category.value, action.value, interaction.user.id)
        await interaction.response.send_message(
            f"Replies with {category.value} now lead to **{action.value}**.", ephemeral=True
        )

    @term.command(name="add", description="Add a word or phrase to this server's list")
    @app_commands.describe(term="The word or phrase", category="What kind of problem it is")
    @app_commands.choices(category=TERM_CATEGORY_CHOICES)
    async def term_add(
        self,
        interaction: discord.Interaction,
        term: app_commands.Range[str, 1, 100],
        category: app_commands.Choice[str],
    ) -> None:
        guild_id = await self._guild_id(interaction)
        added = await self.service.add_term(guild_id, term, category.value, interaction.user.id)
        await interaction.response.send_message(
            f"Added “{added.term}” as {added.category.value}.", ephemeral=True
        )

    @term.command(name="remove", description="Remove a word or phrase from this server's list")
    async def term_remove(
        self, interaction: discord.Interaction, term: app_commands.Range[str, 1, 100]
    ) -> None:
        guild_id = await self._guild_id(interaction)
        await self.service.remove_term(guild_id, term)
        await interaction.response.send_message(f"Removed “{term.strip()}”.", ephemeral=True)

    @term.command(name="list", description="The words and phrases this server added")
    async def term_list(self, interaction: discord.Interaction) -> None:
        guild_id = await self._guild_id(interaction)
        terms = await self.service.list_terms(guild_id)
        if not terms:
            text = "This server has added no terms; the default list applies."
        else:
            text = "\n".join(f"- “{t.term}” ({t.category.value})" for t in terms)
        await interaction.response.send_message(clip(text), ephemeral=True)

    @allow.command(name="add", description="Never flag this word or phrase on this server")
    async def allow_add(
        self, interaction: discord.Interaction, term: app_commands.Range[str, 1, 100]
    ) -> None:
        guild_id = await self._guild_id(interaction)
        added = await self.service.add_allow(guild_id, term, interaction.user.id)
        await interaction.response.send_message(f"“{added}” is now allowed.", ephemeral=True)

    @allow.command(name="remove", description="Flag this word or phrase again")
    async def allow_remove(
        self, interaction: discord.Interaction, term: app_commands.Range[str, 1, 100]
    ) -> None:
        guild_id = await self._guild_id(interaction)
        await self.service.remove_allow(guild_id, term)
        await interaction.response.send_message(
            f"“{term.strip()}” is no longer allowed.", ephemeral=True
        )

    @civility.command(name="test", description="See what every rule says about a text")
    @app_commands.describe(text="Any text; nothing is stored or published")
    async def test(
        self, interaction: discord.Interaction, text: app_commands.Range[str, 1, 2000]
    ) -> None:
        guild_id = await self._guild_id(interaction)
        explanation = await self.service.explain(guild_id, text)
        lines = [f"**Outcome: {explanation.action.value}**", *explanation.lines]
        lines.append("Stored as:")
        quoted = "\n".join(f"> {line}" for line in explanation.text.splitlines()) or "> (empty)"
        await interaction.response.send_message(
            clip("\n".join(lines) + "\n" + quoted), ephemeral=True
        )


async def setup(bot: TrackTwoBot) -> None:
    await bot.add_cog(Civility(bot))
