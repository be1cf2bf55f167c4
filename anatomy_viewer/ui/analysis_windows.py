"""The Analysis menu: the Work view and the Fibres and energy view, each in its own window.

Both views are panels that receive the application model; this module only puts each in a
window of its own (sized to the screen, beside the main window, opened again where it was) and
offers them in a menu. It also runs static optimisation of a trial opened with EMG, in the
background, and gives the result to the model, so that the trial's EMG is shown beside a
simulation of the same stride (:func:`anatomy_viewer.gait.emg.trial_simulation`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QVBoxLayout, QWidget

from anatomy_viewer.app.model import AppModel
from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.gait.emg import has_trial_emg, trial_simulation
from anatomy_viewer.ui.fibres_energy import FibresEnergyPanel
from anatomy_viewer.ui.work_view import WorkPanel

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
    """Static optimisation of a trial opened with EMG, in a worker thread; the result goes to
    the model (``AppModel.set_simulated``) if that trial is still shown. One at a time: a
    newer trial's result replaces an older one's, which is dropped when it arrives."""

    message = Signal(str)
    _finished = Signal(object, object, object)  # cycle, simulated cycle or None, error text

    def __init__(self, model: AppModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._lock = threading.Lock()
        self._finished.connect(self._deliver)
        self.threads: list[threading.Thread] = []

    def start(self, trial, cycle: GaitCycle | None = None) -> bool:  # noqa: ANN001 (Trial)
        """Simulate ``trial`` (shown as ``cycle``, default the model's) when its activations
        are measured EMG. Returns whether a computation was started."""
        cycle = cycle or self._model.cycle
        if trial is None or cycle is None or not has_trial_emg(cycle):
            return False
        self.message.emit("Static optimisation of the trial, to show its EMG beside it\u2026")
        work: Callable[[], None] = lambda: self._run(trial, cycle)  # noqa: E731
        thread = threading.Thread(target=work, name="trial-simulation", daemon=True)
        self.threads = [t for t in self.threads if t.is_alive()] + [thread]
        thread.start()
        return True

    def _run(self, trial, cycle: GaitCycle) -> None:  # noqa: ANN001 (Trial)
        with self._lock:  # one at a time: a newer trial's job waits for an older one's
            try:
                sim = trial_simulation(trial, cycle)
            except Exception as exc:  # noqa: BLE001 (reported to the user in one line)
                self._finished.emit(cycle, None, f"{type(exc).__name__}: {exc}")
                return
        self._finished.emit(cycle, sim, "")

    def _deliver(self, cycle: GaitCycle, sim: GaitCycle | None, error: str) -> None:
        if cycle is not self._model.cycle:
            return
        if sim is None:
            self.message.emit(f"No static optimisation of this trial to compare its EMG: {error}")
            return
        self._model.set_simulated(cycle, sim)
        self.message.emit(
            "The trial's EMG is shown beside static optimisation of the same trial "
            "(select a muscle with an electrode)."
        )

    def wait(self, timeout: float = 30.0) -> None:
        """Wait for the running computations (tests, closing)."""
        for t in self.threads:
            t.join(timeout)
