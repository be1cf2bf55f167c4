"""Muscle bellies as swept tubes: fixed topology, vertices recomputed in numpy every frame.

Each muscle is a tube swept along its path (``PATH_SAMPLES`` points, origin to insertion) with a
spindle-shaped radius profile: thin (tendon) at both ends, full at mid-belly. The ring frames are
propagated along each path with the double-reflection rotation-minimising frame of Wang et al.
(2008, ACM Trans Graph 27(1):2), vectorised over all muscles, so tubes never twist.

Layout of one muscle's vertices: ``2 * (S - 1)`` rings of ``sides`` vertices (every interior path
sample carries two coincident rings, one closing the segment before it and one opening the segment
after it, so that a segment can have its own flat colour: stripes stay crisp), then the centre of
the start cap and the centre of the end cap.
"""

from __future__ import annotations

import numpy as np

#: Vertices around each ring.
RING_SIDES = 12


def _normalise(v: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.maximum(n, eps)


def belly_profile(samples: int) -> np.ndarray:
    """Relative radius (0 at the tendon ends, 1 at mid-belly) at each of ``samples`` points."""
    s = np.linspace(0.0, 1.0, samples)
    return (4.0 * s * (1.0 - s)) ** 0.6


class MuscleMesh:
    """Vertex and normal computation for ``n`` muscle tubes of fixed topology.

    ``peak_radius`` (n,) and ``end_radius`` (n,) are in metres. ``reference`` (n, 3) gives, per
    muscle, a direction well away from its line of action, used to start the ring frame.
    """

    def __init__(
        self,
        peak_radius: np.ndarray,
        end_radius: np.ndarray,
        reference: np.ndarray,
        samples: int,
        sides: int = RING_SIDES,
    ) -> None:
        self.n = len(peak_radius)
        self.samples = samples
        self.sides = sides
        self.rings = 2 * (samples - 1)
        self.verts_per_muscle = self.rings * sides + 2
        #: Path sample and tube segment of every ring.
        self.ring_sample = (np.arange(self.rings) + 1) // 2
        self.ring_segment = np.arange(self.rings) // 2
        self.profile = belly_profile(samples)
        peak = np.asarray(peak_radius, float)[:, None]
        end = np.asarray(end_radius, float)[:, None]
        #: Resting radius at every path sample (n, S).
        self.base_radius = (end + (peak - end) * self.profile[None, :]).astype(np.float32)
        self.reference = _normalise(np.asarray(reference, np.float32))
        theta = np.linspace(0.0, 2.0 * np.pi, sides, endpoint=False)
        #: [cos, sin, 1] of every ring vertex (sides, 3).
        self._cs1 = np.column_stack([np.cos(theta), np.sin(theta), np.ones(sides)]).astype(
            np.float32
        )
        self.triangles = self._template()
        # Filled by compute():
        self.centres = np.zeros((self.n, samples, 3))
        self.tangents = np.zeros((self.n, samples, 3))
        self.radii = self.base_radius.copy()
        self.normals = np.zeros((self.n, samples, 3))
        self.binormals = np.zeros((self.n, samples, 3))

    # ------------------------------------------------------------------ topology
    def _template(self) -> np.ndarray:
        """Triangles (t, 3) of one muscle, outward-facing (counter-clockwise seen from outside)."""
        k = self.sides
        j = np.arange(k)
        j1 = (j + 1) % k
        tris = []
        for seg in range(self.samples - 1):
            a, b = 2 * seg * k, (2 * seg + 1) * k
            tris.append(np.stack([a + j, b + j1, b + j], axis=1))
            tris.append(np.stack([a + j, a + j1, b + j1], axis=1))
        c0 = self.rings * k
        last = (self.rings - 1) * k
        tris.append(np.stack([np.full(k, c0), j1, j], axis=1))
        tris.append(np.stack([np.full(k, c0 + 1), last + j, last + j1], axis=1))
        return np.concatenate(tris).astype(np.int64)

    def triangles_of(self, muscles: np.ndarray) -> np.ndarray:
        """Triangles (len(muscles) * t, 3) of the given muscles in the merged vertex numbering."""
        muscles = np.asarray(muscles, dtype=np.int64)
        offsets = muscles[:, None, None] * self.verts_per_muscle
        return (self.triangles[None, :, :] + offsets).reshape(-1, 3)

    # ------------------------------------------------------------------ geometry
    def ring_view(self, out: np.ndarray) -> np.ndarray:
        """The ring vertices of ``out`` (m, verts_per_muscle, c) as a view (m, rings, sides, c)."""
        m, _, c = out.shape
        return out[:, : self.rings * self.sides].reshape(m, self.rings, self.sides, c)

    def _frames(self, paths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Unit tangents, normals and binormals (n, S, 3) along every path.

        The normal is carried from sample to sample by projecting it onto the plane normal to
        the next tangent (the projection form of a rotation-minimising frame; the steps here
        turn by far less than 90 degrees). Vectorised over muscles; only the 15 steps loop.
        """
        tangents = np.empty_like(paths)
        tangents[:, 1:-1] = paths[:, 2:] - paths[:, :-2]
        tangents[:, 0] = paths[:, 1] - paths[:, 0]
        tangents[:, -1] = paths[:, -1] - paths[:, -2]
        tangents = _normalise(tangents)
        t0 = tangents[:, 0]
        ref = self.reference
        # Fall back to another axis where the reference lies along the first tangent.
        along = np.abs(np.einsum("ij,ij->i", ref, t0)) > 0.9
        if along.any():
            ref = ref.copy()
            alt = np.where(np.abs(t0[:, 2:3]) < 0.9, [[0.0, 0.0, 1.0]], [[1.0, 0.0, 0.0]])
            ref[along] = alt[along]
        normals = np.empty_like(paths)
        r = ref - np.einsum("ij,ij->i", ref, t0)[:, None] * t0
        r /= np.sqrt(np.einsum("ij,ij->i", r, r))[:, None]
        normals[:, 0] = r
        for j in range(1, paths.shape[1]):
            t = tangents[:, j]
            r = r - np.einsum("ij,ij->i", r, t)[:, None] * t
            r /= np.maximum(np.sqrt(np.einsum("ij,ij->i", r, r)), 1e-12)[:, None]
            normals[:, j] = r
        binormals = np.cross(tangents, normals)
        return tangents, normals, binormals

    def compute(
        self,
        paths: np.ndarray,
        radius_scale: np.ndarray | None,
        out_points: np.ndarray,
        out_normals: np.ndarray,
    ) -> None:
        """Write every muscle's vertices and unit normals into ``out_*`` (n, verts_per_muscle, 3).

        ``paths`` (n, S, 3) world points origin -> insertion; ``radius_scale`` (n,) multiplies
        each muscle's radius (e.g. a bulge factor); None means 1.
        """
        paths = np.asarray(paths, dtype=np.float32)
        tangents, normals, binormals = self._frames(paths)
        radii = self.base_radius
        if radius_scale is not None:
            radii = radii * np.asarray(radius_scale, dtype=np.float32)[:, None]
        # Slope of the radius along the arc length tilts the surface normal towards the ends.
        chords = paths[:, 1:] - paths[:, :-1]
        step = np.sqrt(np.einsum("nsi,nsi->ns", chords, chords)).mean(axis=1, keepdims=True)
        slope = np.gradient(radii, axis=1) / np.maximum(step, 1e-6)
        inv = 1.0 / np.sqrt(1.0 + slope * slope)

        # Ring vertex k of sample j is [cos_k, sin_k, 1] @ [r N; r B; C]: one small matrix
        # product per sample, written straight into the (even and odd) rings of the output.
        rv = radii[:, :, None]
        basis = np.stack([rv * normals, rv * binormals, paths], axis=2)  # (n, S, 3, 3)
        self._ring_product(basis, self.ring_view(out_points))
        iv = inv[:, :, None]
        basis = np.stack([iv * normals, iv * binormals, -(slope * inv)[:, :, None] * tangents], 2)
        self._ring_product(basis, self.ring_view(out_normals))

        ring_end = self.rings * self.sides
        out_points[:, ring_end] = paths[:, 0] - tangents[:, 0] * (0.6 * radii[:, :1])
        out_points[:, ring_end + 1] = paths[:, -1] + tangents[:, -1] * (0.6 * radii[:, -1:])
        out_normals[:, ring_end] = -tangents[:, 0]
        out_normals[:, ring_end + 1] = tangents[:, -1]

        self.centres = paths
        self.tangents = tangents
        self.normals = normals
        self.binormals = binormals
        self.radii = radii

    def _ring_product(self, basis: np.ndarray, rings: np.ndarray) -> None:
        """rings[:, 2k] = CS1 @ basis[:, k], rings[:, 2k+1] = CS1 @ basis[:, k+1]."""
        np.matmul(self._cs1, basis[:, :-1], out=rings[:, 0::2])
        np.matmul(self._cs1, basis[:, 1:], out=rings[:, 1::2])

    def inflated_points(
        self, muscles: np.ndarray, factor: float, extra: float, out: np.ndarray
    ) -> None:
        """Vertices of an enlarged copy of the given muscles (outline shells) into ``out``."""
        m = np.asarray(muscles, dtype=np.int64)
        if len(m) == 0:
            return
        radii = (self.radii[m] * factor + extra)[:, :, None]
        paths, tangents = self.centres[m], self.tangents[m]
        basis = np.stack([radii * self.normals[m], radii * self.binormals[m], paths], axis=2)
        self._ring_product(basis.astype(out.dtype), self.ring_view(out))
        ring_end = self.rings * self.sides
        out[:, ring_end] = paths[:, 0] - tangents[:, 0] * (0.6 * radii[:, 0])
        out[:, ring_end + 1] = paths[:, -1] + tangents[:, -1] * (0.6 * radii[:, -1])

    def surface_point(self, i: int, towards: np.ndarray) -> np.ndarray:
        """The point of muscle ``i``'s mid-belly surface that faces the point ``towards``."""
        j = int(np.argmax(self.radii[i]))
        c = self.centres[i, j]
        t = self.tangents[i, j]
        v = np.asarray(towards, float) - c
        v = v - (v @ t) * t
        norm = np.linalg.norm(v)
        if norm < 1e-9:
            return c.copy()
        return c + self.radii[i, j] * v / norm
