"""The conversation across the divide, end to end (issues 11, 12 and 13): the digest's open
questions, a held response approved by a moderator, one reply reference quoted by members and
moderators alike, and texts that say what is true."""

from __future__ import annotations

from typing import Any

import pytest

from bot.errors import NotFound
from sandbox import state as st
from sandbox.harness import BotHarness
from sandbox.world import World
from tests.e2e.test_dialogue import BRINGS_UP, QUESTION, post_round, published, set_up, until

pytestmark = pytest.mark.e2e

RESPONSE = "Your response"
ASKED = "What did your parents tell you about us?"
UNANSWERED = "Would you visit the village where my grandmother was born?"
SECRET = "Is anyone else afraid to be seen here?"
ANSWER = "My mother told me about the neighbour who taught her to bake gata."
HELD = "At school we were taught that they are animals; your question made me see that lesson."


async def write(who: Any, prompt: st.Message, text: str, *, consent: bool, **extra: str) -> None:
    modal = await (await who.click(prompt, "Share your perspective")).modal()
    values: dict[str, Any] = {BRINGS_UP: text, **extra}
    if consent:
        values["quote_consent"] = ["yes"]
    answer = await (await who.submit(modal, values)).message()
    assert answer.ephemeral


def by_text(replies: list[st.Message], text: str) -> st.Message:
    return next(m for m in replies if text in m.embed["description"])


async def respond(who: Any, reply: st.Message, text: str) -> st.Message:
    modal = await (await who.click(reply, "Answer the question")).modal()
    answer: st.Message = await (await who.submit(modal, {RESPONSE: text})).message()
    assert answer.ephemeral
    return answer


async def test_the_digest_lists_the_questions_nobody_answered_yet(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await write(world.ani, prompt, "My family left in 1989.", consent=True, **{QUESTION: ASKED})
    await write(world.alice, prompt, "I still dream of it.", consent=True, **{QUESTION: UNANSWERED})
    await write(world.babek, prompt, "I never asked anyone.", consent=False, **{QUESTION: SECRET})
    replies = await published(world, thread, 3)
    await respond(world.bob, by_text(replies, "My family left"), ANSWER)
    await published(world, thread, 4)

    closed = await (await world.facilitator.slash("round close", number=1)).message(30)
    assert "closed" in closed.content
    digest = await world.emu.wait_for_message(
        channel=thread, check=lambda m: "Round digest" in m.content, timeout=30
    )
    text = "\n".join(m.content for m in world.emu.messages_in(thread) if m.id >= digest.id)
    assert "__Open questions__" in text
    open_section = text.split("__Open questions__", 1)[1].split("__Where the communities", 1)[0]
    # alice's question is open and quoted with her pseudonym; ani's was answered by bob
    assert UNANSWERED in open_section and "Participant 2 · Armenian" in open_section
    assert ASKED not in open_section
    # babek did not agree to be quoted: his open question is counted, never shown
    assert SECRET not in text
    assert "1 more open question, whose author did not agree to be quoted" in open_section
    for name in ("ani", "alice", "babek", "bob"):
        assert name not in open_section.lower()


async def test_a_held_response_approved_tells_both_authors_without_names(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await write(world.ani, prompt, "My family left in 1989.", consent=True, **{QUESTION: ASKED})
    (reply,) = await published(world, thread, 1)
    held = await respond(world.bob, reply, HELD)
    assert "waits for a moderator" in held.content
    assert world.ani.dms == []  # nothing is published yet, so nobody has responded yet

    queue = await (await world.mod.slash("mod queue", channel=world.mod_channel)).message()
    approved = await (await world.mod.click(queue, "Approve")).message()
    assert "Approved" in approved.content
    _, response = await published(world, thread, 2)
    assert HELD in response.embed["description"]
    # the reply's author hears what they would have heard at once, never who responded
    dm = await world.ani.wait_for_dm(lambda m: "Someone answered" in m.content, timeout=10)
    assert "bob" not in dm.content.lower() and "Participant 2" not in dm.content
    # the responder learns it was published, never which moderator approved it
    mine = await world.bob.wait_for_dm(lambda m: "approved your response" in m.content, timeout=10)
    assert "mod" not in mine.content.replace("moderator", "").lower()
    assert str(world.mod.id) not in mine.content and world.mod.user.username not in mine.content
    await until(
        lambda: world.emu.messages[reply.id].embed_fields().get("The question") == "Answered",
        what="the question shown answered",
    )


def mod_case(world: World, title: str) -> st.Message | None:
    for m in reversed(world.emu.messages_in(world.mod_channel)):
        if m.embeds and m.embeds[0].get("title", "").startswith("Case") and title in str(m.embed):
            return m
    return None


async def test_one_reference_on_the_reply_in_the_queue_the_case_and_reveal(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await write(world.ani, prompt, "My family left in 1989.", consent=True, **{QUESTION: ASKED})
    await write(world.alice, prompt, "Only we ever suffered.", consent=True)
    first, second = await published(world, thread, 2)
    # the reply's own footer: its number within the round, not a global id
    assert first.embed["footer"]["text"] == "Reply R1-1"
    assert second.embed["footer"]["text"] == "Reply R1-2"
    # a response names the reply it answers by the same reference
    await respond(world.bob, first, ANSWER)
    *_, response = await published(world, thread, 3)
    assert response.embed["author"]["name"].endswith(
        "responding to Participant 1 · Armenian (R1-1)"
    )
    assert response.embed["footer"]["text"] == "Reply R1-3"

    modal = await (await world.bob.click(second, "Report")).modal()
    await (await world.bob.submit(modal, category=["hostility"], reason="one-sided")).message()
    queue = await (await world.mod.slash("mod queue", channel=world.mod_channel)).message()
    assert queue.embed["footer"]["text"] == "Reply R1-2"
    removed = await (await world.mod.click(queue, "Remove")).message()
    assert "R1-2" in removed.content
    case = await until(lambda: mod_case(world, "R1-2"), what="the case in the mod log")
    assert case.embed_fields()["Reply"] == "R1-2 · Participant 2 · Armenian"
    # /mod reveal takes the reference as typed, in either spelling
    revealed = await (
        await world.mod.slash("mod reveal", reply="Round 1, reply 1", reason="a threat")
    ).message()
    assert revealed.ephemeral and "R1-1" in revealed.content
    assert str(world.ani.id) in revealed.content
    wrong = await (await world.mod.slash("mod reveal", reply="17", reason="x")).message()
    assert wrong.ephemeral and "like R2-4" in wrong.content
    unknown = await (await world.mod.slash("mod reveal", reply="R9-1", reason="x")).message()
    assert unknown.ephemeral and "R9-1" in unknown.content


# texts that say what is true (issue 13 item 10) -----------------------------------------


async def test_no_such_round_says_where_the_number_is_not_prompt_list(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    await post_round(world)
    missing = await (await world.facilitator.slash("round digest", number=9)).message()
    assert missing.ephemeral and "There is no such round on this server" in missing.content
    assert "/prompt list" not in missing.content and "thread's name" in missing.content


async def test_round_digest_without_a_number_after_the_close_uses_the_latest_round(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await write(world.ani, prompt, "My family left in 1989.", consent=True)
    await published(world, thread, 1)
    await (await world.facilitator.slash("round close", number=1)).message(30)
    # in the dialogue channel, not the thread, and no round open any more
    digest = await (await world.facilitator.slash("round digest", channel=world.dialogue)).message(
        30
    )
    assert digest.ephemeral and "Round digest" in digest.content, digest.content
    export = await (await world.facilitator.slash("round export", channel=world.dialogue)).message(
        30
    )
    assert "round 1" in export.content.lower() or "Round 1" in export.content, export.content


async def test_an_unexpected_failure_does_not_claim_the_moderators_were_told(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    await post_round(world)

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug, not the member's doing")

    tracktwo.bot.services.bridging.export = broken  # type: ignore[method-assign]
    failed = await (await world.facilitator.slash("round export", number=1)).message(30)
    assert "Something went wrong on our side" in failed.content
    assert "moderators were told" not in failed.content and "logged" in failed.content
    assert world.emu.messages_in(world.mod_channel) == []  # and indeed nobody was told


async def test_facilitator_refusal_says_how_to_set_roles_when_none_was_set(
    world: World, tracktwo: BotHarness
) -> None:
    services = tracktwo.bot.services
    await services.guild_config.set_dialogue_channel(world.guild.id, world.dialogue.id)
    # /setup roles was never run: "ask for the facilitator role" would be untrue
    refused = await (await world.facilitator.slash("round close", number=1)).message()
    assert refused.ephemeral and "/setup roles" in refused.content
    assert "no facilitator role yet" in refused.content
    assert "/setup roles facilitator:@role" in refused.content  # from the catalog
    await services.guild_config.set_roles(
        world.guild.id, world.facilitator_role.id, world.moderator_role.id
    )
    member = await (await world.bob.slash("round close", number=1)).message()
    assert "ask a server admin for the facilitator role" in member.content


async def test_allow_remove_reads_as_checked_again_not_banned(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    await (await world.mod.slash("civility allow add", term="gavur")).message()
    removed = await (await world.mod.slash("civility allow remove", term="gavur")).message()
    assert "no longer allowed" not in removed.content
    assert "off this server's allow list" in removed.content and "check it again" in removed.content


async def test_data_deletion_explains_cases_without_tombstones(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    confirm = await (await world.ani.slash("mydata delete")).message()
    assert "tombstone" not in confirm.content and "a former member" in confirm.content
    export = await tracktwo.bot.services.safety.mydata.export(world.guild.id, world.ani.id)
    assert "tombstone" not in str(export) and "a former member" in str(export)


async def test_moderators_see_readable_rule_names_not_ids(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, _ = await post_round(world)
    held = "At school we were taught that they are animals, and nobody asked why."
    await write(world.alice, prompt, held, consent=False)
    queue = await (await world.mod.slash("mod queue", channel=world.mod_channel)).message()
    rules = queue.embed_fields()["Rules"]
    assert rules.startswith("Dehumanizing language (held for a moderator)"), rules
    assert "dehumanization" not in rules
    tested = await (
        await world.mod.slash(
            "civility test",
            text="WHY DID NOBODY EVER TELL ANY OF US THE WHOLE TRUTH? they are animals",
        )
    ).message()
    assert "lexicon." not in tested.content and "(shouting)" not in tested.content
    assert "Dehumanizing language" in tested.content
    assert "Shouting (capital letters)" in tested.content
    shown = await (await world.mod.slash("civility rules")).message()
    assert "mention_spam" not in shown.content and "emoji_spam" not in shown.content
    assert "Too many mentions: **nudge** (the author is asked to rephrase)" in shown.content


async def test_the_link_policy_is_changed_by_a_command(world: World, tracktwo: BotHarness) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    link = "My grandmother's village has a page now: https://example.org/village"
    shown = await (await world.mod.slash("civility links")).message()
    assert "only links to the allowed sites" in shown.content and "none" in shown.content
    nudged = await (await world.ani.click(prompt, "Share your perspective")).modal()
    first = await (await world.ani.submit(nudged, {BRINGS_UP: link})).message()
    assert "another look" in first.content  # the default: no site is allowed yet
    saved = await (
        await world.mod.slash("civility links", policy="allowlist", allow_site="example.org")
    ).message()
    assert "Saved" in saved.content and "example.org" in saved.content
    await write(world.bob, prompt, "Ours too: https://example.org/ganja", consent=False)
    (reply,) = await published(world, thread, 1)
    assert "example.org/ganja" in reply.embed["description"]
    none = await (await world.mod.slash("civility links", policy="none")).message()
    assert "no links at all" in none.content
    policy = await tracktwo.bot.services.civility.policy(world.guild.id)
    assert policy.link_policy.value == "none"


# issue 11 minors --------------------------------------------------------------------------


async def test_members_read_privately_with_a_command_they_can_see(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await write(world.ani, prompt, "My family left in 1989.", consent=True)
    await published(world, thread, 1)
    # Discord hides /round from members without Manage Server; /read is visible to everyone
    tree = tracktwo.bot.tree
    read = tree.get_command("read")
    assert read is not None and read.default_permissions is None
    round_group = tree.get_command("round")
    assert round_group is not None and round_group.default_permissions is not None
    view = await (await world.bob.slash("read", channel=world.dialogue)).message()
    assert view.ephemeral and "My family left in 1989." in view.embed["description"]
    assert {"Skip", "Next", "This resonates"} <= set(view.button_labels())
    # the old path still works for those who see it
    old = await (await world.babek.slash("round read", number=1)).message()
    assert old.ephemeral and old.embeds
    shown = await (await world.bob.slash("help")).message()
    assert "/read" in shown.embed["description"]


async def test_the_public_digest_repeats_no_line(world: World, tracktwo: BotHarness) -> None:
    """The demo's round: a bridging reply and a question, neither author agreeing to be quoted.
    The public digest printed "…and 1 more whose author did not agree to be quoted." twice."""
    await set_up(world)
    prompt, thread = await post_round(world)
    await write(world.ani, prompt, "My family left in 1989.", consent=False, **{QUESTION: ASKED})
    await write(world.bob, prompt, "I never asked anyone.", consent=False)
    await published(world, thread, 2)
    voters = [
        *[
            await world.emu.add_member(world.guild, f"a{i}", roles=[world.armenian])
            for i in range(4)
        ],
        *[
            await world.emu.add_member(world.guild, f"b{i}", roles=[world.azerbaijani])
            for i in range(4)
        ],
    ]
    replies = await published(world, thread, 2)
    bob_reply = by_text(replies, "I never asked anyone.")
    for who in voters:
        label = next(b for b in bob_reply.button_labels() if b.startswith("This resonates"))
        await (await who.click(bob_reply, label)).followup(0)
    await (await world.facilitator.slash("round close", number=1)).message(30)
    digest = await world.emu.wait_for_message(
        channel=thread, check=lambda m: "Round digest" in m.content, timeout=30
    )
    lines = [
        line
        for m in world.emu.messages_in(thread)
        if m.id >= digest.id
        for line in m.content.splitlines()
    ]
    assert (
        "…and 1 more reply where the communities meet, whose author did not agree to be quoted."
        in lines
    )
    assert (
        "…and 1 more question for the other community, whose author did not agree to be quoted."
        in lines
    )
    repeated = {line for line in lines if lines.count(line) > 1}
    assert repeated == set(), repeated


async def test_a_member_reports_a_reply_by_its_reference(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await write(world.ani, prompt, "Only we ever suffered.", consent=True)
    (reply,) = await published(world, thread, 1)
    ref = reply.embed["footer"]["text"].removeprefix("Reply ")
    assert ref == "R1-1"
    own = await (await world.ani.slash("report", reply=ref)).message()
    assert own.ephemeral and "own reply" in own.content
    missing = await (await world.bob.slash("report", reply="R4-2")).message()
    assert missing.ephemeral and "R4-2" in missing.content
    modal = await (await world.bob.slash("report", reply="r1·1")).modal()
    await (await world.bob.submit(modal, category=["hostility"], reason="one-sided")).message()
    queue = await (await world.mod.slash("mod queue", channel=world.mod_channel)).message()
    assert queue.embed["title"].startswith("Reported reply")
    assert queue.embed["footer"]["text"] == "Reply R1-1"
    assert "one-sided" in queue.embed_fields()["Reports (1)"]


async def test_a_case_about_a_deleted_reply_shows_no_internal_id(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await write(world.ani, prompt, "Only we ever suffered.", consent=True)
    (reply,) = await published(world, thread, 1)
    stored = await tracktwo.bot.services.replies.by_reference(world.guild.id, "R1-1")
    modal = await (await world.bob.click(reply, "Report")).modal()
    await (await world.bob.submit(modal, category=["hostility"], reason="one-sided")).message()
    queue = await (await world.mod.slash("mod queue", channel=world.mod_channel)).message()
    await (await world.mod.click(queue, "Remove")).message()
    before = await (await world.mod.slash("mod case", number=1)).message()
    assert before.embed_fields()["Reply"] == "R1-1 · Participant 1 · Armenian"
    # retention purges old rounds' replies; the case stays
    await tracktwo.bot.services.db.execute("DELETE FROM replies WHERE id = ?", (stored.id,))
    with pytest.raises(NotFound):
        await tracktwo.bot.services.replies.get(stored.id)
    after = await (await world.mod.slash("mod case", number=1)).message()
    assert after.embed_fields()["Reply"] == "a reply since deleted"
    assert str(stored.id) not in after.embed_fields()["Reply"]


async def test_a_queue_button_refusal_says_how_to_set_roles_when_none_was_set(
    world: World, tracktwo: BotHarness
) -> None:
    services = tracktwo.bot.services
    guild = world.guild.id
    await services.guild_config.set_dialogue_channel(guild, world.dialogue.id)
    await services.guild_config.set_mod_channel(guild, world.mod_channel.id)
    await services.communities.add(guild, "Armenian", world.armenian.id)
    await services.communities.add(guild, "Azerbaijani", world.azerbaijani.id)
    # an admin (Manage Server) facilitates while no facilitator role is set
    await (await world.admin.slash("prompt post", channel=world.dialogue)).message()
    prompt = world.emu.messages_in(world.dialogue)[-1]
    assert prompt.thread_id is not None
    thread = world.emu.channels[prompt.thread_id]
    await write(world.ani, prompt, "Only we ever suffered.", consent=True)
    (reply,) = await published(world, thread, 1)
    modal = await (await world.bob.click(reply, "Report")).modal()
    await (await world.bob.submit(modal, category=["hostility"], reason="one-sided")).message()
    notice = await world.emu.wait_for_message(
        channel=world.mod_channel, check=lambda m: bool(m.embeds), timeout=10
    )
    refused = await (await world.alice.click(notice, "Remove")).message()
    assert refused.ephemeral and "/setup roles" in refused.content
    assert "no moderator role yet" in refused.content


async def test_a_held_response_to_a_removed_reply_is_not_published_on_its_own(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await write(world.ani, prompt, "My family left in 1989.", consent=True, **{QUESTION: ASKED})
    (reply,) = await published(world, thread, 1)
    await respond(world.bob, reply, HELD)
    services = tracktwo.bot.services
    stored = await services.replies.by_reference(world.guild.id, "R1-1")
    assert await services.replies.remove_published(stored.id)
    tracktwo.bot.dispatch("t2_outbox_changed")
    await until(lambda: world.emu.messages[reply.id].deleted, what="the reply unpublished")
    queue = await (await world.mod.slash("mod queue", channel=world.mod_channel)).message()
    assert queue.embed["title"].startswith("Held reply")
    refused = await (await world.mod.click(queue, "Approve")).message()
    assert "no longer published" in refused.content and "R1-2" in refused.content
    (response,) = await services.responses.responses_to(stored.id)
    assert response.status.value == "held"
    assert [m for m in world.emu.messages_in(thread) if m.embeds and not m.deleted] == []
