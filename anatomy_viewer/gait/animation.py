"""A gait cycle made ready to play: every frame posed once, then looked up and interpolated.

The frame flow: phase -> ``CycleAnimation.at(percent)`` -> ``AnimationFrame`` (interpolated
bone transforms, muscle paths, activations, contraction modes) -> the scene draws it. Posing with
MuJoCo happens once per cycle when it is loaded; playing and scrubbing only interpolate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from anatomy_viewer.anatomy.model import LegModel, Pose, PoseSequence
from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.gait.sampling import locate, nearest


@dataclass
class AnimationFrame:
    percent: float
    pose: Pose
    activations: np.ndarray  # (n_muscles,) 0..1
    modes: np.ndarray | None  # (n_muscles,) int8 ContractionMode codes
    contact_r: bool
    contact_l: bool
    phase_r: str
    phase_l: str


class CycleAnimation:
    """Precomputed poses (and contraction modes) of a cycle, sampled at any percent.

    ``offsets`` maps coordinate names to degrees added on top of the cycle before posing
    (a what-if such as weak hip abductors): a number shifts every sample, an array of
    ``cycle.n_samples`` values shifts each sample by its own amount. A coordinate the cycle
    does not move is offset from 0. The cycle itself is not changed.
    """

    def __init__(
        self,
        cycle: GaitCycle,
        model: LegModel,
        with_modes: bool = True,
        offsets: Mapping[str, float | np.ndarray] | None = None,
    ) -> None:
        self.cycle = cycle
        self.model = model
        self.offsets: dict[str, float | np.ndarray] = dict(offsets or {})
        self.poses: PoseSequence = model.pose_sequence(
            self._coordinate_frames(), cycle.contact_r, cycle.contact_l, periodic=cycle.periodic
        )
        self.modes: np.ndarray | None = None
        if with_modes:
            from anatomy_viewer.gait.contraction import contraction_modes

            self.modes = contraction_modes(cycle, self.poses.muscle_lengths)
        #: Muscle forces (n_muscles, n_samples) in newtons, when something computed them.
        self.forces: np.ndarray | None = None
        #: Muscle powers (n_muscles, n_samples) in watts (tension x shortening velocity: positive
        #: while generating work), when something computed them.
        self.power: np.ndarray | None = None
        # Reusable output buffers: the frame returned by ``at`` is overwritten by the next call.
        self._bones = np.empty(self.poses.bone_matrices.shape[1:])
        self._paths = np.empty(self.poses.muscle_paths.shape[1:])
        self._lengths = np.empty(self.poses.muscle_lengths.shape[1:])
        self._act = np.empty(cycle.activations.shape[0])

    def _coordinate_frames(self) -> list[dict[str, float]]:
        frames = self.cycle.coordinate_frames()
        n = self.cycle.n_samples
        for name, value in self.offsets.items():
            shift = np.broadcast_to(np.asarray(value, dtype=float), (n,))
            for frame, d in zip(frames, shift, strict=True):
                frame[name] = frame.get(name, 0.0) + float(d)
        return frames

    def at(self, percent: float) -> AnimationFrame:
        """The frame at ``percent``. Its arrays are reused by the next call: copy to keep."""
        c = self.cycle
        i, u = locate(c, percent)
        p = self.poses
        np.multiply(p.bone_matrices[i], 1.0 - u, out=self._bones)
        self._bones += u * p.bone_matrices[i + 1]
        np.multiply(p.muscle_paths[i], 1.0 - u, out=self._paths)
        self._paths += u * p.muscle_paths[i + 1]
        np.multiply(p.muscle_lengths[i], 1.0 - u, out=self._lengths)
        self._lengths += u * p.muscle_lengths[i + 1]
        np.multiply(c.activations[:, i], 1.0 - u, out=self._act)
        self._act += u * c.activations[:, i + 1]
        j = nearest(i, u)
        modes = None if self.modes is None else self.modes[:, j]
        return AnimationFrame(
            percent=float(percent),
            pose=Pose(self._bones, self._paths, self._lengths, (p, i, float(u))),
            activations=self._act,
            modes=modes,
            contact_r=bool(c.contact_r[j]),
            contact_l=bool(c.contact_l[j]),
            phase_r=c.phase_at("r", percent),
            phase_l=c.phase_at("l", percent),
        )
