"""``/community``: join (with optional moderator verification), leave, stats, set."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.dialogue.communities import JoinState
from bot.errors import UserFacingError
from bot.i18n import SOURCE, translate
from bot.labels_text import echo
from cogs import _ids
from cogs._common import (
    NO_MENTIONS,
    answer,
    friendly,
    guild_id_of,
    language_of,
    member_facts,
    require,
    server_language_of,
    services_of,
)
from cogs._effects import apply
from cogs._guard import privileged
from cogs._persistent import PersistentItem

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot

log = logging.getLogger(__name__)


class JoinSelect(PersistentItem[discord.ui.Select[Any]], id_format=_ids.JOIN):
    """The community picker. Options are rebuilt from the database each time it is sent."""

    def __init__(
        self, options: list[discord.SelectOption] | None = None, lang: str = SOURCE
    ) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=_ids.JOIN.build(),
                placeholder=translate("community.placeholder", lang),
                options=options or [discord.SelectOption(label="…", value="0")],
            )
        )

    @friendly
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        values = self.item.values
        if not values or not values[0].isdigit():
            raise UserFacingError("community.pick_one")
        await join_community(interaction, int(values[0]))


async def join_community(interaction: discord.Interaction[Any], community_id: int) -> None:
    services = services_of(interaction)
    guild_id = guild_id_of(interaction)
    facts = member_facts(interaction)
    outcome = await services.communities.join(guild_id, facts.user_id, facts.role_ids, community_id)
    community = outcome.community
    if outcome.state is JoinState.REQUESTED:
        await notify_join_request(interaction, outcome.request_id or 0, community.name)
        lang = await language_of(interaction)
        await answer(
            interaction, translate("community.request_sent", lang, community=community.name)
        )
        return
    guild = interaction.guild
    role = guild.get_role(community.role_id) if guild else None
    member = interaction.user
    try:
        if role is None or not isinstance(member, discord.Member):
            raise LookupError("the community role is gone")
        await member.add_roles(role, reason=f"Track Two: joined community {community.name}")
    except (discord.HTTPException, LookupError):
        await services.communities.leave(guild_id, facts.user_id, frozenset())
        raise UserFacingError("community.role_failed", community=community.name) from None
    lang = await language_of(interaction)
    await answer(interaction, translate("community.welcome", lang, community=community.name))


async def notify_join_request(
    interaction: discord.Interaction[Any], request_id: int, community_name: str
) -> None:
    services = services_of(interaction)
    config = await services.guild_config.get(guild_id_of(interaction))
    guild = interaction.guild
    channel = guild.get_channel(config.mod_channel_id) if guild and config.mod_channel_id else None
    if not isinstance(channel, discord.TextChannel):
        log.warning("join request %s has no moderation channel to go to", request_id)
        return
    lang = await server_language_of(interaction)  # the moderation channel reads the server's
    view = discord.ui.View(timeout=None)
    view.add_item(VerifyButton(request_id, approve=True, lang=lang))
    view.add_item(VerifyButton(request_id, approve=False, lang=lang))
    await channel.send(
        translate(
            "community.join_request",
            lang,
            number=request_id,
            member=interaction.user.mention,
            community=community_name,
        ),
        view=view,
        allowed_mentions=NO_MENTIONS,
    )


class VerifyButton(PersistentItem[discord.ui.Button[Any]], id_format=_ids.VERIFY):
    """A moderator's Approve or Deny on a join request."""

    def __init__(self, request_id: int, approve: bool, lang: str = SOURCE) -> None:
        self.request_id = request_id
        self.approve = approve
        super().__init__(
            discord.ui.Button(
                label=translate("community.approve" if approve else "community.deny", lang),
                style=discord.ButtonStyle.success if approve else discord.ButtonStyle.danger,
                custom_id=_ids.VERIFY.build(approve=approve, request_id=request_id),
            )
        )

    # the guard (cogs/_guard.py) checked the request's server and the moderator role

    @friendly
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        services = services_of(interaction)
        decision, outcome = await services.verification.decide(
            guild_id_of(interaction), self.request_id, self.approve, interaction.user.id
        )
        if interaction.guild is not None:
            # before the answer, so that the role is there when the moderator sees it
            await apply(interaction.client, interaction.guild, outcome.effects)
        verdict = "community.request_approved" if decision.approved else "community.request_denied"
        await interaction.response.edit_message(
            content=translate(
                verdict,
                await server_language_of(interaction),
                number=self.request_id,
                community=decision.community.name,
                moderator=interaction.user.mention,
            ),
            view=None,
            allowed_mentions=NO_MENTIONS,
        )


@app_commands.guild_only()
class CommunityGroup(
    app_commands.Group, name="community", description="Your community in the dialogue"
):
    @app_commands.command(name="join", description="Join the community you speak from")
    async def join(self, interaction: discord.Interaction) -> None:
        services = services_of(interaction)
        communities = await services.communities.all(guild_id_of(interaction))
        lang = await language_of(interaction)
        if not communities:
            await answer(interaction, translate("community.none_ask_admin", lang))
            return
        options = [discord.SelectOption(label=c.name, value=str(c.id)) for c in communities][:25]
        view = discord.ui.View(timeout=None)
        view.add_item(JoinSelect(options, lang))
        await answer(interaction, translate("community.choose", lang), view=view)

    @app_commands.command(name="leave", description="Leave your community")
    async def leave(self, interaction: discord.Interaction) -> None:
        services = services_of(interaction)
        facts = member_facts(interaction)
        community = await services.communities.leave(
            guild_id_of(interaction), facts.user_id, facts.role_ids
        )
        guild, member = interaction.guild, interaction.user
        role = guild.get_role(community.role_id) if guild else None
        if role is not None and isinstance(member, discord.Member) and role in member.roles:
            try:
                await member.remove_roles(role, reason="Track Two: left community")
            except discord.HTTPException:
                log.warning("could not remove a community role on leave")
        lang = await language_of(interaction)
        await answer(interaction, translate("community.left", lang, community=community.name))

    @app_commands.command(name="stats", description="Members and replies per community")
    async def stats(self, interaction: discord.Interaction) -> None:
        stats = await services_of(interaction).communities.stats(guild_id_of(interaction))
        lang = await language_of(interaction)
        if not stats:
            await answer(interaction, translate("community.none", lang))
            return
        embed = discord.Embed(
            title=translate("community.stats.title", lang), colour=discord.Colour.teal()
        )
        for item in stats:
            members = translate("community.stats.members", lang, count=item.members)
            replies = translate("community.stats.replies", lang, count=item.replies)
            embed.add_field(name=item.community.name, value=f"{members} · {replies}", inline=False)
        await answer(interaction, embed=embed)

    @app_commands.command(name="set", description="Moderators: set or change a member's community")
    async def set_(
        self, interaction: discord.Interaction, member: discord.Member, community: str
    ) -> None:
        await require(interaction, "moderator")
        services = services_of(interaction)
        guild_id = guild_id_of(interaction)
        match = [
            c
            for c in await services.communities.all(guild_id)
            if c.name.casefold() == community.casefold()
        ]
        if not match:
            raise UserFacingError("community.no_such", name=echo(community))
        previous = await services.communities.of_member(
            guild_id, member.id, frozenset(r.id for r in member.roles)
        )
        chosen = await services.communities.assign(guild_id, member.id, match[0].id)
        guild = member.guild
        try:
            if previous is not None and previous.id != chosen.id:
                old = guild.get_role(previous.role_id)
                if old is not None:
                    await member.remove_roles(
                        old, reason="Track Two: community changed by a moderator"
                    )
            new = guild.get_role(chosen.role_id)
            if new is not None:
                await member.add_roles(new, reason="Track Two: community set by a moderator")
        except discord.HTTPException:
            raise UserFacingError("community.roles_failed") from None
        lang = await language_of(interaction)
        text = translate("community.set_done", lang, member=member.mention, community=chosen.name)
        await answer(interaction, text)

    @set_.autocomplete("community")
    @privileged("moderator")
    async def _names(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        communities = await services_of(interaction).communities.all(guild_id_of(interaction))
        return [
            app_commands.Choice(name=c.name, value=c.name)
            for c in communities
            if current.casefold() in c.name.casefold()
        ][:25]


class Community(commands.Cog):
    def __init__(self, bot: TrackTwoBot) -> None:
        self.bot = bot


async def setup(bot: TrackTwoBot) -> None:
    bot.add_dynamic_items(JoinSelect, VerifyButton)
    bot.tree.add_command(CommunityGroup())
    await bot.add_cog(Community(bot))
