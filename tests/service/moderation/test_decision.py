"""One decision, one transaction: case numbering and atomicity (storage/moderation/decision)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.dialogue.models import ReplyStatus
from bot.errors import Conflict
from bot.moderation.casetypes import CaseType
from bot.moderation.models import LadderStep, NewCase
from bot.moderation.service import QueueAction
from bot.moderation.targets import Actor
from bot.permissions import MemberFacts
from bot.services import Services
from tests.service.conftest import GUILD
from tests.service.moderation.helpers import (
    ANI,
    BABEK,
    MOD_A,
    MOD_B,
    configured,
    held,
    lookup,
    member,
    mod,
    published,
)


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
    await services.moderation.policy.update(
        Actor(GUILD, MemberFacts(MOD_A, frozenset(), administrator=True), 10, 50),
        ladder=(LadderStep(1000, timedelta(hours=1)),),
    )
    outcomes = await asyncio.gather(
        *(services.moderation.warn(mod(MOD_A), member(3000 + i), "spam") for i in range(50))
    )
    assert sorted(c.number for o in outcomes for c in o.cases) == list(range(1, 51))


async def test_a_decision_that_fails_midway_leaves_nothing_half_done(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Claim, reply status, outbox row and case are one transaction: a failure while writing
    the case leaves the item unclaimed, the reply held, no outbox row and no case."""
    round_id = await configured(services)
    reply_id = await held(services, round_id)
    replies_store = services.moderation._desk.store.decisions._replies
    original = replies_store.change_status_in

    async def change_then_fail(*args: object, **kwargs: object) -> bool:
        await original(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("the process died here, after the claim and the status change")

    monkeypatch.setattr(replies_store, "change_status_in", change_then_fail)
    with pytest.raises(RuntimeError):
        await services.moderation.act(mod(MOD_A), f"held:{reply_id}", QueueAction.APPROVE)
    monkeypatch.undo()
    assert (await services.replies.get(reply_id)).status is ReplyStatus.HELD
    assert await services.db.fetchval("SELECT COUNT(*) FROM queue_resolutions") == 0
    assert await services.db.fetchval("SELECT COUNT(*) FROM cases") == 0
    assert await services.replies.pending_outbox() == 0
    # and the item can still be decided, by anyone
    await services.moderation.act(mod(MOD_B), f"held:{reply_id}", QueueAction.APPROVE)
    assert (await services.replies.get(reply_id)).status is ReplyStatus.PENDING
    assert await services.replies.pending_outbox() == 1


async def test_a_reply_withdrawn_before_the_decision_writes_nothing(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await published(services, round_id)
    await services.moderation.reports.report_reply(GUILD, reply_id, BABEK, "hostility", "rude")
    await services.replies.withdraw(reply_id, ANI)
    with pytest.raises(Conflict, match="already withdrawn"):
        await services.moderation.act(
            mod(MOD_A), f"held:{reply_id}", QueueAction.WARN, lookup=lookup
        )
    assert await services.db.fetchval("SELECT COUNT(*) FROM cases") == 0
    assert await services.db.fetchval("SELECT COUNT(*) FROM queue_resolutions") == 0


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
