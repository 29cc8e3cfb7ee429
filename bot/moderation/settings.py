"""A server's moderation policy: warning expiry, the escalation ladder, paired moderation."""

from __future__ import annotations

from bot.errors import InvalidInput
from bot.moderation._decision import Desk
from bot.moderation.durations import check_timeout
from bot.moderation.models import LadderStep, ModerationSettings
from bot.moderation.targets import Actor
from bot.permissions import require_admin


class Policy:
    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    async def get(self, actor: Actor) -> ModerationSettings:
        """The server's moderation policy. Moderators only."""
        await self._desk.queue.require(actor)
        return await self._desk.store.settings.settings(actor.guild_id)

    async def update(
        self,
        actor: Actor,
        *,
        warning_days: int | None = None,
        ladder: tuple[LadderStep, ...] | None = None,
        paired: bool | None = None,
    ) -> ModerationSettings:
        """Change the policy; ``None`` keeps a setting. Server admins only.

        Raises InvalidInput for days outside 1-365, repeated ladder steps or overlong timeouts.
        """
        require_admin(actor.member)
        store = self._desk.store.settings
        current = await store.settings(actor.guild_id)
        if warning_days is not None and not 1 <= warning_days <= 365:
            raise InvalidInput("moderation.error.warning_days")
        if ladder is not None:
            counts = [s.warnings for s in ladder]
            if len(set(counts)) != len(counts) or any(c < 1 for c in counts):
                raise InvalidInput("moderation.error.ladder")
            for step in ladder:
                check_timeout(step.timeout)
        updated = ModerationSettings(
            actor.guild_id,
            current.warning_days if warning_days is None else warning_days,
            current.ladder if ladder is None else tuple(sorted(ladder, key=lambda s: s.warnings)),
            current.paired if paired is None else paired,
        )
        await store.save_settings(updated)
        return updated
