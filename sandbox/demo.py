"""The offline sandbox: the emulator, the bot and a scripted dialogue round."""

from __future__ import annotations

import sys


def main(serve: bool = False) -> int:
    print("The offline sandbox is not built yet in this revision.", file=sys.stderr)
    return 1
