"""A pause for bad days: a facilitator freezes new replies (and responses) in one round or in the
whole server, at once, and resumes them later.

While a pause is active: the prompt's button is disabled with a calm notice (the cog redraws the
prompt on :class:`bot.effects.RoundChanged`), every form submission is refused with the member's
words given back (:meth:`PauseService.ensure_open`), and the server's prompt schedule posts
nothing (:meth:`PauseService.server_paused`). Every pause is kept as a log entry: who, when, why,
and who resumed it when.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.dialogue.models import Pause, Round
from bot.effects import Effect, RoundChanged
from bot.errors import Conflict, InvalidInput, UserFacingError
from bot.storage.pauses import PauseStore
from bot.storage.rounds import RoundStore

REASON_MAX = 300


@dataclass(frozen=True, slots=True)
class PauseOutcome:
    pause: Pause
    effects: tuple[Effect, ...] = field(default=())


class Paused(UserFacingError):
    """Raised when a member submits while their round or server is paused."""


class PauseService:
    def __init__(self, store: PauseStore, rounds: RoundStore) -> None:
        self._store = store
        self._rounds = rounds

    async def _affected(self, guild_id: int, round_: Round | None) -> tuple[Effect, ...]:
        if round_ is not None:
            return (RoundChanged(round_.id),)
        rounds = await self._rounds.recent(guild_id, limit=100)
        return tuple(RoundChanged(r.id) for r in rounds if r.is_open)

    async def pause(
        self, guild_id: int, round_: Round | None, by: int, reason: str
    ) -> PauseOutcome:
        """Pause one round (``round_``) or the whole server (None)."""
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInput("Say briefly why you pause.", key="pause.reason_needed")
        if len(reason) > REASON_MAX:
            raise InvalidInput(
                f"Keep the reason under {REASON_MAX} characters.",
                key="pause.reason_too_long",
                limit=REASON_MAX,
            )
        if round_ is not None and round_.guild_id != guild_id:
            raise InvalidInput("That round belongs to another server.", key="error.no_such_round")
        pause = await self._store.start(guild_id, None if round_ is None else round_.id, reason, by)
        if pause is None:
            raise Conflict("It is already paused.", key="pause.already")
        return PauseOutcome(pause, await self._affected(guild_id, round_))

    async def resume(self, guild_id: int, round_: Round | None, by: int) -> PauseOutcome:
        pause = await self._store.end(guild_id, None if round_ is None else round_.id, by)
        if pause is None:
            raise Conflict("It is not paused.", key="pause.not_paused")
        return PauseOutcome(pause, await self._affected(guild_id, round_))

    async def active(self, guild_id: int, round_id: int | None) -> Pause | None:
        """The pause that holds this round (the server-wide one first), if any."""
        pauses = await self._store.active(guild_id, round_id)
        if not pauses:
            return None
        return next((p for p in pauses if p.round_id is None), pauses[0])

    async def server_paused(self, guild_id: int) -> bool:
        return await self.active(guild_id, None) is not None

    async def ensure_open(
        self, guild_id: int, round_id: int | None, *, opening: bool = False
    ) -> None:
        """Raise :class:`Paused` when the round or the server is paused (``opening``: before a
        form opens, so there are no words to give back)."""
        if await self.active(guild_id, round_id) is not None:
            raise Paused(
                "The conversation is paused for now; nothing was saved.",
                key="pause.opening" if opening else "pause.refused",
            )

    async def log(self, guild_id: int, limit: int = 15) -> list[Pause]:
        return await self._store.log(guild_id, limit)
