"""Responses: a member answers a published reply (or its question) across the divide.

A response is a reply row with ``parent_reply_id``: it goes through the reply pipeline
(sanitize → civility → commit → acknowledge → outbox → publish), the moderation queue, endorsement,
reports, /mydata export and delete, and retention, with no second path. Its author is labelled
by the same pseudonym rule; the reply's author is told privately that someone responded (a
stored notice, sent by DM or shown on their next interaction), never who.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.civility.model import Verdict
from bot.dialogue.models import Anonymity, Reply, ReplyFields, ReplyStatus
from bot.dialogue.replies import Disposition, ReplyService, SubmitResult
from bot.effects import Effect, Notify
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.notice import Notice
from bot.storage.replies import AlreadySubmitted, NewReply

RESPONSE_MIN = 2
RESPONSE_MAX = 1500


@dataclass(frozen=True, slots=True)
class ResponseResult:
    disposition: Disposition
    response: Reply
    parent: Reply
    verdicts: tuple[Verdict, ...] = ()
    notify: tuple[Effect, ...] = ()
    repeat: bool = False  # the form was submitted before: this is the first response

    @property
    def effects(self) -> tuple[Effect, ...]:
        if self.repeat:
            return ()
        return SubmitResult(self.disposition, self.response, self.verdicts).effects + self.notify


class ResponseService:
    """Built on the reply service (its checker, sanitizer, store and pseudonyms)."""

    def __init__(self, replies: ReplyService) -> None:
        self._replies = replies

    async def respondable(self, reply_id: int, guild_id: int, user_id: int) -> Reply:
        """The reply a member may respond to, before the form opens and again when it is
        submitted: of this server, live, in an open round, not their own, not a response."""
        replies = self._replies
        try:
            parent = await replies.get(reply_id)
        except NotFound:
            parent = None
        if parent is None or parent.guild_id != guild_id:
            raise NotFound("That reply no longer exists.", key="responses.gone")
        # PENDING too: the message can be on Discord a moment before the publisher records it
        live = (ReplyStatus.PUBLISHED, ReplyStatus.PENDING)
        if parent.status not in live or parent.parent_id is not None:
            raise Conflict("That reply is no longer published.", key="responses.gone")
        await replies._open_round(parent.round_id)
        # a reply in a circle is answered inside it, by its members only
        await replies.check_circle(parent.circle_id, guild_id, parent.round_id, user_id)
        if replies.is_author(parent, user_id):
            raise NotAllowed("You cannot respond to your own reply.", key="responses.own")
        return parent

    async def respond(
        self,
        reply_id: int,
        guild_id: int,
        user_id: int,
        role_ids: frozenset[int],
        display_name: str,
        text: str,
        quote_consent: bool,
        *,
        submission_key: str | None = None,
    ) -> ResponseResult:
        """``submission_key`` (issued when the form opened): a second submit of the same form
        answers with the response the first one created, and writes nothing."""
        replies = self._replies
        if submission_key is not None:
            first = await self._submitted_before(reply_id, guild_id, user_id, submission_key)
            if first is not None:
                return first
        parent = await self.respondable(reply_id, guild_id, user_id)
        community = await replies._communities.of_member(guild_id, user_id, role_ids)
        if community is None:
            raise NotAllowed("Join a community first.", key="reply.join_first")
        body = replies.sanitize(text, RESPONSE_MAX)
        if len(body) < RESPONSE_MIN:
            raise InvalidInput("Your response is empty.", key="responses.empty")
        fields = ReplyFields(brings_up=body)
        key = replies._pseudonyms.author_key(guild_id, parent.round_id, user_id)
        summary = await replies._check_fields(guild_id, fields, key)
        # a nudge holds a response for a moderator: there is no draft to rephrase in place
        status, disposition = replies._status_for(summary.action, force=True)
        config = await replies._guilds.get(guild_id)
        new = NewReply(
            round_id=parent.round_id,
            guild_id=guild_id,
            author_key=key,
            author_seal=replies._pseudonyms.seal(user_id),
            author_name=display_name[:80] if config.anonymity is Anonymity.OFF else None,
            community_id=community.id,
            community_label=community.name,
            fields=fields,
            quote_consent=quote_consent,
            status=status,
            civility_action=summary.action.value,
            civility_detail=replies._detail(summary),
            parent_reply_id=parent.id,
            circle_id=parent.circle_id,
            submission_key=submission_key,
        )
        try:
            response_id, _ = await replies._store.create(new)
        except AlreadySubmitted as already:  # the same form, submitted twice at once
            return self._repeat(await replies.get(already.reply_id), parent)
        response = await replies.get(response_id)
        notify: tuple[Effect, ...] = ()
        if disposition is Disposition.ACCEPTED:
            notify = (await self._notice(parent, config.language or "en"),)
        return ResponseResult(disposition, response, parent, summary.verdicts, notify)

    async def _submitted_before(
        self, reply_id: int, guild_id: int, user_id: int, submission_key: str
    ) -> ResponseResult | None:
        parent = await self._replies.find(reply_id)
        if parent is None or parent.guild_id != guild_id:
            return None
        key = self._replies._pseudonyms.author_key(guild_id, parent.round_id, user_id)
        first = await self._replies._store.by_submission_key(key, submission_key)
        return None if first is None else self._repeat(first, parent)

    @staticmethod
    def _repeat(response: Reply, parent: Reply) -> ResponseResult:
        disposition = ReplyService._repeat(response).disposition
        return ResponseResult(disposition, response, parent, repeat=True)

    async def _notice(self, parent: Reply, lang: str) -> Notify:
        """The reply's author learns that someone responded, never who (stored first, so a
        closed DM leaves it for their next interaction)."""
        key = "responses.notice.answered" if parent.fields.question else "responses.notice"
        # a message id with its parameters: shown in the member's language when it reaches them
        notice = Notice.of(key, round=parent.round_number, reply=parent.reference)
        author = self._replies.author_of(parent)
        notice_id = await self._replies._store.add_notice(
            parent.guild_id, author, notice.text, notice.to_json()
        )
        return Notify(author, notice_id, notice)

    async def require_live_parent(self, response: Reply) -> None:
        """A held response is approved only while the reply it answers is published: a
        response to a removed reply would be published on its own, out of context."""
        parent = await self.parent_of(response)
        if parent is None or parent.status not in (ReplyStatus.PUBLISHED, ReplyStatus.PENDING):
            raise Conflict(
                "The reply this response answers is no longer published; remove the response.",
                key="conversation.response.parent_gone",
                ref=response.reference,
            )

    async def approved(self, response: Reply) -> tuple[Notify, ...]:
        """A held response a moderator approved: its reply's author gets the notice they would
        have had at once (if the reply is still live), and the responder learns it is being
        published. Neither notice names anyone (no responder, no moderator)."""
        if response.parent_id is None:
            return ()
        out: list[Notify] = []
        parent = await self.parent_of(response)
        live = (ReplyStatus.PUBLISHED, ReplyStatus.PENDING)
        if parent is not None and parent.status in live:
            out.append(await self._notice(parent, "en"))
        parent_ref = parent.reference if parent is not None else f"R{response.round_number}"
        notice = Notice.of("conversation.response.approved", ref=parent_ref)
        responder = self._replies.author_of(response)
        notice_id = await self._replies._store.add_notice(
            response.guild_id, responder, notice.text, notice.to_json()
        )
        out.append(Notify(responder, notice_id, notice))
        return tuple(out)

    async def responses_to(self, reply_id: int) -> list[Reply]:
        return await self._replies._store.responses_to(reply_id)

    async def open_questions(self, round_id: int) -> list[Reply]:
        return await self._replies._store.open_questions(round_id)

    async def parent_of(self, response: Reply) -> Reply | None:
        if response.parent_id is None:
            return None
        try:
            return await self._replies.get(response.parent_id)
        except NotFound:
            return None
