"""The 3-D viewport: VTK's render window in a Qt widget, with the program's keys only.

VTK's interactor styles bind single keys to developer tools: ``w`` turns every surface into a
wireframe, ``3`` switches on red-blue stereo, ``e``/``q`` quit, ``p`` picks, ``f`` flies to a
point, ``r`` resets the camera, ``j``/``t`` switch the joystick style, ``s`` surfaces again.
None of them belongs in this program, and a stray key press left the view broken until the
program was restarted. :class:`LegViewport` keeps every key press away from VTK: the window's
own shortcuts (QActions, which Qt runs before a widget sees the key) are the only keys.
The mouse (rotate, pan, zoom) still goes to VTK.
"""

from __future__ import annotations

import vtkmodules.qt

vtkmodules.qt.PyQtImpl = "PySide6"

from PySide6.QtGui import QKeyEvent  # noqa: E402
from vtkmodules.qt.QVTKRenderWindowInteractor import QVTKRenderWindowInteractor  # noqa: E402
from vtkmodules.vtkInteractionStyle import vtkInteractorStyleTrackballCamera  # noqa: E402


class LegViewport(QVTKRenderWindowInteractor):
    """A VTK viewport whose key presses never reach VTK (they go to the window instead)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.GetRenderWindow().GetInteractor().SetInteractorStyle(
            vtkInteractorStyleTrackballCamera()
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        event.ignore()  # to the parent widgets; VTK's interactor never sees it

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        event.ignore()
