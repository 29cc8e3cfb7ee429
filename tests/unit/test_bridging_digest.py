"""The digest's data: sections, consent, the small-count rule, public versus facilitator."""

from __future__ import annotations

from bot.bridging.digest import (
    MESSAGE_IDS,
    MIN_PUBLIC_COUNT,
    DigestReply,
    Message,
    Visibility,
    build_digest,
)
from bot.bridging.score import RoundScore, StatusKind, score_round
from bot.bridging.votes import Vote

RATERS = {**{f"a{i}": "A" for i in range(10)}, **{f"b{i}": "B" for i in range(10)}}


def votes_on(reply: str, a_pos: int, b_pos: int, a_n: int = 10, b_n: int = 10) -> list[Vote]:
    return [Vote(f"a{i}", reply, 1 if i < a_pos else -1) for i in range(a_n)] + [
        Vote(f"b{i}", reply, 1 if i < b_pos else -1) for i in range(b_n)
    ]


REPLIES = [
    DigestReply("m1", "Heron", "A", "We both miss the market.", "Do you remember it?", True, True),
    DigestReply(
        "m2", "Lynx", "B", "Our grandparents traded there.", "What did yours sell?", False, True
    ),
    DigestReply("s1", "Otter", "A", "Only we suffered.", None, True),
    DigestReply("s2", "Crane", "A", "Only we were right.", "  ", False),
    DigestReply("n1", "Wren", "B", "Nobody has read this yet.", "Will you read it?", True),
]
VOTES = [
    *votes_on("m1", 9, 9),
    *votes_on("m2", 8, 9),
    *votes_on("s1", 10, 1),
    *votes_on("s2", 9, 2),
    *votes_on("n1", 2, 6, a_n=2, b_n=9),
]


def scored_round() -> RoundScore:
    scored = score_round(("A", "B"), RATERS, [r.reply for r in REPLIES], VOTES)
    assert [scored.replies[k].status for k in ("m1", "m2", "s1", "s2", "n1")] == [
        StatusKind.BRIDGING,
        StatusKind.BRIDGING,
        StatusKind.ONE_SIDED,
        StatusKind.ONE_SIDED,
        StatusKind.NEEDS_PERSPECTIVES,
    ]
    return scored


def test_public_digest_quotes_only_consented_replies() -> None:
    digest = build_digest(REPLIES, scored_round(), RATERS, VOTES, Visibility.PUBLIC)
    assert [q.label for q in digest.meet] == ["Heron"]
    assert digest.meet_unquoted == 1
    assert [q.label for q in digest.differ] == ["Otter"]
    assert digest.differ_unquoted == 1
    # questions: Heron's (A, consented) and Wren's (B, consented); Lynx's is not quoted
    assert {c: [q.text for q in qs] for c, qs in digest.questions.items()} == {
        "A": ["Do you remember it?"],
        "B": ["Will you read it?"],
    }
    assert digest.questions_unquoted == 1
    every_text = [str(v) for m in digest.messages() for v in m.params.values()]
    assert not any("grandparents" in t or "Only we were right" in t for t in every_text)
    assert not any("What did yours sell" in t for t in every_text)


def test_public_digest_never_says_which_side_endorsed_a_one_sided_reply() -> None:
    digest = build_digest(REPLIES, scored_round(), RATERS, VOTES, Visibility.PUBLIC)
    assert all(q.tallies is None for q in digest.meet + digest.differ)
    ids = [m.id for m in digest.messages()]
    assert not any(i.startswith("digest.facilitator") for i in ids)
    differ_at = ids.index("digest.differ.heading")
    participation_at = ids.index("digest.participation.heading")
    for message in digest.messages()[differ_at + 1 : participation_at]:
        assert set(message.params) <= {"label", "text", "count"}
    assert digest.needs == {}


def test_public_digest_hides_per_community_counts_below_three() -> None:
    digest = build_digest(REPLIES, scored_round(), RATERS, VOTES, Visibility.PUBLIC)
    by_community = {p.community: p for p in digest.participation}
    assert (by_community["A"].replies, by_community["A"].voters) == (3, 10)
    assert (by_community["B"].replies, by_community["B"].voters) == (None, 10)  # two B replies
    assert (
        Message("digest.participation.replies.few", {"community": "B", "min": 3})
        in digest.messages()
    )
    # a round where one community has two voters
    few_votes = [
        Vote("a0", "x", 1),
        Vote("a1", "x", 1),
        Vote("b0", "x", 1),
        Vote("b1", "x", 1),
        Vote("b2", "x", -1),
    ]
    few = score_round(("A", "B"), RATERS, ["x"], few_votes)
    replies = [DigestReply("x", "Heron", "A", "text", None, True)]
    public = build_digest(replies, few, RATERS, few_votes, Visibility.PUBLIC)
    assert [(p.replies, p.voters) for p in public.participation] == [(None, None), (None, 3)]
    private = build_digest(replies, few, RATERS, few_votes, Visibility.FACILITATOR)
    assert [(p.replies, p.voters) for p in private.participation] == [(1, 2), (0, 3)]
    shown = [
        m.params["count"]
        for m in public.messages()
        if m.id.startswith("digest.participation") and "count" in m.params
    ]
    assert shown == [3]
    assert all(isinstance(c, int) and c >= MIN_PUBLIC_COUNT for c in shown)


def test_facilitator_digest_shows_more() -> None:
    digest = build_digest(REPLIES, scored_round(), RATERS, VOTES, Visibility.FACILITATOR)
    assert [q.label for q in digest.meet] == ["Heron", "Lynx"]
    assert digest.meet_unquoted == 0
    lynx = digest.meet[1]
    assert not lynx.consented and lynx.tallies is not None
    assert lynx.tallies["B"].positive == 9
    assert [q.label for q in digest.differ] == ["Otter", "Crane"]
    assert digest.needs == {"A": ("Wren",)}
    messages = digest.messages()
    assert messages[0] == Message("digest.title.facilitator")
    assert Message("digest.facilitator.not_for_quoting", {"label": "Lynx"}) in messages
    assert (
        Message("digest.facilitator.needs", {"community": "A", "labels": "Wren", "count": 1})
        in messages
    )


def test_digest_order_and_empty_sections() -> None:
    empty = score_round(("A", "B"), RATERS, ["x"], [])
    digest = build_digest(
        [DigestReply("x", "Heron", "A", "t", None, True)], empty, RATERS, [], Visibility.PUBLIC
    )
    ids = [m.id for m in digest.messages()]
    assert ids == [
        "digest.title.public",
        "digest.meet.heading",
        "digest.meet.none",
        "digest.differ.heading",
        "digest.differ.none",
        "digest.participation.heading",
        "digest.participation.replies.few",
        "digest.participation.voters.few",
        "digest.participation.replies.few",
        "digest.participation.voters.few",
    ]
    # zero is below three too: the rule has no exceptions to reason about
    assert digest.participation[1].replies is None


def test_every_message_is_a_declared_id_with_its_declared_params() -> None:
    """So the catalogs can be complete: each id the digest emits is in MESSAGE_IDS, with exactly
    the parameters listed there."""
    seen = set()
    scored = scored_round()
    for visibility in Visibility:
        for message in build_digest(REPLIES, scored, RATERS, VOTES, visibility).messages():
            assert message.id in MESSAGE_IDS, message.id
            assert set(message.params) == set(MESSAGE_IDS[message.id]), message
            seen.add(message.id)
    empty = score_round(("A", "B"), RATERS, ["x"], [])
    # a question whose author did not consent, alone: its count comes under its own heading
    replies = [DigestReply("x", "Heron", "A", "t", "Why?", False)]
    seen.update(
        m.id for m in build_digest(replies, empty, RATERS, [], Visibility.PUBLIC).messages()
    )
    assert seen == set(MESSAGE_IDS)
