"""Start the Qt application and show the main window."""

from __future__ import annotations

import sys


def run(gait: str = "walking") -> int:
    from PySide6.QtWidgets import QApplication

    from anatomy_viewer.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Anatomy Viewer")
    app.setOrganizationName("anatomy_viewer")
    window = MainWindow(gait=gait)
    window.show()
    return app.exec()
