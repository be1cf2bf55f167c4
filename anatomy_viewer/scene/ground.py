"""The floor: a disc at z = 0 with a soft contact shadow and faint 10 cm grid lines.

Both are opaque (translucency costs a full-screen pass on software OpenGL): their colours fade
into the background gradient at the pixels they cover, recomputed whenever the camera or the
window changes (:meth:`Ground.update_colours`, called before each render).
"""

from __future__ import annotations

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk, numpy_to_vtkIdTypeArray, vtk_to_numpy
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper, vtkRenderer

from anatomy_viewer.scene.vtk_util import rgb_array, vtk_triangles

FLOOR_RGB = np.array([0.50, 0.53, 0.58])
GRID_RGB = np.array([0.80, 0.82, 0.86])
FLOOR_OPACITY = 0.55
GRID_OPACITY = 0.28
GROUND_RADIUS = 0.9


class Ground:
    """The floor disc and its grid in ``renderer``."""

    def __init__(self, renderer: vtkRenderer) -> None:
        self.renderer = renderer
        radius, rings, segs = GROUND_RADIUS, 24, 72
        rr = np.linspace(0.0, 1.0, rings + 1)[1:] ** 1.3 * radius
        th = np.linspace(0.0, 2 * np.pi, segs, endpoint=False)
        ring_xy = rr[:, None, None] * np.stack([np.cos(th), np.sin(th)], -1)[None]
        xy = np.concatenate([[[0.0, 0.0]], ring_xy.reshape(-1, 2)])
        j = np.arange(segs)
        j1 = (j + 1) % segs
        tris = [np.stack([np.zeros(segs, int), 1 + j, 1 + j1], 1)]
        for r in range(rings - 1):
            a, b = 1 + r * segs, 1 + (r + 1) * segs
            tris.append(np.stack([a + j, b + j, b + j1], 1))
            tris.append(np.stack([a + j, b + j1, a + j1], 1))
        disc_pts = np.column_stack([xy, np.zeros(len(xy))])

        # Grid lines every 10 cm inside the disc, 1 mm above it.
        step, lim = 0.1, 0.8 * radius
        line_pts, lines = [], []
        for axis in (0, 1):
            for v in np.arange(-lim + step, lim - 1e-9, step):
                half = np.sqrt(max(lim * lim - v * v, 0.0))
                seg = np.zeros((17, 3))
                seg[:, axis] = v
                seg[:, 1 - axis] = np.linspace(-half, half, 17)
                lines.append(np.arange(len(line_pts) * 17, (len(line_pts) + 1) * 17))
                line_pts.append(seg)
        grid_pts = np.concatenate(line_pts)
        grid_pts[:, 2] = 0.001

        self._ground_parts = []
        for kind, pts in (("disc", disc_pts), ("grid", grid_pts)):
            poly = vtkPolyData()
            vp = vtkPoints()
            vp.SetData(numpy_to_vtk(pts.astype(np.float32), deep=True))
            poly.SetPoints(vp)
            if kind == "disc":
                poly.SetPolys(vtk_triangles(np.concatenate(tris)))
            else:
                cells = vtkCellArray()
                offsets = np.arange(0, len(grid_pts) + 1, 17, dtype=np.int64)
                cells.SetData(
                    numpy_to_vtkIdTypeArray(offsets, deep=True),
                    numpy_to_vtkIdTypeArray(np.arange(len(grid_pts), dtype=np.int64), deep=True),
                )
                poly.SetLines(cells)
            colours = rgb_array(len(pts))
            poly.GetPointData().SetScalars(colours)
            mapper = vtkPolyDataMapper()
            mapper.SetInputData(poly)
            mapper.SetColorModeToDirectScalars()
            actor = vtkActor()
            actor.SetMapper(mapper)
            actor.GetProperty().LightingOff()
            actor.PickableOff()
            self.renderer.AddActor(actor)
            d = np.linalg.norm(pts[:, :2], axis=1)
            # How much of the floor shows over the background, fading out towards the rim.
            floor = np.clip(1.0 - d / radius, 0.0, 1.0) ** 1.5
            shadow = np.exp(-1.6 * np.linalg.norm(pts[:, :2] / [0.2, 0.45], axis=1) ** 2)
            tone = FLOOR_RGB[None, :] * (1.0 - 0.45 * shadow[:, None])
            line = np.clip(1.0 - d / lim, 0.0, 1.0) ** 1.2 if kind == "grid" else None
            self._ground_parts.append(
                (actor, poly, pts, vtk_to_numpy(colours), floor * FLOOR_OPACITY, tone, line)
            )
        self._ground, self._grid = (part[0] for part in self._ground_parts)
        self._ground_key = None

    def set_visible(self, visible: bool) -> None:
        self._ground.SetVisibility(bool(visible))
        self._grid.SetVisibility(bool(visible))

    @property
    def visible(self) -> bool:
        return bool(self._ground.GetVisibility())

    def _background_at(self, t: np.ndarray) -> np.ndarray:
        """Background colour (k, 3) at normalised viewport heights ``t`` (0 bottom, 1 top)."""
        ren = self.renderer
        bottom = np.array(ren.GetBackground())
        if not ren.GetGradientBackground():
            return np.broadcast_to(bottom, (len(t), 3))
        top = np.array(ren.GetBackground2())
        return bottom + np.clip(t, 0.0, 1.0)[:, None] * (top - bottom)

    def update_colours(self, aspect: float) -> None:
        """Fade the floor into the background at the pixels it covers (when the view changed)."""
        ren = self.renderer
        cam = ren.GetActiveCamera()
        # Not the camera's MTime: resetting the clipping range before each render touches it.
        key = (
            cam.GetPosition(),
            cam.GetFocalPoint(),
            cam.GetViewUp(),
            cam.GetViewAngle(),
            cam.GetParallelProjection(),
            cam.GetParallelScale(),
            round(aspect, 4),
            ren.GetGradientBackground(),
            ren.GetBackground(),
            ren.GetBackground2(),
        )
        if key == self._ground_key:
            return
        self._ground_key = key
        m = cam.GetCompositeProjectionTransformMatrix(aspect, -1.0, 1.0)
        proj = np.array([[m.GetElement(i, j) for j in range(4)] for i in range(4)])
        for _actor, poly, pts, out, floor, tone, line in self._ground_parts:
            clip = np.column_stack([pts, np.ones(len(pts))]) @ proj.T
            w = clip[:, 3]
            t = np.where(w > 1e-9, 0.5 * (clip[:, 1] / np.where(w > 1e-9, w, 1.0) + 1.0), 0.0)
            colour = self._background_at(t)
            colour = colour * (1.0 - floor[:, None]) + tone * floor[:, None]
            if line is not None:
                colour = colour + (GRID_RGB - colour) * (GRID_OPACITY * line)[:, None]
            out[:] = np.clip(colour * 255.0 + 0.5, 0, 255).astype(np.uint8)
            poly.GetPointData().GetScalars().Modified()
            poly.Modified()
