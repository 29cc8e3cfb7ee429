"""What every cog shares: member facts for permission checks, friendly answers, the error
handler. Rendering that belongs to one feature sits beside that feature's cog."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import discord
from discord import app_commands

from bot.errors import UserFacingError
from bot.i18n import SOURCE, nested_params, translate
from bot.notice import Mention, Moment
from bot.permissions import MemberFacts, require_admin, require_facilitator, require_moderator
from bot.sanitizer import cut_graphemes
from cogs._i18n import current_language

if TYPE_CHECKING:
    from bot.services import Services
    from cogs._bot import TrackTwoBot

log = logging.getLogger(__name__)

SOMETHING_WRONG = (
    "Something went wrong on our side; the moderators were told. Please try again later."
)
NO_MENTIONS = discord.AllowedMentions.none()
DISCORD_MAX = 2000  # characters of a message's content


def member_facts(interaction: discord.Interaction[Any]) -> MemberFacts:
    user = interaction.user
    if not isinstance(user, discord.Member):
        return MemberFacts(user_id=user.id, role_ids=frozenset())
    perms = user.guild_permissions
    return MemberFacts(
        user_id=user.id,
        role_ids=frozenset(role.id for role in user.roles),
        is_owner=user.guild.owner_id == user.id,
        administrator=perms.administrator,
        manage_guild=perms.manage_guild,
        moderate_members=perms.moderate_members,
    )


def bot_of(interaction: discord.Interaction[Any]) -> TrackTwoBot:
    client: TrackTwoBot = interaction.client
    return client


def services_of(interaction: discord.Interaction[Any]) -> Services:
    return bot_of(interaction).services


async def language_of(interaction: discord.Interaction[Any]) -> str:
    """The language to answer this member in (see :mod:`bot.languages`). Looked up once per
    interaction and remembered in a context variable (:func:`cogs._i18n.current_language`),
    so every handler may ask again without another lookup."""

    async def resolve() -> str:
        return await services_of(interaction).languages.of_member(
            interaction.guild_id, interaction.user.id, interaction.locale.value
        )

    return await current_language(interaction.id, resolve)


async def server_language_of(interaction: discord.Interaction[Any]) -> str:
    """The server's language: for what everyone reads (public posts, the moderation channel)."""
    if interaction.guild_id is None:
        return SOURCE
    return await services_of(interaction).languages.of_server(interaction.guild_id)


def guild_id_of(interaction: discord.Interaction[Any]) -> int:
    if interaction.guild_id is None:
        raise UserFacingError("error.server_only")
    return interaction.guild_id


def submitted_values(interaction: discord.Interaction[Any]) -> dict[str, Any]:
    """A form submission's answers by custom_id, read from the interaction itself: text inputs
    give a string, selects a list. For forms answered without a live discord.py modal."""
    data = dict(interaction.data or {})
    components = data.get("components")
    return _values(list(components) if isinstance(components, list) else [])


def _values(components: list[Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for component in components:
        if component.get("type") == 1:
            values.update(_values(component.get("components", [])))
        elif component.get("type") == 18:
            values.update(_values([component.get("component", {})]))
        elif "custom_id" in component:
            values[component["custom_id"]] = component.get("value", component.get("values"))
    return values


async def answer(
    interaction: discord.Interaction[Any],
    content: str | None = None,
    *,
    ephemeral: bool = True,
    **kwargs: Any,
) -> None:
    """Send the answer as the initial response, or as a followup when one was already sent."""
    kwargs.setdefault("allowed_mentions", NO_MENTIONS)
    if content is not None:
        # the last guard: Discord refuses longer content, and the member would get no answer
        if len(content) > DISCORD_MAX:
            content = cut_graphemes(content, DISCORD_MAX - 1) + "…"
        kwargs["content"] = content
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)


async def error_text(interaction: discord.Interaction[Any], error: UserFacingError) -> str:
    """The error's sentence in the member's language when it has a message id."""
    if error.key is None:
        return error.message
    lang = await _safe_language(interaction)
    return translate(error.key, lang, **discord_params(error.params, lang))


def discord_params(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """A message's parameters as Discord shows them: members as mentions, times as timestamps
    in the reader's own time zone (the services hand over :mod:`bot.notice` values), nested
    messages in ``lang``."""
    out: dict[str, Any] = {}
    for name, value in nested_params(params, lang).items():
        if isinstance(value, Mention):
            out[name] = f"<@{value.user_id}>"
        elif isinstance(value, Moment):
            out[name] = discord.utils.format_dt(value.at, "R")
        else:
            out[name] = value
    return out


async def _safe_language(interaction: discord.Interaction[Any]) -> str:
    try:
        return await language_of(interaction)
    except Exception:  # the answer matters more than its language
        log.warning("could not resolve a member's language", exc_info=True)
        return SOURCE


async def report_failure(interaction: discord.Interaction[Any], error: BaseException) -> None:
    """Member-caused errors get their one sentence; anything else is logged with context."""
    if isinstance(error, Refused):  # a permission check: the member's error, not ours
        cause = error.__cause__
        error = (
            cause if isinstance(cause, UserFacingError) else UserFacingError("error.no_permission")
        )
    if isinstance(error, UserFacingError):
        message = await error_text(interaction, error)
    else:
        log.error(
            "interaction failed (type=%s, command=%s, custom_id=%s, guild=%s)",
            interaction.type.name,
            interaction.command.qualified_name if interaction.command else None,
            dict(interaction.data or {}).get("custom_id"),
            interaction.guild_id,
            exc_info=error,
        )
        message = SOMETHING_WRONG
    try:
        await answer(interaction, message)
    except discord.HTTPException:
        log.warning("could not tell the member about a failed interaction", exc_info=True)


F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def friendly(func: F) -> F:
    """For component and modal callbacks ``(self, interaction, ...)``: errors become one
    friendly ephemeral sentence (or are logged and answered with "something went wrong")."""

    @functools.wraps(func)
    async def wrapper(
        self: Any, interaction: discord.Interaction[Any], *args: Any, **kwargs: Any
    ) -> Any:
        try:
            return await func(self, interaction, *args, **kwargs)
        except Exception as error:
            await report_failure(interaction, error)
            return None

    return cast(F, wrapper)


class Refused(app_commands.CheckFailure):
    """A permission check failed; ``message`` says why, in one sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def require(interaction: discord.Interaction[Any], level: str) -> bool:
    """Server-side check for "admin", "facilitator" or "moderator"; raises :class:`Refused`."""
    facts = member_facts(interaction)
    try:
        if level == "admin":
            require_admin(facts)
        else:
            config = await services_of(interaction).guild_config.get(guild_id_of(interaction))
            if level == "facilitator":
                require_facilitator(facts, config)
            else:
                require_moderator(facts, config)
    except UserFacingError as error:
        raise Refused(error.message) from error
    return True


async def on_command_error(
    interaction: discord.Interaction[Any], error: app_commands.AppCommandError
) -> None:
    """The one error handler of every slash command and context menu (installed by the
    ``cogs.errors`` extension)."""
    original = getattr(error, "original", error)
    if isinstance(error, Refused):  # its cause carries the message id
        await report_failure(interaction, error)
        return
    if isinstance(error, app_commands.NoPrivateMessage):
        await report_failure(interaction, UserFacingError("error.use_in_server"))
        return
    if isinstance(error, app_commands.CheckFailure):
        await report_failure(interaction, UserFacingError("error.no_permission"))
        return
    await report_failure(interaction, original)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
