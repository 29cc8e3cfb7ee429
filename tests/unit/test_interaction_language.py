"""Issue 15: the member's language is resolved once per interaction, in a context variable set
around the interaction's dispatch (app/startup.py), and shared by every handler task it starts."""

from __future__ import annotations

import asyncio

from cogs._i18n import current_language, interaction_scope, language_chosen


class Lookups:
    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        await asyncio.sleep(0)  # a real lookup awaits the database
        return self.answer


async def test_every_handler_task_of_one_interaction_shares_one_lookup() -> None:
    lookups = Lookups("hy")
    with interaction_scope(7):  # what the INTERACTION_CREATE parser does around dispatch
        tasks = [asyncio.create_task(current_language(7, lookups)) for _ in range(3)]
    assert await asyncio.gather(*tasks) == ["hy", "hy", "hy"]
    assert lookups.calls == 1


async def test_a_handler_asking_again_does_not_look_up_again() -> None:
    lookups = Lookups("az")

    async def handler() -> list[str]:
        return [await current_language(8, lookups), await current_language(8, lookups)]

    with interaction_scope(8):
        task = asyncio.create_task(handler())
    assert await task == ["az", "az"]
    assert lookups.calls == 1


async def test_another_interaction_is_looked_up_anew() -> None:
    first, second = Lookups("ru"), Lookups("en")
    with interaction_scope(1):
        a = asyncio.create_task(current_language(1, first))
    with interaction_scope(2):
        b = asyncio.create_task(current_language(2, second))
    assert (await a, await b) == ("ru", "en")
    # outside any scope (a handler called directly), the same task still asks only once per id
    assert await current_language(3, first) == "ru" and await current_language(3, first) == "ru"
    assert first.calls == 2
    assert await current_language(4, second) == "en" and second.calls == 2


async def test_a_choice_made_during_the_interaction_is_used_for_the_rest_of_it() -> None:
    lookups = Lookups("en")

    async def set_language() -> str:
        await current_language(9, lookups)
        language_chosen(9, "ru")  # /language set
        return await current_language(9, lookups)

    with interaction_scope(9):
        task = asyncio.create_task(set_language())
    assert await task == "ru" and lookups.calls == 1
