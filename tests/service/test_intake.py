"""Group agreements, intake notes and facilitators' notes, on both engines: versions, acceptance
and re-acceptance, sanitized and bounded texts, label resolution, /mydata export and delete,
and retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.dialogue.agreements import BODY_MAX, DEFAULT_VERSION, NOTE_MAX
from bot.dialogue.replies import RawReply
from bot.errors import Conflict, InvalidInput, NotFound
from bot.services import Services
from tests.service.conftest import GUILD, table_names
from tests.service.test_dialogue import ANI, BABEK, CAROL, TEXT, configured, open_round

OTHER_GUILD = 222222222222222222
RULES = "1. Speak for yourself.\n2. Listen to understand.\n3. No attacks on people."
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff" * 10


async def replied(services: Services) -> int:
    """A round where Ani is Participant 1 and Babek Participant 2."""
    await configured(services)
    round_id = await open_round(services)
    await services.communities.join(GUILD, ANI, frozenset(), 1)
    await services.communities.join(GUILD, BABEK, frozenset(), 2)
    for who, name in ((ANI, "Ani"), (BABEK, "Babek")):
        await services.replies.submit(round_id, who, frozenset(), name, RawReply(TEXT))
    return round_id


# agreements ------------------------------------------------------------------------------


async def test_the_default_agreements_are_pending_until_accepted(services: Services) -> None:
    agreements = services.agreements
    pending = await agreements.pending(GUILD, ANI)
    assert pending is not None and pending.body is None and not pending.renewed
    assert pending.version == DEFAULT_VERSION and len(pending.version) == 12
    await agreements.accept(GUILD, ANI, pending.version)
    assert await agreements.pending(GUILD, ANI) is None
    # per server and per member
    assert await agreements.pending(OTHER_GUILD, ANI) is not None
    assert await agreements.pending(GUILD, BABEK) is not None


async def test_changed_agreements_are_asked_again_and_the_same_text_is_not(
    services: Services,
) -> None:
    agreements = services.agreements
    await agreements.accept(GUILD, ANI, DEFAULT_VERSION)
    own = await agreements.replace(GUILD, f"  {RULES}  \n\n")
    assert own.body == RULES and own.version != DEFAULT_VERSION
    pending = await agreements.pending(GUILD, ANI)
    assert pending is not None and pending.renewed and pending.body == RULES
    # an acceptance of the text shown before the change is refused
    with pytest.raises(Conflict):
        await agreements.accept(GUILD, ANI, DEFAULT_VERSION)
    await agreements.accept(GUILD, ANI, own.version)
    assert await agreements.pending(GUILD, ANI) is None
    # saving the same text again asks nobody again; another server is untouched
    assert (await agreements.replace(GUILD, RULES)).version == own.version
    assert await agreements.pending(GUILD, ANI) is None
    assert (await agreements.current(OTHER_GUILD)).version == DEFAULT_VERSION
    # back to the default: asked again
    await agreements.reset(GUILD)
    assert (await agreements.pending(GUILD, ANI)) is not None


async def test_agreements_are_sanitized_and_bounded(services: Services) -> None:
    agreements = services.agreements
    for bad in ("", "too short", ZERO_WIDTH, "x" * (BODY_MAX + 1)):
        with pytest.raises(InvalidInput) as refused:
            await agreements.replace(GUILD, bad)
        assert refused.value.key == "intake.agreements.bad_length"
    assert (await agreements.current(GUILD)).version == DEFAULT_VERSION
    saved = await agreements.replace(GUILD, "Be kind @everyone <@123> and " + RULES)
    assert saved.body is not None
    assert "@everyone" not in saved.body and "<@123>" not in saved.body


# the note at intake ----------------------------------------------------------------------


async def test_an_intake_note_is_sanitized_replaced_and_listed_without_its_author(
    services: Services,
) -> None:
    agreements = services.agreements
    for bad in ("", "   ", ZERO_WIDTH, "x" * (NOTE_MAX + 1)):
        with pytest.raises(InvalidInput):
            await agreements.leave_note(GUILD, ANI, bad)
    await agreements.leave_note(GUILD, ANI, "Please do not quote me.")
    note = await agreements.leave_note(GUILD, ANI, "Please never quote me @here")
    assert "@here" not in note.body and note.body.startswith("Please never quote me")
    await agreements.leave_note(GUILD, BABEK, "I may need pauses.")
    await agreements.leave_note(OTHER_GUILD, CAROL, "Elsewhere.")
    listed = await agreements.notes(GUILD)
    assert sorted(n.body for n in listed) == sorted([note.body, "I may need pauses."])
    row = await services.db.fetchone(
        "SELECT * FROM intake_notes WHERE guild_id = ? LIMIT 1", (GUILD,)
    )
    assert row is not None and str(ANI) not in str(dict(row)) and str(BABEK) not in str(dict(row))


# facilitators' notes ---------------------------------------------------------------------


async def test_a_note_names_a_participant_label_and_finds_their_intake_note(
    services: Services,
) -> None:
    round_id = await replied(services)
    notes = services.notes
    await services.agreements.leave_note(GUILD, BABEK, "Please no voice calls.")
    first = await notes.add(GUILD, None, "Participant 2 · Azerbaijani", "Quiet; check in.")
    second = await notes.add(GUILD, 1, "#2", "Asked for a pause.")
    assert (first.round_number, first.participant) == (1, 2)
    about = await notes.about(GUILD, 1, "participant 2")
    assert [n.body for n in about.notes] == ["Quiet; check in.", "Asked for a pause."]
    assert about.intake is not None and about.intake.body == "Please no voice calls."
    assert (await notes.about(GUILD, None, "1")).notes == []
    # the note stores the participant's per-round key, never a member id
    row = await services.db.fetchone("SELECT * FROM facilitator_notes WHERE id = ?", (first.id,))
    assert row is not None and str(BABEK) not in {str(v) for v in dict(row).values()}
    assert row["author_key"] == services.pseudonyms.author_key(GUILD, round_id, BABEK)
    # another server cannot delete it; this one can
    with pytest.raises(NotFound):
        await notes.delete(OTHER_GUILD, second.id)
    await notes.delete(GUILD, second.id)
    with pytest.raises(NotFound):
        await notes.delete(GUILD, second.id)


async def test_bad_labels_and_texts_are_refused(services: Services) -> None:
    await replied(services)
    notes = services.notes
    for label, key in (
        ("Babek", "notes.bad_label"),
        ("", "notes.bad_label"),
        ("Participant 9", "notes.no_participant"),
    ):
        with pytest.raises((InvalidInput, NotFound)) as refused:
            await notes.add(GUILD, None, label, "A note.")
        assert refused.value.key == key
    with pytest.raises(NotFound) as no_round:
        await notes.add(GUILD, 7, "Participant 1", "A note.")
    assert no_round.value.key == "notes.no_round"
    with pytest.raises(NotFound):  # another server has no such round
        await notes.add(OTHER_GUILD, 1, "Participant 1", "A note.")
    for bad in ("", ZERO_WIDTH, "x" * (NOTE_MAX + 1)):
        with pytest.raises(InvalidInput) as refused:
            await notes.add(GUILD, None, "Participant 1", bad)
        assert refused.value.key == "notes.bad_length"
    assert await services.db.fetchval("SELECT COUNT(*) FROM facilitator_notes") == 0


# /mydata and retention -------------------------------------------------------------------


async def test_export_and_delete_take_the_acceptance_and_both_kinds_of_note(
    services: Services,
) -> None:
    await replied(services)
    await services.agreements.accept(GUILD, BABEK, DEFAULT_VERSION)
    await services.agreements.leave_note(GUILD, BABEK, "Please no voice calls.")
    await services.notes.add(GUILD, None, "Participant 2", "Quiet; check in.")
    await services.notes.add(GUILD, None, "Participant 1", "About Ani, not Babek.")
    export = await services.safety.mydata.export(GUILD, BABEK)
    assert export["agreements_accepted"]["version"] == DEFAULT_VERSION
    assert export["note_to_facilitators"]["text"] == "Please no voice calls."
    assert [n["note"] for n in export["facilitator_notes_about_you"]] == ["Quiet; check in."]
    assert export["facilitator_notes_about_you"][0]["participant_number"] == 2

    await services.safety.mydata.delete(GUILD, BABEK)
    assert await services.agreements.pending(GUILD, BABEK) is not None
    assert await services.agreements.note_of(GUILD, BABEK) is None
    left = await services.db.fetchall("SELECT body FROM facilitator_notes")
    assert [r["body"] for r in left] == ["About Ani, not Babek."]
    later = datetime.now(UTC) + timedelta(hours=2)  # past the export's rate limit
    services.safety.mydata.clock = lambda: later
    again = await services.safety.mydata.export(GUILD, BABEK)
    assert again["agreements_accepted"] is None and again["note_to_facilitators"] is None
    assert again["facilitator_notes_about_you"] == []


async def test_retention_purges_the_notes_with_the_round(services: Services) -> None:
    round_id = await replied(services)
    await services.notes.add(GUILD, None, "Participant 1", "Check in after the round.")
    await services.rounds.set_open(await services.rounds.get(round_id), False)
    await services.db.execute(
        "UPDATE rounds SET closed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-31 days') "
        "WHERE id = ?",
        (round_id,),
    )
    await services.safety.retention.set_retention(GUILD, 30)
    report = await services.safety.retention.purge()
    assert report.per_guild[GUILD].rounds == 1
    assert await services.db.fetchval("SELECT COUNT(*) FROM facilitator_notes") == 0


async def test_the_new_tables_exist_on_this_engine(services: Services) -> None:
    names = set(await table_names(services.db))
    assert {
        "guild_agreements",
        "agreement_acceptances",
        "intake_notes",
        "facilitator_notes",
    } <= names
