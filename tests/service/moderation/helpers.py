"""What the moderation service tests share: a configured server with two communities, and
members, moderators and replies to moderate."""

from __future__ import annotations

from bot.civility.model import Action, Category, Verdict
from bot.dialogue.models import ReplyStatus
from bot.dialogue.replies import CheckSummary, RawReply
from bot.effects import (
    Outcome,
)
from bot.moderation.targets import Actor, TargetFacts
from bot.permissions import MemberFacts
from bot.services import Services
from tests.service.conftest import GUILD

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
    await services.guild_config.set_dialogue_channel(GUILD, DIALOGUE)
    await services.guild_config.set_roles(GUILD, None, MOD_ROLE)
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
        verdict = Verdict(
            "lexicon",
            Category.DEHUMANIZATION,
            Action.HOLD,
            0,
            6,
            "vermin",
            "Dehumanising language.",
        )
        return CheckSummary(Action.HOLD, (verdict,))

    before, services.replies.check = services.replies.check, hold
    try:
        result = await services.replies.submit(round_id, author, frozenset(), "x", RawReply(TEXT))
    finally:
        services.replies.check = before
    assert result.reply.status is ReplyStatus.HELD
    return result.reply.id


def kinds(outcome: Outcome) -> list[type]:
    return [type(e) for e in outcome.effects]
