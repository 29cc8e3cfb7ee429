"""The compiled engine for one guild: its lexicon, its rules and its policy.

``check`` is synchronous CPU work meant to run on the event loop; it is a few dict lookups
per token plus a handful of C-level regex scans, well under a millisecond for a long reply.

Quoted to condemn: a member who reports a slur said to them ("they called us “хачи”", "он
назвал меня ...", "the word X is hate speech") is not using it. A lexicon finding inside
quotation marks, or a few words after a reporting verb ("called", "назвали", "ասում էին",
"deyirdilər"), is held for a moderator instead of blocked; it is never allowed outright,
because quoting is also an evasion.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

import regex

from bot.civility.lexicon import CompiledLexicon, Term, compile_lexicon, default_allowed
from bot.civility.model import (
    QUOTED_MESSAGE,
    REASON_MESSAGES,
    Action,
    Category,
    CheckResult,
    Verdict,
    most_severe,
)
from bot.civility.normalize import skeleton
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
        self.lexicon: CompiledLexicon = compile_lexicon(terms, [*default_allowed(), *allowed])
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
                action = self.policy.action_for(finding.category)
                message_id = REASON_MESSAGES[finding.category]
                explanation = finding.explanation
                if (
                    action is Action.BLOCK
                    and finding.category.is_lexical
                    and quoted_to_condemn(text, finding.start, finding.end)
                ):
                    action = Action.HOLD
                    message_id = QUOTED_MESSAGE
                    explanation += " It reads as quoted to condemn, so a moderator will look."
                verdicts.append(
                    Verdict(
                        rule=finding.rule,
                        category=finding.category,
                        action=action,
                        start=finding.start,
                        end=finding.end,
                        matched=text[finding.start : finding.end],
                        explanation=explanation,
                        term=finding.term,
                        message_id=message_id,
                        params=(("category", finding.category.value), *finding.params),
                    )
                )
        if not verdicts:
            return CheckResult(text=text, action=Action.ALLOW, verdicts=())
        verdicts.sort(key=lambda v: (-v.action.severity, v.start, v.rule))
        action = most_severe([v.action for v in verdicts])
        return CheckResult(text=text, action=action, verdicts=tuple(verdicts))


_OPENING_QUOTES = '"“«„‘'
_CLOSING_QUOTES = '"”»“’'
_WORDS = regex.compile(r"[\w'’-]+")
# Reporting verbs and nouns that introduce a word someone else used (drafted; native review).
REPORTING = frozenset(
    skeleton(word)
    for word in [
        "called",
        "call",
        "calls",
        "calling",
        "named",
        "word",
        "words",
        "slur",
        "slurs",
        "said",
        "say",
        "says",
        "shouted",
        "chanted",
        "wrote",
        "writes",
        "yelled",
        "insult",
        "insults",
        "term",
        "назвал",
        "назвали",
        "называли",
        "называют",
        "обзывали",
        "обзывают",
        "слово",
        "словом",
        "слова",
        "кричали",
        "говорят",
        "говорили",
        "писали",
        "пишут",
        "оскорбление",
        "անվանում",
        "կանչում",
        "կանչեցին",
        "ասում",
        "ասացին",
        "բառը",
        "բառով",
        "գոռում",
        "գրում",
        "վիրավորանք",
        "deyirdilər",
        "dedilər",
        "deyirlər",
        "deyir",
        "söz",
        "sözü",
        "sözünü",
        "çağırırdılar",
        "adlandırırlar",
        "adlandırırdılar",
        "yazırdılar",
        "qışqırırdılar",
        "təhqir",
    ]
)


def quoted_to_condemn(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` in quotation marks on its line, or a few words after a
    reporting verb ("they called us ...")?"""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[max(line_start, start - 80) : start]
    after = text[end : min(line_end, end + 80)]
    if any(q in before for q in _OPENING_QUOTES) and any(q in after for q in _CLOSING_QUOTES):
        return True
    preceding = _WORDS.findall(text[max(line_start, start - 60) : start])[-4:]
    return any(skeleton(word) in REPORTING for word in preceding)


__all__ = ["Category", "Engine", "fingerprint", "quoted_to_condemn"]
