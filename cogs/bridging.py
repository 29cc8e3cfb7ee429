"""Bridging on Discord: the round digest (at /round close and by /round digest) with its
picture, the private "Read replies" flow, and /round export. Thin: the BridgingService scores
and decides; this module renders its message ids in the server's language."""

from __future__ import annotations

import contextlib
import io
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.bridging.digest import PICTURE_MESSAGE_IDS, Message, Visibility
from bot.bridging.picture import PictureText
from bot.bridging.score import StatusKind
from bot.bridging.settings import MIN_VOTES_PER_COMMUNITY
from bot.dialogue.models import Round
from bot.errors import NotFound
from bot.i18n import SOURCE, translate
from cogs import _ids
from cogs._common import (
    NO_MENTIONS,
    answer,
    guild_id_of,
    member_facts,
    report_failure,
    services_of,
)
from cogs._persistent import PersistentItem
from cogs._tasks import Sleeper

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot

log = logging.getLogger(__name__)
CHUNK = 1900  # under Discord's 2,000 characters, with room for a continuation mark
NOTICE_IDLE = 3600.0  # look again at least hourly (a server may turn notices on)
PICTURE_NAME = "round-{number}-common-ground.png"
STATUS_KEYS = {
    StatusKind.BRIDGING: "digest.picture.status.bridging",
    StatusKind.ONE_SIDED: "digest.picture.status.one_sided",
    StatusKind.NEEDS_PERSPECTIVES: "digest.picture.status.needs_perspectives",
    StatusKind.NOT_YET: "digest.picture.status.not_yet",
}


def _line(message: Message, lang: str) -> str:
    return translate(message.id, lang, **dict(message.params))


def render_digest(messages: list[Message], lang: str) -> list[str]:
    """The digest's messages as Discord posts of at most CHUNK characters each."""
    posts: list[str] = []
    current = ""
    for message in messages:
        line = _line(message, lang)
        while len(line) > CHUNK:  # a long reply is split, never cut
            posts.extend([current] if current else [])
            current = ""
            posts.append(line[:CHUNK])
            line = line[CHUNK:]
        if current and len(current) + 1 + len(line) > CHUNK:
            posts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        posts.append(current)
    return posts


def picture_text(axes: tuple[str, str], lang: str) -> PictureText:
    def t(key: str, **params: object) -> str:
        return translate(key, lang, **params)

    assert set(PICTURE_MESSAGE_IDS) >= {"digest.picture.title", "digest.picture.corner"}
    return PictureText(
        title=t("digest.picture.title"),
        x_label=t("digest.picture.axis", community=axes[0]),
        y_label=t("digest.picture.axis", community=axes[1]),
        corner=t("digest.picture.corner"),
        statuses={s: t(key) for s, key in STATUS_KEYS.items()},
    )


async def _lang(bot: Any, guild_id: int) -> str:
    config = await bot.services.guild_config.get(guild_id)
    return str(config.language or "en")


async def _picture_file(bot: Any, round_: Round, lang: str) -> discord.File | None:
    services = bot.services
    out = await services.bridging.digest(round_, Visibility.PUBLIC)
    if out.picture_axes is None:
        return None
    png = await services.bridging.picture(round_, picture_text(out.picture_axes, lang))
    if png is None:
        return None
    return discord.File(io.BytesIO(png), filename=PICTURE_NAME.format(number=round_.number))


async def post_public_digest(bot: Any, round_: Round) -> bool:
    """Post the public digest, with its picture, in the round's thread. False without one."""
    thread = bot.get_channel(round_.thread_id or 0)
    if not isinstance(thread, discord.Thread):
        return False
    lang = await _lang(bot, round_.guild_id)
    out = await bot.services.bridging.digest(round_, Visibility.PUBLIC)
    posts = render_digest(out.messages, lang)
    file = await _picture_file(bot, round_, lang)
    for i, post in enumerate(posts):
        last = i == len(posts) - 1
        kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if last and file is not None:
            kwargs["file"] = file
        await thread.send(post, **kwargs)
    return True


async def send_round_digest(interaction: discord.Interaction[Any], number: int | None) -> None:
    """/round digest: the public digest in the thread, and privately the facilitator's version
    with the file of quotable replies (the one digest command)."""
    services = services_of(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    thread_id = interaction.channel_id if isinstance(interaction.channel, discord.Thread) else None
    round_ = await services.rounds.resolve(guild_id_of(interaction), number, thread_id)
    lang = await _lang(interaction.client, round_.guild_id)
    with contextlib.suppress(discord.HTTPException):
        await post_public_digest(interaction.client, round_)
    private = await services.bridging.digest(round_, Visibility.FACILITATOR)
    quotable = await services.safety.digest.digest(round_.guild_id, round_.number, None)
    file = discord.File(io.BytesIO(quotable.markdown.encode("utf-8")), filename=quotable.filename)
    posts = render_digest(private.messages, lang)
    for i, post in enumerate(posts):
        extra: dict[str, Any] = {"file": file} if i == len(posts) - 1 else {}
        await answer(interaction, post, **extra)


async def send_export(interaction: discord.Interaction[Any], number: int | None) -> None:
    services = services_of(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    thread_id = interaction.channel_id if isinstance(interaction.channel, discord.Thread) else None
    round_ = await services.rounds.resolve(guild_id_of(interaction), number, thread_id)
    text, rows = await services.bridging.export(round_)
    lang = await _lang(interaction.client, round_.guild_id)
    file = discord.File(
        io.BytesIO(text.encode("utf-8")), filename=f"round-{round_.number}-votes.csv"
    )
    await answer(
        interaction,
        translate("bridging.export.done", lang, round=round_.number, count=rows),
        file=file,
    )


# reading, one reply at a time ------------------------------------------------------------


async def _round_here(interaction: discord.Interaction[Any], round_id: int) -> Round:
    """The round, only when it belongs to this interaction's server."""
    round_ = await services_of(interaction).rounds.get(round_id)
    if round_.guild_id != guild_id_of(interaction):
        raise NotFound("That round is not on this server.", key="bridging.error.not_here")
    return round_


def reading_view(round_: Round, reply: Any, tally: Any, lang: str) -> discord.ui.View:
    from cogs.dialogue.render import reply_view  # the dialogue package imports this module

    view = reply_view(reply, tally, lang)
    view.add_item(
        discord.ui.Button(
            label=translate("bridging.read.skip", lang),
            style=discord.ButtonStyle.secondary,
            custom_id=_ids.READ_SKIP.build(round_id=round_.id, reply_id=reply.id),
        )
    )
    view.add_item(
        discord.ui.Button(
            label=translate("bridging.read.next", lang),
            style=discord.ButtonStyle.primary,
            custom_id=_ids.READ.build(round_id=round_.id),
        )
    )
    return view


async def show_next(interaction: discord.Interaction[Any], round_: Round) -> None:
    services = services_of(interaction)
    facts = member_facts(interaction)
    lang = await _lang(interaction.client, round_.guild_id)
    reply = await services.bridging.next_to_read(round_, facts.user_id, facts.role_ids)
    if reply is None:
        content = translate("bridging.read.done", lang)
        if interaction.message is not None and interaction.message.flags.ephemeral:
            await interaction.response.edit_message(content=content, embed=None, view=None)
        else:
            await answer(interaction, content)
        return
    from cogs.dialogue.render import reply_embed  # the dialogue package imports this module

    config = await services.guild_config.get(round_.guild_id)
    tally = await services.replies.tally(reply)
    embed = reply_embed(reply, tally, config.anonymity, lang)
    view = reading_view(round_, reply, tally, lang)
    content = translate("bridging.read.intro", lang)
    if interaction.message is not None and interaction.message.flags.ephemeral:
        await interaction.response.edit_message(content=content, embed=embed, view=view)
    else:
        await answer(interaction, content, embed=embed, view=view)


async def read_round(interaction: discord.Interaction[Any], number: int | None) -> None:
    try:
        services = services_of(interaction)
        thread_id = (
            interaction.channel_id if isinstance(interaction.channel, discord.Thread) else None
        )
        round_ = await services.rounds.resolve(guild_id_of(interaction), number, thread_id)
        await show_next(interaction, round_)
    except Exception as error:
        await report_failure(interaction, error)


class ReadButton(PersistentItem[discord.ui.Button[Any]], id_format=_ids.READ):
    def __init__(self, round_id: int) -> None:
        self.round_id = round_id
        super().__init__(
            discord.ui.Button(
                label=translate(
                    "bridging.read.button", SOURCE
                ),  # shown: render.py's, in the reader's language
                style=discord.ButtonStyle.secondary,
                custom_id=_ids.READ.build(round_id=round_id),
            )
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await show_next(interaction, await _round_here(interaction, self.round_id))
        except Exception as error:
            await report_failure(interaction, error)


class SkipButton(PersistentItem[discord.ui.Button[Any]], id_format=_ids.READ_SKIP):
    def __init__(self, round_id: int, reply_id: int) -> None:
        self.round_id = round_id
        self.reply_id = reply_id
        super().__init__(
            discord.ui.Button(
                label=translate("bridging.read.skip", SOURCE),  # shown: the reading view's
                custom_id=_ids.READ_SKIP.build(round_id=round_id, reply_id=reply_id),
            )
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            round_ = await _round_here(interaction, self.round_id)
            reply = await services_of(interaction).replies.get(self.reply_id)
            if reply.round_id != round_.id:
                raise NotFound("That reply is not in this round.", key="bridging.error.not_here")
            facts = member_facts(interaction)
            await services_of(interaction).bridging.skip(round_, facts.user_id, reply.id)
            await show_next(interaction, round_)
        except Exception as error:
            await report_failure(interaction, error)


# the daily "needs your perspective" notice ----------------------------------------------


def _seconds_to_next_day(now: datetime) -> float:
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=5, microsecond=0)
    return max(1.0, (tomorrow - now).total_seconds())


class PerspectiveNotices(Sleeper):
    """Once a day (UTC), in each open round's thread of a server that turned notices on, one
    short notice per community naming the replies that still lack its votes."""

    def __init__(self, bot: TrackTwoBot) -> None:
        super().__init__("tracktwo-bridging-notices", self._tick, NOTICE_IDLE)
        self.bot = bot

    async def _tick(self) -> float | None:
        now = datetime.now(UTC)
        await self.run_due(now)
        return _seconds_to_next_day(now)

    async def run_due(self, now: datetime) -> int:
        """Post today's notices where due; returns how many were posted."""
        services = self.bot.services
        posted = 0
        day = now.date().isoformat()
        for guild_id in await services.bridging.guilds_with_notices():
            if self.bot.get_guild(guild_id) is None:
                continue  # another process's shard
            if not await services.bridging.mark_noticed(guild_id, day):
                continue  # already posted today (here or by another process)
            lang = await _lang(self.bot, guild_id)
            for round_ in await services.rounds.recent(guild_id):
                thread = self.bot.get_channel(round_.thread_id or 0)
                if not round_.is_open or not isinstance(thread, discord.Thread):
                    continue
                for notice in await services.bridging.notices(round_):
                    text = translate(
                        "bridging.notice",
                        lang,
                        community=notice.community,
                        labels=", ".join(notice.labels),
                        count=len(notice.labels),
                    )
                    try:
                        await thread.send(text, allowed_mentions=NO_MENTIONS)
                        posted += 1
                    except discord.HTTPException:
                        log.warning("could not post a notice in round %s", round_.number)
        return posted


async def set_bridging(
    interaction: discord.Interaction[Any], notices: bool | None, min_votes: int | None
) -> None:
    services = services_of(interaction)
    guild_id = guild_id_of(interaction)
    options = await services.bridging.set_options(guild_id, notices, min_votes)
    lang = await _lang(interaction.client, guild_id)
    await answer(
        interaction,
        translate(
            "bridging.setup.notices_on" if options.notices else "bridging.setup.notices_off",
            lang,
        )
        + "\n"
        + translate(
            "bridging.setup.min_votes",
            lang,
            count=options.min_votes or MIN_VOTES_PER_COMMUNITY,
        ),
    )


class Bridging(commands.Cog):
    def __init__(self, bot: TrackTwoBot) -> None:
        self.bot = bot
        self.notices = PerspectiveNotices(bot)

    async def cog_load(self) -> None:
        if self.bot.is_ready():
            self.notices.start()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        self.notices.start()

    async def cog_unload(self) -> None:
        await self.notices.stop()


async def setup(bot: TrackTwoBot) -> None:
    bot.add_dynamic_items(ReadButton, SkipButton)
    await bot.add_cog(Bridging(bot))
