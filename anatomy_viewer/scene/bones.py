"""The bones: one actor per bone mesh, moved by its world matrix every frame.

A ghost copy of the bones (translucent, unlit outlines of the same meshes) can show a second
pose in the same place, e.g. the normal stride behind a what-if.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkCommonMath import vtkMatrix4x4
from vtkmodules.vtkFiltersCore import vtkPolyDataNormals
from vtkmodules.vtkFiltersModeling import vtkButterflySubdivisionFilter
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper, vtkRenderer

from anatomy_viewer.anatomy.model import LegModel
from anatomy_viewer.scene.vtk_util import is_closed_manifold, is_outward_oriented, vtk_triangles

BONE_RGB = (0.89, 0.85, 0.76)  # warm ivory
#: The ghost bones of a second pose: a cool grey-blue, see-through.
GHOST_BONE_RGB = (0.55, 0.78, 1.0)
GHOST_BONE_OPACITY = 0.35
#: Bones with fewer triangles than this are subdivided once (the feet are detailed already).
SUBDIVIDE_MAX_FACES = 1200


class Bones:
    """The bone actors of ``model`` in ``renderer``; ``update`` moves them to a pose."""

    def __init__(self, renderer: vtkRenderer, model: LegModel, subdivide: bool = True) -> None:
        self.renderer = renderer
        self.model = model
        self.names = [b.name for b in model.bones]
        self.opacity = 1.0
        self._side_visible = {"r": True, "l": True}
        self.actors: list[vtkActor] = []
        self._polys: list[vtkPolyData] = []
        self.matrices: list[vtkMatrix4x4] = []
        self.sides = [b.side for b in self.model.bones]
        self.corners = []  # (8, 3) local bounding-box corners, for framing
        for bone in self.model.bones:
            poly = vtkPolyData()
            pts = vtkPoints()
            pts.SetData(numpy_to_vtk(np.ascontiguousarray(bone.vertices, np.float32), deep=True))
            poly.SetPoints(pts)
            poly.SetPolys(vtk_triangles(bone.faces))
            source = poly
            # One butterfly subdivision rounds off the low-poly meshes. It interpolates (the
            # original vertices stay put; Loop subdivision would shrink a fibula by ~15 %),
            # and needs a closed manifold surface, which the MyoLeg pelvis and tibia are not:
            # those stay as they are.
            if (
                subdivide
                and len(bone.faces) < SUBDIVIDE_MAX_FACES
                and is_closed_manifold(bone.faces)
            ):
                sub = vtkButterflySubdivisionFilter()
                sub.SetNumberOfSubdivisions(1)
                sub.SetInputData(poly)
                sub.Update()
                source = sub.GetOutput()
            normals = vtkPolyDataNormals()
            normals.SetInputData(source)
            normals.SplittingOff()
            normals.ConsistencyOn()
            normals.Update()
            out = vtkPolyData()
            out.DeepCopy(normals.GetOutput())
            mapper = vtkPolyDataMapper()
            mapper.SetInputData(out)
            mapper.ScalarVisibilityOff()
            mapper.StaticOn()
            actor = vtkActor()
            actor.SetMapper(mapper)
            prop = actor.GetProperty()
            prop.SetColor(*BONE_RGB)
            prop.SetAmbient(0.16)
            prop.SetDiffuse(0.84)
            prop.SetSpecular(0.22)
            prop.SetSpecularPower(18.0)
            prop.SetInterpolationToPhong()
            # Skipping back faces halves the shading work of a bone on software OpenGL; only
            # safe where the triangles are consistently wound outwards (not the MyoLeg tibia).
            prop.SetBackfaceCulling(is_outward_oriented(bone.vertices, bone.faces))
            matrix = vtkMatrix4x4()
            actor.SetUserMatrix(matrix)
            self.renderer.AddActor(actor)
            self._polys.append(out)
            self.actors.append(actor)
            self.matrices.append(matrix)
            lo, hi = bone.vertices.min(0), bone.vertices.max(0)
            corners = np.array(
                [[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])]
            )
            self.corners.append(corners)
        self.corners = np.stack(self.corners)
        self._ghosts: list[vtkActor] = []
        self._ghost_matrices: list[vtkMatrix4x4] = []
        self._ghost_on = False

    def update(self, bone_matrices: np.ndarray) -> None:
        """Move every bone to its world matrix (n_bones, 4, 4)."""
        for matrix, m in zip(self.matrices, np.asarray(bone_matrices, dtype=float), strict=True):
            matrix.DeepCopy(m.ravel())

    def set_opacity(self, opacity: float) -> None:
        self.opacity = float(np.clip(opacity, 0.0, 1.0))
        for actor in self.actors:
            actor.GetProperty().SetOpacity(self.opacity)
        self._apply_visibility()

    def set_sides(self, r: bool, l: bool) -> None:  # noqa: E741 (side names)
        self._side_visible = {"r": bool(r), "l": bool(l)}
        self._apply_visibility()

    def _apply_visibility(self) -> None:
        for actor, side in zip(self.actors, self.sides, strict=True):
            actor.SetVisibility(self._shown(side) and self.opacity > 0.0)
        for actor, side in zip(self._ghosts, self.sides[: len(self._ghosts)], strict=True):
            actor.SetVisibility(self._shown(side) and self._ghost_on)

    def _shown(self, side: str) -> bool:
        # The sacrum ("c", in the middle) belongs to both legs.
        return any(self._side_visible.values()) if side == "c" else self._side_visible[side]

    def set_ghost(self, bone_matrices: np.ndarray | None) -> None:
        """Draw the bones again at ``bone_matrices`` as see-through ghosts (None hides them)."""
        if bone_matrices is None:
            if self._ghost_on:
                self._ghost_on = False
                self._apply_visibility()
            return
        if not self._ghosts:
            self._build_ghosts()
        for matrix, m in zip(self._ghost_matrices, np.asarray(bone_matrices, float), strict=True):
            matrix.DeepCopy(m.ravel())
        if not self._ghost_on:
            self._ghost_on = True
            self._apply_visibility()

    @property
    def ghost_visible(self) -> bool:
        return self._ghost_on

    def _build_ghosts(self) -> None:
        for poly in self._polys:
            mapper = vtkPolyDataMapper()
            mapper.SetInputData(poly)
            mapper.ScalarVisibilityOff()
            mapper.StaticOn()
            actor = vtkActor()
            actor.SetMapper(mapper)
            prop = actor.GetProperty()
            prop.SetColor(*GHOST_BONE_RGB)
            prop.SetOpacity(GHOST_BONE_OPACITY)
            prop.SetAmbient(0.5)
            prop.SetDiffuse(0.5)
            prop.SetSpecular(0.0)
            actor.PickableOff()
            matrix = vtkMatrix4x4()
            actor.SetUserMatrix(matrix)
            actor.SetVisibility(False)
            self.renderer.AddActor(actor)
            self._ghosts.append(actor)
            self._ghost_matrices.append(matrix)

    def shown(self) -> list[bool]:
        """Whether each bone is drawn (its leg shown, not fully transparent)."""
        return [bool(a.GetVisibility()) for a in self.actors]

    def drawn_mesh(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Bone ``i``'s mesh as drawn (rounded off where it was subdivided), in its own frame:
        vertices (k, 3), unit normals (k, 3) and triangles (t, 3)."""
        poly = self._polys[i]
        points = vtk_to_numpy(poly.GetPoints().GetData()).astype(np.float64)
        normals = vtk_to_numpy(poly.GetPointData().GetNormals()).astype(np.float64)
        cells = vtk_to_numpy(poly.GetPolys().GetConnectivityArray()).reshape(-1, 3)
        return points, normals, cells.astype(np.int64)

    def world_corners(self, bone_matrices: np.ndarray) -> np.ndarray:
        """The corners of every bone's bounding box (n_bones, 8, 3) at ``bone_matrices``."""
        m = np.asarray(bone_matrices)
        return np.einsum("bij,bkj->bki", m[:, :3, :3], self.corners) + m[:, None, :3, 3]

    def world_vertices(self, names, bone_matrices: np.ndarray) -> np.ndarray:
        """Vertices (k, 3) of the bones named, at ``bone_matrices``."""
        mats = np.asarray(bone_matrices)
        pts = [
            bone.vertices @ mats[i, :3, :3].T + mats[i, :3, 3]
            for i, bone in enumerate(self.model.bones)
            if bone.name in names
        ]
        return np.concatenate(pts) if pts else np.zeros((0, 3))
