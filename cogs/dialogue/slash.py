"""Slash commands of the dialogue: /prompt (facilitators), /round (facilitators), /reply."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import discord
from discord import app_commands

from bot.errors import UserFacingError
from bot.i18n import translate
from cogs._common import answer, guild_id_of, language_of, require, services_of, truncate
from cogs._guard import privileged
from cogs.bridging import post_public_digest, read_round, send_export, send_round_digest
from cogs.dialogue.pause import pause as pause_here
from cogs.dialogue.pause import pause_log
from cogs.dialogue.pause import resume as resume_here
from cogs.dialogue.posting import post_round, refresh_round_message
from cogs.dialogue.render import draft_button
from cogs.dialogue.reply_form import open_edit_form, open_reply_form

log = logging.getLogger(__name__)

MAX_UPLOAD = 1_000_000


@privileged("facilitator")
async def excerpt_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[int]]:
    services = services_of(interaction)
    guild_id = guild_id_of(interaction)
    if current.strip():
        excerpts = await services.packs.search(guild_id, current)
    else:
        _, excerpts, used = await services.packs.listing(guild_id)
        excerpts = [e for e in excerpts if e.id not in used] + [e for e in excerpts if e.id in used]
    return [
        app_commands.Choice(
            name=truncate(f"{e.position}. {' '.join(e.text.split())}", 100), value=e.id
        )
        for e in excerpts[:25]
    ]


def _thread_id(interaction: discord.Interaction[Any]) -> int | None:
    channel = interaction.channel
    return channel.id if isinstance(channel, discord.Thread) else None


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class PromptGroup(
    app_commands.Group, name="prompt", description="Post and plan discussion prompts"
):
    schedule = app_commands.Group(name="schedule", description="Post prompts on a schedule")

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await require(interaction, "facilitator")

    @app_commands.command(name="post", description="Post an excerpt and open a round")
    @app_commands.describe(excerpt="Start typing to search; empty: the next unused excerpt")
    @app_commands.autocomplete(excerpt=excerpt_choices)
    async def post(self, interaction: discord.Interaction, excerpt: int | None = None) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        round_ = await post_round(interaction.client, guild_id_of(interaction), excerpt)  # type: ignore[arg-type]
        where = f"<#{round_.thread_id}>" if round_.thread_id else f"<#{round_.channel_id}>"
        lang = await language_of(interaction)
        await answer(
            interaction, translate("prompt.posted", lang, round=round_.number, where=where)
        )

    @schedule.command(name="set", description="Post the next excerpt every N hours from HH:MM UTC")
    @app_commands.describe(
        every="Hours between prompts (24 = daily)", at="First slot, HH:MM in UTC"
    )
    async def schedule_set(
        self, interaction: discord.Interaction, every: app_commands.Range[int, 1, 720], at: str
    ) -> None:
        schedule = await services_of(interaction).rounds.set_schedule(
            guild_id_of(interaction), every, at
        )
        interaction.client.dispatch("t2_schedule_changed")
        when = discord.utils.format_dt(schedule.next_run_at, "F")
        lang = await language_of(interaction)
        text = translate("prompt.schedule.set", lang, every=every, at=schedule.at_text, when=when)
        await answer(interaction, text)

    @schedule.command(name="off", description="Stop posting prompts on a schedule")
    async def schedule_off(self, interaction: discord.Interaction) -> None:
        await services_of(interaction).rounds.clear_schedule(guild_id_of(interaction))
        await answer(interaction, translate("prompt.schedule.off", await language_of(interaction)))

    @schedule.command(name="show", description="Show the schedule")
    async def schedule_show(self, interaction: discord.Interaction) -> None:
        schedule = await services_of(interaction).rounds.schedule(guild_id_of(interaction))
        lang = await language_of(interaction)
        if schedule is None:
            await answer(interaction, translate("prompt.schedule.none", lang))
            return
        when = discord.utils.format_dt(schedule.next_run_at, "F")
        every, at = schedule.every_hours, schedule.at_text
        await answer(
            interaction, translate("prompt.schedule.show", lang, every=every, at=at, when=when)
        )

    @app_commands.command(name="list", description="The excerpts of the active pack")
    async def list_(self, interaction: discord.Interaction) -> None:
        pack, excerpts, used = await services_of(interaction).packs.listing(
            guild_id_of(interaction)
        )
        lines = [
            f"{'✅' if e.id in used else '▫️'} **{e.position}.** {truncate(' '.join(e.text.split()), 110)}"
            for e in excerpts
        ]
        lang = await language_of(interaction)
        listing = "\n".join(lines) or translate("prompt.list.empty", lang)
        embed = discord.Embed(
            title=truncate(pack.title, 256),
            description=truncate(listing, 4096),
            colour=discord.Colour.teal(),
        )
        embed.set_footer(text=translate("prompt.list.footer", lang, author=pack.author))
        await answer(interaction, embed=embed)

    @app_commands.command(name="packs", description="Prompt packs available here")
    async def packs(self, interaction: discord.Interaction) -> None:
        services = services_of(interaction)
        guild_id = guild_id_of(interaction)
        active = await services.packs.active_pack(guild_id)
        lang = await language_of(interaction)
        lines = [
            translate(
                "prompt.packs.line",
                lang,
                mark="▶️" if p.id == active.id else "•",
                title=p.title,
                author=p.author,
                count=p.excerpt_count,
            )
            for p in await services.packs.packs(guild_id)
        ]
        await answer(interaction, truncate("\n".join(lines), 2000))

    @app_commands.command(name="use", description="Choose the pack new rounds draw from")
    async def use(self, interaction: discord.Interaction, pack: int) -> None:
        chosen = await services_of(interaction).packs.use_pack(guild_id_of(interaction), pack)
        lang = await language_of(interaction)
        text = translate("prompt.use", lang, title=chosen.title, author=chosen.author)
        await answer(interaction, text)

    @use.autocomplete("pack")
    @privileged("facilitator")
    async def _pack_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        packs = await services_of(interaction).packs.packs(guild_id_of(interaction))
        return [
            app_commands.Choice(name=truncate(f"{p.title} — {p.author}", 100), value=p.id)
            for p in packs
            if current.casefold() in f"{p.title} {p.author}".casefold()
        ][:25]

    @app_commands.command(name="import", description="Import a text (.md or .txt) as a prompt pack")
    @app_commands.describe(
        file="A UTF-8 .md or .txt file; blank lines separate paragraphs",
        title="The text's title (shown with every excerpt)",
        author="The text's author (shown with every excerpt)",
        link="Where the text can be read, if online",
    )
    async def import_(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment,
        title: str,
        author: str,
        link: str | None = None,
    ) -> None:
        if not file.filename.lower().endswith((".md", ".txt")):
            raise UserFacingError("packs.error.file_type")
        if file.size > MAX_UPLOAD:
            raise UserFacingError("packs.error.file_size")
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            data = await file.read()
        except discord.HTTPException:
            raise UserFacingError("packs.error.download") from None
        result = await services_of(interaction).packs.import_text(
            guild_id_of(interaction), data, title, author, link
        )
        text = translate(
            "prompt.imported",
            await language_of(interaction),
            title=result.pack.title,
            author=result.pack.author,
            count=result.added,
            skipped=result.skipped,
        )
        await answer(interaction, text)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class RoundGroup(app_commands.Group, name="round", description="Open and close rounds"):
    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.command is not None and interaction.command.name == "read":
            return True  # every member may read (the service checks their community)
        return await require(interaction, "facilitator")

    async def _toggle(
        self, interaction: discord.Interaction, number: int | None, is_open: bool
    ) -> None:
        services = services_of(interaction)
        round_ = await services.rounds.resolve(
            guild_id_of(interaction), number, _thread_id(interaction)
        )
        updated = await services.rounds.set_open(round_, is_open)
        await refresh_round_message(interaction.client, updated)  # type: ignore[arg-type]
        key = "round.reopened" if is_open else "round.closed"
        await answer(
            interaction, translate(key, await language_of(interaction), round=updated.number)
        )
        thread = interaction.client.get_channel(updated.thread_id or 0)
        if isinstance(thread, discord.Thread):
            config = await services.guild_config.get(updated.guild_id)
            key = "post.thread.reopened" if is_open else "post.thread.closed"
            note = translate(key, config.language or "en")
            with contextlib.suppress(discord.HTTPException):
                await thread.send(note)
            if not is_open:  # the round digest, with its picture, where the round was held
                try:
                    await post_public_digest(interaction.client, updated)
                except discord.HTTPException:
                    log.warning("could not post the digest of round %s", updated.number)

    @app_commands.command(name="close", description="Close a round: no more replies")
    @app_commands.describe(number="Round number; default: this thread's round or the latest open")
    async def close(self, interaction: discord.Interaction, number: int | None = None) -> None:
        await self._toggle(interaction, number, False)

    @app_commands.command(name="reopen", description="Reopen a closed round")
    async def reopen(self, interaction: discord.Interaction, number: int | None = None) -> None:
        await self._toggle(interaction, number, True)

    @app_commands.command(name="pause", description="Pause a round: no replies until resumed")
    @app_commands.describe(
        reason="Why (kept in the pause log for facilitators)",
        number="Round number; default: this thread's round or the latest open",
    )
    async def pause(
        self,
        interaction: discord.Interaction,
        reason: app_commands.Range[str, 1, 300],
        number: int | None = None,
    ) -> None:
        await pause_here(interaction, server=False, number=number, reason=reason)

    @app_commands.command(name="resume", description="Resume a paused round")
    @app_commands.describe(number="Round number; default: this thread's round or the latest open")
    async def resume(self, interaction: discord.Interaction, number: int | None = None) -> None:
        await resume_here(interaction, server=False, number=number)

    @app_commands.command(name="pauses", description="The pause log: who paused, when and why")
    async def pauses_(self, interaction: discord.Interaction) -> None:
        await pause_log(interaction)

    @app_commands.command(
        name="digest", description="Where the communities meet, and the replies you may quote"
    )
    @app_commands.describe(number="Round number; default: this thread's round or the latest open")
    async def digest(self, interaction: discord.Interaction, number: int | None = None) -> None:
        await send_round_digest(interaction, number)

    @app_commands.command(name="export", description="An anonymized CSV of the round's votes")
    @app_commands.describe(number="Round number; default: this thread's round or the latest open")
    async def export(self, interaction: discord.Interaction, number: int | None = None) -> None:
        await send_export(interaction, number)

    @app_commands.command(name="read", description="Read replies privately, one at a time")
    @app_commands.describe(number="Round number; default: this thread's round or the latest open")
    async def read(self, interaction: discord.Interaction, number: int | None = None) -> None:
        await read_round(interaction, number)


@app_commands.guild_only()
class ReplyGroup(app_commands.Group, name="reply", description="Your reply in a round"):
    @app_commands.command(name="write", description="Share your perspective on a round's excerpt")
    @app_commands.describe(number="Round number; default: this thread's round or the latest open")
    async def write(self, interaction: discord.Interaction, number: int | None = None) -> None:
        round_ = await services_of(interaction).rounds.resolve(
            guild_id_of(interaction), number, _thread_id(interaction)
        )
        await open_reply_form(interaction, round_.id)

    @app_commands.command(name="edit", description="Edit your reply while the round is open")
    async def edit(self, interaction: discord.Interaction, number: int | None = None) -> None:
        services = services_of(interaction)
        round_ = await services.rounds.resolve(
            guild_id_of(interaction), number, _thread_id(interaction)
        )
        reply = await services.replies.changeable(round_, interaction.user.id)
        await open_edit_form(interaction, reply, "edit")

    @app_commands.command(
        name="withdraw", description="Withdraw your reply while the round is open"
    )
    async def withdraw(self, interaction: discord.Interaction, number: int | None = None) -> None:
        services = services_of(interaction)
        round_ = await services.rounds.resolve(
            guild_id_of(interaction), number, _thread_id(interaction)
        )
        reply = await services.replies.changeable(round_, interaction.user.id)
        view = discord.ui.View(timeout=None)
        view.add_item(draft_button("withdraw", reply.id))
        lang = await language_of(interaction)
        text = translate("reply.withdraw.confirm", lang, round=round_.number)
        await answer(interaction, text, view=view)
