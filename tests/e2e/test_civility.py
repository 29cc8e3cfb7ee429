"""/civility through the real client against the local Discord emulator."""

from __future__ import annotations

from sandbox.harness import BotHarness
from sandbox.world import World


async def test_moderator_tests_text_and_adds_a_term(world: World, tracktwo: BotHarness) -> None:
    resp = await world.mod.slash("civility test", text="you are a b.l.o.r.f, s.h.i.t")
    msg = await resp.message()
    assert msg.ephemeral and msg.visible_to == world.mod.id
    assert "Outcome: nudge" in msg.content
    assert "profanity" in msg.content and "blorf" not in msg.content.lower().split("stored as")[0]

    resp = await world.mod.slash("civility term add", term="blorf", category="slur")
    msg = await resp.message()
    assert msg.ephemeral
    assert "Added “blorf” as slur." in msg.content

    resp = await world.mod.slash("civility test", text="you are a b.l.o.r.f")
    msg = await resp.message()
    assert "Outcome: block" in msg.content
    assert "this server's list" in msg.content

    resp = await world.mod.slash("civility term add", term="BLORF", category="profanity")
    msg = await resp.message()
    assert msg.ephemeral and "already on this server's list" in msg.content

    resp = await world.mod.slash("civility term list")
    assert "“blorf” (slur)" in (await resp.message()).content


async def test_testimony_is_allowed(world: World, tracktwo: BotHarness) -> None:
    resp = await world.mod.slash(
        "civility test", text="They burned our village and killed my grandfather."
    )
    msg = await resp.message()
    assert "Outcome: allow" in msg.content


async def test_non_moderators_are_refused(world: World, tracktwo: BotHarness) -> None:
    for command, options in [
        ("civility test", {"text": "hello"}),
        ("civility term add", {"term": "blorf", "category": "slur"}),
    ]:
        resp = await world.alice.slash(command, **options)
        msg = await resp.message()
        assert msg.ephemeral and msg.visible_to == world.alice.id
        assert "moderators" in msg.content.lower()
    resp = await world.mod.slash("civility term list")
    assert "no terms" in (await resp.message()).content


async def test_policy_allow_list_and_term_removal(world: World, tracktwo: BotHarness) -> None:
    rules = await (await world.mod.slash("civility rules")).message()
    assert rules.ephemeral and "slur" in rules.content and "block" in rules.content

    # profanity is a nudge by default; this server holds it for a moderator instead
    changed = await (
        await world.mod.slash("civility set", category="profanity", action="hold")
    ).message()
    assert "hold" in changed.content
    held = await (await world.mod.slash("civility test", text="what the f.u.c.k")).message()
    assert "Outcome: hold" in held.content

    # an innocent local word that looks like a term can be allowed
    await (await world.mod.slash("civility term add", term="blorf", category="profanity")).message()
    allowed = await (await world.mod.slash("civility allow add", term="blorf")).message()
    assert allowed.ephemeral
    clean = await (await world.mod.slash("civility test", text="blorf is a village name")).message()
    assert "Outcome: allow" in clean.content
    await (await world.mod.slash("civility allow remove", term="blorf")).message()
    again = await (await world.mod.slash("civility test", text="blorf is a village name")).message()
    assert "Outcome: hold" in again.content
    removed = await (await world.mod.slash("civility term remove", term="blorf")).message()
    assert removed.ephemeral
    gone = await (await world.mod.slash("civility test", text="blorf is a village name")).message()
    assert "Outcome: allow" in gone.content

    bad = await (await world.mod.slash("civility term remove", term="never-added")).message()
    assert bad.ephemeral and "never-added" in bad.content
