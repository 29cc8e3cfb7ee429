"""A pause for bad days, driven the way facilitators and members use it: a round paused while a
member has the form open (their words come back), the prompt's button disabled with a calm
notice, a server-wide pause that holds the schedule, the pause log, resume, and refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sandbox.harness import BotHarness
from sandbox.world import World
from tests.e2e.test_dialogue import BRINGS_UP, TEXT, post_round, published, set_up, share, until

pytestmark = pytest.mark.e2e

REASON = "Shelling near the border tonight; we give everyone room."


async def test_a_round_paused_with_a_form_open_and_resumed(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    modal = await (await world.ani.click(prompt, "Share your perspective")).modal()

    paused = await (await world.facilitator.slash("round pause", reason=REASON)).message()
    assert paused.ephemeral and "Round 1 is paused" in paused.content
    await until(lambda: prompt.component("t2:share:1").get("disabled") is True, what="disabled")
    assert prompt.button_labels() == ["Paused for now", "Read replies"]  # reading stays open
    assert prompt.embed["footer"]["text"].startswith("⏸️ The conversation is paused for now")

    # The form opened before the pause is refused, and the member's words come back.
    refused = await (await world.ani.submit(modal, {BRINGS_UP: TEXT})).message()
    assert refused.ephemeral and "paused for now, so nothing was saved" in refused.content
    assert TEXT in refused.content
    assert await tracktwo.bot.services.db.fetchval("SELECT COUNT(*) FROM replies") == 0
    with pytest.raises(PermissionError):
        await world.babek.click(prompt, "t2:share:1")
    late = await (await world.babek.slash("reply write")).message()
    assert "paused for now" in late.content and "form will open again" in late.content

    log = await (await world.facilitator.slash("round pauses")).message()
    entry = log.embed["description"]
    assert REASON in entry and f"<@{world.facilitator.id}>" in entry and "round 1" in entry

    resumed = await (await world.facilitator.slash("round resume", number=1)).message()
    assert "Round 1 is open for replies again" in resumed.content
    await until(lambda: prompt.component("t2:share:1").get("disabled") is not True, what="on")
    assert prompt.button_labels() == ["Share your perspective", "Read replies"]
    assert (await share(world, world.ani, prompt)).ephemeral
    (reply,) = await published(world, thread, 1)
    assert TEXT in str(reply.embed)
    log = await (await world.facilitator.slash("round pauses")).message()
    assert "▶️" in log.embed["description"]


async def test_a_server_wide_pause_holds_every_round_and_the_schedule(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    first, _ = await post_round(world)
    second, _ = await post_round(world)
    await (await world.facilitator.slash("prompt schedule set", every=24, at="00:00")).message()

    # A facilitator who is not a server admin may pause the whole server.
    paused = await (await world.facilitator.slash("setup pause", reason=REASON)).message()
    assert "paused in this server" in paused.content
    for prompt in (first, second):
        await until(lambda p=prompt: p.buttons()[0].get("disabled") is True, what="disabled")
    services = tracktwo.bot.services
    await services.db.execute(
        "UPDATE prompt_schedules SET next_run_at = ?",
        ((datetime.now(UTC) - timedelta(hours=1)).isoformat(),),
    )
    cog = tracktwo.bot.get_cog("Dialogue")
    assert cog is not None
    assert await cog.scheduler.run_due(datetime.now(UTC)) == 0  # type: ignore[attr-defined]
    assert len(world.emu.messages_in(world.dialogue)) == 2  # held: nothing posted
    round_pause = await (await world.facilitator.slash("round resume", number=1)).message()
    assert "not paused" in round_pause.content  # the round itself was never paused

    resumed = await (await world.facilitator.slash("setup resume")).message()
    assert "pause is lifted" in resumed.content
    for prompt in (first, second):
        await until(lambda p=prompt: p.buttons()[0].get("disabled") is not True, what="on")
    assert (await share(world, world.ani, second)).ephemeral


async def test_who_may_pause_and_bad_input(world: World, tracktwo: BotHarness) -> None:
    await set_up(world)
    prompt, _ = await post_round(world)
    for command in ("round pause", "setup pause"):
        refused = await (await world.alice.slash(command, reason="no")).message()
        assert refused.ephemeral and "facilitator" in refused.content, command
    refused = await (await world.alice.slash("round pauses")).message()
    assert "facilitator" in refused.content
    assert await tracktwo.bot.services.db.fetchval("SELECT COUNT(*) FROM pauses") == 0
    blank = await (await world.facilitator.slash("round pause", reason="   ")).message()
    assert "Say briefly why you pause" in blank.content
    await (await world.facilitator.slash("round pause", reason=REASON)).message()
    again = await (await world.facilitator.slash("round pause", reason=REASON)).message()
    assert "already paused" in again.content
    missing = await (await world.facilitator.slash("round pause", reason="x", number=9)).message()
    assert "no such round" in missing.content
    assert prompt.button_labels() == ["Paused for now", "Read replies"]  # reading stays open
