"""Export a gait cycle as a table: one row per percent of the cycle.

Columns: ``percent``; every coordinate in degrees, named as the model names it; one activation
column (0..1) per muscle, named as the model's actuator; ``contact_r`` and ``contact_l``
(1 = foot on the ground); and, when contraction modes are given, one ``mode_<muscle>`` column per
muscle holding ``concentric``, ``eccentric``, ``isometric`` or ``inactive``.

numpy and the standard library only; no Qt, no VTK.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

import numpy as np

from anatomy_viewer.gait.contraction import ContractionMode
from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.safe_output import atomic_output

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


def _check_table(path: Path, columns: list[str], n_rows: int) -> None:
    """The written CSV reads back with its header and every row complete (else ValueError)."""
    with path.open(newline="", encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    if not table or table[0] != columns:
        raise ValueError("the header did not read back as written")
    bad = [i for i, row in enumerate(table[1:]) if len(row) != len(columns)]
    if len(table) - 1 != n_rows or bad:
        raise ValueError(f"{len(table) - 1 - len(bad)} of {n_rows} rows read back whole")


def write_cycle_csv(
    cycle: GaitCycle,
    path_or_file: str | Path | TextIO,
    modes: np.ndarray | None = None,
    samples: int = 101,
) -> None:
    """Write :func:`cycle_rows` as CSV with a header line to a path or an open text file.

    A path is written atomically (:func:`~anatomy_viewer.safe_output.atomic_output`): the
    table goes to a temporary file beside it, is read back, and only then replaces a file
    already there; an OSError is an OutputError naming the file and the cause."""
    rows = cycle_rows(cycle, modes, samples)
    columns = cycle_columns(cycle, with_modes=modes is not None)

    def write(fh: TextIO) -> None:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    if isinstance(path_or_file, str | Path):
        target = Path(path_or_file)
        with atomic_output(target, lambda tmp: _check_table(tmp, columns, len(rows))) as tmp:
            with tmp.open("w", newline="", encoding="utf-8") as fh:
                write(fh)
    else:
        write(path_or_file)
