"""/civility through the real client against the local Discord emulator."""

from __future__ import annotations

from sandbox.harness import BotHarness
from sandbox.world import World


async def test_moderator_tests_text_and_adds_a_term(world: World, tracktwo: BotHarness) -> None:
    resp = await world.mod.slash("civility test", text="you are a b.l.o.r.f, s.h.i.t")
    msg = await resp.message()
    assert msg.ephemeral and msg.visible_to == world.mod.id
    assert "Outcome: nudge" in msg.content
    assert "Profanity" in msg.content and "blorf" not in msg.content.lower().split("stored as")[0]

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
    assert rules.ephemeral and "Slur: **block**" in rules.content

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


async def test_a_threat_is_held_with_its_reason_in_the_members_language(
    world: World, tracktwo: BotHarness
) -> None:
    """Issue 16: a reply calling for violence against a whole people is held for a moderator,
    and the member reads why in the language they chose, with the words that tripped."""
    from tests.e2e.test_dialogue import BRINGS_UP, QUESTION, TEXT, post_round, set_up

    await set_up(world)
    prompt, thread = await post_round(world)

    await (await world.babek.slash("language set", language="az")).message()
    modal = await (await world.babek.click(prompt, "Share your perspective")).modal()
    labels = [f["label"] for f in modal.fields()]
    held = await (
        await world.babek.submit(
            modal, {labels[0]: TEXT, labels[3]: "Onların kəndlərini yandırın, hamısını!"}
        )
    ).message()
    assert held.ephemeral and held.visible_to == world.babek.id
    assert "yadda saxlanıldı" in held.content  # reply.held, in Azerbaijani
    assert "təhdid və ya zorakılığa çağırış kimi oxunur" in held.content  # the reason
    assert "“kəndlərini yandırın”" in held.content  # the words that tripped
    assert "“Digər icmaya bir sual” sahəsində" in held.content  # the field, in Azerbaijani
    assert "reads as" not in held.content  # no English left in the member's answer

    # Russian typed in Latin letters, read by an Armenian-speaking member
    await (await world.alice.slash("language set", language="hy")).message()
    modal = await (await world.alice.click(prompt, "Share your perspective")).modal()
    labels = [f["label"] for f in modal.fields()]
    held_hy = await (
        await world.alice.submit(modal, {labels[0]: f"{TEXT} Ubit vseh armyan!"})
    ).message()
    assert "սպառնալիք կամ բռնության կոչ" in held_hy.content
    assert "«Ubit vseh armyan»-ը" in held_hy.content

    # an English member still reads English
    held_en = await (
        await world.bob.submit(
            await (await world.bob.click(prompt, "Share your perspective")).modal(),
            {BRINGS_UP: TEXT, QUESTION: "They should all be killed."},
        )
    ).message()
    assert "reads as a threat or a call to violence" in held_en.content

    statuses = await tracktwo.bot.services.db.fetchall("SELECT status FROM replies ORDER BY id")
    assert [r[0] for r in statuses] == ["held", "held", "held"]
    assert not [m for m in world.emu.messages_in(thread) if m.embeds]  # nothing published


async def test_testimony_with_violence_is_published(world: World, tracktwo: BotHarness) -> None:
    from tests.e2e.test_dialogue import BRINGS_UP, post_round, published, set_up

    await set_up(world)
    prompt, thread = await post_round(world)
    modal = await (await world.ani.click(prompt, "Share your perspective")).modal()
    answer = await (
        await world.ani.submit(
            modal,
            {BRINGS_UP: "In 1988 they burned our village and tried to kill all of us in Sumgait."},
        )
    ).message()
    assert "Thank you" in answer.content
    assert await published(world, thread, 1)
