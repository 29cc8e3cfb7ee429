"""A DynamicItem whose template and custom_id both come from one :class:`cogs._ids.IdFormat`.

Subclasses name their format and take the format's fields as constructor arguments of the same
names; :meth:`from_custom_id` is written once, here.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Self, TypeVar

import discord

from cogs._ids import IdFormat

I = TypeVar("I", bound=discord.ui.Item[Any])  # noqa: E741


class PersistentItem(discord.ui.DynamicItem[I], template=r"(?!)"):
    """``class ShareButton(PersistentItem[discord.ui.Button[Any]], id_format=SHARE)``."""

    id_format: ClassVar[IdFormat]

    def __init_subclass__(cls, *, id_format: IdFormat, **kwargs: Any) -> None:
        cls.id_format = id_format
        super().__init_subclass__(template=id_format.template, **kwargs)

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls(**cls.id_format.decode(match))
