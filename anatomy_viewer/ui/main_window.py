"""The main window: the 3-D leg in the middle, the transport bar under it, panels around it.

The window arranges: it creates the application model (:class:`anatomy_viewer.app.AppModel`:
animations, playback, selection, layered display state), gives it to the 3-D scene's binding,
the panels, the plots and the guided views, and places them in docks and menus. Everything
they show comes from the model's events; they change it through its methods and never reach
into each other or into the window.

The File menu's actions (:mod:`anatomy_viewer.ui.io_actions`) and the settings
(:mod:`anatomy_viewer.ui.settings`) receive the model too; the window only hands them its
menu, central layout and geometry. A few plain properties forward to the model for scripts and
tests: ``animation``, ``cycle``, ``gait_name``, ``playback``, ``selection``, ``show_cycle``,
``set_gait``, ``set_view``, ``view_options``.
"""

from __future__ import annotations

import html
import re

import vtkmodules.qt

vtkmodules.qt.PyQtImpl = "PySide6"

from PySide6.QtCore import QEvent, QSize, Qt, QTimer  # noqa: E402
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
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QTabBar,
    QTextBrowser,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from anatomy_viewer.anatomy import LegModel  # noqa: E402
from anatomy_viewer.app.guided import GuidedTour  # noqa: E402
from anatomy_viewer.app.model import AppModel  # noqa: E402
from anatomy_viewer.gait.animation import CycleAnimation  # noqa: E402
from anatomy_viewer.gait.cycle import GaitCycle  # noqa: E402
from anatomy_viewer.gait.library import GAIT_NAMES, gait_info  # noqa: E402
from anatomy_viewer.scene.colormaps import COLORMAPS  # noqa: E402
from anatomy_viewer.scene.display import SceneBinding  # noqa: E402
from anatomy_viewer.scene.leg_scene import LegScene  # noqa: E402
from anatomy_viewer.ui.analysis_windows import AnalysisWindows, TrialSimulation  # noqa: E402
from anatomy_viewer.ui.compare import CompareView  # noqa: E402
from anatomy_viewer.ui.group_panel import DOCK_WIDTH, GroupPanel, muscles_dock  # noqa: E402
from anatomy_viewer.ui.info_panel import info_dock  # noqa: E402
from anatomy_viewer.ui.io_actions import install_io_actions  # noqa: E402
from anatomy_viewer.ui.learn import GuidedViews  # noqa: E402
from anatomy_viewer.ui.picking import MusclePicker  # noqa: E402
from anatomy_viewer.ui.playback import PlaybackClock  # noqa: E402
from anatomy_viewer.ui.plots import ActivationCurves, ActivationHeatmap  # noqa: E402
from anatomy_viewer.ui.scene_export import SceneExport  # noqa: E402
from anatomy_viewer.ui.settings import (  # noqa: E402
    SettingsFile,
    last_gait,
    restore_layout,
    restore_model,
    save_settings,
)
from anatomy_viewer.ui.transport import (  # noqa: E402
    TransportBar,
    install_shortcuts,
    show_shortcuts_dialog,
)
from anatomy_viewer.ui.view_options import DisplayControls, ViewOptions  # noqa: E402
from anatomy_viewer.ui.viewport import LegViewport  # noqa: E402

VIEWS = (
    ("side", "&Side (right)", "1"),
    ("front", "&Front", "2"),
    ("back", "&Back", "3"),
    ("three_quarter", "&Three-quarter", "4"),
    ("left", "&Left side", "5"),
)
#: The camera presets' names on the toolbar.
VIEW_BUTTONS = {
    "side": "Side",
    "front": "Front",
    "back": "Back",
    "three_quarter": "\u00be",
    "left": "Left",
}
FRAME_KEY = "F"
FULL_SCREEN_KEY = "F11"


#: Height of the activation plots' dock when it is first shown (pixels).
PLOTS_HEIGHT = 250
#: Width of the right-hand column (Muscle, Muscles, Learn) when it is first shown (pixels;
#: the Muscle page holds it at 300 at least; the guided views' pages fit at 340).
COLUMN_WIDTH = 340
#: Share of the right-hand column's height the Muscle dock gets when the window opens.
INFO_SHARE = 0.5
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
    """Arranges the 3-D view, the panels, the docks and the menus around one ``AppModel``."""

    def __init__(
        self,
        gait: str | None = None,
        model: LegModel | None = None,
        autoplay: bool = True,
        settings: SettingsFile | None = None,
    ) -> None:
        """``gait``: the built-in gait to show (None: the last one in ``settings``, else
        walking). ``model``: the leg (a LegModel; made here when None). ``settings``: where the
        window remembers its layout and options between runs (see ``ui.settings``); None
        remembers nothing."""
        super().__init__()
        self.setWindowTitle("Anatomy Viewer")
        self.resize(initial_size(self.screen()))
        self._closed = False
        self._render_pending = False
        self.settings = settings
        #: The leg (bones, muscles, posing).
        self.model = model or LegModel()
        #: What is shown: every view below receives this, not the window.
        self.app_model = app = AppModel(self.model, colormaps=tuple(COLORMAPS))
        self.playback = app.playback
        self.selection = app.selection
        self.clock = PlaybackClock(app.playback, self)

        # 3-D view -------------------------------------------------------------------
        self.viewport = LegViewport(self)
        self.viewport.setObjectName("viewport")
        self.viewport.setAccessibleName("3-D view of the leg")
        self.viewport.setMinimumSize(320, 240)
        self.render_window = self.viewport.GetRenderWindow()
        self.interactor = self.render_window.GetInteractor()
        self.scene = LegScene(self.model)
        self.scene.attach(self.render_window)
        self.scene_binding = SceneBinding(self.scene, app, self.request_render)
        # Antialiasing (multisampling) quadruples the shading work of software OpenGL: the
        # moving leg is drawn without it, a still one (paused, scrubbed) with it.
        self._still_samples = self.render_window.GetMultiSamples()
        app.playback.events.playing.connect(self._on_playing)

        # transport (play, step, speed, timeline, phase label) ------------------------------
        self.transport = TransportBar(app.playback)
        self.transport.bind(app)
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
        self.heatmap.bind(app)
        self.curves.bind(app)
        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.addWidget(self.heatmap)
        plots.addWidget(self.curves)
        plots.setSizes([640, 640])
        self.plots_dock = self._dock("Activation over the cycle", "plotsDock", plots)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.plots_dock)

        self._build_menus()
        self.io_actions = install_io_actions(self, app, self.scene, self.viewport)
        self.scene_export = SceneExport(self)
        self.muscle_picker = MusclePicker(app.selection, lambda: self.scenes, self.viewport, self)

        # right-hand column: the muscle's page, the muscle groups, the guided views ---------
        # The right-hand column runs the window's full height: the description needs it more
        # than the plots below the 3-D view need the last few hundred pixels of width.
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.info_dock = info_dock(app, self)
        self.info_panel = self.info_dock.widget()
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.info_dock)
        self.resizeDocks([self.info_dock], [COLUMN_WIDTH], Qt.Orientation.Horizontal)

        self.compare = CompareView(
            app, self.scene, self.scene_binding, self.render_window, self.request_render, self
        )
        self.compare.install_menu(self.gait_menu, self)
        self.compare.message.connect(self.statusBar().showMessage)

        self.view_options = ViewOptions(app.display)
        self.group_panel = GroupPanel(app)
        self.display_controls = DisplayControls(app.display)
        self.muscles_dock = muscles_dock(self.group_panel, self.display_controls, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.muscles_dock)
        self.resizeDocks([self.muscles_dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)

        self.tour = GuidedTour(app)
        self.learn = GuidedViews(self.tour, self)
        # Beside the 3-D view, in the right-hand column: a tab over the muscle list (a view
        # says which muscles to look at), above the muscle description.
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.learn.dock)
        self.tabifyDockWidget(self.muscles_dock, self.learn.dock)
        self.learn.dock.hide()
        self.menuBar().insertMenu(self.help_menu.menuAction(), self.learn.menu)
        # Analysis: the Work view and the Fibres and energy view, each in a window of its own;
        # a trial opened with EMG gets static optimisation of the same stride to compare with.
        self.analysis = AnalysisWindows(app, self)
        self.menuBar().insertMenu(self.help_menu.menuAction(), self.analysis.menu)
        self.trial_simulation = TrialSimulation(app, self)
        self.trial_simulation.message.connect(self.statusBar().showMessage)
        self.io_actions.trialShown.connect(
            lambda cycle: self.trial_simulation.start(self.io_actions.trial, cycle)
        )
        # After the panel has laid out the view's page, and whenever the page needs more room
        # than it has (its text wrapped anew at the dock's real width).
        self.learn.opened.connect(
            lambda first: QTimer.singleShot(0, lambda: self._make_room_for_learn(first))
        )
        self.learn.panel.scroll.verticalScrollBar().rangeChanged.connect(
            lambda _lo, hi: (
                hi > 0 and self.tour.current is not None and self._make_room_for_learn(False)
            )
        )
        # Choosing a gait from the Gait menu moves on from a guided view's instant.
        self.gait_menu.triggered.connect(self._on_gait_menu)

        self.shortcut_actions = install_shortcuts(self, self.transport)
        app.events.animation.connect(self._on_animation)

        self.resizeDocks([self.plots_dock], [PLOTS_HEIGHT], Qt.Orientation.Vertical)
        # The muscle's page gets the larger share of the right-hand column.
        column = max(self.height() - 60, 400)
        self.resizeDocks(
            [self.info_dock, self.muscles_dock],
            [int(column * INFO_SHARE), int(column * (1 - INFO_SHARE))],
            Qt.Orientation.Vertical,
        )
        # The leg gets the room: the window opens with the panels closed, one click away on
        # the toolbar (and in the View menu); a click on a muscle opens its page.
        for dock in (self.plots_dock, self.info_dock, self.muscles_dock):
            dock.hide()
        # The first time a panel of the right-hand column or the plots open, they get the
        # room they had when they opened with the window (hidden docks cannot be sized).
        self._sized: set[str] = set()
        for dock in (self.info_dock, self.muscles_dock, self.learn.dock, self.plots_dock):
            dock.visibilityChanged.connect(
                lambda shown, d=dock: shown and QTimer.singleShot(0, lambda: self._first_room(d))
            )
        self._build_toolbar()
        self.set_gait(gait or last_gait(settings) or "walking")
        self.set_view("three_quarter")
        restore_model(app, settings)
        if restore_layout(self, settings):  # after every dock exists
            self._sized |= {"column", "plots"}  # the panels keep the sizes they were given
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
        self.view_actions: dict[str, QAction] = {}
        for key, label, shortcut in VIEWS:
            act = QAction(label, self)
            act.setObjectName(f"view_{key}Action")
            act.setShortcut(QKeySequence(shortcut))
            act.setToolTip(f"{label.replace('&', '')} view ({shortcut})")
            act.triggered.connect(lambda _=False, k=key: self.set_view(k))
            self.view_menu.addAction(act)
            self.view_actions[key] = act
        self.view_menu.addSeparator()
        self.frame_action = QAction("&Frame the leg", self)
        self.frame_action.setObjectName("frameLegAction")
        self.frame_action.setShortcut(QKeySequence(FRAME_KEY))
        self.frame_action.setToolTip(
            f"Fit the leg in the view, seen from where the camera is now ({FRAME_KEY})"
        )
        self.frame_action.triggered.connect(self.frame_leg)
        self.view_menu.addAction(self.frame_action)
        self.full_screen_action = QAction("F&ull screen", self, checkable=True)
        self.full_screen_action.setObjectName("fullScreenAction")
        self.full_screen_action.setShortcut(QKeySequence(FULL_SCREEN_KEY))
        self.full_screen_action.setToolTip(f"Full screen on and off ({FULL_SCREEN_KEY})")
        self.full_screen_action.triggered.connect(self.set_full_screen)
        self.view_menu.addAction(self.full_screen_action)
        self.view_menu.addSeparator()

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

    def _panel_action(self, dock: QDockWidget, text: str, tip: str) -> QAction:
        """A checkable action that shows ``dock`` in front (also when it is a tab behind
        another) or closes it; checked while the dock is on screen."""
        act = QAction(text, self, checkable=True)
        act.setObjectName(f"{dock.objectName()}Action")
        act.setToolTip(tip)

        def toggled(on: bool) -> None:
            if on:
                dock.show()
                dock.raise_()
            else:
                dock.hide()

        act.triggered.connect(toggled)
        dock.visibilityChanged.connect(lambda _v: act.setChecked(dock.isVisible()))
        act.setChecked(dock.isVisible())
        return act

    def _build_toolbar(self) -> None:
        """The toolbar above the 3-D view: camera presets, frame the leg, full screen, and
        one button per panel, so that every panel is one click away."""
        self.panel_actions = {
            "muscle": self._panel_action(
                self.info_dock, "Muscle", "The selected muscle's page (or click a muscle)"
            ),
            "muscles": self._panel_action(
                self.muscles_dock,
                "Muscles",
                "Muscle groups: show, hide, isolate, highlight, search; display options",
            ),
            "plots": self._panel_action(
                self.plots_dock,
                "Plots",
                "Activation over the cycle: every muscle's heatmap and the selected "
                "muscle's curves",
            ),
            "learn": self._panel_action(
                self.learn.dock, "Learn", "Guided views of what running asks of the legs"
            ),
        }
        for act in self.panel_actions.values():
            self.view_menu.addAction(act)
        bar = QToolBar("Toolbar", self)
        bar.setObjectName("viewToolBar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.toggleViewAction().setEnabled(False)  # the panels' buttons must not vanish
        for key, act in self.view_actions.items():
            bar.addAction(act)
            button = bar.widgetForAction(act)
            if isinstance(button, QToolButton):
                button.setText(VIEW_BUTTONS[key])
        bar.addSeparator()
        bar.addAction(self.frame_action)
        bar.addAction(self.full_screen_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addWidget(QLabel("Panels:"))
        for act in self.panel_actions.values():
            bar.addAction(act)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.toolbar = bar

    def _first_room(self, dock: QDockWidget) -> None:
        """Give ``dock`` its default size the first time it is shown (not after the user or a
        restored layout sized it)."""
        if dock.isFloating() or not dock.isVisible():
            return
        if dock is self.plots_dock:
            if "plots" not in self._sized:
                self._sized.add("plots")
                self.resizeDocks([dock], [PLOTS_HEIGHT], Qt.Orientation.Vertical)
            return
        if "column" in self._sized:
            return
        self._sized.add("column")
        if self.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea:
            self.resizeDocks([dock], [COLUMN_WIDTH], Qt.Orientation.Horizontal)

    def frame_leg(self) -> None:
        """Fit the leg in the 3-D view from the direction the camera looks now (key F)."""
        self.app_model.display.request_frame()

    def set_full_screen(self, on: bool) -> None:
        """Full screen on or off (F11); off gives back the window (maximised if it was)."""
        if on == self.isFullScreen():
            return
        if on:
            self._maximised_before = self.isMaximized()
            self.showFullScreen()
        elif getattr(self, "_maximised_before", False):
            self.showMaximized()
        else:
            self.showNormal()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.WindowStateChange and hasattr(self, "full_screen_action"):
            self.full_screen_action.setChecked(self.isFullScreen())
        super().changeEvent(event)

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
    def animation(self) -> CycleAnimation | None:
        """The animation shown (the model's)."""
        return self.app_model.animation

    @property
    def cycle(self) -> GaitCycle | None:
        return self.app_model.cycle

    @property
    def gait_name(self) -> str | None:
        return self.app_model.gait_name

    def set_gait(self, name: str) -> None:
        """Switch to a built-in gait, keeping the current phase."""
        self.app_model.show_gait(name)

    def show_cycle(self, cycle: GaitCycle, animation: CycleAnimation | None = None) -> None:
        """Show any cycle (built-in or imported), keeping the current phase. ``animation``:
        the cycle already posed (e.g. in a worker thread), else it is posed here."""
        self.app_model.show_cycle(cycle, animation)

    def set_view(self, name: str) -> None:
        """Choose a camera preset (framed anew even when it is the one shown)."""
        self.app_model.display.request_view(name)

    def set_compare(
        self,
        gaits: list[str] | tuple[str, str] | None,
        labels: dict[str, str] | None = None,
    ) -> None:
        """Show two built-in gaits side by side on one phase (left = the window's gait), or
        one view again with None. ``labels``: {gait: caption} to caption a half with other
        text than the gait's name and speed."""
        self.app_model.compare(gaits, labels)

    @property
    def scenes(self) -> list[LegScene]:
        """The scenes shown, left to right (two while comparing gaits)."""
        return self.compare.scenes

    def _on_animation(self, animation: CycleAnimation | None) -> None:
        name = self.app_model.gait_name
        for act in self._gait_actions.actions():
            act.setChecked(act.data() == name)
        if animation is None:
            return
        cycle = animation.cycle
        speed = f", {cycle.speed:.2g} m/s" if cycle.speed else ""
        self.statusBar().showMessage(
            f"{cycle.label}{speed}, stride {cycle.stride_time:.2f} s. "
            "Help > About this gait's data for the sources."
        )

    def _on_gait_menu(self, action: QAction) -> None:
        if action.data() is not None:
            self.tour.leave()

    def _make_room_for_learn(self, first: bool) -> None:
        """Give the Learn dock the height its view needs (caption, controls, exercises), the
        Muscle dock the rest: the caption and the exercises need the room more than the
        muscle hint does."""
        if not self.info_dock.isVisible() or self.learn.dock.isFloating():
            return
        # A tabbed dock's tab bar is part of the height ``resizeDocks`` gives it.
        tabs = self._tab_bar_height(self.learn.dock)
        total = self.learn.dock.height() + tabs + self.info_dock.height()
        wanted = self.learn.wanted_height() + tabs
        learn = min(wanted, total - self.info_dock.minimumSizeHint().height())
        if first or self.learn.dock.height() + tabs < learn:
            self.resizeDocks(
                [self.learn.dock, self.info_dock],
                [learn, total - learn],
                Qt.Orientation.Vertical,
            )

    def _tab_bar_height(self, dock: QDockWidget) -> int:
        if not self.tabifiedDockWidgets(dock):
            return 0
        for bar in self.findChildren(QTabBar):
            if bar.isVisible() and any(
                bar.tabText(i) == dock.windowTitle() for i in range(bar.count())
            ):
                return bar.height()
        return 0

    # ------------------------------------------------------------------ rendering
    def _on_playing(self, playing: bool) -> None:
        self.render_window.SetMultiSamples(0 if playing else self._still_samples)
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
            # Leave a guided view first, so that the settings keep the user's own display
            # options (not a view's see-through bones).
            self.tour.leave()
            save_settings(self.settings, self.app_model, self)
            self.analysis.close_all()
        self._closed = True
        self.clock.stop()
        self.viewport.Finalize()
        super().closeEvent(event)
