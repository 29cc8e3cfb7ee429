"""What happens when members press the dialogue's buttons and submit its form."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.dialogue.models import EndorsementKind, Reply, ReplyStatus, Round
from bot.dialogue.replies import Outcome, RawReply, SubmitResult
from bot.errors import NotFound, UserFacingError
from bot.i18n import translate
from bot.safety.labels import author_label
from cogs._common import (
    NO_MENTIONS,
    answer,
    error_text,
    guild_id_of,
    language_of,
    member_facts,
    report_failure,
    services_of,
    submitted_values,
)
from cogs.dialogue.render import (
    draft_text,
    reasons_text,
    reply_embed,
    reply_view,
    round_embed,
    round_view,
)
from cogs.dialogue.views import DraftButton, ReplyModal

if TYPE_CHECKING:
    from bot.services import Services
    from bot.startup import TrackTwoBot

log = logging.getLogger(__name__)


async def open_reply_form(interaction: discord.Interaction[Any], round_id: int) -> None:
    """The "Share your perspective" button and /reply write."""
    try:
        services = services_of(interaction)
        round_ = await services.rounds.get(round_id)
        if round_.guild_id != guild_id_of(interaction):
            raise NotFound("That round belongs to another server.")
        lang = await language_of(interaction)
        if not round_.is_open:
            raise UserFacingError(translate("reply.round_closed", lang, round=round_.number))
        facts = member_facts(interaction)
        community = await services.communities.of_member(
            round_.guild_id, facts.user_id, facts.role_ids
        )
        if community is None:
            raise UserFacingError(translate("reply.join_first", lang))
        await interaction.response.send_modal(
            ReplyModal("new", round_.id, round_.number, lang=lang)
        )
    except Exception as error:
        await report_failure(interaction, error)


async def open_edit_form(interaction: discord.Interaction[Any], reply: Reply, mode: str) -> None:
    lang = await language_of(interaction)
    await interaction.response.send_modal(
        ReplyModal(mode, reply.id, reply.round_number, reply, lang=lang)
    )


class SubmittedForm(Protocol):
    mode: str
    target_id: int

    def raw(self) -> RawReply: ...


@dataclass(slots=True)
class RecoveredForm:
    """A reply form submitted after the bot restarted: discord.py no longer holds the modal,
    so the answers are read from the interaction itself, and the member's words are kept."""

    mode: str
    target_id: int
    values: dict[str, str]
    consent: bool

    def raw(self) -> RawReply:
        return RawReply(
            brings_up=self.values.get("brings_up", ""),
            experience=self.values.get("experience", ""),
            unsure=self.values.get("unsure", ""),
            question=self.values.get("question", ""),
            quote_consent=self.consent,
        )


REPLY_FORM_ID = re.compile(r"^t2:reply:(?P<mode>new|revise|edit):(?P<target>[0-9]+)$")
_handled: deque[int] = deque(maxlen=1024)  # interaction ids a live modal already took


async def recover_reply_form(interaction: discord.Interaction[Any]) -> None:
    """Called for every form submission; answers only those no live modal took."""
    data = dict(interaction.data or {})
    match = REPLY_FORM_ID.match(str(data.get("custom_id", "")))
    if match is None:
        return
    await asyncio.sleep(0.05)  # a live modal's task starts first and claims the interaction
    if interaction.id in _handled or interaction.response.is_done():
        return
    values = submitted_values(interaction)
    form = RecoveredForm(
        match["mode"],
        int(match["target"]),
        {k: v for k, v in values.items() if isinstance(v, str)},
        values.get("quote_consent") == ["yes"],
    )
    await submit_reply_form(interaction, form)


async def submit_reply_form(interaction: discord.Interaction[Any], modal: SubmittedForm) -> None:
    """Commit first, then acknowledge, then publish (through the outbox)."""
    _handled.append(interaction.id)
    try:
        services = services_of(interaction)
        facts = member_facts(interaction)
        raw = modal.raw()
        raw_text = "\n\n".join(
            t for t in (raw.brings_up, raw.experience, raw.unsure, raw.question) if t.strip()
        ).replace("```", "'''")
        try:
            if modal.mode == "new":
                name = interaction.user.display_name
                result = await services.replies.submit(
                    modal.target_id, facts.user_id, facts.role_ids, name, raw
                )
            elif modal.mode == "revise":
                result = await services.replies.revise(modal.target_id, facts.user_id, raw)
            else:
                result = await services.replies.edit(modal.target_id, facts.user_id, raw)
        except UserFacingError as error:
            # Bad input never loses the member's words: give them back with the reason.
            reason = await error_text(interaction, error)
            await answer(interaction, f"{reason}\n```\n{raw_text[:1700]}\n```")
            return
        lang = await language_of(interaction)
        await acknowledge(
            interaction, result, edited=modal.mode == "edit", raw_text=raw_text, lang=lang
        )
        wake_publisher(interaction.client)
    except Exception as error:
        await report_failure(interaction, error)


async def acknowledge(
    interaction: discord.Interaction[Any],
    result: SubmitResult,
    *,
    edited: bool,
    raw_text: str,
    lang: str = "en",
) -> None:
    reply = result.reply
    view = discord.ui.View(timeout=None)
    if result.outcome is Outcome.HELD:
        interaction.client.dispatch("t2_queue_changed")
    if result.outcome is Outcome.ACCEPTED:
        config = await services_of(interaction).setup.config(reply.guild_id)
        text = (
            translate("reply.edit_saved", lang)
            if edited
            else translate("reply.saved", lang, label=author_label(reply, config.anonymity))
        )
        await answer(interaction, text)
        return
    if result.outcome is Outcome.HELD:
        await answer(
            interaction,
            translate("reply.held", lang) + "\n" + reasons_text(result.reasons, lang),
        )
        return
    if edited:
        await answer(
            interaction,
            translate("reply.edit_refused", lang)
            + "\n"
            + reasons_text(result.reasons, lang)
            + "\n"
            + translate("reply.edit_refused_after", lang)
            + f"\n```\n{raw_text[:1700]}\n```",
        )
        return
    view.add_item(DraftButton("rephrase", reply.id, lang=lang))
    if result.outcome is Outcome.NUDGED:
        view.add_item(DraftButton("anyway", reply.id, lang=lang))
        await answer(
            interaction,
            translate("reply.nudged", lang)
            + "\n"
            + reasons_text(result.reasons, lang)
            + "\n"
            + translate("reply.nudged_after", lang),
            view=view,
        )
        return
    await answer(
        interaction,
        translate("reply.blocked", lang)
        + "\n"
        + reasons_text(result.reasons, lang)
        + "\n"
        + translate("reply.blocked_after", lang)
        + "\n"
        + draft_text(reply),
        view=view,
    )


async def draft_action(interaction: discord.Interaction[Any], action: str, reply_id: int) -> None:
    try:
        services = services_of(interaction)
        user_id = interaction.user.id
        if action == "rephrase":
            reply = await services.replies.get(reply_id)
            if (
                services.pseudonyms.author_key(reply.guild_id, reply.round_id, user_id)
                != reply.author_key
            ):
                raise UserFacingError("Only the author can rephrase this reply.")
            if reply.status is not ReplyStatus.DRAFT:
                raise UserFacingError("That reply was already submitted.")
            await open_edit_form(interaction, reply, "revise")
        elif action == "anyway":
            await services.replies.submit_anyway(reply_id, user_id)
            interaction.client.dispatch("t2_queue_changed")
            lang = await language_of(interaction)
            await interaction.response.edit_message(
                content=translate("reply.submitted_anyway", lang), view=None
            )
        else:
            reply = await services.replies.withdraw(reply_id, user_id)
            wake_publisher(interaction.client)
            lang = await language_of(interaction)
            await interaction.response.edit_message(
                content=translate("reply.withdrawn", lang, round=reply.round_number), view=None
            )
    except Exception as error:
        await report_failure(interaction, error)


async def endorse(
    interaction: discord.Interaction[Any], reply_id: int, kind: EndorsementKind
) -> None:
    try:
        services = services_of(interaction)
        facts = member_facts(interaction)
        result = await services.replies.endorse(reply_id, facts.user_id, facts.role_ids, kind)
        reply = await services.replies.get(reply_id)
        config = await services.setup.config(reply.guild_id)
        await interaction.response.edit_message(
            embed=reply_embed(reply, result.tally, config.anonymity, config.language or "en"),
            view=reply_view(reply, result.tally, config.language or "en"),
        )
        text = (
            f"You marked this reply: **{result.mine.label}**. Press it again to take it back."
            if result.mine
            else "Your endorsement was taken back."
        )
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except Exception as error:
        await report_failure(interaction, error)


# posting rounds ------------------------------------------------------------------------


async def post_round(bot: TrackTwoBot, guild_id: int, excerpt_id: int | None) -> Round:
    """Post an excerpt in the dialogue channel and open its thread. Used by /prompt post and
    by the schedule."""
    services: Services = bot.services
    round_, excerpt = await services.rounds.prepare(guild_id, excerpt_id)
    channel = bot.get_channel(round_.channel_id)
    if not isinstance(channel, discord.TextChannel):
        await services.rounds.abandon(round_)
        raise UserFacingError("I cannot see the dialogue channel; check /setup dialogue-channel.")
    lang = (await services.setup.config(guild_id)).language or "en"
    try:
        message = await channel.send(
            embed=round_embed(round_, excerpt, lang),
            view=round_view(round_, lang),
            allowed_mentions=NO_MENTIONS,
        )
    except discord.HTTPException:
        await services.rounds.abandon(round_)
        raise UserFacingError(
            "I could not post in the dialogue channel; check that I may send messages there."
        ) from None
    thread_id: int | None = None
    try:
        thread = await message.create_thread(
            name=f"Round {round_.number} · {excerpt.title.split(':')[0]}"[:100],
            auto_archive_duration=10080,
        )
        thread_id = thread.id
    except discord.HTTPException:
        log.warning("round %s: could not open a thread; replies will wait", round_.id)
    return await services.rounds.attach(round_, message.id, thread_id)


async def refresh_round_message(bot: TrackTwoBot, round_: Round) -> None:
    services: Services = bot.services
    channel = bot.get_channel(round_.channel_id)
    if not isinstance(channel, discord.TextChannel) or round_.message_id is None:
        return
    excerpt = await services.rounds.excerpt(round_)
    lang = (await services.setup.config(round_.guild_id)).language or "en"
    try:
        await channel.get_partial_message(round_.message_id).edit(
            embed=round_embed(round_, excerpt, lang), view=round_view(round_, lang)
        )
    except discord.HTTPException:
        log.warning("round %s: could not update the prompt message", round_.id)


def wake_publisher(client: Any) -> None:
    publisher = getattr(client, "publisher", None)
    if publisher is not None:
        publisher.wake()
