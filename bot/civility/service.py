"""CivilityService: check replies, and let moderators shape their guild's rules.

One compiled :class:`Engine` per guild is cached and rebuilt after any change to that guild's
policy, terms, allow-list or link settings. Flooding and repeat history is kept in memory per
(guild, author key): the windows are minutes long, so losing it on restart costs little.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.civility.engine import Engine, fingerprint
from bot.civility.lexicon import Term, default_terms, term_words
from bot.civility.model import (
    LEXICON_CATEGORIES,
    Action,
    Category,
    CheckResult,
    CivilityError,
)
from bot.civility.policy import Policy
from bot.civility.rules import Limits, LinkPolicy, Sent
from bot.labels_text import echo
from bot.sanitizer import sanitize
from bot.storage.civility import CivilityStore
from bot.storage.engine import Storage

MAX_TERM_LENGTH = 100
MAX_TERM_WORDS = 8
_HISTORY_LENGTH = 64
_HISTORY_AUTHORS = 10_000  # beyond this many, authors quiet for the whole window are dropped


@dataclass(frozen=True, slots=True)
class GuildTerm:
    term: str
    category: Category
    added_by: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Explanation:
    """What ``/civility test`` shows: the text as it would be stored, and every rule's say."""

    text: str
    action: Action
    lines: list[str]


class CivilityService:
    def __init__(
        self,
        db: Storage,
        *,
        limits: Limits | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = CivilityStore(db)
        self._limits = limits or Limits()
        self._clock = clock
        self._engines: dict[int, Engine] = {}
        self._building: dict[int, asyncio.Lock] = {}
        self._history: dict[tuple[int, str], deque[Sent]] = {}

    # -- checking ---------------------------------------------------------------------------

    async def check(
        self,
        guild_id: int,
        text: str,
        *,
        author_key: str | None = None,
        field_limit: int | None = None,
        record: bool = True,
    ) -> CheckResult:
        """Sanitize ``text`` and run every rule; the result carries the sanitized text.

        With ``author_key`` the check reads that author's flooding and repeat history and,
        with ``record``, counts towards it (call it once per submission); without, it is a dry
        run. A caller that may still fail to save the text passes ``record=False`` and calls
        :meth:`record` once it is committed: only what was saved counts as flooding.
        """
        clean = sanitize(text, limit=field_limit)
        engine = await self.engine(guild_id)
        now = self._clock()
        if author_key is None:
            return engine.check(clean, now=now)
        horizon = now - max(self._limits.flood_window, self._limits.repeat_window)
        if len(self._history) > _HISTORY_AUTHORS:
            self._forget_quiet_authors(horizon)
        history = self._history.setdefault((guild_id, author_key), deque(maxlen=_HISTORY_LENGTH))
        while history and history[0].at < horizon:
            history.popleft()
        result = engine.check(clean, history=tuple(history), now=now)
        if record:
            history.append(Sent(now, fingerprint(clean)))
        return result

    def record(self, guild_id: int, author_key: str, clean: str) -> None:
        """Count a committed submission (its sanitized text) towards flooding and repeats."""
        history = self._history.setdefault((guild_id, author_key), deque(maxlen=_HISTORY_LENGTH))
        history.append(Sent(self._clock(), fingerprint(clean)))

    def _forget_quiet_authors(self, horizon: float) -> None:
        quiet = [key for key, sent in self._history.items() if not sent or sent[-1].at < horizon]
        for key in quiet:
            del self._history[key]

    async def explain(self, guild_id: int, text: str) -> Explanation:
        result = await self.check(guild_id, text)
        return Explanation(result.text, result.action, result.explain())

    async def engine(self, guild_id: int) -> Engine:
        engine = self._engines.get(guild_id)
        if engine is None:
            # one build per guild even when many replies arrive at once on a cold cache
            async with self._building.setdefault(guild_id, asyncio.Lock()):
                engine = self._engines.get(guild_id)
                if engine is None:
                    engine = await self._build(guild_id)
                    self._engines[guild_id] = engine
        return engine

    def invalidate(self, guild_id: int) -> None:
        self._engines.pop(guild_id, None)

    async def _build(self, guild_id: int) -> Engine:
        terms = [*default_terms(), *await self._guild_terms(guild_id)]
        allowed = [a.term for a in await self._store.allowed(guild_id)]
        return Engine(terms, allowed, await self.policy(guild_id))

    async def _guild_terms(self, guild_id: int) -> list[Term]:
        return [
            Term(t.term, Category(t.category), "", "guild")
            for t in await self._store.terms(guild_id)
        ]

    # -- policy -----------------------------------------------------------------------------

    async def policy(self, guild_id: int) -> Policy:
        overrides = {
            Category(category): Action(action)
            for category, action in (await self._store.actions(guild_id)).items()
            if category in Category._value2member_map_
        }
        link_policy = await self._store.link_policy(guild_id)
        return Policy(
            actions=Policy.with_overrides(overrides).actions,
            link_policy=LinkPolicy(link_policy) if link_policy else LinkPolicy.ALLOWLIST,
            link_domains=frozenset(await self._store.link_domains(guild_id)),
            limits=self._limits,
        )

    async def set_action(
        self,
        guild_id: int,
        category: str | Category,
        action: str | Action,
        moderator_id: int | None = None,
    ) -> None:
        cat = Category.parse(category)
        act = Action.parse(action)
        await self._store.set_action(guild_id, cat.value, act.value, moderator_id)
        self.invalidate(guild_id)

    async def set_link_policy(
        self, guild_id: int, policy: str | LinkPolicy, moderator_id: int | None = None
    ) -> None:
        try:
            value = LinkPolicy(str(policy).strip().lower())
        except ValueError:
            names = ", ".join(p.value for p in LinkPolicy)
            raise CivilityError(
                "civility.error.link_policy", value=echo(policy), names=names
            ) from None
        await self._store.set_link_policy(guild_id, value.value, moderator_id)
        self.invalidate(guild_id)

    async def add_link_domain(self, guild_id: int, domain: str, moderator_id: int) -> str:
        clean = _domain(domain)
        if not await self._store.add_link_domain(guild_id, clean, moderator_id):
            raise CivilityError("civility.error.site_listed", site=clean)
        self.invalidate(guild_id)
        return clean

    async def remove_link_domain(self, guild_id: int, domain: str) -> str:
        clean = _domain(domain)
        if not await self._store.remove_link_domain(guild_id, clean):
            raise CivilityError("civility.error.site_not_listed", site=clean)
        self.invalidate(guild_id)
        return clean

    async def link_domains(self, guild_id: int) -> list[str]:
        return await self._store.link_domains(guild_id)

    # -- terms and allow-list ---------------------------------------------------------------

    async def add_term(
        self, guild_id: int, term: str, category: str | Category, moderator_id: int
    ) -> GuildTerm:
        cat = Category.parse(category, lexical_only=True)
        clean, key = _term(term)
        for existing in default_terms():
            if existing.category is cat and " ".join(term_words(existing.term)) == key:
                raise CivilityError("civility.error.term_default", term=clean, category=cat.value)
        if not await self._store.add_term(guild_id, clean, key, cat.value, moderator_id):
            raise CivilityError("civility.error.term_listed", term=clean)
        self.invalidate(guild_id)
        stored = next(t for t in await self._store.terms(guild_id) if t.term_key == key)
        return GuildTerm(stored.term, cat, stored.added_by, stored.created_at)

    async def remove_term(self, guild_id: int, term: str) -> None:
        clean, key = _term(term)
        if not await self._store.remove_term(guild_id, key):
            raise CivilityError("civility.error.term_not_listed", term=clean)
        self.invalidate(guild_id)

    async def list_terms(self, guild_id: int) -> list[GuildTerm]:
        return [
            GuildTerm(t.term, Category(t.category), t.added_by, t.created_at)
            for t in await self._store.terms(guild_id)
            if t.category in Category._value2member_map_
        ]

    async def add_allow(self, guild_id: int, term: str, moderator_id: int) -> str:
        clean, key = _term(term)
        if not await self._store.add_allow(guild_id, clean, key, moderator_id):
            raise CivilityError("civility.error.allow_listed", term=clean)
        self.invalidate(guild_id)
        return clean

    async def remove_allow(self, guild_id: int, term: str) -> None:
        clean, key = _term(term)
        if not await self._store.remove_allow(guild_id, key):
            raise CivilityError("civility.error.allow_not_listed", term=clean)
        self.invalidate(guild_id)

    async def list_allow(self, guild_id: int) -> list[str]:
        return [a.term for a in await self._store.allowed(guild_id)]


def _term(raw: str) -> tuple[str, str]:
    """A moderator's term, sanitized and checked, with its normalized key."""
    if len(raw) > MAX_TERM_LENGTH * 4:
        raise CivilityError("civility.error.term_length", max=MAX_TERM_LENGTH)
    clean = " ".join(sanitize(raw).split())
    if not clean:
        raise CivilityError("civility.error.term_empty")
    if len(clean) > MAX_TERM_LENGTH:
        raise CivilityError("civility.error.term_length", max=MAX_TERM_LENGTH)
    words = term_words(clean)
    if not words:
        raise CivilityError("civility.error.term_no_letters")
    if len(words) > MAX_TERM_WORDS:
        raise CivilityError("civility.error.term_words", max=MAX_TERM_WORDS)
    return clean, " ".join(words)


def _domain(raw: str) -> str:
    value = raw.strip().lower()
    for prefix in ("https://", "http://"):
        value = value.removeprefix(prefix)
    value = value.split("/", 1)[0].removeprefix("www.").rstrip(".")
    if not value or "." not in value or any(c.isspace() for c in value) or len(value) > 253:
        raise CivilityError("civility.error.site_name", value=echo(raw))
    return value


__all__ = [
    "LEXICON_CATEGORIES",
    "CivilityService",
    "Explanation",
    "GuildTerm",
]
