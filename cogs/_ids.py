"""Every custom_id Track Two puts on a component or a form, written once.

A custom_id carries the ids its handler needs, so buttons and forms keep working after a
restart. Each format below is the one place its shape is written: the builder, the parser and
the DynamicItem template (:class:`cogs._persistent.PersistentItem`) all derive from it, and
``tests/unit/test_layers.py`` fails when two formats (or two registered templates) could match
one custom_id.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.dialogue.models import EndorsementKind
from bot.moderation.models import ITEM_KEY_PATTERN, canonical_key

CUSTOM_ID_MAX = 100  # Discord's limit


@dataclass(frozen=True, slots=True)
class Field:
    """One ``{name}`` of a format: the text it matches, and how it reads and writes a value."""

    pattern: str
    decode: Callable[[str], Any] = str
    encode: Callable[[Any], str] = str
    samples: tuple[str, ...] = ("1",)  # texts it matches, for the overlap test


NUMBER = Field("[0-9]+", int, str, ("1", "90210"))
ANY_WORD = Field("[a-z]+", str, str, ("x", "next"))


def choice(values: Mapping[str, Any]) -> Field:
    """A field that is one of a few codes, each standing for a value (a bool, an enum, a str)."""
    codes = {value: code for code, value in values.items()}
    return Field(
        "|".join(re.escape(code) for code in values),
        values.__getitem__,
        codes.__getitem__,
        tuple(values),
    )


def words(*names: str) -> Field:
    """A field that is one of ``names``, read and written as itself."""
    return choice({name: name for name in names})


@dataclass(frozen=True, slots=True)
class IdFormat:
    """``"t2:share:{round_id}"`` with a :class:`Field` per ``{name}``."""

    format: str
    fields: Mapping[str, Field] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [name for _, name, _, _ in string.Formatter().parse(self.format) if name]
        if sorted(names) != sorted(self.fields):
            raise ValueError(f"{self.format!r}: fields {sorted(self.fields)} do not match")

    @property
    def template(self) -> str:
        """The regular expression a DynamicItem (or a form listener) matches in full."""
        parts = []
        for literal, name, _, _ in string.Formatter().parse(self.format):
            parts.append(re.escape(literal))
            if name:
                parts.append(f"(?P<{name}>{self.fields[name].pattern})")
        return "".join(parts)

    def build(self, **values: Any) -> str:
        text = self.format.format(
            **{name: self.fields[name].encode(value) for name, value in values.items()}
        )
        if len(text) > CUSTOM_ID_MAX or re.fullmatch(self.template, text) is None:
            raise ValueError(f"{text!r} is not a valid {self.format!r}")
        return text

    def decode(self, match: re.Match[str]) -> dict[str, Any]:
        return {name: spec.decode(match[name]) for name, spec in self.fields.items()}

    def parse(self, custom_id: str) -> dict[str, Any] | None:
        """The values in ``custom_id``, or None when it is not of this format."""
        match = re.fullmatch(self.template, custom_id)
        return None if match is None else self.decode(match)

    def sample(self) -> str:
        """One custom_id of this format."""
        return self.samples()[0]

    def samples(self) -> list[str]:
        """custom_ids of this format, every sample of every field (for the overlap test)."""
        found = [""]
        for literal, name, _, _ in string.Formatter().parse(self.format):
            options = self.fields[name].samples if name else ("",)
            found = [f"{head}{literal}{option}" for head in found for option in options]
        return found


# dialogue -------------------------------------------------------------------------------

SHARE = IdFormat("t2:share:{round_id}", {"round_id": NUMBER})
"""The "Share your perspective" button on a round's prompt."""

ENDORSE_CODES = {
    "r": EndorsementKind.RESONATES,
    "l": EndorsementKind.LEARNED,
    "d": EndorsementKind.DISAGREE,
}
ENDORSE = IdFormat(
    "t2:endorse:{kind}:{reply_id}", {"kind": choice(ENDORSE_CODES), "reply_id": NUMBER}
)
"""An endorsement button on a published reply."""

DRAFT = IdFormat(
    "t2:draft:{action}:{reply_id}",
    {"action": words("rephrase", "anyway", "withdraw"), "reply_id": NUMBER},
)
"""The private answers about a reply: rephrase a draft, submit it anyway, confirm a withdrawal."""

REPLY = IdFormat(
    "t2:reply:{mode}:{target_id}", {"mode": words("new", "revise", "edit"), "target_id": NUMBER}
)
"""The reply form: a round id for "new", a reply id for "revise" and "edit"."""

SUBMISSION_KEY = Field("[0-9a-f]{16}", str, str, ("0123456789abcdef",))
REPLY_KEYED = IdFormat(
    "t2:reply:new:{target_id}:{key}", {"target_id": NUMBER, "key": SUBMISSION_KEY}
)
"""The new-reply form with the submission key issued when it opened: a second submit of the
same form (after a kill, a restart or a slow answer) finds the reply the first one created."""

REPLY_CHANGE_KEYED = IdFormat(
    "t2:reply:{mode}:{target_id}:{key}",
    {"mode": words("revise", "edit"), "target_id": NUMBER, "key": SUBMISSION_KEY},
)
"""The forms that change a reply (rephrase a draft, edit a reply) with the submission key
issued when they opened: a second submit of the same form gets the first change's receipt."""

REPORT = IdFormat("t2:report:{reply_id}", {"reply_id": NUMBER})
"""The Report button on a published reply (the moderation extension answers it)."""

# bridging -------------------------------------------------------------------------------

READ = IdFormat("t2:read:{round_id}", {"round_id": NUMBER})
"""The "Read replies" button on a round's prompt (and "Next" in the private reading view)."""

READ_SKIP = IdFormat("t2:readskip:{round_id}:{reply_id}", {"round_id": NUMBER, "reply_id": NUMBER})
""""Skip" in the private reading view: remembered per reader key, then the next reply."""

RESPOND = IdFormat("t2:respond:{reply_id}", {"reply_id": NUMBER})
"""The Respond (or "Answer the question") button on a published reply."""

RESPOND_FORM = IdFormat("t2:respondform:{reply_id}", {"reply_id": NUMBER})
"""The response form for a reply (as opened before submission keys)."""

RESPOND_FORM_KEYED = IdFormat(
    "t2:respondform:{reply_id}:{key}", {"reply_id": NUMBER, "key": SUBMISSION_KEY}
)
"""The response form with the submission key issued when it opened: a second submit of the
same form gets the first response's receipt."""

# communities and /mydata ----------------------------------------------------------------

JOIN = IdFormat("t2:join")
"""The community picker of /community join."""

VERIFY = IdFormat(
    "t2:verify:{approve}:{request_id}",
    {"approve": choice({"a": True, "d": False}), "request_id": NUMBER},
)
"""A moderator's Approve/Deny on a join request."""

MYDATA = IdFormat(
    "t2:mydata:{confirm}:{issued}",
    {"confirm": choice({"confirm": True, "cancel": False}), "issued": NUMBER},
)
"""Confirm or cancel /mydata delete; ``issued`` is the Unix time the question was asked."""

# moderation -----------------------------------------------------------------------------

QUEUE_KEY = Field(
    ITEM_KEY_PATTERN,
    canonical_key,
    str,
    ("held:1", "report:2", "appeal:3", "paired:4", "r:5", "p:6", "a:7", "c:8"),
)
"""A review queue item's key, defined once by bot.moderation.models.ItemKind; an old button's
one-letter key (``r:12``) reads as today's (``held:12``)."""

MOD = IdFormat("t2:mod:{action}:{key}", {"action": ANY_WORD, "key": QUEUE_KEY})
"""A decision button on a queue item (unknown actions read as "next")."""

MODTO = IdFormat("t2:modto:{key}", {"key": QUEUE_KEY})
"""The "remove + time out for…" select on a queue item."""

MODDECIDE = IdFormat(
    "t2:moddecide:{action}:{key}",
    {"action": words("uphold", "overturn", "confirm"), "key": QUEUE_KEY},
)
"""The form of a decision that carries a note."""

REPORT_FORM = IdFormat("t2:reportform:{reply_id}", {"reply_id": NUMBER})
"""The report form for a reply."""

REPORT_MESSAGE_FORM = IdFormat(
    "t2:reportmsg:{channel_id}:{message_id}", {"channel_id": NUMBER, "message_id": NUMBER}
)
"""The report form for a message in the dialogue channel (the context menu); the channel is in
it so that a form open across a restart finds the message again."""

# intake: group agreements and the note to the facilitators ------------------------------

AGREEMENT_VERSION = Field("[0-9a-f]{12}", str, str, ("0123456789ab",))
THEN = words("reply", "respond")
"""What the member was about to do: write a reply (target: a round) or respond (a reply)."""

AGREE = IdFormat(
    "t2:agree:{then}:{target_id}:{version}",
    {"then": THEN, "target_id": NUMBER, "version": AGREEMENT_VERSION},
)
"""Accept the server's group agreements (that version), then open the form the member wanted."""

INTAKE_NOTE = IdFormat("t2:intakenote:{then}:{target_id}", {"then": THEN, "target_id": NUMBER})
"""Open the optional private note to the facilitators, from the agreements message."""

INTAKE_FORM = IdFormat("t2:intakeform:{then}:{target_id}", {"then": THEN, "target_id": NUMBER})
"""The note to the facilitators; its answer offers the agreements' Accept button again."""

AGREEMENTS_FORM = IdFormat("t2:agreementsform")
"""The /setup agreements form (server admins)."""
# circles ----------------------------------------------------------------------------------

CIRCLE_SHARE = IdFormat(
    "t2:cshare:{circle_id}:{round_id}", {"circle_id": NUMBER, "round_id": NUMBER}
)
""""Share your perspective" on a round's excerpt posted in a circle's private thread."""

CIRCLE_REPLY = IdFormat(
    "t2:creply:{circle_id}:{round_id}:{key}",
    {"circle_id": NUMBER, "round_id": NUMBER, "key": SUBMISSION_KEY},
)
"""The new-reply form opened in a circle (the same form; its key as in REPLY_KEYED)."""

# server setup -----------------------------------------------------------------------------

SETUP_FIX = IdFormat("t2:setupfix")
"""The "Fix what I can" button under /setup check (server admins only)."""

ALL: tuple[IdFormat, ...] = (
    SHARE,
    READ,
    READ_SKIP,
    ENDORSE,
    DRAFT,
    REPLY,
    REPLY_KEYED,
    REPLY_CHANGE_KEYED,
    REPORT,
    RESPOND,
    RESPOND_FORM,
    RESPOND_FORM_KEYED,
    JOIN,
    VERIFY,
    MYDATA,
    MOD,
    MODTO,
    MODDECIDE,
    REPORT_FORM,
    REPORT_MESSAGE_FORM,
    SETUP_FIX,
    AGREE,
    INTAKE_NOTE,
    INTAKE_FORM,
    AGREEMENTS_FORM,
    CIRCLE_SHARE,
    CIRCLE_REPLY,
)
