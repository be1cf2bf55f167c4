"""Fibre-type composition of the leg muscles: the share of slow-twitch (Type I) fibres.

The table lives in ``resources/muscles/fibre_types.toml``: one entry per anatomical muscle, with
the value the program uses, whether it was measured, compiled from the literature or assumed,
its sources, and the model muscles drawn from it. This module loads and validates it and answers
per model muscle (``glmax1_r``, ``glmax1``) or per anatomical muscle. Standard library and numpy
only: no Qt, no VTK.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any, Literal

import numpy as np

from anatomy_viewer.anatomy.catalogue import catalogue
from anatomy_viewer.resources import load_toml, resource_path

#: Where the table lives, below ``resources/``.
RESOURCE: tuple[str, ...] = ("muscles", "fibre_types.toml")
#: The notes on fibre types and energy, whose "In brief" section explains recruitment simply.
NOTES: tuple[str, ...] = ("muscles", "fibre_types_and_energy.md")

Basis = Literal["measured", "compiled", "assumed"]
BASES: tuple[str, ...] = ("measured", "compiled", "assumed")


class FibreTypeError(ValueError):
    """The fibre-type table is incomplete, inconsistent or malformed."""


@dataclass(frozen=True)
class FibreComposition:
    """The fibre-type make-up of one anatomical muscle (both legs share it)."""

    key: str  # e.g. "gluteus_maximus"
    name: str  # e.g. "Gluteus maximus"
    model_muscles: tuple[str, ...]  # base names, e.g. ("glmax1", "glmax2", "glmax3")
    type1_percent: float  # % slow-twitch fibres the program uses
    basis: Basis
    sources: tuple[str, ...]  # full citations the value comes from
    cited: tuple[str, ...]  # full citations of the other works the entry names
    surface_percent: float | None = None
    deep_percent: float | None = None
    measurements: tuple[str, ...] = ()
    notes: str = ""

    @property
    def type1(self) -> float:
        """Share of slow-twitch fibres, 0..1."""
        return self.type1_percent / 100.0

    @property
    def fast(self) -> float:
        """Share of fast-twitch (Type II) fibres, 0..1."""
        return 1.0 - self.type1

    @property
    def basis_text(self) -> str:
        return {
            "measured": "measured",
            "compiled": "compiled from published studies",
            "assumed": "assumed (no measurement found)",
        }[self.basis]


@dataclass(frozen=True)
class FibreTypeTable:
    """Every anatomical muscle's composition, and the model muscles' map onto them."""

    muscles: Mapping[str, FibreComposition]  # anatomical key -> composition
    of_base: Mapping[str, str]  # model base name -> anatomical key
    citations: Mapping[str, str]  # citation key -> full citation

    def composition(self, muscle: str) -> FibreComposition:
        """The composition of a model muscle (``glmax1``, ``glmax1_r``) or of an anatomical
        muscle key (``gluteus_maximus``)."""
        if muscle in self.muscles:
            return self.muscles[muscle]
        base = muscle
        if muscle not in self.of_base:
            stem, sep, side = muscle.rpartition("_")
            if sep and side in ("r", "l"):
                base = stem
        if base not in self.of_base:
            raise KeyError(f"no fibre-type entry for muscle {muscle!r}")
        return self.muscles[self.of_base[base]]

    def type1_fraction(self, muscle_names: Iterable[str]) -> np.ndarray:
        """Share of slow fibres (0..1) of each named model muscle, in the given order."""
        return np.array([self.composition(m).type1 for m in muscle_names], dtype=float)


# ---------------------------------------------------------------------------- parsing


def _where(key: str, field: str | None = None) -> str:
    loc = f"{'/'.join(RESOURCE)}: muscle {key!r}"
    return f"{loc}, field {field!r}" if field else loc


def _percent(key: str, entry: Mapping[str, Any], field: str, required: bool) -> float | None:
    if field not in entry:
        if required:
            raise FibreTypeError(f"{_where(key, field)} is missing")
        return None
    value = entry[field]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FibreTypeError(f"{_where(key, field)} must be a number (percent)")
    if not 0.0 <= float(value) <= 100.0:
        raise FibreTypeError(f"{_where(key, field)} is {value}, outside 0-100 %")
    return float(value)


def _keys(
    key: str, entry: Mapping[str, Any], field: str, citations: Mapping[str, str]
) -> tuple[str, ...]:
    value = entry.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FibreTypeError(f"{_where(key, field)} must be a list of citation keys")
    unknown = [v for v in value if v not in citations]
    if unknown:
        raise FibreTypeError(f"{_where(key, field)} names unknown citation(s) {unknown}")
    return tuple(citations[v] for v in value)


def parse_fibre_types(data: Mapping[str, Any], bases: Iterable[str]) -> FibreTypeTable:
    """Validate the parsed TOML ``data`` against the model's muscle ``bases``.

    Every base must belong to exactly one anatomical muscle; every value must have a source or,
    when assumed, a note saying what was assumed.
    """
    citations = data.get("citations")
    if not isinstance(citations, dict) or not citations:
        raise FibreTypeError(f"{'/'.join(RESOURCE)}: the [citations] table is missing or empty")
    raw = data.get("muscle")
    if not isinstance(raw, dict) or not raw:
        raise FibreTypeError(f"{'/'.join(RESOURCE)}: no [muscle.*] tables")
    bases = tuple(bases)
    muscles: dict[str, FibreComposition] = {}
    of_base: dict[str, str] = {}
    for key, entry in raw.items():
        if not isinstance(entry, dict):
            raise FibreTypeError(f"{_where(key)} must be a table")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise FibreTypeError(f"{_where(key, 'name')} is missing or empty")
        model_muscles = entry.get("model_muscles")
        if not isinstance(model_muscles, list) or not model_muscles:
            raise FibreTypeError(f"{_where(key, 'model_muscles')} must list model muscles")
        for base in model_muscles:
            if base not in bases:
                raise FibreTypeError(f"{_where(key, 'model_muscles')}: {base!r} is no muscle")
            if base in of_base:
                raise FibreTypeError(
                    f"{_where(key, 'model_muscles')}: {base!r} already belongs to {of_base[base]!r}"
                )
            of_base[base] = key
        basis = entry.get("basis")
        if basis not in BASES:
            raise FibreTypeError(f"{_where(key, 'basis')} must be one of {', '.join(BASES)}")
        sources = _keys(key, entry, "source", citations)
        notes = entry.get("notes", "")
        if not isinstance(notes, str):
            raise FibreTypeError(f"{_where(key, 'notes')} must be text")
        if basis == "assumed":
            if not notes.strip():
                raise FibreTypeError(f"{_where(key, 'notes')}: an assumed value must say why")
        elif not sources:
            raise FibreTypeError(f"{_where(key, 'source')}: a {basis} value needs a source")
        measurements = entry.get("measurements", [])
        if not isinstance(measurements, list) or not all(
            isinstance(m, str) and m.strip() for m in measurements
        ):
            raise FibreTypeError(f"{_where(key, 'measurements')} must be a list of text")
        muscles[key] = FibreComposition(
            key=key,
            name=name.strip(),
            model_muscles=tuple(model_muscles),
            type1_percent=_percent(key, entry, "type1", required=True),  # type: ignore[arg-type]
            basis=basis,
            sources=sources,
            cited=_keys(key, entry, "cited", citations),
            surface_percent=_percent(key, entry, "surface", required=False),
            deep_percent=_percent(key, entry, "deep", required=False),
            measurements=tuple(m.strip() for m in measurements),
            notes=notes.strip(),
        )
    missing = [b for b in bases if b not in of_base]
    if missing:
        raise FibreTypeError(f"{'/'.join(RESOURCE)}: no entry for model muscle(s) {missing}")
    return FibreTypeTable(
        muscles=MappingProxyType(muscles),
        of_base=MappingProxyType(of_base),
        citations=MappingProxyType(dict(citations)),
    )


@cache
def fibre_types() -> FibreTypeTable:
    """The table for the model's 40 muscles (read and validated once)."""
    return parse_fibre_types(load_toml(*RESOURCE), catalogue().bases)


def composition(muscle: str) -> FibreComposition:
    """Composition of a model muscle (``glmax1_r`` or ``glmax1``) or anatomical muscle key."""
    return fibre_types().composition(muscle)


def type1_fraction(muscle_names: Iterable[str]) -> np.ndarray:
    """Share of slow fibres (0..1) of each named model muscle, in order."""
    return fibre_types().type1_fraction(muscle_names)


def format_composition(muscle: str) -> str:
    """Plain-text composition of a muscle with its sources (for the CLI and the panel)."""
    c = composition(muscle)
    lines = [
        f"Fibre types ({c.name}): {c.type1_percent:.0f} % slow (Type I), "
        f"{100 - c.type1_percent:.0f} % fast (Type II); {c.basis_text}."
    ]
    if c.surface_percent is not None and c.deep_percent is not None:
        lines.append(
            f"  Near the surface {c.surface_percent:.1f} %, in the depth {c.deep_percent:.1f} % "
            "(Johnson et al. 1973)."
        )
    lines += [f"  Also measured: {m}." for m in c.measurements]
    if c.notes:
        lines.append(f"  {c.notes}")
    lines += [f"  Source: {s}" for s in c.sources]
    lines += [f"  See also: {s}" for s in c.cited]
    return "\n".join(lines)


@cache
def recruitment_in_brief() -> str:
    """The plain-language account of recruitment by size: the paragraphs of the "In brief"
    section of ``resources/muscles/fibre_types_and_energy.md`` (a note in parentheses left
    out), each on one line."""
    text = resource_path(*NOTES).read_text(encoding="utf-8")
    lines: list[str] = []
    inside = False
    for line in text.splitlines():
        if line.startswith("## "):
            if inside:
                break
            inside = line[3:].strip().lower() == "in brief"
            continue
        if inside:
            lines.append(line.strip())
    paragraphs = [" ".join(p.split("\n")) for p in "\n".join(lines).split("\n\n")]
    out = [p.strip() for p in paragraphs if p.strip() and not p.strip().startswith("(")]
    if not out:
        raise FibreTypeError(f'{"/".join(NOTES)}: no "In brief" section')
    return "\n\n".join(out)
