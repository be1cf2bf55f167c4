"""Distance from points to the bones: precomputed signed distance fields, looked up per frame.

``assets/meshes/bone_sdf.npz`` holds, for every bone mesh, a grid in the bone's own frame of the
signed distance to its surface (negative inside); ``tools/build_bone_sdf.py`` regenerates it.
:class:`BoneFields` looks many points up at once (trilinear interpolation, one gather for all
bones), giving the distance to each point's bone and the outward direction of the surface (the
gradient of the interpolated distance, from the same eight grid corners).
"""

from __future__ import annotations

import warnings
import zipfile
from functools import cache
from pathlib import Path

import numpy as np

SDF_FILE = "bone_sdf.npz"
ASSETS_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "meshes"


def encode_distances(sdf: np.ndarray) -> tuple[np.ndarray, float]:
    """Signed distances as signed bytes on a square-root scale, and the scale (m): fine near
    the surface, where contact is decided (steps of about 0.05 mm within 0.2 mm of it, 0.25 mm
    at 1.5 mm), coarse far from it (1.3 mm steps at 4 cm), where only "far" matters."""
    d = np.asarray(sdf, np.float64)
    scale = float(np.abs(d).max())
    q = np.sign(d) * np.sqrt(np.abs(d) / scale) * 127.0
    return np.round(q).astype(np.int8), scale


def decode_distances(q: np.ndarray, scale: float) -> np.ndarray:
    """The distances (m) of :func:`encode_distances`, as half floats."""
    f = q.astype(np.float32) / 127.0
    return (np.sign(f) * f * f * np.float32(scale)).astype(np.float16)


def pack_fields(fields: dict[str, tuple[np.ndarray, float, np.ndarray]]) -> dict[str, np.ndarray]:
    """Arrays to save for ``{bone: (grid origin (3,), spacing, sdf (nx, ny, nz))}``."""
    names = list(fields)
    shapes = np.array([fields[n][2].shape for n in names], np.int64)
    sizes = shapes.prod(axis=1)
    q, scale = encode_distances(np.concatenate([fields[n][2].ravel() for n in names]))
    return {
        "names": np.array(names),
        "origins": np.array([fields[n][0] for n in names], np.float64),
        "spacings": np.array([fields[n][1] for n in names], np.float64),
        "shapes": shapes,
        "offsets": np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64),
        "sdf_bytes": q,
        "sdf_scale": np.array(scale),
    }


class BoneFields:
    """Signed distance fields of a list of bones, addressed by their index in that list."""

    def __init__(self, bone_names: list[str], path: Path | None = None) -> None:
        path = ASSETS_DIR / SDF_FILE if path is None else Path(path)
        data = np.load(path)
        #: The bones, in the order of their indices.
        self.names = list(bone_names)
        names = [str(n) for n in data["names"]]
        missing = [b for b in bone_names if b not in names]
        if missing:
            raise KeyError(f"{path.name} has no field for {', '.join(missing)}")
        order = [names.index(b) for b in bone_names]
        self.origin = data["origins"][order].astype(np.float32)
        self.spacing = data["spacings"][order].astype(np.float32)
        self.shape = data["shapes"][order]
        sdf = data["sdf_bytes"]
        # All bones' grids in one flat table (half floats: small enough to stay in cache).
        tables, offsets, start = [], [], 0
        for k in order:
            size = int(np.prod(data["shapes"][k]))
            off = int(data["offsets"][k])
            tables.append(sdf[off : off + size])
            offsets.append(start)
            start += size
        self.table = decode_distances(np.concatenate(tables), float(data["sdf_scale"]))
        self.offset = np.array(offsets, np.int64)
        self.strides = np.stack(
            [self.shape[:, 1] * self.shape[:, 2], self.shape[:, 2], np.ones(len(order), int)], 1
        ).astype(np.int64)

    @classmethod
    def load(cls, bone_names: list[str]) -> BoneFields | None:
        """The fields of ``bone_names``, or None (with a warning) if the asset is unusable.
        Loaded once per process (the fields are read-only)."""
        return _load_cached(tuple(bone_names))

    @classmethod
    def _load(cls, bone_names: tuple[str, ...], path: Path | None = None) -> BoneFields | None:
        try:
            return cls(list(bone_names), path)
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as exc:
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


@cache
def _load_cached(bone_names: tuple[str, ...]) -> BoneFields | None:
    return BoneFields._load(bone_names)


class FieldQuery:
    """Trilinear look-up of many points, each against a fixed bone; the per-bone constants are
    gathered once, so a frame costs one gather of the eight grid corners of every point.

    A point outside a bone's grid (the grids reach 4 cm past each bone) gets the value at the
    grid's nearest point plus its distance from there: a close upper bound of the distance,
    enough to tell that the bone is far."""

    def __init__(self, fields: BoneFields, bones: np.ndarray) -> None:
        self.fields = fields
        self.bones = bones
        # Columns of each point's bone among the frames of all bones (see lookup).
        self.columns = 3 * bones[:, None] + np.arange(3)[None, :]
        self.origin = fields.origin[bones]
        self.inv_spacing = (1.0 / fields.spacing[bones])[:, None].astype(np.float32)
        self.top = (fields.shape[bones] - 1).astype(np.float32)
        self.top_i = fields.shape[bones] - 2
        self.spacing = fields.spacing[bones][:, None].astype(np.float32)
        self.strides = fields.strides[bones]
        self.offset = fields.offset[bones]
        corners = np.array([[i, j, k] for i in (0, 1) for j in (0, 1) for k in (0, 1)])
        self.corner_step = corners @ self.strides.T  # (8, k)

    def lookup(self, points: np.ndarray, matrices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        m = np.asarray(matrices, np.float32)
        n_bones = len(m)
        # Every point in the frames of all bones at once (one product), then its own bone's.
        rot_t = m[:, :3, :3]  # local -> world rotations (n, 3, 3)
        to_local = np.empty((4, 3 * n_bones), np.float32)
        to_local[:3] = rot_t.transpose(1, 0, 2).reshape(3, -1)  # columns: R_b
        to_local[3] = -np.einsum("bi,bij->bj", m[:, :3, 3], rot_t).reshape(-1)
        p = np.asarray(points, np.float32)
        local_all = p @ to_local[:3] + to_local[3]
        local = np.take_along_axis(local_all, self.columns, axis=1)
        raw = (local - self.origin) * self.inv_spacing
        g = np.clip(raw, 0.0, self.top)
        beyond = (raw - g) * self.spacing  # from the grid's nearest point, metres (0 inside)
        i0 = np.minimum(g.astype(np.int64), self.top_i)
        f = g - i0
        base = self.offset + (i0 * self.strides).sum(1)
        v = self.fields.table[base[None, :] + self.corner_step].astype(np.float32)
        v = v.reshape(2, 2, 2, -1)  # corners (i, j, k) in the order of corner_step
        fx, fy, fz = f[:, 0], f[:, 1], f[:, 2]
        # Trilinear distance, and its gradient (the outward direction), from the same corners.
        vz = v[:, :, 0] + (v[:, :, 1] - v[:, :, 0]) * fz  # (2, 2, k)
        dz = v[:, :, 1] - v[:, :, 0]
        vy = vz[:, 0] + (vz[:, 1] - vz[:, 0]) * fy  # (2, k)
        dy = vz[:, 1] - vz[:, 0]
        dzy = dz[:, 0] + (dz[:, 1] - dz[:, 0]) * fy
        dist = vy[0] + (vy[1] - vy[0]) * fx
        local_grad = np.stack(
            [vy[1] - vy[0], dy[0] + (dy[1] - dy[0]) * fx, dzy[0] + (dzy[1] - dzy[0]) * fx], 1
        )
        # Beyond the grid: the distance grows by the way out to it, and the direction turns
        # towards the way out (both continuous across the grid's faces).
        out = np.sqrt((beyond * beyond).sum(axis=1))
        dist += out
        local_grad += beyond
        # Back to world axes: g_world = R_b g_local, again through the frames of all bones.
        to_world = rot_t.transpose(2, 0, 1).reshape(3, -1)  # columns: rows of R_b
        grad = np.take_along_axis(local_grad @ to_world, self.columns, axis=1)
        grad /= np.maximum(np.sqrt((grad * grad).sum(axis=1, keepdims=True)), 1e-9)
        return dist, grad
