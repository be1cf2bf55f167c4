"""Compare mode: two gaits side by side in the one 3-D view, on one shared phase.

The window's own scene (``window.scene``) moves to the left half of the render window and a
second :class:`LegScene` with its own :class:`CycleAnimation` takes the right half. Both
renderers share one camera, so rotating either leg rotates both. The window's playback drives
both at the same percent of the cycle; the stride time is the left (primary) gait's.

Both scenes follow the application model's display state and selection
(:class:`~anatomy_viewer.scene.display.SceneBinding`), so whatever the panels, guided views or
picking set applies to both legs. Each half is labelled
with its gait at its top left, under the scene's own caption if it has one (a guided view's
title); the colour legend is drawn once, at the right edge.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMenu,
    QVBoxLayout,
    QWidget,
)
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingCore import (
    vtkActor2D,
    vtkCoordinate,
    vtkPolyDataMapper2D,
    vtkTextActor,
)

from anatomy_viewer.app.model import AppModel
from anatomy_viewer.gait.animation import CycleAnimation
from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.gait.library import GAIT_NAMES, gait_info
from anatomy_viewer.scene.display import COMPARED, SceneBinding
from anatomy_viewer.scene.leg_scene import LegScene

LEFT_VIEWPORT = (0.0, 0.0, 0.5, 1.0)
RIGHT_VIEWPORT = (0.5, 0.0, 1.0, 1.0)
FULL_VIEWPORT = (0.0, 0.0, 1.0, 1.0)
DIVIDER_RGB = (0.07, 0.075, 0.09)
LABEL_FONT_PX = 20
#: Average width of a label character in pixels (20 px bold sans-serif), to wrap long labels.
LABEL_CHAR_PX = 11.0
#: Height of a line of the scene's caption (20 px text) above a gait label.
CAPTION_LINE_PX = 25
#: Room (pixels) the colour legend and its labels need at the right edge of a half.
LEGEND_PX = 125
#: Bottom and height (fractions of the half's height) of the legend in compare mode.
LEGEND_SPAN = (0.44, 0.38)
#: Poses of each stride that the framing of a preset keeps in view while comparing.
FRAMING_SAMPLES = 16


def gait_caption(cycle: GaitCycle) -> str:
    """ "Sprinting, 7.9 m/s" (the speed left out when the cycle has none)."""
    return f"{cycle.label}, {cycle.speed:.2g} m/s" if cycle.speed else cycle.label


def _divider() -> vtkActor2D:
    """A vertical line along the left edge of a renderer's viewport."""
    poly = vtkPolyData()
    pts = vtkPoints()
    pts.SetData(numpy_to_vtk(np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), deep=True))
    poly.SetPoints(pts)
    lines = vtkCellArray()
    lines.InsertNextCell(2)
    lines.InsertCellPoint(0)
    lines.InsertCellPoint(1)
    poly.SetLines(lines)
    coordinate = vtkCoordinate()
    coordinate.SetCoordinateSystemToNormalizedViewport()
    mapper = vtkPolyDataMapper2D()
    mapper.SetInputData(poly)
    mapper.SetTransformCoordinate(coordinate)
    actor = vtkActor2D()
    actor.SetMapper(mapper)
    actor.GetProperty().SetColor(*DIVIDER_RGB)
    actor.GetProperty().SetLineWidth(3.0)
    actor.PickableOff()
    return actor


def _label() -> vtkTextActor:
    """The name of a half's gait, at the top left of its viewport."""
    actor = vtkTextActor()
    tp = actor.GetTextProperty()
    tp.SetFontSize(LABEL_FONT_PX)
    tp.SetBold(True)
    tp.SetColor(0.97, 0.97, 0.97)
    tp.SetShadow(True)
    tp.SetJustificationToLeft()
    tp.SetVerticalJustificationToTop()
    c = actor.GetPositionCoordinate()
    c.SetCoordinateSystemToNormalizedViewport()
    c.SetValue(0.02, 0.975)
    actor.PickableOff()
    return actor


class CompareView(QObject):
    """Side-by-side comparison of two gaits in one render window, following the model.

    The model says what is compared (``AppModel.compare``); this view lays the window's scene
    on the left half and a second scene, bound to the compared animation, on the right.
    ``message(str)`` says what is shown (for the status bar).
    """

    message = Signal(str)

    def __init__(
        self,
        app: AppModel,
        scene: LegScene,
        binding: SceneBinding,
        render_window,
        request_render: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._primary = scene
        self._primary_binding = binding
        self._render_window = render_window
        self._request_render = request_render
        self._scene: LegScene | None = None
        self._binding: SceneBinding | None = None
        self._entered = False
        self._laid_out: tuple | None = None
        self._framed_for: tuple | None = None
        self._divider = _divider()
        self._gait_labels = (_label(), _label())
        app.events.compared.connect(self._on_compared)
        render_window.AddObserver("StartEvent", self._before_render)

    # ------------------------------------------------------------------ queries
    @property
    def active(self) -> bool:
        return self._app.compared is not None

    @property
    def gaits(self) -> tuple[str, str] | None:
        """The compared gaits (left, right), or None in the single view."""
        compared = self._app.compared
        return None if compared is None else compared.gaits

    @property
    def animation(self) -> CycleAnimation | None:
        """The right-hand gait's animation while comparing."""
        compared = self._app.compared
        return None if compared is None else compared.animation

    @property
    def secondary(self) -> LegScene | None:
        """The right-hand scene while comparing, else None."""
        return self._scene if self.active else None

    @property
    def scenes(self) -> list[LegScene]:
        """The scenes shown, left to right: the window's scene, then the compared one."""
        return [self._primary] + ([self._scene] if self.active and self._scene else [])

    # ------------------------------------------------------------------ commands
    def set_gaits(
        self,
        gaits: Sequence[str] | None,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        """Compare two built-in gaits (left, right), or go back to one view with None."""
        self._app.compare(gaits, labels)

    # ------------------------------------------------------------------ entering, leaving
    def _on_compared(self, compared) -> None:
        if compared is None:
            self._leave()
            return
        if not self._entered:
            self._enter()
        # Frame the preset again: for a half as wide, and for both gaits' whole strides.
        self._update_framing()
        self._primary.reset_camera()
        self._laid_out = None
        self._request_render()
        app = self._app
        left, right = app.cycle.label, compared.animation.cycle.label
        self.message.emit(
            f"Comparing {left} (left) with {right} (right) at the same point of the stride, "
            f"timed by {left}'s stride of {app.cycle.stride_time:.2f} s. "
            "Gait > Single view goes back."
        )

    def _enter(self) -> None:
        primary = self._primary
        if self._scene is None:
            self._scene = LegScene(self._app.leg)
            self._scene.renderer.AddViewProp(self._divider)
            self._scene.renderer.AddViewProp(self._gait_labels[1])
        primary.renderer.AddViewProp(self._gait_labels[0])
        scene = self._scene
        scene.renderer.SetActiveCamera(primary.renderer.GetActiveCamera())
        primary.renderer.SetViewport(*LEFT_VIEWPORT)
        scene.renderer.SetViewport(*RIGHT_VIEWPORT)
        scene.attach(self._render_window)
        self._binding = SceneBinding(scene, self._app, self._request_render, role=COMPARED)
        # One colour legend, at the right edge.
        self._primary_binding.set_legend_allowed(False)
        self._binding.set_legend_allowed(True)
        self._entered = True

    def _leave(self) -> None:
        if not self._entered:
            return
        self._entered = False
        if self._binding is not None:
            self._binding.disconnect()
            self._binding = None
        if self._scene is not None:
            self._scene.detach()
        primary = self._primary
        primary.renderer.SetViewport(*FULL_VIEWPORT)
        primary.renderer.RemoveViewProp(self._gait_labels[0])
        # The preset is framed again for the whole width at the next render, unless the
        # camera was moved by hand.
        primary.frame_also = None
        primary.frame_right_inset = 0.0
        self._framed_for = None
        self._laid_out = None
        self._primary_binding.set_legend_allowed(True)
        cycle = self._app.cycle
        if cycle is not None:
            self.message.emit(f"{gait_caption(cycle)}, stride {cycle.stride_time:.2f} s.")
        self._request_render()

    # ------------------------------------------------------------------ frame flow
    def _before_render(self, *_args) -> None:
        if self.active and self._entered:
            if self._framed_for != (self._app.animation, self.animation):
                self._update_framing()
            self._layout_overlays()

    def _update_framing(self) -> None:
        """Camera presets keep both gaits' legs in view over their whole strides, and leave
        the legend's room free at the right of each half."""
        primary = self._primary
        points = []
        for animation in (self._app.animation, self.animation):
            if animation is None:
                continue
            poses = animation.poses
            for i in np.linspace(0, len(poses) - 1, FRAMING_SAMPLES).round().astype(int):
                points.append(primary.framing_points(poses.frame(int(i))))
        primary.frame_also = np.concatenate(points) if points else None
        primary.frame_right_inset = self._legend_inset()
        self._framed_for = (self._app.animation, self.animation)

    def _legend_inset(self) -> float:
        half = self._render_window.GetSize()[0] * (RIGHT_VIEWPORT[2] - RIGHT_VIEWPORT[0])
        legend = self._app.display.effective.legend
        return min(LEGEND_PX / half, 0.35) if legend and half > 0 else 0.0

    def _label_for(self, cycle: GaitCycle | None, gait: str | None) -> str:
        compared = self._app.compared
        labels = {} if compared is None else compared.labels
        if gait is not None and gait in labels:
            return labels[gait]
        return "" if cycle is None else gait_caption(cycle)

    def labels(self) -> tuple[str, str]:
        """The gait labels of the left and right half (as given, before wrapping)."""
        compared = self._app.compared
        if compared is None:
            return ("", "")
        return (
            self._label_for(self._app.cycle, self._app.gait_name),
            self._label_for(compared.animation.cycle, compared.gaits[1]),
        )

    def _layout_overlays(self) -> None:
        """Label each half with its gait (wrapped to the half's width, under the scene's
        caption if there is one); keep the legend's labels inside the right half."""
        width, height = self._render_window.GetSize()
        half = width * (RIGHT_VIEWPORT[2] - RIGHT_VIEWPORT[0])
        scenes = (self._primary, self._scene)
        key = (self.labels(), width, height, tuple(s.caption for s in scenes))
        if key == self._laid_out or half <= 0 or height <= 0:
            return
        self._laid_out = key
        chars = max(14, int(0.92 * half / LABEL_CHAR_PX))
        # Both labels at one height: under the longer of the two scenes' captions.
        lines = max(s.caption.count("\n") + 1 if s.caption else 0 for s in scenes)
        below = (lines * CAPTION_LINE_PX + (8 if lines else 0)) / height
        for text, actor in zip(self.labels(), self._gait_labels, strict=True):
            actor.SetInput(textwrap.fill(text, chars) if text else "")
            actor.SetVisibility(bool(text))
            actor.GetPositionCoordinate().SetValue(0.02, 0.975 - below)
        # A half is narrow: the legend keeps its room at the right edge, kept free of the leg
        # by the framing (``frame_right_inset``), which follows the window's width.
        self._scene.set_legend_placement(min(0.9, 1.0 - LEGEND_PX / half), *LEGEND_SPAN)
        self._primary.frame_right_inset = self._legend_inset()

    # ------------------------------------------------------------------ menu
    def install_menu(self, menu: QMenu, parent: QWidget) -> None:
        """Add "Compare two gaits…" and "Single view" to the Gait ``menu``."""
        # Choosing one gait from the menu goes back to the single view.
        for act in menu.actions():
            if act.data() in GAIT_NAMES:
                act.triggered.connect(lambda _=False: self.set_gaits(None))
        menu.addSeparator()
        self._dialog_parent = parent
        self.compare_action = QAction("&Compare two gaits\u2026", parent)
        self.compare_action.setObjectName("compareGaitsAction")
        self.compare_action.setStatusTip("Show two gaits side by side on the same phase")
        self.compare_action.triggered.connect(self.choose)
        menu.addAction(self.compare_action)
        self.single_action = QAction("&Single view", parent)
        self.single_action.setObjectName("singleViewAction")
        self.single_action.triggered.connect(lambda: self.set_gaits(None))
        menu.addAction(self.single_action)
        self._app.events.compared.connect(lambda c: self.single_action.setEnabled(c is not None))
        self.single_action.setEnabled(self.active)

    def choose(self) -> None:
        """Ask for two gaits and compare them."""
        dialog = CompareDialog(self._dialog_parent, self._default_pair())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_gaits(dialog.gaits())

    def _default_pair(self) -> tuple[str, str]:
        if self.gaits is not None:
            return self.gaits
        # The current gait and the next faster one (or the next slower one after the fastest).
        first = self._app.gait_name or GAIT_NAMES[0]
        i = GAIT_NAMES.index(first)
        return first, GAIT_NAMES[i + 1] if i + 1 < len(GAIT_NAMES) else GAIT_NAMES[i - 1]


class CompareDialog(QDialog):
    """Pick the two gaits to show side by side."""

    def __init__(self, parent: QWidget | None, pair: tuple[str, str]) -> None:
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.setWindowTitle("Compare two gaits")
        intro = QLabel(
            "Show two gaits side by side at the same instant of the stride, so that you can "
            "see how the same muscle works in each. The stride time is the left one's."
        )
        intro.setWordWrap(True)
        self.left = QComboBox()
        self.left.setObjectName("compareLeft")
        self.right = QComboBox()
        self.right.setObjectName("compareRight")
        for combo, name in ((self.left, pair[0]), (self.right, pair[1])):
            for g in GAIT_NAMES:
                info = gait_info(g)
                combo.addItem(f"{info['label']} ({info['speed']:.2g} m/s)", g)
            combo.setCurrentIndex(max(combo.findData(name), 0))
            combo.currentIndexChanged.connect(self._check)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Compare")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.note = QLabel("Choose two different gaits.")
        self.note.setVisible(False)
        form = QFormLayout()
        form.addRow("Left:", self.left)
        form.addRow("Right:", self.right)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(360)
        self._check()

    def gaits(self) -> tuple[str, str]:
        return str(self.left.currentData()), str(self.right.currentData())

    def _check(self) -> None:
        same = self.left.currentData() == self.right.currentData()
        self.note.setVisible(same)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not same)
