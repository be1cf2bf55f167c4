"""Muscle bodies that hold their real volumes, lie on the bones and end in tendons.

Each drawn body (see :mod:`anatomy_viewer.anatomy.architecture`) is a closed tube of fixed
topology swept along the model's muscle path(s): ``RINGS`` cross-sections of ``SIDES`` vertices,
plus one cap vertex at each end. Built once; every frame :meth:`MuscleShapes.compute` writes the
vertices and normals of all bodies in place from the posed paths and bones (numpy, vectorised
over all bodies; no Python loop over muscles).

Construction of one frame:

* Rings. The path is split into a proximal tendon, the fleshy belly and a distal tendon at the
  body's belly span. Tendon rings are thin flat ellipses (or a broad band, the calcaneal
  tendon); belly rings follow a spindle profile whose peak sits where the muscle is thickest.
  A belly may reach beyond its path's origin up along its bone (the vasti up the femur), and
  a tendon may run into another's (the gastrocnemius heads into the calcaneal tendon).
* Sheets. A muscle the model splits into several lines (gluteus maximus 1-3, ...) is one body
  whose cross-section is a lens spread across its lines (a spine through the lines, a margin
  beyond the outer ones, thickness on both sides), so the lines form one continuous fleshy
  fan; each vertex carries colour weights of the two nearest lines. Where a sheet's bone side
  reaches into a bone it is lifted off along the sheet's thickness.
* Bone contact. At every ring centre of a single line the signed distance and direction to
  its two nearest bones are looked up (:mod:`anatomy_viewer.scene.bone_contact`). Both bones
  push the centre out by part of any overlap; the cross-section turns its thin side to them
  (their directions weighted by nearness, smoothed along the body), rests on the nearer one,
  and stays out of both (their tangent planes, or the shaft a wrapping belly bends around).
  Every step is continuous in the pose, so the surfaces of neighbouring frames of a cycle are
  neighbours too, and a pose between two frames may take the blend of their surfaces
  (:mod:`anatomy_viewer.scene.surface_cache`).
* Volume. The belly's volume (sum over ring slices of cross-section area times spacing) is
  brought to the body's MRI volume by scaling the widths, then corrected once more by the
  volume the closed surface encloses; a belly that shortens first thickens (constant volume),
  so a contracting muscle bulges.
* Normals from the surface itself (around each ring x along the body), facing out.
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
        bone_axes: np.ndarray | None = None,
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
        sheet_round = np.array([[[b.round]] for b in self.bodies if b.is_sheet], np.float32)
        #: Thickness across every sheet (n_sheets, 1, M): |sin|^round, flat slab to lens.
        self.h_sheet = (np.sign(sin) * np.abs(sin) ** sheet_round).astype(np.float32)
        # Linear interpolation weights of the spine at each w over the KNOTS knots (0..1 evenly).
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

        self._build_rings(tendon_radius)
        self._build_lines(neutral_paths)
        self.width_scale = np.ones(nb, np.float32)
        # Buffers of the single lines' ring products (vertex = [x, y, 1] @ [A; N; C]).
        ns = self.n_single
        self._coef = np.ones((ns, R, M, 3), np.float32)
        self._basis = np.zeros((ns, R, 3, 3), np.float32)
        self._neg_cos = -np.cos(theta).astype(np.float32)
        self.clamp_ring = np.ones((nb, R), bool)
        self.clamp_ring[:, [0, -1]] = False
        self.flat_sqrt = np.where(self.is_sheet, 1.0, np.sqrt(self.flat)).astype(np.float32)
        self.thin = (1.0 / self.flat_sqrt).astype(np.float32)
        self._sign = np.ones(nb, np.float32)
        self._build_joins(neutral_paths)
        self._build_extensions(neutral_paths, neutral_bones, bone_axes)
        self._build_topology()
        self._build_colour_weights()
        self._extra_poses = [(np.asarray(p), np.asarray(b)) for p, b in extra_poses]
        self._choose_contact_bones(neutral_paths, neutral_bones)
        self._choose_shafts()
        self._orient_sheets(neutral_paths, neutral_bones)
        self._build_query(neutral_paths, neutral_bones)
        # Per-frame state (filled by compute(); calibrating leaves that of the standing pose).
        self.centres = np.zeros((nb, R, 3), np.float32)
        self.paths = np.array(neutral_paths, np.float32)
        self._calibrate(neutral_paths, neutral_bones)

    # ================================================================== construction
    def _build_rings(self, tendon_radius: np.ndarray) -> None:
        """Ring positions along the path, belly profile and tendon sizes of every body."""
        nb, R = self.n_bodies, self.rings
        u = np.zeros((nb, R))
        profile = np.zeros((nb, R))
        tendon = np.zeros((nb, R), bool)
        belly = np.zeros((nb, R), bool)
        rt = np.zeros(nb)
        belly_s = np.ones((nb, R))  # position along the belly, 0 (proximal) .. 1 (distal)
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
            belly_s[k, n_prox : n_prox + n_belly] = s
            tendon[k, :n_prox] = True
            tendon[k, n_prox + n_belly :] = True
            belly[k, n_prox : n_prox + n_belly] = True
            rt[k] = float(np.max(tendon_radius[list(b.lines)]))
        self.u = u.astype(np.float32)
        self.profile = profile.astype(np.float32)
        #: 1 along the upper belly, fading to 0 over its lowest third: where a belly keeps to
        #: its bone (follow, hug) rather than turning to its insertion.
        self._upper = np.clip((0.85 - belly_s) / 0.35, 0.0, 1.0).astype(np.float32) * belly
        self.tendon_ring = tendon
        self.belly_ring = belly
        #: Segments between two belly rings (nb, R-1).
        self.belly_segment = belly[:, 1:] & belly[:, :-1]
        self.tendon_half = np.stack([rt * np.sqrt(TENDON_FLAT), rt / np.sqrt(TENDON_FLAT)], 1)
        self.tendon_half = self.tendon_half.astype(np.float32)
        #: Smallest half width and half thickness of every ring (nb, R, 2): the tendon's. A
        #: body with a broad distal tendon (the calcaneal tendon, the iliotibial tract) has it
        #: from its last belly ring on.
        floor = np.repeat(self.tendon_half[:, None, :], R, axis=1)
        broad = np.zeros(nb, bool)
        for k, b in enumerate(self.bodies):
            if b.tendon is not None:
                last_belly = int(np.flatnonzero(belly[k])[-1])
                floor[k, last_belly:] = (0.5 * b.tendon[0], 0.5 * b.tendon[1])
                broad[k] = True
        self.floor = floor.astype(np.float32)
        self.flat = np.array([b.flat for b in self.bodies], np.float32)
        #: Size of the attachment rings relative to the tendon (a tendon ends in a point, a
        #: broad tendon in a narrower band; a belly that starts right at its origin keeps a
        #: small face there).
        taper = np.where(broad[:, None], 0.6, 0.15)
        self.end_taper = np.where(self.tendon_ring[:, [0, -1]], taper, 1.0).astype(np.float32)
        self.margin = np.array([b.margin for b in self.bodies], np.float32)
        self.margin_last = np.array(
            [b.margin if b.margin_last is None else b.margin_last for b in self.bodies],
            np.float32,
        )
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

    def _build_joins(self, neutral_paths: np.ndarray) -> None:
        """Where a body's distal tendon joins another body's (``joins``): its tendon rings
        run along that body's line, at the same distance from the insertion."""
        S = self.path_samples
        seg = np.linalg.norm(np.diff(np.asarray(neutral_paths, float), axis=1), axis=2)
        length = seg.sum(axis=1)  # (n_muscles,)
        by_key = {(b.key, b.side): b for b in self.bodies}
        body, ring, idx, wt = [], [], [], []
        for k, b in enumerate(self.bodies):
            if b.joins is None or self.is_sheet[k]:
                continue
            own, other = b.lines[0], by_key[(b.joins, b.side)].lines[0]
            last_belly = int(np.flatnonzero(self.belly_ring[k])[-1])
            for r in range(last_belly + 1, self.rings):
                before_end = (1.0 - float(self.u[k, r])) * length[own]
                pos = np.clip(1.0 - before_end / length[other], 0.0, 1.0) * (S - 1)
                j = min(int(pos), S - 2)
                f = pos - j
                body.append(k)
                ring.append(r)
                idx.append([other * S + j, other * S + j + 1])
                wt.append([1.0 - f, f])
        self._join_body = np.array(body, np.int64)
        self._join_ring = np.array(ring, np.int64)
        self._join_idx = np.array(idx, np.int64).reshape(-1, 2)
        self._join_wt = np.array(wt, np.float32).reshape(-1, 2)
        self._join_w = np.ones(len(body), np.float32)

    def _build_extensions(self, paths: np.ndarray, bones: np.ndarray, axes) -> None:
        """Rings before the path's origin of a body that ``extends`` along a bone: their
        distance from the origin and the bone's long axis (in its frame) pointing away; and
        the belly rings that ``follow`` the bone, with their weights."""
        S = self.path_samples
        body, ring, dist, bone, axis = [], [], [], [], []
        fol = []  # (body, ring, weight, bone, axis)
        names = None if self.fields is None else self.fields.names
        for k, b in enumerate(self.bodies):
            if b.extends is None or self.is_sheet[k] or axes is None or names is None:
                continue
            name = f"{b.extends}_{b.side}"
            if name not in names:
                raise KeyError(f"{b.key} extends along {name}, which is not among the bones")
            j = names.index(name)
            line = np.asarray(paths[b.lines[0]], float)
            length = float(np.linalg.norm(np.diff(line, axis=0), axis=1).sum())
            local = np.asarray(axes[j], float)
            world = np.asarray(bones[j])[:3, :3] @ local
            if float(world @ (line[0] - line[-1])) < 0.0:
                local = -local  # pointing from the origin away from the insertion
            for r in np.flatnonzero(self.u[k] < 0.0):
                body.append(k)
                ring.append(r)
                dist.append(-float(self.u[k, r]) * length)
                bone.append(j)
                axis.append(local)
            for r in np.flatnonzero((self.u[k] >= 0.0) & self.belly_ring[k]):
                weight = b.follow * float(np.sqrt(self.profile[k, r]))
                if weight > 0.0:
                    fol.append((k, r, weight, j, local))
        self._ext_body = np.array(body, np.int64)
        self._ext_ring = np.array(ring, np.int64)
        self._ext_dist = np.array(dist, np.float32)
        self._ext_bone = np.array(bone, np.int64)
        self._ext_axis = np.array(axis, np.float32).reshape(-1, 3)
        self._ext_origin = np.array([self.bodies[k].lines[0] * S for k in body], np.int64)
        self._fol_body = np.array([f[0] for f in fol], np.int64)
        self._fol_ring = np.array([f[1] for f in fol], np.int64)
        self._fol_w = np.array([f[2] for f in fol], np.float32)
        self._fol_bone = np.array([f[3] for f in fol], np.int64)
        self._fol_axis = np.array([f[4] for f in fol], np.float32).reshape(-1, 3)
        self._fol_origin = np.array([self.bodies[f[0]].lines[0] * S for f in fol], np.int64)

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
        #: Position across the sheet of every template triangle.
        tri_m = self.template.copy()
        tri_m[tri_m >= R * M] = 0
        side_w = self.w[tri_m % M].mean(axis=1)
        side_w[-2 * M :] = self.w[np.concatenate([m, m])]
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
        """The two bones nearest to every ring (over the standing pose and the extra poses)."""
        nb, R = self.n_bodies, self.rings
        self.ring_contact = np.zeros((nb, R, CONTACT_BONES), np.int64)
        if self.fields is None:
            return
        n_bones = len(bones)
        best = np.full((nb, R, n_bones), np.inf)
        # A body's bones are those of its own side and the middle (the sacrum).
        side = np.array([n[-2:] for n in self.fields.names])
        own = np.array(
            [[s not in ("_r", "_l") or s == "_" + b.side for s in side] for b in self.bodies]
        )
        body_of, bone_of = np.nonzero(own)
        for p, m in [(paths, bones), *self._extra_poses]:
            centres = self._line_points(p).mean(axis=2)  # (nb, R, 3)
            pts = centres[body_of].reshape(-1, 3)
            ids = np.repeat(bone_of, R)
            d, _ = self.fields.lookup(pts.astype(np.float32), ids, m)
            d = d.reshape(len(body_of), R)
            best[body_of, :, bone_of] = np.minimum(best[body_of, :, bone_of], d)
        self.ring_contact = np.argsort(best, axis=2)[..., :CONTACT_BONES]

    def _choose_shafts(self) -> None:
        """Radius (nb, R, CONTACT_BONES) of the shaft a ring wraps, per contact bone (0: the
        ring lies flat on that bone)."""
        self._shaft = np.zeros((self.n_bodies, self.rings, CONTACT_BONES), np.float32)
        #: How far (0..1) each ring's belly moves onto the shaft it stands off (nb, R).
        self._hug = np.array([b.hug for b in self.bodies], np.float32)[:, None] * self._upper
        self._wrap_rows = np.zeros(0, np.int64)
        if self.fields is None:
            return
        for k, b in enumerate(self.bodies):
            if b.wrap is None or b.is_sheet:
                continue
            name = f"{b.wrap[0]}_{b.side}"
            if name not in self.fields.names:
                raise KeyError(f"{b.key} wraps {name}, which is not among the bones")
            bone = self.fields.names.index(name)
            self._shaft[k] = np.where(self.ring_contact[k] == bone, b.wrap[1], 0.0)
        #: The single lines that wrap a shaft somewhere.
        self._wrap_rows = np.flatnonzero(self._shaft[: self.n_single].any(axis=(1, 2)))

    def _neutral_sheet_vertices(self, paths: np.ndarray, bones: np.ndarray) -> np.ndarray:
        """The sheets' vertices (before draping) for a pose, with provisional sizes."""
        ns = self.n_single
        flat = np.asarray(paths, np.float32).reshape(-1, 3)
        q = (self._line_wt[ns:, ..., None] * flat[self._line_idx[ns:]]).sum(axis=3)
        c = q.mean(axis=2)
        t = _normalise(np.gradient(c, axis=1))
        half_t = np.maximum(0.01 * self.profile[ns:], self.floor[ns:, :, 1])
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
        # The bone side of the sheets' bellies, and all round their (thin) tendons, but for
        # the attachments.
        sel = np.zeros((nb - ns, R, M), bool)
        sel[:, :, :] = (np.sin(self.theta) <= 1e-6)[None, None, :]
        sel |= self.tendon_ring[ns:, :, None]
        sel &= self.clamp_ring[ns:, :, None]
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
        centres = self._line_points(paths).mean(axis=2)
        self.rest_length = self._belly_lengths(centres)
        # A first guess: elliptic cross-sections of area pi base^2 profile^2 along the belly.
        seg = np.sqrt(_dot(np.diff(centres, axis=1), np.diff(centres, axis=1))) * self.belly_segment
        p2 = self.profile**2
        swept = np.pi * (0.5 * (p2[:, 1:] + p2[:, :-1]) * seg).sum(axis=1)
        guess = np.sqrt(self.target / np.maximum(swept, 1e-9))
        self.base = np.where(self.is_sheet, 0.02, np.clip(guess, 0.002, 0.1)).astype(np.float32)
        out_p = np.zeros((self.n_vertices, 3), np.float32)
        out_n = np.zeros((self.n_vertices, 3), np.float32)
        for _ in range(3):
            self.compute(paths, bones, out_p, out_n)
            # A single line's area goes with base^2, a sheet's with base (its width is fixed).
            k = np.clip(self.width_scale, 0.05, 20.0)
            self.base *= np.where(self.is_sheet, k, np.sqrt(k)).astype(np.float32)
        self.compute(paths, bones, out_p, out_n)
        # The slices miss a little of the closed surface (tendons, caps, non-planar rings of
        # sheets): hold the closed body's volume by aiming the slices at the measured ratio.
        closed = np.abs(self.closed_volumes(out_p))
        self.volume = self.volume * self.target / np.maximum(closed, 1e-12)
        self.compute(paths, bones, out_p, out_n)
        # Wind every triangle outwards (positive enclosed volume).
        v = out_p[self.triangles(np.arange(self.n_single))].astype(np.float64)
        if np.einsum("ij,ij->i", v[:, 0], np.cross(v[:, 1], v[:, 2])).sum() < 0:
            self.template = self.template[:, [0, 2, 1]]
        # Normals facing out of every body (away from its ring centres).
        R, M = self.rings, self.sides
        rings = out_p.reshape(nb, self.verts_per_body, 3)[:, : R * M].reshape(nb, R, M, 3)
        normals = out_n.reshape(nb, self.verts_per_body, 3)[:, : R * M].reshape(nb, R, M, 3)
        outward = _dot(normals, rings - self.centres[:, :, None, :]).sum(axis=(1, 2))
        self._sign = np.where(outward < 0.0, -1.0, 1.0).astype(np.float32)

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
        if len(self._ext_body):
            # Bellies that reach up along their bone beyond the path's origin.
            rot = np.asarray(bone_matrices, np.float32)[self._ext_bone, :3, :3]
            up = np.einsum("kij,kj->ki", rot, self._ext_axis)
            c[self._ext_body, self._ext_ring] = (
                flat[self._ext_origin] + self._ext_dist[:, None] * up
            )
        if len(self._fol_body):
            # ... and keep (partly) to the bone's length below it, rather than to the path.
            rot = np.asarray(bone_matrices, np.float32)[self._fol_bone, :3, :3]
            up = np.einsum("kij,kj->ki", rot, self._fol_axis)
            origin = flat[self._fol_origin]
            here = c[self._fol_body, self._fol_ring]
            line = origin + _dot(here - origin, up)[:, None] * up
            c[self._fol_body, self._fol_ring] = here + self._fol_w[:, None] * (line - here)
        if len(self._join_body):
            # Tendons that join another's (the gastrocnemius heads into the calcaneal tendon)
            # run into that tendon's line.
            target = (self._join_wt[..., None] * flat[self._join_idx]).sum(axis=1)
            here = c[self._join_body, self._join_ring]
            c[self._join_body, self._join_ring] = here + self._join_w[:, None] * (target - here)
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
        half_w = np.maximum(base * self.flat_sqrt[:, None], self.floor[..., 0])
        half_t = np.maximum(base * self.thin[:, None], self.floor[..., 1])
        # The attachments narrow to a point where the tendon enters the bone.
        half_w[:, [0, -1]] *= self.end_taper
        half_t[:, [0, -1]] *= self.end_taper

        pts = out_points.reshape(nb, self.verts_per_body, 3)
        ring_pts = pts[:, : R * M].reshape(nb, R, M, 3)
        sheet_verts = self._sheet_shape(q, c[ns:], t[ns:], half_t[ns:]) if ns < nb else None

        # The bones beneath: distance and outward direction at the single lines' ring centres
        # (to each of their two nearest bones) and at the sheets' bone-side vertices, in one
        # look-up.
        self._bones = np.asarray(bone_matrices)
        bones = None
        if self.fields is not None:
            ring_c = c[:ns].reshape(-1, 3)[self._ring_sel]
            parts = [ring_c, ring_c]
            if sheet_verts is not None:
                parts.append(sheet_verts.reshape(-1, 3)[self._sheet_sel])
            dist, grad = self._query.lookup(np.concatenate(parts), self._bones)
            k = self._n_ring_lookups
            half = k // 2
            src = self._ring_source
            inside = self.clamp_ring[:ns]
            bones = [
                (np.where(inside, dist[lo:hi][src], np.inf), grad[lo:hi][src])
                for lo, hi in ((0, half), (half, k))
            ]
            if sheet_verts is not None:
                self._drape_sheets(sheet_verts, dist[k:], grad[k:])
        self._singles(c[:ns], t[:ns], half_w[:ns], half_t[:ns], bones, ring_pts[:ns])
        if sheet_verts is not None:
            self._sheet_volume_fix(sheet_verts)
            ring_pts[ns:] = sheet_verts
        # End caps, just beyond the end rings.
        th = self.floor[:, [0, -1], 1] * self.end_taper
        pts[:, R * M] = ring_pts[:, 0].mean(axis=1) - t[:, 0] * 0.3 * th[:, :1]
        pts[:, R * M + 1] = ring_pts[:, -1].mean(axis=1) + t[:, -1] * 0.3 * th[:, 1:]
        self._normals(pts, t, out_normals.reshape(nb, self.verts_per_body, 3))
        self.centres = c

    def _section(self, half_w, half_t, scale, depth, planes, wrap) -> tuple[np.ndarray, ...]:
        """Cross-sections (x, y) (n, R, M) of the single lines in their ring frames (x across,
        y away from the bone): ellipses ``half_w * scale`` by ``half_t`` resting on the bone
        at ``depth``, out of the bones' tangent ``planes`` ((ga, gn, d) each: the bone's
        direction in the ring frame and its distance). ``wrap`` (rows, bend, shafts) bends
        the rows of wrapping bodies around their shaft (curvature ``bend``) and keeps them out
        of it (``shafts``: (ga, gn, d, radius) each)."""
        x = (half_w * scale)[..., None] * self._neg_cos
        y = np.maximum(half_t[..., None] * self.sin, -depth[..., None])
        if wrap is not None:
            # Polar about the shaft's axis, 1 / bend below the centre: the belly hugs it.
            rows, bend, _ = wrap
            kappa = bend[..., None]
            xw, yw = x[rows], y[rows]
            phi = kappa * xw
            sin_phi = np.sin(phi)
            half_phi = np.sin(0.5 * phi)
            x[rows] = sin_phi / kappa + yw * sin_phi
            y[rows] = yw * (1.0 - 2.0 * half_phi * half_phi) - 2.0 * half_phi * half_phi / kappa
        for ga, gn, d in planes:
            over = np.minimum(x * ga + y * gn + d, 0.0)
            x -= over * ga
            y -= over * gn
        if wrap is not None:
            # Out of the shaft: radially from its axis.
            rows, _, shafts = wrap
            xw, yw = x[rows], y[rows]
            for ga, gn, d, r in shafts:
                dx, dy = xw + ga * (d + r), yw + gn * (d + r)
                rho = np.sqrt(dx * dx + dy * dy)
                # (At most doubled: a point deep inside the shaft has no clear way out.)
                lift = np.clip(r / np.maximum(rho, 1e-9) - 1.0, 0.0, 1.0)
                xw += dx * lift
                yw += dy * lift
            x[rows], y[rows] = xw, yw
        return x, y

    def _singles(self, c, t, half_w, half_t, bones, out_p) -> None:
        """Single lines: elliptic cross-sections, thin side to the bones beneath, lying on and
        wrapped around them, out of both; the MRI volume held by the width."""
        n = len(c)
        belly = self.belly_ring[:n]
        if bones is None:
            g_dir = np.zeros_like(c)
            g_dir[..., 2] = 1.0
            depth = np.full(half_t.shape, np.inf, np.float32)
            planes = []
            cs = c
        else:
            (d1, g1), (d2, g2) = bones
            # Both bones push the centre out by part of the overlap (not at the attachments).
            push = (
                np.maximum(half_t + GAP - d1, 0.0)[..., None] * g1
                + np.maximum(half_t + GAP - d2, 0.0)[..., None] * g2
            ) * PUSH_SHARE
            # A belly that wraps a shaft but stands off it moves (part of the way) onto it.
            for slot, (d, g) in enumerate(((d1, g1), (d2, g2))):
                hug = np.where(self._shaft[:n, :, slot] > 0.0, self._hug[:n], 0.0)
                if hug.any():
                    gap = np.minimum(np.maximum(d - half_t - GAP, 0.0), 0.1)
                    push -= (hug * gap)[..., None] * g
            push[:, 1:-1] = 0.25 * push[:, :-2] + 0.5 * push[:, 1:-1] + 0.25 * push[:, 2:]
            push[:, [0, -1]] = 0.0
            cs = c + push
            d1 = d1 + _dot(push, g1) - GAP
            d2 = d2 + _dot(push, g2) - GAP
            # Facing the bones: their outward directions weighted by nearness, smoothed along
            # the body so that the cross-sections turn gradually (and continuously in time).
            w1 = np.exp(-np.clip(d1, 0.0, 0.05) * 60.0)[..., None]
            w2 = np.exp(-np.clip(d2, 0.0, 0.05) * 60.0)[..., None]
            # A belly that wraps a shaft faces the shaft: the wrap is centred on its axis.
            w1 = w1 * np.where(self._shaft[:n, :, :1] > 0.0, 20.0, 1.0)
            w2 = w2 * np.where(self._shaft[:n, :, 1:] > 0.0, 20.0, 1.0)
            g_dir = w1 * g1 + w2 * g2
            depth = None
        gs = np.matmul(self._across_smooth, g_dir)
        gs -= _dot(gs, t)[..., None] * t
        bad = _dot(gs, gs) < 1e-8
        if bad.any():
            gs[bad] = _cross(t, np.array([0.0, 0.0, 1.0], np.float32))[bad]
        nrm = _normalise(gs)
        a = _cross(nrm, t)
        wrap = None
        if bones is not None:
            planes = []
            depth = np.full(half_t.shape, np.inf, np.float32)
            shafts = self._shaft[:n]
            rows = self._wrap_rows
            shaft_planes = []
            shaft_depth = np.full((len(rows), self.rings), np.inf, np.float32)
            for slot, (d, g) in enumerate(((d1, g1), (d2, g2))):
                ga, gn = _dot(a, g), _dot(nrm, g)
                norm = np.maximum(np.sqrt(ga * ga + gn * gn), 1e-6)
                ga, gn = (ga / norm)[..., None], (gn / norm)[..., None]
                r = shafts[..., slot]
                # A shaft a body wraps is kept out by the wrap, not by its tangent plane.
                dp = np.where(r > 0.0, 1.0, np.minimum(d, 1.0))[..., None]
                planes.append((ga, gn, dp))
                # How far below the centre the bone is, along the cross-section's axis.
                below = d / np.maximum(gn[..., 0], 0.5)
                depth = np.minimum(depth, below)
                if len(rows):
                    rr = r[rows]
                    shaft_planes.append(
                        (ga[rows], gn[rows], np.minimum(d[rows], 1.0)[..., None], rr[..., None])
                    )
                    shaft_depth = np.where(
                        rr > 0.0, np.minimum(shaft_depth, below[rows]), shaft_depth
                    )
            depth = np.minimum(depth, 1.0)
            if len(rows):
                # Curvature of the wrap: about the shaft's axis while the belly lies on it,
                # fading out as it lifts off (2 cm clear of it: straight).
                radius = shafts[rows].max(axis=2)
                reach = np.maximum(np.minimum(shaft_depth, 1.0), 0.0)
                near = np.clip(1.0 - (reach - half_t[rows]) / 0.02, 0.0, 1.0)
                bend = near / (reach + radius + 1e-3)
                bend = np.maximum(np.where(radius > 0.0, bend, 0.0), 1e-4).astype(np.float32)
                # Only the shaft slots constrain radially (radius 0: no effect).
                wrap = (rows, bend, shaft_planes)
        # The belly as sized so far: its cross-sections' areas (shoelace) summed over the slices
        # between rings give how its volume grows with its width, and the volume its closed
        # surface encloses (which also counts where the belly bends, at the knee or the hip,
        # and its tendons) how far it is from the MRI volume: the width is scaled to hold it.
        one = np.ones((n, 1), np.float32)
        coef = self._coef
        x, y = self._section(half_w, half_t, one, depth, planes, wrap)
        coef[..., 0], coef[..., 1] = x, y
        area = np.abs(0.5 * (x * np.roll(y, -1, axis=2) - np.roll(x, -1, axis=2) * y).sum(2))
        seg = _slice_spacing(cs, t)
        vol = (0.5 * (area[:, 1:] + area[:, :-1]) * seg * self.belly_segment[:n]).sum(axis=1)
        #: Cross-section areas of the single lines' rings (m^2) before the volume correction.
        self.ring_area = area
        basis = self._basis
        basis[:, :, 0] = a
        basis[:, :, 1] = nrm
        basis[:, :, 2] = cs - cs[:, :1]  # about each body's first ring (float32 precision)
        np.matmul(coef, basis, out=out_p)
        enclosed = _tube_volumes(out_p)
        k = np.clip(1.0 + (self.target[:n] - enclosed) / np.maximum(vol, 1e-12), 0.2, 5.0)
        self.width_scale[:n] = k
        scale = np.where(belly, k[:, None], 1.0).astype(np.float32)
        coef[..., 0], coef[..., 1] = self._section(half_w, half_t, scale, depth, planes, wrap)
        basis[:, :, 2] = cs
        np.matmul(coef, basis, out=out_p)
        c[:] = cs

    def _normals(self, pts, t, out) -> None:
        """Unit normals of every body's surface (around the ring x along the body), facing out."""
        nb, R, M = self.n_bodies, self.rings, self.sides
        ring = pts[:, : R * M].reshape(nb, R, M, 3)
        around = np.roll(ring, -1, axis=2) - np.roll(ring, 1, axis=2)
        along = np.empty_like(ring)
        along[:, 1:-1] = ring[:, 2:] - ring[:, :-2]
        along[:, 0] = ring[:, 1] - ring[:, 0]
        along[:, -1] = ring[:, -1] - ring[:, -2]
        n = _cross(along, around)
        n *= self._sign[:, None, None, None]
        out[:, : R * M] = _normalise(n).reshape(nb, R * M, 3)
        out[:, R * M] = -t[:, 0]
        out[:, R * M + 1] = t[:, -1]

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
        first = (self.margin[ns:, None] * self.profile[ns:] + 0.002)[..., None]
        last = (self.margin_last[ns:, None] * self.profile[ns:] + 0.002)[..., None]
        knots[:, :, 1:5] = spread
        knots[:, :, 0] = spread[:, :, 0] - x_unit * first
        knots[:, :, 5] = spread[:, :, 3] + x_unit * last
        spine = np.matmul(self.spine_w, knots)  # (n, R, M, 3)
        y = half_t[..., None] * self.h_sheet
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

    def _drape_sheets(self, verts: np.ndarray, dist: np.ndarray, grad: np.ndarray) -> None:
        """Sheets drape over the bones: a bone-side vertex closer than GAP to its bone (or in
        it) moves out along the sheet's thickness (which changes smoothly, where the bone's
        direction deep inside it need not) until clear of the bone's tangent plane."""
        sel = self._sheet_sel
        n = self._sheet_frame[1].reshape(-1, 3)[sel // self.sides]
        reach = np.maximum(_dot(grad, n), 0.6)
        verts.reshape(-1, 3)[sel] += (np.maximum(GAP - dist, 0.0) / reach)[:, None] * n

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
