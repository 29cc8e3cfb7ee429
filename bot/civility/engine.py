"""The compiled engine for one guild: its lexicon, its rules and its policy.

``check`` is synchronous CPU work meant to run on the event loop; it is a few dict lookups
per token plus a handful of C-level regex scans, well under a millisecond for a long reply.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from bot.civility.lexicon import CompiledLexicon, Term, compile_lexicon
from bot.civility.model import Action, CheckResult, Verdict, most_severe
from bot.civility.policy import Policy
from bot.civility.rules import (
    Context,
    EmojiRule,
    FloodingRule,
    LexiconRule,
    LinkRule,
    MentionRule,
    RepeatRule,
    Rule,
    Sent,
    ShoutingRule,
)


def fingerprint(text: str) -> str:
    """What counts as "the same text" for the repeat rule."""
    return " ".join(text.casefold().split())


class Engine:
    def __init__(
        self, terms: Iterable[Term], allowed: Iterable[str] = (), policy: Policy | None = None
    ) -> None:
        self.policy = policy or Policy()
        self.lexicon: CompiledLexicon = compile_lexicon(terms, allowed)
        limits = self.policy.limits
        self.rules: tuple[Rule, ...] = (
            LexiconRule(self.lexicon),
            ShoutingRule(limits),
            FloodingRule(limits),
            RepeatRule(limits),
            LinkRule(self.policy.link_policy, self.policy.link_domains),
            MentionRule(limits),
            EmojiRule(limits),
        )

    def check(
        self, text: str, *, history: Sequence[Sent] = (), now: float | None = None
    ) -> CheckResult:
        """Check already-sanitized text. ``history`` is the author's recent replies."""
        ctx = Context(
            text=text,
            now=time.monotonic() if now is None else now,
            history=history,
            fingerprint=fingerprint(text) if history else "",
        )
        verdicts: list[Verdict] = []
        for rule in self.rules:
            for finding in rule.check(ctx):
                verdicts.append(
                    Verdict(
                        rule=finding.rule,
                        category=finding.category,
                        action=self.policy.action_for(finding.category),
                        start=finding.start,
                        end=finding.end,
                        matched=text[finding.start : finding.end],
                        explanation=finding.explanation,
                        term=finding.term,
                    )
                )
        if not verdicts:
            return CheckResult(text=text, action=Action.ALLOW, verdicts=())
        verdicts.sort(key=lambda v: (-v.action.severity, v.start, v.rule))
        action = most_severe([v.action for v in verdicts])
        return CheckResult(text=text, action=action, verdicts=tuple(verdicts))
