"""Bridging through the real client against the local Discord: endorsements across communities
make a reply "where the communities meet" in the digest posted at /round close (text and PNG),
the status is damped, the public digest keeps the consent and small-count rules, members read
replies privately in the order that brings each side to the other, and /round export gives a
CSV that `tracktwo bridging score` reads."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sandbox import state as st
from sandbox.harness import BotHarness
from sandbox.world import World
from tests.e2e.test_dialogue import BRINGS_UP, QUESTION, post_round, published, set_up

pytestmark = pytest.mark.e2e

BRIDGE = "My grandmother kept her neighbour's keys for thirty years, waiting for her to return."
SPLIT = "Only our side has ever told the truth about the villages."
PRIVATE = "I have never said this aloud: I miss the songs from across the border."
ASK = "What did your grandparents tell you about the time before?"


async def write(who: Any, prompt: st.Message, text: str, *, consent: bool, **extra: str) -> None:
    modal = await (await who.click(prompt, "Share your perspective")).modal()
    values: dict[str, Any] = {BRINGS_UP: text, **extra}
    if consent:
        values["quote_consent"] = ["yes"]
    answer = await (await who.submit(modal, values)).message()
    assert answer.ephemeral


def by_text(replies: list[st.Message], text: str) -> st.Message:
    return next(m for m in replies if text in m.embed["description"])


async def press(who: Any, reply: st.Message, kind: str) -> None:
    label = next(b for b in reply.button_labels() if b.startswith(kind))
    note = await (await who.click(reply, label)).followup(0)
    assert note.ephemeral


async def community(world: World, role: st.Role, names: list[str]) -> list[Any]:
    return [await world.emu.add_member(world.guild, n, roles=[role]) for n in names]


async def test_bridging_digest_at_close_with_picture_consent_and_damping(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await write(world.ani, prompt, BRIDGE, consent=True, **{QUESTION: ASK})
    await write(world.bob, prompt, SPLIT, consent=True)
    await write(world.alice, prompt, PRIVATE, consent=False)
    replies = await published(world, thread, 3)
    bridge, split, private = (
        by_text(replies, BRIDGE),
        by_text(replies, SPLIT),
        by_text(replies, PRIVATE),
    )
    armenians = [world.alice, *await community(world, world.armenian, ["arev", "aram"])]
    azeris = [world.babek, *await community(world, world.azerbaijani, ["bahar", "bayram", "banu"])]
    for who in armenians + azeris:
        await press(who, bridge, "This resonates")
    for who in armenians[1:] + azeris:
        await press(who, private, "I learned something")
    await press(world.ani, private, "This resonates")
    for who in [*armenians, world.ani]:
        await press(who, split, "Respectfully disagree")
    for who in azeris:
        await press(who, split, "This resonates")
    # the first digest, privately for the facilitator: the statuses are recorded
    # scoring and the picture run in a worker thread: on a loaded machine that is seconds
    first = await (await world.facilitator.slash("round digest", channel=thread)).message(30)
    assert first.ephemeral and "Where the communities meet" in first.content
    assert PRIVATE in first.content and "did not agree to be quoted" in first.content
    services = tracktwo.bot.services
    round_ = await services.rounds.resolve(world.guild.id, 1, None)
    scored = await services.bridging.score(round_)
    statuses = {
        r.fields.brings_up: scored.scored.replies[k].status.value for k, r in scored.replies.items()
    }
    assert statuses == {BRIDGE: "bridging", SPLIT: "one-sided", PRIVATE: "bridging"}
    # damping: two of the four Azerbaijani voters turn to "disagree"; a share of one half
    # would not make a reply bridging, but it does not make one stop being bridging
    for who in azeris[:2]:
        await press(who, bridge, "Respectfully disagree")
    scored = await services.bridging.score(round_)
    key = next(k for k, r in scored.replies.items() if r.fields.brings_up == BRIDGE)
    assert scored.scored.replies[key].tallies["Azerbaijani"].positive == 2
    assert scored.scored.replies[key].status.value == "bridging"

    closed = await (await world.facilitator.slash("round close", number=1)).message(30)
    assert "closed" in closed.content
    digest = await world.emu.wait_for_message(
        channel=thread, check=lambda m: "Round digest" in m.content, timeout=30
    )
    text = "\n".join(m.content for m in world.emu.messages_in(thread) if m.id >= digest.id)
    assert "Where the communities meet" in text
    assert BRIDGE in text and "Participant 1 · Armenian" in text
    assert PRIVATE not in text  # no consent: counted, not quoted
    assert (
        "1 more reply where the communities meet, whose author did not agree to be quoted" in text
    )
    assert ASK in text  # questions each community asked the other
    assert SPLIT in text and "Where the communities differ" in text
    assert "rejected" not in text and "Armenian: 0" not in text
    # small counts are hidden; three or more are shown
    assert "Armenian: fewer than 3 replies" in text
    assert "Azerbaijani: 4 members voted" in text and "Armenian: 4 members voted" in text
    pictures = [
        a for m in world.emu.messages_in(thread) if m.id >= digest.id for a in m.attachments
    ]
    assert [a.filename for a in pictures] == ["round-1-common-ground.png"]
    assert pictures[0].data.startswith(b"\x89PNG\r\n\x1a\n") and len(pictures[0].data) > 5000


async def test_reading_order_skip_and_endorse_privately(world: World, tracktwo: BotHarness) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await write(world.ani, prompt, BRIDGE, consent=True)
    await write(world.bob, prompt, SPLIT, consent=True)
    await write(world.babek, prompt, PRIVATE, consent=True)
    replies = await published(world, thread, 3)
    # an Armenian has voted on SPLIT already: alice (Armenian) is offered the replies with no
    # Armenian vote first (oldest first among equals), SPLIT last
    arev = (await community(world, world.armenian, ["arev"]))[0]
    await press(arev, by_text(replies, SPLIT), "This resonates")
    view = await (await world.alice.click(prompt, "Read replies")).message()
    assert view.ephemeral and view.embeds
    assert BRIDGE in view.embed["description"]
    assert {"Skip", "Next", "This resonates"} <= set(view.button_labels())
    skipped = await (await world.alice.click(view, "Skip")).message()
    assert PRIVATE in skipped.embed["description"]
    # endorse from the private view: the vote counts for the reply
    await (await world.alice.click(skipped, "This resonates")).followup(0)
    assert {"Skip", "Next"} <= set(skipped.button_labels())  # still the reading view
    assert "This resonates · 1" in skipped.button_labels()
    services = tracktwo.bot.services
    round_ = await services.rounds.resolve(world.guild.id, 1, None)
    scored = await services.bridging.score(round_)
    key = next(k for k, r in scored.replies.items() if r.fields.brings_up == PRIVATE)
    assert scored.scored.replies[key].tallies["Armenian"].votes == 1
    # ani is never offered her own reply
    own = await (await world.ani.slash("round read", channel=thread)).message()
    assert BRIDGE not in own.embed["description"]
    # the skip is remembered: asked again, alice gets SPLIT (BRIDGE skipped, PRIVATE voted)
    again = await (await world.alice.slash("round read", channel=thread)).message()
    assert SPLIT in again.embed["description"]
    done = await (await world.alice.click(again, "Skip")).message()
    assert "seen every reply" in done.content


async def test_export_is_anonymized_and_scored_by_the_cli(
    world: World, tracktwo: BotHarness, tmp_path: Path
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await write(world.ani, prompt, BRIDGE, consent=True)
    (reply,) = await published(world, thread, 1)
    voters = [world.alice, *await community(world, world.armenian, ["arev", "aram"])]
    voters += [world.bob, world.babek, *await community(world, world.azerbaijani, ["bahar"])]
    for who in voters:
        await press(who, reply, "This resonates")
    refused = await (await world.alice.slash("round export", number=1)).message()
    assert "facilitator" in refused.content and not refused.attachments
    exported = await (await world.facilitator.slash("round export", number=1)).message()
    assert exported.ephemeral and "6 votes" in exported.content
    [file] = exported.attachments
    csv_text = file.data.decode("utf-8")
    lines = csv_text.splitlines()
    assert lines[0] == "rater,community,reply,endorsement" and len(lines) == 7
    for user in (world.alice, world.bob):
        assert str(user.id) not in csv_text
    assert str(reply.id) not in csv_text
    path = tmp_path / "votes.csv"
    path.write_text(csv_text, encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app",
        "bridging",
        "score",
        str(path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(60):
        out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    [row] = [json.loads(line) for line in out.decode().splitlines() if line.strip()]
    assert row["status"] == "bridging"
    second = await (await world.facilitator.slash("round export", number=1)).message()
    assert second.attachments[0].data != file.data  # fresh opaque ids in every export


async def test_daily_notice_names_replies_lacking_a_communitys_votes(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await write(world.ani, prompt, BRIDGE, consent=True)
    (reply,) = await published(world, thread, 1)
    cog: Any = tracktwo.bot.get_cog("Bridging")
    now = datetime.now(UTC)
    assert await cog.notices.run_due(now) == 0  # off by default
    refused = await (await world.alice.slash("setup bridging", notices=True)).message()
    assert "admin" in refused.content.lower() or "permission" in refused.content.lower()
    done = await (await world.admin.slash("setup bridging", notices=True, min_votes=3)).message()
    assert done.ephemeral and "notice is on" in done.content and "3 votes" in done.content
    assert await cog.notices.run_due(now) == 2  # one per community
    notices = [m.content for m in world.emu.messages_in(thread) if "Needs your" in m.content]
    assert len(notices) == 2 and all("Participant 1 · Armenian" in n for n in notices)
    assert "Armenian" in notices[0] and "Azerbaijani" in notices[1]
    assert await cog.notices.run_due(now) == 0  # once a day
    # the Azerbaijani side votes enough: the next day only the Armenian notice remains
    for who in [world.bob, world.babek, *await community(world, world.azerbaijani, ["bahar"])]:
        await press(who, reply, "This resonates")
    assert await cog.notices.run_due(now + timedelta(days=1)) == 1
    last = [m.content for m in world.emu.messages_in(thread) if "Needs your" in m.content][-1]
    assert "Needs your perspective, Armenian" in last
