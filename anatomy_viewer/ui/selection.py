"""The selected muscle, shared by every view that can select one (3-D view, panels, plots)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Selection(QObject):
    """Holds the selected muscle's model name (e.g. ``"vaslat_r"``) or None.

    Every widget that selects calls ``select``; every widget that shows the selection listens
    to ``changed``. Selecting the current muscle again emits nothing, so listeners may call
    ``select`` from their own slots without loops.
    """

    changed = Signal(object)  # str | None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name: str | None = None

    @property
    def name(self) -> str | None:
        return self._name

    def select(self, name: str | None) -> None:
        if name != self._name:
            self._name = name
            self.changed.emit(name)

    def clear(self) -> None:
        self.select(None)
