"""The cross-server guard (cogs/_guard.py) covers every custom_id format, and no component can
skip it: a new format without a resolver, or a DynamicItem that is not a PersistentItem (or
that overrides its interaction_check), fails here."""

from __future__ import annotations

import importlib
import pkgutil

import discord
import pytest

import cogs
from cogs import _guard, _ids
from cogs._persistent import PersistentItem


def all_dynamic_items() -> list[type]:
    for info in pkgutil.walk_packages(cogs.__path__, "cogs."):
        importlib.import_module(info.name)
    found: list[type] = []
    stack = list(discord.ui.DynamicItem.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("cogs.") and cls is not PersistentItem:
            found.append(cls)
    return found


def test_every_format_has_a_guard() -> None:
    formats = {f.format for f in _ids.ALL}
    module_formats = {v.format for v in vars(_ids).values() if isinstance(v, _ids.IdFormat)}
    assert module_formats == formats, "a format in cogs/_ids.py is missing from _ids.ALL"
    assert set(_guard.GUARDS) == formats


def test_every_dynamic_item_is_guarded() -> None:
    items = all_dynamic_items()
    assert len(items) >= 9
    for cls in items:
        assert issubclass(cls, PersistentItem), f"{cls.__name__} is not a PersistentItem"
        assert cls.id_format.format in _guard.GUARDS
        assert cls.interaction_check is PersistentItem.interaction_check


def test_overriding_interaction_check_is_refused_at_import() -> None:
    with pytest.raises(TypeError, match="allowed"):

        class Sneaky(PersistentItem[discord.ui.Button], id_format=_ids.SHARE):  # type: ignore[type-arg]
            async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
                return True
