"""The endorsement buttons on a published reply: press to endorse, press again to take it
back; the reply's message shows the new tally at once."""

from __future__ import annotations

from typing import Any

import discord

from bot.dialogue.models import EndorsementKind
from cogs import _ids
from cogs._common import NO_MENTIONS, member_facts, report_failure, services_of
from cogs._persistent import PersistentItem
from cogs.dialogue.render import endorse_button, reply_embed, reply_view


class EndorseButton(PersistentItem[discord.ui.Button[Any]], id_format=_ids.ENDORSE):
    def __init__(self, kind: EndorsementKind, reply_id: int) -> None:
        self.kind = kind
        self.reply_id = reply_id
        super().__init__(endorse_button(reply_id, kind))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await endorse(interaction, self.reply_id, self.kind)


async def endorse(
    interaction: discord.Interaction[Any], reply_id: int, kind: EndorsementKind
) -> None:
    try:
        services = services_of(interaction)
        facts = member_facts(interaction)
        result = await services.replies.endorse(reply_id, facts.user_id, facts.role_ids, kind)
        reply = await services.replies.get(reply_id)
        config = await services.guild_config.get(reply.guild_id)
        parent = await services.responses.parent_of(reply)
        lang = config.language or "en"
        private = interaction.message is not None and interaction.message.flags.ephemeral
        if private:  # the "Read replies" view: keep its Skip and Next
            from cogs.bridging import reading_view  # cogs.bridging imports this package

            round_ = await services.rounds.get(reply.round_id)
            view = reading_view(round_, reply, result.tally, lang)
        else:
            view = reply_view(reply, result.tally, lang)
        await interaction.response.edit_message(
            embed=reply_embed(reply, result.tally, config.anonymity, lang, parent), view=view
        )
        text = (
            f"You marked this reply: **{result.mine.label}**. Press it again to take it back."
            if result.mine
            else "Your endorsement was taken back."
        )
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except Exception as error:
        await report_failure(interaction, error)
