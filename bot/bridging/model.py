"""Stage 2: the Community Notes model, fitted per round.

Each vote y (1 for a positive vote, 0 for "disagree", the scale Community Notes uses for
helpful / not helpful) is predicted as

    y ≈ mu + rater_intercept[u] + reply_intercept[r] + rater_factor[u] * reply_factor[r]

with ridge penalties on intercepts five times those on factors, so that what *everyone* likes is
put in a reply's intercept and only the part of the votes that splits raters along one viewpoint
axis goes into its factor. A reply that bridges has a high intercept and a small factor.

Community Notes fits this with gradient descent (Adam, in PyTorch) over millions of ratings. A
round is small and the model has one factor, so here each half-sweep is an exact ridge
regression in closed form: with the rater parameters fixed, every reply's (intercept, factor)
pair solves a 2 x 2 linear system built from per-reply sums, and the other way round. The sums
are numpy ``bincount`` calls, so one sweep costs a few passes over the votes and the fit is
deterministic (no random initialisation: rater factors start at -1 / +1 by declared community,
which is also what fixes the factor's sign afterwards).

Everything here is synchronous and pure: a service runs it with ``asyncio.to_thread``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class FactorFit:
    """Fitted parameters, indexed like the rater and reply indexes given to :func:`fit`.
    Rater factors are rescaled to a root mean square of 1 (reply factors inversely, so
    predictions are unchanged) and signed so that the first declared community sits on the
    negative side."""

    global_intercept: float
    rater_intercepts: FloatArray
    rater_factors: FloatArray
    reply_intercepts: FloatArray
    reply_factors: FloatArray
    # Standard errors of each reply's intercept and factor, from the ridge system's inverse and
    # the residual variance: how far the votes leave room for the parameter to be elsewhere.
    reply_intercept_errors: FloatArray
    reply_factor_errors: FloatArray
    sweeps: int
    converged: bool


def _solve_pairs(
    group: IntArray,
    size: int,
    target: FloatArray,
    other_factor: FloatArray,
    counts: FloatArray,
    intercept_ridge: float,
    factor_ridge: float,
) -> tuple[FloatArray, FloatArray]:
    """For each group g, the ridge solution of target ≈ intercept[g] + factor[g] * other_factor."""
    s_p = np.bincount(group, weights=other_factor, minlength=size)
    s_pp = np.bincount(group, weights=other_factor * other_factor, minlength=size)
    s_r = np.bincount(group, weights=target, minlength=size)
    s_rp = np.bincount(group, weights=target * other_factor, minlength=size)
    a11 = counts + intercept_ridge
    a22 = s_pp + factor_ridge
    det = a11 * a22 - s_p * s_p  # > intercept_ridge * factor_ridge > 0 by Cauchy-Schwarz
    intercept = (a22 * s_r - s_p * s_rp) / det
    factor = (a11 * s_rp - s_p * s_r) / det
    return intercept, factor


def fit(
    rater_index: IntArray,
    reply_index: IntArray,
    outcome: FloatArray,
    initial_rater_factors: FloatArray,
    n_replies: int,
    *,
    intercept_ridge: float,
    factor_ridge: float,
    max_sweeps: int,
    tolerance: float,
    first_community_raters: npt.NDArray[np.bool_] | None = None,
) -> FactorFit:
    """Fit the model by alternating exact ridge regressions.

    ``outcome`` holds 1.0 (positive) or 0.0 (disagree) per vote; ``initial_rater_factors`` has one
    entry per rater (-1 / +1 by declared community). ``first_community_raters`` marks the raters of
    the first declared community, whose mean factor is made negative (Community Notes instead
    makes the larger group negative; declared communities are a firmer anchor)."""
    n_raters = initial_rater_factors.shape[0]
    rater_counts = np.bincount(rater_index, minlength=n_raters).astype(np.float64)
    reply_counts = np.bincount(reply_index, minlength=n_replies).astype(np.float64)
    mu = float(outcome.mean()) if outcome.size else 0.0
    rater_b = np.zeros(n_raters)
    rater_f = initial_rater_factors.astype(np.float64, copy=True)
    reply_b = np.zeros(n_replies)
    reply_f = np.zeros(n_replies)
    sweeps = 0
    converged = outcome.size == 0
    while not converged and sweeps < max_sweeps:
        sweeps += 1
        before = (mu, rater_b, rater_f, reply_b, reply_f)
        rf = rater_f[rater_index]
        new_reply_b, new_reply_f = _solve_pairs(
            reply_index,
            n_replies,
            outcome - mu - rater_b[rater_index],
            rf,
            reply_counts,
            intercept_ridge,
            factor_ridge,
        )
        qf = new_reply_f[reply_index]
        new_rater_b, new_rater_f = _solve_pairs(
            rater_index,
            n_raters,
            outcome - mu - new_reply_b[reply_index],
            qf,
            rater_counts,
            intercept_ridge,
            factor_ridge,
        )
        residual = (
            outcome
            - new_rater_b[rater_index]
            - new_reply_b[reply_index]
            - new_rater_f[rater_index] * qf
        )
        new_mu = float(residual.mean())
        change = max(
            abs(new_mu - before[0]),
            float(np.max(np.abs(new_rater_b - before[1]), initial=0.0)),
            float(np.max(np.abs(new_rater_f - before[2]), initial=0.0)),
            float(np.max(np.abs(new_reply_b - before[3]), initial=0.0)),
            float(np.max(np.abs(new_reply_f - before[4]), initial=0.0)),
        )
        mu, rater_b, rater_f, reply_b, reply_f = (
            new_mu,
            new_rater_b,
            new_rater_f,
            new_reply_b,
            new_reply_f,
        )
        converged = change < tolerance

    # Uncertainty of the reply parameters with the rater side held at its fit: the ridge
    # system's inverse times the residual variance (the Bayesian reading of ridge regression).
    rf = rater_f[rater_index]
    s_p = np.bincount(reply_index, weights=rf, minlength=n_replies)
    s_pp = np.bincount(reply_index, weights=rf * rf, minlength=n_replies)
    a11 = reply_counts + intercept_ridge
    a22 = s_pp + factor_ridge
    det = a11 * a22 - s_p * s_p
    if outcome.size:
        fitted = mu + rater_b[rater_index] + reply_b[reply_index] + rf * reply_f[reply_index]
        variance = float(np.mean((outcome - fitted) ** 2))
    else:
        variance = 0.25  # a fair coin's, before any vote
    intercept_errors = np.sqrt(variance * a22 / det)
    factor_errors = np.sqrt(variance * a11 / det)

    voted = rater_counts > 0
    scale = float(np.sqrt(np.mean(rater_f[voted] ** 2))) if voted.any() else 0.0
    if scale > 1e-12:
        rater_f = rater_f / scale
        reply_f = reply_f * scale
        factor_errors = factor_errors * scale
    if first_community_raters is not None:
        first = first_community_raters & voted
        rest = ~first_community_raters & voted
        if first.any() and rest.any() and rater_f[first].mean() > rater_f[rest].mean():
            rater_f = -rater_f
            reply_f = -reply_f
    return FactorFit(
        mu,
        rater_b,
        rater_f,
        reply_b,
        reply_f,
        intercept_errors,
        factor_errors,
        sweeps,
        converged,
    )
