"""Start the Qt application and show the main window, with the user's settings."""

from __future__ import annotations

import signal
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from pathlib import Path

    from anatomy_viewer.gait.trial import Trial
    from anatomy_viewer.ui.main_window import MainWindow
    from anatomy_viewer.ui.settings import SettingsFile

#: How often (ms) Python gets the chance to run its signal handlers while Qt waits for events.
SIGNAL_POLL_MS = 250


def close_on_signals(app: QApplication) -> QTimer:
    """Ctrl-C, SIGTERM and SIGHUP close every window as File > Quit does: a video being
    exported stops and its temporary file goes (a file it would have replaced stays as it
    was), and the settings are saved. Returns the timer that lets Python handle signals
    while Qt waits (keep it)."""

    def handler(_signum, _frame) -> None:  # noqa: ANN001 (signal API)
        QTimer.singleShot(0, app.closeAllWindows)

    for sig in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            try:
                signal.signal(sig, handler)
            except (ValueError, OSError):  # not the main thread
                pass
    timer = QTimer(app)
    timer.setInterval(SIGNAL_POLL_MS)
    timer.timeout.connect(lambda: None)
    timer.start()
    return timer


def application() -> QApplication:
    """The QApplication (made once), named for the settings, closing on SIGTERM."""
    from anatomy_viewer.ui.settings import APPLICATION, ORGANISATION

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName(APPLICATION)
        app.setOrganizationName(ORGANISATION)
        app._signal_timer = close_on_signals(app)  # type: ignore[attr-defined]
    return app  # type: ignore[return-value]


def open_window(
    gait: str | None = None,
    trial: Trial | None = None,
    *,
    estimate: bool = True,
    mass: float | None = None,
    settings: SettingsFile | None = None,
) -> MainWindow:
    """The main window, shown, with the user's settings (restored now, saved when it closes):
    on ``gait`` (None: the gait shown last, else walking), or on a recorded ``trial`` (read
    already; its muscle activity is estimated when it has none, unless ``estimate`` is False;
    ``mass``: the subject's mass in kg for that estimate). ``settings``: where they are kept
    (default: :func:`~anatomy_viewer.ui.settings.open_settings`)."""
    from anatomy_viewer.ui.main_window import MainWindow
    from anatomy_viewer.ui.settings import open_settings

    application()
    window = MainWindow(gait=gait, settings=settings or open_settings())
    window.show()
    if trial is not None:
        window.io_actions.estimate = estimate
        window.io_actions.mass = mass
        window.io_actions.show_trial(trial)
    return window


def run(
    gait: str | None = None,
    trial: Trial | None = None,
    *,
    estimate: bool = True,
    mass: float | None = None,
    failure: tuple[Path | str | None, str] | None = None,
) -> int:
    """Show the window (see :func:`open_window`) and run until it closes: ``anatomy-viewer``
    and ``anatomy-viewer open``. ``failure``: (file, message) of a trial that could not be
    read; the window starts on a built-in gait and says why the file was not opened."""
    app = application()
    window = open_window(gait, trial, estimate=estimate, mass=mass)
    if failure is not None:
        window.io_actions.show_open_failure(*failure)
    return app.exec()
