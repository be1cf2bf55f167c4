"""What the window remembers between runs (QSettings): layout, gait, speed, display, camera.

Saved when the window closes and restored when it opens: window geometry and dock layout, the
last built-in gait, the playback speed, the display options (legs, bones, legend, colour map,
gain) and the last camera preset.

Where they are kept:
- ``open_settings(path)``: an INI file at ``path`` (tests pass a temporary file);
- else the file named by the environment variable ``ANATOMY_VIEWER_SETTINGS``;
- else the platform's place for organisation "anatomy_viewer", application "Anatomy Viewer".

A ``MainWindow`` given no settings reads and writes nothing, so scripts and tests that do not
ask for persistence never touch the user's settings. Unreadable values fall back to defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings

from anatomy_viewer.gait.library import GAIT_NAMES
from anatomy_viewer.scene.leg_scene import VIEWS

if TYPE_CHECKING:
    from anatomy_viewer.ui.main_window import MainWindow

ORGANISATION = "anatomy_viewer"
APPLICATION = "Anatomy Viewer"
ENV_VAR = "ANATOMY_VIEWER_SETTINGS"
#: Bump when the dock layout changes incompatibly: an older saved layout is then ignored.
STATE_VERSION = 1


def open_settings(path: str | os.PathLike[str] | None = None) -> QSettings:
    """The settings store: the INI file ``path``, the file in $ANATOMY_VIEWER_SETTINGS, or the
    user's settings of the application."""
    if path is None:
        path = os.environ.get(ENV_VAR) or None
    if path is not None:
        return QSettings(str(Path(path)), QSettings.Format.IniFormat)
    return QSettings(ORGANISATION, APPLICATION)


def _float(settings: QSettings, key: str) -> float | None:
    try:
        value = float(settings.value(key))
    except (TypeError, ValueError):
        return None
    return value if value == value else None  # NaN -> None


def _bool(settings: QSettings, key: str) -> bool | None:
    value = settings.value(key)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    return None


def _str(settings: QSettings, key: str, allowed) -> str | None:
    value = settings.value(key)
    return value if isinstance(value, str) and value in allowed else None


def last_gait(settings: QSettings | None) -> str | None:
    """The built-in gait shown when the window last closed, if known."""
    return None if settings is None else _str(settings, "gait/last", GAIT_NAMES)


def restore_window(window: MainWindow, settings: QSettings | None) -> None:
    """Apply the saved speed, display options, camera preset, geometry and dock layout.

    Call at the end of the window's construction, after every dock exists (a dock created
    later keeps its default place)."""
    if settings is None:
        return
    speed = _float(settings, "playback/speed")
    if speed is not None:
        window.playback.set_speed(speed)
    view: dict[str, Any] = {}
    for key, read in (
        ("legs", lambda k: settings.value(k)),
        ("bone_opacity", lambda k: _float(settings, k)),
        ("legend", lambda k: _bool(settings, k)),
        ("colormap", lambda k: settings.value(k)),
        ("gain", lambda k: _float(settings, k)),
    ):
        value = read(f"view/{key}")
        if value is not None:
            view[key] = value
    options = getattr(window, "view_options", None)
    if options is not None and view:
        options.set_state(view)
    camera = _str(settings, "view/camera", VIEWS)
    if camera is not None:
        window.set_view(camera)
    # The dock layout first: hidden docks no longer hold the window's minimum size up, so the
    # geometry can then be restored as it was.
    state = settings.value("window/state")
    if isinstance(state, QByteArray | bytes) and len(state):
        window.restoreState(QByteArray(state), STATE_VERSION)
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray | bytes) and len(geometry):
        window.restoreGeometry(QByteArray(geometry))


def save_window(window: MainWindow, settings: QSettings | None) -> None:
    """Write what ``restore_window`` and ``last_gait`` read."""
    if settings is None:
        return
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState(STATE_VERSION))
    if window.gait_name is not None:
        settings.setValue("gait/last", window.gait_name)
    settings.setValue("playback/speed", float(window.playback.speed))
    options = getattr(window, "view_options", None)
    if options is not None:
        for key, value in options.state().items():
            settings.setValue(f"view/{key}", value)
    settings.setValue("view/camera", window.scene.view)
    settings.sync()
