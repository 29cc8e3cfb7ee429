"""Civility: rules that read each reply and say allow, nudge, hold or block, and why."""

from bot.civility.engine import Engine
from bot.civility.lexicon import Term, compile_lexicon, default_terms
from bot.civility.model import (
    DEFAULT_ACTIONS,
    LEXICON_CATEGORIES,
    Action,
    Category,
    CheckResult,
    CivilityError,
    Verdict,
    dump_verdicts,
    load_verdicts,
)
from bot.civility.policy import Policy
from bot.civility.rules import Limits, LinkPolicy

__all__ = [
    "DEFAULT_ACTIONS",
    "LEXICON_CATEGORIES",
    "Action",
    "Category",
    "CheckResult",
    "CivilityError",
    "Engine",
    "Limits",
    "LinkPolicy",
    "Policy",
    "Term",
    "Verdict",
    "compile_lexicon",
    "default_terms",
    "dump_verdicts",
    "load_verdicts",
]
