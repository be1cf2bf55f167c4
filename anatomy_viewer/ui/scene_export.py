"""File > Export 3-D scene…: the leg as the 3-D view shows it now, as a glTF 2.0 file.

The current pose, the muscles and bones shown, with the colours shown (activation, a
highlight), written by :mod:`anatomy_viewer.scene.gltf` (``.glb`` binary, or ``.gltf``):
Blender, PowerPoint, three.js and any glTF viewer open it. A file already there is replaced
only by a complete new one that was read back; a problem is shown in one line and nothing
is lost.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from anatomy_viewer.resources import load_toml
from anatomy_viewer.safe_output import printable

if TYPE_CHECKING:
    from anatomy_viewer.ui.main_window import MainWindow


def _texts() -> dict[str, str]:
    return load_toml("ui", "scene_export.toml")["scene"]


class SceneExport(QObject):
    """The File menu's "Export 3-D scene…" of ``window`` (placed above Quit)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._last_dir: str | None = None
        self.error_box: QMessageBox | None = None
        self.action = QAction("Export 3-D &scene\u2026", window)
        self.action.setObjectName("exportSceneAction")
        self.action.setToolTip("The leg as shown now, as a glTF 2.0 file (.glb or .gltf)")
        self.action.triggered.connect(lambda _=False: self.export_dialog())
        menu = window.file_menu
        actions = menu.actions()
        quit_at = next(
            (
                i
                for i, a in enumerate(actions)
                if a.shortcut().matches(QKeySequence(QKeySequence.StandardKey.Quit))
                == QKeySequence.SequenceMatch.ExactMatch
            ),
            len(actions),
        )
        before = quit_at - 1 if quit_at > 0 and actions[quit_at - 1].isSeparator() else quit_at
        menu.insertAction(actions[before] if before < len(actions) else None, self.action)

    def default_name(self) -> str:
        cycle = self.window.cycle
        stem = "leg" if cycle is None else (self.window.gait_name or "trial")
        return f"{stem}_{self.window.playback.percent:.0f}.glb"

    def export_dialog(self) -> Path | None:
        """Ask for a file name, then export (None if cancelled or it failed)."""
        if self.window.animation is None:
            return None
        t = _texts()
        start = str(Path(self._last_dir or Path.home()) / self.default_name())
        path, chosen = QFileDialog.getSaveFileName(self.window, t["title"], start, t["filter"])
        if not path:
            return None
        if Path(path).suffix.lower() not in (".glb", ".gltf"):
            path += ".gltf" if "gltf)" in chosen and "glb" not in chosen else ".glb"
        self._last_dir = str(Path(path).parent)
        return self.export(path)

    def export(self, path: str | Path) -> Path | None:
        """Write what the 3-D view shows now to ``path``; a problem is shown in a message box."""
        from anatomy_viewer.scene.gltf import scene_meshes, write_gltf

        window = self.window
        cycle = window.cycle
        extras = {
            "gait": None if cycle is None else cycle.label,
            "percent": round(float(window.playback.percent), 2),
        }
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            meshes = scene_meshes(window.scene)
            out = write_gltf(meshes, path, extras)
        except (OSError, ValueError) as exc:
            self._show_error(printable(str(exc)))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        kinds = [m.kind for m in meshes]
        window.statusBar().showMessage(
            _texts()["done"].format(
                path=printable(out),
                muscles=kinds.count("muscle"),
                bones=kinds.count("bone"),
                percent=window.playback.percent,
            ),
            8000,
        )
        return out

    def _show_error(self, text: str) -> None:
        box = QMessageBox(self.window)
        box.setObjectName("errorBox")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("Could not export the 3-D scene")
        box.setText(text)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.open()
        self.error_box = box
