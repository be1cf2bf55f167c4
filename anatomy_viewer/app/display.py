"""What the 3-D view shows, in two layers: the user's choices and a guided view's overlay.

:class:`DisplayState` is one complete, immutable set of display choices. :class:`DisplayModel`
keeps the user's choices (``user``), optionally an overlay on top (a partial state, e.g. a
guided view outlining its muscles and framing its camera) and the effective state that views
draw (``effective``: the overlay's fields replacing the user's).

- A guided view writes only the overlay, so it never erases what the user chose, and removing
  the overlay gives back exactly the user's state.
- The user's own changes while an overlay is on (hide a muscle, switch the legs, isolate a
  group) go to the user layer; a field the user sets is also taken out of the overlay, so the
  user's latest action is what shows.
- ``events.changed(fields)`` tells which fields of the effective state changed, so a view
  redraws only what it must. A new field (say a colour mode) is one more dataclass field with
  a default: the layers, persistence of the user layer and change events need no new code.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from psygnal import Signal, SignalGroup

#: Legs shown: key -> (right, left).
LEGS: dict[str, tuple[bool, bool]] = {
    "both": (True, True),
    "right": (True, False),
    "left": (False, True),
}
CAMERAS: tuple[str, ...] = ("side", "front", "back", "three_quarter", "left")
MIN_GAIN, MAX_GAIN = 1.0, 4.0
DEFAULT_COLORMAP = "activation"
#: What the muscles' colours show: key -> label. "activation": how active each muscle is (in
#: the colour map); "fibre_types": which fibres it is working with (at rest, slow fibres only,
#: fast fibres recruited as well; recruitment by size, ``gait.fibre_use.fibre_states``).
COLOUR_MODES: dict[str, str] = {"activation": "Activation", "fibre_types": "Fibre types"}
DEFAULT_COLOUR_MODE = "activation"


@dataclass(frozen=True)
class DisplayState:
    """One complete set of display choices. Muscles are model names (``"glmed1_r"``)."""

    hidden: frozenset[str] = frozenset()  # muscles not drawn
    isolated: frozenset[str] = frozenset()  # in colour, the rest faded (empty: none faded)
    highlighted: frozenset[str] = frozenset()  # outlined, the rest dimmed
    legs: str = "both"
    bone_opacity: float = 1.0
    colormap: str = DEFAULT_COLORMAP
    colour_mode: str = DEFAULT_COLOUR_MODE  # what the muscles' colours show (COLOUR_MODES)
    gain: float = 1.0  # activation shown = gain x activation, clipped to 1
    legend: bool = True
    camera: str = "three_quarter"  # the camera preset
    framing: tuple[str, ...] = ()  # bones the preset frames closely (empty: the whole leg)
    caption: str | None = None  # text at the top left of the 3-D view
    curves: tuple[str, ...] | None = None  # muscles plotted (None: the selected one)

    @property
    def sides(self) -> tuple[bool, bool]:
        """(right leg shown, left leg shown)."""
        return LEGS[self.legs]

    def changed_fields(self, other: DisplayState) -> tuple[str, ...]:
        """Names of the fields whose values differ from ``other``'s."""
        return tuple(
            f.name for f in fields(self) if getattr(self, f.name) != getattr(other, f.name)
        )


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(DisplayState))
#: The display options the settings keep between runs (the camera preset is kept apart).
OPTIONS: tuple[str, ...] = ("legs", "bone_opacity", "legend", "colormap", "colour_mode", "gain")


def _finite(value: Any, name: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def _names(value: Iterable[str] | None) -> frozenset[str]:
    return frozenset() if value is None else frozenset(str(v) for v in value)


class DisplayEvents(SignalGroup):
    changed = Signal(tuple)  # names of the effective fields that changed
    view_requested = Signal(str)  # a camera preset chosen (again): frame it anew
    frame_requested = Signal()  # fit the leg in the view from where the camera looks now


class DisplayModel:
    """The user's display choices, an optional overlay, and the effective state."""

    def __init__(
        self, colormaps: Collection[str] = (DEFAULT_COLORMAP,), user: DisplayState | None = None
    ) -> None:
        self.events = DisplayEvents()
        self.colormaps = tuple(colormaps)
        self._user = user or DisplayState()
        self._overlay: dict[str, Any] = {}
        self._owner: str | None = None
        self._effective = self._user

    # ------------------------------------------------------------------ queries
    @property
    def user(self) -> DisplayState:
        """The user's own choices (what settings save, what leaving a guided view restores)."""
        return self._user

    @property
    def overlay(self) -> Mapping[str, Any]:
        """The fields an overlay sets (empty without one)."""
        return dict(self._overlay)

    @property
    def overlay_owner(self) -> str | None:
        """Who set the overlay (e.g. ``"guided view"``), or None."""
        return self._owner

    @property
    def effective(self) -> DisplayState:
        """What is drawn: the overlay's fields over the user's."""
        return self._effective

    # ------------------------------------------------------------------ the user's layer
    def set_user(self, **changes: Any) -> None:
        """Change the user's choices (the fields named) and take them out of the overlay."""
        clean = self._clean(changes)
        for name in clean:
            self._overlay.pop(name, None)
        self._user = replace(self._user, **clean)
        self._update()

    def set_user_state(self, state: Mapping[str, Any]) -> None:
        """Apply saved settings: unknown keys and unusable values are ignored."""
        usable = {}
        for name, value in state.items():
            if name not in FIELDS:
                continue
            try:
                usable.update(self._clean({name: value}))
            except (TypeError, ValueError):
                continue
        if usable:
            self.set_user(**usable)

    def user_options(self) -> dict[str, Any]:
        """The user's display options (``OPTIONS``) as plain values, for the settings."""
        return {name: getattr(self._user, name) for name in OPTIONS}

    def request_view(self, camera: str) -> None:
        """The user chose a camera preset (perhaps the one shown: it is framed anew)."""
        self.set_user(camera=camera, framing=())
        self.events.view_requested.emit(camera)

    def request_frame(self) -> None:
        """The user asked to frame the leg: fit it in the view, keeping the direction the
        camera looks from (after rotating or zooming by hand)."""
        self.events.frame_requested.emit()

    def reframe(self) -> None:
        """Frame the effective camera preset anew (e.g. a guided view opening)."""
        self.events.view_requested.emit(self._effective.camera)

    # ------------------------------------------------------------------ the overlay
    def set_overlay(self, overlay: Mapping[str, Any] | None, owner: str | None = None) -> None:
        """Replace the overlay (None or empty removes it, restoring the user's state)."""
        self._overlay = self._clean(dict(overlay or {}))
        self._owner = owner if self._overlay else None
        self._update()

    def update_overlay(self, **changes: Any) -> None:
        """Change some fields of the overlay (an overlay must be on)."""
        self._overlay.update(self._clean(changes))
        self._update()

    def clear_overlay(self) -> None:
        self.set_overlay(None)

    # ------------------------------------------------------------------ internals
    def _clean(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in FIELDS:
                raise KeyError(f"no display field {name!r}; fields: {', '.join(FIELDS)}")
            if name in ("hidden", "isolated", "highlighted"):
                value = _names(value)
            elif name == "legs":
                if not isinstance(value, str) or value not in LEGS:
                    raise ValueError(f"legs must be one of {', '.join(LEGS)}, got {value!r}")
            elif name == "bone_opacity":
                value = min(max(_finite(value, name), 0.0), 1.0)
            elif name == "gain":
                value = min(max(_finite(value, name), MIN_GAIN), MAX_GAIN)
            elif name == "colormap":
                if not isinstance(value, str) or value not in self.colormaps:
                    raise ValueError(
                        f"no colour map {value!r}; choose one of {', '.join(self.colormaps)}"
                    )
            elif name == "colour_mode":
                if not isinstance(value, str) or value not in COLOUR_MODES:
                    raise ValueError(
                        f"no colour mode {value!r}; choose one of {', '.join(COLOUR_MODES)}"
                    )
            elif name == "legend":
                value = bool(value)
            elif name == "camera":
                if value not in CAMERAS:
                    raise ValueError(f"no view {value!r}; choose one of {', '.join(CAMERAS)}")
            elif name in ("framing",):
                value = tuple(str(v) for v in value or ())
            elif name == "curves":
                value = None if value is None else tuple(str(v) for v in value)
            elif name == "caption":
                value = None if not value else str(value)
            out[name] = value
        return out

    def _update(self) -> None:
        new = replace(self._user, **self._overlay) if self._overlay else self._user
        changed = new.changed_fields(self._effective)
        self._effective = new
        if changed:
            self.events.changed.emit(changed)
