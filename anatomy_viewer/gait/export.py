"""Export a gait cycle as a table: one row per percent of the cycle.

Columns: ``percent``; every coordinate in degrees, named as the model names it; one activation
column (0..1) per muscle, named as the model's actuator; ``contact_r`` and ``contact_l``
(1 = foot on the ground); when contraction modes are given, one ``mode_<muscle>`` column per
muscle holding ``concentric``, ``eccentric``, ``isometric`` or ``inactive``; then any further
per-muscle quantities given as ``<prefix>_<muscle>`` columns (:func:`animation_quantities`:
``fast_`` the fast-fibre share of the active muscle, ``force_`` its tension in newtons,
``power_`` its power in watts).

numpy and the standard library only; no Qt, no VTK.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import numpy as np

from anatomy_viewer.gait.contraction import ContractionMode
from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.gait.sampling import locate, nearest_index
from anatomy_viewer.safe_output import atomic_output

if TYPE_CHECKING:
    from anatomy_viewer.gait.animation import CycleAnimation

Row = dict[str, float | int | str]

_LABELS = {int(m): m.label for m in ContractionMode}
#: Decimals written of each per-muscle quantity (by column prefix); others get 5.
DECIMALS = {"fast": 4, "force": 2, "power": 3}


def cycle_columns(
    cycle: GaitCycle, with_modes: bool = False, quantities: tuple[str, ...] = ()
) -> list[str]:
    """The column names of :func:`cycle_rows`, in order (``quantities``: the prefixes of
    further per-muscle columns)."""
    cols = ["percent", *cycle.coordinates, *cycle.muscle_names, "contact_r", "contact_l"]
    if with_modes:
        cols += [f"mode_{m}" for m in cycle.muscle_names]
    for prefix in quantities:
        cols += [f"{prefix}_{m}" for m in cycle.muscle_names]
    return cols


def cycle_rows(
    cycle: GaitCycle,
    modes: np.ndarray | None = None,
    samples: int = 101,
    quantities: Mapping[str, np.ndarray] | None = None,
) -> list[Row]:
    """``samples`` rows evenly spaced from 0 to 100 % (101 rows: one per percent).

    Coordinates, activations and ``quantities`` are interpolated linearly between the cycle's
    samples; contact and contraction modes, being categories, come from the nearest sample (the
    later one on a tie, :func:`~anatomy_viewer.gait.sampling.nearest_index`, as every view
    reads them). ``modes`` is (n_muscles, n_samples) of ContractionMode codes, as from
    ``contraction_modes``; ``quantities`` maps a column prefix to (n_muscles, n_samples) values.
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
    extra = {k: np.asarray(v, float) for k, v in (quantities or {}).items()}
    for prefix, values in extra.items():
        if values.shape != (n_muscles, cycle.n_samples):
            raise ValueError(
                f"{prefix} values have shape {values.shape}, expected "
                f"({n_muscles}, {cycle.n_samples})"
            )
    rows: list[Row] = []
    for p in np.linspace(0.0, 100.0, samples):
        frame = cycle.sample(float(p))
        nearest = nearest_index(cycle, float(p))
        i, u = locate(cycle, float(p))
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
            for k, m in enumerate(cycle.muscle_names):
                row[f"mode_{m}"] = _LABELS[int(modes[k, nearest])]
        for prefix, values in extra.items():
            now = values[:, i] * (1.0 - u) + values[:, i + 1] * u
            digits = DECIMALS.get(prefix, 5)
            row.update(
                {
                    f"{prefix}_{m}": round(float(v), digits) + 0.0  # no "-0.0"
                    for m, v in zip(cycle.muscle_names, now, strict=True)
                }
            )
        rows.append(row)
    return rows


def has_activation_data(cycle: GaitCycle) -> bool:
    """Whether any muscle of ``cycle`` has activation data (an imported motion may have none:
    its muscles are shown at rest and it has no muscle forces to export)."""
    if not cycle.provenance:
        return bool(np.any(cycle.activations))
    return any(p.kind != "none" for p in cycle.provenance.values())


def animation_quantities(animation: CycleAnimation) -> dict[str, np.ndarray]:
    """The per-muscle quantities ``anatomy-viewer cycle`` and File > Export cycle data write
    beside the activations, (n_muscles, n_samples) each, by column prefix:

    - ``fast``: the fast-fibre share of the active muscle, 0..1 (size-principle recruitment,
      :func:`~anatomy_viewer.gait.fibre_use.cycle_fast_share`);
    - ``force`` and ``power``: the muscle's tension (N) and power (W, positive while it
      generates work): the animation's own (static optimisation of an imported trial) when it
      has them, else, where the cycle has activations, computed from them on MyoLeg as the
      energy model does (:func:`~anatomy_viewer.gait.energy.cycle_muscle_forces`).
    """
    from anatomy_viewer.gait.fibre_use import cycle_fast_share

    cycle = animation.cycle
    out = {"fast": cycle_fast_share(cycle)}
    forces, power = animation.forces, animation.power
    if forces is None and has_activation_data(cycle):
        from anatomy_viewer.gait.energy import cycle_muscle_forces

        forces, power = cycle_muscle_forces(cycle)
    if forces is not None:
        out["force"] = forces
        if power is not None:
            out["power"] = power
    return out


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
    quantities: Mapping[str, np.ndarray] | None = None,
) -> None:
    """Write :func:`cycle_rows` as CSV with a header line to a path or an open text file.

    A path is written atomically (:func:`~anatomy_viewer.safe_output.atomic_output`): the
    table goes to a temporary file beside it, is read back, and only then replaces a file
    already there; an OSError is an OutputError naming the file and the cause."""
    rows = cycle_rows(cycle, modes, samples, quantities)
    columns = cycle_columns(cycle, modes is not None, tuple(quantities or ()))

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


def write_animation_csv(animation: CycleAnimation, path_or_file: str | Path | TextIO) -> int:
    """The cycle of ``animation`` as ``anatomy-viewer cycle`` writes it: coordinates,
    activations, contacts, contraction modes and :func:`animation_quantities`. Returns the
    number of columns."""
    quantities = animation_quantities(animation)
    write_cycle_csv(animation.cycle, path_or_file, animation.modes, quantities=quantities)
    return len(cycle_columns(animation.cycle, animation.modes is not None, tuple(quantities)))
