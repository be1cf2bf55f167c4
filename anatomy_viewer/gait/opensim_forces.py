"""Ground reaction forces: which force plate is which foot, and when each foot is down.

numpy + stdlib only. Reads OpenSim ground reaction ``.mot`` files: one vertical force column
``<plate>_vy`` per plate (with ``<plate>_px`` / ``<plate>_pz`` for the centre of pressure), e.g.
``ground_force_vy`` + ``1_ground_force_vy`` (OpenSim's example files), ``ground_force_r_vy`` +
``ground_force_l_vy``, ``R_ground_force_vy`` + ``L_ground_force_vy``, or numbered plates
``ground_force_1_vy`` ... ``ground_force_8_vy``.

Which plate is which foot (in this order):

1. ``plates={"r": [...], "l": [...]}`` given by the caller (plate names as in the file without
   ``_vy``, or plate numbers): used as given.
2. A side in every plate name (a ``r``/``l``/``right``/``left`` word: ``ground_force_r``,
   ``R_ground_force``): by name.
3. Exactly two plates named ``X`` and ``1_X`` (OpenSim's example files, e.g. Gait2392's
   ``subject01_walk1_grf.mot`` and Hamner's running files): ``X`` = right, ``1_X`` = left.
4. Otherwise by the centre of pressure: every contact (force above 20 N) gets its mean centre of
   pressure; the walking line is fitted through them (direction of travel from the order of the
   contacts along x; on a treadmill +x is taken as forward, OpenSim's convention); a contact
   right of the line (OpenSim's z points right when walking along +x) is the right foot. Each
   plate goes to the foot of the majority of its contacts (an error asks for ``plates=`` when a
   plate's contacts disagree or there are no centre-of-pressure columns). ``trial_to_cycle``
   checks the result against the hip angles of the motion at each foot strike.

Events (:func:`detect_events`): a heel strike is the time the foot's vertical force rises above
the threshold (20 N by default), a toe-off the time it falls below, both interpolated between
samples. Noise is debounced: gaps in contact shorter than ``debounce`` (20 ms) are filled, then
contacts shorter than ``debounce`` are dropped. A contact already under way when the file starts
(or still under way when it ends) gives no heel strike (toe-off).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from anatomy_viewer.gait.opensim_table import (
    OpenSimFileError,
    Progress,
    Table,
    guard,
    read_table,
)

#: Force (N) above which a plate counts as loaded when assigning plates to feet.
_ASSIGN_THRESHOLD = 20.0


@dataclass
class GroundForces:
    """Vertical ground reaction force under each foot (N), summed over that foot's plates."""

    path: Path
    time: np.ndarray
    vertical: dict[str, np.ndarray]  # "r" / "l" -> (n,) N, upward positive
    plates: dict[str, tuple[str, ...]]  # "r" / "l" -> plate names (column prefix before _vy)
    assignment: str  # "given", "names", "OpenSim example order" or "centre of pressure"
    unused_plates: tuple[str, ...] = ()  # plates never loaded, or left out by the caller
    notes: list[str] = field(default_factory=list)

    def swapped(self, why: str) -> GroundForces:
        """The same forces with the feet exchanged (used when the hip angles contradict)."""
        return GroundForces(
            self.path,
            self.time,
            {"r": self.vertical["l"], "l": self.vertical["r"]},
            {"r": self.plates["l"], "l": self.plates["r"]},
            self.assignment + " (feet exchanged)",
            self.unused_plates,
            [*self.notes, why],
        )


@dataclass
class ContactEvents:
    """Heel strikes and toe-offs of each foot (seconds), and the debounced contact intervals."""

    time: np.ndarray  # the force samples' times
    contact: dict[str, np.ndarray]  # "r" / "l" -> (n,) bool after debouncing
    intervals: dict[str, list[tuple[float, float]]]  # contact [start, end) in seconds
    heel_strikes: dict[str, np.ndarray]
    toe_offs: dict[str, np.ndarray]
    threshold: float

    def stride_times(self, side: str = "r") -> np.ndarray:
        return np.diff(self.heel_strikes[side])

    def in_contact(self, side: str, t: np.ndarray) -> np.ndarray:
        """Whether foot ``side`` is down at times ``t`` (False outside the force recording)."""
        t = np.asarray(t, dtype=float)
        out = np.zeros(t.shape, dtype=bool)
        for a, b in self.intervals[side]:
            out |= (t >= a) & (t < b)
        return out


# ---------------------------------------------------------------------------- plates
def _plate_number(name: str) -> int | None:
    nums = re.findall(r"\d+", name)
    return int(nums[-1]) if nums else None


def _side_of(name: str) -> str | None:
    words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]
    has_r = any(w in ("r", "right") for w in words)
    has_l = any(w in ("l", "left") for w in words)
    if has_r != has_l:
        return "r" if has_r else "l"
    return None


def _find_plates(table: Table) -> list[str]:
    cols = table.columns
    vy = [c[:-3] for c in cols if c.lower().endswith("_vy") and len(c) > 3]
    forces = [p for p in vy if "force" in p.lower()]
    plates = forces or vy
    seen: list[str] = []
    for p in plates:
        if p not in seen:
            seen.append(p)
    return seen


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) index runs where ``mask`` is true."""
    m = np.concatenate([[False], mask, [False]]).astype(np.int8)
    d = np.diff(m)
    starts = np.flatnonzero(d == 1)
    ends = np.flatnonzero(d == -1)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _debounced(
    force: np.ndarray, time: np.ndarray, threshold: float, debounce: float
) -> np.ndarray:
    c = force > threshold
    n = len(c)
    if n < 2:
        return c
    dt = float(np.median(np.diff(time)))
    if not np.isfinite(dt) or dt <= 0:
        dt = float((time[-1] - time[0]) / max(n - 1, 1)) or 1.0
    min_len = debounce / dt
    for a, b in _runs(~c):
        if a > 0 and b < n and (b - a) < min_len:
            c[a:b] = True
    for a, b in _runs(c):
        if (b - a) < min_len:
            c[a:b] = False
    return c


def _crossing(time: np.ndarray, force: np.ndarray, i: int, threshold: float) -> float:
    """Time the force crosses ``threshold`` between samples i-1 and i."""
    t0, t1 = float(time[i - 1]), float(time[i])
    f0, f1 = float(force[i - 1]), float(force[i])
    if f1 == f0 or not np.isfinite(f1 - f0):
        return t1
    u = min(max((threshold - f0) / (f1 - f0), 0.0), 1.0)
    return t0 + u * (t1 - t0)


def _contacts(
    time: np.ndarray, force: np.ndarray, threshold: float, debounce: float
) -> tuple[np.ndarray, list[tuple[float, float]], list[float], list[float]]:
    c = _debounced(force, time, threshold, debounce)
    n = len(c)
    intervals: list[tuple[float, float]] = []
    strikes: list[float] = []
    offs: list[float] = []
    dt_end = float(time[-1] - time[-2]) if n >= 2 else 0.0
    for a, b in _runs(c):
        start = _crossing(time, force, a, threshold) if a > 0 else float(time[0])
        end = _crossing(time, force, b, threshold) if b < n else float(time[-1]) + dt_end
        if a > 0:
            strikes.append(start)
        if b < n:
            offs.append(end)
        intervals.append((start, end))
    return c, intervals, strikes, offs


def detect_events(
    grf: GroundForces, threshold: float = 20.0, *, debounce: float = 0.02
) -> ContactEvents:
    """Heel strikes and toe-offs of each foot from its vertical force (see the module doc)."""
    with guard(grf.path):
        contact: dict[str, np.ndarray] = {}
        intervals: dict[str, list[tuple[float, float]]] = {}
        hs: dict[str, np.ndarray] = {}
        to: dict[str, np.ndarray] = {}
        for side in ("r", "l"):
            c, iv, s, o = _contacts(grf.time, grf.vertical[side], threshold, debounce)
            contact[side] = c
            intervals[side] = iv
            hs[side] = np.asarray(s, dtype=float)
            to[side] = np.asarray(o, dtype=float)
        return ContactEvents(grf.time, contact, intervals, hs, to, float(threshold))


# ---------------------------------------------------------------------------- reading
def read_grf(
    path: str | Path,
    *,
    plates: dict[str, list[str | int]] | None = None,
    progress: Progress | None = None,
) -> GroundForces:
    """Read an OpenSim ground reaction force file; assign its plates to the feet.

    See the module documentation for the columns read and how plates are assigned;
    ``plates={"r": [2, 7], "l": [4, 8]}`` (numbers or names) overrides the assignment.
    Raises :class:`OpenSimFileError` for any problem with the file.
    """
    path = Path(path)
    table = read_table(path, progress=progress)
    with guard(path):
        return _grf_from_table(table, plates)


def _grf_from_table(table: Table, plates: dict[str, list[str | int]] | None) -> GroundForces:
    path = table.path
    names = _find_plates(table)
    if not names:
        coords = any(c.startswith(("hip_", "knee_", "pelvis_", "/jointset")) for c in table.columns)
        hint = " (it looks like a motion file)" if coords else ""
        raise OpenSimFileError(
            path,
            table.column_line,
            f"no vertical ground force column (named like 'ground_force_vy'){hint}",
        )
    if len(table.time) < 3:
        raise OpenSimFileError(path, None, "fewer than 3 rows: too short for ground forces")
    notes = list(table.notes)
    force: dict[str, np.ndarray] = {}
    for p in names:
        f = table.column(p + "_vy").astype(float)
        bad = np.flatnonzero(~np.isfinite(f))
        if len(bad):
            raise OpenSimFileError(
                path,
                table.line_of(int(bad[0])),
                f"the vertical force {p}_vy is {f[bad[0]]} (not a finite number)",
            )
        if f.min() < -5 * _ASSIGN_THRESHOLD and -f.min() > f.max():
            f = -f
            notes.append(
                f"{p}_vy is negative under load (force on the plate): its sign was flipped"
            )
        force[p] = f
    loaded = [p for p in names if force[p].max() > _ASSIGN_THRESHOLD]
    idle = tuple(p for p in names if p not in loaded)

    if plates is not None:
        assign, how = _given(table, names, plates), "given"
    elif all(_side_of(p) for p in names):
        assign = {s: tuple(p for p in names if _side_of(p) == s) for s in ("r", "l")}
        how = "names"
    elif (
        len(names) == 2
        and names[1] == f"1_{names[0]}"
        or (len(names) == 2 and names[0] == f"1_{names[1]}")
    ):
        right = names[0] if names[1] == f"1_{names[0]}" else names[1]
        left = names[1] if right == names[0] else names[0]
        assign = {"r": (right,), "l": (left,)}
        how = "OpenSim example order"
        notes.append(
            f"plates assigned by OpenSim's example convention: {right} = right foot, "
            f"{left} = left foot"
        )
    else:
        assign = _by_centre_of_pressure(table, loaded, force, notes)
        how = "centre of pressure"
    used = {p for s in ("r", "l") for p in assign[s]}
    unused = tuple(p for p in names if p not in used)
    for s, word in (("r", "right"), ("l", "left")):
        if not assign[s]:
            notes.append(f"no force plate for the {word} foot: its contacts are unknown")
    vertical = {
        s: (np.sum([force[p] for p in assign[s]], axis=0) if assign[s] else np.zeros(table.n_rows))
        for s in ("r", "l")
    }
    if idle:
        notes.append("plates never loaded: " + ", ".join(idle))
    return GroundForces(
        path=path,
        time=table.time,
        vertical=vertical,
        plates={s: tuple(assign[s]) for s in ("r", "l")},
        assignment=how,
        unused_plates=tuple(p for p in unused if p not in idle) + idle,
        notes=notes,
    )


def _given(
    table: Table, names: list[str], plates: dict[str, list[str | int]]
) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {"r": (), "l": ()}
    for side, items in plates.items():
        if side not in ("r", "l"):
            raise ValueError(f"plates: sides are 'r' and 'l', not {side!r}")
        chosen = []
        for item in items:
            key = str(item).strip()
            key = key[:-3] if key.endswith("_vy") else key
            if key in names:
                chosen.append(key)
                continue
            found = [p for p in names if key.isdigit() and _plate_number(p) == int(key)]
            if len(found) != 1:
                what = "is ambiguous" if found else "does not exist"
                raise OpenSimFileError(
                    table.path,
                    table.column_line,
                    f"force plate {item!r} {what} (the plates are {', '.join(names)})",
                )
            chosen.append(found[0])
        out[side] = tuple(chosen)
    both = set(out["r"]) & set(out["l"])
    if both:
        raise ValueError(f"plates: {', '.join(sorted(both))} given for both feet")
    return out


def _by_centre_of_pressure(
    table: Table, loaded: list[str], force: dict[str, np.ndarray], notes: list[str]
) -> dict[str, tuple[str, ...]]:
    path = table.path
    t = table.time
    contacts = []  # (start time, plate, x, z)
    no_cop = []
    for p in loaded:
        if not (table.has(p + "_px") and table.has(p + "_pz")):
            no_cop.append(p)
            continue
        px, pz = table.column(p + "_px"), table.column(p + "_pz")
        _, iv, _, _ = _contacts(t, force[p], _ASSIGN_THRESHOLD, 0.02)
        for a, b in iv:
            sel = (t >= a) & (t < b) & np.isfinite(px) & np.isfinite(pz)
            w = force[p][sel]
            if w.sum() <= 0:
                continue
            contacts.append(
                (a, p, float(np.average(px[sel], weights=w)), float(np.average(pz[sel], weights=w)))
            )
    hint = "pass plates={'r': [...], 'l': [...]} to say which plates each foot stood on"
    if no_cop:
        raise OpenSimFileError(
            path,
            table.column_line,
            f"plate names carry no side and {no_cop[0]} has no centre-of-pressure columns "
            f"({no_cop[0]}_px, {no_cop[0]}_pz); {hint}",
        )
    if len(contacts) < 2:
        raise OpenSimFileError(
            path, None, f"too few foot contacts to tell the feet apart by position; {hint}"
        )
    contacts.sort()
    x = np.array([c[2] for c in contacts])
    z = np.array([c[3] for c in contacts])
    dx = x[-1] - x[0]
    if abs(dx) > 0.3:
        direction = 1.0 if dx > 0 else -1.0
    else:
        direction = 1.0
        notes.append("the feet do not travel (treadmill?): +x taken as forward")
    if len(contacts) >= 4 and np.ptp(x) > 0.3:
        slope, icpt = np.polyfit(x, z, 1)
        lateral = (z - (icpt + slope * x)) * direction
    else:
        lateral = (z - z.mean()) * direction
    votes: dict[str, list[float]] = {}
    for (_, p, _, _), lat in zip(contacts, lateral, strict=True):
        votes.setdefault(p, []).append(float(lat))
    out: dict[str, list[str]] = {"r": [], "l": []}
    for p in loaded:
        v = np.array(votes.get(p, [0.0]))
        right = int((v > 0).sum())
        left = int((v < 0).sum())
        if right and left and max(right, left) < 0.75 * len(v):
            raise OpenSimFileError(
                path,
                None,
                f"plate {p} carries contacts of both feet ({right} right, {left} left); {hint}",
            )
        if right == left:
            raise OpenSimFileError(path, None, f"cannot tell which foot stood on plate {p}; {hint}")
        out["r" if right > left else "l"].append(p)
    labels = ["r" if lat > 0 else "l" for lat in lateral]
    alternate = all(a != b for a, b in zip(labels, labels[1:], strict=False))
    notes.append(
        "plates assigned to the feet by the centre of pressure: right "
        + (", ".join(out["r"]) or "none")
        + "; left "
        + (", ".join(out["l"]) or "none")
        + ("" if alternate else " (the feet do not alternate from contact to contact: check)")
    )
    return {s: tuple(out[s]) for s in ("r", "l")}
