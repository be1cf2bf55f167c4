"""The Analysis menu: the Work view and the Fibres and energy view, each in its own window.

Both views are panels that receive the application model; this module only puts each in a
window of its own (sized to the screen, beside the main window, opened again where it was) and
offers them in a menu. It also runs static optimisation of a trial opened with EMG, in the
background, and gives the result to the model, so that the trial's EMG is shown beside a
simulation of the same stride (:func:`anatomy_viewer.gait.emg.trial_simulation`).
"""

from __future__ import annotations

from collections.abc import Callable

# The trial's analysis filters its motion with scipy.signal, imported on first use: imported
# here, in the GUI thread, because an import in the worker thread goes through PySide's import
# hook, which reads each module's source while holding the interpreter and took minutes.
import scipy.signal  # noqa: F401
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QVBoxLayout, QWidget

from anatomy_viewer.app.model import AppModel
from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.gait.emg import has_trial_emg, trial_simulation
from anatomy_viewer.ui.fibres_energy import FibresEnergyPanel
from anatomy_viewer.ui.work_view import WorkPanel
from anatomy_viewer.ui.worker import Cancelled, Job

#: At most this share of the screen's available area.
SCREEN_SHARE = 0.94


class _PanelWindow(QDialog):
    """A plain, non-modal window around one panel."""

    def __init__(self, title: str, name: str, panel: QWidget, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.panel = panel
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(panel)
        self._placed = False

    def open_here(self) -> None:
        if not self._placed:
            self._placed = True
            hint = self.panel.sizeHint()
            screen = self.parentWidget().screen() if self.parentWidget() else self.screen()
            area = screen.availableGeometry()
            w = min(hint.width(), int(area.width() * SCREEN_SHARE))
            h = min(hint.height(), int(area.height() * SCREEN_SHARE))
            self.resize(w, h)
            centre = (self.parentWidget() or self).geometry().center()
            x = min(max(centre.x() - w // 2, area.left()), area.right() - w)
            y = min(max(centre.y() - h // 2, area.top()), area.bottom() - h)
            self.move(x, y)
        self.show()
        self.raise_()
        self.activateWindow()


class AnalysisWindows(QObject):
    """The Analysis menu and its two windows, made when first opened."""

    def __init__(self, model: AppModel, parent: QWidget) -> None:
        super().__init__(parent)
        self._model = model
        self._parent = parent
        self.work_window: _PanelWindow | None = None
        self.fibres_window: _PanelWindow | None = None
        self.menu = QMenu("&Analysis", parent)
        self.menu.setObjectName("analysisMenu")
        self.work_action = QAction("&Work over the stride\u2026", parent)
        self.work_action.setStatusTip(
            "Which muscles generate and which absorb work, and when in the stride"
        )
        self.work_action.triggered.connect(self.open_work)
        self.fibres_action = QAction("&Fibres and energy of the three gaits\u2026", parent)
        self.fibres_action.setStatusTip(
            "Fast-fibre recruitment and energy cost of walking, running and sprinting"
        )
        self.fibres_action.triggered.connect(self.open_fibres)
        self.menu.addAction(self.work_action)
        self.menu.addAction(self.fibres_action)

    def open_work(self) -> _PanelWindow:
        if self.work_window is None:
            panel = WorkPanel()
            panel.bind(self._model)
            self.work_window = _PanelWindow(
                "Work over the stride", "workWindow", panel, self._parent
            )
        self.work_window.open_here()
        return self.work_window

    def open_fibres(self) -> _PanelWindow:
        if self.fibres_window is None:
            panel = FibresEnergyPanel()
            panel.bind(self._model)
            self.fibres_window = _PanelWindow(
                "Fibres and energy of the three gaits", "fibresWindow", panel, self._parent
            )
        self.fibres_window.open_here()
        return self.fibres_window

    def close_all(self) -> None:
        for w in (self.work_window, self.fibres_window):
            if w is not None:
                w.close()


class TrialSimulation(QObject):
    """Static optimisation of a trial opened with EMG, in a worker thread (:class:`Job`); the
    result goes to the model (``AppModel.set_simulated``) if that trial is still shown. A newer
    trial cancels the job of an older one."""

    message = Signal(str)

    def __init__(self, model: AppModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.job: Job | None = None

    def start(self, trial, cycle: GaitCycle | None = None) -> bool:  # noqa: ANN001 (Trial)
        """Simulate ``trial`` (shown as ``cycle``, default the model's) when its activations
        are measured EMG. Returns whether a computation was started."""
        cycle = cycle or self._model.cycle
        if self.job is not None:
            self.job.cancelled = True
            self.job = None
        if trial is None or cycle is None or not has_trial_emg(cycle):
            return False
        self.message.emit("Static optimisation of the trial, to show its EMG beside it\u2026")

        def work(progress: Callable[[float, str], None]) -> GaitCycle:
            return trial_simulation(trial, cycle, progress=lambda f: progress(f, ""))

        job = Job(work, lambda sim: self._deliver(cycle, sim))
        job.succeeded.connect(self._succeeded)
        job.failed.connect(self._failed)
        self.job = job
        job.start()
        return True

    def _succeeded(self, job: Job, sim: object) -> None:
        if job is self.job:
            self.job = None
            job.on_done(sim)

    def _failed(self, job: Job, exc: object) -> None:
        if job is not self.job:
            return
        self.job = None
        if not isinstance(exc, Cancelled):
            self.message.emit(
                f"No static optimisation of this trial to compare its EMG with: "
                f"{type(exc).__name__}: {exc}"
            )

    def _deliver(self, cycle: GaitCycle, sim: GaitCycle) -> None:
        if cycle is not self._model.cycle:
            return
        self._model.set_simulated(cycle, sim)
        self.message.emit(
            "The trial's EMG is shown beside static optimisation of the same trial "
            "(select a muscle with an electrode)."
        )

    def wait(self, timeout: float = 60.0) -> None:
        """Wait for the running computation's thread (tests); its result arrives with the next
        pass of the event loop."""
        if self.job is not None:
            self.job.thread.join(timeout)
