"""OpenSim data in: motions, muscle activations, EMG and ground reaction forces -> a GaitCycle.

numpy + stdlib only (no Qt, no VTK). The public API:

- :func:`read_table` -> :class:`Table`: any OpenSim ``.mot``/``.sto`` or CSV with a time column;
- :func:`read_motion` -> :class:`Motion`: joint coordinates in degrees under the model's names;
- :func:`read_activations` -> :class:`Activations`: activations (simulation) or EMG envelopes
  mapped to the model's muscles, with :func:`suggest_mapping` for EMG labels;
- :func:`read_grf` -> :class:`GroundForces` and :func:`detect_events` -> :class:`ContactEvents`;
- :func:`trial_to_cycle` -> :class:`~anatomy_viewer.gait.cycle.GaitCycle`.

Every problem with a file's content raises :class:`OpenSimFileError` (``str()``: "file, line N:
problem."); no other exception escapes these functions for any file content. Wrong *arguments*
(an unknown muscle in ``mapping=``, a side other than "r"/"l") raise ``ValueError``.
What each reader did beyond the obvious (a sign flipped, units guessed, EMG normalised, plates
assigned) is written in the result's ``notes``, for the user to see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import numpy as np

from anatomy_viewer.anatomy.names import LEG_COORDINATES, model_muscle_names
from anatomy_viewer.gait.cycle import Event, GaitCycle, Phase, Provenance
from anatomy_viewer.gait.opensim_forces import (
    ContactEvents,
    GroundForces,
    detect_events,
    read_grf,
)
from anatomy_viewer.gait.opensim_names import (
    MODEL_COORDINATES,
    MUSCLE_ALIASES,
    PELVIS_TRANSLATIONS,
    coordinate_key,
    exact_muscle,
    model_coordinate,
    muscle_state,
    suggest_mapping,
)
from anatomy_viewer.gait.opensim_table import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    OpenSimFileError,
    Progress,
    Table,
    guard,
    read_table,
)

__all__ = [
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MODEL_COORDINATES",
    "MUSCLE_ALIASES",
    "NO_ACTIVATION_DATA",
    "Activations",
    "ContactEvents",
    "GroundForces",
    "Motion",
    "OpenSimFileError",
    "Table",
    "detect_events",
    "model_muscle_names",
    "read_activations",
    "read_grf",
    "read_motion",
    "read_table",
    "suggest_mapping",
    "trial_to_cycle",
]

#: Leg joint angles (and pelvis tilt/list) checked for plausible units and range.
_ANGLE_CHECKED = ("pelvis_tilt", "pelvis_list") + tuple(
    f"{c}_{s}" for s in ("r", "l") for c in LEG_COORDINATES
)
#: Provenance of a muscle without activation data in an imported trial (shown at zero). Its
#: kind "none" is outside ``ProvenanceKind`` (measured/simulated/estimated) on purpose.
NO_ACTIVATION_DATA = Provenance("none", "no activation data: shown at zero")
#: Samples of a whole trial (no cycle cut): at most this many, at most 100 per second.
MAX_TRIAL_SAMPLES = 2001
#: Leg joint angles beyond this (degrees) are not angles a leg takes.
MAX_JOINT_ANGLE = 180.0
#: Flexion angles (their range tells degrees from radians).
_FLEXIONS = ("hip_flexion", "knee_angle", "ankle_angle")
#: A flexion angle moving through more than this (in the file's numbers) while every leg
#: angle stays within ±π is in radians (20°), whatever the header says.
RADIANS_SWING = 0.35
#: The largest mismatch (degrees) of a flexion angle between a cut stride's end and its
#: start that is joined over the cycle; more means the cut is not one stride of this motion
#: (forces from another trial, a turn, a stumble).
MAX_JOIN_CORRECTION = 30.0


# ============================================================================ motion
@dataclass
class Motion:
    """Joint coordinates over time, in degrees, under the model's names.

    ``coordinates`` holds every model coordinate (``MODEL_COORDINATES``); those the file lacks
    are 0 (neutral) and listed in ``missing``. ``pelvis_translation`` keeps pelvis_tx/ty/tz
    (metres) when present. ``unknown`` lists file columns that are not model coordinates
    (lumbar, arms, ...); ``ignored`` lists coordinate speeds and ``/forceset`` columns.
    ``sign_flipped`` names coordinates whose sign was changed (the Gait2392 knee).
    """

    path: Path
    time: np.ndarray
    coordinates: dict[str, np.ndarray]
    pelvis_translation: dict[str, np.ndarray] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # model coordinate -> file column
    missing: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    sign_flipped: tuple[str, ...] = ()
    in_degrees: bool = True  # the file's angles were in degrees (False: converted from radians)
    family: str = "rajagopal"  # "rajagopal" (knee flexion +) or "gait2392" (knee flexion -)
    notes: list[str] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return float(self.time[-1] - self.time[0])

    @property
    def rate(self) -> float:
        """Mean sampling rate (Hz)."""
        return (len(self.time) - 1) / self.duration if self.duration > 0 else 0.0


def read_motion(
    path: str | Path,
    *,
    in_degrees: bool | None = None,
    knee_flexion: Literal["auto", "positive", "negative"] = "auto",
    progress: Progress | None = None,
) -> Motion:
    """Read joint coordinates (an IK ``.mot``, a states ``.sto``, a Moco solution, a CSV).

    Units: ``in_degrees`` if given, else the header's ``inDegrees``, else radians for OpenSim 4
    path names (``/jointset/...``), else guessed from the values (said in ``notes``). A file
    that says radians but holds leg angles beyond 2π is an error naming the column.

    Knee sign: the Gait2392 family (Gait2392/2354, Hamner, Arnold) measures knee flexion
    negative; the model measures it positive. ``knee_flexion="auto"`` flips the knees when most
    of their values are below -5° (said in ``notes``, listed in ``sign_flipped``);
    "negative" always flips, "positive" never does.
    """
    if knee_flexion not in ("auto", "positive", "negative"):
        raise ValueError(
            f"knee_flexion must be 'auto', 'positive' or 'negative', not {knee_flexion!r}"
        )
    path = Path(path)
    table = read_table(path, progress=progress)
    with guard(path):
        return _motion_from_table(table, in_degrees, knee_flexion)


def _is_force_column(name: str) -> bool:
    low = name.lower()
    return "force" in low and low.endswith(("_vx", "_vy", "_vz"))


def _first_bad_row(values: np.ndarray) -> int | None:
    bad = np.flatnonzero(~np.isfinite(values))
    return int(bad[0]) if len(bad) else None


def _motion_from_table(table: Table, in_degrees: bool | None, knee_flexion: str) -> Motion:
    path = table.path
    notes = list(table.notes)
    mapped: dict[str, str] = {}  # model coordinate or translation -> column
    unknown: list[str] = []
    ignored: list[str] = []
    path_named = False
    for col in table.columns:
        kind, name = coordinate_key(col)
        if kind == "speed" or (kind == "other" and (col.startswith("/forceset") or "." in col)):
            ignored.append(col)  # speeds, muscle states and controls: not coordinates
            continue
        target = model_coordinate(name) if kind in ("value", "plain") else None
        if target is None:
            unknown.append(col)
            continue
        if target in mapped:
            unknown.append(col)
            notes.append(f"{col} repeats {mapped[target]} (both are {target}): the first is used")
            continue
        mapped[target] = col
        path_named = path_named or kind == "value"

    force_cols = [c for c in table.columns if _is_force_column(c)]
    angles = [k for k in mapped if k in MODEL_COORDINATES]
    if force_cols and all(not np.any(table.column(mapped[k])) for k in angles):
        raise OpenSimFileError(
            path,
            table.column_line,
            f"holds ground reaction forces ({force_cols[0]} ...), not joint angles: "
            "open it as ground forces",
        )
    if not angles:
        muscles = suggest_mapping(list(table.columns))
        what = (
            "holds muscle activations or EMG, not joint angles: open it as activations"
            if muscles
            else "no joint coordinate columns (named like hip_flexion_r or "
            "/jointset/hip_r/hip_flexion_r/value)"
        )
        raise OpenSimFileError(path, table.column_line, what)
    if table.n_rows < 2:
        raise OpenSimFileError(path, table.line_of(0), "only one row: a motion needs two or more")

    raw: dict[str, np.ndarray] = {}
    for k, col in mapped.items():
        v = table.column(col)
        r = _first_bad_row(v)
        if r is not None:
            raise OpenSimFileError(
                path, table.line_of(r), f"column {col!r} holds {v[r]} (not a finite number)"
            )
        raw[k] = v

    # ---- units
    checked = [k for k in _ANGLE_CHECKED if k in raw]
    peak_name, peak_row, peak = "", 0, 0.0
    for k in checked:
        i = int(np.argmax(np.abs(raw[k])))
        if abs(raw[k][i]) > peak:
            peak_name, peak_row, peak = k, i, float(abs(raw[k][i]))
    if in_degrees is not None:
        degrees, said = bool(in_degrees), "given"
    elif table.in_degrees is not None:
        degrees, said = table.in_degrees, "header"
    elif path_named:
        degrees, said = False, "paths"
        notes.append("no inDegrees in the header: OpenSim 4 coordinate values are radians")
    else:
        degrees, said = peak > 2 * np.pi, "guess"
        notes.append(
            "the file does not say whether angles are degrees or radians: read as "
            + ("degrees" if degrees else "radians")
            + f" (largest leg angle {peak:.3g})"
        )
    if not degrees and said != "given" and peak > 2 * np.pi + 0.01:
        why = "the header says inDegrees=no" if said == "header" else "OpenSim 4 values are radians"
        raise OpenSimFileError(
            path,
            table.line_of(peak_row),
            f"{mapped[peak_name]} is {raw[peak_name][peak_row]:.4g} here, more than 2π in size: "
            "the angles look like degrees "
            f"although {why} (fix the header to inDegrees=yes)",
        )
    if degrees and said == "header" and checked and peak < np.pi:
        # Every leg angle within ±π although the header says degrees: radians, if the leg
        # moves (as degrees it would stand nearly still, below 3°, which no gait does).
        swing_name, swing = max(
            ((k, float(np.ptp(raw[k]))) for k in checked if k.startswith(_FLEXIONS)),
            key=lambda item: item[1],
            default=("", 0.0),
        )
        if swing > RADIANS_SWING:
            degrees = False
            notes.append(
                f"the header says inDegrees=yes, but no leg angle exceeds {peak:.2g} while "
                f"{mapped[swing_name]} moves through {swing:.2g}: the angles are radians "
                "(in degrees the leg would hardly move) and were converted to degrees"
            )
        elif float(table.time[-1] - table.time[0]) > 0.5:
            notes.append(
                f"inDegrees=yes but no leg angle exceeds {peak:.2g}°: are the angles radians?"
            )
    scale = 1.0 if degrees else 180.0 / np.pi
    coords: dict[str, np.ndarray] = {}
    for k in MODEL_COORDINATES:
        coords[k] = raw[k] * scale if k in raw else np.zeros(table.n_rows)
    for k in checked:
        v = coords[k]
        if np.abs(v).max() <= MAX_JOINT_ANGLE:
            continue
        # Angles written in another range (0..360°) or wrapping around at ±180°: unwrapped.
        unwrapped = np.unwrap(v, period=360.0)
        unwrapped -= 360.0 * np.round(np.median(unwrapped) / 360.0)
        if np.abs(unwrapped).max() <= MAX_JOINT_ANGLE:
            coords[k] = unwrapped
            notes.append(
                f"{mapped[k]} runs outside ±180° (from {v.min():.4g}° to {v.max():.4g}°): read "
                "as the same angles within ±180°"
            )
            continue
        i = int(np.argmax(np.abs(v)))
        raise OpenSimFileError(
            path,
            table.line_of(i),
            f"{mapped[k]} is {v[i]:.4g}° here: not a plausible joint angle (leg joint angles "
            f"stay within ±{MAX_JOINT_ANGLE:g}°)",
        )

    # ---- knee sign (Gait2392 family: flexion negative)
    knees = [k for k in ("knee_angle_r", "knee_angle_l") if k in raw]
    flipped: tuple[str, ...] = ()
    family = "rajagopal"
    if knees:
        v = np.concatenate([coords[k] for k in knees])
        neg, pos = float(np.mean(v < -5.0)), float(np.mean(v > 5.0))
        flip = knee_flexion == "negative" or (knee_flexion == "auto" and neg > 0.3 and neg > pos)
        if flip:
            for k in knees:
                coords[k] = -coords[k]
            flipped = tuple(knees)
            family = "gait2392"
            how = "as asked" if knee_flexion == "negative" else f"{neg:.0%} of the values below -5°"
            notes.append(
                f"knee angles are negative in flexion (Gait2392-family model; {how}): "
                "their sign was flipped to the model's flexion-positive convention"
            )
    missing = tuple(k for k in MODEL_COORDINATES if k not in raw)
    if missing:
        notes.append("coordinates missing from the file (held at 0): " + ", ".join(missing))
    if not degrees:
        notes.append("angles converted from radians to degrees")
    translation = {k: raw[k].copy() for k in PELVIS_TRANSLATIONS if k in raw}
    return Motion(
        path=path,
        time=table.time,
        coordinates=coords,
        pelvis_translation=translation,
        columns=dict(mapped),
        missing=missing,
        unknown=tuple(unknown),
        ignored=tuple(ignored),
        sign_flipped=flipped,
        in_degrees=degrees,
        family=family,
        notes=notes,
    )


# ============================================================================ activations
@dataclass
class Activations:
    """Muscle activations (0..1) over time for the model's muscles.

    ``values`` is (n_muscles, n_samples), zero for muscles without data (``present`` False).
    ``mapping`` says which file column drives which muscles. ``kind`` is "measured" (EMG
    envelopes) or "simulated". ``normalised`` lists the columns scaled to peak 1. ``unknown``
    columns matched no muscle (``suggestions`` proposes matches for some of them, to confirm and
    pass back as ``mapping=``); ``ignored`` columns are known other quantities (coordinates,
    muscle excitations beside their activations).
    """

    path: Path
    time: np.ndarray
    muscle_names: tuple[str, ...]
    values: np.ndarray
    present: np.ndarray
    mapping: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kind: Literal["measured", "simulated"] = "simulated"
    normalised: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    suggestions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def source(self) -> str:
        return self.path.name

    @property
    def mapped_muscles(self) -> tuple[str, ...]:
        return tuple(m for m, p in zip(self.muscle_names, self.present, strict=True) if p)

    def activation(self, muscle: str) -> np.ndarray:
        return self.values[self.muscle_names.index(muscle)]


_PRIORITY = {"given": 0, "activation": 1, "name": 2, "control": 3}


def read_activations(
    path: str | Path,
    muscle_names: Iterable[str] | None = None,
    *,
    mapping: Mapping[str, str | Iterable[str]] | None = None,
    side: Literal["r", "l", "both"] = "r",
    kind: Literal["measured", "simulated"] | None = None,
    progress: Progress | None = None,
) -> Activations:
    """Read muscle activations or EMG envelopes and map the columns to ``muscle_names``.

    Columns map to muscles automatically by exact name (``vaslat_r``), OpenSim 4 path
    (``/forceset/vaslat_r/activation``; a muscle's ``/forceset/<m>`` excitation is used only if
    its activation is absent) or base name plus ``side`` (``vaslat`` -> ``vaslat_r``; ``side``
    may be "r", "l" or "both"). Other labels (``TA``, ``gluteus_maximus`` ...) are proposed in
    ``suggestions`` (see :func:`suggest_mapping`) and used once confirmed through ``mapping=``
    (column -> muscle name or names; it takes precedence over the automatic matches).

    ``kind`` defaults to "measured" for CSV files and files whose name or header says EMG /
    electromyography, else "simulated". Measured columns not already within 0..1 are
    normalised to peak 1 (negatives clipped); simulated values must lie within 0..1.
    ``muscle_names`` defaults to the model's 80 muscles (:func:`model_muscle_names`).
    """
    names = tuple(muscle_names) if muscle_names is not None else model_muscle_names()
    if side not in ("r", "l", "both"):
        raise ValueError(f"side must be 'r', 'l' or 'both', not {side!r}")
    given: dict[str, tuple[str, ...]] = {}
    for col, target in (mapping or {}).items():
        targets = (target,) if isinstance(target, str) else tuple(target)
        bad = [t for t in targets if t not in names]
        if bad:
            raise ValueError(f"mapping: {', '.join(bad)} is not one of the model's muscles")
        given[col] = targets
    path = Path(path)
    table = read_table(path, progress=progress)
    with guard(path):
        return _activations_from_table(table, names, given, side, kind)


def _activations_from_table(
    table: Table,
    names: tuple[str, ...],
    given: dict[str, tuple[str, ...]],
    side: str,
    kind: str | None,
) -> Activations:
    path = table.path
    notes = list(table.notes)
    available = set(names)
    candidates: list[tuple[int, int, str, tuple[str, ...]]] = []  # priority, order, col, muscles
    unknown: list[str] = []
    ignored: list[str] = []
    side_added: set[str] = set()
    for order, col in enumerate(table.columns):
        if col in given:
            candidates.append((_PRIORITY["given"], order, col, given[col]))
            continue
        m = exact_muscle(col, available, side)
        if m is not None:
            candidates.append((_PRIORITY[m[1]], order, col, m[0]))
            if m[2]:
                side_added.add(col)
            continue
        ckind, cname = coordinate_key(col)
        if (
            ckind in ("value", "speed")
            or model_coordinate(cname) is not None
            or muscle_state(col, available)
        ):
            ignored.append(col)
        else:
            unknown.append(col)
    missing_given = [c for c in given if not table.has(c)]
    if missing_given:
        notes.append("mapping names columns the file does not have: " + ", ".join(missing_given))

    owner: dict[str, str] = {}  # muscle -> column
    used: dict[str, tuple[str, ...]] = {}
    for prio, _, col, muscles in sorted(candidates):
        free = tuple(m for m in muscles if m not in owner)
        if not free:
            ignored.append(col)
            if prio != _PRIORITY["control"]:
                notes.append(f"{col} drives muscles already taken by another column: not used")
            continue
        for m in free:
            owner[m] = col
        used[col] = free
    if any(p == _PRIORITY["control"] for p, _, c, _ in candidates if c in used):
        notes.append("muscle excitations (/forceset/<muscle>) used where no activation was given")

    suggestions = suggest_mapping(unknown, names, side) if unknown else {}
    if not used:
        if suggestions:
            notes.append(
                "no column names one of the model's muscles exactly; suggested matches for "
                f"{len(suggestions)} columns: confirm them and pass mapping="
            )
        elif ignored and not unknown:
            raise OpenSimFileError(
                path,
                table.column_line,
                "holds joint coordinates, not muscle activations: open it as a motion",
            )
        else:
            raise OpenSimFileError(
                path,
                table.column_line,
                "no column names a muscle of the model (expected names like vaslat_r, "
                "/forceset/vaslat_r/activation, or EMG labels such as soleus or TA)",
            )

    if kind is None:
        low = (table.name + " " + path.name).lower()
        measured = table.format == "csv" or "emg" in low or "electromyography" in low
        kind = "measured" if measured else "simulated"
    n = table.n_rows
    values = np.zeros((len(names), n))
    present = np.zeros(len(names), dtype=bool)
    index = {m: i for i, m in enumerate(names)}
    normalised: list[str] = []
    clipped: list[str] = []
    for col, muscles in used.items():
        v = table.column(col).astype(float)
        r = _first_bad_row(v)
        if r is not None:
            raise OpenSimFileError(
                path, table.line_of(r), f"column {col!r} holds {v[r]} (not a finite number)"
            )
        lo, hi = float(v.min()), float(v.max())
        if kind == "measured":
            if hi > 0 and lo < -0.2 * hi:
                raise OpenSimFileError(
                    path,
                    table.line_of(int(np.argmin(v))),
                    f"column {col!r} swings down to {lo:.3g} against a peak of {hi:.3g}: it "
                    "looks like raw EMG, not an envelope (rectify and low-pass filter it first)",
                )
            if hi > 1.0 + 1e-9 or lo < -0.05:
                v = np.clip(v, 0.0, None) / hi if hi > 0 else np.zeros_like(v)
                normalised.append(col)
            elif 0 < hi < 0.02:
                notes.append(
                    f"{col} peaks at {hi:.2g}: if these are volts rather than a 0..1 envelope, "
                    "scale them to peak 1 before loading"
                )
        else:
            if hi > 1.5 or lo < -0.5:
                i = int(np.argmax(v)) if hi > 1.5 else int(np.argmin(v))
                raise OpenSimFileError(
                    path,
                    table.line_of(i),
                    f"column {col!r} is {v[i]:.4g} here: activations lie within 0..1 "
                    "(is this a muscle force or another kind of file?)",
                )
            if hi > 1.0 + 1e-6 or lo < -1e-6:
                clipped.append(col)
        v = np.clip(v, 0.0, 1.0)
        for m in muscles:
            values[index[m]] = v
            present[index[m]] = True
    if normalised:
        notes.append(
            "EMG normalised to peak 1 per column (the values were not within 0..1): "
            + ", ".join(normalised)
        )
    if clipped:
        notes.append("activations slightly outside 0..1 clipped: " + ", ".join(clipped))
    if side_added & set(used):
        word = {"r": "the right leg", "l": "the left leg", "both": "both legs"}[side]
        notes.append(
            f"columns without a side were given to {word}: " + ", ".join(sorted(side_added))
        )
    return Activations(
        path=path,
        time=table.time,
        muscle_names=names,
        values=values,
        present=present,
        mapping=used,
        kind=kind,  # type: ignore[arg-type]
        normalised=tuple(normalised),
        unknown=tuple(c for c in unknown if c not in used),
        ignored=tuple(ignored),
        suggestions=suggestions,
        notes=notes,
    )


# ============================================================================ trial -> cycle
def _hip_cue(motion: Motion, events: ContactEvents) -> float | None:
    """Fraction of heel strikes at which the striking leg's hip is the more flexed one."""
    t = motion.time
    votes = []
    for s, o in (("r", "l"), ("l", "r")):
        if f"hip_flexion_{s}" in motion.missing or f"hip_flexion_{o}" in motion.missing:
            return None
        for hs in events.heel_strikes[s]:
            if t[0] <= hs <= t[-1]:
                d = np.interp(hs, t, motion.coordinates[f"hip_flexion_{s}"]) - np.interp(
                    hs, t, motion.coordinates[f"hip_flexion_{o}"]
                )
                votes.append(d > 0)
    return float(np.mean(votes)) if len(votes) >= 2 else None


def _intervals_percent(
    intervals: list[tuple[float, float]], a: float, b: float
) -> list[tuple[float, float]]:
    out = []
    for s, e in intervals:
        s2, e2 = max(s, a), min(e, b)
        if e2 > s2:
            out.append(((s2 - a) / (b - a) * 100.0, (e2 - a) / (b - a) * 100.0))
    return out


def _complement(iv: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out, pos = [], 0.0
    for s, e in sorted(iv):
        if s > pos + 1e-9:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < 100.0 - 1e-9:
        out.append((pos, 100.0))
    return out


def _union(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for s, e in sorted(a + b):
        if out and s <= out[-1][1] + 1e-9:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _phase_list(side: str, name: str, iv: list[tuple[float, float]], periodic: bool) -> list[Phase]:
    iv = sorted(iv)
    if periodic and len(iv) >= 2 and iv[0][0] <= 1e-9 and iv[-1][1] >= 100.0 - 1e-9:
        iv = [*iv[1:-1], (iv[-1][0], iv[0][1])]  # wraps around 100 %
    elif periodic and len(iv) == 1 and iv[0][0] <= 1e-9 and iv[0][1] >= 100 - 1e-9:
        iv = [(0.0, 100.0)]
    return [Phase(side, name, round(float(s), 4), round(float(e), 4)) for s, e in iv]


def trial_to_cycle(
    motion: Motion,
    activations: Activations | None = None,
    grf: GroundForces | None = None,
    muscle_names: Iterable[str] | None = None,
    *,
    n_samples: int | None = None,
    threshold: float = 20.0,
    close_cycle: bool = True,
    name: str | None = None,
    notes: list[str] | None = None,
) -> GaitCycle:
    """Turn a trial into a GaitCycle the viewer can play.

    With ground forces: the first full right stride (right heel strike to the next) inside the
    motion (and, if possible, inside the activations) is cut, resampled to ``n_samples`` points
    over 0..100 % (default 101), with contacts, events (heel strikes = "initial_contact",
    toe-offs), phases ("stance"/"swing" per leg, "flight" for both legs while neither foot is
    down, listed first) and ``stride_time`` from the forces. With ``close_cycle`` the small
    mismatch between the stride's end and start is spread linearly over the cycle so that it
    loops without a jump (the largest correction is said in ``notes``).

    Without forces (or without a full right stride inside the motion): the whole trial as a
    non-periodic cycle that plays in real time: percent 0..100 of its duration,
    ``stride_time`` = the duration, at most 100 samples/s and :data:`MAX_TRIAL_SAMPLES`
    samples unless ``n_samples`` says otherwise. Contacts come from the forces when given,
    else they are unknown and False.

    Activations: every muscle gets a ``provenance`` entry. With data: ``Provenance(kind, file
    name)``, kind "measured" (EMG) or "simulated" (a simulation). Without data (no activations
    given, or a muscle the file lacks): zeros and :data:`NO_ACTIVATION_DATA`, whose kind is
    "none". ``muscle_names`` defaults to the activations' names, else the model's 80
    muscles. What was done is appended to ``notes`` when a list is given (the GaitCycle has no
    place for it).
    """
    if n_samples is not None and int(n_samples) < 2:
        raise ValueError("n_samples must be 2 or more")
    out_notes: list[str] = [] if notes is None else notes
    out_notes.extend(motion.notes)
    names = (
        tuple(muscle_names)
        if muscle_names is not None
        else (activations.muscle_names if activations is not None else model_muscle_names())
    )
    path = grf.path if grf is not None else motion.path
    with guard(path):
        return _trial_to_cycle(
            motion, activations, grf, names, n_samples, threshold, close_cycle, name, out_notes
        )


def _on_motion_clock(motion: Motion, time: np.ndarray, path: Path, notes: list[str]):
    """The times of another file of the trial (forces, activations) on the motion's clock:
    unchanged, or divided by 1000 when they are plainly milliseconds (they span about 1000
    times the motion's seconds and then cover it). A file whose times do not overlap the
    motion's at all belongs to another trial: refused."""
    t0, t1 = float(motion.time[0]), float(motion.time[-1])
    span = t1 - t0
    a, b = float(time[0]), float(time[-1])

    def cover(lo: float, hi: float) -> float:
        return max(0.0, min(hi, t1) - max(lo, t0)) / span if span > 0 else 0.0

    if span > 0 and 300.0 <= (b - a) / span <= 3000.0 and cover(a / 1000, b / 1000) > 0.5:
        notes.append(
            f"{path.name}: its times ({a:.4g}-{b:.4g}) are milliseconds while the motion's are "
            f"seconds ({t0:.3g}-{t1:.3g} s): converted to seconds"
        )
        return time / 1000.0
    if b < t0 or a > t1:
        raise OpenSimFileError(
            path,
            None,
            f"its times ({a:.4g}-{b:.4g} s) do not overlap those of the motion "
            f"{motion.path.name} ({t0:.4g}-{t1:.4g} s): the files are not of one trial",
        )
    return time


def _trial_to_cycle(
    motion: Motion,
    activations: Activations | None,
    grf: GroundForces | None,
    names: tuple[str, ...],
    n_samples: int | None,
    threshold: float,
    close_cycle: bool,
    name: str | None,
    out_notes: list[str],
) -> GaitCycle:
    t_m = motion.time
    t0, t1 = float(t_m[0]), float(t_m[-1])
    events: ContactEvents | None = None
    window: tuple[float, float] | None = None
    if grf is not None:
        clock = _on_motion_clock(motion, grf.time, grf.path, out_notes)
        if clock is not grf.time:
            grf = replace(grf, time=clock)
    if activations is not None:
        clock = _on_motion_clock(motion, activations.time, activations.path, out_notes)
        if clock is not activations.time:
            activations = replace(activations, time=clock)
    if grf is not None:
        events = detect_events(grf, threshold)
        if grf.assignment.startswith("centre of pressure"):
            cue = _hip_cue(motion, events)
            if cue is not None and cue < 0.25:
                grf = grf.swapped(
                    "the feet were exchanged: at the heel strikes the other leg's hip was the "
                    "more flexed one, so the centre-of-pressure assignment was reversed"
                )
                events = detect_events(grf, threshold)
        out_notes.extend(grf.notes)
        tol = 0.5 / motion.rate if motion.rate > 0 else 0.0
        hs = events.heel_strikes["r"]
        pairs = [
            (float(a), float(b))
            for a, b in zip(hs[:-1], hs[1:], strict=True)
            if a >= t0 - tol and b <= t1 + tol
        ]
        left = events.heel_strikes["l"]
        if grf.plates["l"] and pairs:
            # one left heel strike per stride: skips "strides" spanning a step off the plates
            single = [p for p in pairs if np.count_nonzero((left > p[0]) & (left < p[1])) == 1]
            if not single:
                a, b = pairs[0]
                k = np.count_nonzero((left > a) & (left < b))
                out_notes.append(
                    f"the right stride {a:.3g}-{b:.3g} s holds {k} left heel strikes, not one: "
                    "a step may be missing from the forces"
                )
            pairs = single or pairs
        if activations is not None and pairs:
            ta = activations.time
            covered = [p for p in pairs if p[0] >= ta[0] - tol and p[1] <= ta[-1] + tol]
            if covered:
                pairs = covered
            else:
                out_notes.append(
                    "no right stride lies within the activations' time range: their first or "
                    "last values are held where they end"
                )
        if pairs:
            window = pairs[0]
        else:
            out_notes.append(
                "no complete right stride (two right heel strikes) lies within the motion "
                f"({t0:.3g}-{t1:.3g} s): the whole trial is shown in time"
            )

    if window is not None:
        a, b = window
        periodic = True
        n = int(n_samples) if n_samples else 101
    else:
        a, b = t0, t1
        periodic = False
        rate = min(motion.rate, 100.0) if motion.rate > 0 else 100.0
        wanted = round((b - a) * rate) + 1
        n = int(n_samples) if n_samples else int(min(max(wanted, 101), MAX_TRIAL_SAMPLES))
        if not n_samples and wanted > MAX_TRIAL_SAMPLES:
            out_notes.append(
                f"the {b - a:.0f} s trial is shown with {n} samples ({(n - 1) / (b - a):.3g} "
                "per second); cut it or pass n_samples for more"
            )
    if b <= a:
        raise OpenSimFileError(motion.path, None, "the motion lasts no time")
    percent = np.linspace(0.0, 100.0, n)
    t = a + percent / 100.0 * (b - a)
    t[-1] = b  # exactly: the closing heel strike is in contact like the opening one
    ramp = percent / 100.0

    coords: dict[str, np.ndarray] = {}
    worst = ("", 0.0)
    for k in MODEL_COORDINATES:
        v = np.interp(t, t_m, motion.coordinates[k])
        if periodic and close_cycle:
            drift = float(v[-1] - v[0])
            v = v - drift * ramp
            if abs(drift) > abs(worst[1]):
                worst = (k, drift)
        coords[k] = v
    flexion_drift = max(
        (
            abs(
                float(
                    np.interp(b, t_m, motion.coordinates[k])
                    - np.interp(a, t_m, motion.coordinates[k])
                )
            )
            for k in MODEL_COORDINATES
            if k.startswith(_FLEXIONS) and k not in motion.missing
        ),
        default=0.0,
    )
    if periodic and flexion_drift > MAX_JOIN_CORRECTION:
        raise OpenSimFileError(
            grf.path if grf is not None else motion.path,
            None,
            f"the right stride cut at {a:.3g}-{b:.3g} s ends {flexion_drift:.0f}° away from "
            f"where it starts (more than {MAX_JOIN_CORRECTION:g}°): it is not one stride of "
            f"{motion.path.name}; are the forces of this trial?",
        )
    if periodic and close_cycle and worst[0]:
        out_notes.append(
            f"the stride's end was joined to its start (largest correction {worst[1]:.2g}° on "
            f"{worst[0]}, spread over the cycle)"
        )

    # activations
    acts = np.zeros((len(names), n))
    provenance: dict[str, Provenance] = {}
    if activations is not None:
        idx = {m: i for i, m in enumerate(activations.muscle_names)}
        ta = activations.time
        for j, m in enumerate(names):
            i = idx.get(m)
            if i is None or not activations.present[i]:
                continue
            v = np.interp(t, ta, activations.values[i])
            if periodic and close_cycle:
                v = v - (v[-1] - v[0]) * ramp
            acts[j] = np.clip(v, 0.0, 1.0)
            provenance[m] = Provenance(activations.kind, activations.source)
        for m in names:
            provenance.setdefault(m, NO_ACTIVATION_DATA)
        inside = np.mean((t >= ta[0] - 1e-9) & (t <= ta[-1] + 1e-9))
        if inside < 1.0:
            out_notes.append(
                f"the activations cover {inside:.0%} of the {'stride' if periodic else 'trial'}; "
                "their first/last values are held outside"
            )
        out_notes.extend(activations.notes)
        without = sum(p is NO_ACTIVATION_DATA for p in provenance.values())
        if without:
            out_notes.append(f"{without} muscles have no activation data: shown at zero")
    else:
        provenance = dict.fromkeys(names, NO_ACTIVATION_DATA)
        out_notes.append("no activation data: every muscle is shown at zero (provenance 'none')")

    # contacts, events, phases
    ev: list[Event] = []
    phases: list[Phase] = []
    if events is not None:
        contact_r = events.in_contact("r", t)
        contact_l = events.in_contact("l", t)
        span = b - a
        for side in ("r", "l"):
            for kind, times in (
                ("initial_contact", events.heel_strikes[side]),
                ("toe_off", events.toe_offs[side]),
            ):
                for x in times:
                    if a - 1e-9 <= x < b - 1e-9 or (not periodic and abs(x - b) < 1e-9):
                        ev.append(Event(side, kind, round(float((x - a) / span * 100.0), 4)))
        stance = {s: _intervals_percent(events.intervals[s], a, b) for s in ("r", "l")}
        flight: list[tuple[float, float]] = []
        if grf is not None and grf.plates["r"] and grf.plates["l"]:
            flight = _complement(_union(stance["r"], stance["l"]))
            for side in ("r", "l"):
                phases += _phase_list(side, "flight", flight, periodic)
        for side in ("r", "l"):
            phases += _phase_list(side, "stance", stance[side], periodic)
            # swing outside flight, as in the built-in gaits: a leg's phases never overlap
            swing = _complement(_union(stance[side], flight))
            phases += _phase_list(side, "swing", swing, periodic)
        if periodic and grf is not None and grf.plates["l"]:
            if not any(e.side == "l" and e.kind == "initial_contact" for e in ev):
                out_notes.append("no left heel strike was recorded within the stride")
        if not periodic:
            cover = np.mean((t >= grf.time[0]) & (t <= grf.time[-1])) if grf is not None else 0
            if cover < 1.0:
                out_notes.append(
                    f"the forces cover {cover:.0%} of the trial: contacts are unknown elsewhere"
                )
    else:
        contact_r = np.zeros(n, dtype=bool)
        contact_l = np.zeros(n, dtype=bool)
        out_notes.append("no ground forces: foot contacts are unknown (shown as not in contact)")

    speed = None
    tx = motion.pelvis_translation.get("pelvis_tx")
    if tx is not None:
        v = (np.interp(b, t_m, tx) - np.interp(a, t_m, tx)) / (b - a)
        if abs(v) > 0.2:
            speed = round(float(abs(v)), 3)

    stem = motion.path.stem
    if periodic:
        label = f"{motion.path.name}: right stride {a:.3g}-{b:.3g} s"
    else:
        label = f"{motion.path.name}: whole trial {a:.3g}-{b:.3g} s"
    return GaitCycle(
        name=name or stem,
        label=label,
        stride_time=float(b - a),
        percent=percent,
        coordinates=coords,
        muscle_names=names,
        activations=acts,
        contact_r=contact_r,
        contact_l=contact_l,
        provenance=provenance,
        events=sorted(ev, key=lambda e: (e.percent, e.side)),
        phases=phases,
        speed=speed,
        source=motion.path.name,
        periodic=periodic,
        notes=list(out_notes),
    )
