"""Full ground reaction forces (force, centre of pressure, free moment) of each foot.

:func:`~anatomy_viewer.gait.opensim_forces.read_grf` reads the vertical forces and decides
which plate is which foot; inverse dynamics needs the whole force: the three components
(``<plate>_vx/_vy/_vz``), the centre of pressure (``<plate>_px/_py/_pz``) and the free moment
(``<plate-with-"torque">_x/_y/_z`` as OpenSim's example files name it, e.g.
``ground_torque_r_x`` beside ``ground_force_r_vx``, or ``<plate>_mx/_my/_mz``). This module
reads them with the same table reader, for the plates that reader assigned.

Several plates under one foot add up to one wrench. Every force is turned into the force and
the moment about the ground origin (``P x F + M_free``), which are linear in the recording and
so can be filtered and resampled without the centre of pressure's jumps at the start and end
of a contact; the centre of pressure is recovered afterwards where the foot is loaded.

numpy + stdlib only; no Qt, no VTK.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from anatomy_viewer.gait.opensim_forces import GroundForces
from anatomy_viewer.gait.opensim_table import OpenSimFileError, read_table

#: Vertical force (N) above which a foot is loaded enough for its centre of pressure to mean
#: something.
LOADED_N = 20.0


@dataclass
class FootWrenches:
    """Force (N) and moment about the ground origin (N m) of each foot, OpenSim ground axes."""

    time: np.ndarray
    force: dict[str, np.ndarray]  # "r" / "l" -> (n, 3)
    moment: dict[str, np.ndarray]  # "r" / "l" -> (n, 3), about the origin
    notes: list[str] = field(default_factory=list)

    def centre_of_pressure(self, side: str) -> np.ndarray:
        """(n, 3) point on the ground (y = 0) where the foot's force acts; NaN where the foot
        carries less than LOADED_N."""
        f, m = self.force[side], self.moment[side]
        fy = f[:, 1]
        out = np.full(f.shape, np.nan)
        ok = fy > LOADED_N
        # moment about the origin of a force F at (px, 0, pz) plus a free moment about y:
        # Mx = -pz Fy, Mz = px Fy  (y = 0)
        out[ok, 0] = m[ok, 2] / fy[ok]
        out[ok, 1] = 0.0
        out[ok, 2] = -m[ok, 0] / fy[ok]
        return out

    def swapped(self) -> FootWrenches:
        return FootWrenches(
            self.time,
            {"r": self.force["l"], "l": self.force["r"]},
            {"r": self.moment["l"], "l": self.moment["r"]},
            list(self.notes),
        )


def _torque_columns(table, plate: str) -> tuple[str, str, str] | None:
    candidates = []
    if "force" in plate:
        t = plate.replace("force", "torque")
        candidates.append(tuple(f"{t}_{a}" for a in "xyz"))
    candidates.append(tuple(f"{plate}_m{a}" for a in "xyz"))
    candidates.append(tuple(f"{plate}_t{a}" for a in "xyz"))
    for cols in candidates:
        if all(table.has(c) for c in cols):
            return cols  # type: ignore[return-value]
    return None


def read_foot_wrenches(grf: GroundForces) -> FootWrenches:
    """The full ground reaction force of each foot, for the plates ``grf`` assigned.

    Raises :class:`OpenSimFileError` when a plate lacks its horizontal force or centre of
    pressure columns, or holds a value that is not a number where it carries load.
    """
    path = Path(grf.path)
    table = read_table(path)
    notes: list[str] = []
    n = table.n_rows
    force = {s: np.zeros((n, 3)) for s in ("r", "l")}
    moment = {s: np.zeros((n, 3)) for s in ("r", "l")}
    no_torque = []
    for side in ("r", "l"):
        for plate in grf.plates[side]:
            cols = [f"{plate}_v{a}" for a in "xyz"] + [f"{plate}_p{a}" for a in "xyz"]
            missing = [c for c in cols if not table.has(c)]
            if missing:
                raise OpenSimFileError(
                    path,
                    table.column_line,
                    f"plate {plate} has no {', '.join(missing)} column: inverse dynamics needs "
                    "the whole force and its centre of pressure",
                )
            f = np.stack([table.column(c) for c in cols[:3]], axis=1)
            p = np.stack([table.column(c) for c in cols[3:]], axis=1)
            if f[:, 1].min() < -5 * LOADED_N and -f[:, 1].min() > f[:, 1].max():
                f = -f  # the force on the plate, not on the foot (read_grf says so in its notes)
            loaded = f[:, 1] > LOADED_N
            bad = np.flatnonzero(loaded & ~np.isfinite(p).all(axis=1))
            bad_f = np.flatnonzero(~np.isfinite(f).all(axis=1))
            if len(bad_f) or len(bad):
                row = int((bad_f if len(bad_f) else bad)[0])
                raise OpenSimFileError(
                    path, table.line_of(row), f"plate {plate} holds a value that is not a number"
                )
            p = np.where(np.isfinite(p), p, 0.0)
            tcols = _torque_columns(table, plate)
            free = np.zeros((n, 3))
            if tcols is None:
                no_torque.append(plate)
            else:
                free = np.stack([table.column(c) for c in tcols], axis=1)
                free = np.where(np.isfinite(free), free, 0.0)
            # unloaded samples: their point is meaningless; keep only the (tiny) force at the
            # point of the nearest loaded sample, so that noise does not act far away
            if loaded.any() and not loaded.all():
                idx = np.flatnonzero(loaded)
                near = idx[np.clip(np.searchsorted(idx, np.arange(n)), 0, len(idx) - 1)]
                p = np.where(loaded[:, None], p, p[near])
                free = np.where(loaded[:, None], free, 0.0)
            force[side] += f
            moment[side] += np.cross(p, f) + free
    if no_torque:
        notes.append(
            "no free moment columns for " + ", ".join(no_torque) + ": the free moment is taken as 0"
        )
    return FootWrenches(table.time, force, moment, notes)
