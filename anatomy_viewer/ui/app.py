"""Start the Qt application and show the main window."""

from __future__ import annotations

import sys


def run(gait: str | None = None) -> int:
    """Show the window on ``gait`` (None: the gait shown last, else walking) and run."""
    from PySide6.QtWidgets import QApplication

    from anatomy_viewer.ui.main_window import MainWindow
    from anatomy_viewer.ui.settings import APPLICATION, ORGANISATION, open_settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANISATION)
    window = MainWindow(gait=gait, settings=open_settings())
    window.show()
    return app.exec()
