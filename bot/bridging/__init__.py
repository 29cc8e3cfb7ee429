"""Bridging: which replies members of *every* declared community endorse.

Plain synchronous services (no discord, no SQL): the signal (``votes``), the score (``score``:
Stage 1 smoothed shares, Stage 2 the Community Notes model in ``model``, damped statuses), the
thresholds (``settings``), the digest's data (``digest``), its picture (``picture``) and the
offline CSV scorer (``csvscore``). Fitting is CPU work: call ``score_round`` and
``picture.render`` through ``asyncio.to_thread`` from async code.
"""

from bot.bridging.score import Reason, ReplyScore, RoundScore, StatusKind, Tally, score_round
from bot.bridging.settings import BridgingSettings
from bot.bridging.votes import Endorsement, Press, Vote, fold_presses, latest_votes

__all__ = [
    "BridgingSettings",
    "Endorsement",
    "Press",
    "Reason",
    "ReplyScore",
    "RoundScore",
    "StatusKind",
    "Tally",
    "Vote",
    "fold_presses",
    "latest_votes",
    "score_round",
]
