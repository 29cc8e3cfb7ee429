from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.dialogue.models import ReplyStatus
from bot.dialogue.replies import CheckSummary, RawReply, Reason
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.moderation.casetypes import CaseType
from bot.moderation.models import EffectKind, ItemKind, LadderStep, NewCase
from bot.moderation.service import QueueAction
from bot.moderation.targets import Actor, TargetFacts
from bot.permissions import MemberFacts
from bot.services import Services

from .conftest import GUILD

ARM_ROLE, AZE_ROLE, MOD_ROLE = 501, 502, 700
ANI, BABEK, CAROL = 1001, 1002, 1003
MOD_A, MOD_B, MOD_A2, MOD_X = 2001, 2002, 2003, 2004  # Armenian, Azerbaijani, Armenian, none
TEXT = "This excerpt reminds me of my grandmother's stories about her neighbours."
DIALOGUE = 900


def mod(user_id: int, top: int = 10) -> Actor:
    return Actor(GUILD, MemberFacts(user_id, frozenset({MOD_ROLE})), top, 50)


def member(user_id: int, top: int = 1, **kw: bool) -> TargetFacts:
    return TargetFacts(user_id, top_role_position=top, **kw)


async def lookup(user_id: int) -> TargetFacts | None:
    return member(user_id)


async def configured(services: Services) -> int:
    await services.setup.set_dialogue_channel(GUILD, DIALOGUE)
    await services.setup.set_roles(GUILD, None, MOD_ROLE)
    arm = await services.communities.add(GUILD, "Armenian", ARM_ROLE)
    aze = await services.communities.add(GUILD, "Azerbaijani", AZE_ROLE)
    for user, community in (
        (ANI, arm),
        (BABEK, aze),
        (CAROL, aze),
        (MOD_A, arm),
        (MOD_B, aze),
        (MOD_A2, arm),
    ):
        await services.communities.join(GUILD, user, frozenset(), community.id)
    round_, _ = await services.rounds.prepare(GUILD, None)
    await services.rounds.attach(round_, 7001, 8001)
    return round_.id


async def published(services: Services, round_id: int, author: int = ANI) -> int:
    reply = (
        await services.replies.submit(round_id, author, frozenset(), "x", RawReply(TEXT))
    ).reply
    for item in await services.replies.due_outbox():
        await services.replies.published(item, 600000 + item.id)
    return reply.id


async def held(services: Services, round_id: int, author: int = ANI) -> int:
    async def hold(guild_id: int, text: str, key: str) -> CheckSummary:
        reason = Reason("lexicon", "hostility", "hold", "vermin", "Dehumanising language.")
        return CheckSummary("hold", (reason,))

    before, services.replies.check = services.replies.check, hold
    try:
        result = await services.replies.submit(round_id, author, frozenset(), "x", RawReply(TEXT))
    finally:
        services.replies.check = before
    assert result.reply.status is ReplyStatus.HELD
    return result.reply.id


def kinds(outcome: object) -> list[EffectKind]:
    return [e.kind for e in outcome.effects]  # type: ignore[attr-defined]


async def test_fifty_concurrent_actions_number_cases_one_to_fifty(services: Services) -> None:
    await configured(services)
    outcomes = await asyncio.gather(
        *(
            services.moderation.create_case(
                GUILD, NewCase(CaseType.VERIFICATION, MOD_A, target_id=3000 + i)
            )
            for i in range(50)
        )
    )
    numbers = sorted(o.cases[0].number for o in outcomes)
    assert numbers == list(range(1, 51))
    other = await services.moderation.create_case(GUILD + 1, NewCase(CaseType.REVEAL, MOD_A))
    assert other.cases[0].number == 1  # numbered per guild


async def test_fifty_concurrent_warnings_number_cases_without_gaps(services: Services) -> None:
    await configured(services)
    await services.moderation.update_settings(
        Actor(GUILD, MemberFacts(MOD_A, frozenset(), administrator=True), 10, 50),
        ladder=(LadderStep(1000, timedelta(hours=1)),),
    )
    outcomes = await asyncio.gather(
        *(services.moderation.warn(mod(MOD_A), member(3000 + i), "spam") for i in range(50))
    )
    assert sorted(c.number for o in outcomes for c in o.cases) == list(range(1, 51))


async def test_report_on_reply_one_open_per_member_and_never_own(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await published(services, round_id)
    m = services.moderation
    with pytest.raises(NotAllowed, match="own reply"):
        await m.report_reply(GUILD, reply_id, ANI, "hostility", "")
    first = await m.report_reply(GUILD, reply_id, BABEK, "hostility", "  calls us names  ")
    assert kinds(first) == [EffectKind.QUEUED]
    with pytest.raises(Conflict, match="already reported"):
        await m.report_reply(GUILD, reply_id, BABEK, "threat", "again")
    second = await m.report_reply(GUILD, reply_id, CAROL, "hate", "x" * 900)
    assert kinds(second) == []  # joins the same queue item
    with pytest.raises(InvalidInput):
        await m.report_reply(GUILD, reply_id, MOD_B, "nonsense", "")

    item = await m.queue.next(mod(MOD_A))
    assert item is not None and item.kind is ItemKind.REPORT
    assert [r.reporter_id for r in item.reports] == [BABEK, CAROL]
    assert item.reports[0].reason == "calls us names"
    assert len(item.reports[1].reason) == 500
    assert item.reply is not None and item.reply.fields.brings_up == TEXT
    assert item.community == "Armenian"
    assert item.history is not None and item.history.count == 0


async def test_message_reports_store_ids_only_and_only_in_the_dialogue(
    services: Services,
) -> None:
    await configured(services)
    m = services.moderation
    common = {"message_id": 5555, "author_id": ANI, "category": "spam", "reason": "ads"}
    with pytest.raises(NotAllowed, match="dialogue channel"):
        await m.report_message(
            GUILD, channel_id=1, parent_id=None, author_is_bot=False, reporter_id=BABEK, **common
        )
    with pytest.raises(InvalidInput, match="bot"):
        await m.report_message(
            GUILD,
            channel_id=DIALOGUE,
            parent_id=None,
            author_is_bot=True,
            reporter_id=BABEK,
            **common,
        )
    with pytest.raises(NotAllowed, match="own message"):
        await m.report_message(
            GUILD,
            channel_id=DIALOGUE,
            parent_id=None,
            author_is_bot=False,
            reporter_id=ANI,
            **common,
        )
    outcome = await m.report_message(
        GUILD,
        channel_id=8001,
        parent_id=DIALOGUE,
        author_is_bot=False,
        reporter_id=BABEK,
        **common,
    )
    assert kinds(outcome) == [EffectKind.QUEUED]
    columns = {r[1] for r in await services.db.fetchall("PRAGMA table_info(reports)")}
    assert not columns & {"content", "text", "excerpt", "body"}
    item = await m.queue.next(mod(MOD_A))
    assert item is not None and (item.channel_id, item.message_id) == (8001, 5555)

    removed = await m.act(mod(MOD_A), item.key, QueueAction.REMOVE, lookup=lookup)
    deletes = [e for e in removed.effects if e.kind is EffectKind.DELETE_MESSAGE]
    assert [(e.channel_id, e.message_id) for e in deletes] == [(8001, 5555)]
    assert removed.cases[0].target_id == ANI


async def test_a_report_on_a_reply_message_becomes_a_reply_report(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await published(services, round_id)
    reply = await services.replies.get(reply_id)
    assert reply.message_id is not None
    await services.moderation.report_message(
        GUILD,
        channel_id=8001,
        parent_id=DIALOGUE,
        message_id=reply.message_id,
        author_id=999,  # the bot posted it
        author_is_bot=True,
        reporter_id=BABEK,
        category="hate",
        reason="",
    )
    item = await services.moderation.queue.next(mod(MOD_A))
    assert item is not None and item.reply is not None and item.reply.id == reply_id


async def test_held_reply_in_queue_is_approved_once(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await held(services, round_id)
    m = services.moderation
    item = await m.queue.next(mod(MOD_A))
    assert item is not None and item.key == f"r:{reply_id}"
    assert item.verdict[0]["rule"] == "lexicon" and item.verdict[0]["matched"] == "vermin"
    assert item.community == "Armenian"

    outcome = await m.act(mod(MOD_A), item.key, QueueAction.APPROVE)
    assert outcome.cases[0].type is CaseType.APPROVAL
    # the case log does not name the author of a pseudonymous reply (only /mod reveal does)
    assert outcome.cases[0].target_id is None
    assert [i.kind for i in await services.replies.due_outbox()] == ["publish"]
    with pytest.raises(Conflict, match=f"<@{MOD_A}> already approved"):
        await m.act(mod(MOD_B), item.key, QueueAction.REMOVE, lookup=lookup)
    assert await m.queue.next(mod(MOD_A)) is None


async def test_two_moderators_at_once_one_wins(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await held(services, round_id)
    results = await asyncio.gather(
        services.moderation.act(mod(MOD_A), f"r:{reply_id}", QueueAction.APPROVE),
        services.moderation.act(mod(MOD_B), f"r:{reply_id}", QueueAction.REMOVE, lookup=lookup),
        return_exceptions=True,
    )
    assert sum(isinstance(r, Conflict) for r in results) == 1
    cases = await services.db.fetchval("SELECT COUNT(*) FROM cases")
    assert cases == 1


async def test_remove_a_reported_reply_unpublishes_and_tells_the_author(
    services: Services,
) -> None:
    round_id = await configured(services)
    reply_id = await published(services, round_id)
    m = services.moderation
    await m.report_reply(GUILD, reply_id, BABEK, "hate", "")
    item = await m.queue.next(mod(MOD_B))
    assert item is not None
    outcome = await m.act(mod(MOD_B), item.key, QueueAction.REMOVE, reason="Slur", lookup=lookup)
    (case,) = outcome.cases
    assert case.type is CaseType.REMOVAL and case.reply_id == reply_id
    assert (await services.replies.get(reply_id)).status is ReplyStatus.REMOVED
    assert [i.kind for i in await services.replies.due_outbox()] == ["unpublish"]
    (notify,) = [e for e in outcome.effects if e.kind is EffectKind.NOTIFY]
    assert notify.user_id == ANI
    assert f"case {case.number}" in notify.text and f"/appeal case:{case.number}" in notify.text
    assert "Slur" in notify.text
    assert EffectKind.LOG in kinds(outcome)
    status = await services.db.fetchval("SELECT status FROM reports")
    assert status == "removed"
    # the notice waits until delivered
    pending = await m.pending_notices_for(GUILD, ANI)
    assert [text for _, text in pending] == [notify.text]
    await m.mark_delivered([notify.notice_id or 0])
    assert await m.pending_notices_for(GUILD, ANI) == []


async def test_pending_notices_are_handed_out_once_even_at_once(services: Services) -> None:
    """Two interactions of the member at the same moment: only one shows the notices; one
    that could not show them gives them back for the next."""
    await configured(services)
    m = services.moderation
    await m.warn(mod(MOD_A), member(BABEK), "insult")
    await m.warn(mod(MOD_B), member(BABEK), "again")
    takes = await asyncio.gather(*(m.take_pending_notices(GUILD, BABEK) for _ in range(5)))
    shown = [t for t in takes if t]
    assert len(shown) == 1 and len(shown[0]) == 3  # two warnings and the ladder's timeout
    assert [i for i, _ in shown[0]] == sorted(i for i, _ in shown[0])
    assert await m.pending_notices_for(GUILD, BABEK) == []
    await m.return_notices([i for i, _ in shown[0]])
    assert await m.take_pending_notices(GUILD, BABEK) == shown[0]


async def test_keep_and_dismiss_close_reports_with_a_case(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await published(services, round_id)
    m = services.moderation
    await m.report_reply(GUILD, reply_id, BABEK, "hostility", "")
    item = await m.queue.next(mod(MOD_A))
    assert item is not None
    with pytest.raises(InvalidInput):
        await m.act(mod(MOD_A), item.key, QueueAction.UPHOLD)
    kept = await m.act(mod(MOD_A), item.key, QueueAction.APPROVE)
    assert kept.cases[0].type is CaseType.KEPT and kept.cases[0].target_id is None
    assert (await services.replies.get(reply_id)).status is ReplyStatus.PUBLISHED
    # a new report on the same reply is a new item
    await m.report_reply(GUILD, reply_id, BABEK, "threat", "now a threat")
    again = await m.queue.next(mod(MOD_A))
    assert again is not None and again.key != item.key
    dismissed = await m.act(mod(MOD_B), again.key, QueueAction.DISMISS)
    assert dismissed.cases[0].type is CaseType.DISMISSAL
    assert await m.queue.next(mod(MOD_A)) is None


async def test_queue_next_walks_items_oldest_first(services: Services) -> None:
    round_id = await configured(services)
    m = services.moderation
    first = await held(services, round_id)
    await asyncio.sleep(0.01)  # timestamps have millisecond precision
    reply_id = await published(services, round_id, BABEK)
    await m.report_reply(GUILD, reply_id, ANI, "spam", "")
    a = await m.queue.next(mod(MOD_A))
    assert a is not None and a.key == f"r:{first}" and (a.position, a.total) == (1, 2)
    b = await m.queue.next(mod(MOD_A), after=a.key)
    assert b is not None and b.kind is ItemKind.REPORT and b.position == 2
    c = await m.queue.next(mod(MOD_A), after=b.key)
    assert c is not None and c.key == a.key  # wraps around


async def test_warning_ladder_escalates_each_step_its_own_case(services: Services) -> None:
    await configured(services)
    m = services.moderation
    one = await m.warn(mod(MOD_A), member(BABEK), "insult")
    assert [c.type for c in one.cases] == [CaseType.WARNING]
    assert EffectKind.TIMEOUT not in kinds(one)
    two = await m.warn(mod(MOD_A), member(BABEK), "insult again")
    assert [c.type for c in two.cases] == [CaseType.WARNING, CaseType.TIMEOUT]
    (timeout,) = [e for e in two.effects if e.kind is EffectKind.TIMEOUT]
    assert timeout.until is not None and two.cases[1].expires_at == timeout.until
    assert timeout.until - two.cases[1].created_at == timedelta(hours=1)
    three = await m.warn(mod(MOD_A), member(BABEK), "x")
    assert three.cases[1].expires_at - three.cases[1].created_at == timedelta(hours=24)  # type: ignore[operator]
    four = await m.warn(mod(MOD_A), member(BABEK), "x")
    assert four.recommend_removal
    assert "removal from the dialogue recommended" in four.cases[1].reason
    assert [c.number for c in four.cases] == [6, 7]
    history, cases = await m.cases_for(mod(MOD_B), BABEK)
    assert [c.number for c in cases] == list(range(7, 0, -1))
    assert history.count == 7 and history.active_warnings == 4 and len(history.recent) == 3


async def test_a_warning_whose_ladder_step_fails_is_not_written_either(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ladder's timeout is written in the warning's transaction: a failure after the
    warning was written but before its step leaves neither, and warning again escalates."""
    round_id = await configured(services)
    reply_id = await published(services, round_id, BABEK)
    m = services.moderation
    await m.warn(mod(MOD_A), member(BABEK), "insult")
    await m.report_reply(GUILD, reply_id, ANI, "hostility", "")
    item = await m.queue.next(mod(MOD_B))
    assert item is not None
    store = m._store
    original = store._write
    calls = 0

    async def second_write_fails(*args: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 2:  # the ladder's step, after the warning was written
            raise RuntimeError("the process died here, between the warning and its step")
        return await original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "_write", second_write_fails)
    with pytest.raises(RuntimeError):
        await m.act(mod(MOD_B), item.key, QueueAction.WARN, lookup=lookup)
    monkeypatch.undo()
    assert calls == 2
    assert await services.db.fetchval("SELECT COUNT(*) FROM cases") == 1
    assert (await services.replies.get(reply_id)).status is ReplyStatus.PUBLISHED
    assert await services.db.fetchval("SELECT status FROM reports") == "open"
    assert [k for k, _ in await store.pending_keys(GUILD)] == [item.key]
    done = await m.act(mod(MOD_B), item.key, QueueAction.WARN, lookup=lookup)
    assert [c.type for c in done.cases] == [CaseType.REMOVAL, CaseType.WARNING, CaseType.TIMEOUT]
    assert [c.number for c in done.cases] == [2, 3, 4]
    assert EffectKind.TIMEOUT in kinds(done) and "ladder added" in done.message


async def test_with_paired_moderation_the_ladder_proposes_its_timeout(
    services: Services,
) -> None:
    await configured(services)
    m = services.moderation
    admin = Actor(GUILD, MemberFacts(MOD_A, frozenset(), administrator=True), 10, 50)
    await m.update_settings(admin, paired=True)
    await m.warn(mod(MOD_A), member(BABEK), "insult")
    two = await m.warn(mod(MOD_A), member(BABEK), "insult again")
    assert [c.type for c in two.cases] == [CaseType.WARNING]
    assert EffectKind.TIMEOUT not in kinds(two) and "ladder proposes a 1h timeout" in two.message
    (queued,) = [e for e in two.effects if e.kind is EffectKind.QUEUED]
    paired = await m.queue.get(mod(MOD_B), queued.item_key or "")
    assert paired.paired is not None and paired.paired.timeout == timedelta(hours=1)


async def test_warnings_expire_after_the_configured_days(services: Services) -> None:
    await configured(services)
    m = services.moderation
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    m.clock = lambda: now
    admin = Actor(GUILD, MemberFacts(MOD_A, frozenset(), manage_guild=True), 10, 50)
    with pytest.raises(NotAllowed):
        await m.update_settings(mod(MOD_A), warning_days=10)
    await m.update_settings(admin, warning_days=10)
    first = await m.warn(mod(MOD_A), member(BABEK), "x")
    assert await m.next_timer_due() == first.cases[0].expires_at
    assert await m.due_timers(now + timedelta(days=9)) == []
    now += timedelta(days=10, seconds=1)
    expired = await m.expire_due()
    assert [c.number for c in expired] == [1]
    assert not (await m.get_case(mod(MOD_A), 1))[0].active
    assert await m.next_timer_due() is None
    # an expired warning no longer counts towards the ladder
    again = await m.warn(mod(MOD_A), member(BABEK), "x")
    assert [c.type for c in again.cases] == [CaseType.WARNING]


async def test_expiry_survives_a_restart(services: Services) -> None:
    await configured(services)
    m = services.moderation
    outcome = await m.timeout(mod(MOD_A), member(BABEK), timedelta(hours=2), "cool down")
    from bot.moderation.service import ModerationService
    from bot.storage.guilds import GuildStore
    from bot.storage.moderation import ModerationStore

    fresh = ModerationService(
        ModerationStore(services.db),
        GuildStore(services.db),
        services.replies,
        services.communities,
    )
    assert await fresh.next_timer_due() == outcome.cases[0].expires_at
    later = outcome.cases[0].created_at + timedelta(hours=2, seconds=1)
    assert [c.number for c in await fresh.expire_due(later)] == [1]


async def test_timeout_limits_and_untimeout(services: Services) -> None:
    await configured(services)
    m = services.moderation
    with pytest.raises(InvalidInput, match="28 days"):
        await m.timeout(mod(MOD_A), member(BABEK), timedelta(days=29), "x")
    with pytest.raises(InvalidInput, match="reason"):
        await m.timeout(mod(MOD_A), member(BABEK), timedelta(hours=1), "  ")
    with pytest.raises(NotAllowed, match="administrators"):
        await m.timeout(mod(MOD_A), member(BABEK, is_administrator=True), timedelta(hours=1), "x")
    done = await m.timeout(mod(MOD_A), member(BABEK), timedelta(hours=1), "x")
    assert EffectKind.TIMEOUT in kinds(done)
    lifted = await m.untimeout(mod(MOD_B), member(BABEK), "talked it out")
    assert lifted.cases[0].type is CaseType.UNTIMEOUT and lifted.cases[0].related_case == 1
    assert EffectKind.UNTIMEOUT in kinds(lifted)
    assert not (await m.get_case(mod(MOD_A), 1))[0].active


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (TargetFacts(MOD_A, top_role_position=1), "yourself"),
        (TargetFacts(BABEK, is_owner=True), "owner"),
        (TargetFacts(BABEK, is_bot=True), "Bots"),
        (TargetFacts(BABEK, top_role_position=10), "at or above yours"),
        (TargetFacts(BABEK, top_role_position=60), "at or above yours"),
    ],
)
async def test_target_rules(services: Services, target: TargetFacts, message: str) -> None:
    await configured(services)
    with pytest.raises(NotAllowed, match=message):
        await services.moderation.warn(mod(MOD_A), target, "x")
    assert await services.db.fetchval("SELECT COUNT(*) FROM cases") == 0


async def test_bot_role_must_be_above_the_target(services: Services) -> None:
    await configured(services)
    owner = Actor(GUILD, MemberFacts(MOD_A, frozenset(), is_owner=True), 100, 5)
    with pytest.raises(NotAllowed, match="Track Two's"):
        await services.moderation.warn(owner, member(BABEK, top=7), "x")


async def test_non_moderators_are_refused_everywhere(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await held(services, round_id)
    m = services.moderation
    nobody = Actor(GUILD, MemberFacts(CAROL, frozenset()), 10, 50)
    calls = [
        m.queue.next(nobody),
        m.act(nobody, f"r:{reply_id}", QueueAction.APPROVE),
        m.warn(nobody, member(BABEK), "x"),
        m.timeout(nobody, member(BABEK), timedelta(hours=1), "x"),
        m.untimeout(nobody, member(BABEK), "x"),
        m.reveal(nobody, reply_id, "x"),
        m.get_case(nobody, 1),
        m.cases_for(nobody, BABEK),
        m.edit_reason(nobody, 1, "x"),
        m.settings(nobody),
        m.pardon(nobody, 1, "x"),
    ]
    for call in calls:
        with pytest.raises(NotAllowed, match="Only moderators"):
            await call
    assert (await services.replies.get(reply_id)).status is ReplyStatus.HELD
    assert await services.db.fetchval("SELECT COUNT(*) FROM cases") == 0


async def test_paired_moderation_needs_a_second_moderator_of_another_community(
    services: Services,
) -> None:
    round_id = await configured(services)
    reply_id = await published(services, round_id, BABEK)
    m = services.moderation
    admin = Actor(GUILD, MemberFacts(MOD_A, frozenset(), administrator=True), 10, 50)
    await m.update_settings(admin, paired=True)
    await m.report_reply(GUILD, reply_id, ANI, "hostility", "")
    item = await m.queue.next(mod(MOD_A))
    assert item is not None
    proposed = await m.act(
        mod(MOD_A), item.key, QueueAction.TIMEOUT, duration=timedelta(hours=3), lookup=lookup
    )
    assert proposed.pending_key is not None and proposed.cases == []
    assert EffectKind.TIMEOUT not in kinds(proposed)
    assert (await services.replies.get(reply_id)).status is ReplyStatus.PUBLISHED
    pending = await m.queue.next(mod(MOD_B))
    assert pending is not None and pending.key == proposed.pending_key
    assert pending.kind is ItemKind.PAIRED and pending.reply is not None  # shows what it is about
    key = proposed.pending_key

    with pytest.raises(NotAllowed, match="You proposed"):
        await m.act(mod(MOD_A), key, QueueAction.CONFIRM, lookup=lookup)
    with pytest.raises(NotAllowed, match="other than Armenian"):
        await m.act(mod(MOD_A2), key, QueueAction.CONFIRM, lookup=lookup)
    with pytest.raises(NotAllowed, match="not joined one"):
        await m.act(mod(MOD_X), key, QueueAction.CONFIRM, lookup=lookup)
    done = await m.act(mod(MOD_B), key, QueueAction.CONFIRM, lookup=lookup)
    assert [c.type for c in done.cases] == [CaseType.REMOVAL, CaseType.TIMEOUT]
    assert all(c.moderator_id == MOD_A and c.confirmed_by == MOD_B for c in done.cases)
    assert EffectKind.TIMEOUT in kinds(done)
    assert (await services.replies.get(reply_id)).status is ReplyStatus.REMOVED
    with pytest.raises(Conflict, match=f"<@{MOD_B}> already confirmed"):
        await m.act(mod(MOD_A2), key, QueueAction.CANCEL)
    assert await m.queue.next(mod(MOD_A)) is None


async def test_cancelled_paired_action_returns_the_item_to_the_queue(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await held(services, round_id, BABEK)
    m = services.moderation
    admin = Actor(GUILD, MemberFacts(MOD_A, frozenset(), administrator=True), 10, 50)
    await m.update_settings(admin, paired=True)
    proposed = await m.act(mod(MOD_A), f"r:{reply_id}", QueueAction.REMOVE, lookup=lookup)
    assert proposed.pending_key is not None
    cancelled = await m.act(mod(MOD_B), proposed.pending_key, QueueAction.CANCEL)
    assert EffectKind.QUEUED in kinds(cancelled)
    item = await m.queue.next(mod(MOD_A))
    assert item is not None and item.key == f"r:{reply_id}"
    # warnings alone are not paired
    warned = await m.warn(mod(MOD_A), member(BABEK), "x")
    assert warned.cases[0].type is CaseType.WARNING


async def test_a_cancel_that_fails_midway_leaves_the_proposal_waiting(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelling decides the proposal and reopens the original item in one transaction: a
    failure after the reopening leaves the proposal waiting and the item still claimed, not
    an item that is neither in the queue nor decided."""
    round_id = await configured(services)
    reply_id = await held(services, round_id, BABEK)
    m = services.moderation
    admin = Actor(GUILD, MemberFacts(MOD_A, frozenset(), administrator=True), 10, 50)
    await m.update_settings(admin, paired=True)
    proposed = await m.act(mod(MOD_A), f"r:{reply_id}", QueueAction.REMOVE, lookup=lookup)
    assert proposed.pending_key is not None
    store = m._store
    original = store._release_in

    async def reopen_then_fail(*args: object) -> None:
        await original(*args)  # type: ignore[arg-type]
        raise RuntimeError("the process died here, after the item was reopened")

    monkeypatch.setattr(store, "_release_in", reopen_then_fail)
    with pytest.raises(RuntimeError):
        await m.act(mod(MOD_B), proposed.pending_key, QueueAction.CANCEL)
    monkeypatch.undo()
    keys = [k for k, _ in await store.pending_keys(GUILD)]
    assert keys == [proposed.pending_key]  # the proposal waits; the held reply is still its
    assert await services.db.fetchval("SELECT status FROM paired_actions") == "waiting"
    # and the cancel can simply be done again
    await m.act(mod(MOD_B), proposed.pending_key, QueueAction.CANCEL)
    assert [k for k, _ in await store.pending_keys(GUILD)] == [f"r:{reply_id}"]


async def test_appeal_once_by_the_target_and_overturn_lifts_the_timeout(
    services: Services,
) -> None:
    await configured(services)
    m = services.moderation
    timeout = await m.timeout(mod(MOD_A), member(BABEK), timedelta(days=1), "heated")
    number = timeout.cases[0].number
    with pytest.raises(NotFound):
        await m.appeal(GUILD, number, CAROL, "not me")
    with pytest.raises(InvalidInput):
        await m.appeal(GUILD, number, BABEK, "   ")
    appealed = await m.appeal(GUILD, number, BABEK, "I was quoting the essay")
    (queued,) = appealed.effects
    assert queued.item_key is not None and queued.item_key.startswith("a:")
    with pytest.raises(Conflict, match="already appealed"):
        await m.appeal(GUILD, number, BABEK, "again")
    item = await m.queue.next(mod(MOD_B))
    assert item is not None and item.appeal is not None
    assert item.appealed_case is not None and item.appealed_case.number == number
    with pytest.raises(NotAllowed, match="took part"):
        await m.act(mod(MOD_A), item.key, QueueAction.OVERTURN)
    decided = await m.act(mod(MOD_B), item.key, QueueAction.OVERTURN, reason="Quote, not insult")
    assert decided.cases[0].type is CaseType.APPEAL_OVERTURNED
    assert decided.cases[0].related_case == number
    assert EffectKind.UNTIMEOUT in kinds(decided)
    (notify,) = [e for e in decided.effects if e.kind is EffectKind.NOTIFY]
    assert notify.user_id == BABEK and "accepted" in notify.text
    assert not (await m.get_case(mod(MOD_A), number))[0].active


async def test_upheld_appeal_keeps_the_warning(services: Services) -> None:
    await configured(services)
    m = services.moderation
    warned = await m.warn(mod(MOD_A), member(BABEK), "x")
    await m.appeal(GUILD, warned.cases[0].number, BABEK, "please")
    item = await m.queue.next(mod(MOD_B))
    assert item is not None
    decided = await m.act(mod(MOD_B), item.key, QueueAction.UPHOLD, reason="n" * 900)
    assert decided.cases[0].type is CaseType.APPEAL_UPHELD
    assert decided.cases[0].reason == "n" * 500  # a decision's note is at most 500 characters
    assert (await m.get_case(mod(MOD_A), 1))[0].active
    with pytest.raises(InvalidInput, match="not a sanction"):
        await m.appeal(GUILD, decided.cases[0].number, BABEK, "x")


async def test_reveal_needs_a_reason_and_is_a_case(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await published(services, round_id)
    m = services.moderation
    with pytest.raises(InvalidInput, match="reason"):
        await m.reveal(mod(MOD_A), reply_id, "")
    outcome = await m.reveal(mod(MOD_A), reply_id, "threat to a member")
    assert outcome.user_id == ANI
    (case,) = outcome.cases
    assert case.type is CaseType.REVEAL and case.target_id == ANI and case.reply_id == reply_id
    assert EffectKind.LOG in kinds(outcome)


async def test_reason_edits_keep_history(services: Services) -> None:
    await configured(services)
    m = services.moderation
    await m.warn(mod(MOD_A), member(BABEK), "first words")
    case = await m.edit_reason(mod(MOD_B), 1, "clearer words")
    assert case.reason == "clearer words"
    _, edits = await m.get_case(mod(MOD_A), 1)
    assert [(e.previous, e.edited_by) for e in edits] == [("first words", MOD_B)]
    with pytest.raises(NotFound):
        await m.get_case(mod(MOD_A), 99)


async def test_pardon_ends_a_timeout(services: Services) -> None:
    await configured(services)
    m = services.moderation
    await m.timeout(mod(MOD_A), member(BABEK), timedelta(hours=5), "x")
    pardon = await m.pardon(mod(MOD_B), 1, "apologised")
    assert pardon.cases[0].type is CaseType.PARDON
    assert EffectKind.UNTIMEOUT in kinds(pardon)
    with pytest.raises(InvalidInput):
        await m.pardon(mod(MOD_B), 1, "again")


async def test_forgotten_member_leaves_tombstoned_cases(services: Services) -> None:
    await configured(services)
    m = services.moderation
    await m.warn(mod(MOD_A), member(BABEK), "x")
    await m.forget_member(GUILD, BABEK)
    case, _ = await m.get_case(mod(MOD_A), 1)
    assert case.target_id is None and case.target_label == "a former member"
    assert await m.pending_notices_for(GUILD, BABEK) == []


async def test_unannounced_items_are_announced_once(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await held(services, round_id)
    m = services.moderation
    assert await m.unannounced() == [(GUILD, f"r:{reply_id}")]
    assert await m.claim_announcement(GUILD, f"r:{reply_id}")
    assert not await m.claim_announcement(GUILD, f"r:{reply_id}")
    await m.set_announcement(GUILD, f"r:{reply_id}", 4242)
    assert await m.unannounced() == []
    assert await m.announcement(GUILD, f"r:{reply_id}") == 4242


async def test_a_decision_that_fails_midway_leaves_nothing_half_done(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Claim, reply status, outbox row and case are one transaction: a failure while writing
    the case leaves the item unclaimed, the reply held, no outbox row and no case."""
    round_id = await configured(services)
    reply_id = await held(services, round_id)
    replies_store = services.moderation._store._replies
    original = replies_store.change_status_in

    async def change_then_fail(*args: object, **kwargs: object) -> bool:
        await original(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("the process died here, after the claim and the status change")

    monkeypatch.setattr(replies_store, "change_status_in", change_then_fail)
    with pytest.raises(RuntimeError):
        await services.moderation.act(mod(MOD_A), f"r:{reply_id}", QueueAction.APPROVE)
    monkeypatch.undo()
    assert (await services.replies.get(reply_id)).status is ReplyStatus.HELD
    assert await services.db.fetchval("SELECT COUNT(*) FROM queue_resolutions") == 0
    assert await services.db.fetchval("SELECT COUNT(*) FROM cases") == 0
    assert await services.replies.pending_outbox() == 0
    # and the item can still be decided, by anyone
    await services.moderation.act(mod(MOD_B), f"r:{reply_id}", QueueAction.APPROVE)
    assert (await services.replies.get(reply_id)).status is ReplyStatus.PENDING
    assert await services.replies.pending_outbox() == 1


async def test_a_reply_withdrawn_before_the_decision_writes_nothing(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await published(services, round_id)
    await services.moderation.report_reply(GUILD, reply_id, BABEK, "hostility", "rude")
    await services.replies.withdraw(reply_id, ANI)
    with pytest.raises(Conflict, match="already withdrawn"):
        await services.moderation.act(mod(MOD_A), f"r:{reply_id}", QueueAction.WARN, lookup=lookup)
    assert await services.db.fetchval("SELECT COUNT(*) FROM cases") == 0
    assert await services.db.fetchval("SELECT COUNT(*) FROM queue_resolutions") == 0


async def test_member_text_in_reports_and_appeals_is_sanitized(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await published(services, round_id)
    await services.moderation.report_reply(
        GUILD, reply_id, BABEK, "hostility", "<script>alert(1)</script>@everyone look\u202e here"
    )
    stored = await services.db.fetchval("SELECT reason FROM reports")
    # a tag that is not the essay form's is the member's text (inert in Discord), kept as typed
    assert "<script>alert(1)</script>" in stored
    assert "@everyone" not in stored and "\u202e" not in stored
    assert "look" in stored and "here" in stored


async def test_case_numbers_stay_gapless_across_features_at_once(services: Services) -> None:
    """Join-request decisions (cogs/community.py) and moderators' warnings draw from one
    counter, concurrently."""
    await configured(services)
    verifications = [
        services.moderation.create_case(
            GUILD, NewCase(CaseType.VERIFICATION, MOD_A, target_id=5000 + i, reason="approved")
        )
        for i in range(25)
    ]
    warnings = [
        services.moderation.warn(mod(MOD_B), member(6000 + i), f"warning {i}") for i in range(25)
    ]
    await asyncio.gather(*verifications, *warnings)
    numbers = [r[0] for r in await services.db.fetchall("SELECT number FROM cases ORDER BY number")]
    assert numbers == list(range(1, 51))
