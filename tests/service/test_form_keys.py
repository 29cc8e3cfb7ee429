"""Submission keys of the forms that change a reply (issue 10, item 5): a rephrased draft or an
edit submitted twice with one form's key is written once, and the second submit answers with
the first one's outcome."""

from __future__ import annotations

import pytest

from bot.civility.model import Action, Category, Verdict
from bot.dialogue.models import ReplyStatus
from bot.dialogue.replies import CheckSummary, Disposition, RawReply
from bot.errors import Conflict
from bot.services import Services

from .conftest import GUILD
from .test_dialogue import ANI, TEXT, configured, open_round

KEY = "0123456789abcdef"


async def nudge(guild_id: int, text: str, key: str) -> CheckSummary:
    if "damn" not in text:
        return CheckSummary()
    start = text.index("damn")
    verdict = Verdict(
        "lexicon", Category.PROFANITY, Action.NUDGE, start, start + 4, "damn", "Profanity."
    )
    return CheckSummary(Action.NUDGE, (verdict,))


async def test_a_rephrase_submitted_twice_is_one_change(services: Services) -> None:
    await configured(services)
    round_id = await open_round(services)
    await services.communities.join(GUILD, ANI, frozenset(), 1)
    services.replies.check = nudge
    draft = await services.replies.submit(
        round_id, ANI, frozenset(), "Ani", RawReply(TEXT + " damn")
    )
    assert draft.disposition is Disposition.NUDGED
    first = await services.replies.revise(draft.reply.id, ANI, RawReply(TEXT), submission_key=KEY)
    assert first.disposition is Disposition.ACCEPTED and not first.repeat
    assert await services.replies.pending_outbox() == 1
    # the same form again (the bot died before answering): the first outcome, nothing written
    again = await services.replies.revise(draft.reply.id, ANI, RawReply(TEXT), submission_key=KEY)
    assert again.repeat and again.disposition is Disposition.ACCEPTED and again.effects == ()
    assert again.reply.status is ReplyStatus.PENDING
    assert await services.replies.pending_outbox() == 1
    # another form's key: the draft was submitted meanwhile, so it is refused, not written
    with pytest.raises(Conflict, match="already submitted"):
        await services.replies.revise(
            draft.reply.id, ANI, RawReply(TEXT), submission_key="1123456789abcdef"
        )


async def test_an_edit_submitted_twice_is_one_edit(services: Services) -> None:
    await configured(services)
    round_id = await open_round(services)
    await services.communities.join(GUILD, ANI, frozenset(), 1)
    submitted = await services.replies.submit(round_id, ANI, frozenset(), "Ani", RawReply(TEXT))
    changed = RawReply(TEXT + " And what my father never said.")
    first = await services.replies.edit(submitted.reply.id, ANI, changed, submission_key=KEY)
    again = await services.replies.edit(submitted.reply.id, ANI, changed, submission_key=KEY)
    assert first.disposition is again.disposition is Disposition.ACCEPTED
    assert not first.repeat and again.repeat
    assert len(await services.replies.edits(submitted.reply.id)) == 1
    # a new form (a new key) is a new edit
    await services.replies.edit(
        submitted.reply.id, ANI, RawReply(TEXT + " Twice."), submission_key="f" * 16
    )
    assert len(await services.replies.edits(submitted.reply.id)) == 2
