"""Labels made only of invisible characters are refused before anything is stored (issue 10,
item 18); echoes of long input stay short (item 17)."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput, NotFound
from bot.services import Services

from .conftest import GUILD

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
TEXT = "A first paragraph of the text, long enough to be an excerpt of its own here.\n\nMore."


async def test_pack_titles_and_authors_of_zero_width_characters_are_refused(
    services: Services,
) -> None:
    before = await services.packs.packs(GUILD)
    with pytest.raises(InvalidInput) as title:
        await services.packs.import_text(GUILD, TEXT, INVISIBLE, "Someone")
    assert title.value.key == "error.pack_title"
    with pytest.raises(InvalidInput) as author:
        await services.packs.import_text(GUILD, TEXT, "A title", INVISIBLE)
    assert author.value.key == "error.pack_author"
    assert await services.packs.packs(GUILD) == before
    result = await services.packs.import_text(GUILD, TEXT, "A\u200b title", " Some\u200bone ")
    assert (result.pack.title, result.pack.author) == ("A title", "Someone")


async def test_community_names_are_sanitized_and_echoes_bounded(services: Services) -> None:
    with pytest.raises(InvalidInput) as empty:
        await services.communities.add(GUILD, INVISIBLE, 501)
    assert empty.value.key == "error.community_name_empty"
    added = await services.communities.add(GUILD, "\u200bArmenian\u2060", 501)
    assert added.name == "Armenian"
    with pytest.raises(NotFound) as missing:
        await services.communities.remove(GUILD, "y" * 6000)
    assert len(missing.value.message) < 200
