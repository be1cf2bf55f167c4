"""The 3-D viewport: VTK's render window in a Qt widget, with the program's keys only.

VTK's interactor styles bind single keys to developer tools: ``w`` turns every surface into a
wireframe, ``3`` switches on red-blue stereo, ``e``/``q`` quit, ``p`` picks, ``f`` flies to a
point, ``r`` resets the camera, ``j``/``t`` switch the joystick style, ``s`` surfaces again.
None of them belongs in this program, and a stray key press left the view broken until the
program was restarted. :class:`LegViewport` keeps every key press away from VTK: the window's
own shortcuts (QActions, which Qt runs before a widget sees the key) are the only keys.
The mouse (rotate, pan, zoom) still goes to VTK.

A click (press and release without moving) does not make VTK's interactor render the view
again when the button is released: the camera did not move, and whatever the click changes
(a selection) asks for its own render. On software OpenGL that halves the time from a click
to the selected muscle's outline.
"""

from __future__ import annotations

import vtkmodules.qt

vtkmodules.qt.PyQtImpl = "PySide6"

from PySide6.QtCore import QPointF, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent, QMouseEvent  # noqa: E402
from vtkmodules.qt.QVTKRenderWindowInteractor import QVTKRenderWindowInteractor  # noqa: E402
from vtkmodules.vtkInteractionStyle import vtkInteractorStyleTrackballCamera  # noqa: E402


class LegViewport(QVTKRenderWindowInteractor):
    """A VTK viewport whose key presses never reach VTK (they go to the window instead)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.GetRenderWindow().GetInteractor().SetInteractorStyle(
            vtkInteractorStyleTrackballCamera()
        )

    _press: QPointF | None = None
    _moved = False

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        self._press = event.position()
        self._moved = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if self._press is not None and event.buttons() != Qt.MouseButton.NoButton:
            self._moved = self._moved or event.position() != self._press
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        interactor = self.GetRenderWindow().GetInteractor()
        click = self._press is not None and not self._moved
        self._press = None
        if not click:
            super().mouseReleaseEvent(event)
            return
        interactor.EnableRenderOff()  # the camera did not move: nothing to draw again
        try:
            super().mouseReleaseEvent(event)
        finally:
            interactor.EnableRenderOn()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        event.ignore()  # to the parent widgets; VTK's interactor never sees it

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        event.ignore()
