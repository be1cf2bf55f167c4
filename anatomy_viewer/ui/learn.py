"""The Learn menu and panel: the article's claims as guided views of the leg.

The guided views themselves are logic without widgets (:class:`anatomy_viewer.app.guided.
GuidedTour`): what a view shows is a display overlay on the application model. Here are the
widgets that show the tour and call it: the Learn panel (the list of views, or the open view
with its caption, controls and exercises) and :class:`GuidedViews`, which adds the Learn menu
and keeps the menu's state in step with the tour.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
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

from anatomy_viewer.anatomy.learn import ExerciseView, GuidedView
from anatomy_viewer.app.guided import GuidedTour


def _bold(label: QLabel, scale: float = 1.0) -> None:
    f = label.font()
    f.setBold(True)
    if scale != 1.0:
        f.setPointSizeF(f.pointSizeF() * scale)
    label.setFont(f)


class LearnPanel(QWidget):
    """The Learn dock's contents: the list of views, or the open view with its controls."""

    def __init__(self, guide: GuidedTour) -> None:
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
        pl.setContentsMargins(8, 4, 8, 6)
        pl.setSpacing(3)
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
        _bold(self.title_label, 1.25)
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
        self.measures_label = QLabel()
        self.measures_label.setObjectName("weakAbductorMeasures")
        self.measures_label.setWordWrap(True)
        self.measures_label.setVisible(False)
        pl.addWidget(self.measures_label)

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
        sf.setPointSizeF(sf.pointSizeF() * 0.85)
        self.sources_label.setFont(sf)
        pl.addWidget(self.sources_label)
        pl.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("learnScroll")
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack.addWidget(scroll)
        self.page, self.scroll = page, scroll

        guide.events.view.connect(self._on_view)
        guide.events.exercise.connect(self._on_exercise)
        guide.events.weak.connect(self._on_weak)
        guide.events.focus.connect(self._on_focus)
        guide.events.measures.connect(self._on_measures)
        self.show_view(None, 0, len(guide.views))

    # ------------------------------------------------------------------ the tour's events
    def _on_view(self, view: GuidedView | None) -> None:
        g = self.guide
        self.show_view(view, 0 if view is None else g.views.index(view), len(g.views))

    def _on_exercise(self, ex: ExerciseView | None) -> None:
        if self.guide.current is not None:
            self.show_exercise(self.guide.current, ex)

    def _on_weak(self, on: bool) -> None:
        if self.weak_toggle.isChecked() != on:
            self.weak_toggle.blockSignals(True)
            self.weak_toggle.setChecked(on)
            self.weak_toggle.blockSignals(False)
        if not on:
            self.measures_label.setVisible(False)

    def _on_focus(self, on: bool) -> None:
        if self.focus_toggle.isChecked() != on:
            self.focus_toggle.setChecked(on)

    def _on_measures(self, measures) -> None:
        self.measures_label.setVisible(measures is not None)
        if measures is not None:
            self.measures_label.setText(measures.text() + ". The normal pose is ghosted in blue.")

    def set_exercises(self, exercises: tuple[ExerciseView, ...]) -> None:
        for b in self.exercise_buttons.values():
            self.exercise_group.removeButton(b)
            self._exercise_layout.removeWidget(b)
            b.hide()  # at once: the deletion waits for the event loop
            b.deleteLater()
        self.exercise_buttons = {}
        for ex in exercises:
            b = QPushButton(ex.name)
            b.setObjectName(f"exercise_{ex.key}")
            b.setCheckable(True)
            b.setStyleSheet("text-align: left; padding: 2px 8px;")
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
        self.weak_toggle.setChecked(self.guide.weak_abductors)
        self.weak_toggle.blockSignals(False)
        self.weak_toggle.setVisible(bool(view.weak_abductors))
        self.measures_label.setVisible(self.guide.measures is not None)
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
    """The Learn menu and dock of a :class:`GuidedTour` (``tour``), which does the work.

    ``viewChanged(key or None)`` is emitted when a view opens or is left; ``opened(first)``
    when one opens (``first``: no view was open before), so the window can make room.
    """

    viewChanged = Signal(object)
    opened = Signal(bool)

    def __init__(self, tour: GuidedTour, parent: QWidget) -> None:
        super().__init__(parent)
        self.tour = tour
        self._parent = parent
        self._dock_was_hidden = True
        self.panel = LearnPanel(tour)
        self.dock = QDockWidget("Learn", parent)
        self.dock.setObjectName("learnDock")
        self.dock.setWidget(self.panel)
        self.dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.dock.hide()
        self.menu = self._build_menu()
        self._was_open = False
        tour.events.view.connect(self._on_view)

    def wanted_height(self) -> int:
        """The dock's height that shows the open view's page whole (no scrolling)."""
        missing = self.panel.scroll.verticalScrollBar().maximum()
        if missing > 0 and self.dock.isVisible():
            return self.dock.height() + missing + 2
        page = self.panel.page
        width = self.panel.scroll.viewport().width() or self.dock.width()
        layout = page.layout()
        if layout.hasHeightForWidth():
            height = layout.totalHeightForWidth(width)
        else:
            height = page.sizeHint().height()
        title_bar = self.dock.height() - self.dock.widget().height()
        return int(height + max(title_bar, 0) + 4)

    # ------------------------------------------------------------------ the tour
    @property
    def views(self) -> list[GuidedView]:
        return self.tour.views

    @property
    def current(self) -> GuidedView | None:
        return self.tour.current

    @property
    def exercise(self) -> ExerciseView | None:
        return self.tour.exercise

    @property
    def index(self) -> int | None:
        return self.tour.index

    @property
    def focus(self) -> bool:
        return self.tour.focus

    @property
    def weak_abductors(self) -> bool:
        return self.tour.weak_abductors

    def view(self, key: str) -> GuidedView:
        return self.tour.view(key)

    def highlighted(self) -> tuple[str, ...]:
        return self.tour.highlighted()

    def open(self, view: GuidedView | str | int) -> None:
        self.tour.open(view)

    def leave(self) -> None:
        self.tour.leave()

    def next(self) -> None:
        self.tour.next()

    def previous(self) -> None:
        self.tour.previous()

    def set_focus(self, on: bool) -> None:
        self.tour.set_focus(on)

    def set_weak_abductors(self, on: bool) -> None:
        self.tour.set_weak_abductors(on)

    def show_exercise(self, exercise: ExerciseView | str | None) -> None:
        self.tour.show_exercise(exercise)

    # ------------------------------------------------------------------ menu
    def _build_menu(self) -> QMenu:
        w = self._parent
        menu = QMenu("&Learn", w)
        menu.setObjectName("learnMenu")
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

    def _on_view(self, view: GuidedView | None) -> None:
        if view is not None:
            first = not self._was_open
            if first:
                self._dock_was_hidden = self.dock.isHidden()
            self._was_open = True
            self.dock.show()
            self.dock.raise_()
            self.opened.emit(first)
        else:
            self._was_open = False
            if self._dock_was_hidden:
                self.dock.hide()
        self._update_actions()
        self.viewChanged.emit(None if view is None else view.key)
