"""Export a gait cycle as a table: one row per percent of the cycle.

Columns: ``percent``; every coordinate in degrees, named as the model names it; one activation
column (0..1) per muscle, named as the model's actuator; ``contact_r`` and ``contact_l``
(1 = foot on the ground); and, when contraction modes are given, one ``mode_<muscle>`` column per
muscle holding ``concentric``, ``eccentric``, ``isometric`` or ``inactive``.

numpy and the standard library only; no Qt, no VTK.
"""

from __future__ import annotations

import csv
from contextlib import nullcontext
from pathlib import Path
from typing import TextIO

import numpy as np

from anatomy_viewer.gait.contraction import ContractionMode
from anatomy_viewer.gait.cycle import GaitCycle

Row = dict[str, float | int | str]

_LABELS = {int(m): m.label for m in ContractionMode}


def cycle_columns(cycle: GaitCycle, with_modes: bool = False) -> list[str]:
    """The column names of :func:`cycle_rows`, in order."""
    cols = ["percent", *cycle.coordinates, *cycle.muscle_names, "contact_r", "contact_l"]
    if with_modes:
        cols += [f"mode_{m}" for m in cycle.muscle_names]
    return cols


def cycle_rows(cycle: GaitCycle, modes: np.ndarray | None = None, samples: int = 101) -> list[Row]:
    """``samples`` rows evenly spaced from 0 to 100 % (101 rows: one per percent).

    Coordinates and activations are interpolated linearly between the cycle's samples; contact
    and contraction modes, being categories, come from the nearest sample.
    ``modes`` is (n_muscles, n_samples) of ContractionMode codes, as from
    ``contraction_modes``.
    """
    if samples < 2:
        raise ValueError(f"samples must be at least 2, got {samples}")
    n_muscles = len(cycle.muscle_names)
    if modes is not None:
        modes = np.asarray(modes)
        if modes.shape != (n_muscles, cycle.n_samples):
            raise ValueError(
                f"modes have shape {modes.shape}, expected ({n_muscles}, {cycle.n_samples})"
            )
    rows: list[Row] = []
    for p in np.linspace(0.0, 100.0, samples):
        frame = cycle.sample(float(p))
        nearest = int(np.argmin(np.abs(cycle.percent - p)))
        row: Row = {"percent": round(float(p), 6)}
        row.update({k: round(v, 4) for k, v in frame.coordinates.items()})
        row.update(
            {
                m: round(float(a), 5)
                for m, a in zip(cycle.muscle_names, frame.activations, strict=True)
            }
        )
        row["contact_r"] = int(cycle.contact_r[nearest])
        row["contact_l"] = int(cycle.contact_l[nearest])
        if modes is not None:
            for i, m in enumerate(cycle.muscle_names):
                row[f"mode_{m}"] = _LABELS[int(modes[i, nearest])]
        rows.append(row)
    return rows


def write_cycle_csv(
    cycle: GaitCycle,
    path_or_file: str | Path | TextIO,
    modes: np.ndarray | None = None,
    samples: int = 101,
) -> None:
    """Write :func:`cycle_rows` as CSV with a header line to a path or an open text file."""
    rows = cycle_rows(cycle, modes, samples)
    columns = cycle_columns(cycle, with_modes=modes is not None)
    if isinstance(path_or_file, str | Path):
        ctx = Path(path_or_file).open("w", newline="", encoding="utf-8")
    else:
        ctx = nullcontext(path_or_file)
    with ctx as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
