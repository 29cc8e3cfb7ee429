"""Appeals of a case (moderation/appeals)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.effects import (
    Announce,
    Notify,
    Untimeout,
)
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.moderation.casetypes import CaseType
from bot.moderation.service import QueueAction
from bot.services import Services
from tests.service.conftest import GUILD
from tests.service.moderation.helpers import (
    BABEK,
    CAROL,
    MOD_A,
    MOD_B,
    configured,
    kinds,
    member,
    mod,
)


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
    assert isinstance(queued, Announce) and queued.item_key.startswith("appeal:")
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
    assert Untimeout in kinds(decided)
    (notify,) = [e for e in decided.effects if isinstance(e, Notify)]
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
