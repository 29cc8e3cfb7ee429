"""The case log: reading cases, editing a reason (the old one is kept), reveals, cases
decided elsewhere, and expiry of warnings and timeouts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bot.effects import Outcome
from bot.errors import NotFound
from bot.moderation._decision import Desk, outcome_of
from bot.moderation.casetypes import CaseType
from bot.moderation.models import Case, History, NewCase, ReasonEdit
from bot.moderation.targets import Actor
from bot.storage.moderation import AddCase, Decision, Write


class Cases:
    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    async def create(self, guild_id: int, new: NewCase, first: Sequence[Write] = ()) -> Outcome:
        decision = Decision(self._desk.now(), [*first, AddCase(new)])
        return outcome_of("", await self._desk.store.commit(guild_id, decision))

    async def get(self, actor: Actor, number: int) -> tuple[Case, list[ReasonEdit]]:
        await self._desk.queue.require(actor)
        case = await self._desk.case(actor.guild_id, number)
        return case, await self._desk.store.cases.reason_edits(case.id)

    async def about(self, actor: Actor, user_id: int) -> tuple[History, list[Case]]:
        await self._desk.queue.require(actor)
        history = await self._desk.queue.history(actor.guild_id, user_id, self._desk.now())
        return history, await self._desk.store.cases.cases_for(actor.guild_id, user_id)

    async def edit_reason(self, actor: Actor, number: int, text: str) -> Case:
        await self._desk.queue.require(actor)
        case = await self._desk.case(actor.guild_id, number)
        text = self._desk.reason(text, required=True)
        await self._desk.store.cases.edit_reason(case.id, text, actor.user_id, self._desk.now())
        return await self._desk.case(actor.guild_id, number)

    async def reveal(self, actor: Actor, reply_id: int | str, reason: str) -> Outcome:
        """``reply_id``: the reply's id, or its reference as a moderator typed it ("R2-4")."""
        await self._desk.queue.require(actor)
        reason = self._desk.reason(reason, required=True)
        replies = self._desk.replies
        if isinstance(reply_id, str):
            reply = await replies.by_reference(actor.guild_id, reply_id)
        else:
            reply = await replies.get(reply_id)
        if reply.guild_id != actor.guild_id:
            raise NotFound("replies.error.gone")
        author = replies.author_of(reply)
        case = NewCase(CaseType.REVEAL, actor.user_id, author, reason, reply_id=reply.id)
        decision = Decision(self._desk.now(), [AddCase(case)])
        committed = await self._desk.store.commit(actor.guild_id, decision)
        outcome = outcome_of(
            f"Reply {reply.reference} was written by <@{author}> (case {committed.cases[0].number}).",
            committed,
        )
        outcome.user_id = author
        return outcome

    async def expire_due(
        self, now: datetime | None = None, owned: Callable[[int], bool] | None = None
    ) -> list[Case]:
        """Discord lifts a timeout by itself, so there is nothing to undo there."""
        store = self._desk.store.cases
        due = [
            c
            for c in await store.due_cases(now or self._desk.now())
            if owned is None or owned(c.guild_id)
        ]
        done = set(await store.expire([c.id for c in due]))
        return [c for c in due if c.id in done]
