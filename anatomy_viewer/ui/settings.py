"""What the window remembers between runs: layout, gait, speed, display, camera.

Saved when the window closes and restored when it opens: window geometry and dock layout, the
last built-in gait, the playback speed, the display options (legs, bones, legend, colour map,
gain) and the last camera preset.

Where they are kept (an INI file in every case):
- ``open_settings(path)``: the file at ``path`` (tests pass a temporary file);
- else the file named by the environment variable ``ANATOMY_VIEWER_SETTINGS``;
- else the platform's place for the settings of organisation "anatomy_viewer", application
  "Anatomy Viewer" (``~/.config/anatomy_viewer/Anatomy Viewer.ini`` on Linux).

A settings file can never lock the program out. It is read once, at start, and every value is
checked for its type and range (:data:`SCHEMA`); a value that is missing or wrong (``legs=a,
b``, ``gain=lots``, a number out of range, a file that is binary, huge, a folder or a named
pipe) falls back to its default with one line on stderr, and the program starts. The file is
written atomically (:func:`~anatomy_viewer.safe_output.atomic_output`): to a temporary file
beside it, read back and checked, then renamed over it, so a crash or a full disk while saving
leaves the previous settings intact. A ``MainWindow`` given no settings reads and writes
nothing, so scripts and tests that do not ask for persistence never touch the user's settings.

What is remembered of what is shown comes from the application model (:func:`restore_model`,
:func:`model_values`: the user's own display choices, never a guided view's overlay); only the
geometry and dock layout come from the main window (:func:`restore_layout`).
"""

from __future__ import annotations

import base64
import binascii
import math
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from anatomy_viewer.app.display import CAMERAS, COLOUR_MODES, LEGS, MAX_GAIN, MIN_GAIN
from anatomy_viewer.app.display import OPTIONS as DISPLAY_OPTIONS
from anatomy_viewer.app.playback import MAX_SPEED, MIN_SPEED
from anatomy_viewer.gait.library import GAIT_NAMES
from anatomy_viewer.safe_output import OutputError, atomic_output, file_kind, printable
from anatomy_viewer.scene.colormaps import COLORMAPS

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from anatomy_viewer.app.model import AppModel

ORGANISATION = "anatomy_viewer"
APPLICATION = "Anatomy Viewer"
ENV_VAR = "ANATOMY_VIEWER_SETTINGS"
#: Bump when the dock layout changes incompatibly: an older saved layout is then ignored.
#: 2: the panels open closed, a toolbar shows them (a layout of version 1 would bring back
#: the plots and the right-hand column around a small 3-D view).
STATE_VERSION = 2
#: A settings file larger than this is not read (it is not one this program wrote).
MAX_SETTINGS_BYTES = 256 * 1024
#: Saved window geometry and dock layout are at most this long (bytes, decoded).
MAX_LAYOUT_BYTES = 64 * 1024
HEADER = "; Anatomy Viewer settings. A value that cannot be read falls back to its default."

Warn = Callable[[str], None]

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)
_BYTES = re.compile(r"@Base64\(([A-Za-z0-9+/=]*)\)", re.ASCII)


def _stderr(line: str) -> None:
    print(f"anatomy-viewer: settings: {line}", file=sys.stderr)


# ============================================================================ the schema
@dataclass(frozen=True)
class Setting:
    """One remembered value: its kind ("text", "number", "flag" or "bytes") and what is
    allowed (the choices of a text, the range of a number)."""

    kind: str
    choices: tuple[str, ...] = ()
    low: float = -math.inf
    high: float = math.inf

    def parse(self, text: str) -> Any:
        """The value written as ``text``, or ValueError saying what is wrong with it."""
        if self.kind == "text":
            if text not in self.choices:
                raise ValueError(f"is not one of {', '.join(self.choices)}")
            return text
        if self.kind == "number":
            if _NUMBER.fullmatch(text) is None:
                raise ValueError("is not a number")
            value = float(text)
            if not self.low <= value <= self.high:
                raise ValueError(f"is outside {self.low:g}..{self.high:g}")
            return value
        if self.kind == "flag":
            flag = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
            if text.lower() not in flag:
                raise ValueError("is neither true nor false")
            return flag[text.lower()]
        m = _BYTES.fullmatch(text)
        if m is None and text.startswith("@ByteArray("):
            raise ValueError("is a layout saved by an earlier version (the window opens as new)")
        if m is None:
            raise ValueError("is not a saved layout")
        try:
            data = base64.b64decode(m.group(1), validate=True)
        except binascii.Error:
            raise ValueError("is not a saved layout (damaged)") from None
        if len(data) > MAX_LAYOUT_BYTES:
            raise ValueError("is too long for a saved layout")
        return data

    def format(self, value: Any) -> str:
        """``value`` as written to the file (read back by :meth:`parse`)."""
        if self.kind == "number":
            return repr(float(value))
        if self.kind == "flag":
            return "true" if value else "false"
        if self.kind == "bytes":
            return f"@Base64({base64.b64encode(bytes(value)).decode('ascii')})"
        return str(value)


def _schema() -> dict[str, Setting]:
    return {
        "gait/last": Setting("text", tuple(GAIT_NAMES)),
        "playback/speed": Setting("number", low=MIN_SPEED, high=MAX_SPEED),
        "view/legs": Setting("text", tuple(LEGS)),
        "view/bone_opacity": Setting("number", low=0.0, high=1.0),
        "view/legend": Setting("flag"),
        "view/colormap": Setting("text", tuple(COLORMAPS)),
        "view/colour_mode": Setting("text", tuple(COLOUR_MODES)),
        "view/gain": Setting("number", low=MIN_GAIN, high=MAX_GAIN),
        "view/camera": Setting("text", tuple(CAMERAS)),
        "window/geometry": Setting("bytes"),
        "window/state": Setting("bytes"),
    }


#: Every remembered value by "section/key", with its type and range.
SCHEMA: dict[str, Setting] = _schema()


# ============================================================================ reading
def parse_settings(text: str, warn: Warn = _stderr, name: str = "settings") -> dict[str, Any]:
    """The valid values of an INI text (``[section]`` lines, ``key=value`` lines, ``;`` or
    ``#`` comments), by "section/key". Never raises: a value that is not valid is left out
    (its default applies) with one ``warn`` line naming it; unknown keys are ignored (a
    newer or older version's); other lines are counted in one ``warn`` line."""
    values: dict[str, Any] = {}
    section = ""
    stray: list[int] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in ";#":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            stray.append(number)
            continue
        full = f"{section}/{key.strip()}" if section else key.strip()
        setting = SCHEMA.get(full)
        if setting is None:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        try:
            values[full] = setting.parse(value)
        except ValueError as exc:
            values.pop(full, None)
            shown = value if len(value) <= 40 else value[:37] + "..."
            warn(printable(f"{name}, line {number}: {full}={shown!r} {exc}; using the default"))
    if stray:
        where = ", ".join(str(n) for n in stray[:5]) + (" ..." if len(stray) > 5 else "")
        warn(printable(f"{name}: lines that are not key=value were ignored (line {where})"))
    return values


def read_settings(path: str | os.PathLike[str], warn: Warn = _stderr) -> dict[str, Any]:
    """The valid values in the settings file ``path`` ({} when there is none). Never
    raises; a file that cannot be a settings file is reported in one ``warn`` line."""
    path = Path(path)
    name = printable(str(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)  # does not block on a named pipe
    except FileNotFoundError:
        return {}
    except OSError as exc:
        warn(f"{name} cannot be read ({printable(exc.strerror or exc)}); using the defaults")
        return {}
    try:
        st = os.fstat(fd)
        kind = file_kind(st.st_mode)
        if kind is not None:
            warn(f"{name} is {kind}, not a settings file; using the defaults")
            return {}
        raw = os.read(fd, MAX_SETTINGS_BYTES + 1)
    except OSError as exc:
        warn(f"{name} cannot be read ({printable(exc.strerror or exc)}); using the defaults")
        return {}
    finally:
        os.close(fd)
    if len(raw) > MAX_SETTINGS_BYTES:
        warn(f"{name} is larger than a settings file can be; using the defaults")
        return {}
    if b"\0" in raw:
        warn(f"{name} is not a text file; using the defaults")
        return {}
    return parse_settings(raw.decode("utf-8", "replace"), warn, path.name)


def format_settings(values: Mapping[str, Any]) -> str:
    """The INI text of ``values`` ("section/key" -> value; keys not in SCHEMA are left
    out), read back by :func:`parse_settings`."""
    sections: dict[str, list[str]] = {}
    for full, value in values.items():
        setting = SCHEMA.get(full)
        if setting is None or value is None:
            continue
        section, _, key = full.partition("/")
        sections.setdefault(section, []).append(f"{key}={setting.format(value)}")
    lines = [HEADER]
    for section, entries in sections.items():
        lines += ["", f"[{section}]", *entries]
    return "\n".join(lines) + "\n"


# ============================================================================ the store
class SettingsFile:
    """The settings kept in one INI file: read and checked once, written atomically."""

    def __init__(self, path: str | os.PathLike[str], warn: Warn = _stderr) -> None:
        self.path = Path(path)
        self.warn = warn
        self.values: dict[str, Any] = read_settings(self.path, warn)

    def fileName(self) -> str:  # noqa: N802 (the name QSettings uses)
        return str(self.path)

    def value(self, key: str) -> Any:
        """The checked value of "section/key", or None (use the default)."""
        return self.values.get(key)

    def save(self, values: Mapping[str, Any]) -> bool:
        """Remember ``values`` (merged into those read) and write the file atomically: the
        old file stays whole if anything goes wrong, which is said in one ``warn`` line.
        Returns whether the file was written."""
        merged = {**self.values, **{k: v for k, v in values.items() if k in SCHEMA}}
        text = format_settings(merged)
        expected = parse_settings(text, _no_warning)

        def reads_back(tmp: Path) -> None:
            if parse_settings(tmp.read_text(encoding="utf-8"), _no_warning) != expected:
                raise ValueError("the settings did not read back as written")

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_output(self.path, reads_back) as tmp:
                tmp.write_text(text, encoding="utf-8")
        except OutputError as exc:
            self.warn(f"not saved: {exc}")
            return False
        except OSError as exc:
            self.warn(f"not saved: {printable(self.path)}: {printable(exc.strerror or exc)}")
            return False
        self.values = expected
        return True


def _no_warning(_line: str) -> None:
    pass


def default_settings_path() -> Path:
    """The platform's place for this application's settings file."""
    from PySide6.QtCore import QSettings

    store = QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )
    return Path(store.fileName())


def open_settings(path: str | os.PathLike[str] | None = None) -> SettingsFile:
    """The settings: the INI file ``path``, the file in $ANATOMY_VIEWER_SETTINGS, or the
    user's settings file of the application (see the module's doc)."""
    if path is None:
        path = os.environ.get(ENV_VAR) or None
    return SettingsFile(default_settings_path() if path is None else Path(path))


# ============================================================================ model and window
def last_gait(settings: SettingsFile | None) -> str | None:
    """The built-in gait shown when the window last closed, if known."""
    return None if settings is None else settings.value("gait/last")


def restore_model(model: AppModel, settings: SettingsFile | None) -> None:
    """Apply the saved playback speed, display options and camera preset to ``model``."""
    if settings is None:
        return
    speed = settings.value("playback/speed")
    if speed is not None:
        model.playback.set_speed(speed)
    model.display.set_user_state(
        {
            key: settings.value(f"view/{key}")
            for key in DISPLAY_OPTIONS
            if settings.value(f"view/{key}") is not None
        }
    )
    camera = settings.value("view/camera")
    if camera is not None:
        model.display.request_view(camera)


def model_values(model: AppModel) -> dict[str, Any]:
    """What the settings keep of ``model``: the built-in gait shown, the playback speed, the
    user's display options and camera preset (a guided view's overlay is not the user's)."""
    values: dict[str, Any] = {
        "playback/speed": float(model.playback.speed),
        "view/camera": model.display.user.camera,
    }
    if model.gait_name is not None:
        values["gait/last"] = model.gait_name
    values.update({f"view/{key}": value for key, value in model.display.user_options().items()})
    return values


def restore_layout(window: QMainWindow, settings: SettingsFile | None) -> bool:
    """Apply the saved dock layout and window geometry; whether a dock layout was restored.

    Call at the end of the window's construction, after every dock exists (a dock created
    later keeps its default place)."""
    if settings is None:
        return False
    from PySide6.QtCore import QByteArray

    # The dock layout first: hidden docks no longer hold the window's minimum size up, so the
    # geometry can then be restored as it was.
    state = settings.value("window/state")
    restored = False
    if state and layout_version(state) not in (None, STATE_VERSION):
        settings.warn(
            "the dock layout was saved by an earlier version; the panels open in the new "
            "layout (the toolbar shows them)"
        )
    elif state:
        restored = window.restoreState(QByteArray(state), STATE_VERSION)
        if not restored:
            settings.warn("the saved dock layout could not be used; using the default")
    geometry = settings.value("window/geometry")
    if geometry and not window.restoreGeometry(QByteArray(geometry)):
        settings.warn("the saved window size could not be used; using the default")
    return restored


def layout_version(state: bytes) -> int | None:
    """The version a dock layout was saved with (``QMainWindow.saveState``'s own header: a
    marker 0xff, then the version, both 32-bit big-endian), or None if it has no header."""
    if len(state) < 8 or int.from_bytes(state[:4], "big") != 0xFF:
        return None
    return int.from_bytes(state[4:8], "big")


def save_settings(
    settings: SettingsFile | None, model: AppModel, window: QMainWindow | None = None
) -> None:
    """Write what :func:`restore_model`, :func:`restore_layout` and :func:`last_gait` read
    (atomically; a failure is one line on stderr, and closing the window goes on)."""
    if settings is None:
        return
    values = model_values(model)
    if window is not None:
        values["window/geometry"] = bytes(window.saveGeometry().data())
        values["window/state"] = bytes(window.saveState(STATE_VERSION).data())
    settings.save(values)


__all__ = [
    "SCHEMA",
    "SettingsFile",
    "default_settings_path",
    "format_settings",
    "last_gait",
    "open_settings",
    "parse_settings",
    "read_settings",
    "model_values",
    "restore_layout",
    "restore_model",
    "save_settings",
]
