"""Colour maps for muscle activation, evaluated in numpy and mirrored in a vtkLookupTable.

A colour map turns a displayed activation in 0..1 into RGB in 0..1. Both maps rise monotonically
in lightness, so a brighter muscle is always a more active one, also in greyscale.

- ``activation`` (default): a resting muscle is a muted brick red; activation brightens it
  through orange and gold to a warm yellow-white, so the working group stands out at a glance.
  The low end changes fastest: in walking most muscles work below 30 %, and at first sight a
  muscle at 20 % must already look clearly different from one at rest.
- ``cividis``: the colour-vision-deficiency friendly map of Nunez, Anderton & Renslow (2018),
  "Optimizing colormaps with consideration for color vision deficiency to enable accurate
  interpretation of scientific data", PLoS ONE 13(7):e0199239, doi:10.1371/journal.pone.0199239
  (dark blue to yellow): its published 256-entry table, as matplotlib carries it (the authors
  contributed it there), loaded when the map is first used (importing matplotlib takes a
  quarter of a second, which the default map's users need not wait for).

The "Fibre types" colour mode is no map but three colours, one per
:class:`~anatomy_viewer.gait.fibre_use.FibreState` (``FIBRE_COLOURS``): a muscle at rest is a
dark warm grey, one working with slow fibres only a mid blue, one that has recruited fast fibres
as well a light amber. Blue against amber is the pair that stays apart for every kind of colour
vision deficiency (the blue-yellow axis survives a missing red or green cone), and the three
also differ in lightness (rest darkest, fast lightest), so they read in greyscale too; the
tests simulate deuteranopia and protanopia (Machado et al. 2009) and check that the three stay
far apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from vtkmodules.vtkCommonCore import vtkLookupTable

from anatomy_viewer.gait.fibre_use import FibreState


@dataclass(frozen=True, eq=False)
class ColorMap:
    """``positions`` (k,) increasing over 0..1 and ``colours`` (k, 3) RGB in 0..1, given or
    from ``table()`` (a (k, 3) table spread evenly over 0..1, loaded on first use)."""

    name: str
    label: str
    given_positions: np.ndarray | None = None
    given_colours: np.ndarray | None = None
    table: Callable[[], np.ndarray] | None = field(default=None, repr=False)

    @cached_property
    def colours(self) -> np.ndarray:
        if self.given_colours is not None:
            return self.given_colours
        assert self.table is not None
        return np.asarray(self.table(), dtype=float).reshape(-1, 3)

    @cached_property
    def positions(self) -> np.ndarray:
        if self.given_positions is not None:
            return self.given_positions
        return np.linspace(0.0, 1.0, len(self.colours))

    def __call__(self, values: np.ndarray) -> np.ndarray:
        """RGB (..., 3) in 0..1 of ``values`` (any shape), clipped to 0..1."""
        v = np.clip(np.asarray(values, dtype=float), 0.0, 1.0)
        out = np.empty(v.shape + (3,))
        for c in range(3):
            out[..., c] = np.interp(v, self.positions, self.colours[:, c])
        return out

    def lookup_table(self, value_range: tuple[float, float] = (0.0, 1.0), n: int = 256):
        """A vtkLookupTable with the same colours over ``value_range`` (for a scalar bar)."""
        lut = vtkLookupTable()
        lut.SetNumberOfTableValues(n)
        lut.SetRange(*value_range)
        rgb = self(np.linspace(0.0, 1.0, n))
        for i, (r, g, b) in enumerate(rgb):
            lut.SetTableValue(i, float(r), float(g), float(b), 1.0)
        lut.Build()
        return lut


def _hex(code: str) -> tuple[float, float, float]:
    code = code.lstrip("#")
    return tuple(int(code[i : i + 2], 16) / 255.0 for i in (0, 2, 4))


def _make(name: str, label: str, stops: list[tuple[float, str]]) -> ColorMap:
    return ColorMap(
        name,
        label,
        np.array([p for p, _ in stops], dtype=float),
        np.array([_hex(c) for _, c in stops], dtype=float),
    )


COLORMAPS: dict[str, ColorMap] = {
    cm.name: cm
    for cm in (
        _make(
            "activation",
            "Rest red to active gold",
            [
                (0.00, "#6b2a27"),  # resting muscle: muted brick red
                (0.10, "#a9352b"),  # light activity: clearly redder
                (0.22, "#e05a2a"),  # moderate (most of walking): orange-red
                (0.40, "#f89a32"),  # working: orange-gold
                (0.65, "#fcc64c"),  # hard: gold
                (1.00, "#fff0a0"),  # fully active: pale warm yellow (more saturated than bone)
            ],
        ),
        ColorMap("cividis", "Cividis (colour-blind safe)", table=lambda: _published("cividis")),
    )
}

DEFAULT_COLORMAP = "activation"


def _published(name: str) -> np.ndarray:
    """A published colour map's table as matplotlib carries it ((256, 3) RGB, 0..1)."""
    import matplotlib

    return np.asarray(matplotlib.colormaps[name].colors, dtype=float)


def colormap(name: str) -> ColorMap:
    try:
        return COLORMAPS[name]
    except KeyError:
        raise KeyError(f"no colour map {name!r}; choose one of {', '.join(COLORMAPS)}") from None


# ---------------------------------------------------------------------- fibre types
#: The "Fibre types" colours: state -> (hex colour, legend label).
FIBRE_COLOURS: dict[FibreState, tuple[str, str]] = {
    FibreState.REST: ("#5f5a57", "at rest"),  # dark warm grey: recedes
    FibreState.SLOW: ("#3b8fd4", "slow fibres only"),  # mid blue
    FibreState.FAST: ("#f5b335", "fast fibres too"),  # light amber: stands out
}
#: RGB (0..1) of each state, indexed by its value.
FIBRE_RGB: np.ndarray = np.array([_hex(FIBRE_COLOURS[s][0]) for s in FibreState], dtype=float)


def fibre_colours(states: np.ndarray) -> np.ndarray:
    """RGB (..., 3) in 0..1 of ``FibreState`` values (any shape)."""
    return FIBRE_RGB[np.asarray(states, dtype=np.intp)]


def fibre_lookup_table() -> vtkLookupTable:
    """A categorical vtkLookupTable of the three states with their labels (for the legend)."""
    lut = vtkLookupTable()
    lut.SetNumberOfTableValues(len(FibreState))
    lut.SetRange(0, len(FibreState) - 1)
    lut.IndexedLookupOn()
    # Indexed: the i-th annotation takes the i-th colour and is drawn i-th from the top, so
    # the list runs from fast (lightest) down to rest, like the activation bar.
    for i, state in enumerate(reversed(FibreState)):
        r, g, b = FIBRE_RGB[int(state)]
        lut.SetTableValue(i, float(r), float(g), float(b), 1.0)
        lut.SetAnnotation(int(state), FIBRE_COLOURS[state][1])
    lut.Build()
    return lut
