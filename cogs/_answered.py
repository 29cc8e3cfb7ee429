"""When an interaction's first answer is known, as an event rather than a poll.

Some work follows a feature's answer without being part of the feature: moderation's pending
notices are sent as a followup, which Discord accepts only once the interaction was answered.
:func:`watch` gives an interaction a response object that marks the moment each answering call
(defer, send_message, edit_message, send_modal, …) has returned, and :func:`answered` waits
for that moment, bounded by Discord's answer window.

:func:`watch` must run before anything reads ``interaction.response``: the guard calls it first
(``PersistentItem.interaction_check`` and ``form_values``, the paths every button, select and
form of Track Two takes), and so does every listener that waits. An interaction whose response
was read before anyone watched (nothing in Track Two does this) is reported as unanswered, so
the followup is skipped and the notice stays pending for the next interaction.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any, Final

import discord

ANSWER_WINDOW: Final = 3.5
"""Discord's 3 s for the first answer, and a little for its HTTP round trip."""

_ANSWERS: Final = (
    "defer",
    "pong",
    "send_message",
    "edit_message",
    "send_modal",
    "autocomplete",
    "launch_activity",
)


def _marking(name: str) -> Callable[..., Awaitable[Any]]:
    method = getattr(discord.InteractionResponse, name)

    @functools.wraps(method)
    async def answer(self: WatchedResponse, *args: Any, **kwargs: Any) -> Any:
        try:
            return await method(self, *args, **kwargs)
        finally:  # answered, or failed trying: either way no longer waiting to be
            self.answered.set()

    return answer


class WatchedResponse(discord.InteractionResponse[Any]):
    """``interaction.response`` with an event set once its first answer has returned."""

    __slots__ = ("answered",)

    def __init__(self, parent: discord.Interaction[Any]) -> None:
        super().__init__(parent)
        self.answered = asyncio.Event()


for _name in _ANSWERS:
    if hasattr(discord.InteractionResponse, _name):
        setattr(WatchedResponse, _name, _marking(_name))


def watch(interaction: discord.Interaction[Any]) -> None:
    """Watch ``interaction``'s answers from now on (idempotent; before anything answers)."""
    if not hasattr(interaction, "_cs_response"):  # discord.py's cached ``response`` slot
        interaction._cs_response = WatchedResponse(interaction)  # type: ignore[attr-defined]


async def answered(
    interaction: discord.Interaction[Any], within: float = ANSWER_WINDOW
) -> discord.InteractionResponseType | None:
    """How the interaction was first answered, once that answer has returned; None when it
    was not answered within ``within`` seconds (or its response was not watched)."""
    watch(interaction)
    response = interaction.response
    if not isinstance(response, WatchedResponse):
        return None
    try:
        async with asyncio.timeout(within):
            await response.answered.wait()
    except TimeoutError:
        return None
    return response.type
