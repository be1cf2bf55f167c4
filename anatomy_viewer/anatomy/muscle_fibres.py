"""The fibres of MyoLeg's muscles as MuJoCo's own muscle model sees them.

MuJoCo's muscle (``mju_muscleGain`` / ``mju_muscleBias``, the model static optimisation uses)
has a rigid tendon: the actuator's length maps linearly onto a normalised fibre length

    L = range[0] + (length - lengthrange[0]) / L0,   L0 = (lengthrange[1] - lengthrange[0])
                                                          / (range[1] - range[0])

so ``L0`` (metres of muscle-tendon length per unit of normalised length) is the optimal fibre
length of the model (L = 1 is the top of its force-length curve), and the fibres lengthen and
shorten with the whole muscle-tendon unit. The isometric force-length factor at a length is
MuJoCo's own gain at zero velocity divided by the gain at the optimal length. Nothing of the
curves is re-implemented here: every number comes from the compiled model and MuJoCo's functions.

numpy + mujoco only; no Qt, no VTK.
"""

from __future__ import annotations

from dataclasses import dataclass

import mujoco
import numpy as np


@dataclass(frozen=True)
class FibreParameters:
    """Per muscle (actuator order): what maps a muscle-tendon length onto the fibres."""

    muscle_names: tuple[str, ...]
    optimal_fiber_length: np.ndarray  # L0, m
    max_isometric_force: np.ndarray  # N, MuJoCo's gain at the optimal length and no velocity
    length_at_optimum: np.ndarray  # muscle-tendon length (m) at which L = 1
    range_start: np.ndarray  # normalised length at the low end of the length range
    length_range_start: np.ndarray  # m


def fibre_parameters(m: mujoco.MjModel) -> FibreParameters:
    """The fibre parameters of every muscle actuator of ``m`` (MuJoCo muscles only)."""
    names, l0, fmax, lopt, r0, lr0 = [], [], [], [], [], []
    for i in range(m.nu):
        if m.actuator_gaintype[i] != mujoco.mjtGain.mjGAIN_MUSCLE:
            raise ValueError(f"actuator {m.actuator(i).name!r} is not a MuJoCo muscle")
        prm = np.array(m.actuator_gainprm[i, :9], dtype=float)
        lr = np.array(m.actuator_lengthrange[i], dtype=float)
        span = prm[1] - prm[0]
        if span <= 0 or lr[1] <= lr[0]:
            raise ValueError(f"muscle {m.actuator(i).name!r} has an empty length range")
        scale = (lr[1] - lr[0]) / span
        at_opt = lr[0] + (1.0 - prm[0]) * scale
        names.append(m.actuator(i).name)
        l0.append(scale)
        fmax.append(-mujoco.mju_muscleGain(at_opt, 0.0, lr, float(m.actuator_acc0[i]), prm))
        lopt.append(at_opt)
        r0.append(prm[0])
        lr0.append(lr[0])
    return FibreParameters(
        tuple(names), np.array(l0), np.array(fmax), np.array(lopt), np.array(r0), np.array(lr0)
    )


def normalised_fibre_length(p: FibreParameters, lengths: np.ndarray) -> np.ndarray:
    """Fibre length / optimal fibre length of each muscle (last axis) at muscle-tendon
    ``lengths`` (m), as MuJoCo normalises it."""
    x = np.asarray(lengths, dtype=float)
    return p.range_start + (x - p.length_range_start) / p.optimal_fiber_length


def force_length_factor(m: mujoco.MjModel, lengths: np.ndarray) -> np.ndarray:
    """Isometric active force-length factor (0..1) of each muscle (last axis) at muscle-tendon
    ``lengths`` (m): MuJoCo's gain at zero velocity over its gain at the optimal length."""
    x = np.asarray(lengths, dtype=float)
    if x.shape[-1] != m.nu:
        raise ValueError(f"lengths have {x.shape[-1]} muscles, the model {m.nu}")
    flat = x.reshape(-1, m.nu)
    out = np.empty_like(flat)
    gain = mujoco.mju_muscleGain
    for i in range(m.nu):
        prm = np.array(m.actuator_gainprm[i, :9], dtype=float)
        lr = np.array(m.actuator_lengthrange[i], dtype=float)
        acc0 = float(m.actuator_acc0[i])
        at_opt = lr[0] + (1.0 - prm[0]) * (lr[1] - lr[0]) / (prm[1] - prm[0])
        peak = gain(at_opt, 0.0, lr, acc0, prm)
        out[:, i] = [gain(float(v), 0.0, lr, acc0, prm) / peak for v in flat[:, i]]
    return out.reshape(x.shape)
