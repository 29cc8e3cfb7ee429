"""The dialogue loop on Discord: /prompt, /round, /reply, the reply form, endorsements, and the
tasks that publish replies and post scheduled prompts.

Other features wake the tasks by events, never by reaching for them: ``t2_outbox_changed``
(:data:`bot.effects.OUTBOX_CHANGED`) wakes the publisher, ``t2_schedule_changed`` the schedule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from cogs.dialogue.endorse import EndorseButton
from cogs.dialogue.posting import refresh_round_message
from cogs.dialogue.publisher import Publisher
from cogs.dialogue.reply_form import DraftButton, ShareButton, answer_reply_form
from cogs.dialogue.respond import RespondButton, answer_response_form
from cogs.dialogue.scheduler import PromptScheduler
from cogs.dialogue.slash import PromptGroup, ReplyGroup, RoundGroup

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot


class Dialogue(commands.Cog):
    def __init__(self, bot: TrackTwoBot) -> None:
        self.bot = bot
        self.publisher = Publisher(bot)
        self.scheduler = PromptScheduler(bot)

    async def cog_load(self) -> None:
        if self.bot.is_ready():  # loaded again into a running bot
            self._start_tasks()

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is discord.InteractionType.modal_submit:
            await answer_reply_form(interaction)
            await answer_response_form(interaction)

    @commands.Cog.listener()
    async def on_t2_outbox_changed(self) -> None:
        self.publisher.wake()

    @commands.Cog.listener()
    async def on_t2_round_changed(self, round_id: int) -> None:
        """A pause or resume: redraw the prompt (its button, its notice)."""
        round_ = await self.bot.services.rounds.get(round_id)
        await refresh_round_message(self.bot, round_)

    @commands.Cog.listener()
    async def on_t2_schedule_changed(self) -> None:
        self.scheduler.wake()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        self._start_tasks()

    def _start_tasks(self) -> None:
        """Idempotent: on_ready fires again after a reconnect."""
        self.publisher.start()
        self.scheduler.start()
        self.publisher.wake()

    async def cog_unload(self) -> None:
        await self.publisher.stop()
        await self.scheduler.stop()


async def setup(bot: TrackTwoBot) -> None:
    bot.add_dynamic_items(ShareButton, EndorseButton, DraftButton, RespondButton)
    for group in (PromptGroup(), RoundGroup(), ReplyGroup()):
        bot.tree.add_command(group)
    await bot.add_cog(Dialogue(bot))
