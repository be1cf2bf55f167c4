"""The Learn menu: the article's claims as guided views of the leg.

Each guided view (``resources/learn/guided_views.toml``, loaded by
:mod:`anatomy_viewer.anatomy.learn`) sets a gait, pauses at a phase, chooses a camera
preset, outlines the muscles it talks about and shows its caption in a "Learn" panel beside
the 3-D view (its title also in the view itself). Two views have more to do:

- the hip-abductor view can switch on "weak hip abductors": the view's coordinate offsets are
  added to the cycle during each leg's single-leg stance (mirrored for the left leg), so the
  free side of the pelvis sags and the stance knee drifts inward;
- the sagittal-plane view lists four exercises; choosing one shows the leg in the exercise's
  static pose with its target muscles outlined, and "Back to the stride" returns to the gait.

The endurance-vs-sprint view shows the two gaits side by side (``window.set_compare``).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from anatomy_viewer.anatomy.learn import ExerciseView, GuidedView, guided_views
from anatomy_viewer.gait.animation import CycleAnimation
from anatomy_viewer.gait.cycle import GaitCycle

if TYPE_CHECKING:
    from anatomy_viewer.ui.main_window import MainWindow

#: Bone opacity while focusing on a view's muscles: muscles behind a bone show through it.
FOCUS_BONE_OPACITY = 0.3
#: A what-if view (weak abductors) frames the bones it moves, hips to knees, with this margin.
WHAT_IF_BONES = ("pelvis", "femur", "patella")
WHAT_IF_MARGIN = 1.18
#: A view's muscles get activation curves below the 3-D view when they are this few.
MAX_CURVES = 4
#: Fraction of a stance over which the weak-abductor offsets fade in after foot strike and
#: out before toe-off (smoothly): the pelvis sags while one leg carries the body alone.
STANCE_RAMP = 0.2


# ---------------------------------------------------------------------------- weak abductors
def stance_weights(contact: np.ndarray, periodic: bool = True, ramp: float = STANCE_RAMP):
    """Per sample 0..1: 1 through the middle of each stance of one leg, easing in over the
    first and out over the last ``ramp`` of it (smoothstep), 0 while the foot is in the air.

    ``contact``: the leg's contact flags per sample; for a periodic cycle the last sample
    repeats the first, and a stance may run across the end of the cycle.
    """
    c = np.asarray(contact, bool)
    n = len(c)
    m = n - 1 if periodic and n > 1 else n  # distinct samples
    base = c[:m]
    w = np.zeros(m)
    if base.all():
        w[:] = 1.0
    elif base.any():
        # start at a sample in the air so that no stance is cut in two
        shift = int(np.flatnonzero(~base)[0])
        rolled = np.roll(base, -shift) if periodic else base
        i = 0
        out = np.zeros(m)
        while i < m:
            if not rolled[i]:
                i += 1
                continue
            j = i
            while j < m and rolled[j]:
                j += 1
            length = j - i
            s = (np.arange(length) + 0.5) / length  # position within the stance, 0..1
            edge = np.clip(np.minimum(s, 1.0 - s) / ramp, 0.0, 1.0)
            out[i:j] = edge * edge * (3.0 - 2.0 * edge)
            i = j
        w = np.roll(out, shift) if periodic else out
    if m < n:
        w = np.append(w, w[0])
    return w


def frame_points(renderer, points: np.ndarray, margin: float, aspect: float) -> None:
    """Move the camera along its view direction and sideways so that ``points`` (k, 3) fill
    the viewport with ``margin`` to spare; the direction, view-up and view angle stay."""
    cam = renderer.GetActiveCamera()
    pos, focal = np.array(cam.GetPosition()), np.array(cam.GetFocalPoint())
    forward = focal - pos
    forward /= np.linalg.norm(forward)
    up = np.array(cam.GetViewUp())
    right = np.cross(forward, up)
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    lo, hi = points.min(0), points.max(0)
    centre = 0.5 * (lo + hi)
    rel = points - centre
    x, y = rel @ right, rel @ up
    centre = centre + right * 0.5 * (x.max() + x.min()) + up * 0.5 * (y.max() + y.min())
    rel = points - centre
    x, y, z = rel @ right, rel @ up, rel @ forward
    tan_v = np.tan(np.deg2rad(cam.GetViewAngle() / 2.0))
    dist = max(
        np.max(np.abs(y) * margin / tan_v - z),
        np.max(np.abs(x) * margin / (tan_v * aspect) - z),
    )
    cam.SetFocalPoint(*centre)
    cam.SetPosition(*(centre - forward * dist))
    renderer.ResetCameraClippingRange()


def mirror_coordinate(name: str) -> tuple[str, float]:
    """The same coordinate of the other leg and the sign that mirrors a value across the
    body's midline: ``hip_adduction_r`` -> (``hip_adduction_l``, +1); ``pelvis_list`` -> -1."""
    if name.endswith("_r"):
        return f"{name[:-2]}_l", 1.0
    if name.endswith("_l"):
        return f"{name[:-2]}_r", 1.0
    if name in ("pelvis_list", "pelvis_rotation"):
        return name, -1.0
    return name, 1.0


def weak_abductor_offsets(
    offsets: Mapping[str, float], side: str, cycle: GaitCycle
) -> dict[str, np.ndarray]:
    """Per-sample coordinate offsets (degrees) of weak hip abductors over ``cycle``.

    ``offsets`` are written for single-leg stance on leg ``side`` (as in a guided view's
    ``weak_abductors`` table); they apply in full through the middle of that leg's stance and
    mirrored through the other leg's stance, fading at foot strike and toe-off.
    """
    own = stance_weights(cycle.contact_r if side == "r" else cycle.contact_l, cycle.periodic)
    other = stance_weights(cycle.contact_l if side == "r" else cycle.contact_r, cycle.periodic)
    out: dict[str, np.ndarray] = {}
    for name, deg in offsets.items():
        out[name] = out.get(name, np.zeros(cycle.n_samples)) + float(deg) * own
        twin, sign = mirror_coordinate(name)
        out[twin] = out.get(twin, np.zeros(cycle.n_samples)) + sign * float(deg) * other
    return out


# ---------------------------------------------------------------------------- the panel
def _bold(label: QLabel, scale: float = 1.0) -> None:
    f = label.font()
    f.setBold(True)
    if scale != 1.0:
        f.setPointSizeF(f.pointSizeF() * scale)
    label.setFont(f)


class LearnPanel(QWidget):
    """The Learn dock's contents: the list of views, or the open view with its controls."""

    def __init__(self, guide: GuidedViews) -> None:
        super().__init__()
        self.guide = guide
        self.setObjectName("learnPanel")
        self.setAccessibleName("Guided views")
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        # -- list of views ----------------------------------------------------------------
        listing = QWidget()
        ll = QVBoxLayout(listing)
        ll.setContentsMargins(10, 8, 10, 8)
        intro = QLabel("What running does to the legs, in six views. Pick one:")
        intro.setWordWrap(True)
        ll.addWidget(intro)
        for i, view in enumerate(guide.views):
            b = QPushButton(f"{i + 1}. {view.title}")
            b.setObjectName(f"learnList_{view.key}")
            b.setStyleSheet("text-align: left; padding: 4px 8px;")
            b.clicked.connect(lambda _=False, v=view: guide.open(v))
            ll.addWidget(b)
        ll.addStretch(1)
        self.stack.addWidget(listing)

        # -- an open view -------------------------------------------------------------------
        page = QWidget()
        pl = QVBoxLayout(page)
        pl.setContentsMargins(10, 6, 10, 8)
        pl.setSpacing(4)
        nav = QHBoxLayout()
        self.step_label = QLabel()
        self.step_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.prev_button = QToolButton()
        self.prev_button.setText("\u2039 Previous")
        self.prev_button.setObjectName("learnPrevious")
        self.prev_button.setToolTip("Previous view")
        self.prev_button.clicked.connect(guide.previous)
        self.next_button = QToolButton()
        self.next_button.setText("Next \u203a")
        self.next_button.setObjectName("learnNext")
        self.next_button.setToolTip("Next view")
        self.next_button.clicked.connect(guide.next)
        self.leave_button = QToolButton()
        self.leave_button.setText("\u2715 Leave")
        self.leave_button.setObjectName("learnLeave")
        self.leave_button.setToolTip("Leave the guided view (Esc)")
        self.leave_button.clicked.connect(guide.leave)
        nav.addWidget(self.step_label)
        nav.addStretch(1)
        nav.addWidget(self.prev_button)
        nav.addWidget(self.next_button)
        nav.addWidget(self.leave_button)
        pl.addLayout(nav)

        self.title_label = QLabel()
        self.title_label.setObjectName("learnTitle")
        self.title_label.setWordWrap(True)
        _bold(self.title_label, 1.35)
        pl.addWidget(self.title_label)
        self.subtitle_label = QLabel()
        self.subtitle_label.setObjectName("learnSubtitle")
        self.subtitle_label.setWordWrap(True)
        _bold(self.subtitle_label, 1.1)
        pl.addWidget(self.subtitle_label)
        self.caption_label = QLabel()
        self.caption_label.setObjectName("learnCaption")
        self.caption_label.setWordWrap(True)
        self.caption_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caption_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        f = self.caption_label.font()
        f.setPointSizeF(f.pointSizeF() * 1.08)
        self.caption_label.setFont(f)
        pl.addWidget(self.caption_label)

        # controls of particular views
        self.weak_toggle = QCheckBox("Weak hip abductors")
        self.weak_toggle.setObjectName("weakAbductorsToggle")
        self.weak_toggle.setToolTip(
            "Show the stride as if the hip abductors were weak: the free side of the pelvis "
            "sags and the stance knee drifts inward"
        )
        self.weak_toggle.toggled.connect(guide.set_weak_abductors)
        pl.addWidget(self.weak_toggle)

        self.exercise_box = QFrame()
        el = QVBoxLayout(self.exercise_box)
        el.setContentsMargins(0, 4, 0, 0)
        el.setSpacing(3)
        head = QLabel("Exercises for the other planes")
        _bold(head)
        el.addWidget(head)
        self.exercise_group = QButtonGroup(self)
        self.exercise_group.setExclusive(True)
        self.exercise_buttons: dict[str, QPushButton] = {}
        self._exercise_layout = el
        self.back_button = QPushButton("\u21a9 Back to the stride", self.exercise_box)
        self.back_button.setObjectName("learnBackToStride")
        self.back_button.clicked.connect(lambda: guide.show_exercise(None))
        el.addWidget(self.back_button)
        pl.addWidget(self.exercise_box)

        self.focus_toggle = QCheckBox("Focus on these muscles")
        self.focus_toggle.setObjectName("learnFocus")
        self.focus_toggle.setToolTip(
            "Fade the other muscles to ghosts and see through the bones, so that the outlined "
            "muscles show whole"
        )
        self.focus_toggle.setChecked(guide.focus)
        self.focus_toggle.toggled.connect(guide.set_focus)
        pl.addWidget(self.focus_toggle)

        self.hint_label = QLabel("Click an outlined muscle to read what it does.")
        self.hint_label.setWordWrap(True)
        self.hint_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        pl.addWidget(self.hint_label)
        self.sources_label = QLabel()
        self.sources_label.setObjectName("learnSources")
        self.sources_label.setWordWrap(True)
        self.sources_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        sf = self.sources_label.font()
        sf.setPointSizeF(sf.pointSizeF() * 0.88)
        self.sources_label.setFont(sf)
        pl.addWidget(self.sources_label)
        pl.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack.addWidget(scroll)

    def set_exercises(self, exercises: tuple[ExerciseView, ...]) -> None:
        for b in self.exercise_buttons.values():
            self.exercise_group.removeButton(b)
            b.deleteLater()
        self.exercise_buttons = {}
        for ex in exercises:
            b = QPushButton(ex.name)
            b.setObjectName(f"exercise_{ex.key}")
            b.setCheckable(True)
            b.setStyleSheet("text-align: left; padding: 3px 8px;")
            b.clicked.connect(lambda _=False, e=ex: self.guide.show_exercise(e))
            self.exercise_group.addButton(b)
            # before the "back" button, the last item
            self._exercise_layout.insertWidget(self._exercise_layout.count() - 1, b)
            self.exercise_buttons[ex.key] = b
        self.exercise_box.setVisible(bool(exercises))

    def show_view(self, view: GuidedView | None, index: int, total: int) -> None:
        if view is None:
            self.stack.setCurrentIndex(0)
            return
        self.step_label.setText(f"View {index + 1} of {total}")
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < total - 1)
        self.set_exercises(view.exercises)
        self.weak_toggle.blockSignals(True)
        self.weak_toggle.setChecked(False)
        self.weak_toggle.blockSignals(False)
        self.weak_toggle.setVisible(bool(view.weak_abductors))
        if view.sources:
            self.sources_label.setText("Sources: " + " \u2022 ".join(view.sources))
        self.sources_label.setVisible(bool(view.sources))
        self.stack.setCurrentIndex(1)
        self.show_exercise(view, None)

    def show_exercise(self, view: GuidedView, ex: ExerciseView | None) -> None:
        self.title_label.setText(view.title)
        if ex is None:
            self.subtitle_label.setVisible(False)
            self.caption_label.setText(view.caption)
            checked = self.exercise_group.checkedButton()
            if checked is not None:
                self.exercise_group.setExclusive(False)
                checked.setChecked(False)
                self.exercise_group.setExclusive(True)
        else:
            self.subtitle_label.setText(ex.name)
            self.subtitle_label.setVisible(True)
            self.caption_label.setText(ex.caption)
            self.exercise_buttons[ex.key].setChecked(True)
        self.back_button.setVisible(ex is not None)
        self.weak_toggle.setEnabled(ex is None)


# ---------------------------------------------------------------------------- controller
class GuidedViews(QObject):
    """Opens, steps through and leaves the guided views of ``window``.

    ``viewChanged(key or None)`` is emitted when a view opens or is left.
    """

    viewChanged = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.views: list[GuidedView] = guided_views()
        self.current: GuidedView | None = None
        self.exercise: ExerciseView | None = None
        self.compare_missing = False  # the window could not show two gaits side by side
        self._weak_animation: CycleAnimation | None = None
        self._plain_animation: CycleAnimation | None = None
        self._comparing = False
        self.focus = True  # fade the other muscles and see through bones
        self._bones_before: float | None = None  # bone opacity to restore after focusing
        self._legend_was_visible = True
        self._dock_was_hidden = True

        self.panel = LearnPanel(self)
        self.dock = QDockWidget("Learn", window)
        self.dock.setObjectName("learnDock")
        self.dock.setWidget(self.panel)
        self.dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        # Beside the 3-D view, in the right-hand column: a tab over the muscle list when there
        # is one (a view says which muscles to look at), above the muscle description.
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        muscles_dock = getattr(window, "muscles_dock", None)
        info_dock = getattr(window, "info_dock", None)
        if muscles_dock is not None:
            window.tabifyDockWidget(muscles_dock, self.dock)
        elif info_dock is not None:
            window.splitDockWidget(self.dock, info_dock, Qt.Orientation.Vertical)
        self.dock.hide()
        self.panel.show_view(None, 0, len(self.views))

        self.menu = self._build_menu()
        window.playback.percentChanged.connect(self._on_percent)
        window.playback.playingChanged.connect(self._on_playing)
        # Choosing a gait from the Gait menu moves on from the view's instant.
        window.gait_menu.triggered.connect(self._on_gait_menu)
        # Closing the window leaves the view first, so that the settings saved on closing
        # keep the user's own display options (not the focus mode's see-through bones).
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if obj is self.window and event.type() == QEvent.Type.Close:
            self.leave()
        return False

    # ------------------------------------------------------------------ menu
    def _build_menu(self) -> QMenu:
        w = self.window
        menu = QMenu("&Learn", w)
        menu.setObjectName("learnMenu")
        help_menu = getattr(w, "help_menu", None)
        if help_menu is not None:
            w.menuBar().insertMenu(help_menu.menuAction(), menu)
        else:
            w.menuBar().addMenu(menu)
        self.view_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for i, view in enumerate(self.views):
            act = QAction(f"&{i + 1}  {view.title}", w, checkable=True)
            act.setObjectName(f"learnView_{view.key}")
            act.setStatusTip(view.caption.split(". ")[0] + ".")
            act.triggered.connect(lambda _=False, v=view: self.open(v))
            group.addAction(act)
            menu.addAction(act)
            self.view_actions[view.key] = act
            if view.exercises:
                sub = menu.addMenu(f"    Exercises of view {i + 1}")
                sub.setObjectName(f"learnExercises_{view.key}")
                for ex in view.exercises:
                    ea = QAction(ex.name, w)
                    ea.setObjectName(f"learnExercise_{ex.key}")
                    ea.triggered.connect(
                        lambda _=False, v=view, e=ex: (self.open(v), self.show_exercise(e))
                    )
                    sub.addAction(ea)
        group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        menu.addSeparator()
        self.next_action = QAction("&Next view", w)
        self.next_action.triggered.connect(self.next)
        self.previous_action = QAction("&Previous view", w)
        self.previous_action.triggered.connect(self.previous)
        self.leave_action = QAction("&Leave guided view", w)
        self.leave_action.setObjectName("learnLeaveAction")
        self.leave_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.leave_action.triggered.connect(self.leave)
        for act in (self.next_action, self.previous_action, self.leave_action):
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            menu.addAction(act)
        menu.addSeparator()
        panel_action = self.dock.toggleViewAction()
        panel_action.setText("Show the Learn &panel")
        menu.addAction(panel_action)
        self._update_actions()
        return menu

    def _update_actions(self) -> None:
        i = self.index
        self.leave_action.setEnabled(self.current is not None)
        self.next_action.setEnabled(i is not None and i < len(self.views) - 1)
        self.previous_action.setEnabled(i is not None and i > 0)
        for key, act in self.view_actions.items():
            act.setChecked(self.current is not None and self.current.key == key)

    # ------------------------------------------------------------------ queries
    @property
    def index(self) -> int | None:
        return None if self.current is None else self.views.index(self.current)

    @property
    def weak_abductors(self) -> bool:
        """True while the weak-abductor stride is shown."""
        return self._weak_animation is not None and self.window.animation is self._weak_animation

    def view(self, key: str) -> GuidedView:
        for v in self.views:
            if v.key == key:
                return v
        raise KeyError(f"no guided view {key!r}")

    def highlighted(self) -> tuple[str, ...]:
        """Model names of the muscles the open view (or exercise) outlines."""
        if self.exercise is not None:
            return tuple(f"{b}_{self.exercise.side}" for b in self.exercise.highlight)
        return () if self.current is None else self.current.highlighted_muscles()

    # ------------------------------------------------------------------ commands
    def open(self, view: GuidedView | str | int) -> None:
        """Open a guided view (the view, its key or its index)."""
        if isinstance(view, str):
            view = self.view(view)
        elif isinstance(view, int):
            view = self.views[view]
        w = self.window
        first = self.current is None
        if first:
            self._dock_was_hidden = self.dock.isHidden()
        self._end_exercise(redraw=False)
        self._restore_animation()
        self.current = view
        w.playback.pause()
        if view.compare:
            self._compare(view)
        else:
            self._stop_comparing()
            if len(self._scenes()) > 1 and hasattr(w, "set_compare"):
                w.set_compare(None)  # the user's own comparison: this view shows one gait
            if w.gait_name != view.gait:
                w.set_gait(view.gait)
        w.playback.seek(view.phase)
        self._redraw()  # also when the phase was already there (after a what-if, a pose)
        w.selection.clear()
        self._show_stride_state()
        self.panel.show_view(view, self.views.index(view), len(self.views))
        self.dock.show()
        self.dock.raise_()
        info_dock = getattr(w, "info_dock", None)
        if first and info_dock is not None and info_dock.isVisible():
            # The caption and the exercises need the room more than the muscle hint does.
            total = self.dock.height() + info_dock.height()
            w.resizeDocks(
                [self.dock, info_dock],
                [int(total * 0.62), int(total * 0.38)],
                Qt.Orientation.Vertical,
            )
        self._update_actions()
        self.viewChanged.emit(view.key)

    def leave(self) -> None:
        """Leave the guided view: no outline, caption or what-if; the gait stays where it is."""
        if self.current is None:
            return
        w = self.window
        self._end_exercise(redraw=False)
        self._restore_animation()
        self._stop_comparing()
        self.current = None
        for scene in self._scenes():
            scene.set_highlighted(None)
            scene.set_isolated(None)
        self._see_through_bones(False)
        w.scene.set_caption(None)
        self._redraw()
        self.panel.show_view(None, 0, len(self.views))
        if self._dock_was_hidden:
            self.dock.hide()
        self._update_actions()
        self.viewChanged.emit(None)

    def next(self) -> None:
        i = self.index
        self.open(0 if i is None else min(i + 1, len(self.views) - 1))

    def previous(self) -> None:
        i = self.index
        if i is not None and i > 0:
            self.open(i - 1)

    def set_focus(self, on: bool) -> None:
        """Focus on the outlined muscles: the others fade to ghosts and the bones turn
        see-through (off: every muscle solid, the bones as the user set them)."""
        self.focus = bool(on)
        if self.panel.focus_toggle.isChecked() != self.focus:
            self.panel.focus_toggle.setChecked(self.focus)
        if self.current is not None:
            self._apply_highlight()
            self.window.request_render()

    def set_weak_abductors(self, on: bool) -> None:
        """Show the stride with weak hip abductors (the open view's ``weak_abductors``)."""
        view = self.current
        w = self.window
        on = bool(on) and view is not None and bool(view.weak_abductors)
        if self.panel.weak_toggle.isChecked() != on:
            self.panel.weak_toggle.blockSignals(True)
            self.panel.weak_toggle.setChecked(on)
            self.panel.weak_toggle.blockSignals(False)
        if on == self.weak_abductors or w.animation is None:
            return
        if on:
            self._end_exercise(redraw=False)
            plain = w.animation
            cycle = plain.cycle
            offsets = weak_abductor_offsets(view.weak_abductors, view.side, cycle)
            self._plain_animation = plain
            self._weak_animation = CycleAnimation(cycle, w.model, offsets=offsets)
            w.animation = self._weak_animation
        else:
            self._restore_animation()
        self._redraw()

    def show_exercise(self, exercise: ExerciseView | str | None) -> None:
        """Show an exercise of the open view in its static pose; None returns to the stride."""
        view = self.current
        if view is None:
            return
        if exercise is None:
            self._end_exercise(redraw=True)
            self.window.set_view(view.camera)
            self.panel.show_exercise(view, None)
            return
        if isinstance(exercise, str):
            exercise = next(e for e in view.exercises if e.key == exercise)
        w = self.window
        w.playback.pause()
        self._restore_animation()
        if self.exercise is None:
            self._legend_was_visible = w.scene.legend_visible
        self.exercise = exercise
        model = w.model
        seq = model.pose_sequence([dict(exercise.pose)], np.ones(1, bool), np.ones(1, bool))
        pose = seq.frame(0)
        # A still pose has no activations: the muscles rest, the outline shows the targets.
        w.scene.update(pose, np.zeros(model.n_muscles), None)
        w.scene.set_legend_visible(False)
        w.set_view(exercise.camera)
        self._apply_highlight()
        w.scene.set_caption(exercise.name)
        self.panel.show_exercise(view, exercise)
        info = getattr(w, "info_panel", None)
        if info is not None:
            info.set_still_pose(f"{exercise.name}: a still pose, so no activation to show")
        w.transport.show_phase_text(
            f"Exercise pose: {exercise.name} (still; play or seek to return to the stride)"
        )
        w.request_render()

    # ------------------------------------------------------------------ internals
    def _scenes(self) -> list:
        scenes = getattr(self.window, "scenes", None)
        return list(scenes) if scenes else [self.window.scene]

    def _compare(self, view: GuidedView) -> None:
        w = self.window
        set_compare = getattr(w, "set_compare", None)
        if set_compare is None:
            self.compare_missing = True
            if w.gait_name != view.gait:
                w.set_gait(view.gait)
            return
        self.compare_missing = False
        try:
            params = inspect.signature(set_compare).parameters
        except (TypeError, ValueError):
            params = {}
        if "labels" in params and view.labels:
            set_compare(list(view.compare), labels=dict(view.labels))
        else:
            set_compare(list(view.compare))
        self._comparing = True

    def _stop_comparing(self) -> None:
        if self._comparing:
            self._comparing = False
            set_compare = getattr(self.window, "set_compare", None)
            if set_compare is not None:
                set_compare(None)

    def _show_stride_state(self) -> None:
        view = self.current
        w = self.window
        w.set_view(view.camera)
        if view.weak_abductors:
            self._frame_hips_to_knees()
        self._apply_highlight()
        w.scene.set_caption(view.title)
        curves = getattr(w, "curves", None)
        if curves is not None:
            curves.show_muscles(self._curve_muscles(self.highlighted()))
        w.request_render()

    def _curve_muscles(self, muscles) -> list[str]:
        """At most MAX_CURVES of a view's muscles for the curve plot: all of them when few,
        else the strongest muscle (largest maximum isometric force) of each highlighted group
        in turn, so a seven-muscle posterior chain still shows its glutes and hamstrings."""
        muscles = list(muscles)
        if len(muscles) <= MAX_CURVES:
            return muscles
        model = self.window.model
        force = {m: model.max_isometric_force[model.muscle_index(m)] for m in muscles}
        by_group: dict[str, list[str]] = {}
        for m in sorted(muscles, key=lambda m: -force[m]):
            by_group.setdefault(model.muscles[model.muscle_index(m)].group, []).append(m)
        chosen: list[str] = []
        while len(chosen) < MAX_CURVES and any(by_group.values()):
            for queue in by_group.values():
                if queue and len(chosen) < MAX_CURVES:
                    chosen.append(queue.pop(0))
        return chosen

    def _frame_hips_to_knees(self) -> None:
        """Bring the camera closer to what the weak-abductor what-if moves: the pelvis, the
        thighs and the knees (the feet stay put and would only shrink the picture)."""
        w = self.window
        if w.animation is None:
            return
        bones = w.model.bones
        mats = np.asarray(w.animation.at(w.playback.percent).pose.bone_matrices)
        pts = []
        for bone, m in zip(bones, mats, strict=True):
            if bone.name.rsplit("_", 1)[0] in WHAT_IF_BONES:
                pts.append(bone.vertices @ m[:3, :3].T + m[:3, 3])
        renderer = w.scene.renderer
        width, height = w.render_window.GetSize()
        x0, y0, x1, y1 = renderer.GetViewport()
        aspect = max(width * (x1 - x0), 1.0) / max(height * (y1 - y0), 1.0)
        frame_points(renderer, np.concatenate(pts), WHAT_IF_MARGIN, aspect)

    def _apply_highlight(self) -> None:
        model = self.window.model
        mask = np.zeros(model.n_muscles, bool)
        for name in self.highlighted():
            mask[model.muscle_index(name)] = True
        focus = self.focus and self.current is not None
        for scene in self._scenes():
            scene.set_highlighted(mask)
            scene.set_isolated(mask if focus else None)
        self._see_through_bones(focus)

    def _see_through_bones(self, on: bool) -> None:
        """Bones see-through while focusing, through the display options when the window has
        them (so their check box agrees), back to the user's choice afterwards."""
        options = getattr(self.window, "view_options", None)
        scene = self.window.scene
        if options is not None:
            current = options.bone_opacity
        else:
            current = scene.bone_actors[0].GetProperty().GetOpacity()
        if on and self._bones_before is None:
            self._bones_before = current
            if current > FOCUS_BONE_OPACITY:
                self._set_bone_opacity(FOCUS_BONE_OPACITY)
        elif not on and self._bones_before is not None:
            before, self._bones_before = self._bones_before, None
            if current == min(before, FOCUS_BONE_OPACITY):  # unless the user changed it since
                self._set_bone_opacity(before)

    def _set_bone_opacity(self, opacity: float) -> None:
        options = getattr(self.window, "view_options", None)
        if options is not None:
            options.set_bone_opacity(opacity)
        else:
            for scene in self._scenes():
                scene.set_bone_opacity(opacity)

    def _restore_animation(self) -> None:
        w = self.window
        if self._weak_animation is not None and w.animation is self._weak_animation:
            w.animation = self._plain_animation
        self._weak_animation = self._plain_animation = None
        if self.panel.weak_toggle.isChecked():
            self.panel.weak_toggle.blockSignals(True)
            self.panel.weak_toggle.setChecked(False)
            self.panel.weak_toggle.blockSignals(False)

    def _end_exercise(self, redraw: bool) -> None:
        if self.exercise is None:
            return
        self.exercise = None
        self.window.scene.set_legend_visible(self._legend_was_visible)
        info = getattr(self.window, "info_panel", None)
        if info is not None:
            info.set_still_pose(None)
        self.window.transport.show_phase_text()
        if self.current is not None:
            self._apply_highlight()
            self.window.scene.set_caption(self.current.title)
            self.panel.show_exercise(self.current, None)
        if redraw:
            self._redraw()

    def _redraw(self) -> None:
        """Draw the current animation frame again (after swapping animations or a still
        pose)."""
        w = self.window
        if w.animation is None:
            return
        frame = w.animation.at(w.playback.percent)
        w.scene.update(frame.pose, frame.activations, frame.modes)
        w.request_render()

    def _on_percent(self, _percent: float) -> None:
        # The playback moved (a seek or playing): the gait's frame replaces a still pose.
        if self.exercise is not None:
            self._end_exercise(redraw=True)
            if self.current is not None:
                self.window.set_view(self.current.camera)

    def _on_playing(self, playing: bool) -> None:
        if playing and self.exercise is not None:
            self._end_exercise(redraw=True)
            if self.current is not None:
                self.window.set_view(self.current.camera)

    def _on_gait_menu(self, action: QAction) -> None:
        if self.current is not None and action.data() is not None:
            self.leave()


def install_learn_menu(window: MainWindow) -> GuidedViews:
    """Add the Learn menu and its panel (a dock beside the 3-D view) to ``window``."""
    guide = GuidedViews(window)
    window.learn = guide
    return guide
