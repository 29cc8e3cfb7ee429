"""Bridging as a service: scores a round from its stored endorsements (off the event loop),
keeps each reply's status for damping, builds the digest and its picture, offers replies to
read, and exports the round's votes anonymized. Plain async Python: no discord, no SQL.

Scoring keys: raters are the per-round voter keys (HMAC of member and round), replies their
row ids as strings; no member id enters the score or anything it returns.
"""

from __future__ import annotations

import asyncio
import csv
import io
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace

from bot.bridging import digest as digest_model
from bot.bridging import picture
from bot.bridging.routing import reading_order
from bot.bridging.score import RoundScore, StatusKind, required_votes, score_round
from bot.bridging.settings import BridgingSettings
from bot.bridging.votes import Endorsement, Vote, latest_votes
from bot.dialogue.communities import CommunityService
from bot.dialogue.models import Reply, ReplyStatus, Round
from bot.errors import NotAllowed
from bot.privacy import Pseudonymizer
from bot.safety.labels import pseudonymous_label
from bot.storage.bridging import BridgingOptions, BridgingStore
from bot.storage.replies import ReplyStore

EXPORT_HEADER = ("rater", "community", "reply", "endorsement")


@dataclass(frozen=True, slots=True)
class ScoredRound:
    round: Round
    scored: RoundScore
    replies: dict[str, Reply]  # scoring key -> reply, in thread order
    raters: dict[str, str]  # voter key -> community name
    votes: tuple[Vote, ...]
    settings: BridgingSettings

    def label(self, key: str) -> str:
        return pseudonymous_label(self.replies[key])


@dataclass(frozen=True, slots=True)
class DigestOut:
    round: Round
    messages: list[digest_model.Message]
    bridging: int  # replies where the communities meet
    picture_axes: tuple[str, str] | None  # the two communities on the picture's axes


@dataclass(frozen=True, slots=True)
class Notice:
    community: str
    labels: tuple[str, ...]


def _text(reply: Reply) -> str:
    f = reply.fields
    return "\n".join(part for part in (f.brings_up, f.experience, f.unsure) if part.strip())


class BridgingService:
    def __init__(
        self,
        store: BridgingStore,
        replies: ReplyStore,
        communities: CommunityService,
        pseudonyms: Pseudonymizer,
    ) -> None:
        self._store = store
        self._replies = replies
        self._communities = communities
        self._pseudonyms = pseudonyms

    async def _public(self, round_id: int) -> list[Reply]:
        """The round's published replies outside circles (a circle's stay inside it)."""
        published = await self._replies.in_round(round_id, (ReplyStatus.PUBLISHED,))
        return [r for r in published if r.circle_id is None]

    # options -------------------------------------------------------------------------------

    async def options(self, guild_id: int) -> BridgingOptions:
        return await self._store.options(guild_id)

    async def set_options(
        self, guild_id: int, notices: bool | None = None, min_votes: int | None = None
    ) -> BridgingOptions:
        if min_votes is not None:
            self._settings(BridgingOptions(min_votes=min_votes))  # refuse what cannot score
        await self._store.set_options(guild_id, notices, min_votes)
        return await self._store.options(guild_id)

    @staticmethod
    def _settings(options: BridgingOptions) -> BridgingSettings:
        if options.min_votes is None:
            return BridgingSettings()
        base = BridgingSettings()
        floor = min(base.min_votes_floor, options.min_votes)
        try:
            return replace(base, min_votes_per_community=options.min_votes, min_votes_floor=floor)
        except ValueError as error:
            raise NotAllowed(
                "The minimum number of votes must be at least 1.", key="bridging.error.min_votes"
            ) from error

    # scoring -------------------------------------------------------------------------------

    async def score(self, round_: Round) -> ScoredRound:
        """Score the round's published replies; the statuses are kept for the next scoring."""
        settings = self._settings(await self._store.options(round_.guild_id))
        communities = await self._communities.all(round_.guild_id)
        names = {c.id: c.name for c in communities}
        published = await self._public(round_.id)
        replies = {str(r.id): r for r in published}
        authors = self._author_voters(round_, replies)
        stored = await self._store.votes(round_.id)
        # every author is a rater of their community who could vote (on the others' replies)
        declared = set(names.values())
        raters: dict[str, str] = {
            authors[key]: r.community_label
            for key, r in replies.items()
            if r.community_label in declared
        }
        raw: list[Vote] = []
        for v in stored:
            name = names.get(v.community_id or 0)
            if name is None:
                continue
            raters[v.voter_key] = name
            raw.append(Vote(v.voter_key, str(v.reply_id), Endorsement(v.kind).sign))
        votes = tuple(latest_votes(raw, authors))
        previous = {
            str(reply_id): StatusKind(status)
            for reply_id, status in (await self._store.statuses(round_.id)).items()
        }
        order = [c.name for c in communities]
        if not order:
            scored = RoundScore((), {}, False, 0, len(votes), 0, None)
        else:
            scored = await asyncio.to_thread(
                score_round, order, raters, list(replies), votes, previous, settings, authors
            )
        changed = {
            int(key): s.status.value
            for key, s in scored.replies.items()
            if previous.get(key) is not s.status
        }
        await self._store.save_statuses(round_.id, changed)
        return ScoredRound(round_, scored, replies, raters, votes, settings)

    def _author_voters(self, round_: Round, replies: Mapping[str, Reply]) -> dict[str, str]:
        """Each reply's author as a voter key, so that an author's own vote is never counted and
        an author is not counted among those who could have voted on their own reply. The id is
        unsealed here only to derive the key; it never reaches the score."""
        return {
            key: self._pseudonyms.voter_key(
                round_.guild_id, round_.id, self._pseudonyms.unseal(r.author_seal)
            )
            for key, r in replies.items()
        }

    # digest --------------------------------------------------------------------------------

    async def digest(self, round_: Round, visibility: digest_model.Visibility) -> DigestOut:
        result = await self.score(round_)
        # published replies whose question no live response answers yet
        unanswered = {str(r.id) for r in await self._replies.open_questions(round_.id)}
        items = [
            digest_model.DigestReply(
                key,
                pseudonymous_label(r),
                r.community_label,
                _text(r),
                r.fields.question or None,
                r.quote_consent,
                open_question=key in unanswered,
            )
            for key, r in result.replies.items()
        ]
        built = digest_model.build_digest(
            items, result.scored, result.raters, result.votes, visibility
        )
        communities = result.scored.communities
        axes = (communities[0], communities[1]) if len(communities) >= 2 else None
        bridging = sum(1 for s in result.scored.replies.values() if s.status is StatusKind.BRIDGING)
        return DigestOut(round_, built.messages(), bridging, axes)

    async def picture(self, round_: Round, text: picture.PictureText) -> bytes | None:
        """The digest's picture as PNG (rendered in a worker thread), or None with fewer than
        two declared communities."""
        result = await self.score(round_)
        communities = result.scored.communities
        if len(communities) < 2:
            return None
        labels = {key: result.label(key) for key in result.replies}
        points = picture.points_from(result.scored, communities[0], communities[1], labels)
        corner = result.settings.share_to_enter
        return await asyncio.to_thread(picture.render, points, text, corner_at=corner)

    # routing -------------------------------------------------------------------------------

    async def next_to_read(
        self, round_: Round, user_id: int, role_ids: frozenset[int]
    ) -> Reply | None:
        """The reply this member should read next: fewest votes from their own community first;
        never their own, nor one they voted on or skipped."""
        community = await self._communities.of_member(round_.guild_id, user_id, role_ids)
        if community is None:
            raise NotAllowed(
                "Join a community first (/community join), then read replies.",
                key="bridging.error.join_to_read",
            )
        result = await self.score(round_)
        if community.name not in result.scored.communities:
            return None
        voter = self._pseudonyms.voter_key(round_.guild_id, round_.id, user_id)
        voted = {v.reply for v in result.votes if v.rater == voter}
        skipped = {str(i) for i in await self._store.skips(round_.id, voter)}
        authors = self._author_voters(round_, result.replies)
        eligible = sum(1 for c in result.raters.values() if c == community.name)
        order = reading_order(
            result.scored,
            community.name,
            voter,
            authors,
            voted,
            skipped,
            required=required_votes(max(eligible, 1), result.settings),
        )
        return result.replies[order[0]] if order else None

    async def skip(self, round_: Round, user_id: int, reply_id: int) -> None:
        voter = self._pseudonyms.voter_key(round_.guild_id, round_.id, user_id)
        await self._store.skip(round_.id, voter, reply_id)

    # daily notice --------------------------------------------------------------------------

    async def notices(self, round_: Round) -> list[Notice]:
        """Per community, the replies that still lack its votes."""
        result = await self.score(round_)
        out = []
        for community in result.scored.communities:
            labels = tuple(
                result.label(key)
                for key, s in result.scored.replies.items()
                if community in s.needs
            )
            if labels:
                out.append(Notice(community, labels))
        return out

    async def mark_noticed(self, guild_id: int, day: str) -> bool:
        """True for the one caller that gets to post ``day``'s notices on this server."""
        return await self._store.mark_noticed(guild_id, day)

    async def guilds_with_notices(self) -> list[int]:
        return await self._store.guilds_with_notices()

    # export --------------------------------------------------------------------------------

    async def export(self, round_: Round) -> tuple[str, int]:
        """The round's votes as CSV (``rater,community,reply,endorsement``) with ids that mean
        nothing outside this file: fresh for every export. Returns the text and the row count."""
        communities = {c.id: c.name for c in await self._communities.all(round_.guild_id)}
        published = await self._public(round_.id)
        known = {r.id for r in published}
        rows = []
        raters: dict[str, str] = {}
        replies: dict[int, str] = {}
        for v in await self._store.votes(round_.id):
            community = communities.get(v.community_id or 0)
            if community is None or v.reply_id not in known:
                continue
            rater = raters.setdefault(v.voter_key, "u" + secrets.token_hex(6))
            reply = replies.setdefault(v.reply_id, "p" + secrets.token_hex(6))
            rows.append((rater, community, reply, v.kind))
        rows.sort()  # no order that hints at who voted first
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(EXPORT_HEADER)
        writer.writerows(rows)
        return buffer.getvalue(), len(rows)
