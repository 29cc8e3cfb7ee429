"""``tracktwo bridging score FILE`` in a subprocess, on a planted file and on broken ones."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.bridging.csvscore import RefusedFile, parse, score_lines
from bot.bridging.planted import Kind, planted_round

ENDORSE = {1: "resonates", -1: "disagree"}


def run_score(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "bridging", "score", str(path)],
        env={"PATH": "/usr/bin:/bin"},
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def planted_file(path: Path) -> dict[str, str]:
    """A planted round (so Stage 2 runs) plus four hand-made replies whose status is certain.
    Returns the expected status of the hand-made ones."""
    planted = planted_round(40, 30, 10, seed=3, communities=("north", "south"))
    rows = [(v.rater, planted.raters[v.rater], v.reply, ENDORSE[v.value]) for v in planted.votes]
    north = [r for r, c in planted.raters.items() if c == "north"]
    south = [r for r, c in planted.raters.items() if c == "south"]
    for i, rater in enumerate(north[:10]):
        rows.append((rater, "north", "clear", "learned" if i % 2 else "resonates"))
        rows.append((rater, "north", "split", "resonates"))
        rows.append((rater, "north", "lonely", "resonates"))
    for rater in south[:10]:
        rows.append((rater, "south", "clear", "resonates"))
        rows.append((rater, "south", "split", "disagree"))
    rows.append((south[0], "south", "lonely", "resonates"))
    rows.append((north[0], "north", "new", "resonates"))
    # a rater changes their mind: the later row counts
    rows.append((south[1], "south", "clear", "disagree"))
    rows.append((south[1], "south", "clear", "resonates"))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rater", "community", "reply", "endorsement"])
        writer.writerows(rows)
    return {
        "clear": "bridging",
        "split": "one-sided",
        "lonely": "needs-perspectives",
        "new": "not-yet",
    }


def test_cli_scores_a_planted_file(tmp_path: Path) -> None:
    path = tmp_path / "round.csv"
    expected = planted_file(path)
    result = run_score(path)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    by_reply = {line["reply"]: line for line in lines}
    assert len(by_reply) == len(lines) == 34
    for reply, status in expected.items():
        assert by_reply[reply]["status"] == status, by_reply[reply]
    assert by_reply["lonely"]["needs_perspectives_from"] == ["south"]
    assert by_reply["clear"]["votes"] == {"north": 10, "south": 10}
    assert by_reply["clear"]["positive"] == {"north": 10, "south": 10}
    assert by_reply["split"]["positive"] == {"north": 10, "south": 0}
    assert by_reply["clear"]["intercept"] is not None  # Stage 2 ran on this file
    assert {line["status"] for line in lines} <= {
        "bridging",
        "needs-perspectives",
        "one-sided",
        "not-yet",
    }
    # the planted partisan replies are never called bridging
    planted = planted_round(40, 30, 10, seed=3, communities=("north", "south"))
    for reply, kind in planted.kinds.items():
        if kind is Kind.PARTISAN:
            assert by_reply[reply]["status"] != "bridging", by_reply[reply]
    # the subprocess printed what the library computes
    with path.open(encoding="utf-8", newline="") as handle:
        assert list(score_lines(handle)) == lines


def test_cli_refuses_a_file_with_bad_lines_and_names_every_one(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "rater,community,reply,endorsement\n"
        "a,north,x,resonates\n"
        "b,south,x,agree\n"  # 3: unknown endorsement
        "c,south,x\n"  # 4: too few fields
        "\n"
        "a,south,y,learned\n"  # 6: a is in north
        ",south,y,learned\n"  # 7: empty rater
        "d,north,y,DISAGREE\n",  # fine: case does not matter
        encoding="utf-8",
    )
    result = run_score(path)
    assert result.returncode == 2
    assert result.stdout == ""
    listed = [line.strip() for line in result.stderr.splitlines()[1:]]
    assert [line.split(":")[0] for line in listed] == ["line 3", "line 4", "line 6", "line 7"]
    assert "'agree'" in listed[0] and "resonates, learned, disagree" in listed[0]
    assert "expected 4 fields, found 3" in listed[1]
    assert "'north' on line 2" in listed[2]
    assert "empty rater" in listed[3]


def test_cli_refuses_a_wrong_header_and_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("who,side,reply,endorsement\na,n,x,resonates\n", encoding="utf-8")
    result = run_score(path)
    assert result.returncode == 2
    assert "line 1: expected the header rater,community,reply,endorsement" in result.stderr
    path.write_bytes(b"rater,community,reply,endorsement\na,n\xff,x,resonates\n")
    result = run_score(path)
    assert result.returncode == 2
    assert "not UTF-8" in result.stderr


def test_cli_missing_file_is_one_line_exit_1(tmp_path: Path) -> None:
    result = run_score(tmp_path / "absent.csv")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "cannot read" in result.stderr


def test_header_only_and_bom_are_accepted() -> None:
    assert list(score_lines(["\ufeffrater,community,reply,endorsement\r\n"])) == []
    with pytest.raises(RefusedFile) as refused:
        parse([])
    assert refused.value.messages() == [
        "line 1: the file is empty; expected the header rater,community,reply,endorsement"
    ]


def test_a_long_list_of_bad_lines_is_cut_with_a_count() -> None:
    lines = ["rater,community,reply,endorsement"] + [f"r{i},n,x,maybe" for i in range(60)]
    with pytest.raises(RefusedFile) as refused:
        parse(lines)
    messages = refused.value.messages()
    assert len(refused.value.bad_lines) == 60
    assert messages[0].startswith("line 2:") and messages[-1] == "... and 10 more bad line(s)"
