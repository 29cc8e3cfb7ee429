"""A DynamicItem whose template and custom_id both come from one :class:`cogs._ids.IdFormat`.

Subclasses name their format and take the format's fields as constructor arguments of the same
names; :meth:`from_custom_id` is written once, here.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Self, TypeVar

import discord

from cogs import _guard
from cogs._ids import IdFormat

I = TypeVar("I", bound=discord.ui.Item[Any])  # noqa: E741


class PersistentItem(discord.ui.DynamicItem[I], template=r"(?!)"):
    """``class ShareButton(PersistentItem[discord.ui.Button[Any]], id_format=SHARE)``."""

    id_format: ClassVar[IdFormat]

    def __init_subclass__(cls, *, id_format: IdFormat, **kwargs: Any) -> None:
        if "interaction_check" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__}: override allowed(), not interaction_check() (the guard runs there)"
            )
        cls.id_format = id_format
        super().__init_subclass__(template=id_format.template, **kwargs)

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """The cross-server guard (:mod:`cogs._guard`) first, then the item's own check."""
        if not await _guard.passes(interaction, self.id_format):
            return False
        return await self.allowed(interaction)

    async def allowed(self, interaction: discord.Interaction[Any], /) -> bool:
        """An item's own check, after the guard passed (answer the member when refusing)."""
        return True

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls(**cls.id_format.decode(match))
