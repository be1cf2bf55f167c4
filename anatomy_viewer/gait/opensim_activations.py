"""Muscle activations and EMG envelopes in, mapped to the model's muscles.

:func:`read_activations` maps each column to muscles by exact name, OpenSim 4 path or base name
plus side, proposes matches for EMG labels (``TA``, ``gluteus_maximus`` ...;
:func:`~anatomy_viewer.gait.opensim_names.suggest_mapping`) for the user to confirm, tells
measured EMG from simulated activations, and normalises EMG envelopes that are not within 0..1.

numpy + stdlib only (no Qt, no VTK). Every problem with a file's content raises
:class:`~anatomy_viewer.gait.opensim_table.OpenSimFileError` naming file, line and problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from anatomy_viewer.anatomy.names import model_muscle_names
from anatomy_viewer.gait.opensim_motion import first_bad_row
from anatomy_viewer.gait.opensim_names import (
    coordinate_key,
    exact_muscle,
    model_coordinate,
    muscle_state,
    suggest_mapping,
)
from anatomy_viewer.gait.opensim_table import (
    OpenSimFileError,
    Progress,
    Table,
    guard,
    read_table,
)


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
        r = first_bad_row(v)
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
