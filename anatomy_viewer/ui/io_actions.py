"""File menu of the main window: open recorded trials, save pictures, export videos and data.

``install_io_actions(window)`` adds to ``window.file_menu``: Open… (also drag and drop of files
onto the window), Save picture…, Export video… and Export cycle data…, and returns the
:class:`IOActions` that carries them out:

- Opening reads the files in a worker thread (the importers' progress callbacks feed a
  QProgressDialog with Cancel), asks the user to confirm how activation columns map to muscles
  when some are not named like the model's (:class:`MappingDialog`), poses the cycle in the
  worker too (a long whole trial takes about a second) on a LegModel of its own, then shows it
  with ``window.show_cycle``. What was recognised and the importers' notes appear in an info bar
  above the 3-D view. A bad file opens an error dialog naming file, line and problem; what was
  shown before stays shown.
- Pictures and videos are rendered offscreen by :mod:`anatomy_viewer.scene.export` with a scene
  that copies the window's camera and display state; video frames are rendered one per turn of
  the event loop, with a progress dialog and Cancel.

Dialogs are opened with ``open()`` (window-modal, not blocking) and kept as attributes
(``error_box``, ``mapping_dialog``, ``progress``) so that tests can inspect and close them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from anatomy_viewer.gait.opensim_io import OpenSimFileError, model_muscle_names
from anatomy_viewer.gait.trial import (
    MappingRow,
    Trial,
    mapping_rows,
    read_trial,
    remap_activations,
    rows_to_mapping,
    sort_files,
)
from anatomy_viewer.resources import load_toml
from anatomy_viewer.safe_output import printable

if TYPE_CHECKING:
    from anatomy_viewer.gait.animation import CycleAnimation
    from anatomy_viewer.gait.cycle import GaitCycle
    from anatomy_viewer.scene.export import VideoExport, VideoResult, VideoSettings
    from anatomy_viewer.ui.main_window import MainWindow

PICTURE_SIZES = ((1280, 720), (1920, 1080), (2560, 1440), (3840, 2160))
VIDEO_SIZES = ((640, 360), (1280, 720), (1920, 1080), (3840, 2160))
CAMERAS = (
    (None, "As in the window"),
    ("side", "Side (right)"),
    ("front", "Front"),
    ("back", "Back"),
    ("three_quarter", "Three-quarter"),
    ("left", "Left side"),
)
#: How long (ms) a load may run before its progress dialog appears.
PROGRESS_DELAY_MS = 400
#: How long (s) closing the window waits for a file being read to stop.
SHUTDOWN_WAIT_S = 2.0


def _texts(section: str) -> dict[str, str]:
    return load_toml("ui", "io_actions.toml")[section]


class Cancelled(Exception):
    """Raised inside a worker's progress callback when the user pressed Cancel."""


# ============================================================================ worker thread
class _Job(QObject):
    """Runs ``fn(progress)`` in a thread; results come back through queued signals."""

    progressed = Signal(object, float, str)  # (job, fraction or -1 for busy, what)
    succeeded = Signal(object, object)  # (job, result)
    failed = Signal(object, object)  # (job, exception)

    def __init__(
        self,
        fn: Callable[[Callable[[float, str], None]], object],
        on_done: Callable[[object], None],
    ) -> None:
        super().__init__()
        self._fn = fn
        self.on_done = on_done
        self.cancelled = False
        # Not a daemon: the program does not tear down (MuJoCo, numpy) under a worker still
        # running at exit, which crashed it; a cancelled worker stops at its next step.
        self.thread = threading.Thread(target=self._run, name="trial-loader", daemon=False)

    def start(self) -> None:
        self.thread.start()

    def _progress(self, fraction: float, what: str) -> None:
        if self.cancelled:
            raise Cancelled()
        self._emit(self.progressed, float(fraction), what)

    def _emit(self, signal, *args) -> None:
        """Emit from the worker; nothing happens once the window (and with it the receivers,
        or at exit this object) is gone: the result is no longer wanted."""
        try:
            signal.emit(self, *args)
        except RuntimeError:  # "Signal source has been deleted"
            self.cancelled = True

    def _run(self) -> None:
        try:
            result = self._fn(self._progress)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, shown there
            self._emit(self.failed, exc)
        else:
            if self.cancelled:
                self._emit(self.failed, Cancelled())
            else:
                self._emit(self.succeeded, result)


# ============================================================================ info bar
class InfoBar(QFrame):
    """A strip above the 3-D view: what was loaded, a Details… button for the notes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("infoBar")
        self.setAccessibleName("What was loaded and what the importer noted")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#infoBar { background: #2f3b4a; border: 1px solid #4d6480; border-radius: 3px; }"
            "#infoBar QLabel { color: #e8eef5; }"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 3, 4, 3)
        self.label = QLabel()
        self.label.setObjectName("infoBarText")
        self.label.setWordWrap(True)
        # long file names wrap instead of widening the window
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setMinimumWidth(120)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.label, 1)
        self.details_button = QPushButton("Details…")
        self.details_button.clicked.connect(self.show_details)
        row.addWidget(self.details_button)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Hide")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        row.addWidget(close)
        self.notes: list[str] = []
        self.details_box: QMessageBox | None = None
        self.hide()

    def show_message(self, text: str, notes: Sequence[str] = ()) -> None:
        self.notes = list(notes)
        n = len(self.notes)
        more = f"  ({n} note{'s' if n != 1 else ''}: Details…)" if n else ""
        self.label.setText(text + more)
        self.details_button.setVisible(bool(n))
        self.show()

    def show_details(self) -> None:
        box = QMessageBox(self.window())
        box.setObjectName("notesBox")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("What the importer noted")
        box.setText(self.label.text().split("  (")[0])
        box.setInformativeText("\n".join(f"• {n}" for n in self.notes))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.open()
        self.details_box = box


# ============================================================================ dialogs
class MappingDialog(QDialog):
    """Activation columns and the muscles they drive: the importer's matches and suggestions
    for the user to accept or edit; columns that match nothing are listed too."""

    def __init__(self, rows: Sequence[MappingRow], file_name: str, parent=None) -> None:
        super().__init__(parent)
        t = _texts("mapping")
        self.setObjectName("mappingDialog")
        self.setWindowTitle(f"Activation columns of {file_name}")
        self._known = set(model_muscle_names())
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{t['title']}</b>")
        intro = QLabel(t["intro"])
        intro.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(intro)
        self.table = QTableWidget(len(rows), 3)
        self.table.setObjectName("mappingTable")
        self.table.setHorizontalHeaderLabels(["Column in the file", "Model muscles", "Found by"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        how_text = {
            "name": "its name",
            "given": "your mapping",
            "suggested": "suggestion: please check",
            "unmatched": "no match: not shown",
        }
        for i, row in enumerate(rows):
            col = QTableWidgetItem(row.column)
            col.setFlags(col.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(i, 0, col)
            self.table.setItem(i, 1, QTableWidgetItem(", ".join(row.muscles)))
            how = QTableWidgetItem(how_text[row.how])
            how.setFlags(how.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(i, 2, how)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.error = QLabel()
        self.error.setObjectName("mappingError")
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Use this mapping")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Only the named columns")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, min(220 + 30 * len(rows), 640))

    def set_muscles(self, column: str, muscles: str) -> None:
        for i in range(self.table.rowCount()):
            if self.table.item(i, 0).text() == column:
                self.table.item(i, 1).setText(muscles)
                return
        raise KeyError(column)

    def rows(self) -> list[MappingRow]:
        """The rows as edited; raises ValueError naming muscles the model does not have."""
        out: list[MappingRow] = []
        bad: list[str] = []
        for i in range(self.table.rowCount()):
            column = self.table.item(i, 0).text()
            text = self.table.item(i, 1).text()
            muscles = tuple(m.strip() for m in text.replace(";", ",").split(",") if m.strip())
            bad += [f"{m} ({column})" for m in muscles if m not in self._known]
            out.append(MappingRow(column, muscles, "given" if muscles else "unmatched"))
        if bad:
            raise ValueError("not muscles of the model: " + ", ".join(bad))
        return out

    def mapping(self) -> dict[str, tuple[str, ...]]:
        return rows_to_mapping(self.rows())

    def accept(self) -> None:
        try:
            self.rows()
        except ValueError as exc:
            self.error.setText(f"{exc}. 'anatomy-viewer muscles' lists the model's muscles.")
            return
        super().accept()


def _size_label(size: tuple[int, int]) -> str:
    names = {(1280, 720): "HD", (1920, 1080): "Full HD", (2560, 1440): "QHD", (3840, 2160): "4K"}
    name = names.get(tuple(size))
    return f"{size[0]} × {size[1]}" + (f"  ({name})" if name else "")


class _SizeChooser(QWidget):
    """Preset sizes in a combo box, plus Custom with width and height boxes."""

    def __init__(self, presets: Sequence[tuple[int, int]], default: tuple[int, int]) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        sizes = list(dict.fromkeys([tuple(default), *presets]))
        for s in sizes:
            self.combo.addItem(_size_label(s), s)
        self.combo.addItem("Custom", None)
        self.width_box = QSpinBox()
        self.height_box = QSpinBox()
        for box, top, value in (
            (self.width_box, 3840, default[0]),
            (self.height_box, 2160, default[1]),
        ):
            box.setRange(16, top)
            box.setValue(value)
            box.setSuffix(" px")
        row.addWidget(self.combo, 1)
        row.addWidget(self.width_box)
        row.addWidget(QLabel("×"))
        row.addWidget(self.height_box)
        self.combo.currentIndexChanged.connect(self._on_combo)
        self._on_combo()

    def _on_combo(self) -> None:
        size = self.combo.currentData()
        custom = size is None
        self.width_box.setEnabled(custom)
        self.height_box.setEnabled(custom)
        if not custom:
            self.width_box.setValue(size[0])
            self.height_box.setValue(size[1])

    def set_size(self, size: tuple[int, int]) -> None:
        i = self.combo.findData(tuple(size))
        if i < 0:
            self.combo.setCurrentIndex(self.combo.count() - 1)
            self.width_box.setValue(size[0])
            self.height_box.setValue(size[1])
        else:
            self.combo.setCurrentIndex(i)

    def size_value(self) -> tuple[int, int]:
        return self.width_box.value(), self.height_box.value()


@dataclass(frozen=True)
class PictureOptions:
    size: tuple[int, int]
    transparent: bool = False
    caption: bool = False
    legend: bool = True


class PictureDialog(QDialog):
    """Size, transparent background, caption and legend of a picture."""

    def __init__(self, viewport_size: tuple[int, int], legend: bool, parent=None) -> None:
        super().__init__(parent)
        t = _texts("picture")
        self.setObjectName("pictureDialog")
        self.setWindowTitle(t["title"])
        layout = QVBoxLayout(self)
        hint = QLabel(t["hint"])
        hint.setWordWrap(True)
        layout.addWidget(hint)
        form = QFormLayout()
        self.size_chooser = _SizeChooser(PICTURE_SIZES, viewport_size)
        self.size_chooser.combo.setItemText(0, _size_label(viewport_size) + "  (as the view)")
        form.addRow("Size:", self.size_chooser)
        self.transparent = QCheckBox("Transparent background (no floor)")
        self.caption = QCheckBox("Caption: gait, percent and phase of each leg")
        self.legend = QCheckBox("Colour legend")
        self.legend.setChecked(legend)
        for box in (self.transparent, self.caption, self.legend):
            form.addRow("", box)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def options(self) -> PictureOptions:
        return PictureOptions(
            self.size_chooser.size_value(),
            self.transparent.isChecked(),
            self.caption.isChecked(),
            self.legend.isChecked(),
        )


class VideoDialog(QDialog):
    """Cycles, frame rate, size, camera, overlays and format of a video."""

    def __init__(self, cycle: GaitCycle, parent=None) -> None:
        super().__init__(parent)
        t = _texts("video")
        self.setObjectName("videoDialog")
        self.setWindowTitle(t["title"])
        self._stride = cycle.stride_time
        layout = QVBoxLayout(self)
        hint = QLabel(t["hint"])
        hint.setWordWrap(True)
        layout.addWidget(hint)
        form = QFormLayout()
        self.format = QComboBox()
        self.format.addItem("MP4 video (H.264)", ".mp4")
        self.format.addItem("GIF animation (loops)", ".gif")
        form.addRow("Format:", self.format)
        from anatomy_viewer.scene.export import default_cycles

        self.cycles = QDoubleSpinBox()
        self.cycles.setRange(0.5, 100.0)
        self.cycles.setSingleStep(0.5)
        self.cycles.setDecimals(1)
        self.cycles.setValue(default_cycles(cycle.stride_time))  # at least 5 s of video
        what = "Cycles:" if cycle.periodic else "Times through the trial:"
        form.addRow(what, self.cycles)
        self.fps = QSpinBox()
        self.fps.setRange(1, 120)
        self.fps.setValue(30)
        self.fps.setSuffix(" frames/s")
        form.addRow("Frame rate:", self.fps)
        self.size_chooser = _SizeChooser(VIDEO_SIZES, (1280, 720))
        form.addRow("Size:", self.size_chooser)
        self.camera = QComboBox()
        for key, label in CAMERAS:
            self.camera.addItem(label, key)
        form.addRow("Camera:", self.camera)
        self.caption = QCheckBox("Caption: gait, percent and phase of each leg")
        self.caption.setChecked(True)
        self.legend = QCheckBox("Colour legend")
        self.legend.setChecked(True)
        form.addRow("Overlays:", self.caption)
        form.addRow("", self.legend)
        self.summary = QLabel()
        self.summary.setObjectName("videoSummary")
        form.addRow("", self.summary)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.export_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        for signal in (
            self.cycles.valueChanged,
            self.fps.valueChanged,
            self.format.currentIndexChanged,
        ):
            signal.connect(self._update_summary)
        self._update_summary()
        self.setMinimumWidth(520)

    def _update_summary(self) -> None:
        """Frames and length of the video; a video too long to make (or a GIF frame rate
        players cannot keep) is said here and cannot be exported."""
        from anatomy_viewer.scene.export import check_frame_count, frame_count

        fps = self.fps.value()
        n = frame_count(self._stride, fps, self.cycles.value())
        try:
            check_frame_count(n, fps, self.suffix)
        except ValueError as exc:
            self.summary.setText(str(exc)[:1].upper() + str(exc)[1:] + ".")
            self.summary.setStyleSheet("color: #c0392b;")
            self.summary.setWordWrap(True)
            self.export_button.setEnabled(False)
            return
        self.summary.setStyleSheet("")
        self.summary.setText(f"{n} frames, {n / fps:.2f} s of video")
        self.export_button.setEnabled(True)

    @property
    def suffix(self) -> str:
        return self.format.currentData()

    def settings(self) -> VideoSettings:
        from anatomy_viewer.scene.export import VideoSettings

        return VideoSettings(
            fps=float(self.fps.value()),
            cycles=float(self.cycles.value()),
            size=self.size_chooser.size_value(),
            view=self.camera.currentData(),
            caption=self.caption.isChecked(),
            legend=self.legend.isChecked(),
        )


def make_open_dialog(parent: QWidget, directory: str = "") -> QFileDialog:
    """The File > Open dialog: several files at once, tables of any of the three kinds."""
    t = _texts("open")
    dialog = QFileDialog(parent, t["title"], directory, t["filter"])
    dialog.setObjectName("openDialog")
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Open")
    dialog.setToolTip(t["hint"])
    return dialog


# ============================================================================ the actions
class IOActions(QObject):
    """Open, Save picture, Export video and Export cycle data for one main window."""

    trialShown = Signal(object)  # the GaitCycle now shown
    loadFailed = Signal(str)  # the message shown in the error dialog
    videoFinished = Signal(object)  # VideoResult, or None when cancelled or failed

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.trial: Trial | None = None
        self.error_box: QMessageBox | None = None
        self.mapping_dialog: MappingDialog | None = None
        self.join_question: QMessageBox | None = None
        self.progress: QProgressDialog | None = None
        self.progress_bar: QProgressBar | None = None
        self.video_job: VideoExport | None = None
        self._job: _Job | None = None
        self._video_timer: QTimer | None = None
        self._worker_model = None
        self._model_lock = threading.Lock()
        self._closed = False
        self._last_dir = ""
        self._resume_playback = False

        self.open_action = self._action(
            "&Open trial…", self.open_dialog, QKeySequence.StandardKey.Open
        )
        self.picture_action = self._action(
            "Save &picture…", self.save_picture_dialog, "Ctrl+Shift+P"
        )
        self.video_action = self._action("Export &video…", self.export_video_dialog, "Ctrl+Shift+V")
        self.data_action = self._action(
            "Export cycle &data…", self.export_data_dialog, "Ctrl+Shift+D"
        )
        menu = window.file_menu
        first = menu.actions()[0] if menu.actions() else None  # Quit stays last
        entries = (self.open_action, None, self.picture_action, self.video_action)
        for act in (*entries, self.data_action, None):
            if act is None:
                menu.insertSeparator(first)
            else:
                menu.insertAction(first, act)

        self.info_bar = InfoBar()
        central = window.centralWidget()
        layout = central.layout() if central is not None else None
        if layout is not None:
            layout.insertWidget(0, self.info_bar)

        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def _action(self, text: str, slot, shortcut) -> QAction:
        act = QAction(text, self.window)
        act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(lambda _=False: slot())
        return act

    # ------------------------------------------------------------------ window events
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if obj is self.window:
            kind = event.type()
            if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
                if self._dropped_paths(event):
                    event.acceptProposedAction()
                    return True
            elif kind == QEvent.Type.Drop:
                paths = self._dropped_paths(event)
                if paths:
                    event.acceptProposedAction()
                    self.open_files(paths)
                    return True
            elif kind == QEvent.Type.Close:
                self._shutdown()
        return False

    @staticmethod
    def _dropped_paths(event) -> list[str]:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return []
        return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]

    def _shutdown(self) -> None:
        self._closed = True
        if self._job is not None:
            self._job.cancelled = True
            # give the worker a moment to stop at its next progress call, rather than
            # leave it running while the program exits
            self._job.thread.join(timeout=SHUTDOWN_WAIT_S)
        if self.video_job is not None:
            self._stop_video(cancelled=True)
        self._close_progress()

    # ------------------------------------------------------------------ messages
    def _show_error(self, title: str, text: str) -> None:
        box = QMessageBox(self.window)
        box.setObjectName("errorBox")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(title)
        box.setText(text)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.open()
        self.error_box = box

    def _status(self, text: str, ms: int = 8000) -> None:
        self.window.statusBar().showMessage(text, ms)

    def _open_progress(
        self, title: str, maximum: int, cancel: Callable[[], None]
    ) -> QProgressDialog:
        """A window-modal progress dialog that appears if the work lasts PROGRESS_DELAY_MS.

        Progress is written to its bar directly (:meth:`_set_progress`): the dialog's own
        ``setValue`` runs the event loop from inside the caller when modal, which would let a
        finishing job close the dialog under our feet."""
        self._close_progress()
        dlg = QProgressDialog(title, "Cancel", 0, maximum, self.window)
        dlg.setObjectName("progressDialog")
        dlg.setWindowTitle(title)
        self.progress_bar = QProgressBar(dlg)
        self.progress_bar.setRange(0, maximum)
        dlg.setBar(self.progress_bar)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(PROGRESS_DELAY_MS)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.canceled.connect(cancel)
        dlg.setValue(0)  # not shown yet: starts the timer that shows it after the delay
        self.progress = dlg
        return dlg

    def _set_progress(self, value: int, maximum: int | None = None, text: str | None = None):
        bar = self.progress_bar
        if self.progress is None or bar is None:
            return
        if text is not None:
            self.progress.setLabelText(text)
        if maximum is not None and bar.maximum() != maximum:
            bar.setRange(0, maximum)
        bar.setValue(value)

    def _close_progress(self) -> None:
        dlg, self.progress, self.progress_bar = self.progress, None, None
        if dlg is not None:
            dlg.canceled.disconnect()
            # cancel() also stops the timer that shows the dialog after PROGRESS_DELAY_MS:
            # on a busy machine it could fire after hide() and show the dialog again, and a
            # dialog left showing keeps the program from quitting when the window closes.
            dlg.cancel()
            dlg.hide()
            dlg.deleteLater()

    # ------------------------------------------------------------------ opening
    @property
    def busy(self) -> bool:
        """True while a trial is being read or posed, or a video exported."""
        return (
            self._job is not None
            or self.mapping_dialog is not None
            or self.join_question is not None
            or self.video_job is not None
        )

    def open_dialog(self) -> None:
        dialog = make_open_dialog(self.window, self._last_dir)
        if dialog.exec() and dialog.selectedFiles():
            self.open_files(dialog.selectedFiles())

    def open_files(self, paths: Sequence[str | Path]) -> bool:
        """Read, map, pose and show the trial in ``paths`` (any order, kinds guessed).

        Runs in the background; ``trialShown`` or ``loadFailed`` tell the outcome. Activations
        or forces opened without a motion join the trial shown. Returns False if busy.
        """
        if self.busy or self._closed:
            self._status("Still busy with the previous file; try again when it is done.")
            return False
        paths = [Path(p) for p in paths]
        self._last_dir = str(paths[0].parent) if paths else self._last_dir
        previous = self.trial

        def work(progress):
            files = sort_files(paths)
            mapping = None
            if files.motion is None and previous is not None:
                files = files.merged_into(previous.files)
                if files.activations == previous.files.activations:
                    mapping = previous.mapping
            return read_trial(files, mapping=mapping, progress=progress)

        names = ", ".join(p.name for p in paths)
        self._run(work, f"Opening {names}", self._after_read)
        return True

    def show_trial(self, trial: Trial) -> None:
        """Show a trial read elsewhere (``anatomy-viewer open``): confirm its mapping if
        needed, pose it in the background, show it."""
        self._after_read(trial)

    def builtin_gait_shown(self) -> None:
        """The window went back to a built-in gait: the "Opened …" bar no longer describes
        what is shown, so it goes (with its notes box), and files opened alone no longer
        join the trial shown before."""
        self.trial = None
        self.info_bar.hide()
        if self.info_bar.details_box is not None:
            self.info_bar.details_box.close()

    def _pause_playback(self) -> None:
        """Playback pauses while a trial loads: rendering competes with the worker for the
        CPU and the interpreter (a long trial loads about four times faster)."""
        if self.window.playback.playing:
            self._resume_playback = True
            self.window.playback.pause()

    def _loading_ended(self) -> None:
        if self._resume_playback and not self._closed:
            self.window.playback.play()
        self._resume_playback = False

    def _run(self, fn, title: str, on_done: Callable[[object], None]) -> None:
        self._pause_playback()
        job = _Job(fn, on_done)
        self._job = job
        dlg = self._open_progress(title, 1000, self._cancel_job)
        # bound methods of this QObject (GUI thread): the worker's signals arrive queued
        job.progressed.connect(self._on_job_progress)
        job.succeeded.connect(self._job_done)
        job.failed.connect(self._job_failed)
        dlg.setLabelText(title)
        job.start()

    def _cancel_job(self) -> None:
        """Cancel ends the job at once: the worker is told to stop and its result, should it
        still come (a read the operating system is finishing), is ignored; what was shown
        before stays, and the next file can be opened straight away."""
        job, self._job = self._job, None
        if job is None:
            return
        job.cancelled = True
        self._close_progress()
        if self._closed:
            return
        self._loading_ended()
        self._status("Opening cancelled: what was shown before is still shown.")

    def _on_job_progress(self, job: _Job, fraction: float, what: str) -> None:
        if job is not self._job:
            return
        if fraction < 0:  # no measure of progress: a busy indicator
            self._set_progress(0, 0, what)
        else:
            self._set_progress(int(fraction * 1000), 1000, what)

    def _job_done(self, job: _Job, result) -> None:
        if job is not self._job:
            return
        self._job = None
        self._close_progress()
        if not self._closed:
            job.on_done(result)

    def _job_failed(self, job: _Job, exc: BaseException) -> None:
        if job is not self._job:
            return
        self._job = None
        self._close_progress()
        if self._closed:
            return
        self._loading_ended()
        if isinstance(exc, Cancelled):
            self._status("Opening cancelled: what was shown before is still shown.")
            return
        if isinstance(exc, OpenSimFileError):
            title = f"Could not open {exc.path.name}"
            text = str(exc)
        else:
            title = "Could not open the files"
            text = f"{type(exc).__name__}: {exc}" if not isinstance(exc, ValueError) else str(exc)
        self._show_error(title, text + "\n\nWhat was shown before is still shown.")
        self.loadFailed.emit(text)

    def _after_read(self, trial: Trial) -> None:
        if trial.files.joined:
            self._ask_to_join(trial)
        else:
            self._map_and_pose(trial)

    def _ask_to_join(self, trial: Trial) -> None:
        """Files without joint angles were read with the motion shown: they may come from
        another trial (the stride would be cut at the wrong times), so the user says."""
        given = [p for p in (trial.files.activations, trial.files.grf) if p is not None]
        motion = trial.files.motion.name if trial.files.motion is not None else "?"
        names = " and ".join(printable(p.name) for p in given) or "These files"
        box = QMessageBox(self.window)
        box.setObjectName("joinQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Use with the motion shown?")
        box.setText(
            f"{names} {'hold' if len(given) > 1 else 'holds'} no joint angles. Use "
            f"{'them' if len(given) > 1 else 'it'} with the motion shown, {printable(motion)}?"
        )
        box.setInformativeText(
            "Only if they were recorded in the same trial: their times must match the "
            "motion's. To show another trial, open its motion with them."
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        self.join_question = box

        def finished(_code: int) -> None:
            self.join_question = None
            yes = box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
            box.deleteLater()
            if self._closed:
                return
            if yes:
                self._map_and_pose(trial)
            else:
                self._loading_ended()
                self._status(f"{names} not opened: what was shown before is still shown.")
                self.loadFailed.emit("not joined to the motion shown")

        box.finished.connect(finished)
        box.open()

    def _map_and_pose(self, trial: Trial) -> None:
        if trial.needs_mapping and trial.activations is not None:
            rows = mapping_rows(trial.activations)
            dialog = MappingDialog(rows, trial.activations.path.name, self.window)
            self.mapping_dialog = dialog
            dialog.finished.connect(lambda code: self._mapping_finished(trial, dialog, code))
            dialog.open()
        else:
            self._pose(trial)

    def _mapping_finished(self, trial: Trial, dialog: MappingDialog, code: int) -> None:
        self.mapping_dialog = None
        dialog.deleteLater()
        if self._closed:
            return
        if code != QDialog.DialogCode.Accepted:
            self._pose(trial)  # only the columns named like the model's muscles
            return
        mapping = dialog.mapping()

        def work(progress):
            return remap_activations(trial, mapping, progress=progress)

        self._run(work, f"Reading {trial.activations.path.name}", self._pose)

    def _model_for_posing(self):
        """A LegModel for the worker threads, apart from the window's (MuJoCo data is not to
        be shared between threads); hold ``_model_lock`` while using it (a cancelled job may
        still be posing when the next one starts)."""
        if self._worker_model is None:
            from anatomy_viewer.anatomy import LegModel

            self._worker_model = LegModel()
        return self._worker_model

    def _pose(self, trial: Trial) -> None:
        def work(progress):
            from anatomy_viewer.gait.animation import CycleAnimation

            progress(0.0, "Cutting the stride…")
            cycle = trial.to_cycle()
            progress(-1.0, f"Posing the leg for {cycle.n_samples} frames…")
            with self._model_lock:
                animation = CycleAnimation(cycle, self._model_for_posing())
            progress(1.0, "Done.")
            return trial, animation

        self._run(work, "Preparing the trial", self._show_posed)

    def _show_posed(self, result: tuple[Trial, CycleAnimation]) -> None:
        trial, animation = result
        cycle = animation.cycle
        self.window.show_cycle(cycle, animation=animation)
        self.trial = trial
        span = (
            f"first right stride, {cycle.stride_time:.2f} s"
            if cycle.periodic
            else f"the whole trial in time, {cycle.stride_time:.3g} s"
        )
        self.info_bar.show_message(f"Opened {trial.files.summary()}: {span}.", cycle.notes)
        self._loading_ended()
        self.trialShown.emit(cycle)

    # ------------------------------------------------------------------ pictures
    def _viewport_size(self) -> tuple[int, int]:
        vp = self.window.viewport
        ratio = vp.devicePixelRatioF()
        w, h = round(vp.width() * ratio), round(vp.height() * ratio)
        return max(16, min(w, 3840)), max(16, min(h, 2160))

    def _save_name(self, title: str, filters: str, suffix: str, default: str) -> str | None:
        start = str(Path(self._last_dir or Path.home()) / default)
        path, _ = QFileDialog.getSaveFileName(self.window, title, start, filters)
        if not path:
            return None
        if not path.lower().endswith(suffix):
            path += suffix
        self._last_dir = str(Path(path).parent)
        return path

    def save_picture_dialog(self) -> None:
        if self.window.animation is None:
            return
        dialog = PictureDialog(self._viewport_size(), self.window.scene.legend_visible, self.window)
        if not dialog.exec():
            return
        options = dialog.options()
        t = _texts("picture")
        path = self._save_name(t["title"], t["filter"], ".png", f"{self._stem()}.png")
        if path:
            self.save_picture(path, options)

    def save_picture(self, path: str | Path, options: PictureOptions | None = None) -> Path | None:
        """Render the frame shown, as the window shows it, to a PNG (see PictureOptions)."""
        from anatomy_viewer.scene.export import render_picture

        options = options or PictureOptions(self._viewport_size())
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            out = render_picture(
                self.window.animation,
                self.window.playback.percent,
                path,
                options.size,
                like=self.window.scene,
                transparent_background=options.transparent,
                caption=options.caption or None,  # unticked: the window's own caption, if any
                legend=options.legend,
            )
        except (OSError, ValueError) as exc:
            self._show_error("Could not save the picture", _problem(path, exc))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self._status(f"Saved {printable(out)} ({options.size[0]} × {options.size[1]})")
        return out

    def _stem(self) -> str:
        cycle = self.window.cycle
        return "leg" if cycle is None else cycle.name.replace(" ", "_")

    # ------------------------------------------------------------------ video
    def export_video_dialog(self) -> None:
        if self.window.animation is None or self.busy:
            return
        dialog = VideoDialog(self.window.cycle, self.window)
        if not dialog.exec():
            return
        t = _texts("video")
        filters = t["filter_mp4"] if dialog.suffix == ".mp4" else t["filter_gif"]
        path = self._save_name(t["title"], filters, dialog.suffix, f"{self._stem()}{dialog.suffix}")
        if path:
            self.export_video(path, dialog.settings())

    def export_video(self, path: str | Path, settings: VideoSettings) -> bool:
        """Start writing a video of the cycle shown; frames are rendered one per event-loop
        turn. ``videoFinished`` carries the VideoResult (None if cancelled or failed).

        The video goes to a temporary file and replaces a file at ``path`` only once it is
        complete and reads back; a cancel or a failure (shown in a dialog) leaves that file
        as it was. A destination that cannot be written is refused before rendering."""
        from anatomy_viewer.scene.export import VideoExport

        if self.window.animation is None or self.busy:
            return False
        try:
            job = VideoExport(self.window.animation, path, settings, like=self.window.scene)
        except (OSError, ValueError) as exc:
            self._show_error("Could not export the video", _problem(path, exc))
            return False
        self.video_job = job
        name = printable(job.path.name)
        dlg = self._open_progress(f"Exporting {name}", job.n_frames, self.cancel_video)
        dlg.setLabelText(f"Rendering {job.n_frames} frames of {name}")
        self._video_timer = QTimer(self)
        self._video_timer.setInterval(0)
        self._video_timer.timeout.connect(self._video_step)
        self._video_timer.start()
        return True

    def cancel_video(self) -> None:
        job = self.video_job
        if job is not None:
            self._stop_video(cancelled=True)
            name = printable(job.path.name)
            kept = "was left as it was" if job.path.exists() else "was not written"
            self._status(f"Video export cancelled: {name} {kept}.")
            self.videoFinished.emit(None)

    def _stop_video(self, cancelled: bool) -> None:
        """End the export job: always closes the progress dialog, also if stopping fails."""
        try:
            if self._video_timer is not None:
                self._video_timer.stop()
                self._video_timer.deleteLater()
                self._video_timer = None
            job, self.video_job = self.video_job, None
            if job is not None and cancelled:
                job.abort()  # the temporary file goes; a file already there stays
        finally:
            self.video_job = None
            self._close_progress()

    def _video_step(self) -> None:
        job = self.video_job
        if job is None:
            return
        try:
            more = job.write_next()
            self._set_progress(job.index)
            if more:
                return
            self._set_progress(job.index, text=f"Writing {printable(job.path.name)}…")
            result: VideoResult = job.finish()
        except Exception as exc:  # noqa: BLE001 - encoder or disk trouble, shown to the user
            self._stop_video(cancelled=True)
            kept = " It was left as it was." if job.path.exists() else ""
            self._show_error("Could not export the video", _problem(job.path, exc) + kept)
            self.videoFinished.emit(None)
            return
        self._stop_video(cancelled=False)
        self._status(
            f"Saved {printable(result.path)} ({result.frames} frames, {result.size[0]} × "
            f"{result.size[1]}, {result.fps:g} frames/s, {result.seconds:.2f} s)"
        )
        self.videoFinished.emit(result)

    # ------------------------------------------------------------------ data
    def export_data_dialog(self) -> None:
        if self.window.animation is None:
            return
        t = _texts("data")
        path = self._save_name(t["title"], t["filter"], ".csv", f"{self._stem()}.csv")
        if path:
            self.export_cycle_data(path)

    def export_cycle_data(self, path: str | Path) -> Path | None:
        """The cycle shown as CSV: the columns of ``anatomy-viewer cycle``, modes included."""
        from anatomy_viewer.gait.export import write_cycle_csv

        anim = self.window.animation
        if anim is None:
            return None
        try:
            write_cycle_csv(anim.cycle, path, modes=anim.modes)
        except OSError as exc:
            self._show_error("Could not export the cycle data", _problem(path, exc))
            return None
        self._status(f"Saved {printable(path)} (101 rows: 0..100 % of {anim.cycle.label})")
        return Path(path)


def _problem(path: str | Path, exc: BaseException) -> str:
    """An error for a dialog: an OutputError names the file itself; other errors get it."""
    from anatomy_viewer.safe_output import OutputError

    if isinstance(exc, OutputError):
        return str(exc)
    return printable(f"{Path(path).name}: {exc}")


def install_io_actions(window: MainWindow) -> IOActions:
    """Add Open…, Save picture…, Export video… and Export cycle data… to ``window``'s File
    menu, drag and drop of files onto it, and an info bar above the 3-D view."""
    return IOActions(window)


def run_with_trial(trial: Trial) -> int:
    """Start the application with the main window showing ``trial`` (``anatomy-viewer open``)."""
    from anatomy_viewer.ui.app import application
    from anatomy_viewer.ui.main_window import MainWindow

    app = application()
    window = MainWindow()
    window.show()
    io = getattr(window, "io_actions", None) or install_io_actions(window)
    io.show_trial(trial)
    return app.exec()


__all__ = [
    "IOActions",
    "InfoBar",
    "MappingDialog",
    "PictureDialog",
    "PictureOptions",
    "VideoDialog",
    "install_io_actions",
    "make_open_dialog",
    "run_with_trial",
]
