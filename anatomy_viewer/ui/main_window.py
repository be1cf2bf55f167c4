"""The main window: the 3-D leg in the middle, the transport bar under it."""

from __future__ import annotations

import vtkmodules.qt

vtkmodules.qt.PyQtImpl = "PySide6"

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)
from vtkmodules.qt.QVTKRenderWindowInteractor import QVTKRenderWindowInteractor  # noqa: E402
from vtkmodules.vtkInteractionStyle import vtkInteractorStyleTrackballCamera  # noqa: E402

from anatomy_viewer.anatomy import LegModel  # noqa: E402
from anatomy_viewer.gait.animation import CycleAnimation  # noqa: E402
from anatomy_viewer.gait.library import GAIT_NAMES, load_gait  # noqa: E402
from anatomy_viewer.scene.leg_scene import LegScene  # noqa: E402
from anatomy_viewer.ui.playback import Playback  # noqa: E402

SLIDER_STEPS = 1000  # timeline resolution: 0.1 % of the cycle
VIEWS = (
    ("side", "&Side", "1"),
    ("front", "&Front", "2"),
    ("back", "&Back", "3"),
    ("three_quarter", "&Three-quarter", "4"),
    ("left", "&Left side", "5"),
)


def _name(widget: QWidget, name: str, accessible: str) -> QWidget:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


class MainWindow(QMainWindow):
    """Owns the model, the current animation, the scene and the playback controller."""

    def __init__(
        self,
        gait: str = "walking",
        model: LegModel | None = None,
        autoplay: bool = True,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Anatomy Viewer")
        self.resize(1280, 800)
        self._closed = False
        self.model = model or LegModel()
        self.animation: CycleAnimation | None = None
        self.playback = Playback(parent=self)
        self._render_pending = False

        # 3-D view -------------------------------------------------------------------
        self.viewport = QVTKRenderWindowInteractor(self)
        _name(self.viewport, "viewport", "3-D view of the leg")
        self.viewport.setMinimumSize(320, 240)
        self.render_window = self.viewport.GetRenderWindow()
        self.scene = LegScene(self.model)
        self.render_window.AddRenderer(self.scene.renderer)
        self.interactor = self.render_window.GetInteractor()
        self.interactor.SetInteractorStyle(vtkInteractorStyleTrackballCamera())

        # transport bar ----------------------------------------------------------------
        self.play_button = _name(QPushButton("Pause"), "playButton", "Play or pause")
        self.play_button.setToolTip("Play / pause (Space)")
        self.play_button.clicked.connect(self.playback.toggle)
        self.timeline = _name(QSlider(Qt.Orientation.Horizontal), "timeline", "Gait cycle position")
        self.timeline.setRange(0, SLIDER_STEPS)
        self.timeline.setToolTip("Position in the gait cycle: drag to scrub")
        self.timeline.valueChanged.connect(self._slider_moved)
        self.phase_label = _name(QLabel(), "phaseLabel", "Current percent and phase")
        self.phase_label.setMinimumWidth(360)
        bar = QHBoxLayout()
        bar.addWidget(self.play_button)
        bar.addWidget(self.timeline, 1)
        bar.addWidget(self.phase_label)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.viewport, 1)
        layout.addLayout(bar)
        self.setCentralWidget(central)

        self._build_menus()
        self.playback.percentChanged.connect(self._on_percent)
        self.playback.playingChanged.connect(self._on_playing)

        self.set_gait(gait)
        self.scene.set_view("three_quarter")
        self.viewport.Initialize()
        if autoplay:
            self.playback.play()
        self._on_playing(self.playback.playing)

    # ------------------------------------------------------------------ menus
    def _build_menus(self) -> None:
        mb = self.menuBar()
        file_menu = mb.addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        gait_menu = mb.addMenu("&Gait")
        self._gait_actions = QActionGroup(self)
        for name in GAIT_NAMES:
            act = QAction(name.capitalize(), self, checkable=True)
            act.triggered.connect(lambda _=False, n=name: self.set_gait(n))
            self._gait_actions.addAction(act)
            gait_menu.addAction(act)

        view_menu = mb.addMenu("&View")
        for key, label, shortcut in VIEWS:
            act = QAction(label, self)
            act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(lambda _=False, k=key: self.set_view(k))
            view_menu.addAction(act)

        help_menu = mb.addMenu("&Help")
        about = QAction("&About", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

        play = QAction("Play / pause", self)
        play.setShortcut(QKeySequence(Qt.Key.Key_Space))
        play.triggered.connect(self.playback.toggle)
        self.addAction(play)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Anatomy Viewer",
            "<p>See what walking, running and sprinting do to the legs.</p>"
            "<p>The leg is MyoLeg (MyoSuite, Apache-2.0), derived from the Rajagopal et al. "
            "(2016) OpenSim gait model, posed with MuJoCo.</p>",
        )

    # ------------------------------------------------------------------ gait and view
    def set_gait(self, name: str) -> None:
        """Switch to a built-in gait, keeping the current phase."""
        cycle = load_gait(name)
        self.animation = CycleAnimation(cycle, self.model)
        self.playback.set_stride_time(cycle.stride_time)
        for act in self._gait_actions.actions():
            act.setChecked(act.text().lower() == name)
        self.statusBar().showMessage(f"{cycle.label}: {cycle.source}")
        self._on_percent(self.playback.percent)

    def set_view(self, name: str) -> None:
        self.scene.set_view(name)
        self.request_render()

    # ------------------------------------------------------------------ frame flow
    def _slider_moved(self, value: int) -> None:
        # Only the user moves the slider with signals on: programmatic updates block them.
        self.playback.seek(value * 100.0 / SLIDER_STEPS)

    def _on_percent(self, percent: float) -> None:
        if self.animation is None or self._closed:
            return
        frame = self.animation.at(percent)
        self.scene.update(frame.pose, frame.activations, frame.modes)
        if not self.timeline.isSliderDown():
            self.timeline.blockSignals(True)
            self.timeline.setValue(round(percent * SLIDER_STEPS / 100.0))
            self.timeline.blockSignals(False)
        self.phase_label.setText(
            f"{percent:5.1f} %   right: {frame.phase_r}   left: {frame.phase_l}"
        )
        self.request_render()

    def _on_playing(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")

    def request_render(self) -> None:
        """Coalesce render requests: at most one render per pass of the event loop."""
        if not self._render_pending and not self._closed:
            self._render_pending = True
            QTimer.singleShot(0, self._render)

    def _render(self) -> None:
        self._render_pending = False
        if not self._closed:
            self.render_window.Render()

    # ------------------------------------------------------------------ teardown
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self._closed = True
        self.playback.stop()
        self.viewport.Finalize()
        super().closeEvent(event)
