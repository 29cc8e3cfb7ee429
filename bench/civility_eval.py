"""Scoring of the labelled evaluation set tests/data/civility_eval.jsonl (issue 16): recall
per language, script and evasion kind, and false flags on hard negatives per kind. Shared by
``bench/bench_civility.py`` (which prints the tables beside the baselines) and
``tests/unit/test_civility_eval.py`` (which asserts the goals)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.civility import Action, Engine
from bot.sanitizer import sanitize

EVAL = Path(__file__).parents[1] / "tests" / "data" / "civility_eval.jsonl"
# Goals: recall in every language, script and evasion kind; hard negatives held or nudged
# (quotes excepted: quoting to condemn may go to a moderator); testimony never blocked.
RECALL_GOAL = 0.90
FALSE_FLAG_GOAL = 0.05


def load() -> list[dict[str, str]]:
    return [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines()]


@dataclass
class Tally:
    hits: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 0.0


@dataclass
class EvalReport:
    recall: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    flagged: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))  # hits = flagged
    blocked: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))  # hits = blocked


def score(engine: Engine, rows: list[dict[str, str]] | None = None) -> EvalReport:
    report = EvalReport()
    for row in rows or load():
        result = engine.check(sanitize(row["text"]))
        lexical = {v.category.value for v in result.verdicts if v.rule.startswith("lexicon")}
        where = f"{row['language']}/{row['script']}"
        if row["label"] == "abuse":
            ok = row["category"] in lexical and result.action is not Action.ALLOW
            for key in (
                f"language {row['language']}",
                f"script {where}",
                f"evasion {row['evasion']}",
            ):
                tally = report.recall[key]
                tally.hits += ok
                tally.total += 1
                if not ok:
                    tally.misses.append(f"{where} {row['evasion']}: {row['text']!r}")
        else:
            kind = row["kind"]
            flagged = result.action is not Action.ALLOW
            blocked = result.action is Action.BLOCK
            for key in (f"{kind}", f"{kind} {row['language']}"):
                tally = report.flagged[key]
                tally.hits += flagged
                tally.total += 1
                if flagged:
                    tally.misses.append(f"{where} {result.action.value}: {row['text']!r}")
                btally = report.blocked[key]
                btally.hits += blocked
                btally.total += 1
    return report


def score_matcher(
    matcher: Callable[[str], bool], rows: list[dict[str, str]] | None = None
) -> dict[str, Tally]:
    """Recall per evasion kind of a baseline that only says "something matched"."""
    recall: dict[str, Tally] = defaultdict(Tally)
    for row in rows or load():
        if row["label"] != "abuse":
            continue
        tally = recall[row["evasion"]]
        tally.hits += matcher(row["text"])
        tally.total += 1
    return recall


def render(report: EvalReport) -> str:
    lines = ["  recall (abuse caught with its category)        rate      n"]
    for key in sorted(report.recall):
        tally = report.recall[key]
        lines.append(f"    {key:44}{tally.rate:6.1%}{tally.total:7d}")
    lines.append("  hard negatives held or nudged (blocked)       rate      n")
    for key in sorted(report.flagged):
        tally = report.flagged[key]
        blocked = report.blocked[key]
        lines.append(f"    {key:44}{tally.rate:6.1%}{tally.total:7d}   blocked {blocked.hits}")
    return "\n".join(lines)


def goal_failures(report: EvalReport) -> list[str]:
    failures = []
    for key, tally in report.recall.items():
        if tally.rate < RECALL_GOAL:
            failures.append(f"recall {key} {tally.rate:.1%}: " + "; ".join(tally.misses[:8]))
    hard = [t for k, t in report.flagged.items() if " " not in k and k != "quote"]
    flagged = sum(t.hits for t in hard)
    total = sum(t.total for t in hard)
    if total and flagged / total > FALSE_FLAG_GOAL:
        misses = [m for t in hard for m in t.misses]
        failures.append(f"hard negatives flagged {flagged}/{total}: " + "; ".join(misses[:10]))
    if report.blocked["testimony"].hits:
        failures.append(f"testimony blocked: {report.blocked['testimony'].hits}")
    if report.blocked["quote"].hits:
        failures.append(f"quotes blocked: {report.blocked['quote'].hits}")
    return failures
