"""Small recorded-trial files written by the tests: a synthetic walk in each format.

Right heel strikes at 0.2, 1.3 and 2.4 s (stride 1.1 s), stance 66 % of the stride; the left leg
half a stride later. Angles in degrees, flexion positive.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

STRIDE = 1.1
HS_R = (0.2, 1.3, 2.4)
STANCE = 0.66


def _header(n_rows: int, n_cols: int, name: str, in_degrees: str = "yes") -> str:
    return (
        f"{name}\nversion=1\nnRows={n_rows}\nnColumns={n_cols}\ninDegrees={in_degrees}\nendheader\n"
    )


def _table(names: list[str], time: np.ndarray, cols: list[np.ndarray], sep: str = "\t") -> str:
    data = np.column_stack([time, *cols])
    rows = "".join(sep.join(f"{v:.6f}" for v in row) + "\n" for row in data)
    return sep.join(["time", *names]) + "\n" + rows


def hip(t: np.ndarray) -> np.ndarray:
    return 20.0 * np.cos(2 * np.pi * (t - HS_R[0]) / STRIDE)


def knee(t: np.ndarray) -> np.ndarray:
    return 30.0 - 30.0 * np.cos(2 * np.pi * (t - HS_R[0]) / STRIDE)


def write_motion(path: Path, duration: float = 3.0, rate: float = 100.0) -> Path:
    """An IK .mot with hips and knees of both legs, one ankle, the pelvis tilt and a lumbar
    column the model does not have; the other coordinates are missing."""
    t = np.arange(0.0, duration + 1e-9, 1.0 / rate)
    names = ["pelvis_tilt", "pelvis_tx", "hip_flexion_r", "knee_angle_r", "ankle_angle_r"]
    names += ["hip_flexion_l", "knee_angle_l", "lumbar_extension"]
    half = STRIDE / 2
    cols = [
        np.full_like(t, 5.0),
        1.2 * t,
        hip(t),
        knee(t),
        np.full_like(t, -3.0),
        hip(t - half),
        knee(t - half),
        np.full_like(t, 2.0),
    ]
    path.write_text(_header(len(t), len(names) + 1, "Coordinates") + _table(names, t, cols))
    return path


def foot_force(t: np.ndarray, strikes, peak: float = 800.0, ramp: float = 0.02) -> np.ndarray:
    f = np.zeros_like(t)
    for hs in strikes:
        up = np.clip((t - hs) / ramp, 0, 1)
        down = np.clip((hs + STANCE * STRIDE - t) / ramp, 0, 1)
        f = np.maximum(f, peak * np.minimum(up, down))
    return f


def write_grf(path: Path, duration: float = 3.0, rate: float = 500.0) -> Path:
    """Ground forces of two plates named by side (ground_force_r_*, ground_force_l_*)."""
    t = np.arange(0.0, duration + 1e-9, 1.0 / rate)
    strikes_r = np.arange(HS_R[0], duration, STRIDE)
    strikes_l = np.arange(HS_R[0] - STRIDE / 2, duration, STRIDE)
    names, cols = [], []
    for side, strikes in (("r", strikes_r), ("l", strikes_l)):
        f = foot_force(t, strikes)
        names += [f"ground_force_{side}_v{a}" for a in "xyz"]
        cols += [0 * f, f, 0 * f]
    path.write_text(_header(len(t), len(names) + 1, "grf") + _table(names, t, cols))
    return path


def write_emg_csv(path: Path, duration: float = 3.0, rate: float = 100.0) -> Path:
    """EMG envelopes (0..1) under EMG labels: TA and SOL (suggested: tibant_r, soleus_r), a
    model name (vaslat_r), and a column that matches no muscle (Trigger)."""
    t = np.arange(0.0, duration + 1e-9, 1.0 / rate)
    phase = ((t - HS_R[0]) / STRIDE) % 1.0
    ta = 0.1 + 0.8 * (phase > 0.6)
    sol = 0.05 + 0.9 * ((phase > 0.1) & (phase < 0.5))
    vl = 0.05 + 0.6 * (phase < 0.15)
    trig = (phase < 0.01).astype(float)
    text = _table(["TA", "SOL", "vaslat_r", "Trigger"], t, [ta, sol, vl, trig], sep=",")
    path.write_text(text)
    return path


def write_states(path: Path, duration: float = 3.0, rate: float = 100.0) -> Path:
    """An OpenSim 4 states .sto: coordinate values (radians) and muscle activations."""
    t = np.arange(0.0, duration + 1e-9, 1.0 / rate)
    names = [
        "/jointset/hip_r/hip_flexion_r/value",
        "/jointset/walker_knee_r/knee_angle_r/value",
        "/forceset/glmax1_r/activation",
        "/forceset/recfem_r/activation",
    ]
    cols = [np.deg2rad(hip(t)), np.deg2rad(knee(t)), 0.2 + 0.1 * np.sin(t), 0.5 + 0.4 * np.cos(t)]
    head = f"inDegrees=no\nnColumns={len(names) + 1}\nnRows={len(t)}\nDataType=double\n"
    head += "version=3\nOpenSimVersion=4.5\nendheader\n"
    path.write_text(head + _table(names, t, cols))
    return path


def write_bad_motion(path: Path) -> tuple[Path, int]:
    """A motion whose 5th data row holds a word: returns the file and that line's number."""
    good = write_motion(path, duration=0.2)
    lines = good.read_text().splitlines()
    first_data = next(i for i, ln in enumerate(lines) if ln.startswith("time")) + 1
    bad = first_data + 4
    cells = lines[bad].split("\t")
    cells[3] = "oops"
    lines[bad] = "\t".join(cells)
    path.write_text("\n".join(lines) + "\n")
    return path, bad + 1


def reference_walk_with_emg(ref: Path):
    """The Rajagopal et al. (2016) subject's walking trial from the reference folder ``ref``
    with its EMG (the columns mapped as suggested), read."""
    from anatomy_viewer.gait.trial import load_trial

    return load_trial(
        ref / "coordinates.sto",
        ref / "electromyography.sto",
        ref / "grf_walk.mot",
        accept_suggestions=True,
    )
