"""The moderation custom_ids carry queue item keys of the one definition (ItemKind)."""

from __future__ import annotations

import re

import pytest

from bot.moderation.models import ItemKind, item_key
from cogs import _ids as ids


@pytest.mark.parametrize("kind", list(ItemKind))
def test_every_kind_round_trips_through_every_moderation_id(kind: ItemKind) -> None:
    key = item_key(kind, 4242)
    assert ids.MOD.parse(ids.MOD.build(action="approve", key=key)) == {
        "action": "approve",
        "key": key,
    }
    assert ids.MODTO.parse(ids.MODTO.build(key=key)) == {"key": key}
    decide = ids.MODDECIDE.build(action="confirm", key=key)
    assert ids.MODDECIDE.parse(decide) == {"action": "confirm", "key": key}


def test_an_old_buttons_key_reads_as_todays() -> None:
    assert ids.MOD.parse("t2:mod:remove:r:12") == {"action": "remove", "key": "held:12"}
    assert ids.MODTO.parse("t2:modto:p:3") == {"key": "report:3"}
    assert ids.MODDECIDE.parse("t2:moddecide:uphold:a:7") == {
        "action": "uphold",
        "key": "appeal:7",
    }
    assert ids.MODDECIDE.parse("t2:moddecide:confirm:c:9") == {
        "action": "confirm",
        "key": "paired:9",
    }


def test_what_is_not_a_queue_key_does_not_parse() -> None:
    for wrong in ("t2:modto:z:1", "t2:modto:held:", "t2:modto:heldx:1", "t2:modto:held:1x"):
        assert ids.MODTO.parse(wrong) is None
    assert ids.MODDECIDE.parse("t2:moddecide:approve:held:1") is None  # not a form's action
    assert ids.REPORT.parse(ids.REPORT_FORM.build(reply_id=5)) is None


def test_the_longest_ids_fit_discord() -> None:
    longest = item_key(ItemKind.REPORT, 2**63)
    for custom_id in (
        ids.MOD.build(action="overturn", key=longest),
        ids.MODTO.build(key=longest),
        ids.MODDECIDE.build(action="overturn", key=longest),
    ):
        assert len(custom_id) <= ids.CUSTOM_ID_MAX


def test_no_two_formats_match_one_custom_id() -> None:
    for fmt in ids.ALL:
        sample = fmt.sample()
        matching = [other.format for other in ids.ALL if re.fullmatch(other.template, sample)]
        assert matching == [fmt.format]
