"""The digest of a round for quoting: the excerpt, then only the replies whose authors agreed
to be quoted, under pseudonyms whatever the server's publishing mode (agreeing to a quote is
not agreeing to be named outside Discord)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.dialogue.models import Excerpt, ReplyFields, ReplyStatus, Round
from bot.dialogue.replies import FIELD_LABELS
from bot.dialogue.rounds import RoundService
from bot.safety.labels import pseudonymous_label
from bot.storage.replies import ReplyStore


@dataclass(frozen=True, slots=True)
class QuotableReply:
    reply_id: int
    label: str
    fields: ReplyFields


@dataclass(frozen=True, slots=True)
class Digest:
    round_number: int
    filename: str
    markdown: str
    quoted: int


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())


def render_digest(round_: Round, excerpt: Excerpt, replies: list[QuotableReply]) -> str:
    lines = [f"# Round {round_.number}: {excerpt.title}", "", f"*{excerpt.author}*"]
    if excerpt.link:
        lines.append(f"<{excerpt.link}>")
    lines += ["", _quote(excerpt.text), "", f"## Replies shared for quoting ({len(replies)})", ""]
    if not replies:
        lines += ["No author in this round has agreed to be quoted.", ""]
    for reply in replies:
        lines += [f"### {reply.label}", ""]
        for name, title in FIELD_LABELS.items():
            text = getattr(reply.fields, name)
            if text:
                lines += [f"**{title}**", "", _quote(text), ""]
    lines += [
        "---",
        "Only published replies whose authors agreed to be quoted appear here. Authors are "
        "shown as “Participant N · community”; please quote them that way.",
    ]
    return "\n".join(lines) + "\n"


class DigestService:
    def __init__(self, rounds: RoundService, replies: ReplyStore) -> None:
        self._rounds = rounds
        self._replies = replies

    async def quotable_replies(self, guild_id: int, round_number: int) -> list[QuotableReply]:
        round_ = await self._rounds.resolve(guild_id, round_number, None)
        return await self._quotable(round_)

    async def _quotable(self, round_: Round) -> list[QuotableReply]:
        published = await self._replies.in_round(round_.id, (ReplyStatus.PUBLISHED,))
        return [
            QuotableReply(r.id, pseudonymous_label(r), r.fields)
            for r in published
            if r.quote_consent and r.circle_id is None  # a circle's replies stay inside it
        ]

    async def digest(
        self, guild_id: int, round_number: int | None, thread_id: int | None = None
    ) -> Digest:
        """The round named, else the one whose thread this is, else the latest open."""
        round_ = await self._rounds.resolve(guild_id, round_number, thread_id)
        excerpt = await self._rounds.excerpt(round_)
        replies = await self._quotable(round_)
        return Digest(
            round_.number,
            f"round-{round_.number}-digest.md",
            render_digest(round_, excerpt, replies),
            len(replies),
        )
