"""Embeds for moderators: the queue item, the mod-log case, a member's history."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.dialogue.models import Reply
from bot.dialogue.replies import FIELD_LABELS
from bot.moderation.durations import format_duration, format_ladder
from bot.moderation.models import Case, History, ItemKind, ModerationSettings, QueueItem
from bot.moderation.queue import describe_cases
from bot.safety.labels import pseudonymous_label
from cogs._common import truncate

KIND_TITLES = {
    ItemKind.HELD: "Held reply",
    ItemKind.REPORT: "Reported",
    ItemKind.APPEAL: "Appeal",
    ItemKind.PAIRED: "Waiting for a second moderator",
}


def _when(moment: datetime) -> str:
    return f"<t:{int(moment.timestamp())}:R>"


def _history_field(embed: discord.Embed, history: History | None, anonymous: bool) -> None:
    if history is None:
        return
    if history.count == 0:
        embed.add_field(name="Prior sanctions", value="None", inline=False)
        return
    warnings = "active warning" if history.active_warnings == 1 else "active warnings"
    lines = [f"{history.count} in all · {history.active_warnings} {warnings}"]
    if anonymous:  # numbers or reasons would let a moderator look the author up
        lines += [
            f"{c.type.info.emoji} {c.type.info.label} {_when(c.created_at)}" for c in history.recent
        ]
    else:
        lines += describe_cases(history.recent)
    embed.add_field(name="Prior sanctions", value=truncate("\n".join(lines), 1024), inline=False)


def item_embed(item: QueueItem, guild_id: int) -> discord.Embed:
    title = KIND_TITLES[item.kind]
    if item.kind is ItemKind.REPORT:
        title += " reply" if item.reply is not None else " message"
    embed = discord.Embed(
        title=f"{title} · {item.position} of {item.total}",
        colour=discord.Colour.orange(),
    )
    if item.paired is not None:
        p = item.paired
        what = []
        if p.remove:
            what.append("remove the text")
        if p.warn:
            what.append("warn")
        if p.timeout is not None:
            what.append(f"time out for {format_duration(p.timeout)}")
        target = "" if p.target_id is None or item.reply else f" <@{p.target_id}>"
        embed.description = truncate(
            f"<@{p.proposed_by}> proposes to {' and '.join(what)}{target}. "
            f"Reason: {p.reason or '—'}. A moderator from another community confirms.",
            4096,
        )
    if item.reply is not None:
        reply = item.reply
        for name, label in FIELD_LABELS.items():
            text = getattr(reply.fields, name)
            if text:
                # 4 x 600 leaves room for reports and rules within the 6000-character total
                embed.add_field(name=label, value=truncate(text, 600), inline=False)
        embed.set_footer(text=f"Reply {reply.id} · round {reply.round_number}")
    if item.message_id is not None and item.channel_id is not None:
        embed.add_field(
            name="Message",
            value=f"https://discord.com/channels/{guild_id}/{item.channel_id}/{item.message_id} "
            f"in <#{item.channel_id}> (content is not stored)",
            inline=False,
        )
    if item.community:
        embed.add_field(name="Author's community", value=item.community)
    if item.verdicts:
        lines = [
            f"{v.category.value} ({v.action.value}): “{v.matched}” "
            f"in {FIELD_LABELS.get(v.field, 'text')}"
            for v in item.verdicts
        ]
        embed.add_field(name="Rules", value=truncate("\n".join(lines), 1024), inline=False)
    if item.reports:
        lines = [
            f"<@{r.reporter_id}> · {r.category.label}" + (f": {r.reason}" if r.reason else "")
            for r in item.reports
        ]
        embed.add_field(
            name=f"Reports ({len(item.reports)})",
            value=truncate("\n".join(lines), 1024),
            inline=False,
        )
    if item.appeal is not None and item.appealed_case is not None:
        case = item.appealed_case
        embed.description = truncate(
            f"<@{item.appeal.user_id}> appeals case {case.number} "
            f"({case.type.info.label}, by <@{case.moderator_id}>): {item.appeal.reason}",
            4096,
        )
    _history_field(
        embed, item.history, anonymous=item.reply is not None and item.reply.author_name is None
    )
    embed.add_field(name="Waiting since", value=_when(item.created_at))
    return embed


def case_embed(case: Case, reply: Reply | None = None) -> discord.Embed:
    """The mod-log entry of ``case``; ``reply`` is the reply it is about, when it has one. The
    author of a pseudonymous reply is shown by their label, never named (only ``/mod reveal``
    names them, with a reason)."""
    info = case.type.info
    embed = discord.Embed(
        title=f"Case {case.number} · {info.emoji} {info.label}",
        colour=discord.Colour.red() if info.sanction else discord.Colour.blurple(),
        timestamp=case.created_at,
    )
    pseudonymous = reply is not None and reply.author_name is None
    member = pseudonymous_label(reply) if reply is not None and pseudonymous else None
    if member is None and case.target_id is None and reply is not None:
        member = pseudonymous_label(reply)  # an approved held reply: its label, not "nobody"
    embed.add_field(name="Member", value=member or case.target_label)
    moderator = f"<@{case.moderator_id}>"
    if case.confirmed_by is not None:
        moderator += f", confirmed by <@{case.confirmed_by}>"
    embed.add_field(name="Moderator", value=moderator)
    if case.expires_at is not None:
        embed.add_field(name="Until", value=_when(case.expires_at))
    if case.related_case is not None:
        embed.add_field(name="About case", value=str(case.related_case))
    if reply is not None:
        embed.add_field(
            name="Reply", value=f"Round {reply.round_number} · {pseudonymous_label(reply)}"
        )
    elif case.reply_id is not None:
        embed.add_field(name="Reply", value=str(case.reply_id))
    embed.add_field(name="Reason", value=truncate(case.reason or "—", 1024), inline=False)
    if not case.active and case.expires_at is not None:
        embed.set_footer(text="No longer active")
    return embed


def history_embed(user_id: int, history: History, cases: list[Case]) -> discord.Embed:
    embed = discord.Embed(
        title="Moderation history",
        description=f"<@{user_id}> · {history.count} case(s) · "
        f"{history.active_warnings} active warning(s)",
        colour=discord.Colour.blurple(),
    )
    lines = describe_cases(cases[:20])
    if lines:
        embed.add_field(name="Cases", value=truncate("\n".join(lines), 1024), inline=False)
    return embed


def settings_text(settings: ModerationSettings) -> str:
    return (
        f"Warnings expire after **{settings.warning_days} days**. "
        f"Ladder: **{format_ladder(settings.ladder)}** (warnings=timeout, ! recommends "
        f"removal). Paired moderation: **{'on' if settings.paired else 'off'}**."
    )
