"""Clicking and hovering muscles in the 3-D view.

A click (press and release of the left button without dragging) on a muscle selects it through
the model's ``selection``; a click on empty space or on a bone clears the selection. A drag rotates
the camera (the interactor style does that) and selects nothing. Hovering shows the muscle's
name as a tooltip; hover picks are throttled and skipped while a button is held.

The pick runs against the muscle geometry the scene holds at the moment of the press, which
is what the viewport shows (while playing, the next frame replaces it at the next render), and
the press position decides the muscle: during playback the belly under the cursor at the
press is the one the user aimed at. In compare mode (``window.scenes``, several scenes in one
render window or in several viewports) the scene whose viewport is under the mouse is picked.
``scenes()`` gives the scenes drawn, left to right.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from anatomy_viewer.anatomy.catalogue import catalogue

if TYPE_CHECKING:
    from anatomy_viewer.app.selection import Selection
    from anatomy_viewer.scene.leg_scene import LegScene

#: Hover picks happen at most this often (milliseconds).
HOVER_INTERVAL_MS = 50
#: A press and release further apart than this (logical pixels) is a drag, not a click.
CLICK_SLOP_PX = 4


def muscle_label(name: str) -> str:
    """``"Vastus lateralis (right) - Quadriceps"`` for a model muscle name."""
    cat = catalogue()
    m = cat.muscle(name)
    return f"{m.label} \u2013 {cat.group(m.group).name}"


def to_vtk_display(widget: QWidget, pos: QPointF | QPoint) -> tuple[float, float]:
    """VTK display coordinates (device pixels, origin bottom-left) of a widget position,
    converted as ``QVTKRenderWindowInteractor`` converts its own mouse events."""
    ratio = widget.devicePixelRatioF()
    return float(pos.x()) * ratio, (widget.height() - float(pos.y()) - 1.0) * ratio


def to_widget_pos(widget: QWidget, display_xy: tuple[float, float]) -> QPoint:
    """The widget position (logical pixels, origin top-left) of VTK display coordinates."""
    ratio = widget.devicePixelRatioF()
    x, y = display_xy
    return QPoint(round(x / ratio), round(widget.height() - 1.0 - y / ratio))


class MusclePicker(QObject):
    """Event filter on the 3-D viewport(s): click selects, drag does not, hover names."""

    def __init__(
        self,
        selection: Selection,
        scenes: Callable[[], list[LegScene]],
        viewport: QWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.selection = selection
        self._scenes = scenes
        self._widgets: list[QWidget] = []
        self._press_pos: QPointF | None = None
        self._press_widget: QWidget | None = None
        self._press_pick: str | None = None
        self._dragged = False
        self._hover_widget: QWidget | None = None
        self._hover_pos = QPointF()
        self._hover_timer = QTimer(self)
        self._hover_timer.setSingleShot(True)
        self._hover_timer.timeout.connect(self._hover_pick)
        self._since_hover = QElapsedTimer()
        self.hovered: str | None = None  # muscle under the mouse at the last hover pick
        self.watch(viewport)

    # ------------------------------------------------------------------ set-up
    def watch(self, widget: QWidget) -> None:
        """Pick in ``widget`` too (a further VTK viewport, e.g. in compare mode)."""
        if widget not in self._widgets:
            self._widgets.append(widget)
            widget.installEventFilter(self)
            widget.setMouseTracking(True)
            widget.destroyed.connect(lambda *_, w=widget: self._forget(w))

    def _forget(self, widget: QWidget) -> None:
        if widget in self._widgets:
            self._widgets.remove(widget)

    # ------------------------------------------------------------------ picking
    def scene_at(self, widget: QWidget, pos: QPointF | QPoint) -> LegScene | None:
        """The scene drawn at ``pos`` of ``widget`` (a VTK viewport), or None."""
        get_window = getattr(widget, "GetRenderWindow", None)
        if get_window is None:
            return None
        render_window = get_window()
        x, y = to_vtk_display(widget, pos)
        w, h = render_window.GetSize()
        for scene in self._scenes():
            ren = scene.renderer
            if scene.window is not render_window or not ren.GetDraw():
                continue
            x0, y0, x1, y1 = ren.GetViewport()
            if x0 * w <= x < x1 * w and y0 * h <= y < y1 * h:
                return scene
        return None

    def muscle_at(self, widget: QWidget, pos: QPointF | QPoint) -> str | None:
        """Model name of the muscle drawn at ``pos`` of ``widget`` (None: nothing, a bone)."""
        if not widget.isVisible():
            return None
        scene = self.scene_at(widget, pos)
        if scene is None:
            return None
        index = scene.pick(*to_vtk_display(widget, pos))
        return None if index is None else scene.model.muscle_names[index]

    # ------------------------------------------------------------------ events
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self._on_press(obj, event)
        elif kind == QEvent.Type.MouseMove:
            self._on_move(obj, event)
        elif kind == QEvent.Type.MouseButtonRelease:
            self._on_release(obj, event)
        elif kind == QEvent.Type.Leave:
            self._hover_timer.stop()
            self._set_hovered(None, obj, None)
        return False  # the interactor still gets every event (camera rotation, zoom)

    def _on_press(self, widget: QWidget, event: QMouseEvent) -> None:
        self._hover_timer.stop()
        QToolTip.hideText()
        if event.button() != Qt.MouseButton.LeftButton:
            self._press_pos = None
            return
        self._press_pos = event.position()
        self._press_widget = widget
        self._dragged = False
        self._press_pick = self.muscle_at(widget, self._press_pos)

    def _on_move(self, widget: QWidget, event: QMouseEvent) -> None:
        if event.buttons() != Qt.MouseButton.NoButton:
            if self._press_pos is not None and not self._dragged:
                delta = event.position() - self._press_pos
                if max(abs(delta.x()), abs(delta.y())) > CLICK_SLOP_PX:
                    self._dragged = True
            return  # no hover picks while a button is held
        self._hover_widget = widget
        self._hover_pos = event.position()
        if not self._hover_timer.isActive():
            elapsed = self._since_hover.elapsed() if self._since_hover.isValid() else 10**9
            self._hover_timer.start(max(0, HOVER_INTERVAL_MS - elapsed))

    def _on_release(self, widget: QWidget, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press_pos is None:
            return
        delta = event.position() - self._press_pos
        moved = max(abs(delta.x()), abs(delta.y())) > CLICK_SLOP_PX
        is_click = widget is self._press_widget and not (self._dragged or moved)
        self._press_pos = None
        if is_click:
            self.selection.select(self._press_pick)

    def _hover_pick(self) -> None:
        widget = self._hover_widget
        if widget is None or QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            return
        self._since_hover.start()
        name = self.muscle_at(widget, self._hover_pos)
        self._set_hovered(name, widget, self._hover_pos)

    def _set_hovered(self, name: str | None, widget: QObject, pos: QPointF | None) -> None:
        changed = name != self.hovered
        self.hovered = name
        if not isinstance(widget, QWidget):
            return
        if name is None:
            if changed:
                QToolTip.hideText()
                widget.unsetCursor()
            return
        if pos is not None:
            # Re-shown at the cursor even when the name is unchanged, so the tip follows it.
            global_pos = widget.mapToGlobal(pos.toPoint())
            QToolTip.showText(global_pos + QPoint(14, 18), muscle_label(name), widget)
        if changed:
            widget.setCursor(Qt.CursorShape.PointingHandCursor)
