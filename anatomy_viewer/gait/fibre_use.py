"""Slow and fast fibres over a stride, and what the stride costs in energy.

Per instant, ``cycle_fast_share`` gives each muscle's fast-fibre share of its active fibres
(recruitment by size, ``anatomy.recruitment``); per stride, ``fast_fibre_summary`` averages it
and the share of each muscle's fast fibres in use, and ``stride_energy`` turns per-muscle
metabolic rates (``anatomy.energetics``) into the body's cost in W/kg and J/kg/m.

Stride averages are time averages over the cycle's percent grid (trapezoidal rule), so a cycle
sampled from 0 to 100 % with its last sample equal to its first is averaged exactly once.
numpy only; no Qt, no VTK.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from anatomy_viewer.anatomy.energetics import energy_constants
from anatomy_viewer.anatomy.fibre_types import type1_fraction
from anatomy_viewer.anatomy.recruitment import (
    RecruitmentModel,
    fast_pool_recruited,
    fast_share,
    recruited_fibres,
)
from anatomy_viewer.gait.contraction import ACTIVE_THRESHOLD
from anatomy_viewer.gait.cycle import GaitCycle


def stride_mean(values: np.ndarray, percent: np.ndarray) -> np.ndarray:
    """Time average over the last axis of ``values`` sampled at ``percent`` (trapezoidal)."""
    x = np.asarray(percent, dtype=float)
    y = np.asarray(values, dtype=float)
    if x.ndim != 1 or len(x) < 2 or np.any(np.diff(x) <= 0):
        raise ValueError("percent must be a strictly increasing grid of at least 2 samples")
    if y.shape[-1] != len(x):
        raise ValueError(f"values have {y.shape[-1]} samples, percent has {len(x)}")
    return np.trapezoid(y, x, axis=-1) / (x[-1] - x[0])


# ------------------------------------------------------------------ fibre recruitment


def cycle_fast_share(cycle: GaitCycle, model: RecruitmentModel = "size") -> np.ndarray:
    """Fast-fibre share of the active muscle (0..1), muscles x samples of ``cycle``."""
    return fast_share(cycle.activations, type1_fraction(cycle.muscle_names)[:, None], model)


class FibreState(IntEnum):
    """What a muscle is working with; stored as small integers in arrays (int8)."""

    REST = 0  # activation below the contraction modes' threshold of activity (2 %)
    SLOW = 1  # slow fibres only
    FAST = 2  # fast fibres recruited as well

    @property
    def label(self) -> str:
        return {0: "at rest", 1: "slow fibres only", 2: "fast fibres recruited"}[int(self)]


def fibre_states(
    activations: np.ndarray,
    type1: np.ndarray,
    model: RecruitmentModel = "size",
    min_fast_share: float = 0.0,
) -> np.ndarray:
    """``FibreState`` of each muscle and sample (int8), for a colour mode or an export.

    A muscle is at rest below the activation threshold the contraction modes use, works with
    fast fibres once their share of its active fibres exceeds ``min_fast_share`` (0: any; the
    smooth model recruits some fast fibres at any activation, so give it a floor such as 0.2),
    and with slow fibres only in between.
    """
    a = np.asarray(activations, dtype=float)
    share = fast_share(a, type1, model)
    out = np.full(share.shape, FibreState.SLOW, dtype=np.int8)
    out[share > min_fast_share] = FibreState.FAST
    out[np.broadcast_to(a, share.shape) < ACTIVE_THRESHOLD] = FibreState.REST
    return out


@dataclass(frozen=True)
class FastFibreRow:
    """One muscle's (or group's) use of its fast fibres over a stride, all 0..1."""

    name: str
    type1: float  # share of slow fibres
    mean_fast_share: float  # stride mean of the fast share of the active fibres
    peak_fast_share: float
    mean_fast_pool: float  # stride mean of the share of the muscle's fast fibres in use
    time_with_fast: float  # share of the stride during which fast fibres are in use


@dataclass(frozen=True)
class FastFibreSummary:
    """Each muscle's stride-averaged fast-fibre recruitment in one gait."""

    label: str
    muscle_names: tuple[str, ...]
    percent: np.ndarray
    activations: np.ndarray  # muscles x samples, 0..1
    type1: np.ndarray  # per muscle, 0..1
    model: RecruitmentModel
    mean_fast_share: np.ndarray
    peak_fast_share: np.ndarray
    mean_fast_pool: np.ndarray
    time_with_fast: np.ndarray

    def row(self, muscle: str) -> FastFibreRow:
        i = self.muscle_names.index(muscle)
        return FastFibreRow(
            muscle,
            float(self.type1[i]),
            float(self.mean_fast_share[i]),
            float(self.peak_fast_share[i]),
            float(self.mean_fast_pool[i]),
            float(self.time_with_fast[i]),
        )

    def combined(
        self, name: str, muscles: Sequence[str], weights: Sequence[float] | None = None
    ) -> FastFibreRow:
        """Several muscles taken as one (e.g. the three lines of gluteus maximus).

        ``weights`` is each muscle's share of the group's fibres (e.g. proportional to its
        maximal isometric force); equal if omitted. Fibres in use are summed over the muscles
        before the shares are taken, so a weak line does not count as much as a strong one.
        """
        idx = [self.muscle_names.index(m) for m in muscles]
        w = np.ones(len(idx)) if weights is None else np.asarray(weights, dtype=float)
        if w.shape != (len(idx),) or np.any(w < 0.0) or w.sum() <= 0.0:
            raise ValueError("weights must be one non-negative number per muscle, not all 0")
        w = w / w.sum()
        f = self.type1[idx]
        slow, fast = recruited_fibres(self.activations[idx], f[:, None], self.model)
        fast_sum = (w[:, None] * fast).sum(axis=0)
        active = (w[:, None] * (slow + fast)).sum(axis=0)
        share = np.zeros_like(active)
        np.divide(fast_sum, active, out=share, where=active > 0.0)
        pool = float((w * (1.0 - f)).sum())
        return FastFibreRow(
            name,
            float((w * f).sum()),
            float(stride_mean(share, self.percent)),
            float(share.max()),
            float(stride_mean(fast_sum, self.percent) / pool) if pool > 0 else 0.0,
            float(stride_mean((fast_sum > 0.0).astype(float), self.percent)),
        )


def fast_fibre_summary(
    activations: np.ndarray,
    percent: np.ndarray,
    muscle_names: Iterable[str],
    *,
    label: str = "",
    model: RecruitmentModel = "size",
    type1: np.ndarray | None = None,
) -> FastFibreSummary:
    """Stride-averaged fast-fibre recruitment of each muscle from its activation over a stride.

    ``activations`` is muscles x samples (0..1) at ``percent`` of the stride; ``type1`` (share of
    slow fibres per muscle) defaults to the composition table.
    """
    names = tuple(muscle_names)
    a = np.clip(np.asarray(activations, dtype=float), 0.0, 1.0)
    if a.shape != (len(names), len(percent)):
        raise ValueError(
            f"activations have shape {a.shape}, expected ({len(names)}, {len(percent)})"
        )
    f = type1_fraction(names) if type1 is None else np.asarray(type1, dtype=float)
    share = fast_share(a, f[:, None], model)
    _, fast = recruited_fibres(a, f[:, None], model)
    pool = fast_pool_recruited(a, f[:, None], model)
    return FastFibreSummary(
        label=label,
        muscle_names=names,
        percent=np.asarray(percent, dtype=float),
        activations=a,
        type1=f,
        model=model,
        mean_fast_share=stride_mean(share, percent),
        peak_fast_share=share.max(axis=1),
        mean_fast_pool=stride_mean(pool, percent),
        time_with_fast=stride_mean((fast > 0.0).astype(float), percent),
    )


def gait_fast_fibre_summary(cycle: GaitCycle, model: RecruitmentModel = "size") -> FastFibreSummary:
    """``fast_fibre_summary`` of a gait cycle's activations."""
    return fast_fibre_summary(
        cycle.activations, cycle.percent, cycle.muscle_names, label=cycle.label, model=model
    )


# ---------------------------------------------------------------------- energy


@dataclass(frozen=True)
class StrideEnergy:
    """What one stride costs: stride-mean metabolic power per muscle and for the body."""

    muscle_names: tuple[str, ...]
    per_muscle_w: np.ndarray  # stride-mean W of each muscle
    body_mass: float  # kg
    speed: float | None  # m/s; None or 0 when not moving forward
    basal_w: float  # whole-body resting rate added (0 for a net cost)

    @property
    def total_w(self) -> float:
        return float(self.per_muscle_w.sum()) + self.basal_w

    @property
    def w_per_kg(self) -> float:
        """Metabolic power per kg of body mass."""
        return self.total_w / self.body_mass

    @property
    def j_per_kg_per_m(self) -> float | None:
        """Cost of transport: energy per kg of body mass per metre travelled."""
        if not self.speed:
            return None
        return self.w_per_kg / self.speed

    def share(self, muscles: Iterable[str]) -> float:
        """Share of the muscles' metabolic power spent by the named muscles (0..1)."""
        idx = [self.muscle_names.index(m) for m in muscles]
        total = float(self.per_muscle_w.sum())
        return float(self.per_muscle_w[idx].sum()) / total if total else 0.0


def stride_energy(
    rates_w: np.ndarray,
    percent: np.ndarray,
    muscle_names: Iterable[str],
    *,
    body_mass: float,
    speed: float | None,
    include_basal: bool = False,
) -> StrideEnergy:
    """The body's metabolic cost over a stride from each muscle's rate (W, muscles x samples).

    Net of resting metabolism unless ``include_basal`` (then the whole-body standing rate of
    Umberger et al. 2003 is added). Only the muscles given are counted: the model's leg muscles
    leave out the trunk and arms, so the total is below a measured whole-body cost.
    """
    names = tuple(muscle_names)
    r = np.asarray(rates_w, dtype=float)
    if r.shape != (len(names), len(percent)):
        raise ValueError(f"rates have shape {r.shape}, expected ({len(names)}, {len(percent)})")
    if not body_mass or body_mass <= 0.0:
        raise ValueError("body mass must be positive (kg)")
    if speed is not None and speed < 0.0:
        raise ValueError("speed must not be negative (m/s)")
    basal = energy_constants().basal_rate_standing * body_mass if include_basal else 0.0
    return StrideEnergy(names, stride_mean(r, percent), float(body_mass), speed, basal)
