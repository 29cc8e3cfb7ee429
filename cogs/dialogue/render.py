"""How rounds and replies look on Discord: embeds and their persistent buttons."""

from __future__ import annotations

import discord

from bot.dialogue.models import (
    Anonymity,
    EndorsementKind,
    EndorsementTally,
    Excerpt,
    Reply,
    Round,
)
from bot.dialogue.replies import FIELD_LABELS, Reason
from bot.safety.labels import author_label
from cogs._common import truncate
from cogs.dialogue.views import EndorseButton, ReportButton, ShareButton

ENDORSE_EMOJI = {
    EndorsementKind.RESONATES: "🤝",
    EndorsementKind.LEARNED: "💡",
    EndorsementKind.DISAGREE: "🙏",
}


def source_line(excerpt: Excerpt) -> str:
    title = f"[{excerpt.title}]({excerpt.link})" if excerpt.link else f"*{excerpt.title}*"
    return truncate(f"{title} — {excerpt.author}", 1024)


def round_embed(round_: Round, excerpt: Excerpt) -> discord.Embed:
    quoted = "\n".join(f"> {line}" if line else ">" for line in excerpt.text.splitlines())
    embed = discord.Embed(
        title=f"Round {round_.number} · Dialogue prompt",
        description=truncate(quoted, 4096),
        colour=discord.Colour.teal() if round_.is_open else discord.Colour.dark_grey(),
    )
    embed.add_field(name="Source", value=source_line(excerpt), inline=False)
    embed.set_footer(
        text="Share your perspective with the button below; replies appear in this round's thread."
        if round_.is_open
        else "This round is closed. Thank you to everyone who took part."
    )
    return embed


def round_view(round_: Round) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ShareButton(round_.id, disabled=not round_.is_open))
    return view


def tally_text(tally: EndorsementTally) -> str:
    if not tally.communities:
        return "—"
    legend = " · ".join(tally.communities)
    lines = [f"{ENDORSE_EMOJI[kind]} {kind.label}: {tally.line(kind)}" for kind in EndorsementKind]
    return "\n".join(lines) + f"\n-# per community: {legend}"


def reply_embed(
    reply: Reply, tally: EndorsementTally, anonymity: Anonymity = Anonymity.PSEUDONYMS
) -> discord.Embed:
    embed = discord.Embed(colour=discord.Colour.blurple())
    embed.set_author(name=truncate(author_label(reply, anonymity), 256))
    embed.description = truncate(f"**{FIELD_LABELS['brings_up']}**\n{reply.fields.brings_up}", 4096)
    for name in ("experience", "unsure", "question"):
        value = getattr(reply.fields, name)
        if value:
            embed.add_field(name=FIELD_LABELS[name], value=truncate(value, 1024), inline=False)
    embed.add_field(name="Endorsements", value=truncate(tally_text(tally), 1024), inline=False)
    footer = f"Round {reply.round_number} · reply {reply.id}"
    if reply.edited:
        footer += " · edited"
    embed.set_footer(text=footer)
    return embed


def reply_view(reply: Reply, tally: EndorsementTally) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for kind in EndorsementKind:
        view.add_item(EndorseButton(reply.id, kind, tally.total(kind)))
    view.add_item(ReportButton(reply.id))
    return view


def reasons_text(reasons: tuple[Reason, ...]) -> str:
    lines = []
    for reason in reasons[:5]:
        where = FIELD_LABELS.get(reason.field, "your reply")
        lines.append(f"• {reason.explanation} (in “{where}”)")
    return "\n".join(lines) or "• A civility rule asked for a second look."


def draft_text(reply: Reply) -> str:
    """The member's own text, returned to them so that nothing is lost."""
    parts = [
        f"{FIELD_LABELS[name]}:\n{getattr(reply.fields, name)}"
        for name in FIELD_LABELS
        if getattr(reply.fields, name)
    ]
    body = "\n\n".join(parts).replace("```", "'''")
    return f"```\n{truncate(body, 1700)}\n```"
