"""The dialogs of the File menu: activation columns to muscles, picture and video options,
and the Open dialog. They return what the user chose; :mod:`anatomy_viewer.ui.io_actions` acts
on it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from anatomy_viewer.gait.opensim_io import model_muscle_names
from anatomy_viewer.gait.trial import MappingRow, rows_to_mapping
from anatomy_viewer.resources import load_toml

if TYPE_CHECKING:
    from anatomy_viewer.gait.cycle import GaitCycle
    from anatomy_viewer.scene.export import VideoSettings

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


def io_texts(section: str) -> dict[str, str]:
    """The texts of the File menu's dialogs (resources/ui/io_actions.toml), by section."""
    return load_toml("ui", "io_actions.toml")[section]


class MappingDialog(QDialog):
    """Activation columns and the muscles they drive: the importer's matches and suggestions
    for the user to accept or edit; columns that match nothing are listed too."""

    def __init__(self, rows: Sequence[MappingRow], file_name: str, parent=None) -> None:
        super().__init__(parent)
        t = io_texts("mapping")
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
        t = io_texts("picture")
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
        t = io_texts("video")
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
    t = io_texts("open")
    dialog = QFileDialog(parent, t["title"], directory, t["filter"])
    dialog.setObjectName("openDialog")
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Open")
    dialog.setToolTip(t["hint"])
    return dialog


__all__ = [
    "CAMERAS",
    "PICTURE_SIZES",
    "VIDEO_SIZES",
    "MappingDialog",
    "PictureDialog",
    "PictureOptions",
    "VideoDialog",
    "io_texts",
    "make_open_dialog",
]
