"""The built-in gaits side by side: each muscle's fast-fibre recruitment and each gait's cost.

What the window's "Fibres and energy" view shows, computed here without Qt:

- per anatomical muscle (the composition table's muscles: gluteus maximus's three model lines
  taken as one), the stride-averaged share of fast fibres among the fibres it uses, in walking,
  endurance running and sprinting (:func:`~anatomy_viewer.gait.fibre_use.gait_fast_fibre_summary`;
  a muscle's lines are weighted by their maximal isometric force, so a small line counts less);
- per gait, its metabolic cost (:func:`~anatomy_viewer.gait.energy.builtin_gait_energy`), each
  muscle group's share, and the measured cost with its citation and how far the estimate lies
  from it (:func:`~anatomy_viewer.gait.energy.measured_costs`).

numpy + MuJoCo (through the energy model); no Qt, no VTK.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from anatomy_viewer.anatomy.catalogue import catalogue
from anatomy_viewer.anatomy.dynamics import load_myoleg_with_back
from anatomy_viewer.anatomy.fibre_types import fibre_types
from anatomy_viewer.anatomy.muscle_fibres import fibre_parameters
from anatomy_viewer.gait.energy import (
    EnergySummary,
    MeasuredCost,
    builtin_gait_energy,
    measured_costs,
)
from anatomy_viewer.gait.fibre_use import FastFibreRow, gait_fast_fibre_summary
from anatomy_viewer.gait.library import GAIT_NAMES, load_gait


@dataclass(frozen=True)
class MuscleFibres:
    """One anatomical muscle's fibre mix and its fast-fibre recruitment in each gait."""

    key: str  # anatomical muscle, e.g. "gluteus_maximus"
    name: str  # e.g. "Gluteus maximus"
    group: str  # muscle group key
    model_muscles: tuple[str, ...]  # its model lines on the leg summarised, e.g. "glmax1_r"
    type1: float  # share of slow fibres, 0..1
    basis: str  # "measured", "compiled from published studies", "assumed ..."
    gaits: dict[str, FastFibreRow]  # gait -> stride-averaged recruitment

    def mean_fast_share(self, gait: str) -> float:
        """Stride mean of the fast fibres' share of the fibres in use (0..1)."""
        return self.gaits[gait].mean_fast_share


@dataclass(frozen=True)
class GaitCost:
    """One gait's estimated cost beside its measured cost."""

    gait: str
    summary: EnergySummary
    measured: MeasuredCost | None

    @property
    def ratio(self) -> float | None:
        """Estimate / measured cost per metre (None without a measured cost)."""
        m = self.measured
        est = self.summary.j_per_kg_per_m
        if m is None or m.net_j_per_kg_per_m is None or est is None:
            return None
        return est / m.net_j_per_kg_per_m

    @property
    def within_tolerance(self) -> bool | None:
        r, m = self.ratio, self.measured
        if r is None or m is None or m.tolerance is None:
            return None
        return abs(r - 1.0) <= m.tolerance


@dataclass(frozen=True)
class GaitsSummary:
    """The built-in gaits side by side (see the module documentation)."""

    gaits: tuple[str, ...]
    side: str
    muscles: tuple[MuscleFibres, ...]  # in the muscle groups' order
    costs: dict[str, GaitCost]

    def muscle(self, key_or_name: str) -> MuscleFibres:
        for m in self.muscles:
            if key_or_name in (m.key, m.name):
                return m
        raise KeyError(f"no muscle {key_or_name!r} in the summary")


@cache
def _max_force_table() -> dict[str, float]:
    p = fibre_parameters(load_myoleg_with_back())
    return dict(zip(p.muscle_names, p.max_isometric_force.tolist(), strict=True))


def _max_forces(names: Sequence[str]) -> np.ndarray:
    table = _max_force_table()
    return np.array([table[n] for n in names], dtype=float)


def muscle_fibre_rows(gaits: Sequence[str] = GAIT_NAMES, side: str = "r") -> list[MuscleFibres]:
    """Each anatomical muscle's fast-fibre recruitment in ``gaits`` on leg ``side``, in the
    order of the muscle groups (then of the muscles within a group)."""
    table = fibre_types()
    cat = catalogue()
    summaries = {g: gait_fast_fibre_summary(load_gait(g, samples=201)) for g in gaits}
    order = {b: i for i, b in enumerate(cat.bases)}
    rows = []
    for key, comp in table.muscles.items():
        lines = tuple(f"{b}_{side}" for b in comp.model_muscles)
        weights = _max_forces(lines)
        per_gait = {g: s.combined(comp.name, lines, weights) for g, s in summaries.items()}
        rows.append(
            MuscleFibres(
                key=key,
                name=comp.name,
                group=cat.group_of(lines[0]),
                model_muscles=lines,
                type1=comp.type1,
                basis=comp.basis_text,
                gaits=per_gait,
            )
        )
    return sorted(rows, key=lambda r: min(order[m.rpartition("_")[0]] for m in r.model_muscles))


@cache
def gaits_summary(side: str = "r") -> GaitsSummary:
    """Fast-fibre recruitment and cost of every built-in gait (computed once per process)."""
    costs = measured_costs()
    return GaitsSummary(
        gaits=GAIT_NAMES,
        side=side,
        muscles=tuple(muscle_fibre_rows(GAIT_NAMES, side)),
        costs={g: GaitCost(g, builtin_gait_energy(g).summary(), costs.get(g)) for g in GAIT_NAMES},
    )
