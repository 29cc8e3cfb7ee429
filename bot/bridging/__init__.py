"""Bridging: which replies members of *every* declared community endorse.

Plain synchronous services (no discord, no SQL): the signal (``votes``), the score (``score``:
Stage 1 smoothed shares, Stage 2 the Community Notes model in ``model``, damped statuses), the
thresholds (``settings``), the digest's data (``digest``), its picture (``picture``) and the
offline CSV scorer (``csvscore``). Fitting is CPU work: call ``score_round`` and
``picture.render`` through ``asyncio.to_thread`` from async code.

Nothing is re-exported here, so that ``bot.bridging.cli`` (loaded by every ``tracktwo`` command)
does not import numpy.
"""
