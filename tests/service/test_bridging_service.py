"""BridgingService on real storage (SQLite and PostgreSQL): statuses kept and damped, skips,
options and the once-a-day notice claim, the export's opaque ids, the reading order."""

from __future__ import annotations

import csv
import io

from bot.dialogue.models import EndorsementKind
from bot.dialogue.replies import RawReply
from bot.services import Services

from .conftest import GUILD
from .test_dialogue import TEXT, configured, open_round

ARMENIANS = [2001, 2002, 2003, 2004]
AZERIS = [3001, 3002, 3003, 3004]


async def published_reply(services: Services, round_id: int, user: int, text: str) -> int:
    reply = (await services.replies.submit(round_id, user, frozenset(), "x", RawReply(text))).reply
    for item in await services.replies.due_outbox():
        await services.replies.published(item, 100000 + item.reply_id)
    return reply.id


async def test_statuses_are_kept_damped_and_the_export_is_anonymous(services: Services) -> None:
    await configured(services)
    round_id = await open_round(services)
    for user in ARMENIANS:
        await services.communities.join(GUILD, user, frozenset(), 1)
    for user in AZERIS:
        await services.communities.join(GUILD, user, frozenset(), 2)
    reply_id = await published_reply(services, round_id, ARMENIANS[0], TEXT)
    for user in ARMENIANS[1:] + AZERIS:
        await services.replies.endorse(reply_id, user, frozenset(), EndorsementKind.RESONATES)
    round_ = await services.rounds.get(round_id)
    first = await services.bridging.score(round_)
    assert first.scored.replies[str(reply_id)].status.value == "bridging"
    assert await services.bridging._store.statuses(round_id) == {reply_id: "bridging"}
    # two of four Azerbaijani votes turn: a share of one half keeps it (damping) ...
    for user in AZERIS[:2]:
        await services.replies.endorse(reply_id, user, frozenset(), EndorsementKind.DISAGREE)
    assert (await services.bridging.score(round_)).scored.replies[
        str(reply_id)
    ].status.value == "bridging"
    # ... but the same votes on a reply that never was bridging do not make it so
    await services.bridging._store.save_statuses(round_id, {reply_id: "not-yet"})
    assert (await services.bridging.score(round_)).scored.replies[
        str(reply_id)
    ].status.value != "bridging"

    text, rows = await services.bridging.export(round_)
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert rows == len(parsed) == 7
    assert {r["endorsement"] for r in parsed} == {"resonates", "disagree"}
    assert len({r["rater"] for r in parsed}) == 7 and len({r["reply"] for r in parsed}) == 1
    again, _ = await services.bridging.export(round_)
    assert set(again.splitlines()[1:]).isdisjoint(text.splitlines()[1:])  # fresh ids


async def test_options_skips_and_the_daily_claim(services: Services) -> None:
    await configured(services)
    round_id = await open_round(services)
    for user in ARMENIANS[:2]:
        await services.communities.join(GUILD, user, frozenset(), 1)
    await services.communities.join(GUILD, AZERIS[0], frozenset(), 2)
    await services.communities.join(GUILD, AZERIS[1], frozenset(), 2)
    older = await published_reply(services, round_id, AZERIS[0], TEXT)
    newer = await published_reply(services, round_id, AZERIS[1], TEXT + " And more.")
    own = await published_reply(services, round_id, ARMENIANS[0], TEXT + " Mine.")
    round_ = await services.rounds.get(round_id)
    await services.replies.endorse(older, ARMENIANS[1], frozenset(), EndorsementKind.LEARNED)
    reader = ARMENIANS[0]
    first = await services.bridging.next_to_read(round_, reader, frozenset())
    assert first is not None and first.id == newer  # no Armenian vote yet, never her own
    await services.bridging.skip(round_, reader, newer)
    second = await services.bridging.next_to_read(round_, reader, frozenset())
    assert second is not None and second.id == older
    await services.bridging.skip(round_, reader, older)
    await services.bridging.skip(round_, reader, older)  # idempotent
    assert await services.bridging.next_to_read(round_, reader, frozenset()) is None
    assert own not in {newer, older}
    # /mydata delete erases what the reader skipped too: the same reply comes up again
    await services.safety.mydata.delete(GUILD, reader)
    assert await services.db.fetchval("SELECT COUNT(*) FROM bridging_skips") == 0

    assert (await services.bridging.options(GUILD)).notices is False
    assert not await services.bridging.mark_noticed(GUILD, "2026-12-01")  # off: never claimed
    options = await services.bridging.set_options(GUILD, notices=True)
    assert options.notices and options.min_votes is None
    options = await services.bridging.set_options(GUILD, min_votes=4)
    assert options.notices and options.min_votes == 4  # one option leaves the other
    assert await services.bridging.guilds_with_notices() == [GUILD]
    assert await services.bridging.mark_noticed(GUILD, "2026-12-01")
    assert not await services.bridging.mark_noticed(GUILD, "2026-12-01")
    assert await services.bridging.mark_noticed(GUILD, "2026-12-02")
    notices = await services.bridging.notices(round_)
    assert [n.community for n in notices] == ["Armenian", "Azerbaijani"]
