"""Muscle volumes and drawn bodies: which model lines make one muscle, its volume, its belly.

Volumes are the MRI regressions of Handsfield et al. (2014, J Biomech 47:631-638) evaluated for
the model's subject (1.70 m, 75 kg, Rajagopal et al. 2016): ``resources/muscles/volumes.toml``.
A body is what the scene draws as one fleshy mass: a single muscle line, or a sheet spanning the
lines of a muscle the model splits (gluteus maximus 1-3, ...): ``resources/muscles/shapes.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from anatomy_viewer.resources import load_toml

CM3 = 1e-6  # m^3


@dataclass(frozen=True)
class MuscleBody:
    """One drawn fleshy body of one leg."""

    key: str  # e.g. "glmax"
    side: str  # "r" or "l"
    lines: tuple[int, ...]  # model muscle indices, in order across the sheet
    volume: float  # m^3, the MRI volume the belly holds
    belly: tuple[float, float]  # start and end of the belly along the path (0..1; a start
    # below 0 reaches past the path's origin, for a broad origin the model gives one point)
    flat: float  # width / thickness of a single line's cross-section
    peak: float  # position of the greatest girth along the belly (0..1)
    margin: float = 0.012  # a sheet's reach beyond its outer lines at mid-belly (m)
    margin_last: float | None = None  # beyond its last line, when not the same (m)
    wrap: tuple[str, float] | None = None  # bone (no side) and radius (m) of the shaft the
    # belly wraps around (None: it lies flat on the bones)
    hug: float = 0.0  # share of its distance from that shaft by which a belly moves onto it
    tendon: tuple[float, float] | None = None  # distal tendon's width, thickness (m)
    joins: str | None = None  # key of the body whose distal tendon this one's tendon joins
    round: float = 0.35  # a sheet's thickness across its width goes as |sin|^round
    extends: str | None = None  # bone (no side) along whose length a belly that starts
    # before the path's origin (belly start < 0) reaches up, instead of along the path
    follow: float = 0.0  # how far (0..1) the rest of the belly keeps to that bone's length
    # (down the line through the path's origin along the bone) rather than to its path

    @property
    def is_sheet(self) -> bool:
        return len(self.lines) > 1


def subject() -> tuple[float, float]:
    """Height (m) and mass (kg) of the model's subject."""
    s = load_toml("muscles", "volumes.toml")["subject"]
    return float(s["height_m"]), float(s["mass_kg"])


def regression_volume(entry: str, height: float | None = None, mass: float | None = None) -> float:
    """Volume (m^3) of a regression entry of volumes.toml for a subject (default: the model's)."""
    table = load_toml("muscles", "volumes.toml")["regression"]
    if entry not in table:
        raise KeyError(f"volumes.toml has no muscle {entry!r}")
    h0, m0 = subject()
    h = h0 if height is None else height
    m = m0 if mass is None else mass
    c = table[entry]
    return (float(c["slope"]) * h * m + float(c["intercept"])) * CM3


@cache
def _shape_table() -> tuple[dict, ...]:
    return tuple(load_toml("muscles", "shapes.toml")["body"])


def _margins(entry: dict) -> tuple[float, float]:
    """A sheet's reach beyond its first and its last line: ``margin = 0.03`` for both, or
    ``margin = [0.07, 0.03]`` for an edge that reaches further than the other."""
    m = entry.get("margin", 0.012)
    first, last = (m, m) if isinstance(m, (int, float)) else m
    if not (0.0 <= float(first) <= 0.15 and 0.0 <= float(last) <= 0.15):
        raise ValueError(f"shapes.toml: bad margin for {entry['key']}: {m!r}")
    return float(first), float(last)


def _wrap(entry: dict) -> tuple[str, float] | None:
    """The bone shaft a body wraps around, from shapes.toml ([bone, radius in mm])."""
    if "wrap" not in entry:
        return None
    bone, radius = entry["wrap"]
    if not 0.0 < float(radius) < 100.0:
        raise ValueError(f"shapes.toml: bad wrap radius for {entry['key']}")
    return str(bone), float(radius) * 1e-3


def _tendon_size(entry: dict) -> tuple[float, float] | None:
    """A body's distal tendon size from shapes.toml (millimetres there, metres here)."""
    if "tendon" not in entry:
        return None
    width, thickness = (float(v) * 1e-3 for v in entry["tendon"])
    if not 0.0 < thickness <= width:
        raise ValueError(f"shapes.toml: bad tendon size for {entry['key']}")
    return width, thickness


def muscle_bodies(muscle_names: Sequence[str], max_forces: Sequence[float]) -> list[MuscleBody]:
    """The drawn bodies of the model whose muscles are ``muscle_names`` (``glmax1_r``, ...).

    Every muscle belongs to exactly one body. Bodies sharing a pooled regression entry (the
    peroneals, the long toe extensors) split its volume in proportion to ``max_forces``.
    """
    index = {n: i for i, n in enumerate(muscle_names)}
    forces = np.asarray(max_forces, float)
    table = _shape_table()
    # Force of every body's lines, to share pooled volumes.
    pooled: dict[tuple[str, str], float] = {}
    for entry in table:
        for side in ("r", "l"):
            f = sum(forces[index[f"{b}_{side}"]] for b in entry["lines"])
            key = (entry["volume"], side)
            pooled[key] = pooled.get(key, 0.0) + f
    keys = {str(entry["key"]) for entry in table}
    for entry in table:
        if entry.get("joins") is not None and entry["joins"] not in keys:
            raise ValueError(f"shapes.toml: {entry['key']} joins unknown body {entry['joins']!r}")
    bodies = []
    seen: set[int] = set()
    for side in ("r", "l"):
        for entry in table:
            try:
                lines = tuple(index[f"{b}_{side}"] for b in entry["lines"])
            except KeyError as exc:
                raise KeyError(f"shapes.toml names a muscle the model lacks: {exc}") from None
            force = sum(forces[i] for i in lines)
            share = force / pooled[(entry["volume"], side)]
            start, end = (float(v) for v in entry["belly"])
            if not -0.6 <= start < end <= 1.0:
                raise ValueError(f"shapes.toml: bad belly span for {entry['key']}")
            bodies.append(
                MuscleBody(
                    key=str(entry["key"]),
                    side=side,
                    lines=lines,
                    volume=regression_volume(entry["volume"]) * share,
                    belly=(start, end),
                    flat=float(entry.get("flat", 1.0)),
                    peak=float(entry.get("peak", 0.5)),
                    margin=_margins(entry)[0],
                    margin_last=_margins(entry)[1],
                    wrap=_wrap(entry),
                    hug=float(entry.get("hug", 0.0)),
                    tendon=_tendon_size(entry),
                    joins=entry.get("joins"),
                    round=float(entry.get("round", 0.35)),
                    extends=entry.get("extends"),
                    follow=float(entry.get("follow", 0.0)),
                )
            )
            seen.update(lines)
    missing = sorted(set(range(len(muscle_names))) - seen)
    if missing:
        raise ValueError(
            "shapes.toml draws no body for " + ", ".join(muscle_names[i] for i in missing)
        )
    return bodies


def line_volumes(bodies: Sequence[MuscleBody], max_forces: Sequence[float]) -> np.ndarray:
    """Each muscle line's share (m^3) of its body's volume, in proportion to its force."""
    forces = np.asarray(max_forces, float)
    out = np.zeros(len(forces))
    for b in bodies:
        f = forces[list(b.lines)]
        out[list(b.lines)] = b.volume * f / f.sum()
    return out
