"""``/setup``: channels, roles, communities, verification, anonymity. Server admins only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.dialogue.models import Anonymity, GuildConfig
from bot.i18n import SOURCE, translate
from bot.i18n import language as language_named
from cogs._channel_safety import FixButton, mod_channel_warning, secure_dialogue_channel, show_check
from cogs._common import answer, bot_of, guild_id_of, language_of, require, services_of
from cogs._effects import apply
from cogs._guard import privileged
from cogs._i18n import LANGUAGE_CHOICES
from cogs.dialogue.pause import pause as pause_here
from cogs.dialogue.pause import resume as resume_here
from cogs.safety.subcommands import set_retention

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot


FACILITATOR_COMMANDS = frozenset({"setup pause", "setup resume"})


def _mention_channel(channel_id: int | None, lang: str) -> str:
    return f"<#{channel_id}>" if channel_id else translate("setup.show.not_set", lang)


def _mention_role(role_id: int | None, lang: str) -> str:
    return f"<@&{role_id}>" if role_id else translate("setup.show.not_set", lang)


def setup_embed(
    config: GuildConfig, communities: list[tuple[str, int]], lang: str = SOURCE
) -> discord.Embed:
    def t(key: str, **params: object) -> str:
        return translate(key, lang, **params)

    embed = discord.Embed(title=t("setup.show.title"), colour=discord.Colour.blurple())
    dialogue, mod = config.dialogue_channel_id, config.mod_channel_id
    embed.add_field(name=t("setup.show.dialogue_channel"), value=_mention_channel(dialogue, lang))
    embed.add_field(name=t("setup.show.mod_channel"), value=_mention_channel(mod, lang))
    facilitators, moderators = config.facilitator_role_id, config.moderator_role_id
    embed.add_field(name=t("setup.show.facilitator_role"), value=_mention_role(facilitators, lang))
    embed.add_field(name=t("setup.show.moderator_role"), value=_mention_role(moderators, lang))
    embed.add_field(
        name=t("setup.show.publishing"),
        value=t("setup.show.pseudonyms")
        if config.anonymity is Anonymity.PSEUDONYMS
        else t("setup.show.names"),
    )
    embed.add_field(
        name=t("setup.show.verification"),
        value=t("setup.show.on") if config.community_verification else t("setup.show.off"),
    )
    embed.add_field(
        name=t("setup.show.language"), value=language_named(config.language or "en").name
    )
    listing = "\n".join(f"• {name} — <@&{role}>" for name, role in communities)
    embed.add_field(
        name=t("setup.show.communities", count=len(communities)),
        value=listing or t("setup.show.no_communities"),
        inline=False,
    )
    return embed


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class SetupGroup(app_commands.Group, name="setup", description="Set Track Two up (server admins)"):
    community = app_commands.Group(name="community", description="Communities taking part")

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        command = interaction.command
        if command is not None and command.qualified_name in FACILITATOR_COMMANDS:
            return await require(interaction, "facilitator")  # a pause is the facilitators'
        return await require(interaction, "admin")

    @app_commands.command(name="pause", description="Pause Track Two in this whole server")
    @app_commands.describe(reason="Why (kept in the pause log for facilitators)")
    async def pause(
        self, interaction: discord.Interaction, reason: app_commands.Range[str, 1, 300]
    ) -> None:
        await pause_here(interaction, server=True, number=None, reason=reason)

    @app_commands.command(name="resume", description="Lift a server-wide pause")
    async def resume(self, interaction: discord.Interaction) -> None:
        await resume_here(interaction, server=True, number=None)

    @app_commands.command(name="show", description="Show the current setup")
    async def show(self, interaction: discord.Interaction) -> None:
        services = services_of(interaction)
        guild_id = guild_id_of(interaction)
        config = await services.guild_config.get(guild_id)
        communities = [(c.name, c.role_id) for c in await services.communities.all(guild_id)]
        lang = await language_of(interaction)
        await answer(interaction, embed=setup_embed(config, communities, lang))

    @app_commands.command(name="dialogue-channel", description="Where prompts are posted")
    @app_commands.describe(channel="The text channel for prompts; each round gets a thread there")
    async def dialogue_channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel
    ) -> None:
        await services_of(interaction).guild_config.set_dialogue_channel(
            guild_id_of(interaction), channel.id
        )
        note = await secure_dialogue_channel(interaction, channel)
        done = translate(
            "setup.dialogue_channel", await language_of(interaction), channel=channel.mention
        )
        await answer(interaction, f"{done}\n\n{note}")

    @app_commands.command(name="mod-channel", description="Where moderators get notices")
    @app_commands.describe(channel="A channel only moderators can read")
    async def mod_channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel
    ) -> None:
        await services_of(interaction).guild_config.set_mod_channel(
            guild_id_of(interaction), channel.id
        )
        warning = await mod_channel_warning(interaction, channel)
        done = translate(
            "setup.mod_channel", await language_of(interaction), channel=channel.mention
        )
        await answer(interaction, done + (f"\n\n{warning}" if warning else ""))

    @app_commands.command(
        name="check", description="What permission is missing or unsafe in Track Two's channels"
    )
    async def check(self, interaction: discord.Interaction) -> None:
        await show_check(interaction)

    @app_commands.command(name="roles", description="Who facilitates and who moderates")
    @app_commands.describe(
        facilitator="Members with this role post prompts and run rounds",
        moderator="Members with this role work the review queue",
    )
    async def roles(
        self,
        interaction: discord.Interaction,
        facilitator: discord.Role | None = None,
        moderator: discord.Role | None = None,
    ) -> None:
        lang = await language_of(interaction)
        if facilitator is None and moderator is None:
            await answer(interaction, translate("setup.roles.none", lang))
            return
        await services_of(interaction).guild_config.set_roles(
            guild_id_of(interaction),
            facilitator.id if facilitator else None,
            moderator.id if moderator else None,
            known_roles=frozenset(r.id for r in interaction.guild.roles)
            if interaction.guild is not None
            else None,
        )
        parts = []
        if facilitator:
            parts.append(translate("setup.roles.facilitators", lang, role=facilitator.mention))
        if moderator:
            parts.append(translate("setup.roles.moderators", lang, role=moderator.mention))
        await answer(interaction, translate("setup.roles.done", lang, roles="; ".join(parts)))

    @app_commands.command(name="anonymity", description="Publish replies under pseudonyms or names")
    @app_commands.describe(
        mode="pseudonyms: “Participant N · community” (safer); off: display names"
    )
    async def anonymity(
        self, interaction: discord.Interaction, mode: Literal["pseudonyms", "off"]
    ) -> None:
        services = services_of(interaction)
        guild_id = guild_id_of(interaction)
        await services.guild_config.set_anonymity(guild_id, Anonymity(mode))
        relabelling = await services.replies.relabel(guild_id)
        if interaction.guild is not None:
            await apply(bot_of(interaction), interaction.guild, relabelling.effects)
        lang = await language_of(interaction)
        if mode == "pseudonyms":
            text = translate("setup.anonymity.pseudonyms", lang)
            if relabelling.count:
                count = relabelling.count
                text += " " + translate("setup.anonymity.relabelling", lang, count=count)
        else:
            text = translate("setup.anonymity.names", lang)
        await answer(interaction, text)

    @app_commands.command(
        name="retention", description="Delete replies some days after rounds close"
    )
    @app_commands.describe(days="Days after a round closes; 0 keeps replies (the default)")
    async def retention(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 0, 3650]
    ) -> None:
        await set_retention(interaction, days)

    @app_commands.command(name="bridging", description="Common-ground notices and thresholds")
    @app_commands.describe(
        notices="A daily 'needs your perspective' notice in open rounds (off by default)",
        min_votes="Votes every community must give a reply before it is judged (default 8)",
    )
    async def bridging(
        self,
        interaction: discord.Interaction,
        notices: bool | None = None,
        min_votes: app_commands.Range[int, 1, 100] | None = None,
    ) -> None:
        from cogs.bridging import set_bridging

        await set_bridging(interaction, notices, min_votes)

    @app_commands.command(
        name="language", description="The server's language, for members who have not chosen one"
    )
    @app_commands.describe(language="The language")
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def language(self, interaction: discord.Interaction, language: str) -> None:
        await services_of(interaction).guild_config.set_language(guild_id_of(interaction), language)
        await answer(
            interaction,
            translate("setup.language", language, language=language_named(language).name),
        )

    @community.command(name="add", description="Add a community taking part in the dialogue")
    @app_commands.describe(name="The label shown on replies", role="The role members of it get")
    async def community_add(
        self, interaction: discord.Interaction, name: str, role: discord.Role
    ) -> None:
        lang = await language_of(interaction)
        if role.is_default() or role.managed:
            await answer(interaction, translate("setup.community.normal_role", lang))
            return
        community = await services_of(interaction).communities.add(
            guild_id_of(interaction), name, role.id
        )
        added = translate(
            "setup.community.added", lang, community=community.name, role=role.mention
        )
        await answer(interaction, added)

    @community.command(name="remove", description="Remove a community")
    async def community_remove(self, interaction: discord.Interaction, name: str) -> None:
        removed = await services_of(interaction).communities.remove(guild_id_of(interaction), name)
        lang = await language_of(interaction)
        await answer(
            interaction, translate("setup.community.removed", lang, community=removed.name)
        )

    @community_remove.autocomplete("name")
    @privileged("admin")
    async def _community_names(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        communities = await services_of(interaction).communities.all(guild_id_of(interaction))
        return [
            app_commands.Choice(name=c.name, value=c.name)
            for c in communities
            if current.casefold() in c.name.casefold()
        ][:25]

    @community.command(name="verification", description="Should moderators approve joins?")
    async def community_verification(
        self, interaction: discord.Interaction, state: Literal["on", "off"]
    ) -> None:
        guild_id = guild_id_of(interaction)
        config = await services_of(interaction).guild_config.set_verification(
            guild_id, state == "on"
        )
        lang = await language_of(interaction)
        if state == "on" and config.mod_channel_id is None:
            await answer(interaction, translate("setup.verification.no_channel", lang))
            return
        key = "setup.verification.on" if state == "on" else "setup.verification.off"
        await answer(interaction, translate(key, lang))


class Setup(commands.Cog):
    def __init__(self, bot: TrackTwoBot) -> None:
        self.bot = bot


async def setup(bot: TrackTwoBot) -> None:
    bot.tree.add_command(SetupGroup())
    bot.add_dynamic_items(FixButton)
    await bot.add_cog(Setup(bot))
