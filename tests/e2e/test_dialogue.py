"""The dialogue loop through the real client against the local Discord, the way people use it:
setup by an admin, communities joined from a select, a facilitator posting the essay, members
answering in the form, endorsements, edits, withdrawals, closing rounds, and publication that
survives Discord failing and the bot restarting."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.dialogue.models import ReplyStatus
from sandbox import state as st
from sandbox.emulator import Emulator
from sandbox.harness import BotHarness
from sandbox.members import Upload
from sandbox.world import World

pytestmark = pytest.mark.e2e

TEXT = "This excerpt reminds me of my grandmother's stories about her neighbours in Baku."
BRINGS_UP = "What this excerpt brings up for me"
QUESTION = "A question for the other community"


async def until(predicate: Callable[[], Any], seconds: float = 5.0, what: str = "") -> Any:
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        value = predicate()
        if value:
            return value
        await asyncio.sleep(0.01)
    raise AssertionError(f"not reached within {seconds} s: {what}")


async def set_up(world: World) -> None:
    """An admin sets the server up with the slash commands, as in the README."""
    admin = world.admin
    answers = [
        await admin.slash("setup dialogue-channel", options={"channel": world.dialogue}),
        await admin.slash("setup mod-channel", options={"channel": world.mod_channel}),
        await admin.slash(
            "setup roles", facilitator=world.facilitator_role, moderator=world.moderator_role
        ),
        await admin.slash("setup community add", name="Armenian", role=world.armenian),
        await admin.slash("setup community add", name="Azerbaijani", role=world.azerbaijani),
    ]
    for handle in answers:
        message = await handle.message()
        assert message.ephemeral, message.content


async def post_round(world: World) -> tuple[st.Message, st.Channel]:
    answer = await (await world.facilitator.slash("prompt post", channel=world.dialogue)).message()
    assert answer.ephemeral and "is open" in answer.content
    prompt = world.emu.messages_in(world.dialogue)[-1]
    assert prompt.thread_id is not None
    return prompt, world.emu.channels[prompt.thread_id]


async def share(world: World, who: Any, prompt: st.Message, **fields: str) -> st.Message:
    modal = await (await who.click(prompt, "Share your perspective")).modal()
    return await (await who.submit(modal, {BRINGS_UP: TEXT, **fields})).message()


async def published(world: World, thread: st.Channel, count: int) -> list[st.Message]:
    def replies() -> list[st.Message]:
        found = [m for m in world.emu.messages_in(thread) if m.embeds and m.embeds[0].get("author")]
        return found if len(found) >= count else []

    return list(await until(replies, what=f"{count} published replies"))


async def test_admin_sets_up_and_sees_the_setup(world: World, tracktwo: BotHarness) -> None:
    await set_up(world)
    shown = await (await world.admin.slash("setup show")).message()
    fields = shown.embed_fields()
    assert fields["Dialogue channel"] == f"<#{world.dialogue.id}>"
    assert fields["Moderation channel"] == f"<#{world.mod_channel.id}>"
    assert "Armenian" in fields["Communities (2)"] and "Azerbaijani" in fields["Communities (2)"]
    assert fields["Publishing"].startswith("pseudonyms")


async def test_setup_is_refused_to_members_whatever_discord_shows(
    world: World, tracktwo: BotHarness
) -> None:
    refused = await (
        await world.alice.slash("setup community add", name="X", role=world.armenian)
    ).message()
    assert refused.ephemeral and "server admins" in refused.content
    assert await tracktwo.bot.services.communities.all(world.guild.id) == []


async def test_a_facilitator_posts_the_essay_with_its_thread(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    refused = await (await world.alice.slash("prompt post")).message()
    assert refused.ephemeral and "facilitator" in refused.content
    prompt, thread = await post_round(world)
    embed = prompt.embed
    assert embed["title"] == "Round 1 · Dialogue prompt"
    assert embed["description"].startswith("> Does the resolution of the Nagorno-Karabakh conflict")
    source = prompt.embed_fields()["Source"]
    assert "Small People, Big Politics" in source and "Maria Karapetyan" in source
    assert prompt.button_labels() == ["Share your perspective", "Read replies"]
    assert thread.name.startswith("Round 1 · Small People, Big Politics")
    second, _ = await post_round(world)
    assert second.embed["title"] == "Round 2 · Dialogue prompt"
    assert second.embed["description"].startswith("> The reason why")


async def test_round_needs_two_communities_first(world: World, tracktwo: BotHarness) -> None:
    await (
        await world.admin.slash("setup dialogue-channel", options={"channel": world.dialogue})
    ).message()
    await (await world.admin.slash("setup roles", facilitator=world.facilitator_role)).message()
    answer = await (await world.facilitator.slash("prompt post")).message()
    assert answer.ephemeral and "at least two communities" in answer.content
    assert world.emu.messages_in(world.dialogue) == []


async def test_excerpt_autocomplete_and_choice(world: World, tracktwo: BotHarness) -> None:
    await set_up(world)
    choices = await world.facilitator.autocomplete("prompt post", "excerpt", excerpt="brainwashed")
    assert len(choices) == 1 and "Track 2 Diplomacy" in choices[0]["name"]
    answer = await (
        await world.facilitator.slash("prompt post", excerpt=choices[0]["value"])
    ).message()
    assert "Round 1 is open" in answer.content
    prompt = world.emu.messages_in(world.dialogue)[-1]
    assert "brainwashed" in prompt.embed["description"]
    empty = await world.facilitator.autocomplete("prompt post", "excerpt")
    assert 6 <= len(empty) <= 25 and all(len(c["name"]) <= 100 for c in empty)


async def test_members_share_and_replies_appear_under_pseudonyms(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    ack = await share(world, world.ani, prompt, **{QUESTION: "What did your family tell you?"})
    assert ack.ephemeral and "Participant 1 · Armenian" in ack.content
    await share(world, world.bob, prompt)
    first, second = await published(world, thread, 2)
    assert first.embed["author"]["name"] == "Participant 1 · Armenian"
    assert second.embed["author"]["name"] == "Participant 2 · Azerbaijani"
    assert TEXT in first.embed["description"]
    assert first.embed_fields()[QUESTION] == "What did your family tell you?"
    assert first.button_labels() == [
        "This resonates",
        "I learned something",
        "Respectfully disagree",
        "Report",
        "Answer the question",  # the reply asks one (see tests/e2e/test_responses.py)
    ]
    everything = str(first.embed) + str(second.embed)
    for person in (world.ani, world.bob):
        assert not re.search(rf"\b{person.name}\b", everything), person.name
        assert str(person.id) not in everything
    calls = world.emu.calls("POST /channels/*/messages")
    assert all(c.body.get("allowed_mentions", {}).get("parse") == [] for c in calls)


async def test_a_member_without_community_is_told_how_to_join(
    world: World, emu: Emulator, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, _ = await post_round(world)
    carol = await emu.add_member(world.guild, "carol")
    answer = await (await carol.click(prompt, "Share your perspective")).message()
    assert answer.ephemeral and "/community join" in answer.content


async def test_join_a_community_from_the_select(
    world: World, emu: Emulator, tracktwo: BotHarness
) -> None:
    await set_up(world)
    carol = await emu.add_member(world.guild, "carol")
    offer = await (await carol.slash("community join")).message()
    assert offer.ephemeral
    options = [o["label"] for o in offer.component("t2:join")["options"]]
    assert options == ["Armenian", "Azerbaijani"]
    joined = await (await carol.select(offer, [str(2)])).message()
    assert "Azerbaijani" in joined.content
    assert "Azerbaijani" in carol.role_names
    again = await (await carol.slash("community join")).message()
    second = await (await carol.select(again, ["1"])).message()
    assert "needs a moderator" in second.content and "Armenian" not in carol.role_names
    stats = await (await carol.slash("community stats")).message()
    assert stats.embed_fields()["Azerbaijani"].startswith("1 member · ")
    left = await (await carol.slash("community leave")).message()
    assert "left" in left.content and "Azerbaijani" not in carol.role_names


async def test_join_with_verification_waits_for_a_moderator(
    world: World, emu: Emulator, tracktwo: BotHarness
) -> None:
    await set_up(world)
    await (await world.admin.slash("setup community verification", state="on")).message()
    carol = await emu.add_member(world.guild, "carol")
    offer = await (await carol.slash("community join")).message()
    asked = await (await carol.select(offer, ["1"])).message()
    assert "went to the moderators" in asked.content and "Armenian" not in carol.role_names
    request = await emu.wait_for_message(
        channel=world.mod_channel, check=lambda m: "Join request" in m.content
    )
    refused = await (await world.alice.click(request, "Approve")).message()
    assert refused.ephemeral and "moderators" in refused.content.lower()
    await (await world.mod.click(request, "Approve")).message()
    assert "Armenian" in carol.role_names
    assert "approved" in (await carol.wait_for_dm()).content
    case = await emu.wait_for_message(
        channel=world.mod_channel,
        check=lambda m: bool(m.embeds) and "Verification" in str(m.embeds),
    )
    assert case.embeds


async def test_too_short_reply_keeps_the_text(world: World, tracktwo: BotHarness) -> None:
    await set_up(world)
    prompt, _thread = await post_round(world)
    modal = await (await world.ani.click(prompt, "Share your perspective")).modal()
    answer = await (await world.ani.submit(modal, {BRINGS_UP: "<i>too short, sorry</i>"})).message()
    assert answer.ephemeral and "at least 20 characters" in answer.content
    assert "too short, sorry" in answer.content  # what they typed comes back to them
    assert await tracktwo.bot.services.replies.pending_outbox() == 0


async def test_endorsements_count_per_community_and_update_in_place(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await share(world, world.ani, prompt)
    (reply,) = await published(world, thread, 1)
    own = await (await world.ani.click(reply, "This resonates")).message()
    assert own.ephemeral and "own reply" in own.content
    handle = await world.bob.click(reply, "This resonates")
    note = await handle.followup(0)
    assert note.ephemeral and "This resonates" in note.content
    assert "🤝 This resonates: 0 · 1" in reply.embed_fields()["Endorsements"]
    assert "This resonates · 1" in reply.button_labels()
    await (await world.alice.click(reply, "I learned something")).followup(0)
    assert "💡 I learned something: 1 · 0" in reply.embed_fields()["Endorsements"]
    # the same button again takes it back; another kind replaces it
    await (await world.bob.click(reply, "This resonates · 1")).followup(0)
    assert "🤝 This resonates: 0 · 0" in reply.embed_fields()["Endorsements"]
    await (await world.alice.click(reply, "Respectfully disagree")).followup(0)
    assert "💡 I learned something: 0 · 0" in reply.embed_fields()["Endorsements"]
    assert "🙏 Respectfully disagree: 1 · 0" in reply.embed_fields()["Endorsements"]


async def test_edit_keeps_history_and_withdraw_deletes(world: World, tracktwo: BotHarness) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await share(world, world.ani, prompt)
    (reply,) = await published(world, thread, 1)
    modal = await (await world.ani.slash("reply edit", channel=thread)).modal()
    assert modal.title.startswith("Edit your reply")
    prefilled = str(modal.components)
    assert TEXT in prefilled
    changed = TEXT + " And what my father never said."
    answer = await (await world.ani.submit(modal, {BRINGS_UP: changed})).message()
    assert "edit is saved" in answer.content
    await until(lambda: "edited" in reply.embed["footer"]["text"], what="the edit on Discord")
    assert changed in reply.embed["description"]
    reply_id = int(reply.embed["footer"]["text"].split("reply ")[1].split(" ")[0])
    history = await tracktwo.bot.services.replies.edits(reply_id)
    assert history[0]["brings_up"] == TEXT

    nobody = await (await world.bob.slash("reply withdraw", channel=thread)).message()
    assert "no reply in round 1" in nobody.content
    confirm = await (await world.ani.slash("reply withdraw", channel=thread)).message()
    assert confirm.button_labels() == ["Yes, withdraw it"]
    done = await (await world.ani.click(confirm, "Yes, withdraw it")).message()
    assert "withdrawn" in done.content
    await until(lambda: reply.deleted, what="the withdrawn reply deleted")


async def test_closing_a_round_disables_its_button(world: World, tracktwo: BotHarness) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    refused = await (await world.alice.slash("round close", number=1)).message()
    assert "facilitator" in refused.content
    closed = await (await world.facilitator.slash("round close", number=1)).message()
    assert "closed" in closed.content
    assert prompt.component("t2:share:1")["disabled"] is True
    assert prompt.button_labels() == ["Round closed", "Read replies"]
    notice = await world.emu.wait_for_message(channel=thread, check=lambda m: "closed" in m.content)
    assert "🔒" in notice.content
    late = await (await world.ani.slash("reply write", number=1)).message()
    assert "closed" in late.content
    await (await world.facilitator.slash("round reopen", channel=thread)).message()
    assert prompt.component("t2:share:1").get("disabled") is not True
    assert (await share(world, world.ani, prompt)).ephemeral


async def test_buttons_work_after_a_restart(world: World, tracktwo: BotHarness) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await share(world, world.ani, prompt)
    (reply,) = await published(world, thread, 1)
    await tracktwo.restart()
    await (await world.bob.click(reply, "This resonates")).followup(0)
    assert "0 · 1" in reply.embed_fields()["Endorsements"]
    modal = await (await world.babek.click(prompt, "Share your perspective")).modal()
    assert modal.title.startswith("Share your perspective")


async def test_publication_survives_discord_failing_and_a_restart(
    world: World, emu: Emulator, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    emu.fail_next(f"POST /channels/{thread.id}/messages", status=500, times=1000)
    ack = await share(world, world.ani, prompt)
    assert "your reply is saved" in ack.content  # committed before Discord saw it
    await until(lambda: emu.errors, what="a failed publication attempt")
    assert not [m for m in emu.messages_in(thread) if m.embeds]
    await tracktwo.stop()
    emu.faults.clear()
    await tracktwo.start()
    (reply,) = await published(world, thread, 1)
    assert reply.embed["author"]["name"] == "Participant 1 · Armenian"
    await asyncio.sleep(0.2)
    assert len([m for m in emu.messages_in(thread) if m.embeds]) == 1
    assert await tracktwo.bot.services.replies.pending_outbox() == 0


async def test_a_repeated_send_after_a_crash_is_not_a_duplicate(
    world: World, emu: Emulator, tracktwo: BotHarness
) -> None:
    """The bot can die after Discord created the message and before the database recorded
    it; the nonce makes the second send return the first message."""
    await set_up(world)
    prompt, thread = await post_round(world)
    await share(world, world.ani, prompt)
    (reply,) = await published(world, thread, 1)
    services = tracktwo.bot.services
    # the message is in Discord before the bot records it: tamper only after the record
    for _ in range(500):
        if await services.replies.pending_outbox() == 0:
            break
        await asyncio.sleep(0.01)
    else:
        raise AssertionError("the first publication was never recorded")
    await services.db.execute("UPDATE replies SET message_id = NULL, status = 'pending'")
    await services.db.execute("UPDATE outbox SET done_at = NULL")
    sends_before = len(emu.calls(f"POST /channels/{thread.id}/messages"))
    await tracktwo.restart()
    for _ in range(300):
        stored = await tracktwo.bot.services.replies.by_message(reply.id)
        if stored is not None and stored.status is ReplyStatus.PUBLISHED:
            break
        await asyncio.sleep(0.01)
    else:
        raise AssertionError("the reply was not recorded as published again")
    # found in the thread's recent messages: not sent again at all (the nonce would only
    # help within Discord's window)
    assert len(emu.calls(f"POST /channels/{thread.id}/messages")) == sends_before
    assert len([m for m in emu.messages_in(thread) if m.embeds]) == 1  # and not duplicated


async def test_civility_blocks_nudges_and_holds(world: World, tracktwo: BotHarness) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    blocked = await share(world, world.ani, prompt, **{QUESTION: "Why do the хачи lie?"})
    assert blocked.ephemeral and "cannot be published" in blocked.content
    assert "Why do the хачи lie?" in blocked.content  # the author keeps their text
    assert blocked.button_labels() == ["Rephrase"]
    rephrase = await (await world.ani.click(blocked, "Rephrase")).modal()
    assert "хачи" in str(rephrase.components)
    fixed = await (
        await world.ani.submit(rephrase, {QUESTION: "Why do we distrust each other?"})
    ).message()
    assert "Thank you" in fixed.content

    nudged = await share(world, world.bob, prompt, **{QUESTION: "What the f.u.c.k happened?"})
    assert "another look" in nudged.content
    assert nudged.button_labels() == ["Rephrase", "Submit anyway"]
    anyway = await (await world.bob.click(nudged, "Submit anyway")).message()
    assert "moderator will review" in anyway.content

    held = await share(world, world.babek, prompt, **{QUESTION: "Honestly, they are animals."})
    assert "moderator's look" in held.content
    await published(world, thread, 1)
    await asyncio.sleep(0.2)
    assert len([m for m in world.emu.messages_in(thread) if m.embeds]) == 1
    statuses = await tracktwo.bot.services.db.fetchall("SELECT status FROM replies ORDER BY id")
    assert [r[0] for r in statuses] == ["published", "held", "held"]


async def test_prompt_import_and_bad_files(world: World, tracktwo: BotHarness) -> None:
    await set_up(world)
    essay = "\n\n".join(
        f"Paragraph {n}: neighbours once shared bread across the border, and remember it. " * 5
        for n in range(3)
    )
    answer = await (
        await world.facilitator.slash(
            "prompt import",
            file=Upload("neighbours.md", essay.encode()),
            title="Bread Across the Border",
            author="A. Writer",
        )
    ).message()
    assert "3 new excerpts" in answer.content
    again = await (
        await world.facilitator.slash(
            "prompt import",
            file=Upload("neighbours.md", essay.encode()),
            title="Bread Across the Border",
            author="A. Writer",
        )
    ).message()
    assert "0 new excerpts (3 already stored)" in again.content
    binary = await (
        await world.facilitator.slash(
            "prompt import", file=Upload("x.txt", b"\x00\x01\x02" * 50), title="X", author="Y"
        )
    ).message()
    assert "binary" in binary.content and "Nothing was changed" in binary.content
    pdf = await (
        await world.facilitator.slash(
            "prompt import", file=Upload("x.pdf", b"%PDF-1.4"), title="X", author="Y"
        )
    ).message()
    assert ".md or .txt" in pdf.content
    choices = await world.facilitator.autocomplete("prompt use", "pack", pack="Bread")
    used = await (await world.facilitator.slash("prompt use", pack=choices[0]["value"])).message()
    assert "Bread Across the Border" in used.content
    prompt, _ = await post_round(world)
    assert "A. Writer" in prompt.embed_fields()["Source"]


async def test_schedule_posts_once_after_downtime(world: World, tracktwo: BotHarness) -> None:
    await set_up(world)
    answer = await (
        await world.facilitator.slash("prompt schedule set", every=24, at="18:30")
    ).message()
    assert "every 24 h from 18:30 UTC" in answer.content
    services = tracktwo.bot.services
    three_days_ago = datetime.now(UTC) - timedelta(days=3)
    await services.db.execute(
        "UPDATE prompt_schedules SET next_run_at = ?", (three_days_ago.isoformat(),)
    )
    await tracktwo.restart()
    await until(lambda: world.emu.messages_in(world.dialogue), what="the scheduled prompt")
    await asyncio.sleep(0.3)
    assert len(world.emu.messages_in(world.dialogue)) == 1  # caught up once, not three times
    schedule = await tracktwo.bot.services.rounds.schedule(world.guild.id)
    assert schedule is not None and schedule.next_run_at > datetime.now(UTC)
    off = await (await world.facilitator.slash("prompt schedule off")).message()
    assert "off" in off.content


async def test_a_deleted_thread_is_opened_again_for_the_next_reply(
    world: World, emu: Emulator, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await share(world, world.ani, prompt)
    (_first,) = await published(world, thread, 1)
    # a server admin deletes the thread by hand
    session_status = await emu_delete_channel(emu, thread.id)
    assert session_status == 200 and thread.deleted
    # withdrawing the reply in the gone thread does not get stuck
    confirm = await (await world.ani.slash("reply withdraw", number=1)).message()
    await (await world.ani.click(confirm, "Yes, withdraw it")).message()
    await share(world, world.bob, prompt)
    # a thread started from a message carries the message's id, so the new one has the old id
    reopened = await until(
        lambda: prompt.thread_id and not emu.channels[prompt.thread_id].deleted, what="a new thread"
    )
    assert reopened
    (reply,) = await published(world, emu.channels[prompt.thread_id or 0], 1)
    assert reply.embed["author"]["name"].endswith("Azerbaijani")
    await asyncio.sleep(0.1)
    assert await tracktwo.bot.services.replies.pending_outbox() == 0


async def emu_delete_channel(emu: Emulator, channel_id: int) -> int:
    import aiohttp

    async with (
        aiohttp.ClientSession() as session,
        session.delete(
            f"{emu.api_base}/channels/{channel_id}", headers={"Authorization": f"Bot {emu.token}"}
        ) as response,
    ):
        return response.status


async def test_switching_to_pseudonyms_hides_names_already_published(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    off = await (await world.admin.slash("setup anonymity", mode="off")).message()
    assert "display name" in off.content
    prompt, thread = await post_round(world)
    await share(world, world.ani, prompt)
    (reply,) = await published(world, thread, 1)
    assert reply.embed["author"]["name"] == "ani · Armenian"
    # threats at home: the server switches to pseudonyms, and the name disappears at once
    on = await (await world.admin.slash("setup anonymity", mode="pseudonyms")).message()
    assert "1 published reply that showed a name is being relabelled" in on.content
    await until(
        lambda: reply.embed["author"]["name"] == "Participant 1 · Armenian", what="relabelled"
    )
    assert not any(re.search(r"\bani\b", str(version)) for version in [reply.embed])


async def test_a_form_open_across_a_restart_is_not_lost(world: World, tracktwo: BotHarness) -> None:
    """discord.py forgets open modals when the bot restarts; the member's answers still
    arrive with the submission, and are taken from there."""
    await set_up(world)
    prompt, thread = await post_round(world)
    modal = await (await world.ani.click(prompt, "Share your perspective")).modal()
    await tracktwo.restart()
    ack = await (await world.ani.submit(modal, {BRINGS_UP: TEXT, QUESTION: "And you?"})).message()
    assert ack.ephemeral and "Participant 1 · Armenian" in ack.content
    (reply,) = await published(world, thread, 1)
    assert reply.embed_fields()[QUESTION] == "And you?"
    # a live form is answered once, not twice
    await share(world, world.bob, prompt)
    await published(world, thread, 2)
    await asyncio.sleep(0.2)
    assert await tracktwo.bot.services.db.fetchval("SELECT COUNT(*) FROM replies") == 2


async def test_facilitator_overview_commands(world: World, tracktwo: BotHarness) -> None:
    await set_up(world)
    await post_round(world)
    listing = await (await world.facilitator.slash("prompt list")).message()
    assert listing.embed["title"].startswith("Small People, Big Politics")
    assert "✅ **1.**" in listing.embed["description"]  # posted
    assert "▫️ **2.**" in listing.embed["description"]  # not yet
    packs = await (await world.facilitator.slash("prompt packs")).message()
    assert "▶️ **Small People, Big Politics" in packs.content and "Maria Karapetyan" in packs.content
    none = await (await world.facilitator.slash("prompt schedule show")).message()
    assert "No schedule" in none.content
    await (await world.facilitator.slash("prompt schedule set", every=12, at="09:00")).message()
    shown = await (await world.facilitator.slash("prompt schedule show")).message()
    assert "Every 12 h from 09:00 UTC" in shown.content
    bad = await (
        await world.facilitator.slash("prompt schedule set", every=12, at="25:99")
    ).message()
    assert "HH:MM" in bad.content


async def test_moderator_sets_a_members_community_and_admin_removes_one(
    world: World, emu: Emulator, tracktwo: BotHarness
) -> None:
    await set_up(world)
    carol = await emu.add_member(world.guild, "carol", roles=[world.armenian])
    refused = await (
        await world.alice.slash("community set", member=carol, community="Azerbaijani")
    ).message()
    assert "Only moderators" in refused.content and "Armenian" in carol.role_names
    moved = await (
        await world.mod.slash("community set", member=carol, community="Azerbaijani")
    ).message()
    assert "Azerbaijani" in moved.content
    assert "Azerbaijani" in carol.role_names and "Armenian" not in carol.role_names
    choices = await world.admin.autocomplete("setup community remove", "name", name="azer")
    assert [c["value"] for c in choices] == ["Azerbaijani"]
    removed = await (
        await world.admin.slash("setup community remove", name="Azerbaijani")
    ).message()
    assert "Removed **Azerbaijani**" in removed.content
    shown = await (await world.admin.slash("setup show")).message()
    assert "Communities (1)" in shown.embed_fields()
