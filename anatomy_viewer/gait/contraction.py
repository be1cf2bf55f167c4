"""Contraction mode of each muscle: concentric, eccentric, isometric or inactive."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from anatomy_viewer.anatomy.model import LegModel
    from anatomy_viewer.gait.cycle import GaitCycle


class ContractionMode(IntEnum):
    """Stored as small integers in arrays (int8); ``.label`` is the exported word."""

    INACTIVE = 0
    CONCENTRIC = 1  # shortening under activation
    ECCENTRIC = 2  # lengthening under activation
    ISOMETRIC = 3  # active, length nearly constant

    @property
    def label(self) -> str:
        return self.name.lower()


# ---------------------------------------------------------------------------------------------
# Contraction modes of a gait cycle from muscle-tendon velocities.
#
# A muscle counts as active when its activation is at least ACTIVE_THRESHOLD (0.02 = 2 % of full
# activation): below that its force is a negligible share of what it can produce, and most of
# the small ripple of the built-in cycles' Fourier models stays under it. An active muscle
# is isometric while its muscle-tendon unit changes length more slowly than ISOMETRIC_SPEED
# (0.01 m/s: over 1 % of a 1.1 s walking stride that is about 0.1 mm), concentric while it
# shortens faster and eccentric while it lengthens faster.
#
# These are modes of the whole muscle-tendon unit. Where a long compliant tendon takes up the
# stretch the fibres themselves may stay nearly isometric (measured for the medial
# gastrocnemius in walking by Fukunaga T, Kubo K, Kawakami Y, Fukashiro S, Kanehisa H,
# Maganaris CN (2001). In vivo behaviour of human muscle tendon during walking. Proceedings of
# the Royal Society B 268:229-233): the mode describes what the joints do to the muscle.
# ---------------------------------------------------------------------------------------------

ACTIVE_THRESHOLD = 0.02
ISOMETRIC_SPEED = 0.01  # m/s


def cycle_muscle_lengths(cycle: GaitCycle, model: LegModel | None = None) -> np.ndarray:
    """Muscle-tendon lengths (metres), shape (n_muscles, n_samples), in ``cycle.muscle_names``
    order, posing the leg with ``LegModel.pose_sequence`` (a foot in contact on the ground).

    ``model`` is a ``LegModel`` to reuse; one is built when omitted (about a second).
    """
    if model is None:
        from anatomy_viewer.anatomy.model import LegModel

        model = LegModel()
    seq = model.pose_sequence(cycle.coordinate_frames(), cycle.contact_r, cycle.contact_l)
    lengths = seq.muscle_lengths.T  # (n_muscles of the model, n_samples)
    if tuple(model.muscle_names) == tuple(cycle.muscle_names):
        return np.array(lengths)
    order = [model.muscle_index(m) for m in cycle.muscle_names]
    return np.array(lengths[order])


def _muscles_by_samples(cycle: GaitCycle, muscle_lengths: np.ndarray) -> np.ndarray:
    """Lengths as (n_muscles, n_samples); the (n_samples, n_muscles) layout of
    ``PoseSequence.muscle_lengths`` is accepted too (transposed)."""
    lengths = np.asarray(muscle_lengths, dtype=float)
    shape = (len(cycle.muscle_names), cycle.n_samples)
    if lengths.shape == shape:
        return lengths
    if lengths.shape == shape[::-1]:
        return lengths.T
    raise ValueError(
        f"muscle_lengths has shape {lengths.shape}, expected {shape} = (muscles, samples) "
        f"or {shape[::-1]} = (samples, muscles)"
    )


def muscle_velocities(cycle: GaitCycle, muscle_lengths: np.ndarray) -> np.ndarray:
    """Lengthening velocity (m/s, + = lengthening) of every muscle at every sample.

    ``muscle_lengths``: (n_muscles, n_samples), or (n_samples, n_muscles) as in
    ``PoseSequence.muscle_lengths``. Central differences over the cycle's time
    (``stride_time`` per 100 %). A periodic cycle wraps around (its last sample repeats the
    first); otherwise the ends use one-sided differences.
    """
    lengths = _muscles_by_samples(cycle, muscle_lengths)
    n = cycle.n_samples
    t = cycle.percent / 100.0 * cycle.stride_time
    closed = cycle.periodic and np.allclose(lengths[:, 0], lengths[:, -1], atol=1e-9)
    if cycle.periodic and n >= 3 and closed:
        period = t[-1] - t[0]
        tr = t[:-1]
        lr = lengths[:, :-1]
        t_next = np.append(tr[1:], tr[0] + period)
        t_prev = np.insert(tr[:-1], 0, tr[-1] - period)
        v = (np.roll(lr, -1, axis=1) - np.roll(lr, 1, axis=1)) / (t_next - t_prev)
        return np.concatenate([v, v[:, :1]], axis=1)
    return np.gradient(lengths, t, axis=1)


def contraction_modes(
    cycle: GaitCycle,
    muscle_lengths: np.ndarray,
    active_threshold: float = ACTIVE_THRESHOLD,
    isometric_speed: float = ISOMETRIC_SPEED,
) -> np.ndarray:
    """ContractionMode codes (int8), shape (n_muscles, n_samples), of every muscle of ``cycle``.

    ``muscle_lengths`` is (n_muscles, n_samples) in ``cycle.muscle_names`` order, e.g. from
    :func:`cycle_muscle_lengths`, or (n_samples, n_muscles) as ``PoseSequence.muscle_lengths``.
    """
    v = muscle_velocities(cycle, muscle_lengths)
    active = np.asarray(cycle.activations) >= active_threshold
    modes = np.full(v.shape, ContractionMode.ISOMETRIC, dtype=np.int8)
    modes[v <= -isometric_speed] = ContractionMode.CONCENTRIC
    modes[v >= isometric_speed] = ContractionMode.ECCENTRIC
    modes[~active] = ContractionMode.INACTIVE
    return modes
