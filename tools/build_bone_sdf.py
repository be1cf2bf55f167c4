"""Precompute the signed distance fields of the bone meshes (assets/meshes/bone_sdf.npz).

Run: python tools/build_bone_sdf.py            (a few minutes; rerun when the bones change)

For every bone of ``LegModel.bones`` (MyoLeg's meshes, Apache-2.0), in the bone's own (geom)
frame: a regular grid (SPACING) over the bone's bounding box plus MARGIN, holding the signed
distance to the bone's surface in metres (negative inside). The unsigned distance is VTK's
(vtkImplicitPolyDataDistance, exact to the triangles); the sign comes from the generalised
winding number of the triangles (Jacobson et al. 2013, ACM Trans Graph 32(4):33), which is robust
to the small holes and the few flipped triangles of the MyoLeg pelvis and tibia.
The scene looks these fields up to lay muscle bellies on the bones instead of through them.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk, numpy_to_vtkIdTypeArray
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkFiltersCore import vtkImplicitPolyDataDistance

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from anatomy_viewer.anatomy.model import LegModel  # noqa: E402
from anatomy_viewer.safe_output import atomic_output  # noqa: E402
from anatomy_viewer.scene.bone_contact import SDF_FILE, pack_fields  # noqa: E402
from anatomy_viewer.scene.measures import winding_numbers  # noqa: E402

SPACING = 0.004  # m
MARGIN = 0.04  # m


def bone_field(vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lo = vertices.min(0) - MARGIN
    hi = vertices.max(0) + MARGIN
    shape = np.ceil((hi - lo) / SPACING).astype(int) + 1
    axes = [lo[i] + SPACING * np.arange(shape[i]) for i in range(3)]
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)

    poly = vtkPolyData()
    pts = vtkPoints()
    pts.SetData(numpy_to_vtk(np.ascontiguousarray(vertices), deep=True))
    poly.SetPoints(pts)
    cells = vtkCellArray()
    cells.SetData(
        numpy_to_vtkIdTypeArray(np.arange(0, 3 * len(faces) + 1, 3, dtype=np.int64), deep=True),
        numpy_to_vtkIdTypeArray(faces.astype(np.int64).ravel(), deep=True),
    )
    poly.SetPolys(cells)
    dist = vtkImplicitPolyDataDistance()
    dist.SetInput(poly)
    unsigned = np.abs(np.array([dist.EvaluateFunction(*p) for p in grid]))
    inside = np.abs(winding_numbers(grid, vertices[faces])) > 0.5
    sdf = np.where(inside, -unsigned, unsigned).reshape(shape)
    return lo, sdf


def main() -> None:
    model = LegModel()
    fields = {}
    for bone in model.bones:
        t = time.perf_counter()
        lo, sdf = bone_field(bone.vertices, bone.faces)
        fields[bone.name] = (lo, SPACING, sdf)
        print(f"{bone.name}: grid {sdf.shape}, {time.perf_counter() - t:.1f} s", flush=True)
    out = ROOT / "assets" / "meshes" / SDF_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(out) as tmp:
        np.savez_compressed(tmp, **pack_fields(fields))
    print(f"wrote {out.relative_to(ROOT)} ({out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
