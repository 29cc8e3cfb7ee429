"""Structured replies: sanitize, check, commit (with the outbox), then publish; endorsements.

The reply is committed before the member is told it was received; publication to Discord is
outbox work that the publisher retries until it succeeds, exactly once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from datetime import datetime
from enum import StrEnum

from bot.civility.model import Action, Verdict, dump_verdicts
from bot.dialogue.communities import CommunityService
from bot.dialogue.models import (
    Anonymity,
    EndorsementKind,
    EndorsementTally,
    OutboxItem,
    Reply,
    ReplyFields,
    ReplyStatus,
    Round,
)
from bot.dialogue.reference import parse_reference
from bot.effects import Effect, OutboxChanged, QueueChanged
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.privacy import Pseudonymizer
from bot.storage.communities import CommunityStore
from bot.storage.guilds import GuildStore
from bot.storage.replies import AlreadyChanged, AlreadySubmitted, NewReply, ReplyStore
from bot.storage.rounds import RoundStore

BRINGS_UP_MIN = 20
BRINGS_UP_MAX = 1500
OPTIONAL_MAX = 1000

FIELD_LABELS = {
    "brings_up": "What this excerpt brings up for me",
    "experience": "An experience that shaped my view",
    "unsure": "Where I feel mixed or unsure",
    "question": "A question for the other community",
}

FIELD_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class CheckSummary:
    action: Action = Action.ALLOW
    verdicts: tuple[Verdict, ...] = ()
    # called once the checked submission is committed: only saved text counts as flooding
    committed: Callable[[], None] | None = dataclass_field(default=None, compare=False)


# The seam between replies and the civility engine: (guild, field text, author key) -> summary.
TextChecker = Callable[[int, str, str], Awaitable[CheckSummary]]
Sanitizer = Callable[[str, int | None], str]
CircleGate = Callable[[int, int, int, int], Awaitable[None]]


async def allow_everything(guild_id: int, text: str, author_key: str) -> CheckSummary:
    return CheckSummary()


def strip_only(text: str, limit: int | None) -> str:
    text = text.strip()
    return text if limit is None else text[:limit]


class Disposition(StrEnum):
    """What became of a submitted reply (a moderation call's result is bot.effects.Outcome)."""

    ACCEPTED = "accepted"  # committed; publication queued
    NUDGED = "nudged"  # kept as a draft; the author may rephrase or submit anyway
    HELD = "held"  # waits for a moderator
    BLOCKED = "blocked"  # kept as a draft for the author only; not publishable


@dataclass(frozen=True, slots=True)
class SubmitResult:
    disposition: Disposition
    reply: Reply
    verdicts: tuple[Verdict, ...] = ()
    repeat: bool = False  # the form was submitted before: this is the first reply, not a new one

    @property
    def effects(self) -> tuple[Effect, ...]:
        """What the other features should look at once this is committed: a held reply is
        new work for the moderators; an accepted one (or its edit) for the publisher."""
        if self.repeat:
            return ()
        if self.disposition is Disposition.HELD:
            return (QueueChanged(), OutboxChanged())
        if self.disposition is Disposition.ACCEPTED:
            return (OutboxChanged(),)
        return ()


@dataclass(frozen=True, slots=True)
class Relabelling:
    """Published replies whose label must change after the server's publishing mode did."""

    count: int
    effects: tuple[Effect, ...] = (OutboxChanged(),)


@dataclass(frozen=True, slots=True)
class Withdrawal:
    reply: Reply
    effects: tuple[Effect, ...] = (OutboxChanged(),)


@dataclass(frozen=True, slots=True)
class EndorseResult:
    reply: Reply
    mine: EndorsementKind | None
    tally: EndorsementTally


@dataclass(slots=True)
class RawReply:
    brings_up: str
    experience: str = ""
    unsure: str = ""
    question: str = ""
    quote_consent: bool = False


class ReplyService:
    def __init__(
        self,
        store: ReplyStore,
        rounds: RoundStore,
        communities: CommunityService,
        community_store: CommunityStore,
        guilds: GuildStore,
        pseudonyms: Pseudonymizer,
        *,
        sanitize: Sanitizer = strip_only,
        check: TextChecker = allow_everything,
    ) -> None:
        self._store = store
        self._rounds = rounds
        self._communities = communities
        self._community_store = community_store
        self._guilds = guilds
        self._pseudonyms = pseudonyms
        self.sanitize = sanitize
        self.check = check
        # (circle, server, round, member) -> None or a refusal: set by the composition root
        # to the circle service's gate; without it no reply is written in a circle
        self.circle_gate: CircleGate | None = None

    async def check_circle(
        self, circle_id: int | None, guild_id: int, round_id: int, user_id: int
    ) -> None:
        if circle_id is None:
            return
        if self.circle_gate is None:
            raise NotAllowed("Circles are not available here.", key="circles.members_only")
        await self.circle_gate(circle_id, guild_id, round_id, user_id)

    # helpers ---------------------------------------------------------------------------

    def clean(self, raw: RawReply) -> ReplyFields:
        fields = ReplyFields(
            brings_up=self.sanitize(raw.brings_up, BRINGS_UP_MAX),
            experience=self.sanitize(raw.experience, OPTIONAL_MAX),
            unsure=self.sanitize(raw.unsure, OPTIONAL_MAX),
            question=self.sanitize(raw.question, OPTIONAL_MAX),
        )
        if len(fields.brings_up) < BRINGS_UP_MIN:
            raise InvalidInput(
                f"“{FIELD_LABELS['brings_up']}” needs at least {BRINGS_UP_MIN} characters; "
                "your text is below, so nothing is lost.",
                key="error.reply_too_short",
                min=BRINGS_UP_MIN,
            )
        return fields

    async def _check_fields(self, guild_id: int, fields: ReplyFields, key: str) -> CheckSummary:
        """One check per submission (flooding and repeats count submissions, not fields) over
        the fields joined; each reason is attributed back to the field it was found in."""
        parts = [(name, getattr(fields, name)) for name in FIELD_LABELS if getattr(fields, name)]
        joined = FIELD_SEPARATOR.join(text for _, text in parts)
        bounds: list[tuple[int, str]] = []
        offset = 0
        for name, text in parts:
            bounds.append((offset, name))
            offset += len(text) + len(FIELD_SEPARATOR)
        summary = await self.check(guild_id, joined, key)
        verdicts = []
        for verdict in summary.verdicts:
            field = next((name for begin, name in reversed(bounds) if verdict.start >= begin), "")
            verdicts.append(replace(verdict, field=field if verdict.start >= 0 else ""))
        return CheckSummary(summary.action, tuple(verdicts), committed=summary.committed)

    async def _open_round(self, round_id: int) -> Round:
        round_ = await self._rounds.get(round_id)
        if round_ is None:
            raise NotFound("rounds.error.gone")
        if not round_.is_open:
            raise Conflict(
                f"Round {round_.number} is closed; replies are no longer accepted.",
                key="reply.round_closed",
                round=round_.number,
            )
        return round_

    async def _own_reply(self, reply_id: int, user_id: int) -> Reply:
        reply = await self._store.get(reply_id)
        if reply is None:
            raise NotFound("replies.error.gone")
        if reply.author_key != self._pseudonyms.author_key(reply.guild_id, reply.round_id, user_id):
            raise NotAllowed(
                "Only the author can do that with this reply.", key="error.only_author"
            )
        return reply

    @staticmethod
    def _count(summary: CheckSummary) -> None:
        """The submission is committed: now it counts towards flooding and repeats."""
        if summary.committed is not None:
            summary.committed()

    @staticmethod
    def _detail(summary: CheckSummary) -> str:
        return dump_verdicts(summary.verdicts)

    @staticmethod
    def _status_for(action: Action, force: bool) -> tuple[ReplyStatus, Disposition]:
        if action is Action.BLOCK:
            return ReplyStatus.DRAFT, Disposition.BLOCKED
        if action is Action.HOLD or (action is Action.NUDGE and force):
            return ReplyStatus.HELD, Disposition.HELD
        if action is Action.NUDGE:
            return ReplyStatus.DRAFT, Disposition.NUDGED
        return ReplyStatus.PENDING, Disposition.ACCEPTED

    async def find(self, reply_id: int) -> Reply | None:
        """The reply, or None (for the cross-server guard, which refuses either way)."""
        return await self._store.get(reply_id)

    async def get(self, reply_id: int) -> Reply:
        reply = await self._store.get(reply_id)
        if reply is None:
            raise NotFound("replies.error.gone")
        return reply

    async def by_reference(self, guild_id: int, text: str) -> Reply:
        """The reply a person named by its reference ("R2-4", as shown under it), on this
        server only. Raises InvalidInput when ``text`` is not a reference, NotFound when no
        reply of this server has it."""
        ref = parse_reference(text)
        if ref is None:
            raise InvalidInput(
                "That is not a reply reference.", key="conversation.reference.invalid"
            )
        reply = await self._store.by_reference(guild_id, ref.round, ref.number)
        if reply is None:
            raise NotFound(
                "No reply has that reference.",
                key="conversation.reference.unknown",
                ref=str(ref),
            )
        return reply

    # the reply flow --------------------------------------------------------------------

    async def submit(
        self,
        round_id: int,
        user_id: int,
        role_ids: frozenset[int],
        display_name: str,
        raw: RawReply,
        *,
        submission_key: str | None = None,
        circle_id: int | None = None,
    ) -> SubmitResult:
        """``submission_key`` (issued when the form opened) makes a second submit of the same
        form answer with the reply the first one created, across restarts. ``circle_id``: the
        reply is written in that circle (its members only), and published in its thread."""
        if submission_key is not None:
            first = await self._submitted_before(round_id, user_id, submission_key)
            if first is not None:
                return first
        round_ = await self._open_round(round_id)
        await self.check_circle(circle_id, round_.guild_id, round_.id, user_id)
        community = await self._communities.of_member(round_.guild_id, user_id, role_ids)
        if community is None:
            raise NotAllowed(
                "Replies are labelled with a community, and you have not joined one yet: "
                "use /community join, then share your perspective.",
                key="reply.join_first",
            )
        fields = self.clean(raw)
        key = self._pseudonyms.author_key(round_.guild_id, round_.id, user_id)
        summary = await self._check_fields(round_.guild_id, fields, key)
        status, disposition = self._status_for(summary.action, force=False)
        config = await self._guilds.get(round_.guild_id)
        new = NewReply(
            round_id=round_.id,
            guild_id=round_.guild_id,
            author_key=key,
            author_seal=self._pseudonyms.seal(user_id),
            author_name=display_name[:80] if config.anonymity is Anonymity.OFF else None,
            community_id=community.id,
            community_label=community.name,
            fields=fields,
            quote_consent=raw.quote_consent,
            status=status,
            civility_action=summary.action.value,
            civility_detail=self._detail(summary),
            submission_key=submission_key,
            circle_id=circle_id,
        )
        try:
            reply_id, participant, number = await self._store.create_numbered(new)
        except AlreadySubmitted as already:  # the same form, submitted twice at once
            return self._repeat(await self.get(already.reply_id))
        self._count(summary)
        reply = Reply(
            id=reply_id,
            round_id=round_.id,
            guild_id=round_.guild_id,
            round_number=round_.number,
            thread_id=round_.thread_id,
            author_key=key,
            author_seal=new.author_seal,
            author_name=new.author_name,
            participant_number=participant,
            community_id=community.id,
            community_label=community.name,
            fields=fields,
            quote_consent=raw.quote_consent,
            status=status,
            civility_action=summary.action.value,
            civility_detail=new.civility_detail,
            message_id=None,
            number=number,
        )
        if circle_id is not None:  # its thread is the circle's
            reply = await self.get(reply_id)
        return SubmitResult(disposition, reply, summary.verdicts)

    async def _submitted_before(
        self, round_id: int, user_id: int, submission_key: str
    ) -> SubmitResult | None:
        round_ = await self._rounds.get(round_id)
        if round_ is None:
            return None
        key = self._pseudonyms.author_key(round_.guild_id, round_.id, user_id)
        first = await self._store.by_submission_key(key, submission_key)
        return None if first is None else self._repeat(first)

    @staticmethod
    def _repeat(reply: Reply) -> SubmitResult:
        if reply.status is ReplyStatus.DRAFT:
            disposition = (
                Disposition.BLOCKED if reply.civility_action == "block" else Disposition.NUDGED
            )
        elif reply.status is ReplyStatus.HELD:
            disposition = Disposition.HELD
        else:
            disposition = Disposition.ACCEPTED
        return SubmitResult(disposition, reply, repeat=True)

    async def _changed_before(
        self, reply: Reply, submission_key: str | None
    ) -> SubmitResult | None:
        """The first change a form with ``submission_key`` made to ``reply``, if it made one."""
        if submission_key is None:
            return None
        outcome = await self._store.change_by_key(reply.id, submission_key)
        return None if outcome is None else SubmitResult(Disposition(outcome), reply, repeat=True)

    async def revise(
        self, reply_id: int, user_id: int, raw: RawReply, *, submission_key: str | None = None
    ) -> SubmitResult:
        """The author rephrases a draft (nudged or blocked); it is checked again.
        ``submission_key`` (issued when the form opened): a second submit of the same form
        answers with the first one's outcome and writes nothing."""
        reply = await self._own_reply(reply_id, user_id)
        first = await self._changed_before(reply, submission_key)
        if first is not None:
            return first
        if reply.status is not ReplyStatus.DRAFT:
            raise Conflict("replies.error.submitted_edit")
        await self._open_round(reply.round_id)
        fields = self.clean(raw)
        summary = await self._check_fields(reply.guild_id, fields, reply.author_key)
        status, disposition = self._status_for(summary.action, force=False)
        try:
            await self._store.update_fields(
                reply.id,
                fields,
                status,
                summary.action.value,
                self._detail(summary),
                keep_history=False,
                outbox_kind="publish" if status is ReplyStatus.PENDING else None,
                submission_key=submission_key,
                outcome=disposition.value,
            )
        except AlreadyChanged as already:  # the same form, submitted twice at once
            return SubmitResult(Disposition(already.outcome), await self.get(reply.id), repeat=True)
        self._count(summary)
        return SubmitResult(disposition, await self.get(reply.id), summary.verdicts)

    async def revisable(self, reply_id: int, user_id: int) -> Reply:
        """The author's draft, before the form to rephrase it opens; refused for anyone else
        and once it was submitted."""
        reply = await self._own_reply(reply_id, user_id)
        if reply.status is not ReplyStatus.DRAFT:
            raise Conflict("replies.error.submitted")
        return reply

    async def submit_anyway(self, reply_id: int, user_id: int) -> SubmitResult:
        """A nudged draft goes to the moderators as it is."""
        reply = await self._own_reply(reply_id, user_id)
        if reply.status is not ReplyStatus.DRAFT:
            raise Conflict("replies.error.submitted")
        if reply.civility_action == "block":
            raise NotAllowed("replies.error.unoverridable")
        await self._open_round(reply.round_id)
        await self._store.set_status(reply.id, ReplyStatus.HELD, expected=(ReplyStatus.DRAFT,))
        return SubmitResult(Disposition.HELD, await self.get(reply.id))

    async def own_replies(self, round_: Round, user_id: int) -> list[Reply]:
        key = self._pseudonyms.author_key(round_.guild_id, round_.id, user_id)
        return [
            r
            for r in await self._store.by_author(round_.id, key)
            if r.status in (ReplyStatus.PUBLISHED, ReplyStatus.PENDING, ReplyStatus.HELD)
        ]

    async def latest_own(self, round_: Round, user_id: int) -> Reply:
        replies = await self.own_replies(round_, user_id)
        if not replies:
            raise NotFound(
                f"You have no reply in round {round_.number}.",
                key="error.no_reply_in_round",
                round=round_.number,
            )
        return replies[-1]

    async def changeable(self, round_: Round, user_id: int) -> Reply:
        """The member's latest reply in ``round_``, before it is edited or withdrawn; refused
        once the round is closed."""
        if not round_.is_open:
            raise Conflict("replies.error.round_closed", round=round_.number)
        return await self.latest_own(round_, user_id)

    async def edit(
        self, reply_id: int, user_id: int, raw: RawReply, *, submission_key: str | None = None
    ) -> SubmitResult:
        """Edit a submitted reply while the round is open; the old text stays in history. A
        change that trips a rule is not applied, and the author is told why. With
        ``submission_key``, a second submit of the same form answers with the first edit's
        outcome and writes nothing."""
        reply = await self._own_reply(reply_id, user_id)
        first = await self._changed_before(reply, submission_key)
        if first is not None:
            return first
        if reply.status not in (ReplyStatus.PUBLISHED, ReplyStatus.PENDING, ReplyStatus.HELD):
            raise Conflict("replies.error.only_submitted")
        await self._open_round(reply.round_id)
        fields = self.clean(raw)
        summary = await self._check_fields(reply.guild_id, fields, reply.author_key)
        _, disposition = self._status_for(summary.action, force=False)
        if disposition is not Disposition.ACCEPTED and reply.status is not ReplyStatus.HELD:
            return SubmitResult(disposition, reply, summary.verdicts)
        new_status = reply.status if disposition is Disposition.ACCEPTED else ReplyStatus.HELD
        try:
            await self._store.update_fields(
                reply.id,
                fields,
                new_status,
                summary.action.value,
                self._detail(summary),
                keep_history=True,
                # a pending reply may be on its way out with the old text: refresh it after
                # (the publisher keeps a thread's rows in order)
                outbox_kind="refresh"
                if reply.status in (ReplyStatus.PUBLISHED, ReplyStatus.PENDING)
                else None,
                submission_key=submission_key,
                outcome=disposition.value,
            )
        except AlreadyChanged as already:  # the same form, submitted twice at once
            return SubmitResult(Disposition(already.outcome), await self.get(reply.id), repeat=True)
        self._count(summary)
        return SubmitResult(disposition, await self.get(reply.id), summary.verdicts)

    async def withdraw(self, reply_id: int, user_id: int) -> Withdrawal:
        reply = await self._own_reply(reply_id, user_id)
        await self._open_round(reply.round_id)
        published = reply.status is ReplyStatus.PUBLISHED or reply.message_id is not None
        if not await self._store.set_status(
            reply.id,
            ReplyStatus.WITHDRAWN,
            expected=(
                ReplyStatus.PUBLISHED,
                ReplyStatus.PENDING,
                ReplyStatus.HELD,
                ReplyStatus.DRAFT,
            ),
            outbox_kind="unpublish" if published else None,
        ):
            raise Conflict(
                "That reply was already withdrawn or removed.", key="error.already_withdrawn"
            )
        return Withdrawal(await self.get(reply.id))

    async def relabel(self, guild_id: int) -> Relabelling:
        """After the server changed its publishing mode: republish the labels of replies
        written while names were shown, so that switching to pseudonyms hides them at once."""
        return Relabelling(await self._store.enqueue_relabel(guild_id))

    # moderation hooks ------------------------------------------------------------------

    async def approve_held(self, reply_id: int) -> bool:
        return await self._store.set_status(
            reply_id, ReplyStatus.PENDING, expected=(ReplyStatus.HELD,), outbox_kind="publish"
        )

    async def reject_held(self, reply_id: int) -> bool:
        return await self._store.set_status(
            reply_id, ReplyStatus.REJECTED, expected=(ReplyStatus.HELD,)
        )

    async def remove_published(self, reply_id: int) -> bool:
        return await self._store.set_status(
            reply_id,
            ReplyStatus.REMOVED,
            expected=(ReplyStatus.PUBLISHED, ReplyStatus.PENDING),
            outbox_kind="unpublish",
        )

    async def held(self, round_id: int) -> list[Reply]:
        return await self._store.in_round(round_id, (ReplyStatus.HELD,))

    async def by_message(self, message_id: int) -> Reply | None:
        return await self._store.by_message(message_id)

    def is_author(self, reply: Reply, user_id: int) -> bool:
        """Whether ``user_id`` wrote ``reply``, by the author key (no unsealing)."""
        return reply.author_key == self._pseudonyms.author_key(
            reply.guild_id, reply.round_id, user_id
        )

    def author_of(self, reply: Reply) -> int:
        """The author's Discord id, unsealed; for moderation and notices, never for display."""
        return self._pseudonyms.unseal(reply.author_seal)

    async def edits(self, reply_id: int) -> list[dict[str, object]]:
        return await self._store.edits(reply_id)

    # endorsements ----------------------------------------------------------------------

    async def tally(self, reply: Reply) -> EndorsementTally:
        communities = await self._community_store.all(reply.guild_id)
        names = {c.id: c.name for c in communities}
        counts: dict[EndorsementKind, dict[str, int]] = {}
        for kind, community_id, n in await self._store.endorsement_counts(reply.id):
            label = names.get(community_id or -1, "other")
            per = counts.setdefault(EndorsementKind(kind), {})
            per[label] = per.get(label, 0) + n
        order = tuple(c.name for c in communities)
        if any("other" in per for per in counts.values()):
            order += ("other",)
        return EndorsementTally(communities=order, counts=counts)

    async def endorse(
        self, reply_id: int, user_id: int, role_ids: frozenset[int], kind: EndorsementKind
    ) -> EndorseResult:
        """Choosing the kind one already chose takes the endorsement back; another kind
        replaces it. Never on one's own reply."""
        reply = await self.get(reply_id)
        # PENDING too: the message can be on Discord a moment before the publisher records it
        if reply.status not in (ReplyStatus.PUBLISHED, ReplyStatus.PENDING):
            raise Conflict("That reply is no longer published.", key="error.not_published")
        if reply.author_key == self._pseudonyms.author_key(reply.guild_id, reply.round_id, user_id):
            raise NotAllowed("You cannot endorse your own reply.", key="error.own_endorsement")
        community = await self._communities.of_member(reply.guild_id, user_id, role_ids)
        if community is None:
            raise NotAllowed(
                "Join a community first (/community join), then endorse replies.",
                key="error.join_to_endorse",
            )
        voter = self._pseudonyms.voter_key(reply.guild_id, reply.round_id, user_id)
        current = await self._store.endorsement(reply.id, voter)
        mine = None if current is kind else kind
        await self._store.set_endorsement(reply.id, voter, mine, community.id)
        return EndorseResult(reply, mine, await self.tally(reply))

    # outbox (the publisher in cogs/ drives these) ----------------------------------------

    async def due_outbox(self) -> list[OutboxItem]:
        return await self._store.due_outbox()

    async def claim_outbox(
        self, holder: str, shards: tuple[int, tuple[int, ...]] | None = None
    ) -> list[OutboxItem]:
        """Due outbox rows claimed for this process (see ReplyStore.claim_outbox); ``shards``
        is (SHARD_COUNT, this process's SHARD_IDS) when the bot is sharded."""
        count, ids = shards if shards is not None else (None, None)
        return await self._store.claim_outbox(holder, shard_count=count, shard_ids=ids)

    async def release_stale_claims(self) -> None:
        """Called when this process's publisher starts (see ReplyStore.release_stale_claims)."""
        await self._store.release_stale_claims()

    async def next_outbox_due(self) -> datetime | None:
        return await self._store.next_outbox_due()

    async def pending_outbox(self) -> int:
        return await self._store.pending_outbox()

    async def published(self, item: OutboxItem, message_id: int) -> None:
        assert item.reply_id is not None
        await self._store.complete_publish(item.id, item.reply_id, message_id)

    async def outbox_done(self, item: OutboxItem, *, message_gone: bool = False) -> None:
        await self._store.complete(item.id, clear_message=item.reply_id if message_gone else None)

    async def outbox_failed(self, item: OutboxItem, error: str) -> float:
        delay = min(300.0, 0.5 * 2.0 ** min(item.attempts, 10))
        await self._store.retry_later(item.id, error, delay)
        return delay

    async def outbox_wait(self, item: OutboxItem, why: str, delay: float) -> None:
        """Postpone a row behind a failed one of the same thread (order within a thread)."""
        await self._store.retry_later(item.id, why, delay)
