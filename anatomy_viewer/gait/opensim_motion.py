"""OpenSim motions in: joint coordinates in degrees under the model's names.

:func:`read_motion` reads an inverse-kinematics ``.mot``, a states ``.sto``, a Moco solution or
a CSV with a time column and decides two things the files do not always say plainly: the
**units** (the header's ``inDegrees``, OpenSim 4's radian paths, or the values themselves) and
the **knee sign** (the Gait2392 family measures knee flexion negative; the model positive).
Columns of full-body models that the leg has no joint for (OpenCap's patella coordinates, the
back, the arms) are kept aside and named in the notes
(:func:`~anatomy_viewer.gait.opensim_names.describe_other_coordinates`).

numpy + stdlib only (no Qt, no VTK). Every problem with a file's content raises
:class:`~anatomy_viewer.gait.opensim_table.OpenSimFileError` naming file, line and problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from anatomy_viewer.anatomy.names import LEG_COORDINATES
from anatomy_viewer.gait.opensim_names import (
    MODEL_COORDINATES,
    PELVIS_TRANSLATIONS,
    coordinate_key,
    describe_other_coordinates,
    model_coordinate,
    suggest_mapping,
)
from anatomy_viewer.gait.opensim_table import (
    OpenSimFileError,
    Progress,
    Table,
    guard,
    read_table,
)

#: Leg joint angles (and pelvis tilt/list) checked for plausible units and range.
_ANGLE_CHECKED = ("pelvis_tilt", "pelvis_list") + tuple(
    f"{c}_{s}" for s in ("r", "l") for c in LEG_COORDINATES
)
#: Leg joint angles beyond this (degrees) are not angles a leg takes.
MAX_JOINT_ANGLE = 180.0
#: Flexion angles (their range tells degrees from radians).
FLEXIONS = ("hip_flexion", "knee_angle", "ankle_angle")
#: A flexion angle moving through more than this (in the file's numbers) while every leg
#: angle stays within ±π is in radians (20°), whatever the header says.
RADIANS_SWING = 0.35


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


def first_bad_row(values: np.ndarray) -> int | None:
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
        r = first_bad_row(v)
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
            ((k, float(np.ptp(raw[k]))) for k in checked if k.startswith(FLEXIONS)),
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
    notes.extend(describe_other_coordinates(unknown))
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
