"""Distance from points to the bones: precomputed signed distance fields, looked up per frame.

``assets/meshes/bone_sdf.npz`` holds, for every bone mesh, a grid in the bone's own frame of the
signed distance to its surface (negative inside); ``tools/build_bone_sdf.py`` regenerates it.
:class:`BoneFields` looks many points up at once (trilinear interpolation, one gather for all
bones), giving the distance to each point's bone and the outward direction of the surface.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

SDF_FILE = "bone_sdf.npz"
ASSETS_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "meshes"


def pack_fields(fields: dict[str, tuple[np.ndarray, float, np.ndarray]]) -> dict[str, np.ndarray]:
    """Arrays to save for ``{bone: (grid origin (3,), spacing, sdf (nx, ny, nz))}``."""
    names = list(fields)
    shapes = np.array([fields[n][2].shape for n in names], np.int64)
    sizes = shapes.prod(axis=1)
    return {
        "names": np.array(names),
        "origins": np.array([fields[n][0] for n in names], np.float64),
        "spacings": np.array([fields[n][1] for n in names], np.float64),
        "shapes": shapes,
        "offsets": np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64),
        "sdf": np.concatenate([fields[n][2].ravel() for n in names]).astype(np.float16),
    }


class BoneFields:
    """Signed distance fields of a list of bones, addressed by their index in that list."""

    def __init__(self, bone_names: list[str], path: Path | None = None) -> None:
        path = ASSETS_DIR / SDF_FILE if path is None else Path(path)
        data = np.load(path)
        names = [str(n) for n in data["names"]]
        missing = [b for b in bone_names if b not in names]
        if missing:
            raise KeyError(f"{path.name} has no field for {', '.join(missing)}")
        order = [names.index(b) for b in bone_names]
        self.origin = data["origins"][order].astype(np.float32)
        self.spacing = data["spacings"][order].astype(np.float32)
        self.shape = data["shapes"][order]
        sdf = data["sdf"].astype(np.float32)
        # Each bone's grid and its gradient, packed into one flat table of (sdf, gx, gy, gz).
        tables, offsets, start = [], [], 0
        for k in order:
            shape = tuple(data["shapes"][k])
            off = int(data["offsets"][k])
            grid = sdf[off : off + int(np.prod(shape))].reshape(shape)
            grads = np.gradient(grid, float(data["spacings"][k]))
            tables.append(np.stack([grid, *grads], axis=-1).reshape(-1, 4))
            offsets.append(start)
            start += grid.size
        self.table = np.concatenate(tables).astype(np.float32)
        self.offset = np.array(offsets, np.int64)
        self.strides = np.stack(
            [self.shape[:, 1] * self.shape[:, 2], self.shape[:, 2], np.ones(len(order), int)], 1
        ).astype(np.int64)

    @classmethod
    def load(cls, bone_names: list[str]) -> BoneFields | None:
        """The fields of ``bone_names``, or None (with a warning) if the asset is unusable."""
        try:
            return cls(bone_names)
        except (OSError, KeyError, ValueError) as exc:
            warnings.warn(
                f"bone distance fields unavailable ({exc}); muscles are drawn without bone "
                "contact. Regenerate them with tools/build_bone_sdf.py",
                stacklevel=2,
            )
            return None

    def query(self, bones: np.ndarray) -> FieldQuery:
        """A lookup prepared for points that always belong to the same ``bones`` (k,)."""
        return FieldQuery(self, np.asarray(bones, np.int64))

    def lookup(
        self, points: np.ndarray, bones: np.ndarray, matrices: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Signed distance (k,) and outward unit gradient (k, 3) in world axes of ``points``
        (k, 3, world) to bones ``bones`` (k,) posed by ``matrices`` (n_bones, 4, 4)."""
        return self.query(bones).lookup(points, matrices)


class FieldQuery:
    """Trilinear look-up of many points, each against a fixed bone; the per-bone constants are
    gathered once, so a frame costs one gather of the eight grid corners of every point.

    Points outside a bone's grid get the value at the nearest grid cell (the grids reach 4 cm
    past each bone, further than any contact that matters here)."""

    def __init__(self, fields: BoneFields, bones: np.ndarray) -> None:
        self.fields = fields
        self.bones = bones
        self.origin = fields.origin[bones]
        self.inv_spacing = (1.0 / fields.spacing[bones])[:, None].astype(np.float32)
        self.top = (fields.shape[bones] - 2).astype(np.float32)
        self.top_i = fields.shape[bones] - 2
        self.strides = fields.strides[bones]
        self.offset = fields.offset[bones]
        corners = np.array([[i, j, k] for i in (0, 1) for j in (0, 1) for k in (0, 1)])
        self.corner_step = corners @ self.strides.T  # (8, k)
        self.corners = corners

    def lookup(self, points: np.ndarray, matrices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rot = matrices[self.bones, :3, :3].astype(np.float32)  # (k, 3, 3) local -> world
        trans = matrices[self.bones, :3, 3].astype(np.float32)
        local = np.matmul((points - trans)[:, None, :], rot)[:, 0]  # R^T (p - t)
        g = np.clip((local - self.origin) * self.inv_spacing, 0.0, self.top)
        i0 = np.minimum(g.astype(np.int64), self.top_i)
        f = g - i0
        base = self.offset + (i0 * self.strides).sum(1)
        vals = self.fields.table[base[None, :] + self.corner_step]  # (8, k, 4)
        one = 1.0 - f
        w = np.empty((8, len(f)), np.float32)
        for c, (i, j, k) in enumerate(self.corners):
            w[c] = (f[:, 0] if i else one[:, 0]) * (f[:, 1] if j else one[:, 1])
            w[c] *= f[:, 2] if k else one[:, 2]
        out = (w[..., None] * vals).sum(axis=0)
        grad = np.matmul(rot, out[:, 1:, None])[:, :, 0]
        grad /= np.maximum(np.sqrt((grad * grad).sum(axis=1, keepdims=True)), 1e-9)
        return out[:, 0], grad
