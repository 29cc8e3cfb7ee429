"""What a member is told about a case, as message ids with parameters, so it is shown in the
member's language when it reaches them (a DM now, or a pending notice on their next visit).

A notice is a list of lines, each a message id of :mod:`bot.i18n` and its parameters. A
parameter may itself be a message (``{"key": ..., "params": {...}}``), translated in the same
language, and the case numbers a decision assigns are filled in when it is written: the value
``"#case"`` becomes this case's number, ``"#cases"`` every number of the decision so far
("12, 13"). Rows written before notices were ids keep their English text (``legacy``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.i18n import SOURCE, translate

THIS_CASE = "#case"
EVERY_CASE = "#cases"


@dataclass(frozen=True, slots=True)
class Mention:
    """A member named in a message: the cogs render it as a Discord mention."""

    user_id: int

    def __str__(self) -> str:  # English logs and tests; Discord shows the mention
        return f"member {self.user_id}"


@dataclass(frozen=True, slots=True)
class Moment:
    """A time in a message: the cogs render it as a Discord timestamp in the reader's zone."""

    at: datetime

    def __str__(self) -> str:
        return self.at.isoformat(timespec="seconds")


def nested(key: str, **params: object) -> dict[str, object]:
    """A parameter that is itself a message, translated in the notice's language."""
    return {"key": key, "params": params}


@dataclass(frozen=True, slots=True)
class Line:
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Notice:
    lines: tuple[Line, ...] = ()
    legacy: str | None = None

    @classmethod
    def of(cls, key: str, **params: object) -> Notice:
        return cls((Line(key, dict(params)),))

    def then(self, key: str, **params: object) -> Notice:
        return Notice((*self.lines, Line(key, dict(params))), self.legacy)

    def numbered(self, numbers: list[int]) -> Notice:
        """The notice with ``#case``/``#cases`` replaced by the decision's case numbers."""
        if not numbers:
            return self

        def fill(value: Any) -> Any:
            if value == THIS_CASE:
                return numbers[-1]
            if value == EVERY_CASE:
                return ", ".join(str(n) for n in numbers)
            if isinstance(value, dict):
                return {k: fill(v) for k, v in value.items()}
            return value

        return Notice(tuple(Line(ln.key, fill(ln.params)) for ln in self.lines), self.legacy)

    def render(self, lang: str) -> str:
        if not self.lines:
            return self.legacy or ""
        return " ".join(translate(ln.key, lang, **_params(ln.params, lang)) for ln in self.lines)

    @property
    def text(self) -> str:
        """In English: for the table's ``text`` column, tests and old readers."""
        return self.render(SOURCE)

    def to_json(self) -> str:
        return json.dumps([[ln.key, ln.params] for ln in self.lines], ensure_ascii=False)

    @classmethod
    def from_row(cls, message: str | None, text: str) -> Notice:
        if not message:
            return cls(legacy=text)
        return cls(tuple(Line(str(k), dict(p)) for k, p in json.loads(message)))


def _params(params: dict[str, Any], lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, dict) and "key" in value:
            out[name] = translate(str(value["key"]), lang, **_params(value["params"], lang))
        else:
            out[name] = value
    return out


def duration_message(duration: timedelta) -> dict[str, object]:
    """A duration as a nested message in the largest whole unit ("7 days", "90 minutes")."""
    seconds = int(duration.total_seconds())
    units = (
        ("duration.week", 604800),
        ("duration.day", 86400),
        ("duration.hour", 3600),
        ("duration.minute", 60),
    )
    for key, size in units:
        if seconds >= size and seconds % size == 0:
            return nested(key, count=seconds // size)
    return nested("duration.minute", count=max(1, round(seconds / 60)))
