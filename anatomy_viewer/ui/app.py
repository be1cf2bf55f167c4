"""Start the Qt application and show the main window."""

from __future__ import annotations

import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

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


def run(gait: str | None = None) -> int:
    """Show the window on ``gait`` (None: the gait shown last, else walking) and run."""
    from anatomy_viewer.ui.main_window import MainWindow
    from anatomy_viewer.ui.settings import open_settings

    app = application()
    window = MainWindow(gait=gait, settings=open_settings())
    window.show()
    return app.exec()
