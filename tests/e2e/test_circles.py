"""Circles through the emulator, as members and facilitators use them: volunteers join, a
facilitator forms a mixed circle as a private thread, posts a round into it; a reply written
there is published there only; non-members, plain members and bad sizes are refused; leaving
and dissolving."""

from __future__ import annotations

import pytest

from sandbox import state as st
from sandbox.harness import BotHarness
from sandbox.world import World

from .test_dialogue import BRINGS_UP, TEXT, post_round, published, set_up, until

pytestmark = pytest.mark.e2e


async def volunteer(world: World) -> None:
    for person in world.members:
        joined = await (await person.slash("circle join")).message()
        assert joined.ephemeral and "volunteered" in joined.content
        # the privacy consequence is said where it happens
        assert "see each other's Discord accounts" in joined.content


async def formed(world: World, size: int = 4) -> st.Channel:
    answer = await (await world.facilitator.slash("circle form", size=size)).message()
    assert answer.ephemeral and "Circles formed: 1" in answer.content, answer.content
    threads = [
        c for c in world.emu.channels.values() if c.is_thread and c.parent_id == world.dialogue.id
    ]
    (circle,) = [c for c in threads if c.type == st.PRIVATE_THREAD]
    return circle


async def test_volunteers_form_a_mixed_private_circle_and_reply_inside_it(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    _, public_thread = await post_round(world)
    await volunteer(world)
    circle = await formed(world)
    people = {p.id for p in world.members}
    assert people | {world.facilitator.id} <= circle.thread_member_ids
    assert world.admin.id not in circle.thread_member_ids
    welcome = world.emu.messages_in(circle)[0]
    assert "4 members from 2 communities" in welcome.content
    for person in world.members:  # nobody's name is written by the bot
        assert person.name not in welcome.content

    posted = await (await world.facilitator.slash("circle post", round=1)).message()
    assert "posted into 1 circle" in posted.content
    excerpt = world.emu.messages_in(circle)[-1]
    assert excerpt.embed["title"] == "Round 1 · Dialogue prompt"

    modal = await (await world.ani.click(excerpt, "Share your perspective")).modal()
    ack = await (await world.ani.submit(modal, {BRINGS_UP: TEXT})).message()
    assert ack.ephemeral and "Participant 1 · Armenian" in ack.content
    (reply,) = await published(world, circle, 1)
    assert TEXT in reply.embed["description"]
    assert (
        str(world.ani.id) not in str(reply.embed)
        and reply.embed["author"]["name"] == "Participant 1 · Armenian"
    )
    # not in the round's public thread
    assert [m for m in world.emu.messages_in(public_thread) if m.embeds] == []
    # a response inside the circle stays there too
    respond = await (await world.bob.click(reply, "Respond")).modal()
    await (await world.bob.submit(respond, {"Your response": "I hear you."})).message()
    _, response = await published(world, circle, 2)
    assert response.message_reference is not None
    assert [m for m in world.emu.messages_in(public_thread) if m.embeds] == []

    # the facilitators' list; a plain member cannot form, post or list
    listing = await (await world.facilitator.slash("circle list")).message()
    assert "Circles" in listing.embed["title"]
    for command in ("circle form", "circle post", "circle list", "circle dissolve"):
        refused = await (await world.alice.slash(command)).message()
        assert refused.ephemeral and "facilitator" in refused.content, command


async def test_a_non_member_is_refused_in_a_circle(world: World, tracktwo: BotHarness) -> None:
    await set_up(world)
    await post_round(world)
    await volunteer(world)
    circle = await formed(world)
    await (await world.facilitator.slash("circle post")).message()
    excerpt = world.emu.messages_in(circle)[-1]
    services = tracktwo.bot.services
    # a member of a community who is not in the circle (the admin, given a community)
    await world.emu.set_roles(world.guild, world.admin.member, [*world.admin.roles, world.armenian])
    refused = await (await world.admin.click(excerpt, "Share your perspective")).message()
    assert refused.ephemeral and "Only this circle's members" in refused.content
    (stored,) = await services.circles.active(world.guild.id)
    assert world.admin.id not in {m.user_id for m in stored.members}


async def test_bad_sizes_and_too_few_communities_are_refused(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    for size in (1, 1000):
        refused = await (await world.facilitator.slash("circle form", size=size)).message()
        assert "3 to 12 members" in refused.content, size
    await (await world.alice.slash("circle join")).message()
    await (await world.ani.slash("circle join")).message()
    refused = await (await world.facilitator.slash("circle form", size=4)).message()
    assert "at least two communities" in refused.content
    assert not [c for c in world.emu.channels.values() if c.type == st.PRIVATE_THREAD]


async def test_leave_and_dissolve(world: World, tracktwo: BotHarness) -> None:
    await set_up(world)
    await volunteer(world)
    circle = await formed(world, size=3)
    left = await (await world.babek.slash("circle leave")).message()
    assert "You left" in left.content
    await until(lambda: world.babek.id not in circle.thread_member_ids, what="babek out")
    again = await (await world.facilitator.slash("circle form", size=4)).message()
    assert "already formed" in again.content
    done = await (await world.facilitator.slash("circle dissolve")).message()
    assert "Dissolved circles: 1" in done.content
    await until(lambda: circle.archived and circle.locked, what="the thread archived")
    await (await world.babek.slash("circle join")).message()
    reformed = await (await world.facilitator.slash("circle form", size=4)).message()
    assert "Circles formed: 1" in reformed.content
