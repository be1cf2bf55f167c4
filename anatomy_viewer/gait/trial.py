"""A trial from files: which file holds what, read together, mapped, turned into a GaitCycle.

The glue between the OpenSim readers (:mod:`anatomy_viewer.gait.opensim_io`) and the two front
ends (the command line and the window), so that both guess file kinds, read, report and map
activation columns the same way. numpy + stdlib only (no Qt, no VTK).

- :func:`classify_file` says what a file holds from its column names (joint angles, muscle
  activations, ground reaction forces; a states file may hold angles and activations);
- :func:`sort_files` assigns several files to their roles (:class:`TrialFiles`);
- :func:`read_trial` reads them (one progress callback over all files) into a :class:`Trial`;
- :func:`mapping_rows` lists every activation column with the muscles it drives, the
  importer's suggestions and the columns left unused, for the user to confirm;
- :meth:`Trial.to_cycle` cuts the first full stride (with forces) or keeps the whole trial.

Every problem with a file's content is an :class:`OpenSimFileError` naming file, line, problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.gait.opensim_io import (
    Activations,
    GroundForces,
    Motion,
    OpenSimFileError,
    model_muscle_names,
    read_activations,
    read_grf,
    read_motion,
    read_table,
    suggest_mapping,
    trial_to_cycle,
)
from anatomy_viewer.gait.opensim_names import (
    MODEL_COORDINATES,
    coordinate_key,
    exact_muscle,
    model_coordinate,
)
from anatomy_viewer.gait.opensim_table import read_file_bytes

FileKind = Literal["motion", "activations", "forces"]
KIND_LABELS: dict[str, str] = {
    "motion": "joint angles",
    "activations": "muscle activations",
    "forces": "ground reaction forces",
}
#: Progress of reading a trial: (fraction done 0..1, what is being done).
TrialProgress = Callable[[float, str], None]
#: Bytes read from the start of a file to find its column names.
_PEEK_BYTES = 1 << 20


# ============================================================================ what a file holds
def _peek_columns(path: Path) -> list[str] | None:
    """The column names of a table, read from the file's start (None if not found there, or
    if the file cannot be read: the reader then says why)."""
    try:
        head = read_file_bytes(path, _PEEK_BYTES, whole=False)
    except OpenSimFileError:
        return None
    if b"\x00" in head[:4096]:
        return None
    text = head.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    if len(head) == _PEEK_BYTES and lines:
        lines = lines[:-1]  # the last line may be cut
    end = next((i for i, ln in enumerate(lines) if ln.strip().lower() == "endheader"), None)
    if end is not None:
        names = next((ln.strip() for ln in lines[end + 1 :] if ln.strip()), None)
        if names is None:
            return None
        if "\t" in names:
            return [t.strip() for t in names.split("\t") if t.strip()]
        return names.split()
    first = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), None)
    if first is None:
        return None
    delimiter = max((",", ";"), key=first.count)
    if first.count(delimiter):
        return [t.strip().strip('"').strip() for t in first.split(delimiter)]
    return first.split()


def _column_kinds(columns: Sequence[str]) -> tuple[list[str], int, int]:
    """(angle columns, activation-like columns, vertical-force columns) among ``columns``."""
    muscles = set(model_muscle_names())
    angles: list[str] = []
    activations = 0
    forces = 0
    for col in columns:
        if col.lower().endswith("_vy") and len(col) > 3:
            forces += 1
            continue
        kind, name = coordinate_key(col)
        if kind in ("value", "plain") and model_coordinate(name) in MODEL_COORDINATES:
            angles.append(col)
        elif exact_muscle(col, muscles, "r") is not None:
            activations += 1
    if not activations and not angles:
        activations = len(suggest_mapping([c for c in columns if not re.match(r"(?i)time", c)]))
    return angles, activations, forces


def classify_columns(columns: Iterable[str]) -> tuple[FileKind, ...]:
    """What a table with these column names may hold, main role first (may be empty).

    A file with joint angles and force columns is listed as ("motion", "forces");
    :func:`classify_file` then looks at the values (angles all zero: forces only).
    """
    angles, activations, forces = _column_kinds([str(c) for c in columns])
    kinds: list[FileKind] = []
    if angles:
        kinds.append("motion")
    if activations:
        kinds.append("activations")
    if forces and (angles or not kinds):
        kinds.append("forces")
    return tuple(kinds)


def classify_file(path: str | Path) -> tuple[FileKind, ...]:
    """What ``path`` holds, main role first, from its column names: ("motion",),
    ("activations",), ("forces",), ("motion", "activations") for a states file, ("motion",
    "forces") for angles and forces in one file. A file whose angle columns are all zero
    beside force columns (OpenSim's example ground force files) is ("forces",).
    Raises OpenSimFileError if the file holds none of these."""
    path = Path(path)
    columns = _peek_columns(path) if path.is_file() else None
    line: int | None = None
    table = None
    if columns is None:
        table = read_table(path)  # raises the reader's own message for an unreadable file
        columns, line = ["time", *table.columns], table.column_line
    kinds = classify_columns(columns)
    if not kinds:
        shown = ", ".join(repr(c) for c in columns[1:6]) + (" ..." if len(columns) > 6 else "")
        raise OpenSimFileError(
            path,
            line,
            f"its columns ({shown}) are neither joint angles (hip_flexion_r ...), muscle "
            "activations (vaslat_r, TA ...) nor ground reaction forces (ground_force_vy ...)",
        )
    if "motion" in kinds and "forces" in kinds:
        table = table or read_table(path)
        angles, _, _ = _column_kinds(list(table.columns))
        if not any(table.column(c).any() for c in angles if table.has(c)):
            kinds = ("forces",)
    return kinds


# ============================================================================ files -> roles
@dataclass
class TrialFiles:
    """The files of one trial by role; ``recognised`` says what each file was taken for."""

    motion: Path | None = None
    activations: Path | None = None
    grf: Path | None = None
    recognised: list[str] = field(default_factory=list)
    #: The motion was kept from a trial shown before (see :meth:`merged_into`): the other
    #: files may come from another trial, so a front end asks before showing them.
    joined: bool = False

    @property
    def paths(self) -> list[Path]:
        out: list[Path] = []
        for p in (self.motion, self.activations, self.grf):
            if p is not None and p not in out:
                out.append(p)
        return out

    def summary(self) -> str:
        """One line: "walk.mot (joint angles), walk_grf.mot (ground reaction forces)"."""
        return ", ".join(self.recognised)

    def merged_into(self, previous: TrialFiles) -> TrialFiles:
        """These files added to a previous trial: its motion is kept when none is given here,
        and the activations or forces given here replace the previous ones."""
        if self.motion is not None:
            return self
        return TrialFiles(
            motion=previous.motion,
            activations=self.activations or previous.activations,
            grf=self.grf or previous.grf,
            recognised=[
                *self.recognised,
                f"{previous.motion.name if previous.motion else '?'} "
                "(joint angles, kept from the trial shown)",
            ],
            joined=True,
        )


def _describe(path: Path, kinds: Sequence[str]) -> str:
    return f"{path.name} (" + " and ".join(KIND_LABELS[k] for k in kinds) + ")"


def sort_files(paths: Iterable[str | Path]) -> TrialFiles:
    """Assign files to their roles by what they hold (see :func:`classify_file`).

    Each file takes its main role; a file holding more (a states file with angles and
    activations, a motion with forces) also fills a role no other file fills. Two files
    with the same main role are an error naming both.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise ValueError("no files given")
    main: dict[str, Path] = {}
    extra: dict[str, Path] = {}
    recognised: list[str] = []
    for p in paths:
        kinds = classify_file(p)
        recognised.append(_describe(p, kinds))
        if kinds[0] in main:
            raise OpenSimFileError(
                p,
                None,
                f"holds {KIND_LABELS[kinds[0]]} like {main[kinds[0]].name}: open one trial at a "
                "time (one file each of joint angles, activations and ground forces)",
            )
        main[kinds[0]] = p
        for k in kinds[1:]:
            extra.setdefault(k, p)
    roles = {k: main.get(k, extra.get(k)) for k in ("motion", "activations", "forces")}
    return TrialFiles(
        motion=roles["motion"],
        activations=roles["activations"],
        grf=roles["forces"],
        recognised=recognised,
    )


# ============================================================================ reading
@dataclass
class Trial:
    """The files of a trial, read: motion, optional activations and ground forces."""

    files: TrialFiles
    motion: Motion
    activations: Activations | None = None
    grf: GroundForces | None = None
    mapping: dict[str, tuple[str, ...]] | None = None  # as confirmed by the user

    @property
    def unmapped_columns(self) -> tuple[str, ...]:
        """Activation columns that drive no muscle (for the user to map or leave out)."""
        return () if self.activations is None else tuple(self.activations.unknown)

    @property
    def needs_mapping(self) -> bool:
        """True when activation columns are left unused and no mapping was confirmed yet."""
        return self.mapping is None and bool(self.unmapped_columns)

    @property
    def unmapped_suggestions(self) -> dict[str, tuple[str, ...]]:
        """Each activation column that drives no muscle -> the muscles suggested for it (empty
        when the importer has no guess), in file order."""
        if self.activations is None:
            return {}
        sug = self.activations.suggestions
        return {c: tuple(sug.get(c, ())) for c in self.activations.unknown}

    def to_cycle(self, *, report_unmapped: bool = True, **kwargs) -> GaitCycle:
        """The trial as a GaitCycle (first full right stride with forces, else the whole
        trial in time); ``notes`` say what the importers did. kwargs go to trial_to_cycle.

        ``report_unmapped`` False leaves out the notes about activation columns that drive no
        muscle (the reader's suggestion note included), for a caller that reports them in its
        own words (the command line names its flags: see :attr:`unmapped_suggestions`)."""
        notes: list[str] = []
        cycle = trial_to_cycle(self.motion, self.activations, self.grf, notes=notes, **kwargs)
        if not report_unmapped:
            notes = [n for n in notes if _READER_SUGGESTION_NOTE not in n]
        elif self.unmapped_columns:
            notes.append(
                "activation columns matching no muscle, not shown: "
                + ", ".join(self.unmapped_columns)
            )
        cycle.notes = _unique(notes)
        return cycle


#: The activation reader's note when it only has suggestions (worded for Python callers).
_READER_SUGGESTION_NOTE = "confirm them and pass mapping="


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for s in items:
        seen.setdefault(s, None)
    return list(seen)


def _sizes(paths: Sequence[Path]) -> list[float]:
    out = []
    for p in paths:
        try:
            out.append(float(max(p.stat().st_size, 1)))
        except OSError:
            out.append(1.0)
    return out


def read_trial(
    files: TrialFiles,
    *,
    mapping: Mapping[str, str | Iterable[str]] | None = None,
    accept_suggestions: bool = False,
    progress: TrialProgress | None = None,
) -> Trial:
    """Read the files of a trial. A motion is required.

    ``mapping`` (activation column -> muscle names) is passed to the activation reader;
    ``accept_suggestions`` takes the importer's suggestions for the columns it could not map
    and ``mapping`` does not name (the command line's ``--accept-suggested``).
    ``progress(fraction, what)`` is called while reading; an exception it raises (to cancel)
    propagates unchanged.
    """
    if files.motion is None:
        first = files.activations or files.grf
        raise OpenSimFileError(
            first if first is not None else Path("?"),
            None,
            "holds no joint angles: open a motion (.mot/.sto with hip_flexion_r ...) with it",
        )
    jobs: list[tuple[str, Path]] = [("motion", files.motion)]
    if files.activations is not None:
        jobs.append(("activations", files.activations))
    if files.grf is not None:
        jobs.append(("forces", files.grf))
    sizes = _sizes([p for _, p in jobs])
    total = sum(sizes)
    done = 0.0
    out: dict[str, object] = {}
    for (kind, path), size in zip(jobs, sizes, strict=True):
        what = f"Reading {path.name} ({KIND_LABELS[kind]})…"

        def step(f: float, _done=done, _size=size, _what=what) -> None:
            if progress is not None:
                progress((_done + f * _size) / total, _what)

        step(0.0)
        if kind == "motion":
            out[kind] = read_motion(path, progress=step)
        elif kind == "activations":
            acts = read_activations(path, mapping=mapping, progress=step)
            extra = {c: m for c, m in acts.suggestions.items() if c not in (mapping or {})}
            if accept_suggestions and extra:  # beside a given mapping too
                confirmed = {**acts.mapping, **extra}
                acts = read_activations(path, mapping=confirmed, progress=step)
                mapping = confirmed
            out[kind] = acts
        else:
            out[kind] = read_grf(path, progress=step)
        done += size
    if progress is not None:
        progress(1.0, "Read.")
    return Trial(
        files=files,
        motion=out["motion"],  # type: ignore[arg-type]
        activations=out.get("activations"),  # type: ignore[arg-type]
        grf=out.get("forces"),  # type: ignore[arg-type]
        mapping=None if mapping is None else _as_mapping(mapping),
    )


def remap_activations(
    trial: Trial,
    mapping: Mapping[str, str | Iterable[str]],
    progress: TrialProgress | None = None,
) -> Trial:
    """The trial with its activations read again under a confirmed ``mapping``."""
    if trial.files.activations is None:
        raise ValueError("the trial has no activation file")
    path = trial.files.activations
    confirmed = _as_mapping(mapping)

    def step(f: float) -> None:
        if progress is not None:
            progress(f, f"Reading {path.name} with the confirmed muscle mapping…")

    acts = read_activations(path, mapping=confirmed, progress=step)
    return replace(trial, activations=acts, mapping=confirmed)


def _as_mapping(mapping: Mapping[str, str | Iterable[str]]) -> dict[str, tuple[str, ...]]:
    return {c: (m,) if isinstance(m, str) else tuple(m) for c, m in mapping.items()}


def parse_mapping(items: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """``["TA=tibant_r", "GMAX=glmax1_r,glmax2_r"]`` -> column -> muscles (ValueError if bad)."""
    known = set(model_muscle_names())
    out: dict[str, tuple[str, ...]] = {}
    for item in items:
        column, sep, muscles = item.partition("=")
        names = tuple(m.strip() for m in muscles.split(",") if m.strip())
        if not sep or not column.strip() or not names:
            raise ValueError(f"--map {item!r}: write COLUMN=MUSCLE[,MUSCLE...], e.g. TA=tibant_r")
        bad = [m for m in names if m not in known]
        if bad:
            raise ValueError(
                f"--map {item!r}: {', '.join(bad)} is not one of the model's muscles "
                "('anatomy-viewer muscles' lists them)"
            )
        out[column.strip()] = names
    return out


# ============================================================================ mapping table
@dataclass(frozen=True)
class MappingRow:
    """One activation column: the muscles it drives and how that was decided.

    ``how``: "name" (the column names the muscle), "given" (a confirmed mapping), "suggested"
    (the importer's guess, to confirm) or "unmatched" (no guess: not used unless mapped).
    """

    column: str
    muscles: tuple[str, ...]
    how: Literal["name", "given", "suggested", "unmatched"]


def mapping_rows(activations: Activations, given: Mapping[str, Sequence[str]] | None = None):
    """Every activation column that is not another known quantity, in file order."""
    given = given or {}
    rows: list[MappingRow] = []
    for col, muscles in activations.mapping.items():
        rows.append(MappingRow(col, tuple(muscles), "given" if col in given else "name"))
    for col in activations.unknown:
        sug = activations.suggestions.get(col)
        rows.append(MappingRow(col, tuple(sug or ()), "suggested" if sug else "unmatched"))
    return rows


def rows_to_mapping(rows: Iterable[MappingRow]) -> dict[str, tuple[str, ...]]:
    """The mapping to pass back to the reader: every row that drives at least one muscle."""
    return {r.column: r.muscles for r in rows if r.muscles}


def load_trial(
    motion: str | Path,
    activations: str | Path | None = None,
    grf: str | Path | None = None,
    *,
    mapping: Mapping[str, str | Iterable[str]] | None = None,
    accept_suggestions: bool = False,
    progress: TrialProgress | None = None,
) -> Trial:
    """Read a trial whose files' roles are known (the command line's --motion/--grf ...)."""
    files = TrialFiles(
        Path(motion),
        None if activations is None else Path(activations),
        None if grf is None else Path(grf),
    )
    files.recognised = [
        f"{p.name} ({KIND_LABELS[k]})"
        for k, p in (
            ("motion", files.motion),
            ("activations", files.activations),
            ("forces", files.grf),
        )
        if p is not None
    ]
    return read_trial(
        files, mapping=mapping, accept_suggestions=accept_suggestions, progress=progress
    )
