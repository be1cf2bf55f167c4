"""Guided views of the Learn menu: an instant of a gait, a camera and the muscles to look at.

The views live in ``resources/learn/guided_views.toml``; this module loads them, resolves
``group:KEY`` highlights to muscle base names through the catalogue, and checks gaits, cameras,
muscle names and exercise poses, raising :class:`LearnError` that names the view and the field.
numpy/stdlib and the anatomy layer only: no Qt, no VTK.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from anatomy_viewer.anatomy.catalogue import catalogue
from anatomy_viewer.anatomy.names import COORDINATES, PELVIS_COORDINATES
from anatomy_viewer.resources import load_toml

#: Where the views live, below ``resources/``.
RESOURCE: tuple[str, ...] = ("learn", "guided_views.toml")

GAITS: tuple[str, ...] = ("walking", "running", "sprinting")
CAMERAS: tuple[str, ...] = ("side", "front", "back", "three_quarter", "left")
SIDES: tuple[str, ...] = ("r", "l")
GROUP_PREFIX = "group:"
#: What a view may colour the muscles by (the display state's colour modes).
COLOUR_MODES: tuple[str, ...] = ("activation", "fibre_types")

#: Range (degrees) of each leg coordinate in MyoLeg, the same for both sides. A pose outside
#: these would be clamped or look broken; tests check them against the compiled model.
JOINT_RANGES_DEG: dict[str, tuple[float, float]] = {
    "hip_flexion": (-30.0, 120.0),
    "hip_adduction": (-50.0, 30.0),
    "hip_rotation": (-40.0, 40.0),
    "knee_angle": (0.0, 120.0),
    "ankle_angle": (-40.0, 30.0),
    "subtalar_angle": (-20.0, 20.0),
    "mtp_angle": (-30.0, 30.0),
}
#: Pelvis orientation is free in the model; poses keep it within this plausible range.
PELVIS_RANGE_DEG: tuple[float, float] = (-45.0, 45.0)
#: Largest offset (degrees) a what-if table such as ``weak_abductors`` may add to a joint.
MAX_OFFSET_DEG = 30.0


def coordinate_range(name: str) -> tuple[float, float]:
    """Allowed range (degrees) of a pose coordinate such as ``knee_angle_r`` or ``pelvis_tilt``."""
    if name not in COORDINATES:
        raise KeyError(f"the model has no coordinate {name!r}")
    if name in PELVIS_COORDINATES:
        return PELVIS_RANGE_DEG
    return JOINT_RANGES_DEG[name.rsplit("_", 1)[0]]


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


class LearnError(ValueError):
    """A guided view in guided_views.toml is missing a field or names something unknown."""


@dataclass(frozen=True)
class ExerciseView:
    """One supplementary exercise: a static pose with its target muscles highlighted."""

    key: str  # derived from the name, e.g. "single_leg_squat"
    name: str
    caption: str
    pose: Mapping[str, float]  # coordinate -> degrees; coordinates not given are 0
    camera: str
    highlight: tuple[str, ...]  # muscle base names, groups resolved
    highlight_spec: tuple[str, ...]  # as written, with "group:KEY" entries
    side: str


@dataclass(frozen=True)
class GuidedView:
    """A view opened from the Learn menu."""

    key: str
    title: str
    caption: str
    gait: str
    phase: float  # percent of the stride, 0 = right heel strike
    camera: str
    highlight: tuple[str, ...]  # muscle base names, groups resolved
    highlight_spec: tuple[str, ...]  # as written, with "group:KEY" entries
    side: str
    compare: tuple[str, ...] = ()  # gaits to show side by side
    labels: Mapping[str, str] = field(default_factory=_empty)  # gait -> label in a comparison
    weak_abductors: Mapping[str, float] = field(default_factory=_empty)  # coordinate -> deg
    exercises: tuple[ExerciseView, ...] = ()
    sources: tuple[str, ...] = ()  # full references for citations in the caption
    #: muscle base names highlighted on the other leg (e.g. a swinging leg's hip flexors)
    highlight_other: tuple[str, ...] = ()
    colour_mode: str | None = None  # what the muscles' colours show while the view is open

    def highlighted_muscles(self, side: str | None = None) -> tuple[str, ...]:
        """Model muscle names of the highlight, e.g. ``glmed1_r`` (on ``side`` or the view's),
        then those of ``highlight_other`` on the other leg."""
        s = side or self.side
        other = "l" if s == "r" else "r"
        return tuple(f"{b}_{s}" for b in self.highlight) + tuple(
            f"{b}_{other}" for b in self.highlight_other
        )


# ---------------------------------------------------------------------------- parsing

_VIEW_FIELDS = {"key", "title", "caption", "gait", "phase", "camera", "highlight", "side"}
_VIEW_OPTIONAL = {
    "compare",
    "labels",
    "weak_abductors",
    "exercise",
    "sources",
    "highlight_other_side",
    "colour_mode",
}
_EXERCISE_FIELDS = {"name", "caption", "pose", "camera", "highlight"}
_EXERCISE_OPTIONAL = {"side"}


def _fail(where: str, message: str) -> LearnError:
    return LearnError(f"{'/'.join(RESOURCE)}: {where}: {message}")


def _check_fields(where: str, table: Any, required: set[str], optional: set[str]) -> None:
    if not isinstance(table, dict):
        raise _fail(where, "must be a table")
    missing = sorted(required - set(table))
    if missing:
        raise _fail(where, f"missing field(s) {missing}")
    unknown = sorted(set(table) - required - optional)
    if unknown:
        raise _fail(where, f"unknown field(s) {unknown}")


def _text(where: str, table: Mapping[str, Any], name: str) -> str:
    value = table[name]
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"field {name!r} must be non-empty text")
    return value.strip()


def _choice(where: str, table: Mapping[str, Any], name: str, allowed: tuple[str, ...]) -> str:
    value = table[name]
    if value not in allowed:
        raise _fail(where, f"field {name!r} is {value!r}; expected one of {', '.join(allowed)}")
    return value


def _number(where: str, value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(where, f"{what} must be a number, not {value!r}")
    return float(value)


def resolve_highlight(
    spec: list[str] | tuple[str, ...], where: str = "highlight"
) -> tuple[str, ...]:
    """Muscle base names for a highlight list of base names and ``group:KEY`` entries."""
    cat = catalogue()
    if isinstance(spec, str) or not isinstance(spec, list | tuple) or not spec:
        raise _fail(where, "field 'highlight' must be a non-empty list")
    out: list[str] = []
    for item in spec:
        if not isinstance(item, str):
            raise _fail(where, f"highlight entry {item!r} is not text")
        if item.startswith(GROUP_PREFIX):
            key = item[len(GROUP_PREFIX) :]
            try:
                bases = cat.group(key).bases
            except KeyError:
                keys = ", ".join(g.key for g in cat.groups)
                raise _fail(
                    where, f"highlight names unknown group {key!r} (groups: {keys})"
                ) from None
        elif item in cat.bases:
            bases = (item,)
        else:
            raise _fail(
                where,
                f"highlight names unknown muscle {item!r}: use a base name from groups.toml "
                "(no _r/_l suffix) or group:KEY",
            )
        out += [b for b in bases if b not in out]
    return tuple(out)


def _pose(where: str, value: Any) -> Mapping[str, float]:
    if not isinstance(value, dict) or not value:
        raise _fail(where, "field 'pose' must be a non-empty table of coordinate -> degrees")
    pose = {}
    for name, deg in value.items():
        if name not in COORDINATES:
            raise _fail(where, f"pose names unknown coordinate {name!r}")
        deg = _number(where, deg, f"pose value of {name!r}")
        lo, hi = coordinate_range(name)
        if not lo <= deg <= hi:
            raise _fail(where, f"pose {name} = {deg:g} deg is outside the model's {lo:g}..{hi:g}")
        pose[name] = deg
    return MappingProxyType(pose)


def _offsets(where: str, value: Any) -> Mapping[str, float]:
    if not isinstance(value, dict) or not value:
        raise _fail(where, "field 'weak_abductors' must be a table of coordinate -> degrees")
    out = {}
    for name, deg in value.items():
        if name not in COORDINATES:
            raise _fail(where, f"weak_abductors names unknown coordinate {name!r}")
        deg = _number(where, deg, f"weak_abductors value of {name!r}")
        if abs(deg) > MAX_OFFSET_DEG:
            raise _fail(where, f"weak_abductors {name} = {deg:g} deg exceeds {MAX_OFFSET_DEG:g}")
        out[name] = deg
    return MappingProxyType(out)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _exercise(view_key: str, i: int, table: Any, view_side: str) -> ExerciseView:
    where = f"view {view_key!r}, exercise {i + 1}"
    _check_fields(where, table, _EXERCISE_FIELDS, _EXERCISE_OPTIONAL)
    name = _text(where, table, "name")
    where = f"view {view_key!r}, exercise {name!r}"
    spec = table["highlight"]
    return ExerciseView(
        key=_slug(name),
        name=name,
        caption=_text(where, table, "caption"),
        pose=_pose(where, table["pose"]),
        camera=_choice(where, table, "camera", CAMERAS),
        highlight=resolve_highlight(spec, where),
        highlight_spec=tuple(spec),
        side=_choice(where, table, "side", SIDES) if "side" in table else view_side,
    )


def _view(i: int, table: Any) -> GuidedView:
    where = f"view {i + 1}"
    _check_fields(where, table, _VIEW_FIELDS, _VIEW_OPTIONAL)
    key = _text(where, table, "key")
    where = f"view {key!r}"
    phase = _number(where, table["phase"], "field 'phase'")
    if not 0.0 <= phase < 100.0:
        raise _fail(where, f"field 'phase' is {phase:g}; expected a percent in 0..100")
    side = _choice(where, table, "side", SIDES)
    compare: tuple[str, ...] = ()
    if "compare" in table:
        value = table["compare"]
        if not isinstance(value, list) or len(value) < 2:
            raise _fail(where, "field 'compare' must list at least two gaits")
        for g in value:
            if g not in GAITS:
                raise _fail(where, f"compare names unknown gait {g!r}; expected {GAITS}")
        compare = tuple(value)
    labels: Mapping[str, str] = MappingProxyType({})
    if "labels" in table:
        value = table["labels"]
        if not isinstance(value, dict) or not all(
            g in GAITS and isinstance(t, str) and t.strip() for g, t in value.items()
        ):
            raise _fail(where, "field 'labels' must map gait names to non-empty text")
        labels = MappingProxyType(dict(value))
    sources = table.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(x, str) and x.strip() for x in sources):
        raise _fail(where, "field 'sources' must be a list of non-empty text")
    exercises = table.get("exercise", [])
    if not isinstance(exercises, list):
        raise _fail(where, "exercises must be written as [[view.exercise]] tables")
    spec = table["highlight"]
    return GuidedView(
        key=key,
        title=_text(where, table, "title"),
        caption=_text(where, table, "caption"),
        gait=_choice(where, table, "gait", GAITS),
        phase=phase,
        camera=_choice(where, table, "camera", CAMERAS),
        highlight=resolve_highlight(spec, where),
        highlight_spec=tuple(spec),
        side=side,
        compare=compare,
        labels=labels,
        weak_abductors=(
            _offsets(where, table["weak_abductors"])
            if "weak_abductors" in table
            else MappingProxyType({})
        ),
        exercises=tuple(_exercise(key, j, ex, side) for j, ex in enumerate(exercises)),
        sources=tuple(x.strip() for x in sources),
        highlight_other=(
            resolve_highlight(table["highlight_other_side"], where)
            if "highlight_other_side" in table
            else ()
        ),
        colour_mode=(
            _choice(where, table, "colour_mode", COLOUR_MODES) if "colour_mode" in table else None
        ),
    )


def parse_guided_views(data: Mapping[str, Any]) -> list[GuidedView]:
    """Validate parsed TOML (a ``[[view]]`` array) and build the views, in file order."""
    views = data.get("view")
    if not isinstance(views, list) or not views:
        raise _fail("file", "no [[view]] tables")
    out = [_view(i, v) for i, v in enumerate(views)]
    keys = [v.key for v in out]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise _fail("file", f"duplicate view key(s) {dupes}")
    return out


@cache
def _guided_views() -> tuple[GuidedView, ...]:
    return tuple(parse_guided_views(load_toml(*RESOURCE)))


def guided_views() -> list[GuidedView]:
    """The Learn menu's views, in menu order."""
    return list(_guided_views())


def guided_view(key: str) -> GuidedView:
    """One view by key; KeyError naming the known keys when absent."""
    for v in _guided_views():
        if v.key == key:
            return v
    known = ", ".join(v.key for v in _guided_views())
    raise KeyError(f"no guided view {key!r} (views: {known})")
