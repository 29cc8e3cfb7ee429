"""A join request's decision and its verification case are one transaction (issue 15): a
failure while writing the case leaves the request pending and the member outside, and two
moderators deciding at once make one decision and one case."""

from __future__ import annotations

import asyncio

import pytest

import bot.storage.moderation.decision as decision_store
from bot.errors import Conflict
from bot.moderation.casetypes import CaseType
from bot.services import Services

from .conftest import GUILD
from .test_dialogue import CAROL, configured


async def verification_cases(services: Services) -> int:
    return int(
        await services.db.fetchval(
            "SELECT COUNT(*) FROM cases WHERE guild_id = ? AND type = ?",
            (GUILD, CaseType.VERIFICATION.value),
        )
    )


async def test_a_failing_case_write_leaves_the_request_undecided(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await configured(services)
    await services.guild_config.set_verification(GUILD, True)
    asked = await services.communities.join(GUILD, CAROL, frozenset(), 1)
    assert asked.request_id is not None

    async def fails(done: object, new: object) -> None:
        raise OSError("the disk failed while the case was written")

    with monkeypatch.context() as patch:
        patch.setattr(decision_store, "_add_case", fails)
        with pytest.raises(OSError):
            await services.verification.decide(GUILD, asked.request_id, True, 42)
    # nothing of it was written: still pending, not a member, no case
    row = await services.db.fetchone(
        "SELECT status FROM join_requests WHERE id = ?", (asked.request_id,)
    )
    assert row is not None and row["status"] == "pending"
    assert await services.communities.of_member(GUILD, CAROL, frozenset()) is None
    assert await verification_cases(services) == 0
    # once the disk is back the same button decides it, once
    decision, outcome = await services.verification.decide(GUILD, asked.request_id, True, 42)
    assert decision.approved and [c.type for c in outcome.cases] == [CaseType.VERIFICATION]
    member = await services.communities.of_member(GUILD, CAROL, frozenset())
    assert member is not None and member.id == 1
    assert await verification_cases(services) == 1


async def test_two_moderators_at_once_make_one_decision_and_one_case(
    services: Services,
) -> None:
    await configured(services)
    await services.guild_config.set_verification(GUILD, True)
    asked = await services.communities.join(GUILD, CAROL, frozenset(), 2)
    assert asked.request_id is not None
    results = await asyncio.gather(
        services.verification.decide(GUILD, asked.request_id, True, 42),
        services.verification.decide(GUILD, asked.request_id, False, 43),
        return_exceptions=True,
    )
    decided = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(decided) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], Conflict) and "already decided" in str(refused[0])
    assert await verification_cases(services) == 1
    status = await services.db.fetchval(
        "SELECT status FROM join_requests WHERE id = ?", (asked.request_id,)
    )
    assert status == ("approved" if decided[0][0].approved else "denied")
