"""CivilityService over a real SQLite file: policy, terms, allow-list, links, history."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.civility import Action, Category, CivilityError, LinkPolicy
from bot.civility.service import CivilityService
from bot.storage import Database, migrate

GUILD = 1001
OTHER = 2002
MOD = 42


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "db.sqlite3")
    await database.open()
    await migrate(database)
    yield database
    await database.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(db: Database, clock: Clock) -> CivilityService:
    return CivilityService(db, clock=clock)


async def test_check_sanitizes_and_applies_default_policy(service: CivilityService) -> None:
    result = await service.check(GUILD, "<b>hi</b> @everyone, you d.ı.ğ.a")
    assert result.text == "**hi** ＠everyone, you d.ı.ğ.a"
    assert result.action is Action.BLOCK
    assert result.verdicts[0].category is Category.SLUR
    assert result.verdicts[0].matched == "d.ı.ğ.a"
    clean = await service.check(GUILD, "My grandfather was killed in the war.")
    assert clean.action is Action.ALLOW and clean.verdicts == ()


async def test_field_limit_cuts_the_text(service: CivilityService) -> None:
    result = await service.check(GUILD, "abcdef 🇦🇲🇦🇿", field_limit=9)
    assert result.text == "abcdef 🇦🇲"


async def test_set_action_changes_the_outcome_per_guild(service: CivilityService) -> None:
    assert (await service.check(GUILD, "shit")).action is Action.NUDGE
    await service.set_action(GUILD, "profanity", "block", MOD)
    assert (await service.check(GUILD, "shit")).action is Action.BLOCK
    assert (await service.check(OTHER, "shit")).action is Action.NUDGE
    policy = await service.policy(GUILD)
    assert policy.action_for(Category.PROFANITY) is Action.BLOCK
    with pytest.raises(CivilityError, match="not an action"):
        await service.set_action(GUILD, "profanity", "explode")
    with pytest.raises(CivilityError, match="not a category"):
        await service.set_action(GUILD, "rudeness", "block")


async def test_terms_add_list_remove(service: CivilityService) -> None:
    assert (await service.check(GUILD, "you are a blorf")).action is Action.ALLOW
    added = await service.add_term(GUILD, "  Blorf ", "harassment", MOD)
    assert (added.term, added.category, added.added_by) == ("Blorf", Category.HARASSMENT, MOD)
    result = await service.check(GUILD, "you are a b.l.o.r.f")
    assert result.action is Action.NUDGE
    assert "this server's list" in result.verdicts[0].explanation
    assert (await service.check(OTHER, "blorf")).action is Action.ALLOW
    assert [t.term for t in await service.list_terms(GUILD)] == ["Blorf"]
    with pytest.raises(CivilityError, match="already on this server's list"):
        await service.add_term(GUILD, "BLORF", "profanity", MOD)
    await service.add_term(GUILD, "go back to your cave", "dehumanization", MOD)
    assert (await service.check(GUILD, "Go back to your cave!")).action is Action.HOLD
    await service.remove_term(GUILD, "blorf")
    assert (await service.check(GUILD, "blorf")).action is Action.ALLOW
    with pytest.raises(CivilityError, match="not on this server's list"):
        await service.remove_term(GUILD, "blorf")


@pytest.mark.parametrize(
    ("term", "category", "message"),
    [
        ("", "slur", "empty"),
        ("   ", "slur", "empty"),
        ("x" * 101, "slur", "at most 100"),
        ("!!!", "slur", "no letters"),
        ("one two three four five six seven eight nine", "slur", "at most 8 words"),
        ("word", "shouting", "not a category"),
        ("shit", "profanity", "already on the default list"),
    ],
)
async def test_bad_terms_are_refused(
    service: CivilityService, term: str, category: str, message: str
) -> None:
    with pytest.raises(CivilityError, match=message):
        await service.add_term(GUILD, term, category, MOD)


async def test_allow_list(service: CivilityService) -> None:
    assert (await service.check(GUILD, "what an ass")).action is Action.NUDGE
    assert await service.add_allow(GUILD, "ass", MOD) == "ass"
    assert (await service.check(GUILD, "what an ass")).action is Action.ALLOW
    assert await service.list_allow(GUILD) == ["ass"]
    with pytest.raises(CivilityError, match="already allowed"):
        await service.add_allow(GUILD, "ASS", MOD)
    await service.remove_allow(GUILD, "ass")
    assert (await service.check(GUILD, "what an ass")).action is Action.NUDGE
    with pytest.raises(CivilityError, match="not on this server's allow-list"):
        await service.remove_allow(GUILD, "ass")


async def test_link_policy_and_domains(service: CivilityService) -> None:
    text = "source: https://www.example.org/report"
    assert (await service.check(GUILD, text)).action is Action.NUDGE
    assert await service.add_link_domain(GUILD, "https://www.Example.org/", MOD) == "example.org"
    assert (await service.check(GUILD, text)).action is Action.ALLOW
    await service.set_link_policy(GUILD, "none", MOD)
    assert (await service.check(GUILD, text)).action is Action.NUDGE
    await service.set_link_policy(GUILD, LinkPolicy.ANY, MOD)
    assert (await service.check(GUILD, "https://anything.test")).action is Action.ALLOW
    with pytest.raises(CivilityError, match="not a link policy"):
        await service.set_link_policy(GUILD, "some")
    with pytest.raises(CivilityError, match="does not look like a site"):
        await service.add_link_domain(GUILD, "nonsense", MOD)
    assert await service.link_domains(GUILD) == ["example.org"]
    await service.remove_link_domain(GUILD, "example.org")
    with pytest.raises(CivilityError, match="not on the list"):
        await service.remove_link_domain(GUILD, "example.org")


async def test_flooding_and_repeats_are_per_author_and_guild(
    service: CivilityService, clock: Clock
) -> None:
    for i in range(5):
        result = await service.check(GUILD, f"reply number {i}", author_key="a")
        assert result.action is Action.ALLOW
        clock.now += 1
    flooded = await service.check(GUILD, "one more", author_key="a")
    assert Category.FLOODING in {v.category for v in flooded.verdicts}
    assert (await service.check(GUILD, "one more", author_key="b")).action is Action.ALLOW
    assert (await service.check(OTHER, "x", author_key="a")).action is Action.ALLOW
    clock.now += 120
    repeated = await service.check(GUILD, "REPLY number 0", author_key="a")
    assert {v.category for v in repeated.verdicts} == {Category.REPEAT}
    clock.now += 1200
    assert (await service.check(GUILD, "reply number 0", author_key="a")).action is Action.ALLOW
    # dry runs (no author key) neither count nor see history
    assert (await service.check(GUILD, "reply number 0")).action is Action.ALLOW


async def test_explain_lists_every_rule_that_spoke(service: CivilityService) -> None:
    explanation = await service.explain(GUILD, "THEY ARE ANIMALS AND THIS IS SHIT, TRULY")
    assert explanation.action is Action.HOLD
    text = "\n".join(explanation.lines)
    assert "dehumanization" in text and "profanity" in text and "shouting" in text
    calm = await service.explain(GUILD, "hello")
    assert calm.lines == ["[allow] no rule objects to this text."]


async def test_changes_survive_a_new_service(db: Database, service: CivilityService) -> None:
    await service.add_term(GUILD, "blorf", "slur", MOD)
    await service.set_action(GUILD, Category.SLUR, Action.HOLD, MOD)
    fresh = CivilityService(db)
    assert (await fresh.check(GUILD, "blorf")).action is Action.HOLD


async def test_history_of_quiet_authors_is_forgotten(
    service: CivilityService, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.civility.service._HISTORY_AUTHORS", 3)
    for author in "abcd":
        await service.check(GUILD, "hi", author_key=author)
    clock.now += 3600
    await service.check(GUILD, "hi", author_key="e")
    assert set(service._history) == {(GUILD, "e")}
