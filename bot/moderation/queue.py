"""One review queue: held replies, open reports, appeals and paired actions, oldest first."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.civility.model import Verdict, load_verdicts
from bot.dialogue.communities import CommunityService
from bot.dialogue.models import GuildConfig, Reply
from bot.dialogue.replies import ReplyService
from bot.errors import InvalidInput, NotFound
from bot.moderation.casetypes import CaseType
from bot.moderation.models import (
    Case,
    History,
    ItemKind,
    QueueItem,
    Report,
    parse_item_key,
)
from bot.moderation.targets import Actor
from bot.permissions import require_moderator
from bot.storage.guilds import GuildStore
from bot.storage.moderation import ModerationStore

RECENT_CASES = 3


@dataclass(slots=True)
class Subject:
    """What a queue item is about: a reply and/or a message, its reports, its author."""

    reply: Reply | None = None
    reports: list[Report] = field(default_factory=list)
    target_id: int | None = None
    channel_id: int | None = None
    message_id: int | None = None

    @property
    def report_ids(self) -> list[int]:
        return [r.id for r in self.reports]

    @property
    def pseudonymous(self) -> bool:
        return self.reply is not None and self.reply.author_name is None

    @property
    def recorded_target(self) -> int | None:
        """Whom a case that sanctions nobody names. Not the author of a pseudonymous reply:
        the case log must not tell moderators who wrote it; that is what /mod reveal is for."""
        return None if self.pseudonymous else self.target_id


class ReviewQueue:
    def __init__(
        self,
        store: ModerationStore,
        guilds: GuildStore,
        replies: ReplyService,
        communities: CommunityService,
    ) -> None:
        self._store = store
        self._guilds = guilds
        self._replies = replies
        self._communities = communities

    async def require(self, actor: Actor) -> GuildConfig:
        """The server's configuration, once ``actor`` is known to be a moderator (else NotAllowed)."""
        config = await self._guilds.get(actor.guild_id)
        require_moderator(actor.member, config)
        return config

    async def subject(self, guild_id: int, key: str) -> Subject:
        """The reply or message behind a held-reply or report item."""
        kind, ident = self.parse(key)
        if kind is ItemKind.HELD:
            reply = await self._replies.get(ident)
            if reply.guild_id != guild_id:
                raise NotFound("moderation.error.item_gone")
            return Subject(reply=reply, target_id=self._replies.author_of(reply))
        if kind is ItemKind.REPORT:
            report = await self._store.reports.report(ident)
            if report is None or report.guild_id != guild_id:
                raise NotFound("moderation.error.report_gone")
            reports = await self._store.reports.open_reports_like(report) or [report]
            if report.reply_id is not None:
                reply = await self._replies.get(report.reply_id)
                return Subject(reply, reports, self._replies.author_of(reply))
            return Subject(None, reports, report.author_id, report.channel_id, report.message_id)
        raise InvalidInput("moderation.error.action_kind")

    async def owner_guild(self, key: str) -> int | None:
        """The server queue item ``key`` belongs to, or None when there is no such item: the
        guard every moderation custom_id passes (``cogs/_guard.py``) before any read or write."""
        try:
            kind, ident = parse_item_key(key)
        except ValueError:
            return None
        if kind is ItemKind.HELD:
            reply = await self._replies.find(ident)
            return None if reply is None else reply.guild_id
        if kind is ItemKind.REPORT:
            report = await self._store.reports.report(ident)
            return None if report is None else report.guild_id
        if kind is ItemKind.APPEAL:
            appeal = await self._store.reports.appeal(ident)
            return None if appeal is None else appeal.guild_id
        paired = await self._store.queue.paired(ident)
        return None if paired is None else paired.guild_id

    @staticmethod
    def parse(key: str) -> tuple[ItemKind, int]:
        try:
            return parse_item_key(key)
        except ValueError:
            raise NotFound("moderation.error.item_gone") from None

    async def history(self, guild_id: int, user_id: int, now: datetime) -> History:
        """Prior sanctions of the member (approvals, reveals, dismissals are not strikes): how
        many, the latest few, and active warnings at ``now``."""
        sanctions = tuple(t.value for t in CaseType if t.info.sanction)
        count, recent = await self._store.cases.sanctions_for(
            guild_id, user_id, sanctions, RECENT_CASES
        )
        return History(
            count=count,
            recent=tuple(recent),
            active_warnings=len(
                await self._store.cases.active_of_type(guild_id, user_id, CaseType.WARNING, now)
            ),
        )

    async def next(self, actor: Actor, after: str | None = None) -> QueueItem | None:
        """The oldest pending item, or the one following ``after`` (wrapping around); None
        when the queue is empty."""
        await self.require(actor)
        keys = await self._store.queue.pending_keys(actor.guild_id)
        if not keys:
            return None
        order = [k for k, _ in keys]
        # when ``after`` was resolved meanwhile, start again from the oldest item
        index = (order.index(after) + 1) % len(order) if after in order else 0
        key, at = keys[index]
        return await self._item(actor.guild_id, key, at, index + 1, len(keys))

    async def get(self, actor: Actor, key: str) -> QueueItem:
        """Queue item ``key`` for a moderator; NotFound once another moderator handled it."""
        await self.require(actor)
        item = await self.peek(actor.guild_id, key)
        if item is not None:
            return item
        raise NotFound("moderation.error.item_handled")

    async def peek(self, guild_id: int, key: str) -> QueueItem | None:
        """The item as the mod channel shows it, for the bot itself (no moderator involved)."""
        keys = await self._store.queue.pending_keys(guild_id)
        for index, (k, at) in enumerate(keys):
            if k == key:
                return await self._item(guild_id, k, at, index + 1, len(keys))
        return None

    async def _item(
        self, guild_id: int, key: str, at: datetime, position: int, total: int
    ) -> QueueItem:
        kind, ident = self.parse(key)
        base = QueueItem(key=key, kind=kind, created_at=at, position=position, total=total)
        if kind is ItemKind.APPEAL:
            appeal = await self._store.reports.appeal(ident)
            case = None if appeal is None else await self._store.cases.case_by_id(appeal.case_id)
            history = None if appeal is None else await self.history(guild_id, appeal.user_id, at)
            return replace(base, appeal=appeal, appealed_case=case, history=history)
        if kind is ItemKind.PAIRED:
            paired = await self._store.queue.paired(ident)
            if paired is not None and paired.item_key is not None:
                inner = await self._item(guild_id, paired.item_key, at, position, total)
                return replace(inner, key=key, kind=kind, paired=paired)
            if paired is not None and paired.target_id is not None:
                history = await self.history(guild_id, paired.target_id, at)
                return replace(base, paired=paired, history=history)
            return replace(base, paired=paired)
        subject = await self.subject(guild_id, key)
        history = None
        community = None
        if subject.target_id is not None:
            history = await self.history(guild_id, subject.target_id, at)
        if subject.reply is not None:
            community = subject.reply.community_label
        elif subject.target_id is not None:
            found = await self._communities.of_member(guild_id, subject.target_id, frozenset())
            community = None if found is None else found.name
        verdicts: tuple[Verdict, ...] = ()
        if subject.reply is not None and kind is ItemKind.HELD:
            verdicts = load_verdicts(subject.reply.civility_detail)
        return replace(
            base,
            reply=subject.reply,
            verdicts=verdicts,
            reports=tuple(subject.reports),
            channel_id=subject.channel_id,
            message_id=subject.message_id,
            community=community,
            history=history,
        )


def describe_cases(cases: tuple[Case, ...] | list[Case]) -> list[str]:
    return [
        f"#{c.number} {c.type.info.emoji} {c.type.info.label}"
        + (f": {c.reason[:80]}" if c.reason else "")
        for c in cases
    ]
