"""What /mydata deletion leaves of a member in moderation (moderation/records)."""

from __future__ import annotations

from bot.services import Services
from tests.service.conftest import GUILD
from tests.service.moderation.helpers import (
    BABEK,
    MOD_A,
    configured,
    member,
    mod,
)


async def test_forgotten_member_leaves_tombstoned_cases(services: Services) -> None:
    await configured(services)
    m = services.moderation
    await m.warn(mod(MOD_A), member(BABEK), "x")
    assert await m.records.tombstone(GUILD, BABEK) == 1
    case, _ = await m.get_case(mod(MOD_A), 1)
    assert case.target_id is None and case.target_label == "a former member"
    assert await m.notices.pending(GUILD, BABEK) == []
