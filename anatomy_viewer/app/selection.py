"""The selected muscle, shared by every view that can select one."""

from __future__ import annotations

from psygnal import Signal


class Selection:
    """Holds the selected muscle's model name (e.g. ``"vaslat_r"``) or None.

    Every view that selects calls :meth:`select`; every view that shows the selection connects
    to ``changed``. Selecting the current muscle again emits nothing, so listeners may call
    ``select`` from their own callbacks without loops.
    """

    changed = Signal(object)  # str | None

    def __init__(self) -> None:
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
