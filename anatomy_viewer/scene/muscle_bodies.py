"""The muscles of a LegModel as VTK arrays: one set of points, normals and colours for all.

The narrow interface between the scene and the muscle geometry: built once from the model
(:class:`MuscleBodies`); per frame, :meth:`MuscleBodies.update_geometry` (a pose) and
:meth:`MuscleBodies.update_colours` (a colour per muscle line, bands) write into the same VTK
arrays in place. Triangles are handed out per muscle line (and split into belly and tendon), so
a polydata that shows some muscles takes their cells and a cell -> muscle table for picking.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkCommonCore import (
    VTK_FLOAT,
    vtkFloatArray,
    vtkPoints,
    vtkUnsignedCharArray,
)

from anatomy_viewer.anatomy.architecture import muscle_bodies
from anatomy_viewer.anatomy.model import LegModel, Pose
from anatomy_viewer.scene.bone_contact import BoneFields
from anatomy_viewer.scene.muscle_shapes import MuscleShapes
from anatomy_viewer.scene.surface_cache import SurfaceCache

#: Tendon radius from the muscle's maximum isometric force at a tendon stress of
#: TENDON_STRESS (Pa), clipped to TENDON_RADIUS; a display choice that makes the calcaneal
#: tendon about a centimetre wide and the toe tendons a few millimetres.
TENDON_STRESS = 80e6
TENDON_RADIUS = (0.0015, 0.0045)
#: A flexed pose (degrees) in which the bones beneath each muscle are also looked for.
FLEXED = {"hip_flexion": 70.0, "knee_angle": 100.0, "ankle_angle": -25.0}


def _long_axis(vertices: np.ndarray) -> np.ndarray:
    """Unit direction (3,) of a bone mesh's greatest extent (its principal axis)."""
    v = np.asarray(vertices, float)
    v = v - v.mean(axis=0)
    return np.linalg.eigh(v.T @ v)[1][:, -1]


class MuscleBodies:
    """All muscle bodies of ``model`` in one set of VTK point, normal and colour arrays."""

    def __init__(self, model: LegModel, neutral: Pose, with_bone_contact: bool = True) -> None:
        self.model = model
        bodies = muscle_bodies(model.muscle_names, model.max_isometric_force)
        radius = np.clip(
            np.sqrt(model.max_isometric_force / (np.pi * TENDON_STRESS)), *TENDON_RADIUS
        )
        fields = BoneFields.load([b.name for b in model.bones]) if with_bone_contact else None
        # Bones near each muscle over the range of motion: standing and a deep flexion.
        flexed = [model.pose({f"{j}_{s}": v for s in ("r", "l") for j, v in FLEXED.items()})]
        self.shapes = MuscleShapes(
            bodies,
            model.n_muscles,
            radius,
            fields,
            np.asarray(neutral.muscle_paths),
            np.asarray(neutral.bone_matrices),
            extra_poses=[(p.muscle_paths, p.bone_matrices) for p in flexed],
            bone_axes=np.array([_long_axis(b.vertices) for b in model.bones]),
        )
        #: Surfaces of the frames of the sequences shown.
        self.cache = SurfaceCache(self.shapes)
        n = self.shapes.n_vertices
        self.points = vtkPoints()
        self.points.SetDataType(VTK_FLOAT)
        self.points.SetNumberOfPoints(n)
        self.normals = vtkFloatArray()
        self.normals.SetName("Normals")
        self.normals.SetNumberOfComponents(3)
        self.normals.SetNumberOfTuples(n)
        self.colours = vtkUnsignedCharArray()
        self.colours.SetName("rgb")
        self.colours.SetNumberOfComponents(3)
        self.colours.SetNumberOfTuples(n)
        self.points_np = vtk_to_numpy(self.points.GetData())
        self.normals_np = vtk_to_numpy(self.normals)
        self.colours_np = vtk_to_numpy(self.colours)
        self.update_geometry(neutral)

    @property
    def n_vertices(self) -> int:
        return self.shapes.n_vertices

    # ------------------------------------------------------------------ per frame
    def update_geometry(self, pose: Pose) -> None:
        """Vertices and normals of every muscle for ``pose``, written in place.

        A pose from a precomputed sequence (``pose.blend``) gets the blend of the surfaces of
        its two frames, each built once (scene.surface_cache); any other pose is built."""
        if pose.blend is not None:
            seq, i, u = pose.blend
            self.cache.show(seq, i, u, self.points_np, self.normals_np)
            self.shapes.paths = np.asarray(pose.muscle_paths, np.float32)
        else:
            self.shapes.compute(
                np.asarray(pose.muscle_paths),
                np.asarray(pose.bone_matrices),
                self.points_np,
                self.normals_np,
            )
        self.points.Modified()
        self.normals.Modified()

    def update_colours(self, line_rgb: np.ndarray, tendon_rgb, bands: np.ndarray) -> None:
        """Colours: ``line_rgb`` (n_muscles, 3, 0..1) per muscle line, ``tendon_rgb`` for the
        tendons, alternate belly bands darkened by ``bands`` (n_muscles,) (0 = none)."""
        self.shapes.colours(line_rgb, tendon_rgb, bands, self.colours_np)
        self.colours.Modified()

    # ------------------------------------------------------------------ topology
    def cells(self, muscles, tendon: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Triangles (k, 3) of muscle lines ``muscles`` and the line of each; ``tendon`` True
        or False: only the tendons or only the bellies."""
        return self.shapes.cells_of_muscles(np.asarray(muscles, np.int64), tendon)

    def vertex_ids(self, muscles) -> np.ndarray:
        return self.shapes.vertex_ids(np.asarray(muscles, np.int64))

    def inflated(self, ids: np.ndarray, factor: float, extra: float) -> np.ndarray:
        """Vertices ``ids`` of an enlarged copy (outline shells)."""
        return self.shapes.inflated(ids, self.points_np, self.normals_np, factor, extra)

    # ------------------------------------------------------------------ places
    def centre(self, i: int) -> np.ndarray:
        """The mid-point of muscle ``i``'s path."""
        path = self.shapes.paths[int(i)]
        return np.array(path[len(path) // 2], float)

    def anchor(self, i: int, towards: np.ndarray) -> np.ndarray:
        """A point on muscle ``i``'s mid-belly surface that faces the point ``towards``."""
        return self.anchor_candidates(i, towards)[0]

    def anchor_candidates(self, i: int, towards: np.ndarray, count: int = 16) -> np.ndarray:
        """Points (k, 3) of muscle ``i``'s belly facing ``towards``, the mid-belly ones that
        face it most first, then the rest of the belly."""
        out = []
        for ids in (self.shapes.mid_belly_vertices(int(i)), self.shapes.belly_vertices(int(i))):
            p = self.points_np[ids].astype(float)
            view = np.asarray(towards, float) - p
            view /= np.maximum(np.linalg.norm(view, axis=1, keepdims=True), 1e-9)
            facing = np.einsum("ij,ij->i", self.normals_np[ids], view)
            order = np.argsort(-facing)
            out.append(p[order[facing[order] > 0.2][:count]])
        pts = np.concatenate(out)
        if len(pts) == 0:
            return self.points_np[self.shapes.mid_belly_vertices(int(i))[:1]].astype(float)
        # A part of a sheet shares its edge vertices with its neighbours, and a narrow part
        # may show no vertex whose pixel is its own all round: the facing points drawn a
        # third of the way in towards their middle project inside the part.
        inset = pts + (pts.mean(axis=0) - pts) / 3.0
        return np.concatenate([pts, inset])
