"""The case log: reveals and reason edits (moderation/cases)."""

from __future__ import annotations

import pytest

from bot.effects import (
    PostCase,
)
from bot.errors import InvalidInput, NotFound
from bot.moderation.casetypes import CaseType
from bot.services import Services
from tests.service.moderation.helpers import (
    ANI,
    BABEK,
    MOD_A,
    MOD_B,
    configured,
    kinds,
    member,
    mod,
    published,
)


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
    assert PostCase in kinds(outcome)


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
