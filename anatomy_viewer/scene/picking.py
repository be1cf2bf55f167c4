"""Which muscle is drawn at a pixel: a cell picker over the muscles and the opaque bones."""

from __future__ import annotations

from collections.abc import Sequence

from vtkmodules.vtkRenderingCore import vtkActor, vtkCellPicker, vtkCoordinate, vtkRenderer

#: Bones at least this opaque hide the muscles behind them from picking.
OPAQUE_BONES = 0.5


class Picker:
    """Picks in ``renderer``: muscles by cell, bones as blockers."""

    def __init__(self, renderer: vtkRenderer) -> None:
        self.renderer = renderer
        self._picker = vtkCellPicker()
        self._picker.SetTolerance(1e-6)
        self._picker.PickFromListOn()
        self._coordinate = vtkCoordinate()
        self._coordinate.SetCoordinateSystemToWorld()

    def pick(
        self,
        x: float,
        y: float,
        tables: Sequence[tuple[vtkActor, Sequence[int]]],
        bones: Sequence[vtkActor],
        bone_opacity: float,
    ) -> int | None:
        """Index of the muscle drawn at display position (x, y) (pixels, origin bottom-left),
        or None for empty space, a bone in front, or a faded muscle. ``tables``: each muscle
        actor with the muscle of each of its cells."""
        picker = self._picker
        picker.InitializePickList()
        for actor, _ in tables:
            if actor.GetVisibility():
                picker.AddPickList(actor)
        if bone_opacity >= OPAQUE_BONES:
            for actor in bones:
                if actor.GetVisibility():
                    picker.AddPickList(actor)
        if not picker.Pick(x, y, 0.0, self.renderer):
            return None
        hit = picker.GetActor()
        cell = picker.GetCellId()
        for actor, cell_muscle in tables:
            if hit is actor:
                return int(cell_muscle[cell]) if 0 <= cell < len(cell_muscle) else None
        return None

    def display_position(self, world_xyz: Sequence[float]) -> tuple[float, float]:
        """Display coordinates (pixels, origin bottom-left) of a world point."""
        self._coordinate.SetValue(*(float(v) for v in world_xyz))
        x, y = self._coordinate.GetComputedDoubleDisplayValue(self.renderer)
        return float(x), float(y)
