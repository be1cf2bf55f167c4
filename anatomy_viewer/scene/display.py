"""A scene that follows the application model: the 3-D view's adapter to the model's events.

:class:`SceneBinding` connects one :class:`~anatomy_viewer.scene.leg_scene.LegScene` to an
:class:`~anatomy_viewer.app.model.AppModel`: it draws the current (or, for the right half of a
comparison, the compared) animation at the playback's percent, a still pose when one is shown,
the normal stride as ghost bones beside a what-if, and applies the effective display state and
the selection. It asks for a render through ``request_render`` (the window coalesces those);
it never renders itself. :meth:`SceneBinding.disconnect` ends it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from anatomy_viewer.app.display import DisplayState
from anatomy_viewer.app.model import AppModel
from anatomy_viewer.scene.leg_scene import LegScene

#: Which animation a scene draws.
CURRENT, COMPARED = "current", "compared"
#: Poses of a stride the camera presets fit the leg over.
STRIDE_SAMPLES = 16


class SceneBinding:
    """Keeps ``scene`` showing what ``model`` says (``role``: CURRENT or COMPARED)."""

    def __init__(
        self,
        scene: LegScene,
        model: AppModel,
        request_render: Callable[[], None] = lambda: None,
        role: str = CURRENT,
    ) -> None:
        if role not in (CURRENT, COMPARED):
            raise ValueError(f"role must be {CURRENT!r} or {COMPARED!r}, got {role!r}")
        self.scene = scene
        self.model = model
        self.role = role
        self.request_render = request_render
        #: The colour legend may be drawn (a comparison draws one legend, on its right half).
        self.legend_allowed = True
        self._index = {name: i for i, name in enumerate(scene.model.muscle_names)}
        self._connections: list[tuple[object, Callable]] = []
        self._connect(model.display.events.changed, self._on_display)
        self._connect(model.display.events.view_requested, self._on_view_requested)
        self._connect(model.display.events.frame_requested, self._on_frame_requested)
        self._connect(model.selection.changed, self._on_selection)
        self._connect(model.playback.events.percent, self._on_percent)
        self._connect(model.events.animation, self._on_animation)
        self._connect(model.events.animation, self._on_stride)
        self._connect(model.events.compared, self._on_animation)
        self._connect(model.events.still, self._on_animation)
        self._connect(model.events.reference, self._on_animation)
        self.apply_display(model.display.effective)
        self._on_selection(model.selection.name)
        self._on_stride(model.animation)
        self.draw()

    def _connect(self, signal, slot: Callable) -> None:
        signal.connect(slot)
        self._connections.append((signal, slot))

    def disconnect(self) -> None:
        """Stop following the model."""
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []

    # ------------------------------------------------------------------ drawing
    def draw(self) -> None:
        """Pose the scene at the playback's percent (or in the still pose) and ask to render."""
        m = self.model
        percent = m.playback.percent
        if self.role == COMPARED:
            animation = None if m.compared is None else m.compared.animation
        else:
            animation = m.animation
            if m.still is not None:
                self.scene.update(m.still.pose, np.zeros(self.scene.n_muscles), None)
                self.scene.set_ghost_pose(None)
                self.request_render()
                return
        if animation is None:
            return
        frame = animation.at(percent)
        self.scene.update(frame.pose, frame.activations, frame.modes)
        if self.role == CURRENT:
            ref = m.reference
            self.scene.set_ghost_pose(None if ref is None else ref.at(percent).pose)
        self.request_render()

    def _on_stride(self, animation) -> None:
        """Camera presets frame the leg over the whole stride of the current animation."""
        if self.role != CURRENT:
            return
        if animation is None:
            self.scene.set_stride(None)
            return
        matrices = animation.poses.bone_matrices
        pick = np.linspace(0, len(matrices) - 1, STRIDE_SAMPLES).round().astype(int)
        self.scene.set_stride(matrices[np.unique(pick)])

    def _on_percent(self, _percent: float) -> None:
        self.draw()

    def _on_animation(self, _value=None) -> None:
        self.draw()

    # ------------------------------------------------------------------ display state
    def mask(self, names: Iterable[str]) -> np.ndarray:
        """A mask of the scene's muscles from model names (unknown names are ignored)."""
        out = np.zeros(self.scene.n_muscles, bool)
        idx = [self._index[n] for n in names if n in self._index]
        out[idx] = True
        return out

    def _on_display(self, fields: tuple[str, ...]) -> None:
        self.apply_display(self.model.display.effective, fields)

    def apply_display(self, state: DisplayState, fields: Iterable[str] | None = None) -> None:
        """Apply ``state``'s ``fields`` (None: all of them) to the scene."""
        s = self.scene
        f = set(state.__dataclass_fields__ if fields is None else fields)
        if "hidden" in f:
            s.set_muscle_visible(~self.mask(state.hidden))
        if "isolated" in f:
            s.set_isolated(self.mask(state.isolated))
        if "highlighted" in f:
            s.set_highlighted(self.mask(state.highlighted))
        if "legs" in f:
            s.set_side_visible(*state.sides)
        if "bone_opacity" in f:
            s.set_bone_opacity(state.bone_opacity)
        if "colormap" in f and s.colormap.name != state.colormap:
            s.set_colormap(state.colormap)
        if "colour_mode" in f and s.colour_mode != state.colour_mode:
            s.set_colour_mode(state.colour_mode)
        if "gain" in f and s.gain != state.gain:
            s.set_gain(state.gain)
        if "legend" in f:
            s.set_legend_visible(state.legend and self.legend_allowed)
        if self.role == CURRENT:
            if "caption" in f:
                s.set_caption(state.caption)
            if "camera" in f or "framing" in f:
                s.set_view(state.camera, state.framing)
        self.request_render()

    def set_legend_allowed(self, allowed: bool) -> None:
        self.legend_allowed = bool(allowed)
        self.scene.set_legend_visible(self.model.display.effective.legend and self.legend_allowed)
        self.request_render()

    def _on_view_requested(self, camera: str) -> None:
        if self.role == CURRENT:
            self.scene.set_view(camera, self.model.display.effective.framing)
            self.request_render()

    def _on_frame_requested(self) -> None:
        if self.role == CURRENT:  # a comparison's halves share the primary scene's camera
            self.scene.frame_leg()
            self.request_render()

    def _on_selection(self, name: str | None) -> None:
        self.scene.set_selected(None if name is None else self._index.get(name))
        self.request_render()
