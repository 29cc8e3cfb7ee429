"""A member's language: their choice, stored under a keyed hash; then Discord's; then the
server's; then English."""

from __future__ import annotations

import pytest

from bot.errors import UserFacingError
from bot.languages import Resolution
from bot.services import Services
from tests.service.conftest import GUILD

MEMBER = 222222222222222222


async def test_the_choice_is_stored_under_a_key_that_is_not_the_member_id(
    services: Services,
) -> None:
    await services.languages.choose(GUILD, MEMBER, "az")
    rows = await services.db.fetchall("SELECT * FROM member_languages")
    assert [r["language"] for r in rows] == ["az"]
    stored = dict(rows[0])
    assert all(str(MEMBER) not in str(value) for value in stored.values())
    assert stored["member_key"] == services.pseudonyms.member_key("language", GUILD, MEMBER)
    # the key is per server: the same person elsewhere is unlinkable
    assert stored["member_key"] != services.pseudonyms.member_key("language", GUILD + 1, MEMBER)
    assert await services.languages.preference(GUILD, MEMBER) == "az"
    assert await services.languages.preference(GUILD + 1, MEMBER) is None


async def test_resolution_order(services: Services) -> None:
    languages = services.languages
    assert await languages.explain(GUILD, MEMBER, "en-US") == Resolution("en", "default")
    await services.guild_config.set_language(GUILD, "hy")
    assert await languages.explain(GUILD, MEMBER, "en-US") == Resolution("hy", "server")
    assert await languages.explain(GUILD, MEMBER, "ru") == Resolution("ru", "discord")
    await languages.choose(GUILD, MEMBER, "az")
    assert await languages.explain(GUILD, MEMBER, "ru") == Resolution("az", "preference")
    await languages.choose(GUILD, MEMBER, "en")
    assert await languages.of_member(GUILD, MEMBER, "ru") == "en"
    assert await languages.forget(GUILD, MEMBER)
    assert await languages.of_member(GUILD, MEMBER, "fr") == "hy"
    assert await languages.of_member(None, MEMBER, None) == "en"


async def test_unsupported_languages_are_refused(services: Services) -> None:
    with pytest.raises(UserFacingError):
        await services.languages.choose(GUILD, MEMBER, "fr")
    with pytest.raises(UserFacingError):
        await services.guild_config.set_language(GUILD, "fr")


async def test_mydata_exports_and_erases_the_choice(services: Services) -> None:
    await services.languages.choose(GUILD, MEMBER, "hy")
    exported = await services.safety.mydata.export(GUILD, MEMBER)
    assert exported["language_chosen"] == "hy"
    await services.safety.mydata.delete(GUILD, MEMBER)
    assert await services.languages.preference(GUILD, MEMBER) is None
    assert await services.db.fetchval("SELECT COUNT(*) FROM member_languages") == 0
