"""One rule for every custom_id, form and autocomplete (issue 10, items 1-4): resolve the object
it names, check that it belongs to the interaction's server and that the member may act on it,
before any read or write.

:data:`GUARDS` gives every format of :mod:`cogs._ids` its resolver (the server its object
belongs to) and the level the member needs; ``tests/unit/test_guard.py`` fails when a format
has none. It is called from three places only:

- :class:`cogs._persistent.PersistentItem`'s ``interaction_check`` (every button and select);
- :func:`form_values`, which every form listener calls to read a submission (discord.py runs no
  message check for form submissions, and answers none across a restart);
- :func:`privileged`, around every autocomplete of a privileged command (discord.py does not
  run the group's ``interaction_check`` for autocomplete).

A refusal is one sentence in the member's language, logged without any content.

Stale interactions (issue 10, item 6) follow one rule here too: an interaction older than
Discord's answer window when it reaches the guard (replayed after a gateway RESUME, or held up
on the way) is refused before anything of it runs, so it commits nothing and can never commit
twice. Discord would refuse its answer, so the member sees Discord's own failure; a form's
text comes back to them by direct message (when their DMs are open), and Discord keeps the
form open with it. Their retry is a new interaction, answered normally. The age is the
interaction's Discord timestamp (in its id) against this host's clock, which must be kept
(NTP) as for any bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final, TypeVar, cast

import discord

from bot.errors import NotAllowed, UserFacingError
from bot.i18n import translate
from bot.permissions import is_facilitator, is_moderator, refusal, require_admin
from cogs import _ids
from cogs._answered import watch
from cogs._common import language_of, member_facts, report_failure, services_of, submitted_values

log = logging.getLogger(__name__)

STALE_AFTER: Final = 3.0
"""Seconds: Discord's window for the first answer. An older interaction cannot be answered."""

HERE: Final = -1
"""What a resolver returns for a format that names no object (the server is the clicker's)."""

Resolver = Callable[[discord.Interaction[Any], dict[str, Any]], Awaitable[int | None]]


class Elsewhere(UserFacingError):
    """The object is another server's, or there is no such object (the two read the same)."""

    def __init__(self) -> None:
        super().__init__(
            "That button or form belongs to something that is not in this server, "
            "so nothing was done.",
            key="isolation.elsewhere",
        )


class Stale(Exception):
    """The interaction is older than Discord's answer window: nothing of it runs."""


def age(interaction: discord.Interaction[Any]) -> float:
    """Seconds since Discord created the interaction (its id's timestamp)."""
    return (discord.utils.utcnow() - interaction.created_at).total_seconds()


@dataclass(frozen=True, slots=True)
class Guard:
    owner: Resolver  # the server the object belongs to, None when there is no such object
    level: str | None = None  # "moderator", "facilitator", "admin", or None for any member


async def _here(interaction: discord.Interaction[Any], values: dict[str, Any]) -> int | None:
    return HERE


async def _round(interaction: discord.Interaction[Any], round_id: int) -> int | None:
    round_ = await services_of(interaction).rounds.find(round_id)
    return None if round_ is None else round_.guild_id


async def _reply(interaction: discord.Interaction[Any], reply_id: int) -> int | None:
    reply = await services_of(interaction).replies.find(reply_id)
    return None if reply is None else reply.guild_id


async def _by_reply(interaction: discord.Interaction[Any], values: dict[str, Any]) -> int | None:
    return await _reply(interaction, values["reply_id"])


async def _by_round(interaction: discord.Interaction[Any], values: dict[str, Any]) -> int | None:
    return await _round(interaction, values["round_id"])


async def _round_and_reply(
    interaction: discord.Interaction[Any], values: dict[str, Any]
) -> int | None:
    """A reply named inside a round: both the round's, or no such object."""
    reply = await services_of(interaction).replies.find(values["reply_id"])
    if reply is None or reply.round_id != values["round_id"]:
        return None
    return reply.guild_id


async def _reply_form(interaction: discord.Interaction[Any], values: dict[str, Any]) -> int | None:
    if values["mode"] == "new":
        return await _round(interaction, values["target_id"])
    return await _reply(interaction, values["target_id"])


async def _keyed_reply_form(
    interaction: discord.Interaction[Any], values: dict[str, Any]
) -> int | None:
    return await _round(interaction, values["target_id"])


async def _intake(interaction: discord.Interaction[Any], values: dict[str, Any]) -> int | None:
    """The round a member was about to reply in, or the reply they were about to answer."""
    if values["then"] == "reply":
        return await _round(interaction, values["target_id"])
    return await _reply(interaction, values["target_id"])


async def _request(interaction: discord.Interaction[Any], values: dict[str, Any]) -> int | None:
    return await services_of(interaction).communities.request_guild(values["request_id"])


async def _queue_item(interaction: discord.Interaction[Any], values: dict[str, Any]) -> int | None:
    return await services_of(interaction).moderation.queue.owner_guild(values["key"])


async def _channel(interaction: discord.Interaction[Any], values: dict[str, Any]) -> int | None:
    guild = interaction.guild
    found = guild.get_channel_or_thread(values["channel_id"]) if guild is not None else None
    return None if found is None else found.guild.id


async def _circle_round(
    interaction: discord.Interaction[Any], values: dict[str, Any]
) -> int | None:
    """A round named inside a circle: both of one server, or no such object (membership is
    the circle service's gate, checked before the form opens and again on submission)."""
    circle = await services_of(interaction).circles.find(values["circle_id"])
    owner = await _round(interaction, values["round_id"])
    if circle is None or owner != circle.guild_id:
        return None
    return owner


GUARDS: dict[str, Guard] = {  # by format (an IdFormat holds a dict, so it is not hashable)
    _ids.SHARE.format: Guard(_by_round),
    _ids.ENDORSE.format: Guard(_by_reply),
    _ids.DRAFT.format: Guard(_by_reply),  # only the author: the service checks it
    _ids.REPLY.format: Guard(_reply_form),  # a round ("new") or a reply ("revise", "edit")
    _ids.REPLY_KEYED.format: Guard(_keyed_reply_form),  # a new reply's round
    _ids.REPLY_CHANGE_KEYED.format: Guard(_reply_form),  # the reply it changes
    _ids.REPORT.format: Guard(_by_reply),
    _ids.JOIN.format: Guard(
        _here
    ),  # the options are this server's communities (the service checks)
    _ids.VERIFY.format: Guard(_request, "moderator"),
    _ids.MYDATA.format: Guard(_here),  # the member's own data in this server
    _ids.MOD.format: Guard(_queue_item, "moderator"),
    _ids.MODTO.format: Guard(_queue_item, "moderator"),
    _ids.MODDECIDE.format: Guard(_queue_item, "moderator"),
    _ids.REPORT_FORM.format: Guard(_by_reply),
    _ids.REPORT_MESSAGE_FORM.format: Guard(_channel),
    _ids.RESPOND.format: Guard(_by_reply),  # the service checks it is open and not one's own
    _ids.RESPOND_FORM.format: Guard(_by_reply),
    _ids.RESPOND_FORM_KEYED.format: Guard(_by_reply),
    _ids.SETUP_FIX.format: Guard(_here, "admin"),  # this server's channels, admins only
    _ids.READ.format: Guard(_by_round),  # any member reads; the service skips their own
    _ids.READ_SKIP.format: Guard(_round_and_reply),
    _ids.AGREE.format: Guard(_intake),  # the member's own acceptance, in the target's server
    _ids.INTAKE_NOTE.format: Guard(_intake),
    _ids.INTAKE_FORM.format: Guard(_intake),
    _ids.AGREEMENTS_FORM.format: Guard(_here, "admin"),
    _ids.CIRCLE_SHARE.format: Guard(_circle_round),  # members only: the circle service
    _ids.CIRCLE_REPLY.format: Guard(_circle_round),
}

LEVEL_KEYS = {
    "moderator": (
        "isolation.not_allowed",
        "Only moderators can do that here, so nothing was done.",
    ),
    "facilitator": (
        "isolation.not_facilitator",
        "Only facilitators can do that here, so nothing was done.",
    ),
    "admin": ("isolation.not_admin", "Only server admins can do that here, so nothing was done."),
}


async def may(interaction: discord.Interaction[Any], level: str | None) -> bool:
    """Whether the member holds ``level`` in the interaction's server."""
    if level is None:
        return True
    if interaction.guild_id is None:
        return False
    facts = member_facts(interaction)
    if level == "admin":
        try:
            require_admin(facts)
        except NotAllowed:
            return False
        return True
    config = await services_of(interaction).guild_config.get(interaction.guild_id)
    return is_facilitator(facts, config) if level == "facilitator" else is_moderator(facts, config)


async def check(interaction: discord.Interaction[Any], id_format: _ids.IdFormat) -> dict[str, Any]:
    """The values of the interaction's custom_id once it passes; raises a UserFacingError."""
    watch(interaction)  # first, before anything answers (cogs._answered)
    if age(interaction) > STALE_AFTER:
        raise Stale()
    custom_id = str(dict(interaction.data or {}).get("custom_id", ""))
    values = id_format.parse(custom_id)
    guard = GUARDS[id_format.format]
    if values is None:
        raise Elsewhere()
    if interaction.guild_id is None:
        raise UserFacingError(
            "Track Two works inside a server, not in direct messages.", key="isolation.dm"
        )
    owner = await guard.owner(interaction, values)
    if owner not in (HERE, interaction.guild_id):
        log.warning(
            "refused %r from guild %s: its object is %s",
            id_format.format,
            interaction.guild_id,
            "missing" if owner is None else "another server's",
        )
        raise Elsewhere()
    if not await may(interaction, guard.level):
        log.info("refused %r to a member without %s", id_format.format, guard.level)
        key, english = LEVEL_KEYS[guard.level or "moderator"]
        if guard.level in ("facilitator", "moderator"):
            config = await services_of(interaction).guild_config.get(interaction.guild_id)
            unset = (
                config.facilitator_role_id
                if guard.level == "facilitator"
                else config.moderator_role_id
            ) is None
            if unset:  # "ask for the role" would be untrue: say how to set one
                raise refusal(guard.level, config)
        raise NotAllowed(english, key=key)
    return values


async def passes(interaction: discord.Interaction[Any], id_format: _ids.IdFormat) -> bool:
    """:func:`check`, answering the member when it refuses (for ``interaction_check``)."""
    try:
        await check(interaction, id_format)
    except Stale:
        log.info(
            "a stale %r (%.1f s old) was refused; nothing ran", id_format.format, age(interaction)
        )
        return False
    except Exception as error:
        await report_failure(interaction, error)
        return False
    return True


async def form_values(
    interaction: discord.Interaction[Any], id_format: _ids.IdFormat
) -> dict[str, Any] | None:
    """For a form listener: the custom_id's values when ``interaction`` is a submission of
    ``id_format`` that passes the guard; None (the refusal answered) otherwise."""
    if interaction.type is not discord.InteractionType.modal_submit:
        return None
    if id_format.parse(str(dict(interaction.data or {}).get("custom_id", ""))) is None:
        return None  # another form's submission
    try:
        return await check(interaction, id_format)
    except Stale:
        log.info(
            "a stale %r (%.1f s old) was refused; nothing ran", id_format.format, age(interaction)
        )
        await return_text(interaction)
        return None
    except Exception as error:
        await report_failure(interaction, error)
        return None


async def return_text(interaction: discord.Interaction[Any]) -> None:
    """A stale form's text, back to its member by direct message (bounded; nothing when their
    DMs are closed: Discord still shows them the form with it)."""
    texts = [v for v in submitted_values(interaction).values() if isinstance(v, str) and v.strip()]
    if not texts:
        return
    body = "\n\n".join(texts).replace("```", "'''")[:1700]
    with contextlib.suppress(Exception):
        async with asyncio.timeout(5):
            lang = await language_of(interaction)
            await interaction.user.send(
                f"{translate('stale.form_returned', lang)}\n```\n{body}\n```"
            )


A = TypeVar("A", bound=Callable[..., Awaitable[list[Any]]])


def privileged(level: str) -> Callable[[A], A]:
    """Around an autocomplete callback of a command for ``level``: members without it get no
    choices at all (the callback is not called), and failures answer nothing."""

    def decorate(func: A) -> A:
        @functools.wraps(func)
        async def wrapper(*args: Any) -> list[Any]:
            interaction = next(a for a in args if isinstance(a, discord.Interaction))
            try:
                if interaction.guild_id is None or not await may(interaction, level):
                    return []
                return await func(*args)
            except Exception:
                log.warning("an autocomplete failed", exc_info=True)
                return []

        return cast(A, wrapper)

    return decorate
