import os

import pytest
from fault_injection import read_only_folder, small_disk  # noqa: F401 (fixtures for all tests)
from hypothesis import settings

# Property-based tests explore new random inputs on developers' machines; in CI (CI=true) they
# replay one fixed sequence, so a red CI always means a change, never a lucky draw.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session", autouse=True)
def _cache_of_the_tests(tmp_path_factory):
    """The muscle-activity cache in a folder of the test session (inherited by the programs
    tests start), never the user's own cache folder."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="session")
def leg_model():
    """One LegModel for the whole session (compiling MyoLeg takes about half a second)."""
    from anatomy_viewer.anatomy import LegModel

    return LegModel()


@pytest.fixture(scope="module")
def module_window(qapp, leg_model):
    """One main window shared by a test module (opening one costs about a second); each
    module's ``window`` fixture resets what its tests change. Deleted at the end of the module,
    while the X server is still up."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtTest import QTest

    from anatomy_viewer.ui.main_window import MainWindow

    win = MainWindow(gait="walking", model=leg_model, autoplay=False)
    win.show()
    QTest.qWaitForWindowExposed(win)
    yield win
    win.close()
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(scope="session", autouse=True)
def _release_windows_before_the_display_goes():
    """VTK render windows keep their own X connection until they are destroyed. Destroy every
    closed window at the end of the session, while pytest-xvfb's X server is still running:
    otherwise they are freed at interpreter exit, after the server is gone, and Xlib aborts
    the process with an I/O error (exit status 1) although every test passed."""
    yield
    import gc
    import sys

    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtCore import QCoreApplication, QEvent
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:
            for w in app.topLevelWidgets():
                w.close()
                w.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()
    gc.collect()
