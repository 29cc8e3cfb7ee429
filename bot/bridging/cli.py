"""``tracktwo bridging score FILE``: registered by the main CLI with one call, so the bridging
command's arguments and exit codes live here. numpy is imported only when the command runs."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

# Exit codes: 0 scored, 1 the file could not be opened, 2 the file was refused (bad lines).
EXIT_UNREADABLE = 1
EXIT_REFUSED = 2


def add_parser(sub: Any) -> None:
    """Add ``bridging score FILE`` to the CLI's subparsers (``argparse._SubParsersAction``)."""
    bridging = sub.add_parser("bridging", help="bridging scores of a round, offline")
    commands = bridging.add_subparsers(dest="bridging_command", required=True)
    score = commands.add_parser(
        "score",
        help="score an exported CSV (rater,community,reply,endorsement); one JSON line per reply",
    )
    score.add_argument("file", type=Path, help="the CSV file, UTF-8")
    score.set_defaults(func=cmd_score)


def cmd_score(args: argparse.Namespace) -> int:
    from bot.bridging.csvscore import RefusedFile, score_lines

    path: Path = args.file
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = score_lines(handle)
            out = [json.dumps(line, ensure_ascii=False) for line in lines]
    except RefusedFile as refused:
        print(f"error: {path} was not scored; fix these lines and run again:", file=sys.stderr)
        for message in refused.messages():
            print(f"  {message}", file=sys.stderr)
        return EXIT_REFUSED
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    for line in out:
        print(line)
    return 0
