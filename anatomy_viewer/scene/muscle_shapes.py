"""Muscle bodies that hold their real volumes, lie on the bones and end in tendons.

Each drawn body (see :mod:`anatomy_viewer.anatomy.architecture`) is a closed tube of fixed
topology swept along the model's muscle path(s): ``RINGS`` cross-sections of ``SIDES`` vertices,
plus one cap vertex at each end. Built once; every frame :meth:`MuscleShapes.compute` writes the
vertices and normals of all bodies in place from the posed paths and bones (numpy, vectorised
over all bodies; no Python loop over muscles).

Construction of one frame:

* Rings. The path is split into a proximal tendon, the fleshy belly and a distal tendon at the
  body's belly span. Tendon rings are thin flat ellipses; belly rings follow a spindle profile
  whose peak sits where the muscle is thickest.
* Sheets. A muscle the model splits into several lines (gluteus maximus 1-3, ...) is one body
  whose cross-section is a flat lens spread across its lines (a spine through the lines, a
  margin beyond the outer ones, thickness on both sides), so the lines form one continuous
  fleshy fan; each vertex carries colour weights of the two nearest lines.
* Bone contact. At every ring centre the signed distance to the nearest of the body's bones is
  looked up (:mod:`anatomy_viewer.scene.bone_contact`). A single line's cross-section turns its
  thin side to that bone. Where the belly would reach into the bone, its centre moves out by half
  the overlap and the cross-section flattens against the bone's tangent plane for the rest.
* Volume. The belly's volume (sum over ring slices of cross-section area times spacing, exact
  for the slices since the area is linear in the width) is brought to the body's MRI volume by
  scaling the widths; a belly that shortens first thickens by the same factor (constant volume),
  so a contracting muscle bulges.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from anatomy_viewer.anatomy.architecture import MuscleBody
from anatomy_viewer.scene.bone_contact import BoneFields

RINGS = 16
SIDES = 12
#: Knots of a cross-section's spine: margin, four line knots, margin.
KNOTS = 6
#: Free space left between a belly and the bone surface (m).
GAP = 0.0015
#: Share of a belly's overlap with the bone removed by moving it out (the rest flattens it).
PUSH_SHARE = 0.5
#: Bones considered for contact per body.
CONTACT_BONES = 2
#: Width / thickness of a tendon's cross-section.
TENDON_FLAT = 1.5
#: Exponent of a sheet's thickness across its width (|sin|^e): < 1 gives a flatter slab.
SHEET_THICKNESS_EXPONENT = 0.35


def _normalise(v: np.ndarray) -> np.ndarray:
    n = np.sqrt(_dot(v, v))[..., None]
    return v / np.maximum(n, 1e-9)


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.empty(np.broadcast_shapes(a.shape, b.shape), dtype=np.result_type(a, b))
    out[..., 0] = a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1]
    out[..., 1] = a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2]
    out[..., 2] = a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    return out


def _tube_volumes(rings: np.ndarray) -> np.ndarray:
    """Volume (n,) enclosed by closed tubes of rings (n, R, M, 3), their ends closed flat
    (divergence theorem; the ends' fans around the ring means add nothing about them)."""
    a = rings[:, :-1]
    b = rings[:, 1:]
    a1 = np.roll(a, -1, axis=2)
    b1 = np.roll(b, -1, axis=2)
    # Triangles (a, b1, b) and (a, a1, b1) of every quad between two rings.
    band = _dot(a, _cross(b1, b) + _cross(a1, b1)).sum(axis=(1, 2))
    caps = []
    for ring, sign in ((rings[:, 0], 1.0), (rings[:, -1], -1.0)):
        centre = ring.mean(axis=1, keepdims=True)
        caps.append(sign * _dot(centre, _cross(np.roll(ring, -1, axis=1), ring)).sum(axis=1))
    return np.abs(band + caps[0] + caps[1]) / 6.0


def _slice_spacing(c: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Distance between consecutive cross-sections along the body (n, R-1): the step of the
    centres along the mean tangent, so that slices sheared sideways add no volume."""
    step = np.diff(c, axis=1)
    return np.abs(_dot(step, t[:, 1:] + t[:, :-1])) * 0.5


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a[..., 0] * b[..., 0] + a[..., 1] * b[..., 1] + a[..., 2] * b[..., 2]


class MuscleShapes:
    """Geometry of all muscle bodies: fixed topology, vertices recomputed per frame.

    ``bodies`` from :func:`anatomy_viewer.anatomy.architecture.muscle_bodies`; ``tendon_radius``
    (n_muscles,) in metres; ``fields`` the bones' distance fields (None: no bone contact);
    ``neutral_paths`` (n_muscles, S, 3) and ``neutral_bones`` (n_bones, 4, 4) of a standing pose,
    used to choose each body's contact bones, its across order and its base thickness;
    ``extra_poses`` (paths, bone matrices) widen the choice of the bones near every ring.
    """

    def __init__(
        self,
        bodies: Sequence[MuscleBody],
        n_muscles: int,
        tendon_radius: np.ndarray,
        fields: BoneFields | None,
        neutral_paths: np.ndarray,
        neutral_bones: np.ndarray,
        rings: int = RINGS,
        sides: int = SIDES,
        extra_poses: Sequence[tuple[np.ndarray, np.ndarray]] = (),
    ) -> None:
        # Single lines first, sheets last: each kind is then one contiguous slice.
        self.bodies = [b for b in bodies if not b.is_sheet] + [b for b in bodies if b.is_sheet]
        self.n_bodies = nb = len(self.bodies)
        self.n_single = sum(not b.is_sheet for b in self.bodies)
        self.n_muscles = n_muscles
        self.rings = R = rings
        self.sides = M = sides
        self.verts_per_body = R * M + 2
        self.n_vertices = nb * self.verts_per_body
        self.fields = fields
        self._bones = np.asarray(neutral_bones)
        S = neutral_paths.shape[1]
        self.path_samples = S

        #: The MRI volume of every body (m^3), and the belly slice volume that holds it.
        self.target = np.array([b.volume for b in self.bodies], np.float32)
        self.volume = self.target.copy()
        self.is_sheet = np.array([b.is_sheet for b in self.bodies])
        self.body_of_muscle = np.zeros(n_muscles, np.int64)
        for k, b in enumerate(self.bodies):
            self.body_of_muscle[list(b.lines)] = k

        # Angles around a ring, spine parameter and thickness shape of every ring vertex.
        theta = 2.0 * np.pi * np.arange(M) / M
        self.theta = theta
        w = 0.5 * (1.0 - np.cos(theta))  # 0 .. 1 .. 0 across the spine
        self.w = w
        sin = np.sin(theta)
        self.sin = sin.astype(np.float32)
        self.cos = np.cos(theta).astype(np.float32)
        self.sin_step = np.float32(np.sin(2.0 * np.pi / M))
        self.h_sheet = (np.sign(sin) * np.abs(sin) ** SHEET_THICKNESS_EXPONENT).astype(np.float32)
        # Linear interpolation weights of the spine at each w over the KNOTS knots (0..1 evenly).
        kpos = np.linspace(0.0, 1.0, KNOTS)
        spine_w = np.zeros((M, KNOTS))
        for m, wm in enumerate(w):
            j = min(int(wm * (KNOTS - 1)), KNOTS - 2)
            t = wm * (KNOTS - 1) - j
            spine_w[m, j] = 1.0 - t
            spine_w[m, j + 1] = t
        self.spine_w = spine_w.astype(np.float32)
        # Spine differences s_{m-1} - s_{m+1} for the cross-section area.
        self.spine_d = (np.roll(spine_w, 1, axis=0) - np.roll(spine_w, -1, axis=0)).astype(
            np.float32
        )
        del kpos

        self._build_rings(tendon_radius)
        self._build_lines(neutral_paths)
        self.width_scale = np.ones(nb, np.float32)
        # Buffers of the single lines' ring products (vertex = [x, y, 1] @ [A; N; C]).
        ns = self.n_single
        self._coef = np.ones((ns, R, M, 3), np.float32)
        self._ncoef = np.zeros((ns, R, M, 3), np.float32)
        self._basis = np.zeros((ns, R, 3, 3), np.float32)
        self._neg_cos = -np.cos(theta).astype(np.float32)
        self.clamp_ring = np.ones((nb, R), bool)
        self.clamp_ring[:, [0, -1]] = False
        self.flat_sqrt = np.where(self.is_sheet, 1.0, np.sqrt(self.flat)).astype(np.float32)
        self.thin = (1.0 / self.flat_sqrt).astype(np.float32)
        self._build_topology()
        self._build_colour_weights()
        self._extra_poses = [(np.asarray(p), np.asarray(b)) for p, b in extra_poses]
        self._choose_contact_bones(neutral_paths, neutral_bones)
        self._orient_sheets(neutral_paths, neutral_bones)
        self._build_query(neutral_paths, neutral_bones)
        self._calibrate(neutral_paths, neutral_bones)

        # Per-frame state (filled by compute()).
        self.centres = np.zeros((nb, R, 3), np.float32)
        self.tangents = np.zeros((nb, R, 3), np.float32)
        self.paths = np.array(neutral_paths, np.float32)
        self.compute(
            neutral_paths,
            neutral_bones,
            np.zeros((self.n_vertices, 3), np.float32),
            np.zeros((self.n_vertices, 3), np.float32),
        )

    # ================================================================== construction
    def _build_rings(self, tendon_radius: np.ndarray) -> None:
        """Ring positions along the path, belly profile and tendon sizes of every body."""
        nb, R = self.n_bodies, self.rings
        u = np.zeros((nb, R))
        profile = np.zeros((nb, R))
        tendon = np.zeros((nb, R), bool)
        belly = np.zeros((nb, R), bool)
        rt = np.zeros(nb)
        for k, b in enumerate(self.bodies):
            start, end = b.belly  # a negative start extends the belly past the path's origin
            n_prox = 2 if start > 0.015 else 0
            n_dist = 3 if end < 0.985 else 0
            n_belly = R - n_prox - n_dist
            s = np.linspace(0.0, 1.0, n_belly)
            prox = np.linspace(0.0, start, n_prox + 1)[:-1] if n_prox else np.zeros(0)
            dist = np.linspace(end, 1.0, n_dist + 1)[1:] if n_dist else np.zeros(0)
            u[k] = np.concatenate([prox, start + (end - start) * s, dist])
            gamma = np.log(0.5) / np.log(np.clip(b.peak, 0.1, 0.9))
            p = np.sin(np.pi * s**gamma) ** (0.35 if b.is_sheet else 0.6)
            profile[k, n_prox : n_prox + n_belly] = p
            tendon[k, :n_prox] = True
            tendon[k, n_prox + n_belly :] = True
            belly[k, n_prox : n_prox + n_belly] = True
            rt[k] = float(np.max(tendon_radius[list(b.lines)]))
        self.u = u.astype(np.float32)
        self.profile = profile.astype(np.float32)
        self.tendon_ring = tendon
        self.belly_ring = belly
        #: Segments between two belly rings (nb, R-1).
        self.belly_segment = belly[:, 1:] & belly[:, :-1]
        self.tendon_half = np.stack([rt * np.sqrt(TENDON_FLAT), rt / np.sqrt(TENDON_FLAT)], 1)
        self.tendon_half = self.tendon_half.astype(np.float32)
        self.flat = np.array([b.flat for b in self.bodies], np.float32)
        #: Size of the attachment rings relative to the tendon (a tendon ends in a point; a
        #: belly that starts right at its origin keeps a small face there).
        self.end_taper = np.where(self.tendon_ring[:, [0, -1]], 0.15, 1.0).astype(np.float32)
        self.margin = np.array([b.margin for b in self.bodies], np.float32)
        i = np.arange(R)
        self._across_smooth = np.exp(-(((i[:, None] - i[None, :]) / 2.0) ** 2)).astype(np.float32)

    def _build_lines(self, neutral_paths: np.ndarray) -> None:
        """Gather indices and weights giving, per body and ring, four points across the body
        (its lines, or one line repeated) from the flattened paths (n_muscles * S, 3)."""
        nb, R, S = self.n_bodies, self.rings, self.path_samples
        idx = np.zeros((nb, R, 4, 4), np.int64)
        wt = np.zeros((nb, R, 4, 4), np.float32)
        self.line_order = []
        for b in self.bodies:
            self.line_order.append(list(b.lines))
        for k in range(nb):
            lines = self.line_order[k]
            nl = len(lines)
            pos = self.u[k] * (S - 1)
            j = np.clip(pos.astype(int), 0, S - 2)
            t = pos - j  # negative before the origin: the first segment extended
            for v in range(4):
                x = v * (nl - 1) / 3.0 if nl > 1 else 0.0
                a = min(int(x), max(nl - 2, 0))
                f = x - a if nl > 1 else 0.0
                la, lb = lines[a], lines[min(a + 1, nl - 1)]
                for q, (line, lw) in enumerate(((la, 1.0 - f), (lb, f))):
                    idx[k, :, v, 2 * q] = line * S + j
                    idx[k, :, v, 2 * q + 1] = line * S + j + 1
                    wt[k, :, v, 2 * q] = lw * (1.0 - t)
                    wt[k, :, v, 2 * q + 1] = lw * t
        self._line_idx = idx
        self._line_wt = wt
        # Single lines need one point per ring: two taps of the path.
        self._single_idx = idx[: self.n_single, :, 0, :2]
        self._single_wt = wt[: self.n_single, :, 0, :2] / np.maximum(
            wt[: self.n_single, :, 0, :2].sum(axis=2, keepdims=True), 1e-9
        )

    def _reverse_lines(self, k: int) -> None:
        self.line_order[k] = self.line_order[k][::-1]
        self._line_idx[k] = self._line_idx[k][:, ::-1]
        self._line_wt[k] = self._line_wt[k][:, ::-1]

    def _build_topology(self) -> None:
        R, M = self.rings, self.sides
        m = np.arange(M)
        m1 = (m + 1) % M
        tris = []
        for r in range(R - 1):
            a, b = r * M, (r + 1) * M
            tris.append(np.stack([a + m, b + m1, b + m], 1))
            tris.append(np.stack([a + m, a + m1, b + m1], 1))
        c0, c1 = R * M, R * M + 1
        last = (R - 1) * M
        tris.append(np.stack([np.full(M, c0), m1, m], 1))
        tris.append(np.stack([np.full(M, c1), last + m, last + m1], 1))
        self.template = np.concatenate(tris).astype(np.int64)
        #: Ring and side of every template triangle (cap triangles take the end rings).
        ring_of = np.concatenate(
            [np.repeat(np.arange(R - 1), 2 * M), np.zeros(M, int), np.full(M, R - 1)]
        )
        tri_m = self.template.copy()
        tri_m[tri_m >= R * M] = 0
        side_w = self.w[tri_m % M].mean(axis=1)
        side_w[-2 * M :] = self.w[np.concatenate([m, m])]
        self._tri_ring = ring_of
        self._tri_w = side_w

    def _build_colour_weights(self) -> None:
        """Per body: weights (M, 4) of each ring vertex over up to four lines, and the line of
        every triangle (the nearest line across the sheet)."""
        nb, M = self.n_bodies, self.sides
        self.colour_lines = np.zeros((nb, 4), np.int64)
        self.colour_w = np.zeros((nb, M, 4), np.float32)
        tri_line = []
        for k in range(nb):
            lines = self.line_order[k]
            nl = len(lines)
            self.colour_lines[k, :nl] = lines
            self.colour_lines[k, nl:] = lines[0]
            if nl == 1:
                self.colour_w[k, :, 0] = 1.0
                tri_line.append(np.full(len(self.template), lines[0]))
                continue
            # Line j sits at spine knot 1 + 3 j / (nl - 1), i.e. w = (1 + 3 j/(nl-1)) / 5.
            lw = (1.0 + 3.0 * np.arange(nl) / (nl - 1)) / (KNOTS - 1)
            x = np.interp(self.w, lw, np.arange(nl))
            a = np.minimum(x.astype(int), nl - 2)
            f = x - a
            self.colour_w[k, np.arange(M), a] = 1.0 - f
            self.colour_w[k, np.arange(M), a + 1] += f
            nearest = np.abs(self._tri_w[:, None] - lw[None, :]).argmin(axis=1)
            tri_line.append(np.array(lines)[nearest])
        self.triangle_muscle = np.stack(tri_line)  # (nb, T)
        # Tendon triangles: segments not between two belly rings, and caps on tendon rings.
        M = self.sides
        seg_tendon = ~self.belly_segment  # (nb, R-1)
        self.triangle_tendon = np.concatenate(
            [
                np.repeat(seg_tendon, 2 * M, axis=1),
                np.repeat(self.tendon_ring[:, :1], M, axis=1),
                np.repeat(self.tendon_ring[:, -1:], M, axis=1),
            ],
            axis=1,
        )
        # Alternate belly rings carry the bands of a lengthening muscle; tendon rings are pale.
        belly_index = np.cumsum(self.belly_ring, axis=1) - 1
        self.band = (self.belly_ring & (belly_index % 2 == 1)).astype(np.float32)

    def _choose_contact_bones(self, paths: np.ndarray, bones: np.ndarray) -> None:
        """The two bones nearest to every ring (over the standing pose and the extra poses),
        and for every body the two nearest to any of its rings."""
        nb, R = self.n_bodies, self.rings
        self.ring_contact = np.zeros((nb, R, CONTACT_BONES), np.int64)
        self.contact = np.zeros((nb, CONTACT_BONES), np.int64)
        if self.fields is None:
            return
        n_bones = len(bones)
        best = np.full((nb, R, n_bones), np.inf)
        for p, m in [(paths, bones), *self._extra_poses]:
            centres = self._line_points(p).mean(axis=2)  # (nb, R, 3)
            pts = np.repeat(centres.reshape(-1, 3), n_bones, axis=0)
            ids = np.tile(np.arange(n_bones), nb * R)
            d, _ = self.fields.lookup(pts.astype(np.float32), ids, m)
            best = np.minimum(best, d.reshape(nb, R, n_bones))
        self.ring_contact = np.argsort(best, axis=2)[..., :CONTACT_BONES]
        self.contact = np.argsort(best.min(axis=1), axis=1)[:, :CONTACT_BONES]

    def _neutral_sheet_vertices(self, paths: np.ndarray, bones: np.ndarray) -> np.ndarray:
        """The sheets' vertices (before draping) for a pose, with provisional sizes."""
        ns = self.n_single
        flat = np.asarray(paths, np.float32).reshape(-1, 3)
        q = (self._line_wt[ns:, ..., None] * flat[self._line_idx[ns:]]).sum(axis=3)
        c = q.mean(axis=2)
        t = _normalise(np.gradient(c, axis=1))
        half_t = np.maximum(0.01 * self.profile[ns:], self.tendon_half[ns:, 1:])
        return self._sheet_shape(q, c, t, half_t)

    def _build_query(self, paths: np.ndarray, bones: np.ndarray) -> None:
        if self.fields is None:
            return
        nb, R = self.n_bodies, self.rings
        # One look-up per frame: the ring centres of single lines, and the vertices on the
        # bone side of the sheets (not their end rings), each against two bones.
        ns, M = self.n_single, self.sides
        # Single lines: every ring but the attachments.
        belly = self.clamp_ring[:ns].reshape(-1)
        self._ring_sel = np.flatnonzero(belly)
        # The ring points appear twice: against each body's first, then its second bone.
        ring_ids = self.ring_contact[:ns].reshape(-1, CONTACT_BONES)[self._ring_sel].T.reshape(-1)
        # The attachment rings take their direction to the bone from their neighbours.
        r = np.arange(R)
        nearest = np.zeros((ns, R), np.int64)
        for k in range(ns):
            rings = np.flatnonzero(self.clamp_ring[k])
            pick = rings[np.abs(r[:, None] - rings[None, :]).argmin(axis=1)]
            nearest[k] = np.searchsorted(self._ring_sel, k * R + pick)
        self._ring_source = nearest
        sel = np.zeros((nb - ns, R, M), bool)
        sel[:, :, :] = (np.sin(self.theta) <= 1e-6)[None, None, :]
        sel &= self.belly_ring[ns:, :, None] & self.clamp_ring[ns:, :, None]
        self._sheet_sel = np.flatnonzero(sel.reshape(-1))
        self._n_ring_lookups = len(ring_ids)
        # A sheet's vertex drapes over the one of its body's bones nearest to it standing.
        pts_sheets = self._neutral_sheet_vertices(paths, bones).reshape(-1, 3)[self._sheet_sel]
        ring_of_sel = ns * R + self._sheet_sel // M  # (body, ring) of every sheet vertex
        cand = self.ring_contact.reshape(-1, CONTACT_BONES)[ring_of_sel]  # (k, 2)
        d, _ = self.fields.lookup(
            np.repeat(pts_sheets, CONTACT_BONES, axis=0).astype(np.float32),
            cand.reshape(-1),
            bones,
        )
        nearest = d.reshape(-1, CONTACT_BONES).argmin(axis=1)
        sheet_ids = cand[np.arange(len(cand)), nearest]
        self._query = self.fields.query(np.concatenate([ring_ids, sheet_ids]))

    def _orient_sheets(self, paths: np.ndarray, bones: np.ndarray) -> None:
        """Order every sheet's lines so that its normal (tangent x across) faces away from the
        bone beneath, giving all bodies the same handedness."""
        if self.fields is None:
            return
        pts = self._line_points(paths)
        for k in np.flatnonzero(self.is_sheet):
            c = pts[k].mean(axis=1)
            t = _normalise(np.gradient(c, axis=0))
            x = pts[k, :, 3] - pts[k, :, 0]
            n = _normalise(_cross(t, x))
            d, g = self._bone_distance(c[None], bones, k_only=k)
            if float(np.sum(_dot(n, g[0]))) < 0.0:
                self._reverse_lines(k)
        self._build_colour_weights()

    def _calibrate(self, paths: np.ndarray, bones: np.ndarray) -> None:
        """Base sizes that hold each body's volume in the neutral pose (so per-frame width
        corrections stay near 1), and each belly's neutral length."""
        nb = self.n_bodies
        self.base = np.full(nb, 0.02, np.float32)
        self.rest_length = np.ones(nb, np.float32)
        self.rest_length = self._belly_lengths(self._line_points(paths).mean(axis=2))
        out_p = np.zeros((self.n_vertices, 3), np.float32)
        out_n = np.zeros((self.n_vertices, 3), np.float32)
        for _ in range(5):
            self.compute(paths, bones, out_p, out_n)
            # A single line's area goes with base^2, a sheet's with base (its width is fixed).
            k = np.clip(self.width_scale, 0.05, 20.0)
            self.base *= np.where(self.is_sheet, k, np.sqrt(k)).astype(np.float32)
        self.compute(paths, bones, out_p, out_n)
        # The slices miss a little of the closed surface (tendons, caps, non-planar rings of
        # sheets): hold the closed body's volume by aiming the slices at the measured ratio.
        for _ in range(2):
            closed = np.abs(self.closed_volumes(out_p))
            self.volume = self.volume * self.target / np.maximum(closed, 1e-12)
            self.compute(paths, bones, out_p, out_n)
        # Wind every triangle outwards (positive enclosed volume).
        v = out_p[self.triangles(np.arange(self.n_single))].astype(np.float64)
        if np.einsum("ij,ij->i", v[:, 0], np.cross(v[:, 1], v[:, 2])).sum() < 0:
            self.template = self.template[:, [0, 2, 1]]
        v = out_p[self.triangles()]
        c = v.mean(axis=1) - self.centres[tuple(self.ring_of_vertex(self.triangles()[:, 0]))]
        sheet_tris = np.repeat(self.is_sheet, len(self.template))
        n_dir = out_n[self.triangles()[:, 0]]
        if np.sum(np.einsum("ij,ij->i", n_dir[sheet_tris], c[sheet_tris])) < 0:
            self._sign = np.float32(-1.0)
            self.compute(paths, bones, out_p, out_n)

    # ================================================================== per frame
    def _line_points(self, paths: np.ndarray) -> np.ndarray:
        flat = np.asarray(paths, np.float32).reshape(-1, 3)
        return (self._line_wt[..., None] * flat[self._line_idx]).sum(axis=3)

    def _belly_lengths(self, centres: np.ndarray) -> np.ndarray:
        seg = np.sqrt(_dot(np.diff(centres, axis=1), np.diff(centres, axis=1)))
        return (seg * self.belly_segment).sum(axis=1).astype(np.float32)

    def _bone_distance(
        self, centres: np.ndarray, bones: np.ndarray, k_only: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Distance (nb, R) from ring centres to the nearest contact bone and its outward
        direction (nb, R, 3) (at build time; a frame uses the prepared query)."""
        shape = centres.shape[:2]
        pts = np.repeat(centres.reshape(-1, 3), CONTACT_BONES, axis=0)
        rc = self.ring_contact if k_only is None else self.ring_contact[k_only : k_only + 1]
        ids = rc.reshape(-1)
        d, g = self.fields.lookup(pts, ids, bones)
        d = d.reshape(*shape, CONTACT_BONES)
        g = g.reshape(*shape, CONTACT_BONES, 3)
        best = d.argmin(axis=2)
        dist = np.take_along_axis(d, best[..., None], axis=2)[..., 0]
        grad = np.take_along_axis(g, best[..., None, None], axis=2)[..., 0, :]
        return dist, grad

    def compute(
        self,
        paths: np.ndarray,
        bone_matrices: np.ndarray,
        out_points: np.ndarray,
        out_normals: np.ndarray,
    ) -> None:
        """Write all vertices and unit normals (n_vertices, 3) for ``paths`` (n_muscles, S, 3)
        and ``bone_matrices`` (n_bones, 4, 4)."""
        nb, R, M = self.n_bodies, self.rings, self.sides
        ns = self.n_single
        self.paths = np.asarray(paths, np.float32)
        flat = self.paths.reshape(-1, 3)
        c = np.empty((nb, R, 3), np.float32)
        c[:ns] = (self._single_wt[..., None] * flat[self._single_idx]).sum(axis=2)
        q = (self._line_wt[ns:, ..., None] * flat[self._line_idx[ns:]]).sum(axis=3)
        c[ns:] = q.mean(axis=2)
        t = np.empty_like(c)
        t[:, 1:-1] = c[:, 2:] - c[:, :-2]
        t[:, 0] = c[:, 1] - c[:, 0]
        t[:, -1] = c[:, -1] - c[:, -2]
        t = _normalise(t)

        # Sizes: belly profile on tendon floors; a shortened belly thickens (constant volume).
        seg = np.sqrt(_dot(np.diff(c, axis=1), np.diff(c, axis=1)))
        length = (seg * self.belly_segment).sum(axis=1)
        bulge = np.clip(np.sqrt(self.rest_length / np.maximum(length, 1e-4)), 0.7, 1.4)
        base = (self.base * bulge)[:, None] * self.profile
        half_w = np.maximum(base * self.flat_sqrt[:, None], self.tendon_half[:, :1])
        half_t = np.maximum(base * self.thin[:, None], self.tendon_half[:, 1:])
        # The attachments narrow to a point where the tendon enters the bone.
        half_w[:, [0, -1]] *= self.end_taper
        half_t[:, [0, -1]] *= self.end_taper

        pts = out_points.reshape(nb, self.verts_per_body, 3)
        nrm_out = out_normals.reshape(nb, self.verts_per_body, 3)
        ring_pts = pts[:, : R * M].reshape(nb, R, M, 3)
        ring_nrm = nrm_out[:, : R * M].reshape(nb, R, M, 3)
        sheet_verts = self._sheet_shape(q, c[ns:], t[ns:], half_t[ns:]) if ns < nb else None

        # The bones beneath: distance and outward direction at the single lines' ring centres
        # and at the sheets' bone-side vertices, in one look-up.
        self._bones = np.asarray(bone_matrices)
        if self.fields is not None:
            ring_c = c[:ns].reshape(-1, 3)[self._ring_sel]
            parts = [ring_c, ring_c]
            if sheet_verts is not None:
                parts.append(sheet_verts.reshape(-1, 3)[self._sheet_sel])
            dist, grad = self._query.lookup(np.concatenate(parts), self._bones)
            k = self._n_ring_lookups
            half = k // 2
            first = dist[:half] <= dist[half:k]
            d_sel = np.where(first, dist[:half], dist[half:k])
            g_sel = np.where(first[:, None], grad[:half], grad[half:k])
            d = np.where(self.clamp_ring[:ns], d_sel[self._ring_source], np.inf)
            g = g_sel[self._ring_source]
            # The other bone (a muscle between two bones): a second plane to stay out of.
            d_o = np.where(first, dist[half:k], dist[:half])
            g_o = np.where(first[:, None], grad[half:k], grad[:half])
            other = (
                np.where(self.clamp_ring[:ns], d_o[self._ring_source], np.inf),
                g_o[self._ring_source],
            )
            # Sheets drape over the bones: a vertex inside moves out along the surface normal.
            if sheet_verts is not None:
                lift = np.maximum(GAP - dist[k:], 0.0)[:, None] * grad[k:]
                flat_v = sheet_verts.reshape(-1, 3)
                flat_v[self._sheet_sel] += lift
        else:
            d = np.full((ns, R), np.inf, np.float32)
            g = np.zeros((ns, R, 3), np.float32)
            g[..., 2] = 1.0
            other = None

        # Single lines move out of the bone by part of the overlap (not at the attachments).
        cs = c[:ns]
        push = np.maximum(half_t[:ns] + GAP - d, 0.0) * PUSH_SHARE
        push[:, 0] = 0.0
        push[:, -1] = 0.0
        push[:, 1:-1] = 0.25 * push[:, :-2] + 0.5 * push[:, 1:-1] + 0.25 * push[:, 2:]
        cs = cs + g * push[..., None]
        depth = np.where(self.clamp_ring[:ns], d + push - GAP, np.inf)
        if other is not None:
            # The second bone's distance from the moved centre.
            other = (other[0] + push * _dot(g, other[1]) - GAP, other[1])
        self._singles(
            cs, t[:ns], g, half_w[:ns], half_t[:ns], depth, ring_pts[:ns], ring_nrm[:ns], other
        )
        c[:ns] = cs
        if sheet_verts is not None:
            self._sheet_volume_fix(sheet_verts)
            self._sheet_normals(sheet_verts, ring_pts[ns:], ring_nrm[ns:])
        # End caps, just beyond the end rings.
        th = self.tendon_half[:, :1]
        pts[:, R * M] = ring_pts[:, 0].mean(axis=1) - t[:, 0] * 0.3 * th
        pts[:, R * M + 1] = ring_pts[:, -1].mean(axis=1) + t[:, -1] * 0.3 * th
        nrm_out[:, R * M] = -t[:, 0]
        nrm_out[:, R * M + 1] = t[:, -1]
        self.centres = c
        self.tangents = t

    def _singles(self, c, t, g, half_w, half_t, depth, out_p, out_n, other=None) -> None:
        """Elliptic cross-sections, thin side to the bone, flattened on it; volume by width."""
        # The bone's direction, smoothed along the body so that the cross-sections do not
        # twist where the bone beneath changes (a twisted flat belly would lose volume).
        gs = np.matmul(self._across_smooth, g * np.exp(-np.minimum(depth, 0.05) * 40.0)[..., None])
        gs -= _dot(gs, t)[..., None] * t
        bad = _dot(gs, gs) < 1e-8
        if bad.any():
            gs[bad] = _cross(t, np.array([0.0, 0.0, 1.0], np.float32))[bad]
        n = _normalise(gs)
        a = _cross(n, t)
        coef, ncoef, basis = self._coef, self._ncoef, self._basis
        y = coef[..., 1]
        hs = half_t[..., None] * self.sin
        np.maximum(hs, -depth[..., None], out=y)
        x = coef[..., 0]
        np.multiply(half_w[..., None], self._neg_cos, out=x)
        if other is not None:
            # Stay out of the second bone too: vertices beyond its tangent line move onto it.
            d2, g2 = other
            ga, gn = _dot(a, g2), _dot(n, g2)
            norm = np.maximum(np.sqrt(ga * ga + gn * gn), 1e-6)
            ga, gn = (ga / norm)[..., None], (gn / norm)[..., None]
            d2 = np.minimum(d2, 1.0)[..., None]

            def second_bone() -> None:
                over = np.minimum(x * ga + y * gn + d2, 0.0)
                x[:] -= over * ga
                y[:] -= over * gn

            second_bone()
        # Area of every cross-section as drawn (shoelace), slices summed: the belly's volume.
        area = 0.5 * (x * np.roll(y, -1, axis=2) - np.roll(x, -1, axis=2) * y).sum(axis=2)
        area = np.abs(area)
        seg = _slice_spacing(c, t)
        vol = (0.5 * (area[:, 1:] + area[:, :-1]) * seg * self.belly_segment[: len(c)]).sum(1)
        k = np.clip(self.volume[: len(c)] / np.maximum(vol, 1e-12), 0.2, 5.0)
        self.width_scale[: len(c)] = k
        #: Cross-section areas of the single lines' rings (m^2) before the last correction.
        self.ring_area = area
        # Held by the width (the thickness is what the bone allows).
        x *= np.where(self.belly_ring[: len(c)], k[:, None], 1.0)[..., None]
        half_w = np.where(self.belly_ring[: len(c)], half_w * k[:, None], half_w)
        if other is not None:
            second_bone()
        basis[:, :, 0] = a
        basis[:, :, 1] = n
        basis[:, :, 2] = c - c[:, :1]  # about each body's first ring (float32 precision)
        np.matmul(coef, basis, out=out_p)
        # The slices are exact only for straight bellies: where a flattened belly bends (at the
        # knee, the hip) the surface encloses more or less. Measure the closed surface and
        # correct the widths once more (the belly's volume goes linearly with its width).
        enclosed = _tube_volumes(out_p)
        vol_belly = 0.5 * (area[:, 1:] + area[:, :-1]) * seg * self.belly_segment[: len(c)]
        vol_belly = vol_belly.sum(axis=1) * k
        k2 = 1.0 + (self.target[: len(c)] - enclosed) / np.maximum(vol_belly, 1e-12)
        k2 = np.clip(k2, 0.5, 2.0)
        x *= np.where(self.belly_ring[: len(c)], k2[:, None], 1.0)[..., None]
        half_w = np.where(self.belly_ring[: len(c)], half_w * k2[:, None], half_w)
        if other is not None:
            second_bone()
        basis[:, :, 2] = c
        np.matmul(coef, basis, out=out_p)
        # Normals of the ellipse (b cos, a sin) in (-A, N); flat where pressed on the bone.
        flat = y > hs + 1e-7
        nx = np.where(flat, 0.0, half_t[..., None] * self._neg_cos)
        ny = np.where(flat, -half_w[..., None], half_w[..., None] * self.sin)
        inv = 1.0 / np.maximum(np.sqrt(nx * nx + ny * ny), 1e-12)
        np.multiply(nx, inv, out=ncoef[..., 0])
        np.multiply(ny, inv, out=ncoef[..., 1])
        np.matmul(ncoef, basis, out=out_n)

    def _sheet_shape(self, q, c, t, half_t) -> np.ndarray:
        """Vertices (n, R, M, 3) of the sheets: lens-shaped cross-sections spread across their
        lines, thick enough to hold their volumes (before they drape over the bones)."""
        # Across direction, borrowed from the wide rings where the lines converge.
        x_dir = np.matmul(self._across_smooth, q[:, :, 3] - q[:, :, 0])
        n = _normalise(_cross(t, x_dir))
        x_unit = _normalise(x_dir)
        knots = np.empty(q.shape[:2] + (KNOTS, 3), np.float32)
        spread = q - c[:, :, None, :]
        ns = self.n_single
        margin = (self.margin[ns:, None] * self.profile[ns:] + 0.002)[..., None]
        knots[:, :, 1:5] = spread
        knots[:, :, 0] = spread[:, :, 0] - x_unit * margin
        knots[:, :, 5] = spread[:, :, 3] + x_unit * margin
        spine = np.matmul(self.spine_w, knots)  # (n, R, M, 3)
        y = half_t[..., None] * self.h_sheet[None, None]
        diff = np.matmul(self.spine_d, knots)
        area = np.abs(0.5 * (y * _dot(diff, _cross(n, t)[:, :, None, :])).sum(axis=2))
        seg = _slice_spacing(c, t)
        vol = (0.5 * (area[:, 1:] + area[:, :-1]) * seg * self.belly_segment[ns:]).sum(axis=1)
        k = np.clip(self.volume[ns:] / np.maximum(vol, 1e-12), 0.2, 5.0)
        self.width_scale[ns:] = k
        # Volume by thickness for sheets (their width is that of their lines).
        y = np.where(self.belly_ring[ns:, :, None], y * k[:, None, None], y)
        self._sheet_frame = (c, n, vol * k)
        return c[:, :, None, :] + spine + y[..., None] * n[:, :, None, :]

    def _sheet_volume_fix(self, verts: np.ndarray) -> None:
        """Bring each sheet's closed volume (after draping) to its MRI volume by its thickness."""
        c, n, vol_belly = self._sheet_frame
        ns = self.n_single
        origin = c[:, :1, None, :]
        enclosed = _tube_volumes(verts - origin)
        k = np.clip(1.0 + (self.target[ns:] - enclosed) / np.maximum(vol_belly, 1e-12), 0.5, 2.0)
        off = _dot(verts - c[:, :, None, :], n[:, :, None, :])  # (n, R, M)
        grow = np.where(self.belly_ring[ns:], (k - 1.0)[:, None], 0.0)[..., None]
        verts += (grow * off)[..., None] * n[:, :, None, :]

    def _sheet_normals(self, verts, out_p, out_n) -> None:
        out_p[:] = verts
        around = np.roll(verts, -1, axis=2) - np.roll(verts, 1, axis=2)
        along = np.empty_like(verts)
        along[:, 1:-1] = verts[:, 2:] - verts[:, :-2]
        along[:, 0] = verts[:, 1] - verts[:, 0]
        along[:, -1] = verts[:, -1] - verts[:, -2]
        out_n[:] = _normalise(_cross(along, around) * self._sign)

    _sign = np.float32(1.0)

    def colours(
        self, line_rgb: np.ndarray, tendon_rgb: np.ndarray, bands: np.ndarray, out: np.ndarray
    ) -> None:
        """Vertex colours (n_vertices, 3) uint8 into ``out``: each line's colour ``line_rgb``
        (n_muscles, 3, 0..1) blended across its sheet, tendons ``tendon_rgb``, and alternate
        belly rings darkened by ``bands`` (n_muscles,) (0 = plain)."""
        nb, R, M = self.n_bodies, self.rings, self.sides
        body_rgb = np.asarray(line_rgb, np.float32)[self.colour_lines]  # (nb, 4, 3)
        ring_rgb = np.matmul(self.colour_w, body_rgb) * 255.0 + 0.5  # (nb, M, 3)
        view = out.reshape(nb, self.verts_per_body, 3)
        rings = view[:, : R * M].reshape(nb, R, M, 3)
        rings[:] = ring_rgb[:, None]
        bands = np.asarray(bands, np.float32)
        if bands.any():
            banded = np.flatnonzero(bands[self.colour_lines].max(axis=1) > 0)
            depth = np.matmul(self.colour_w[banded], bands[self.colour_lines[banded], None])
            shade = 1.0 - self.band[banded, :, None] * depth[:, None, :, 0]
            rings[banded] = ring_rgb[banded, None] * shade[..., None]
        tendon8 = (np.asarray(tendon_rgb, np.float32) * 255.0 + 0.5).astype(np.uint8)
        rings[self.tendon_ring] = tendon8
        view[:, R * M] = view[:, 0]
        view[:, R * M + 1] = view[:, R * M - 1]

    def attachment_mask(self) -> np.ndarray:
        """Mask (n_vertices,) of the vertices of the end rings and end points of every body."""
        R, M = self.rings, self.sides
        one = np.zeros(self.verts_per_body, bool)
        one[:M] = True
        one[(R - 1) * M : R * M] = True
        one[R * M :] = True
        return np.tile(one, self.n_bodies)

    def closed_volumes(self, points: np.ndarray) -> np.ndarray:
        """Volume (m^3) enclosed by every body's closed surface (divergence theorem)."""
        v = np.asarray(points, np.float64)[self.triangles()]
        vol = np.einsum("ij,ij->i", v[:, 0], np.cross(v[:, 1], v[:, 2])) / 6.0
        return vol.reshape(self.n_bodies, -1).sum(axis=1)

    # ================================================================== topology queries
    def triangles(self, bodies: np.ndarray | None = None) -> np.ndarray:
        """Triangles (k, 3) of the given bodies (all by default) in the merged numbering."""
        b = np.arange(self.n_bodies) if bodies is None else np.asarray(bodies, np.int64)
        return (self.template[None] + b[:, None, None] * self.verts_per_body).reshape(-1, 3)

    def cells_of_muscles(
        self, muscles: np.ndarray, tendon: bool | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Triangles (k, 3) of the given muscle lines and the line of each (k,); ``tendon``
        True or False keeps only the tendon or only the belly triangles."""
        muscles = np.asarray(muscles, np.int64)
        if len(muscles) == 0:
            return np.zeros((0, 3), np.int64), np.zeros(0, np.int64)
        bodies = np.unique(self.body_of_muscle[muscles])
        tris = self.triangles(bodies)
        owner = self.triangle_muscle[bodies].reshape(-1)
        keep = np.isin(owner, muscles)
        if tendon is not None:
            keep &= self.triangle_tendon[bodies].reshape(-1) == tendon
        return tris[keep], owner[keep]

    def vertex_ids(self, muscles: np.ndarray) -> np.ndarray:
        """Sorted ids of the vertices used by the triangles of the given muscle lines."""
        tris, _ = self.cells_of_muscles(muscles)
        return np.unique(tris)

    def ring_of_vertex(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Body and ring (cap vertices: the end rings) of vertex ids."""
        ids = np.asarray(ids, np.int64)
        body, local = np.divmod(ids, self.verts_per_body)
        ring = np.minimum(local // self.sides, self.rings - 1)
        ring = np.where(local == self.rings * self.sides, 0, ring)
        return body, ring

    def inflated(
        self, ids: np.ndarray, points: np.ndarray, normals: np.ndarray, factor: float, extra: float
    ) -> np.ndarray:
        """Vertices ``ids`` moved out: away from their ring centre by ``factor`` and along
        their normal by ``extra`` metres (outline shells)."""
        body, ring = self.ring_of_vertex(ids)
        centre = self.centres[body, ring]
        p = points[ids]
        return centre + (p - centre) * factor + normals[ids] * extra

    def mid_belly_vertices(self, muscle: int) -> np.ndarray:
        """Ids of the vertices of muscle line ``muscle`` in the middle third of its belly."""
        return self.belly_vertices(muscle, middle=True)

    def belly_vertices(self, muscle: int, middle: bool = False) -> np.ndarray:
        """Ids of the vertices of muscle line ``muscle`` on its belly (its middle third)."""
        k = int(self.body_of_muscle[muscle])
        belly = np.flatnonzero(self.belly_ring[k])
        lo, hi = belly[0] + 1, belly[-1] - 1
        if middle:
            lo, hi = lo + (hi - lo) // 3, hi - (hi - lo) // 3
        rings = np.arange(lo, hi + 1)
        if self.is_sheet[k]:
            lines = self.line_order[k]
            j = lines.index(int(muscle))
            lw = (1.0 + 3.0 * np.arange(len(lines)) / (len(lines) - 1)) / (KNOTS - 1)
            sides = np.flatnonzero(np.abs(self.w - lw[j]) <= 0.5 / (KNOTS - 1) + 1e-6)
        else:
            sides = np.arange(self.sides)
        return (k * self.verts_per_body + rings[:, None] * self.sides + sides[None, :]).ravel()
