from __future__ import annotations

import os
import stat
from datetime import UTC, datetime

import pytest

from bot.civility.model import Action, Category, Verdict
from bot.dialogue.models import EndorsementKind, ReplyStatus
from bot.dialogue.replies import CheckSummary, Disposition, RawReply
from bot.dialogue.rounds import next_slot
from bot.effects import AddRole, Notify, OutboxChanged, PostCase
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.moderation.casetypes import CaseType
from bot.privacy import SECRET_FILE
from bot.services import Services

from .conftest import GUILD

ARM_ROLE, AZE_ROLE = 501, 502
ANI, BABEK, CAROL = 1001, 1002, 1003
TEXT = "This excerpt reminds me of my grandmother's stories about her neighbours."


async def configured(services: Services) -> None:
    await services.guild_config.set_dialogue_channel(GUILD, 900)
    await services.communities.add(GUILD, "Armenian", ARM_ROLE)
    await services.communities.add(GUILD, "Azerbaijani", AZE_ROLE)


async def open_round(services: Services) -> int:
    round_, _ = await services.rounds.prepare(GUILD, None)
    await services.rounds.attach(round_, 7000 + round_.number, 8000 + round_.number)
    return round_.id


async def test_builtin_pack_is_the_essay_with_attribution(services: Services) -> None:
    pack = await services.packs.active_pack(GUILD)
    assert pack.author == "Maria Karapetyan"
    assert pack.title.startswith("Small People, Big Politics")
    _, excerpts, _ = await services.packs.listing(GUILD)
    assert len(excerpts) >= 6
    assert all(len(e.text) <= 1500 for e in excerpts)
    assert not any("Leave a Reply" in e.text or "<a href" in e.text for e in excerpts)
    assert await services.packs.seed_builtin() == 0  # idempotent


async def test_round_needs_channel_and_two_communities(services: Services) -> None:
    with pytest.raises(InvalidInput, match="dialogue channel"):
        await services.rounds.prepare(GUILD, None)
    await services.guild_config.set_dialogue_channel(GUILD, 900)
    await services.communities.add(GUILD, "Armenian", ARM_ROLE)
    with pytest.raises(InvalidInput, match="two communities"):
        await services.rounds.prepare(GUILD, None)


async def test_rounds_take_the_next_unused_excerpt_and_number_up(services: Services) -> None:
    await configured(services)
    first, ex1 = await services.rounds.prepare(GUILD, None)
    second, ex2 = await services.rounds.prepare(GUILD, None)
    assert (first.number, second.number) == (1, 2)
    assert ex1.position == 1 and ex2.position == 2


async def test_member_without_community_cannot_reply(services: Services) -> None:
    await configured(services)
    round_id = await open_round(services)
    with pytest.raises(NotAllowed, match="/community join"):
        await services.replies.submit(round_id, CAROL, frozenset(), "Carol", RawReply(TEXT))


async def test_reply_is_committed_with_outbox_and_pseudonymous(services: Services) -> None:
    await configured(services)
    round_id = await open_round(services)
    await services.communities.join(GUILD, ANI, frozenset(), 1)
    result = await services.replies.submit(round_id, ANI, frozenset(), "Ani", RawReply(TEXT))
    assert result.disposition is Disposition.ACCEPTED
    assert result.reply.status is ReplyStatus.PENDING
    assert result.reply.participant_number == 1
    # the reply built from the INSERT ... RETURNING is the one stored
    assert result.reply == await services.replies.get(result.reply.id)
    assert result.reply.author_name is None  # pseudonyms are the default
    assert services.replies.author_of(result.reply) == ANI
    assert await services.replies.pending_outbox() == 1
    raw = await services.db.fetchone("SELECT * FROM replies WHERE id = ?", (result.reply.id,))
    assert raw is not None
    assert str(ANI) not in " ".join(str(v) for v in tuple(raw))


async def test_too_short_reply_is_refused_with_a_clear_message(services: Services) -> None:
    await configured(services)
    round_id = await open_round(services)
    await services.communities.join(GUILD, ANI, frozenset(), 1)
    with pytest.raises(InvalidInput, match="at least 20 characters"):
        await services.replies.submit(round_id, ANI, frozenset(), "Ani", RawReply("too short"))
    assert await services.replies.pending_outbox() == 0


async def test_closed_round_refuses_replies_and_reopens(services: Services) -> None:
    await configured(services)
    round_id = await open_round(services)
    await services.communities.join(GUILD, ANI, frozenset(), 1)
    round_ = await services.rounds.get(round_id)
    await services.rounds.set_open(round_, False)
    with pytest.raises(Conflict, match="closed"):
        await services.replies.submit(round_id, ANI, frozenset(), "Ani", RawReply(TEXT))
    with pytest.raises(Conflict):
        await services.rounds.set_open(round_, False)
    await services.rounds.set_open(round_, True)
    result = await services.replies.submit(round_id, ANI, frozenset(), "Ani", RawReply(TEXT))
    assert result.disposition is Disposition.ACCEPTED


async def test_nudge_keeps_a_draft_that_can_be_submitted_anyway(services: Services) -> None:
    await configured(services)
    round_id = await open_round(services)
    await services.communities.join(GUILD, ANI, frozenset(), 1)

    async def nudge(guild_id: int, text: str, key: str) -> CheckSummary:
        if "damn" not in text:
            return CheckSummary()
        start = text.index("damn")
        verdict = Verdict(
            "lexicon", Category.PROFANITY, Action.NUDGE, start, start + 4, "damn", "Profanity."
        )
        return CheckSummary(Action.NUDGE, (verdict,))

    services.replies.check = nudge
    raw = RawReply(TEXT, question="Why does it damn us so?")
    result = await services.replies.submit(round_id, ANI, frozenset(), "Ani", raw)
    assert result.disposition is Disposition.NUDGED
    assert result.reply.status is ReplyStatus.DRAFT
    assert result.verdicts[0].field == "question"
    assert await services.replies.pending_outbox() == 0
    with pytest.raises(NotAllowed):
        await services.replies.submit_anyway(result.reply.id, BABEK)
    held = await services.replies.submit_anyway(result.reply.id, ANI)
    assert held.reply.status is ReplyStatus.HELD
    assert await services.replies.approve_held(result.reply.id)
    assert await services.replies.pending_outbox() == 1
    assert not await services.replies.approve_held(result.reply.id)


async def test_endorsements_per_community_toggle_and_never_own(services: Services) -> None:
    await configured(services)
    round_id = await open_round(services)
    await services.communities.join(GUILD, ANI, frozenset(), 1)
    await services.communities.join(GUILD, BABEK, frozenset(), 2)
    await services.communities.join(GUILD, CAROL, frozenset(), 2)
    reply = (await services.replies.submit(round_id, ANI, frozenset(), "Ani", RawReply(TEXT))).reply
    (item,) = await services.replies.due_outbox()
    await services.replies.published(item, 123456)
    with pytest.raises(NotAllowed, match="own reply"):
        await services.replies.endorse(reply.id, ANI, frozenset(), EndorsementKind.RESONATES)
    await services.replies.endorse(reply.id, BABEK, frozenset(), EndorsementKind.RESONATES)
    result = await services.replies.endorse(reply.id, CAROL, frozenset(), EndorsementKind.RESONATES)
    assert result.tally.line(EndorsementKind.RESONATES) == "0 · 2"
    changed = await services.replies.endorse(reply.id, CAROL, frozenset(), EndorsementKind.LEARNED)
    assert changed.mine is EndorsementKind.LEARNED
    assert changed.tally.line(EndorsementKind.RESONATES) == "0 · 1"
    removed = await services.replies.endorse(reply.id, CAROL, frozenset(), EndorsementKind.LEARNED)
    assert removed.mine is None
    assert removed.tally.total(EndorsementKind.LEARNED) == 0


async def test_edit_keeps_history_and_queues_a_refresh(services: Services) -> None:
    await configured(services)
    round_id = await open_round(services)
    await services.communities.join(GUILD, ANI, frozenset(), 1)
    reply = (await services.replies.submit(round_id, ANI, frozenset(), "Ani", RawReply(TEXT))).reply
    (item,) = await services.replies.due_outbox()
    await services.replies.published(item, 123456)
    edited = await services.replies.edit(reply.id, ANI, RawReply(TEXT + " And my own."))
    assert edited.reply.fields.brings_up.endswith("And my own.")
    assert edited.reply.edited
    history = await services.replies.edits(reply.id)
    assert history[0]["brings_up"] == TEXT
    kinds = [i.kind for i in await services.replies.due_outbox()]
    assert kinds == ["refresh"]


async def test_withdraw_unpublishes(services: Services) -> None:
    await configured(services)
    round_id = await open_round(services)
    await services.communities.join(GUILD, ANI, frozenset(), 1)
    reply = (await services.replies.submit(round_id, ANI, frozenset(), "Ani", RawReply(TEXT))).reply
    (item,) = await services.replies.due_outbox()
    await services.replies.published(item, 123456)
    withdrawn = await services.replies.withdraw(reply.id, ANI)
    assert withdrawn.reply.status is ReplyStatus.WITHDRAWN
    assert withdrawn.effects == (OutboxChanged(),)
    assert [i.kind for i in await services.replies.due_outbox()] == ["unpublish"]
    with pytest.raises(Conflict):
        await services.replies.withdraw(reply.id, ANI)


async def test_participant_numbers_are_per_round_and_keys_unlinkable(services: Services) -> None:
    await configured(services)
    await services.communities.join(GUILD, ANI, frozenset(), 1)
    await services.communities.join(GUILD, BABEK, frozenset(), 2)
    first = await open_round(services)
    a1 = (await services.replies.submit(first, ANI, frozenset(), "Ani", RawReply(TEXT))).reply
    b1 = (await services.replies.submit(first, BABEK, frozenset(), "Babek", RawReply(TEXT))).reply
    a1b = (
        await services.replies.submit(first, ANI, frozenset(), "Ani", RawReply(TEXT + "!"))
    ).reply
    second = await open_round(services)
    b2 = (await services.replies.submit(second, BABEK, frozenset(), "Babek", RawReply(TEXT))).reply
    assert (a1.participant_number, b1.participant_number, a1b.participant_number) == (1, 2, 1)
    assert b2.participant_number == 1
    assert a1.author_key == a1b.author_key
    assert b1.author_key != b2.author_key


async def test_join_with_verification_and_change_needs_moderator(services: Services) -> None:
    await configured(services)
    await services.guild_config.set_verification(GUILD, True)
    outcome = await services.communities.join(GUILD, ANI, frozenset(), 1)
    assert outcome.state == "requested" and outcome.request_id is not None
    with pytest.raises(Conflict, match="already waiting"):
        await services.communities.join(GUILD, ANI, frozenset(), 1)
    with pytest.raises(NotFound):  # another server's moderator cannot decide it (issue 10)
        await services.communities.decide(GUILD + 1, outcome.request_id, True, 42)
    assert await services.communities.request_guild(outcome.request_id) == GUILD
    decision = await services.communities.decide(GUILD, outcome.request_id, True, 42)
    assert decision.approved and decision.user_id == ANI
    with pytest.raises(Conflict, match="already decided"):
        await services.communities.decide(GUILD, outcome.request_id, False, 43)
    with pytest.raises(Conflict, match="needs a moderator"):
        await services.communities.join(GUILD, ANI, frozenset(), 2)
    stats = await services.communities.stats(GUILD)
    assert [(s.community.name, s.members) for s in stats] == [("Armenian", 1), ("Azerbaijani", 0)]


async def test_import_dedupes_and_rejects_bad_files(services: Services) -> None:
    text = "\n\n".join(
        f"Paragraph {n} is long enough to stand on its own as an excerpt. " * 6 for n in range(3)
    )
    result = await services.packs.import_text(GUILD, text.encode(), "Essay", "Someone")
    assert result.added == 3
    again = await services.packs.import_text(GUILD, text.encode(), "Essay", "Someone")
    assert again.added == 0 and again.skipped == result.added
    for bad, reason in [
        (b"", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        ("caf\u00e9".encode("latin-1") * 10, "UTF-8"),
        (b"x" * 1_000_001, "1 MB"),
    ]:
        with pytest.raises(InvalidInput, match=reason):
            await services.packs.import_text(GUILD, bad, "Bad", "Someone")


async def test_secret_is_generated_owner_only(services: Services) -> None:
    path = services.settings.data_dir / SECRET_FILE
    assert path.exists()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_schedule_catches_up_once() -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert next_slot(now, 24, 18 * 60) == datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
    assert next_slot(now, 24, 9 * 60) == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert next_slot(now, 6, 9 * 60) == datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    assert next_slot(now, 6, 23 * 60) == datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
    # after three days of downtime the next slot is still in the future, once
    later = datetime(2026, 11, 28, 10, 30, tzinfo=UTC)
    assert next_slot(later, 24, 9 * 60) == datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


async def test_a_join_decision_is_a_verification_case_with_its_effects(
    services: Services,
) -> None:
    await configured(services)
    await services.guild_config.set_verification(GUILD, True)
    asked = await services.communities.join(GUILD, CAROL, frozenset(), 1)
    assert asked.request_id is not None
    decision, outcome = await services.verification.decide(GUILD, asked.request_id, True, 42)
    assert decision.approved and decision.user_id == CAROL
    role, notify, post = outcome.effects
    armenian = await services.communities.get(GUILD, 1)
    assert role == AddRole(CAROL, armenian.role_id, "Track Two: join request approved")
    assert isinstance(post, PostCase) and post.case.type is CaseType.VERIFICATION
    assert post.case.target_id == CAROL and post.case.moderator_id == 42
    assert isinstance(notify, Notify) and notify.user_id == CAROL
    assert "approved" in notify.text and "Armenian" in notify.text
    # the member hears of it on their next visit when their DMs are closed
    pending = await services.moderation.notices.pending(GUILD, CAROL)
    assert [notice.text for _, notice in pending] == [notify.text]
    with pytest.raises(Conflict, match="already decided"):
        await services.verification.decide(GUILD, asked.request_id, False, 43)


async def test_a_denied_join_gives_no_role(services: Services) -> None:
    await configured(services)
    await services.guild_config.set_verification(GUILD, True)
    asked = await services.communities.join(GUILD, CAROL, frozenset(), 2)
    assert asked.request_id is not None
    _, outcome = await services.verification.decide(GUILD, asked.request_id, False, 42)
    assert [type(e) for e in outcome.effects] == [Notify, PostCase]
    assert await services.communities.of_member(GUILD, CAROL, frozenset()) is None
