"""Moderation on Discord: the Report button and context menu, /mod, /appeal, the queue buttons,
the mod log, and one task that expires warnings and timeouts and announces new queue items.

Thin by design: every decision (and every permission check) is the moderation service's;
this cog gathers facts from Discord, calls it, and applies the effects it returns.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.effects import Announce, Outcome, PostCase, Resolve
from bot.errors import InvalidInput, NotAllowed, NotFound, StorageClosed
from bot.i18n import translate
from bot.moderation.durations import parse_duration, parse_ladder
from bot.moderation.models import Case
from bot.moderation.service import QueueAction
from bot.moderation.targets import Actor, TargetFacts
from cogs import _ids as ids
from cogs._answered import answered
from cogs._common import (
    NO_MENTIONS,
    answer,
    guild_id_of,
    language_of,
    member_facts,
    report_failure,
)
from cogs._effects import ModChannelEffect
from cogs._effects import apply as apply_effects
from cogs._guard import form_values
from cogs._tasks import Sleeper
from cogs.moderation._render import case_embed, history_embed, item_embed, settings_text
from cogs.moderation._views import (
    DYNAMIC_ITEMS,
    ReportModal,
    decide_from_form,
    item_view,
    report_answers,
)

if TYPE_CHECKING:
    from bot.services import Services
    from cogs._bot import TrackTwoBot

log = logging.getLogger(__name__)

IDLE_SECONDS = 60.0


def actor_of(interaction: discord.Interaction[Any]) -> Actor:
    guild = interaction.guild
    user = interaction.user
    if guild is None or not isinstance(user, discord.Member):
        raise NotAllowed("moderation.error.server_only")
    me = guild.me
    return Actor(
        guild.id,
        member_facts(interaction),
        user.top_role.position,
        me.top_role.position if me is not None else 0,
    )


def target_facts(member: discord.Member) -> TargetFacts:
    return TargetFacts(
        user_id=member.id,
        is_owner=member.guild.owner_id == member.id,
        is_bot=member.bot,
        top_role_position=member.top_role.position,
        is_administrator=member.guild_permissions.administrator,
    )


def message_facts(message: discord.Message) -> dict[str, Any]:
    """What a message report records about the message."""
    channel = message.channel
    return {
        "channel_id": channel.id,
        "parent_id": channel.parent_id if isinstance(channel, discord.Thread) else None,
        "message_id": message.id,
        "author_id": message.author.id,
        "author_is_bot": message.author.bot,
    }


def as_member(user: discord.Member | discord.User) -> discord.Member:
    if not isinstance(user, discord.Member):
        raise InvalidInput("moderation.error.not_member")
    return user


class Moderation(commands.Cog):
    mod = app_commands.Group(
        name="mod",
        description="Moderate the dialogue",
        guild_only=True,
        default_permissions=discord.Permissions(moderate_members=True),
    )

    def __init__(self, bot: TrackTwoBot) -> None:
        self.bot = bot
        self._sleeper = Sleeper("tracktwo-moderation-timers", self._timers, IDLE_SECONDS)
        self.report_menu = app_commands.ContextMenu(
            name="Report to moderators", callback=self.report_message_menu
        )
        self.report_menu.guild_only = True

    @property
    def services(self) -> Services:
        return self.bot.services

    actor_of = staticmethod(actor_of)

    # lifecycle -------------------------------------------------------------------------

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.report_menu)
        if self.bot.is_ready():
            self._start()

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.report_menu.name, type=self.report_menu.type)
        await self._sleeper.stop()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        self._start()

    @commands.Cog.listener()
    async def on_t2_queue_changed(self) -> None:
        """Other features call ``bot.dispatch("t2_queue_changed")`` after holding a reply, so
        that it is announced now rather than at the next minute."""
        self._sleeper.wake()

    def _start(self) -> None:
        self._sleeper.start()
        self._sleeper.wake()

    async def _timers(self) -> float | None:
        """Expire what is due and announce new queue items; the Sleeper then waits until the
        next expiry (at most a minute, so held replies are announced promptly) or a wake."""
        owned = self.bot.get_guild  # the servers on this process's shards
        for case in await self.services.moderation.expire_due(owned=lambda g: owned(g) is not None):
            await self._post_mod_log(
                case.guild_id, content=f"Case {case.number} ({case.type.info.label}) ended."
            )
        for guild_id, announce in await self.services.moderation.announcements.due():
            await self.on_t2_mod_channel(guild_id, [announce])
        due = await self.services.moderation.next_timer_due()
        return None if due is None else (due - datetime.now(UTC)).total_seconds()

    # applying effects ------------------------------------------------------------------

    async def apply(self, guild: discord.Guild, outcome: Outcome) -> None:
        """Apply a committed outcome's effects (``cogs._effects.apply``); a new expiry wakes
        the timer task."""
        await apply_effects(self.bot, guild, outcome.effects)
        if any(c.expires_at is not None for c in outcome.cases):
            self._sleeper.wake()

    @commands.Cog.listener()
    async def on_t2_mod_channel(self, guild_id: int, effects: list[ModChannelEffect]) -> None:
        """The mod-channel effects of any feature's outcome, in order (see cogs._effects)."""
        for effect in effects:
            try:
                match effect:
                    case PostCase(case=case):
                        await self._post_mod_log(guild_id, embed=await self._case_embed(case))
                    case Announce(item_key=key):
                        await self._announce(guild_id, key)
                    case Resolve(item_key=key, done=done, by=by):
                        await self._mark_resolved(guild_id, key, f"{done} by <@{by}>")
            except discord.HTTPException:
                log.warning(
                    "could not apply %s in guild %s",
                    type(effect).__name__,
                    guild_id,
                    exc_info=True,
                )

    async def _mod_channel(self, guild_id: int) -> discord.abc.Messageable | None:
        config = await self.services.guild_config.get(guild_id)
        if config.mod_channel_id is None:
            return None
        channel = self.bot.get_channel(config.mod_channel_id)
        return channel if isinstance(channel, discord.abc.Messageable) else None

    async def _post_mod_log(self, guild_id: int, **kwargs: Any) -> None:
        channel = await self._mod_channel(guild_id)
        if channel is not None:
            await channel.send(allowed_mentions=NO_MENTIONS, **kwargs)

    async def _server_language(self, guild_id: int) -> str:
        config = await self.services.guild_config.get(guild_id)
        return str(config.language or "en")

    async def _announce(self, guild_id: int, key: str) -> None:
        channel = await self._mod_channel(guild_id)
        announcements = self.services.moderation.announcements
        if channel is None:
            return  # announced once a mod channel is set
        item = await announcements.claim(guild_id, key)
        if item is None:
            return  # someone else posts it, or it is no longer waiting
        message = await channel.send(
            content="New in the moderation queue:",
            embed=item_embed(item, guild_id, await self._server_language(guild_id)),
            view=item_view(item),
            allowed_mentions=NO_MENTIONS,
        )
        await announcements.posted(guild_id, key, message.id)

    async def _mark_resolved(self, guild_id: int, key: str, text: str) -> None:
        message_id = await self.services.moderation.announcements.message_of(guild_id, key)
        channel = await self._mod_channel(guild_id)
        if message_id is None or not isinstance(channel, discord.TextChannel):
            return
        with contextlib.suppress(discord.NotFound):
            await channel.get_partial_message(message_id).edit(
                content=f"Done: {text}.", view=None, allowed_mentions=NO_MENTIONS
            )

    async def _finish(self, interaction: discord.Interaction[Any], outcome: Outcome) -> None:
        assert interaction.guild is not None
        await answer(interaction, outcome.message)
        await self.apply(interaction.guild, outcome)

    # reports ---------------------------------------------------------------------------

    async def open_reply_report(self, interaction: discord.Interaction[Any], reply_id: int) -> None:
        guild_id = guild_id_of(interaction)
        await self.services.moderation.reports.check_reply(guild_id, reply_id, interaction.user.id)
        await interaction.response.send_modal(ReportModal(ids.REPORT_FORM.build(reply_id=reply_id)))

    async def report_message_menu(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        guild_id = guild_id_of(interaction)
        await self.services.moderation.reports.check_message(
            guild_id, reporter_id=interaction.user.id, **message_facts(message)
        )
        await interaction.response.send_modal(
            ReportModal(
                ids.REPORT_MESSAGE_FORM.build(channel_id=message.channel.id, message_id=message.id)
            )
        )

    @commands.Cog.listener("on_interaction")
    async def on_report_form(self, interaction: discord.Interaction) -> None:
        """Report forms are answered from their submission (see ReportModal): after a restart,
        and for every member who has the same reply's form open."""
        try:
            reply_form = await form_values(interaction, ids.REPORT_FORM)
            if reply_form is not None:
                category, reason = report_answers(interaction)
                outcome = await self.services.moderation.reports.report_reply(
                    guild_id_of(interaction),
                    reply_form["reply_id"],
                    interaction.user.id,
                    category,
                    reason,
                )
                await self._finish(interaction, outcome)
                return
            message_form = await form_values(interaction, ids.REPORT_MESSAGE_FORM)
            if message_form is not None:
                category, reason = report_answers(interaction)
                message = await self._reported_message(interaction, message_form)
                outcome = await self.services.moderation.reports.report_message(
                    guild_id_of(interaction),
                    reporter_id=interaction.user.id,
                    category=category,
                    reason=reason,
                    **message_facts(message),
                )
                await self._finish(interaction, outcome)
        except Exception as error:
            await report_failure(interaction, error)

    async def _reported_message(
        self, interaction: discord.Interaction, values: dict[str, Any]
    ) -> discord.Message:
        guild = interaction.guild
        channel = guild.get_channel_or_thread(values["channel_id"]) if guild else None
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            raise NotFound("moderation.error.message_gone")
        try:
            return await channel.fetch_message(values["message_id"])
        except discord.NotFound:
            raise NotFound("moderation.error.message_gone") from None

    # the queue -------------------------------------------------------------------------

    async def show_next(
        self, interaction: discord.Interaction[Any], after: str | None, prefix: str = ""
    ) -> None:
        item = await self.services.moderation.queue.next(actor_of(interaction), after)
        if item is None:
            await answer(interaction, (prefix + " The queue is empty.").strip())
            return
        await answer(
            interaction,
            prefix or None,
            embed=item_embed(item, guild_id_of(interaction), await language_of(interaction)),
            view=item_view(item),
        )

    async def handle_item(
        self,
        interaction: discord.Interaction[Any],
        key: str,
        action: str,
        duration: timedelta | None,
        *,
        reason: str = "",
    ) -> None:
        actor = actor_of(interaction)
        if action == "next":
            await self.show_next(interaction, key)
            return
        guild = interaction.guild
        assert guild is not None

        async def lookup(user_id: int) -> TargetFacts | None:
            try:
                return target_facts(await guild.fetch_member(user_id))
            except discord.NotFound:
                return None

        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.services.moderation.act(
            actor, key, QueueAction(action), reason=reason, duration=duration, lookup=lookup
        )
        await self.apply(guild, outcome)
        await self.show_next(interaction, None, outcome.message)

    @mod.command(name="queue", description="Show the oldest item waiting for a moderator")
    async def queue(self, interaction: discord.Interaction) -> None:
        await self.show_next(interaction, None)

    # cases -----------------------------------------------------------------------------

    @mod.command(name="case", description="Show one case")
    @app_commands.describe(number="The case number")
    async def case(
        self, interaction: discord.Interaction, number: app_commands.Range[int, 1]
    ) -> None:
        case, edits = await self.services.moderation.get_case(actor_of(interaction), number)
        embed = await self._case_embed(case)
        if edits:
            lines = [
                f"<t:{int(e.edited_at.timestamp())}:d> <@{e.edited_by}>: {e.previous}"
                for e in edits
            ]
            embed.add_field(name="Earlier reasons", value="\n".join(lines)[:1024], inline=False)
        await answer(interaction, embed=embed)

    @mod.command(name="history", description="A member's moderation history")
    async def history(self, interaction: discord.Interaction, member: discord.Member) -> None:
        history, cases = await self.services.moderation.cases_for(actor_of(interaction), member.id)
        await answer(interaction, embed=history_embed(member.id, history, cases))

    @mod.command(name="reason", description="Change a case's reason (the old one is kept)")
    async def reason(
        self,
        interaction: discord.Interaction,
        case: app_commands.Range[int, 1],
        text: app_commands.Range[str, 1, 1000],
    ) -> None:
        updated = await self.services.moderation.edit_reason(actor_of(interaction), case, text)
        await answer(interaction, f"Case {updated.number} now reads: {updated.reason}")

    # sanctions -------------------------------------------------------------------------

    @mod.command(name="warn", description="Warn a member (warnings expire; the ladder applies)")
    async def warn(
        self,
        interaction: discord.Interaction,
        member: discord.Member,
        reason: app_commands.Range[str, 1, 1000],
    ) -> None:
        outcome = await self.services.moderation.warn(
            actor_of(interaction), target_facts(as_member(member)), reason
        )
        await self._finish(interaction, outcome)

    @mod.command(name="timeout", description="Time a member out (at most 28 days)")
    @app_commands.describe(duration="For example 10m, 1h, 3d or 1w")
    async def timeout(
        self,
        interaction: discord.Interaction,
        member: discord.Member,
        duration: app_commands.Range[str, 1, 20],
        reason: app_commands.Range[str, 1, 1000],
    ) -> None:
        actor = actor_of(interaction)
        await self.services.moderation.queue.require(actor)  # before parsing anything
        outcome = await self.services.moderation.timeout(
            actor, target_facts(as_member(member)), parse_duration(duration), reason
        )
        await self._finish(interaction, outcome)

    @mod.command(name="untimeout", description="Lift a member's timeout")
    async def untimeout(
        self,
        interaction: discord.Interaction,
        member: discord.Member,
        reason: app_commands.Range[str, 1, 1000],
    ) -> None:
        outcome = await self.services.moderation.untimeout(
            actor_of(interaction), target_facts(as_member(member)), reason
        )
        await self._finish(interaction, outcome)

    @mod.command(name="pardon", description="End an active warning or timeout early")
    async def pardon(
        self,
        interaction: discord.Interaction,
        case: app_commands.Range[int, 1],
        reason: app_commands.Range[str, 1, 1000],
    ) -> None:
        outcome = await self.services.moderation.pardon(actor_of(interaction), case, reason)
        await self._finish(interaction, outcome)

    @mod.command(name="reveal", description="Reveal who wrote a pseudonymous reply (a case)")
    @app_commands.describe(
        reply="The reply's reference, e.g. R2-4 (under it, in the queue and log)"
    )
    async def reveal(
        self,
        interaction: discord.Interaction,
        reply: app_commands.Range[str, 1, 40],
        reason: app_commands.Range[str, 1, 1000],
    ) -> None:
        outcome = await self.services.moderation.reveal(actor_of(interaction), reply, reason)
        await self._finish(interaction, outcome)

    @mod.command(
        name="settings", description="Warning expiry, escalation ladder, paired moderation"
    )
    @app_commands.describe(
        warning_days="Days until a warning expires (1-365)",
        ladder="Steps like 2=1h, 3=24h, 4=7d! (! recommends removal from the dialogue)",
        paired="Timeouts and removals need a second moderator from another community",
    )
    async def settings(
        self,
        interaction: discord.Interaction,
        warning_days: app_commands.Range[int, 1, 365] | None = None,
        ladder: app_commands.Range[str, 1, 200] | None = None,
        paired: bool | None = None,
    ) -> None:
        actor = actor_of(interaction)
        moderation = self.services.moderation
        if warning_days is None and ladder is None and paired is None:
            await answer(interaction, settings_text(await moderation.policy.get(actor)))
            return
        updated = await moderation.policy.update(
            actor,
            warning_days=warning_days,
            ladder=None if ladder is None else parse_ladder(ladder),
            paired=paired,
        )
        await answer(interaction, "Saved. " + settings_text(updated))

    # members ---------------------------------------------------------------------------

    @app_commands.command(name="appeal", description="Ask the moderators to look at a case again")
    @app_commands.guild_only()
    @app_commands.describe(case="The case number from your notice", reason="Why it was wrong")
    async def appeal(
        self,
        interaction: discord.Interaction,
        case: app_commands.Range[int, 1],
        reason: app_commands.Range[str, 1, 1000],
    ) -> None:
        outcome = await self.services.moderation.appeal(
            guild_id_of(interaction), case, interaction.user.id, reason
        )
        await self._finish(interaction, outcome)

    @commands.Cog.listener()
    async def on_app_command_completion(
        self, interaction: discord.Interaction, command: object
    ) -> None:
        """Notices that could not be sent by DM are shown the next time the member uses us."""
        if interaction.guild_id is None or not interaction.response.is_done():
            return
        await self._deliver_pending(interaction)

    @commands.Cog.listener("on_interaction")
    async def on_decision_form(self, interaction: discord.Interaction) -> None:
        if interaction.type is discord.InteractionType.modal_submit:
            await decide_from_form(interaction)

    @commands.Cog.listener("on_interaction")
    async def on_answered_interaction(self, interaction: discord.Interaction) -> None:
        """The same for buttons, selects and forms: once the feature has answered (and not
        with a form, which takes no followup), the notice follows, privately."""
        if interaction.guild_id is None or interaction.type not in (
            discord.InteractionType.component,
            discord.InteractionType.modal_submit,
        ):
            return
        # the moment the feature's first answer has returned (an event, cogs._answered)
        kind = await answered(interaction)
        if kind is None or kind is discord.InteractionResponseType.modal:
            return
        await self._deliver_pending(interaction)

    async def _case_embed(self, case: Case) -> discord.Embed:
        reply = None
        if case.reply_id is not None:
            with contextlib.suppress(NotFound):
                reply = await self.services.replies.get(case.reply_id)
        return case_embed(case, reply)

    async def _deliver_pending(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        moderation = self.services.moderation
        if self.bot.is_closed():
            return  # shutting down: the notices stay pending for the member's next visit
        try:
            notices = await moderation.notices.take(interaction.guild_id, interaction.user.id)
        except StorageClosed:
            return  # the database closed under us during shutdown; nothing was taken
        if not notices:
            return
        lang = await language_of(interaction)
        text = "\n\n".join(notice.render(lang) for _, notice in notices)
        heading = translate("moderation.notice.heading", lang)
        try:
            await interaction.followup.send(
                f"{heading}\n{text}"[:2000],
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException as error:
            log.warning("a pending notice could not follow the interaction (%s)", error)
            await moderation.notices.give_back([i for i, _ in notices])


async def setup(bot: TrackTwoBot) -> None:
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(Moderation(bot))


__all__ = ["Moderation", "setup"]
