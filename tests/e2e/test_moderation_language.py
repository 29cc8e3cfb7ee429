"""Issue 13, items 4-8: moderation says exactly what happened, in the member's language: one
notice per decision with its case numbers, appeal outcomes named by what happens to the
sanction, the mod log naming a pseudonymous author by label, prior sanctions counted alone."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("sandbox.harness")

from sandbox.harness import BotHarness
from sandbox.world import World
from tests.e2e.test_moderation import (
    configure,
    mod_log,
    mod_notice,
    published_reply,
    until,
)


async def test_a_russian_member_gets_one_notice_for_remove_and_warn_in_russian(
    world: World, tracktwo: BotHarness
) -> None:
    await configure(world, tracktwo)
    reply = await published_reply(world, tracktwo)
    await (await world.ani.slash("language set", language="ru")).message()
    modal = await (await world.bob.click(reply, "Report")).modal()
    await (await world.bob.submit(modal, category=["hostility"], reason="insults")).message()
    queue = await (await world.mod.slash("mod queue")).message()
    after = await (await world.mod.click(queue, "Remove + warn")).message()
    assert "(cases 1, 2)" in after.content
    told = await world.ani.wait_for_dm(lambda m: "Модераторы удалили" in m.content, timeout=5)
    assert "ваш ответ в раунде 1" in told.content
    assert "Вы получили предупреждение; оно истекает через" in told.content
    assert "Номера дел: 1, 2." in told.content and "/appeal case:<номер>" in told.content
    assert "Moderators" not in told.content  # no English left
    await until(lambda: len(mod_log(world)) >= 2)
    # the log entry of the pseudonymous author shows their label, never their account
    removal = next(m for m in mod_log(world) if "Case 1" in m.embeds[0]["title"])
    fields = {f["name"]: f["value"] for f in removal.embeds[0].get("fields", [])}
    assert fields["Member"] == "Participant 1 · Armenian"
    assert str(world.ani.id) not in str(removal.embeds)
    assert fields["Reply"] == "R1-1 · Participant 1 · Armenian"


async def test_an_armenian_member_hears_the_sanction_stands(
    world: World, tracktwo: BotHarness
) -> None:
    await configure(world, tracktwo)
    await (await world.bob.slash("language set", language="hy")).message()
    await (await world.mod.slash("mod warn", member=world.bob, reason="heated")).message()
    warned = await world.bob.wait_for_dm(lambda m: "նախազգուշացում" in m.content, timeout=5)
    assert "Գործի համարը՝ 1։" in warned.content and "/appeal case:1" in warned.content
    await (await world.bob.slash("appeal", case=1, reason="please")).message()

    def notice() -> Any:
        return mod_notice(world, "Appeal")

    await until(lambda: notice() is not None)
    form = await (await world.admin.click(notice(), "Sanction stands")).modal()
    decided = await (await world.admin.submit(form, {"Reason": "It stands."})).message()
    assert "Appeal of case 1 decided: the sanction stands (case 2)" in decided.content
    dm = await world.bob.wait_for_dm(
        lambda m: "պատժամիջոցը մնում է ուժի մեջ" in m.content, timeout=5
    )
    assert "(գործ 2)" in dm.content and "It stands." in dm.content
    await until(lambda: any("sanction stands" in str(m.embeds) for m in mod_log(world)))


async def test_prior_sanctions_leave_out_approvals(world: World, tracktwo: BotHarness) -> None:
    await configure(world, tracktwo)
    services = tracktwo.bot.services
    # a pardon and an untimeout are not strikes; the warning is
    await (await world.mod.slash("mod warn", member=world.bob, reason="one")).message()
    await (await world.mod.slash("mod pardon", case=1, reason="fine")).message()
    from datetime import UTC, datetime

    history = await services.moderation.queue.history(
        world.guild.id, world.bob.id, datetime.now(UTC)
    )
    assert history.count == 1 and [c.number for c in history.recent] == [1]
