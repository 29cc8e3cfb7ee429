"""The labelled evaluation set of issue 16 (tests/data/civility_eval.jsonl, written for this
conflict, per language and script, with hard negatives): the goals, asserted. The tables print
on failure; ``python -m bench civility`` prints them always, beside the baselines."""

from __future__ import annotations

from bench.civility_eval import goal_failures, load, render, score
from bot.civility import Engine, default_terms


def test_eval_set_covers_every_language_script_and_evasion() -> None:
    rows = load()
    scripts = {(r["language"], r["script"]) for r in rows if r["label"] == "abuse"}
    assert {("en", "Latn"), ("ru", "Cyrl"), ("ru", "Latn"), ("hy", "Armn"), ("hy", "Latn")} <= (
        scripts
    )
    assert {("az", "Latn"), ("az", "Cyrl")} <= scripts
    evasions = {r["evasion"] for r in rows if r["label"] == "abuse"}
    assert {
        "plain", "inflected", "separators", "spaced", "masked", "leet", "cyrillic_leet",
        "lookalike", "stretched", "invisible", "translit", "glued", "phrase_separators",
        "pattern",
    } <= evasions  # fmt: skip
    for language in ("en", "ru", "hy", "az"):
        kinds = {r["kind"] for r in rows if r["label"] != "abuse" and r["language"] == language}
        assert kinds == {"place", "surname", "testimony", "news", "quote", "double_letters"}


def test_goals_recall_false_flags_and_testimony() -> None:
    report = score(Engine(default_terms()))
    failures = goal_failures(report)
    assert failures == [], render(report) + "\n" + "\n".join(failures)
