"""Participant safety through the services, against a real SQLite file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.civility.model import Action
from bot.dialogue.models import Anonymity, EndorsementKind, ReplyStatus
from bot.dialogue.replies import CheckSummary, RawReply
from bot.errors import InvalidInput
from bot.safety import TooSoon, author_label
from bot.services import Services
from bot.storage.engine import TxConnection

from .conftest import GUILD

ARM_ROLE, AZE_ROLE = 501, 502
# Realistic snowflakes, so that a leak cannot hide among small numbers.
ANI, BABEK, CAROL, MOD = 412345678901234567, 498765432109876543, 455555555555555555, 4666
ARM, AZE = 1, 2


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(services: Services) -> Clock:
    clock = Clock()
    services.safety.mydata.clock = clock
    services.safety.retention.clock = clock
    return clock


async def configured(services: Services) -> None:
    await services.guild_config.set_dialogue_channel(GUILD, 900)
    await services.communities.add(GUILD, "Armenian", ARM_ROLE)
    await services.communities.add(GUILD, "Azerbaijani", AZE_ROLE)
    await services.communities.join(GUILD, ANI, frozenset(), ARM)
    await services.communities.join(GUILD, BABEK, frozenset(), AZE)
    await services.communities.join(GUILD, CAROL, frozenset(), AZE)


async def open_round(services: Services) -> int:
    round_, _ = await services.rounds.prepare(GUILD, None)
    await services.rounds.attach(round_, 7000 + round_.number, 8000 + round_.number)
    return round_.id


async def reply(
    services: Services,
    round_id: int,
    user: int,
    text: str,
    *,
    consent: bool = False,
    expect: str = "accepted",
) -> int:
    raw = RawReply(text, experience=f"{text} (experience)", quote_consent=consent)
    result = await services.replies.submit(round_id, user, frozenset(), f"name-{user}", raw)
    assert result.disposition == expect, result.verdicts
    return result.reply.id


async def publish_all(services: Services) -> None:
    """Do what the publisher cog does, with made-up message ids."""
    for item in await services.replies.due_outbox():
        assert item.reply_id is not None
        if item.kind == "publish":
            await services.replies.published(item, 9_000_000 + item.reply_id)
        else:
            await services.replies.outbox_done(item, message_gone=item.kind == "unpublish")


# 1. anonymity and labels -------------------------------------------------------------


async def test_labels_follow_the_mode_and_never_name_pseudonymous_replies(
    services: Services,
) -> None:
    await configured(services)
    round_id = await open_round(services)
    hidden = await services.replies.get(
        await reply(services, round_id, ANI, "My family left Baku in 1990 and I still miss it.")
    )
    assert hidden.author_name is None
    assert author_label(hidden, Anonymity.PSEUDONYMS) == "Participant 1 · Armenian"
    assert author_label(hidden, Anonymity.OFF) == "Participant 1 · Armenian"

    await services.guild_config.set_anonymity(GUILD, Anonymity.OFF)
    named = await services.replies.get(
        await reply(
            services, round_id, BABEK, "My grandmother kept the keys to our house in Shusha."
        )
    )
    assert named.author_name == f"name-{BABEK}"
    assert author_label(named, Anonymity.OFF) == f"name-{BABEK} · Azerbaijani"
    # switching back to pseudonyms stops naming replies written while names were on
    assert author_label(named, Anonymity.PSEUDONYMS) == "Participant 2 · Azerbaijani"


# 2. digest for quoting ----------------------------------------------------------------


async def test_digest_has_only_published_consented_replies_under_pseudonyms(
    services: Services,
) -> None:
    await configured(services)
    await services.guild_config.set_anonymity(GUILD, Anonymity.OFF)  # even then: no names
    round_id = await open_round(services)
    await reply(services, round_id, ANI, "Ani agrees to be quoted here.", consent=True)
    await reply(services, round_id, BABEK, "Babek does not want quotes.", consent=False)
    await publish_all(services)
    await reply(services, round_id, CAROL, "Carol agreed but is not published.", consent=True)

    quotable = await services.safety.digest.quotable_replies(GUILD, 1)
    assert [q.label for q in quotable] == ["Participant 1 · Armenian"]

    digest = await services.safety.digest.digest(GUILD, None)
    assert digest.quoted == 1 and digest.filename == "round-1-digest.md"
    excerpt = await services.rounds.excerpt(await services.rounds.get(round_id))
    assert digest.markdown.startswith(f"# Round 1: {excerpt.title}")
    assert excerpt.author in digest.markdown
    assert "> Ani agrees to be quoted here." in digest.markdown
    assert "### Participant 1 · Armenian" in digest.markdown
    assert "Babek" not in digest.markdown and "Carol" not in digest.markdown
    assert "name-" not in digest.markdown


# 3. /mydata export and delete ---------------------------------------------------------


class FakeModeration:
    def __init__(self) -> None:
        self.tombstoned: list[tuple[int, int]] = []

    async def reports_by(self, guild_id: int, user_id: int) -> list[dict[str, Any]]:
        return [{"case": 3, "reason": "insult"}] if user_id == ANI else []

    async def cases_about(self, guild_id: int, user_id: int) -> list[dict[str, Any]]:
        return [{"case": 7, "action": "warning"}] if user_id == ANI else []

    async def tombstone(
        self, guild_id: int, user_id: int, *, conn: TxConnection | None = None
    ) -> int:
        self.tombstoned.append((guild_id, user_id))
        return 1


async def nudge_drafts(guild_id: int, text: str, key: str) -> CheckSummary:
    return CheckSummary(Action.NUDGE) if "draft" in text else CheckSummary()


async def two_rounds(services: Services) -> tuple[int, int, dict[str, int]]:
    await configured(services)
    first = await open_round(services)
    ids = {
        "ani1": await reply(services, first, ANI, "Ani's first round reply text.", consent=True),
        "babek1": await reply(services, first, BABEK, "Babek's first round reply text."),
    }
    await publish_all(services)
    await services.replies.endorse(ids["ani1"], BABEK, frozenset(), EndorsementKind.LEARNED)
    await services.replies.endorse(ids["babek1"], ANI, frozenset(), EndorsementKind.RESONATES)
    await services.replies.edit(ids["ani1"], ANI, RawReply("Ani's first reply, edited later."))
    second = await open_round(services)
    ids["babek2"] = await reply(services, second, BABEK, "Babek speaks first in round two.")
    ids["ani2"] = await reply(services, second, ANI, "Ani's second round reply text.")
    await publish_all(services)
    return first, second, ids


async def test_export_finds_everything_about_the_member_and_nothing_else(
    services: Services, clock: Clock
) -> None:
    services.safety.mydata.moderation = FakeModeration()
    _, _, ids = await two_rounds(services)
    data = await services.safety.mydata.export(GUILD, ANI)
    assert json.loads(json.dumps(data)) == data  # JSON-serializable as is
    assert data["about"] and data["member_id"] == str(ANI)
    assert data["community"]["name"] == "Armenian"
    assert [r["reply_id"] for r in data["replies"]] == [ids["ani1"], ids["ani2"]]
    first, second = data["replies"]
    assert (first["round"], second["round"]) == (1, 2)
    assert (first["participant_number"], second["participant_number"]) == (1, 2)
    assert first["text"]["brings_up"] == "Ani's first reply, edited later."
    assert first["edit_history"][0]["before"]["brings_up"] == "Ani's first round reply text."
    assert first["quote_consent"] is True and first["on_discord"] is True
    [given] = data["endorsements_given"]
    assert (given["round"], given["reply_id"], given["kind"]) == (1, ids["babek1"], "resonates")
    assert data["cases_about_you"] == [{"case": 7, "action": "warning"}]
    assert data["reports_filed"] == [{"case": 3, "reason": "insult"}]
    assert "Babek" not in json.dumps(data)


async def test_export_hides_the_moderator_who_decided_a_join_request(services: Services) -> None:
    await configured(services)
    await services.guild_config.set_verification(GUILD, True)
    dana = 433333333333333333
    outcome = await services.communities.join(GUILD, dana, frozenset(), ARM)
    assert outcome.request_id is not None
    await services.communities.decide(GUILD, outcome.request_id, True, MOD)
    data = await services.safety.mydata.export(GUILD, dana)
    assert data["join_requests"][0]["status"] == "approved"
    assert "decided_by" not in data["join_requests"][0]
    assert str(MOD) not in json.dumps(data)


async def test_export_is_rate_limited_with_the_time_to_wait(
    services: Services, clock: Clock
) -> None:
    await configured(services)
    await services.safety.mydata.export(GUILD, ANI)
    clock.now += timedelta(minutes=3)
    with pytest.raises(TooSoon, match="again in 7 minutes"):
        await services.safety.mydata.export(GUILD, ANI)
    await services.safety.mydata.export(GUILD, BABEK)  # per member
    clock.now += timedelta(minutes=7)
    await services.safety.mydata.export(GUILD, ANI)
    # the bookkeeping holds an HMAC of the member, not the id
    rows = await services.db.fetchall("SELECT member_key FROM privacy_requests")
    assert rows and all(str(ANI) not in r[0] and len(r[0]) == 64 for r in rows)


async def test_delete_erases_and_unpublishes_but_keeps_cases_tombstoned(
    services: Services, clock: Clock
) -> None:
    moderation = FakeModeration()
    services.safety.mydata.moderation = moderation
    first, _, ids = await two_rounds(services)
    draft_round = await open_round(services)
    services.replies.check = nudge_drafts
    await reply(services, draft_round, ANI, "Ani's draft never submitted.", expect="nudged")

    result = await services.safety.mydata.delete(GUILD, ANI)
    assert result.replies_unpublished == 2 and result.replies_deleted == 1
    assert result.endorsements == 1 and result.left_community
    assert result.community_role_id == ARM_ROLE
    assert sorted(result.message_ids) == [9_000_000 + ids["ani1"], 9_000_000 + ids["ani2"]]
    assert moderation.tombstoned == [(GUILD, ANI)]
    assert result.summary == "3 replies, 1 endorsement, your community membership"

    # the publisher deletes the messages; then nothing of Ani's is left
    due = await services.replies.due_outbox()
    assert sorted((i.kind, i.reply_id) for i in due) == [
        ("unpublish", ids["ani1"]),
        ("unpublish", ids["ani2"]),
    ]
    for item in due:
        gone = await services.replies.get(item.reply_id or 0)
        assert gone.fields.brings_up == "" and gone.status is ReplyStatus.WITHDRAWN
    await publish_all(services)
    report = await services.safety.retention.purge()
    assert report.erased == 2
    dump = "\n".join(str(tuple(r)) for r in await services.db.fetchall("SELECT * FROM replies"))
    assert "Ani" not in dump
    assert await services.communities.of_member(GUILD, ANI, frozenset()) is None
    # Babek's reply keeps nothing of Ani's endorsement; Babek's own data is untouched
    tally = await services.replies.tally(await services.replies.get(ids["babek1"]))
    assert tally.total(EndorsementKind.RESONATES) == 0
    assert (await services.replies.get(ids["babek1"])).status is ReplyStatus.PUBLISHED

    clock.now += timedelta(minutes=20)
    with pytest.raises(TooSoon, match="delete your data again in 40 minutes"):
        await services.safety.mydata.delete(GUILD, ANI)
    data = await services.safety.mydata.export(GUILD, ANI)
    assert data["replies"] == [] and data["endorsements_given"] == []
    assert data["community"] is None
    # only Babek's participant number is left in round 1
    assert (
        await services.db.fetchval(
            "SELECT COUNT(*) FROM round_participants WHERE round_id = ?", (first,)
        )
        == 1
    )


# 4. retention --------------------------------------------------------------------------


async def test_retention_purges_rounds_closed_long_ago_and_survives_restarts(
    services: Services, clock: Clock
) -> None:
    with pytest.raises(InvalidInput):
        await services.safety.retention.set_retention(GUILD, 0)
    first, second, _ = await two_rounds(services)
    assert await services.safety.retention.retention(GUILD) is None
    await services.rounds.set_open(await services.rounds.get(first), False)
    await services.db.execute(
        "UPDATE rounds SET closed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-31 days') "
        "WHERE id = ?",
        (first,),
    )
    report = await services.safety.retention.purge()
    assert report.per_guild == {}  # retention is off by default

    await services.safety.retention.set_retention(GUILD, 30)
    assert await services.safety.retention.retention(GUILD) == 30
    clock.now += timedelta(days=1)
    report = await services.safety.retention.purge()
    counts = report.per_guild[GUILD]
    assert (counts.rounds, counts.replies, counts.endorsements, counts.participants) == (
        1,
        2,
        2,
        2,
    )
    assert counts.edits == 1
    assert (
        await services.db.fetchval("SELECT COUNT(*) FROM replies WHERE round_id = ?", (first,)) == 0
    )
    assert (
        await services.db.fetchval("SELECT COUNT(*) FROM replies WHERE round_id = ?", (second,))
        == 2
    )
    assert await services.rounds.get(first)  # the round itself stays

    # the last purge time is stored: not due again for a day, even after a restart
    assert await services.safety.retention.purge_if_due() is None
    clock.now += timedelta(hours=23)
    assert await services.safety.retention.seconds_until_due() == pytest.approx(3600)
    clock.now += timedelta(hours=1)
    assert await services.safety.retention.purge_if_due() is not None


async def test_purge_deletes_drafts_older_than_a_day(services: Services) -> None:
    await configured(services)
    round_id = await open_round(services)
    services.replies.check = nudge_drafts
    old = await reply(services, round_id, ANI, "An old draft that was abandoned.", expect="nudged")
    new = await reply(
        services, round_id, BABEK, "A fresh draft still being written.", expect="nudged"
    )
    await services.db.execute(
        "UPDATE replies SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-25 hours') "
        "WHERE id = ?",
        (old,),
    )
    report = await services.safety.retention.purge()
    assert report.drafts == 1
    assert await services.db.fetchval("SELECT id FROM replies") == new
