"""The info bar above the 3-D view: what was opened, and a Details… button for the notes."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)


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
