"""Reports, filed by any member on a reply or a message in the dialogue channel."""

from __future__ import annotations

from bot.dialogue.models import Reply, ReplyStatus
from bot.effects import Announce, Outcome
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.moderation._decision import REPORT_REASON_MAX, Desk
from bot.moderation.models import ItemKind, ReportCategory, item_key
from bot.storage.moderation import DuplicateReport, NewReport


class Reports:
    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    async def check_reply(self, guild_id: int, reply_id: int, reporter_id: int) -> Reply:
        """Refuse early (before the member fills the form) what would be refused anyway."""
        replies = self._desk.replies
        reply = await replies.get(reply_id)
        visible = (ReplyStatus.PUBLISHED, ReplyStatus.PENDING)  # on Discord, maybe not yet recorded
        if reply.guild_id != guild_id or reply.status not in visible:
            raise NotFound("moderation.error.report_unpublished")
        if replies.is_author(reply, reporter_id):
            raise NotAllowed("moderation.error.report_own_reply")
        return reply

    async def check_message(
        self,
        guild_id: int,
        *,
        channel_id: int,
        parent_id: int | None,
        message_id: int,
        author_id: int,
        author_is_bot: bool,
        reporter_id: int,
    ) -> Reply | None:
        """The reply a message shows, if it is one; else refuse what cannot be reported."""
        reply = await self._desk.replies.by_message(message_id)
        if reply is not None:
            return await self.check_reply(guild_id, reply.id, reporter_id)
        config = await self._desk.guilds.get(guild_id)
        dialogue = config.dialogue_channel_id
        if dialogue is None or dialogue not in (channel_id, parent_id):
            raise NotAllowed("moderation.error.report_where")
        if author_is_bot:
            raise InvalidInput("moderation.error.report_bot")
        if author_id == reporter_id:
            raise NotAllowed("moderation.error.report_own_message")
        return None

    async def report_reply(
        self, guild_id: int, reply_id: int, reporter_id: int, category: str, reason: str
    ) -> Outcome:
        """A member reports a published reply (not their own). The first open report on it
        becomes a queue item and is announced; later ones join it. Raises Conflict for a
        second open report by the same member, InvalidInput for an unknown category."""
        reply = await self.check_reply(guild_id, reply_id, reporter_id)
        return await self._file(
            NewReport(
                guild_id=guild_id,
                reporter_id=reporter_id,
                category=_category(category),
                reason=self._reason(reason),
                created_at=self._desk.now(),
                reply_id=reply.id,
            )
        )

    async def report_message(
        self,
        guild_id: int,
        *,
        channel_id: int,
        parent_id: int | None,
        message_id: int,
        author_id: int,
        author_is_bot: bool,
        reporter_id: int,
        category: str,
        reason: str,
    ) -> Outcome:
        """A member reports a message in the dialogue channel or its threads; only its ids
        are stored. A message that shows a reply is reported as that reply."""
        reply = await self.check_message(
            guild_id,
            channel_id=channel_id,
            parent_id=parent_id,
            message_id=message_id,
            author_id=author_id,
            author_is_bot=author_is_bot,
            reporter_id=reporter_id,
        )
        if reply is not None:
            return await self.report_reply(guild_id, reply.id, reporter_id, category, reason)
        return await self._file(
            NewReport(
                guild_id=guild_id,
                reporter_id=reporter_id,
                category=_category(category),
                reason=self._reason(reason),
                created_at=self._desk.now(),
                channel_id=channel_id,
                message_id=message_id,
                author_id=author_id,
            )
        )

    def _reason(self, reason: str) -> str:
        return self._desk.sanitize(reason, REPORT_REASON_MAX)[:REPORT_REASON_MAX]

    async def _file(self, new: NewReport) -> Outcome:
        store = self._desk.store.reports
        try:
            report_id = await store.add_report(new)
        except DuplicateReport:
            raise Conflict("moderation.error.report_twice") from None
        report = await store.report(report_id)
        assert report is not None
        first = (await store.open_reports_like(report))[0]
        outcome = Outcome("Thank you; your report went to the moderators.")
        if first.id == report_id:  # later reports join the first one's queue item
            outcome.effects.append(Announce(item_key(ItemKind.REPORT, report_id)))
        return outcome


def _category(value: str) -> ReportCategory:
    try:
        return ReportCategory(value)
    except ValueError:
        raise InvalidInput("moderation.error.report_category") from None
