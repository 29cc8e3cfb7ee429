"""The round digest as data: where the communities meet, the questions each asked the other,
where they differ, and who took part. Pure; no finished English: the renderer turns
``Digest.messages()`` (catalog message ids with their parameters) into text in the server's
language.

Two versions. The **public** one quotes only replies whose authors consented to be quoted,
counts the others without quoting them, never says which community endorsed a one-sided reply,
and shows no per-community count below ``MIN_PUBLIC_COUNT`` (small counts identify people). The
**facilitator** version, sent privately, quotes every reply (marking those not for quoting),
gives exact counts and each reply's per-community tallies, and lists the replies that still
need a community's perspective.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bot.bridging.score import ReplyScore, RoundScore, StatusKind, Tally
from bot.bridging.votes import Vote

# The smallest per-community count a public digest shows; below it, "fewer than 3".
MIN_PUBLIC_COUNT = 3

Param = str | int

# Every message id ``Digest.messages()`` can emit, with its parameters: the catalogs
# (bot/data/locales/*.json) need one entry each. "digest.unquoted.<section>" follows a section
# and counts its replies whose authors did not consent to be quoted: one line per section, each
# saying what it counts (one reply may be counted in two sections, so one shared sentence would
# read as a repeated line).
MESSAGE_IDS: Mapping[str, tuple[str, ...]] = {
    "digest.title.public": (),
    "digest.title.facilitator": (),
    "digest.meet.heading": (),
    "digest.meet.item": ("label", "text"),
    "digest.meet.none": (),
    "digest.questions.heading": ("community",),
    "digest.questions.item": ("label", "text"),
    "digest.questions.heading.all": (),
    "digest.differ.heading": (),
    "digest.differ.item": ("label", "text"),
    "digest.differ.none": (),
    "digest.unquoted.meet": ("count",),
    "digest.unquoted.questions": ("count",),
    "digest.unquoted.differ": ("count",),
    "digest.unquoted.open": ("count",),
    "digest.open.heading": (),
    "digest.open.item": ("label", "text"),
    "digest.participation.heading": (),
    "digest.participation.replies": ("community", "count"),
    "digest.participation.replies.few": ("community", "min"),
    "digest.participation.voters": ("community", "count"),
    "digest.participation.voters.few": ("community", "min"),
    "digest.facilitator.not_for_quoting": ("label",),
    "digest.facilitator.tally": ("label", "community", "votes", "positive"),
    "digest.facilitator.needs": ("community", "labels", "count"),
}
# The picture's text (``picture.PictureText``), by the same rule.
PICTURE_MESSAGE_IDS: Mapping[str, tuple[str, ...]] = {
    "digest.picture.title": (),
    "digest.picture.axis": ("community",),  # "share of <community> who endorse"
    "digest.picture.corner": (),
    "digest.picture.status.bridging": (),
    "digest.picture.status.one_sided": (),
    "digest.picture.status.needs_perspectives": (),
    "digest.picture.status.not_yet": (),
}


class Visibility(StrEnum):
    PUBLIC = "public"
    FACILITATOR = "facilitator"


@dataclass(frozen=True, slots=True)
class DigestReply:
    """What the digest needs to know of one reply (the dialogue service supplies it)."""

    reply: str  # the scoring key
    label: str  # the author's pseudonymous label in this round
    community: str  # the author's community
    text: str
    question: str | None  # the form's "a question for the other community"
    quote_consent: bool
    open_question: bool = False  # its question has no live response yet


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    params: Mapping[str, Param] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Quoted:
    reply: str
    label: str
    text: str
    consented: bool  # always True in the public version
    tallies: Mapping[str, Tally] | None  # facilitator version only


@dataclass(frozen=True, slots=True)
class Participation:
    community: str
    replies: int | None  # None: fewer than MIN_PUBLIC_COUNT, hidden in the public version
    voters: int | None


@dataclass(frozen=True, slots=True)
class Digest:
    visibility: Visibility
    meet: tuple[Quoted, ...]
    meet_unquoted: int
    questions: Mapping[str, tuple[Quoted, ...]]  # asking community -> its questions
    questions_unquoted: int
    differ: tuple[Quoted, ...]
    differ_unquoted: int
    participation: tuple[Participation, ...]
    # facilitator only: community -> labels of replies that still need its perspective
    needs: Mapping[str, tuple[str, ...]]
    # questions for the other community that no response has answered yet
    open_questions: tuple[Quoted, ...] = ()
    open_unquoted: int = 0

    def messages(self) -> list[Message]:
        """The digest as an ordered list of catalog messages, ready to render."""
        out = [Message(f"digest.title.{self.visibility.value}")]
        out.append(Message("digest.meet.heading"))
        out.extend(_quoted_lines("digest.meet.item", self.meet))
        if not self.meet and not self.meet_unquoted:
            out.append(Message("digest.meet.none"))
        if self.meet_unquoted:
            out.append(Message("digest.unquoted.meet", {"count": self.meet_unquoted}))
        for community, questions in self.questions.items():
            out.append(Message("digest.questions.heading", {"community": community}))
            out.extend(_quoted_lines("digest.questions.item", questions))
        if self.questions_unquoted and not self.questions:  # the count needs its heading
            out.append(Message("digest.questions.heading.all"))
        if self.questions_unquoted:
            out.append(Message("digest.unquoted.questions", {"count": self.questions_unquoted}))
        if self.open_questions or self.open_unquoted:
            out.append(Message("digest.open.heading"))
            out.extend(_quoted_lines("digest.open.item", self.open_questions))
        if self.open_unquoted:
            out.append(Message("digest.unquoted.open", {"count": self.open_unquoted}))
        out.append(Message("digest.differ.heading"))
        out.extend(_quoted_lines("digest.differ.item", self.differ))
        if not self.differ and not self.differ_unquoted:
            out.append(Message("digest.differ.none"))
        if self.differ_unquoted:
            out.append(Message("digest.unquoted.differ", {"count": self.differ_unquoted}))
        out.append(Message("digest.participation.heading"))
        for line in self.participation:
            out.append(_count("digest.participation.replies", line.community, line.replies))
            out.append(_count("digest.participation.voters", line.community, line.voters))
        for community, labels in self.needs.items():
            out.append(
                Message(
                    "digest.facilitator.needs",
                    {"community": community, "labels": ", ".join(labels), "count": len(labels)},
                )
            )
        return out


def _count(message_id: str, community: str, count: int | None) -> Message:
    if count is None:
        return Message(f"{message_id}.few", {"community": community, "min": MIN_PUBLIC_COUNT})
    return Message(message_id, {"community": community, "count": count})


def _quoted_lines(message_id: str, quoted: Iterable[Quoted]) -> list[Message]:
    lines = []
    for q in quoted:
        lines.append(Message(message_id, {"label": q.label, "text": q.text}))
        if not q.consented:
            lines.append(Message("digest.facilitator.not_for_quoting", {"label": q.label}))
        for community, tally in (q.tallies or {}).items():
            lines.append(
                Message(
                    "digest.facilitator.tally",
                    {
                        "label": q.label,
                        "community": community,
                        "votes": tally.votes,
                        "positive": tally.positive,
                    },
                )
            )
    return lines


def _order_meet(score: ReplyScore) -> tuple[float, float]:
    """Strongest common ground first: the model's intercept when it ran, else the lowest share."""
    lowest = min((t.share for t in score.tallies.values()), default=0.0)
    return (-(score.intercept if score.intercept is not None else lowest), -lowest)


def build_digest(
    replies: Sequence[DigestReply],
    scored: RoundScore,
    raters: Mapping[str, str],
    votes: Iterable[Vote],
    visibility: Visibility,
) -> Digest:
    """The digest of a scored round. ``raters`` maps rater keys to communities and ``votes``
    are the votes that were scored (for the voters per community)."""
    public = visibility is Visibility.PUBLIC
    known = [r for r in replies if r.reply in scored.replies]

    def quote(
        items: Iterable[DigestReply], text_of: str = "text", with_tallies: bool = True
    ) -> tuple[tuple[Quoted, ...], int]:
        shown: list[Quoted] = []
        hidden = 0
        for r in items:
            text = r.text if text_of == "text" else (r.question or "")
            if public and not r.quote_consent:
                hidden += 1
                continue
            tallies = dict(scored.replies[r.reply].tallies) if with_tallies and not public else None
            shown.append(Quoted(r.reply, r.label, text, r.quote_consent, tallies))
        return tuple(shown), hidden

    def with_status(status: StatusKind) -> list[DigestReply]:
        return [r for r in known if scored.replies[r.reply].status is status]

    meet_replies = sorted(
        with_status(StatusKind.BRIDGING), key=lambda r: _order_meet(scored.replies[r.reply])
    )
    meet, meet_unquoted = quote(meet_replies)
    # Most-voted first: the order says nothing about which side endorsed it.
    differ_replies = sorted(
        with_status(StatusKind.ONE_SIDED),
        key=lambda r: -sum(t.votes for t in scored.replies[r.reply].tallies.values()),
    )
    differ, differ_unquoted = quote(differ_replies)

    questions: dict[str, tuple[Quoted, ...]] = {}
    questions_unquoted = 0
    for community in scored.communities:
        asked = [r for r in known if r.community == community and r.question and r.question.strip()]
        shown, hidden = quote(asked, text_of="question")
        questions_unquoted += hidden
        if shown:
            questions[community] = shown

    voters: dict[str, set[str]] = {c: set() for c in scored.communities}
    for vote in votes:
        voter_community = raters.get(vote.rater)
        if voter_community in voters and vote.reply in scored.replies:
            voters[voter_community].add(vote.rater)
    participation = []
    for community in scored.communities:
        n_replies = sum(1 for r in known if r.community == community)
        n_voters = len(voters[community])
        participation.append(
            Participation(
                community,
                None if public and n_replies < MIN_PUBLIC_COUNT else n_replies,
                None if public and n_voters < MIN_PUBLIC_COUNT else n_voters,
            )
        )

    # open questions: a reply's question that no live response answered; the same consent
    # rule as every quote (the question is the reply's own words)
    asked_open = [r for r in known if r.open_question and r.question and r.question.strip()]
    open_questions, open_unquoted = quote(asked_open, text_of="question", with_tallies=False)

    needs: dict[str, tuple[str, ...]] = {}
    if not public:
        for community in scored.communities:
            labels = tuple(r.label for r in known if community in scored.replies[r.reply].needs)
            if labels:
                needs[community] = labels
    return Digest(
        visibility,
        meet,
        meet_unquoted,
        questions,
        questions_unquoted,
        differ,
        differ_unquoted,
        tuple(participation),
        needs,
        open_questions,
        open_unquoted,
    )
