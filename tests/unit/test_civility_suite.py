"""The labelled suite (tests/data/civility_suite.jsonl): recall and false positives per
language and kind, against the default lexicon and policy. The table prints on failure."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from bot.civility import Action, Engine, default_terms
from bot.sanitizer import sanitize

SUITE = Path(__file__).parents[1] / "data" / "civility_suite.jsonl"
HARMLESS = {"testimony", "innocent", "civil"}


def _score() -> tuple[dict[tuple[str, str], list[int]], list[str]]:
    engine = Engine(default_terms())
    table: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # [hits, total]
    misses: list[str] = []
    for line in SUITE.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        result = engine.check(sanitize(row["text"]))
        lexical = {v.category.value for v in result.verdicts if v.rule.startswith("lexicon")}
        if row["kind"] in HARMLESS:
            # testimony must never be held or blocked; look-alikes and civil text trip nothing
            bad = result.action.severity >= Action.HOLD.severity or (
                row["kind"] != "testimony" and bool(lexical)
            )
            ok = not bad
        else:
            ok = row["category"] in lexical and result.action.value == row["action"]
        cell = table[(row["language"], row["kind"])]
        cell[0] += ok
        cell[1] += 1
        if not ok:
            misses.append(f"{row['language']} {row['kind']} {row['trick']}: {row['text']!r}")
    return table, misses


def _render(table: dict[tuple[str, str], list[int]]) -> str:
    lines = [f"{'lang':6}{'kind':16}{'score':>8}{'n':>6}   (recall; for harmless kinds 1 - FP)"]
    for (language, kind), (hits, total) in sorted(table.items()):
        lines.append(f"{language:6}{kind:16}{hits / total:8.2f}{total:6d}")
    return "\n".join(lines)


def test_suite_is_big_enough_and_covers_four_languages() -> None:
    rows = [json.loads(line) for line in SUITE.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 300
    assert {r["language"] for r in rows} == {"en", "ru", "hy", "az"}
    for language in ("en", "ru", "hy", "az"):
        kinds = {r["kind"] for r in rows if r["language"] == language}
        assert {"evasion", "testimony", "innocent", "civil"} <= kinds


def test_recall_and_false_positives() -> None:
    table, misses = _score()
    report = _render(table) + "\n" + "\n".join(misses)
    for (_language, kind), (hits, total) in table.items():
        score = hits / total
        if kind in HARMLESS:
            assert score == 1.0, report
        elif kind == "evasion":
            assert score >= 0.9, report
        else:
            assert score >= 0.9, report
    print(_render(table))
