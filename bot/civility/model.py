"""The data the civility engine speaks in: categories, actions, verdicts, results, errors."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.errors import InvalidInput
from bot.labels_text import echo


class CivilityError(InvalidInput):
    """Bad input from a moderator; ``message`` is one friendly sentence to show them."""


class Action(StrEnum):
    """What happens to a reply. Ordered by severity: allow < nudge < hold < block."""

    ALLOW = "allow"
    NUDGE = "nudge"  # the author sees what tripped, may rephrase or submit anyway (then: hold)
    HOLD = "hold"  # stored, published only after a moderator approves
    BLOCK = "block"  # not published; the author is told which rule and why, and keeps the text

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    @classmethod
    def parse(cls, value: str) -> Action:
        try:
            return cls(value.strip().lower())
        except ValueError:
            names = ", ".join(a.value for a in cls)
            raise CivilityError("civility.error.action", value=echo(value), names=names) from None


_SEVERITY = {Action.ALLOW: 0, Action.NUDGE: 1, Action.HOLD: 2, Action.BLOCK: 3}


class Category(StrEnum):
    SLUR = "slur"
    DEHUMANIZATION = "dehumanization"
    THREAT = "threat"  # threats and incitement
    PROFANITY = "profanity"
    HARASSMENT = "harassment"
    SHOUTING = "shouting"
    FLOODING = "flooding"
    REPEAT = "repeat"
    LINK = "link"
    MENTION_SPAM = "mention_spam"
    EMOJI_SPAM = "emoji_spam"

    @property
    def is_lexical(self) -> bool:
        return self in LEXICON_CATEGORIES

    @classmethod
    def parse(cls, value: str, *, lexical_only: bool = False) -> Category:
        allowed = LEXICON_CATEGORIES if lexical_only else tuple(cls)
        try:
            category = cls(value.strip().lower())
        except ValueError:
            category = None
        if category is None or category not in allowed:
            names = ", ".join(c.value for c in allowed)
            raise CivilityError("civility.error.category", value=echo(value), names=names)
        return category


LEXICON_CATEGORIES = (
    Category.SLUR,
    Category.DEHUMANIZATION,
    Category.THREAT,
    Category.PROFANITY,
    Category.HARASSMENT,
)

# The catalog message (bot/data/locales) that tells a member why, per category.
REASON_MESSAGES: dict[Category, str] = {
    Category.SLUR: "civility.reason.slur",
    Category.DEHUMANIZATION: "civility.reason.dehumanization",
    Category.THREAT: "civility.reason.threat",
    Category.PROFANITY: "civility.reason.profanity",
    Category.HARASSMENT: "civility.reason.harassment",
    Category.SHOUTING: "civility.reason.shouting",
    Category.FLOODING: "civility.reason.flooding",
    Category.REPEAT: "civility.reason.repeat",
    Category.LINK: "civility.reason.link",
    Category.MENTION_SPAM: "civility.reason.mention_spam",
    Category.EMOJI_SPAM: "civility.reason.emoji_spam",
}
QUOTED_MESSAGE = "civility.reason.quoted"

DEFAULT_ACTIONS: dict[Category, Action] = {category: Action.NUDGE for category in Category} | {
    Category.SLUR: Action.BLOCK,
    Category.DEHUMANIZATION: Action.HOLD,
    Category.THREAT: Action.HOLD,
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """One rule's finding. ``start``/``end`` index the sanitized text; ``matched`` is that slice."""

    rule: str
    category: Category
    action: Action
    start: int
    end: int
    matched: str
    explanation: str
    term: str | None = None  # the lexicon term that matched, for lexicon rules
    # The reason as a catalog message (bot/data/locales) and its parameters, so the member
    # reads it in their language: "civility.reason.<category>" or "civility.reason.quoted".
    message_id: str = ""
    params: tuple[tuple[str, str], ...] = ()
    # The reply field the verdict was found in ("brings_up", "question", …), set by the reply
    # service after the check; "" for a text that is not a reply or a rule about the whole text.
    field: str = ""

    def record(self) -> dict[str, str]:
        """What a reply keeps of the verdict (its ``civility_detail``), for moderators and
        /mydata; offsets are not kept, the text they index may be edited."""
        return {
            "rule": self.rule,
            "category": self.category.value,
            "action": self.action.value,
            "matched": self.matched,
            "field": self.field,
            "explanation": self.explanation,
        }

    @classmethod
    def from_record(cls, record: dict[str, object]) -> Verdict | None:
        """The verdict a reply kept, or None when the record is not one (a damaged row)."""
        try:
            category = Category(str(record["category"]))
            action = Action(str(record["action"]))
        except (KeyError, ValueError):
            return None
        return cls(
            rule=str(record.get("rule", "")),
            category=category,
            action=action,
            start=-1,
            end=-1,
            matched=str(record.get("matched", "")),
            explanation=str(record.get("explanation", "")),
            field=str(record.get("field", "")),
        )

    def describe(self) -> str:
        where = f"“{self.matched}”" if self.matched else "the message"
        return f"[{self.action.value}] {self.rule} ({self.category.value}) at {where}: " + (
            self.explanation
        )


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The sanitized text, the most severe action over all verdicts, and every verdict."""

    text: str
    action: Action
    verdicts: tuple[Verdict, ...]

    @property
    def allowed(self) -> bool:
        return self.action is Action.ALLOW

    def action_if_submitted_anyway(self) -> Action:
        """A nudged author may submit unchanged; the reply is then held for a moderator."""
        return Action.HOLD if self.action is Action.NUDGE else self.action

    def explain(self) -> list[str]:
        """One line per verdict (or one saying nothing tripped), for /civility test."""
        if not self.verdicts:
            return ["[allow] no rule objects to this text."]
        return [verdict.describe() for verdict in self.verdicts]


def dump_verdicts(verdicts: Iterable[Verdict]) -> str:
    """The verdicts as a reply stores them (``civility_detail``): a JSON list of records."""
    return json.dumps([v.record() for v in verdicts], ensure_ascii=False)


def load_verdicts(detail: str) -> tuple[Verdict, ...]:
    """The verdicts a reply stored; a damaged record is left out rather than failing the queue."""
    try:
        parsed = json.loads(detail)
    except ValueError:
        return ()
    if not isinstance(parsed, list):
        return ()
    found = (Verdict.from_record(r) for r in parsed if isinstance(r, dict))
    return tuple(v for v in found if v is not None)


def most_severe(actions: list[Action]) -> Action:
    return max(actions, key=lambda a: a.severity, default=Action.ALLOW)
