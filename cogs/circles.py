"""``/circle``: small mixed circles, each a private thread in the dialogue channel.

Members volunteer (``join``) and may ``leave``; facilitators ``form`` circles from the
volunteers, ``post`` a round's excerpt into every circle, ``list`` and ``dissolve`` them. The
service (:mod:`bot.circles.service`) decides and records; this cog opens the private threads,
adds their members and posts in them. A reply in a circle takes the one reply form and pipeline
(cogs/dialogue/reply_form.py) with the circle's id, so it is published in the circle's thread.
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.circles.service import Circle
from bot.effects import LeaveThread
from bot.errors import UserFacingError
from bot.i18n import translate
from cogs import _ids
from cogs._common import (
    NO_MENTIONS,
    answer,
    guild_id_of,
    language_of,
    member_facts,
    report_failure,
    require,
    services_of,
    truncate,
)
from cogs._effects import apply
from cogs._guard import form_values
from cogs._persistent import PersistentItem
from cogs.dialogue.render import round_embed
from cogs.dialogue.reply_form import ReplyModal, submit_reply_form

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot

log = logging.getLogger(__name__)


def share_in_circle(circle_id: int, round_id: int, lang: str) -> discord.ui.Button[Any]:
    return discord.ui.Button(
        label=translate("post.button.share", lang),
        style=discord.ButtonStyle.primary,
        emoji="🗣️",
        custom_id=_ids.CIRCLE_SHARE.build(circle_id=circle_id, round_id=round_id),
    )


class CircleShareButton(PersistentItem[discord.ui.Button[Any]], id_format=_ids.CIRCLE_SHARE):
    """ "Share your perspective" on a round's excerpt in a circle's thread."""

    def __init__(self, circle_id: int, round_id: int) -> None:
        self.circle_id = circle_id
        self.round_id = round_id
        super().__init__(share_in_circle(circle_id, round_id, "en"))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await open_circle_form(interaction, self.circle_id, self.round_id)


async def open_circle_form(
    interaction: discord.Interaction[Any], circle_id: int, round_id: int
) -> None:
    """The reply form, as on the round's prompt, for the circle's members only."""
    try:
        services = services_of(interaction)
        guild_id = guild_id_of(interaction)
        lang = await language_of(interaction)
        round_ = await services.rounds.get(round_id)
        if not round_.is_open:
            raise UserFacingError("reply.round_closed", round=round_.number)
        await services.pauses.ensure_open(guild_id, round_.id, opening=True)
        await services.circles.ensure_member(circle_id, guild_id, round_.id, interaction.user.id)
        facts = member_facts(interaction)
        if await services.communities.of_member(guild_id, facts.user_id, facts.role_ids) is None:
            raise UserFacingError("reply.join_first")
        key = secrets.token_hex(8)
        custom_id = _ids.CIRCLE_REPLY.build(circle_id=circle_id, round_id=round_.id, key=key)
        await interaction.response.send_modal(
            ReplyModal("new", round_.id, round_.number, lang=lang, custom_id=custom_id)
        )
    except Exception as error:
        await report_failure(interaction, error)


def _mention_list(circle: Circle, role: str) -> str:
    """Facilitators see their circles' members as Discord shows them (mentions render as the
    names the viewer may see); never posted in a thread."""
    people = [m for m in circle.members if m.role == role]
    return ", ".join(f"<@{m.user_id}>" for m in people) or "—"


@app_commands.guild_only()
class CircleGroup(app_commands.Group, name="circle", description="Small mixed circles"):
    @app_commands.command(name="join", description="Volunteer for a small mixed circle")
    @app_commands.describe(facilitate="Facilitators: volunteer as a co-facilitator")
    async def join(self, interaction: discord.Interaction, facilitate: bool = False) -> None:
        if facilitate:
            await require(interaction, "facilitator")
        facts = member_facts(interaction)
        joined = await services_of(interaction).circles.join(
            guild_id_of(interaction), facts.user_id, facts.role_ids, facilitator=facilitate
        )
        lang = await language_of(interaction)
        key = "circles.joined.facilitator" if facilitate else "circles.joined"
        await answer(interaction, translate(key, lang, count=joined.volunteers))

    @app_commands.command(name="leave", description="Leave your circle and the volunteer list")
    async def leave(self, interaction: discord.Interaction) -> None:
        user_id = interaction.user.id
        left = await services_of(interaction).circles.leave(guild_id_of(interaction), user_id)
        lang = await language_of(interaction)
        await answer(interaction, translate("circles.left", lang))
        if interaction.guild is not None:
            effects = [LeaveThread(user_id, thread) for thread in left.threads]
            await apply(interaction.client, interaction.guild, effects)  # type: ignore[arg-type]

    @app_commands.command(name="form", description="Facilitators: form circles from volunteers")
    @app_commands.describe(size="Members per circle (3 to 12)")
    async def form(self, interaction: discord.Interaction, size: int = 6) -> None:
        await require(interaction, "facilitator")
        await interaction.response.defer(ephemeral=True, thinking=True)
        services = services_of(interaction)
        guild_id = guild_id_of(interaction)
        lang = await language_of(interaction)
        config = await services.guild_config.get(guild_id)
        channel = interaction.client.get_channel(config.dialogue_channel_id or 0)
        if not isinstance(channel, discord.TextChannel):
            raise UserFacingError("Set the dialogue channel first.", key="circles.no_channel")
        circles = await services.circles.plan(guild_id, interaction.user.id, size)
        server_lang = config.language or "en"
        try:
            for circle in circles:
                thread_id = await open_thread(channel, circle, server_lang)
                await services.circles.attach(circle, thread_id)
        except discord.HTTPException:
            log.warning(
                "guild %s: could not open a circle's private thread", guild_id, exc_info=True
            )
            await services.circles.abandon(circles)
            raise UserFacingError(
                "I could not open the circles' private threads.", key="circles.no_thread"
            ) from None
        formed = await services.circles.active(guild_id)
        lines = [
            translate("circles.formed", lang, count=len(formed)),
            *(
                f"**{c.number}** · <#{c.thread_id}> · {len(c.participants)}"
                f" · {_mention_list(c, 'facilitator')}"
                for c in formed
            ),
        ]
        await answer(interaction, truncate("\n".join(lines), 2000))

    @app_commands.command(name="post", description="Facilitators: post a round into every circle")
    @app_commands.describe(round="The round's number (empty: the latest open round)")
    async def post(self, interaction: discord.Interaction, round: int | None = None) -> None:
        await require(interaction, "facilitator")
        await interaction.response.defer(ephemeral=True, thinking=True)
        services = services_of(interaction)
        guild_id = guild_id_of(interaction)
        lang = await language_of(interaction)
        round_ = await services.rounds.resolve(guild_id, round, None)
        circles = await services.circles.postable(guild_id, round_)
        excerpt = await services.rounds.excerpt(round_)
        server_lang = (await services.guild_config.get(guild_id)).language or "en"
        posted = 0
        for circle in circles:
            thread = await _thread(interaction.client, circle.thread_id)  # type: ignore[arg-type]
            if thread is None:
                continue
            view = discord.ui.View(timeout=None)
            view.add_item(share_in_circle(circle.id, round_.id, server_lang))
            try:
                message = await thread.send(
                    embed=round_embed(round_, excerpt, server_lang),
                    view=view,
                    allowed_mentions=NO_MENTIONS,
                )
            except discord.HTTPException:
                log.warning("circle %s: could not post round %s", circle.id, round_.number)
                continue
            await services.circles.posted(circle, round_.id, message.id)
            posted += 1
        await answer(
            interaction, translate("circles.posted", lang, round=round_.number, count=posted)
        )

    @app_commands.command(name="list", description="Facilitators: the circles and volunteers")
    async def list_(self, interaction: discord.Interaction) -> None:
        await require(interaction, "facilitator")
        services = services_of(interaction)
        guild_id = guild_id_of(interaction)
        lang = await language_of(interaction)
        circles = await services.circles.active(guild_id)
        volunteers = await services.circles.volunteers(guild_id)
        lines = [translate("circles.list.volunteers", lang, count=len(volunteers))]
        for c in circles:
            lines.append(
                f"**{c.number}** · <#{c.thread_id}> · {_mention_list(c, 'member')}"
                f" · 🤝 {_mention_list(c, 'facilitator')}"
            )
        if not circles:
            lines.append(translate("circles.list.none", lang))
        embed = discord.Embed(
            title=translate("circles.list.title", lang),
            description=truncate("\n".join(lines), 4096),
            colour=discord.Colour.teal(),
        )
        await answer(interaction, embed=embed)

    @app_commands.command(name="dissolve", description="Facilitators: dissolve every circle")
    async def dissolve(self, interaction: discord.Interaction) -> None:
        await require(interaction, "facilitator")
        await interaction.response.defer(ephemeral=True, thinking=True)
        services = services_of(interaction)
        guild_id = guild_id_of(interaction)
        lang = await language_of(interaction)
        dissolved = await services.circles.dissolve(guild_id)
        server_lang = (await services.guild_config.get(guild_id)).language or "en"
        for circle in dissolved:
            thread = await _thread(interaction.client, circle.thread_id)  # type: ignore[arg-type]
            if thread is None:
                continue
            try:
                await thread.send(translate("circles.thread.dissolved", server_lang))
                await thread.edit(archived=True, locked=True)
            except discord.HTTPException:
                log.warning("circle %s: could not close its thread", circle.id)
        await answer(interaction, translate("circles.dissolved_all", lang, count=len(dissolved)))


async def open_thread(channel: discord.TextChannel, circle: Circle, lang: str) -> int:
    """The circle's private thread, its members and facilitators added, and a welcome that
    names nobody (Discord itself shows a private thread's members to each other)."""
    thread = await channel.create_thread(
        name=truncate(translate("circles.thread.name", lang, number=circle.number), 100),
        type=discord.ChannelType.private_thread,
        invitable=False,
        auto_archive_duration=10080,
    )
    for member in circle.members:
        await thread.add_user(discord.Object(member.user_id))
    communities = len({m.community_id for m in circle.participants})
    await thread.send(
        translate(
            "circles.thread.welcome",
            lang,
            count=len(circle.participants),
            communities=communities,
        ),
        allowed_mentions=NO_MENTIONS,
    )
    return thread.id


async def _thread(bot: TrackTwoBot, thread_id: int | None) -> discord.Thread | None:
    if thread_id is None:
        return None
    channel = bot.get_channel(thread_id)
    if channel is None:
        try:
            channel = await bot.fetch_channel(thread_id)
        except discord.HTTPException:
            return None
    return channel if isinstance(channel, discord.Thread) else None


class Circles(commands.Cog):
    def __init__(self, bot: TrackTwoBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        form = await form_values(interaction, _ids.CIRCLE_REPLY)  # the circle's server only
        if form is None:
            return
        await submit_reply_form(
            interaction, "new", form["round_id"], key=form["key"], circle_id=form["circle_id"]
        )


async def setup(bot: TrackTwoBot) -> None:
    bot.add_dynamic_items(CircleShareButton)
    bot.tree.add_command(CircleGroup())
    await bot.add_cog(Circles(bot))
