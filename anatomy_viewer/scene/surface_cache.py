"""Muscle surfaces of a precomputed pose sequence: built once per frame, then blended.

The frames of a gait cycle are posed once, when the cycle is loaded (:mod:`anatomy_viewer.gait.
animation`), and a pose between two frames is their blend. The muscle surfaces follow the same
rule: the surface of each frame of the sequence is built once (bone look-ups, volume correction;
a few milliseconds), and every pose between two built frames gets the blend of their surfaces
(a tenth of a millisecond). Building all 201 frames of a cycle at once would hold up the first
picture for about a second, so they are built while the cycle is shown: each pose shown builds
the frames it needs (at most two, the cost of one or two poses before), or, if it needs none,
the next frame ahead not yet built, until the whole cycle is built (a few seconds of playing).

Stored per frame: the vertices as 16-bit integers (steps of a few hundredths of a millimetre),
the unit normals as signed bytes and the ring centres (for the outline shells) as floats: about
120 kB per frame, 24 MB for a cycle of 201 frames, filled as the cycle is shown. The surfaces
of the last ``max_sequences`` sequences shown are kept.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict

import numpy as np

from anatomy_viewer.anatomy.model import PoseSequence
from anatomy_viewer.scene.muscle_shapes import MuscleShapes

#: Vertices are stored as multiples of one step (m) per frame, as 16-bit integers.
_RANGE = 32000.0


class _Frames:
    """The built surfaces of one sequence (filled frame by frame)."""

    def __init__(self, seq: PoseSequence, shapes: MuscleShapes) -> None:
        self.ref = weakref.ref(seq)
        n = len(seq)
        nv, nb, R = shapes.n_vertices, shapes.n_bodies, shapes.rings
        self.built = np.zeros(n, bool)
        # Zero-filled arrays are only given memory as their frames are written.
        self.q = np.zeros((n, nv, 3), np.int16)
        self.step = np.zeros(n, np.float32)
        self.normals = np.zeros((n, nv, 3), np.int8)
        self.centres = np.zeros((n, nb, R, 3), np.float32)

    @property
    def nbytes(self) -> int:
        """Bytes held by the frames built so far."""
        per_frame = self.q[0].nbytes + self.normals[0].nbytes + self.centres[0].nbytes + 4
        return int(self.built.sum()) * per_frame


class SurfaceCache:
    """Surfaces of ``shapes`` for the frames of pose sequences, blended for poses between."""

    def __init__(self, shapes: MuscleShapes, max_sequences: int = 2) -> None:
        self.shapes = shapes
        self.max_sequences = max_sequences
        self._sequences: OrderedDict[int, _Frames] = OrderedDict()
        n = shapes.n_vertices
        self._points = np.zeros((n, 3), np.float32)
        self._normals = np.zeros((n, 3), np.float32)
        #: Frames built since this cache was made (a measure of the work it saved).
        self.frames_built = 0

    @property
    def nbytes(self) -> int:
        """Memory (bytes) of the surfaces kept."""
        return sum(f.nbytes for f in self._sequences.values())

    def built_share(self, seq: PoseSequence) -> float:
        """The share (0..1) of the frames of ``seq`` built so far."""
        frames = self._sequences.get(id(seq))
        if frames is None or frames.ref() is not seq:
            return 0.0
        return float(frames.built.mean())

    def _frames(self, seq: PoseSequence) -> _Frames:
        key = id(seq)
        frames = self._sequences.get(key)
        if frames is None or frames.ref() is not seq:
            frames = _Frames(seq, self.shapes)
            self._sequences[key] = frames
        self._sequences.move_to_end(key)
        while len(self._sequences) > self.max_sequences:
            self._sequences.popitem(last=False)
        return frames

    def _build(self, frames: _Frames, seq: PoseSequence, j: int) -> None:
        s = self.shapes
        p, n = self._points, self._normals
        s.compute(seq.muscle_paths[j], seq.bone_matrices[j], p, n)
        # One step for the whole frame (world coordinates of a leg within a few metres of
        # the origin: steps of a few hundredths of a millimetre).
        step = np.float32(max(float(np.abs(p).max()), 1e-3) / _RANGE)
        frames.q[j] = np.rint(p / step)
        frames.step[j] = step
        frames.normals[j] = np.rint(n * 127.0)
        frames.centres[j] = s.centres
        frames.built[j] = True
        self.frames_built += 1

    def show(
        self,
        seq: PoseSequence,
        i: int,
        u: float,
        out_points: np.ndarray,
        out_normals: np.ndarray,
    ) -> None:
        """Write the surface of the pose (1 - u) * frame i + u * frame i + 1 of ``seq`` into
        ``out_points`` and ``out_normals`` (n_vertices, 3), building the frames it needs, or
        if it needs none (and the sequence is not all built), the next frame after them.

        The normals are blended, not renormalised: a blend of two unit normals of
        neighbouring frames is within a hair of unit length (the renderer normalises)."""
        frames = self._frames(seq)
        u = float(u)
        # The frames that carry weight, with their weights.
        parts = [(j, w) for j, w in ((i, 1.0 - u), (i + 1, u)) if w > 0.0]
        needed = [j for j, _ in parts if not frames.built[j]]
        for j in needed:
            self._build(frames, seq, j)
        if not needed and not frames.built.all():
            n = len(frames.built)
            ahead = (np.arange(1, n + 1) + parts[-1][0]) % n
            self._build(frames, seq, int(ahead[~frames.built[ahead]][0]))
        tmp = self._points
        centres = None
        for k, (j, w) in enumerate(parts):
            if k == 0:
                np.multiply(frames.q[j], frames.step[j] * np.float32(w), out=out_points)
                np.multiply(frames.normals[j], np.float32(w / 127.0), out=out_normals)
                centres = frames.centres[j] * np.float32(w)
            else:
                np.multiply(frames.q[j], frames.step[j] * np.float32(w), out=tmp)
                out_points += tmp
                np.multiply(frames.normals[j], np.float32(w / 127.0), out=tmp)
                out_normals += tmp
                centres += frames.centres[j] * np.float32(w)
        self.shapes.centres = centres
