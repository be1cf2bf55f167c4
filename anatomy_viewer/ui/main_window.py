"""The main window: the 3-D leg in the middle, the transport bar under it, panels around it.

The window owns the model, the current animation, the scene and three shared controllers:
``playback`` (where in the cycle we are), ``selection`` (which muscle is selected) and the
scene's display state. Panels are installed by small functions that connect to those.
"""

from __future__ import annotations

import html
import re

import vtkmodules.qt

vtkmodules.qt.PyQtImpl = "PySide6"

from PySide6.QtCore import QSize, Qt, QTimer  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QAction,
    QActionGroup,
    QCloseEvent,
    QKeySequence,
    QScreen,
)
from PySide6.QtWidgets import (  # noqa: E402
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from vtkmodules.qt.QVTKRenderWindowInteractor import QVTKRenderWindowInteractor  # noqa: E402
from vtkmodules.vtkInteractionStyle import vtkInteractorStyleTrackballCamera  # noqa: E402

from anatomy_viewer.anatomy import LegModel  # noqa: E402
from anatomy_viewer.gait.animation import CycleAnimation  # noqa: E402
from anatomy_viewer.gait.cycle import GaitCycle  # noqa: E402
from anatomy_viewer.gait.library import GAIT_NAMES, gait_info, load_gait  # noqa: E402
from anatomy_viewer.scene.leg_scene import LegScene  # noqa: E402
from anatomy_viewer.ui.compare import CompareView  # noqa: E402
from anatomy_viewer.ui.group_panel import install_group_panel  # noqa: E402
from anatomy_viewer.ui.info_panel import install_info_panel  # noqa: E402
from anatomy_viewer.ui.io_actions import install_io_actions  # noqa: E402
from anatomy_viewer.ui.learn import install_learn_menu  # noqa: E402
from anatomy_viewer.ui.picking import install_picking  # noqa: E402
from anatomy_viewer.ui.playback import Playback  # noqa: E402
from anatomy_viewer.ui.plots import ActivationCurves, ActivationHeatmap  # noqa: E402
from anatomy_viewer.ui.selection import Selection  # noqa: E402
from anatomy_viewer.ui.settings import (  # noqa: E402
    SettingsFile,
    last_gait,
    restore_window,
    save_window,
)
from anatomy_viewer.ui.transport import (  # noqa: E402
    TransportBar,
    install_shortcuts,
    show_shortcuts_dialog,
)

VIEWS = (
    ("side", "&Side (right)", "1"),
    ("front", "&Front", "2"),
    ("back", "&Back", "3"),
    ("three_quarter", "&Three-quarter", "4"),
    ("left", "&Left side", "5"),
)


#: The size the window opens at on a large screen.
DEFAULT_SIZE = QSize(1280, 800)
#: At most this fraction of the screen's available area, so a laptop screen (e.g. 1366x768)
#: keeps room for the title bar and the taskbar.
SCREEN_FRACTION = 0.9


def initial_size(screen: QScreen | None) -> QSize:
    """``DEFAULT_SIZE``, shrunk to fit ``SCREEN_FRACTION`` of the screen's available area."""
    if screen is None:
        return QSize(DEFAULT_SIZE)
    area = screen.availableGeometry()
    return QSize(
        min(DEFAULT_SIZE.width(), int(area.width() * SCREEN_FRACTION)),
        min(DEFAULT_SIZE.height(), int(area.height() * SCREEN_FRACTION)),
    )


def gait_data_html(cycle: GaitCycle) -> str:
    """The cycle's description as HTML: what was done in paragraphs, one source a list item
    (the sources are separated by " | " after "Sources:"), DOIs as links."""
    body, _, sources = cycle.source.partition("Sources:")
    parts = [
        f"<h3>{html.escape(cycle.label)}</h3>",
        f"<p>Stride {cycle.stride_time:.2f} s</p>",
        f"<p>{html.escape(body.strip())}</p>",
    ]
    items = [s.strip() for s in sources.split(" | ") if s.strip()]
    if items:
        parts.append("<h4>Sources</h4><ul>")
        for item in items:
            cited = re.sub(
                r"doi:(10\.\S+?)(?=[;,]?(\s|$))",
                r'<a href="https://doi.org/\1">doi:\1</a>',
                html.escape(item),
            )
            parts.append(f'<li style="margin-bottom:6px">{cited}</li>')
        parts.append("</ul>")
    return "".join(parts)


class MainWindow(QMainWindow):
    """Owns the model, the current animation, the scene and the shared controllers."""

    def __init__(
        self,
        gait: str | None = None,
        model: LegModel | None = None,
        autoplay: bool = True,
        settings: SettingsFile | None = None,
    ) -> None:
        """``gait``: the built-in gait to show (None: the last one in ``settings``, else
        walking). ``settings``: where the window remembers its layout and options between
        runs (see ``ui.settings``); None remembers nothing."""
        super().__init__()
        self.setWindowTitle("Anatomy Viewer")
        self.resize(initial_size(self.screen()))
        self._closed = False
        self._render_pending = False
        self.settings = settings
        self.model = model or LegModel()
        self.animation: CycleAnimation | None = None
        self.gait_name: str | None = None
        self.playback = Playback(parent=self)
        self.selection = Selection(self)

        # 3-D view -------------------------------------------------------------------
        self.viewport = QVTKRenderWindowInteractor(self)
        self.viewport.setObjectName("viewport")
        self.viewport.setAccessibleName("3-D view of the leg")
        self.viewport.setMinimumSize(320, 240)
        self.render_window = self.viewport.GetRenderWindow()
        self.scene = LegScene(self.model)
        self.scene.attach(self.render_window)
        self.interactor = self.render_window.GetInteractor()
        self.interactor.SetInteractorStyle(vtkInteractorStyleTrackballCamera())

        # transport (play, step, speed, timeline, phase label) ------------------------------
        self.transport = TransportBar(self.playback)
        self.timeline = self.transport.timeline
        self.play_button = self.transport.play_button
        self.phase_label = self.transport.phase_label
        self.speed_control = self.transport.speed_control

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(2)
        layout.addWidget(self.viewport, 1)
        layout.addWidget(self.transport)
        self.setCentralWidget(central)

        # activation plots, linked both ways -------------------------------------------
        self.heatmap = ActivationHeatmap()
        self.curves = ActivationCurves()
        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.addWidget(self.heatmap)
        plots.addWidget(self.curves)
        plots.setSizes([640, 640])
        self.plots_dock = self._dock("Activation over the cycle", "plotsDock", plots)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.plots_dock)
        for w in (self.heatmap, self.curves):
            w.seekRequested.connect(self.playback.seek)
            self.playback.percentChanged.connect(w.set_percent)
        self.heatmap.muscleSelected.connect(self.selection.select)
        # A click or drag on the heatmap shows that instant: playing on would move away from it.
        self.heatmap.seekRequested.connect(lambda _percent: self.playback.pause())

        self._build_menus()
        self.io_actions = install_io_actions(self)
        install_picking(self)
        install_info_panel(self)
        self.compare = CompareView(self)
        install_group_panel(self)
        install_learn_menu(self)
        self.shortcut_actions = install_shortcuts(self, self.transport)
        self.playback.percentChanged.connect(self._on_percent)
        self.selection.changed.connect(self._on_selection)

        self.resizeDocks([self.plots_dock], [230], Qt.Orientation.Vertical)
        self.set_gait(gait or last_gait(settings) or "walking")
        self.scene.set_view("three_quarter")
        restore_window(self, settings)  # after every dock exists
        self.viewport.Initialize()
        if autoplay:
            self.playback.play()

    # ------------------------------------------------------------------ building blocks
    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        return dock

    def _build_menus(self) -> None:
        mb = self.menuBar()
        self.file_menu = mb.addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.file_menu.addAction(quit_action)

        self.gait_menu = mb.addMenu("&Gait")
        self._gait_actions = QActionGroup(self)
        for name in GAIT_NAMES:
            info = gait_info(name)
            act = QAction(f"{info['label']} ({info['speed']:.2g} m/s)", self, checkable=True)
            act.setData(name)
            act.triggered.connect(lambda _=False, n=name: self.set_gait(n))
            self._gait_actions.addAction(act)
            self.gait_menu.addAction(act)

        self.view_menu = mb.addMenu("&View")
        for key, label, shortcut in VIEWS:
            act = QAction(label, self)
            act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(lambda _=False, k=key: self.set_view(k))
            self.view_menu.addAction(act)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.plots_dock.toggleViewAction())

        self.help_menu = mb.addMenu("&Help")
        keys = QAction("&Keyboard shortcuts", self)
        keys.triggered.connect(lambda: show_shortcuts_dialog(self).show())
        self.help_menu.addAction(keys)
        sources = QAction("About this &gait's data", self)
        sources.triggered.connect(self._about_gait)
        self.help_menu.addAction(sources)
        about = QAction("&About", self)
        about.triggered.connect(self._about)
        self.help_menu.addAction(about)

    def _about(self) -> None:
        from anatomy_viewer import version

        QMessageBox.about(
            self,
            "About Anatomy Viewer",
            f"<p><b>Anatomy Viewer {html.escape(version())}</b></p>"
            "<p>See what walking, running and sprinting do to the legs.</p>"
            "<p>The leg is MyoLeg (MyoSuite, Apache-2.0), derived from the Rajagopal et al. "
            "(2016) OpenSim gait model, posed with MuJoCo.</p>",
        )

    def _about_gait(self) -> QDialog | None:
        """Help > About this gait's data: the cycle's sources (about 2,000 characters) in a
        resizable, scrolling window (a message box could neither scroll nor fit 800 px)."""
        cycle = self.cycle
        if cycle is None:
            return None
        dialog = QDialog(self)
        dialog.setObjectName("gaitDataDialog")
        dialog.setWindowTitle(f"Data of {cycle.label}")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        text = QTextBrowser()
        text.setObjectName("gaitDataText")
        text.setOpenExternalLinks(True)
        text.setHtml(gait_data_html(cycle))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(text)
        layout.addWidget(buttons)
        area = self.screen().availableGeometry()
        dialog.resize(min(640, int(area.width() * 0.9)), min(560, int(area.height() * 0.8)))
        dialog.show()
        self.gait_data_dialog = dialog
        return dialog

    # ------------------------------------------------------------------ gait and view
    @property
    def cycle(self) -> GaitCycle | None:
        return None if self.animation is None else self.animation.cycle

    def set_gait(self, name: str) -> None:
        """Switch to a built-in gait, keeping the current phase."""
        self.show_cycle(load_gait(name))
        self.gait_name = name
        io_actions = getattr(self, "io_actions", None)
        if io_actions is not None:
            io_actions.builtin_gait_shown()
        for act in self._gait_actions.actions():
            act.setChecked(act.data() == name)

    def show_cycle(self, cycle: GaitCycle, animation: CycleAnimation | None = None) -> None:
        """Show any cycle (built-in or imported), keeping the current phase. ``animation``:
        the cycle already posed (e.g. in a worker thread), else it is posed here."""
        self.animation = animation if animation is not None else CycleAnimation(cycle, self.model)
        self.gait_name = None
        for act in self._gait_actions.actions():
            act.setChecked(False)
        self.transport.set_cycle(cycle)
        self.heatmap.set_cycle(cycle)
        self.curves.set_cycle(cycle)
        self._on_selection(self.selection.name)
        speed = f", {cycle.speed:.2g} m/s" if cycle.speed else ""
        self.statusBar().showMessage(
            f"{cycle.label}{speed}, stride {cycle.stride_time:.2f} s. "
            "Help > About this gait's data for the sources."
        )
        self._on_percent(self.playback.percent)

    def set_view(self, name: str) -> None:
        self.scene.set_view(name)
        self.request_render()

    def set_compare(
        self,
        gaits: list[str] | tuple[str, str] | None,
        labels: dict[str, str] | None = None,
    ) -> None:
        """Show two built-in gaits side by side on one phase (left = the window's gait and
        ``self.scene``), or one view again with None. ``labels``: {gait: caption} to caption
        a half with other text than the gait's name and speed."""
        self.compare.set_gaits(gaits, labels)
        info = getattr(self, "info_panel", None)
        if info is not None:
            info.refresh()  # show or drop the compared gait's value and curve now, even paused

    @property
    def scenes(self) -> list[LegScene]:
        """The scenes shown, left to right (two while comparing gaits)."""
        return self.compare.scenes

    # ------------------------------------------------------------------ frame flow
    def _on_percent(self, percent: float) -> None:
        if self.animation is None or self._closed:
            return
        frame = self.animation.at(percent)
        self.scene.update(frame.pose, frame.activations, frame.modes)
        self.request_render()

    def _on_selection(self, name: str | None) -> None:
        index = None if name is None else self.model.muscle_index(name)
        self.scene.set_selected(index)
        self.heatmap.set_selected(name)
        if name is not None:
            self.curves.show_muscles([name])
        self.request_render()

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
        if not self._closed:
            save_window(self, self.settings)
        self._closed = True
        self.playback.stop()
        self.viewport.Finalize()
        super().closeEvent(event)
