"""The digest's open questions (issue 12) and its "not quoted" lines (issue 11): questions for
the other community that no response answered yet are listed, under the consent rule; and a
reply counted in two sections never makes the public digest repeat one sentence."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.bridging.digest import DigestReply, Visibility, build_digest
from bot.bridging.score import score_round
from bot.bridging.votes import Vote
from bot.i18n import translate

RATERS = {**{f"a{i}": "A" for i in range(10)}, **{f"b{i}": "B" for i in range(10)}}


def votes_on(reply: str, positive: int) -> list[Vote]:
    return [
        Vote(f"{side}{i}", reply, 1 if i < positive else -1) for side in "ab" for i in range(10)
    ]


def lines(replies: list[DigestReply], votes: list[Vote], visibility: Visibility) -> list[str]:
    scored = score_round(("A", "B"), RATERS, [r.reply for r in replies], votes)
    digest = build_digest(replies, scored, RATERS, votes, visibility)
    return [translate(m.id, "en", **dict(m.params)) for m in digest.messages()]


OPEN = [
    DigestReply(
        "q1", "Participant 1 · A", "A", "text one", "Who taught you our songs?", True, True
    ),
    DigestReply("q2", "Participant 2 · B", "B", "text two", "Did you hear of us?", False, True),
    DigestReply("q3", "Participant 3 · A", "A", "text three", "Is it answered?", True, False),
    DigestReply("q4", "Participant 4 · B", "B", "text four", None, True, False),
]
OPEN_VOTES = [v for r in OPEN for v in votes_on(r.reply, 5)]


def test_public_digest_lists_consented_open_questions_and_counts_the_others() -> None:
    text = lines(OPEN, OPEN_VOTES, Visibility.PUBLIC)
    start = text.index(translate("digest.open.heading", "en"))
    section = text[start + 1 : start + 3]
    assert section == [
        "**Participant 1 · A**: Who taught you our songs?",
        "…and 1 more open question, whose author did not agree to be quoted.",
    ]
    joined = "\n".join(text)
    assert "Did you hear of us?" not in joined  # no consent: counted, never quoted
    # an answered question is listed among the questions asked, not among the open ones
    assert "Is it answered?" in joined
    assert all("Is it answered?" not in line for line in text[start:])


def test_facilitator_digest_lists_every_open_question_marked_when_not_for_quoting() -> None:
    text = lines(OPEN, OPEN_VOTES, Visibility.FACILITATOR)
    start = text.index(translate("digest.open.heading", "en"))
    assert text[start + 1 : start + 4] == [
        "**Participant 1 · A**: Who taught you our songs?",
        "**Participant 2 · B**: Did you hear of us?",
        "(Participant 2 · B did not agree to be quoted: do not share outside the server.)",
    ]


def test_no_open_questions_no_section() -> None:
    replies = [DigestReply("q3", "Participant 3 · A", "A", "t", "Is it answered?", True, False)]
    text = lines(replies, votes_on("q3", 5), Visibility.PUBLIC)
    assert translate("digest.open.heading", "en") not in text


@pytest.mark.parametrize("lang", ["en", "ru", "hy", "az"])
def test_a_reply_counted_in_two_sections_is_not_a_repeated_line(lang: str) -> None:
    """The demo's round: the bridging reply's author did not consent to be quoted, and another
    unconsented reply asked a question. The public digest used to print "…and 1 more whose
    author did not agree to be quoted." twice in a row; each count now says what it counts."""
    replies = [
        DigestReply("b1", "Participant 2 · B", "B", "small people", None, False),
        DigestReply("a1", "Participant 1 · A", "A", "my family", "What did they say?", False, True),
    ]
    votes = votes_on("b1", 10) + votes_on("a1", 5)
    scored = score_round(("A", "B"), RATERS, ["b1", "a1"], votes)
    digest = build_digest(replies, scored, RATERS, votes, Visibility.PUBLIC)
    assert digest.meet_unquoted == 1 and digest.questions_unquoted == 1
    text = [translate(m.id, lang, **dict(m.params)) for m in digest.messages()]
    repeated = [line for line, n in Counter(text).items() if n > 1]
    assert repeated == []
    ids = [m.id for m in digest.messages()]
    assert ids.count("digest.unquoted.meet") == 1
    assert ids.count("digest.unquoted.questions") == 1
    assert ids.count("digest.unquoted.open") == 1
    # the questions' count comes under a heading, not under "where the communities meet"
    q = ids.index("digest.unquoted.questions")
    assert ids[q - 1] == "digest.questions.heading.all"
